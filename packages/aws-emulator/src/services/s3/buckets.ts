import { md5Hex } from '../../ids';
import { KeyIndex } from './keyIndex';

export interface StoredObject {
  body: Buffer;
  etag: string;
  lastModified: number;
  contentType: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
  versionId?: string;
  serverSideEncryption?: string;
  kmsKeyId?: string;
}

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export type ObjectOwnership =
  | 'BucketOwnerEnforced'
  | 'BucketOwnerPreferred'
  | 'ObjectWriter';

export interface Bucket {
  name: string;
  ownerAccountId: string;
  region: string;
  createdAt: number;
  policy?: string;
  /** Parsed `LifecycleConfiguration` body. */
  lifecycle?: Record<string, any>;
  /** `x-amz-transition-default-minimum-object-size` of that configuration. */
  lifecycleTransitionMinimumSize?: string;
  /** Parsed `ServerSideEncryptionConfiguration` body. */
  encryption?: Record<string, any>;
  publicAccessBlock?: PublicAccessBlock;
  versioning?: 'Enabled' | 'Suspended';
  ownership?: ObjectOwnership;
  tags?: Array<{ Key: string; Value: string }>;
  objects: KeyIndex<StoredObject>;
}

export const ALL_PUBLIC_ACCESS_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/**
 * A bucket as AWS creates it since 2023: SSE-S3 default encryption, all four
 * Block Public Access flags on, ACLs disabled (BucketOwnerEnforced).
 */
export function newBucket(
  name: string,
  ownerAccountId: string,
  region: string,
  createdAt: number,
): Bucket {
  return {
    name,
    ownerAccountId,
    region,
    createdAt,
    encryption: {
      Rule: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
          BucketKeyEnabled: 'false',
        },
      ],
    },
    publicAccessBlock: { ...ALL_PUBLIC_ACCESS_BLOCKED },
    ownership: 'BucketOwnerEnforced',
    objects: new KeyIndex<StoredObject>(),
  };
}

/** The default encryption a new object receives from its bucket. */
export function defaultObjectEncryption(bucket: Bucket): {
  algorithm?: string;
  kmsKeyId?: string;
} {
  const rule = bucket.encryption?.Rule?.[0]?.ApplyServerSideEncryptionByDefault;
  if (!rule) return {};
  return { algorithm: rule.SSEAlgorithm, kmsKeyId: rule.KMSMasterKeyID };
}

export function storeObject(
  bucket: Bucket,
  key: string,
  body: Buffer,
  time: number,
  options: {
    contentType?: string;
    contentEncoding?: string;
    metadata?: Record<string, string>;
    versionId?: string;
  } = {},
): StoredObject {
  const encryption = defaultObjectEncryption(bucket);
  const object: StoredObject = {
    body,
    etag: `"${md5Hex(body)}"`,
    lastModified: time,
    contentType: options.contentType ?? 'binary/octet-stream',
    contentEncoding: options.contentEncoding,
    metadata: options.metadata ?? {},
    versionId: options.versionId,
    serverSideEncryption: encryption.algorithm,
    kmsKeyId: encryption.kmsKeyId,
  };
  bucket.objects.set(key, object);
  return object;
}
