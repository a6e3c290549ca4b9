import { md5Hex, uuid } from '../../ids';
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

/**
 * An entry of a key's version history that is not its current object: a
 * noncurrent version, or a delete marker (no `object`). `versionId` undefined
 * is S3's `null` version.
 */
export interface PastVersion {
  versionId?: string;
  lastModified: number;
  object?: StoredObject;
}

/** A multipart upload in progress. */
export interface MultipartUpload {
  key: string;
  initiated: number;
  contentType?: string;
  metadata: Record<string, string>;
  parts: Map<number, { body: Buffer; etag: string }>;
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
  /** Current objects, the ones listings show. */
  objects: KeyIndex<StoredObject>;
  /** Per key, oldest first: noncurrent versions and delete markers. */
  history: Map<string, PastVersion[]>;
  uploads: Map<string, MultipartUpload>;
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
    history: new Map(),
    uploads: new Map(),
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

/** A fresh version id; S3's are 32 URL-safe characters. */
export const newVersionId = (): string => uuid().replace(/-/g, '');

/**
 * Makes room for a new latest version of `key`, as S3 versioning does: with
 * versioning on (or suspended) the current object becomes noncurrent, except
 * that a new `null` version (unversioned or suspended bucket) replaces the old
 * `null` version wherever it is.
 */
function retireCurrent(
  bucket: Bucket,
  key: string,
  newVersionIsNull: boolean,
): void {
  const current = bucket.objects.get(key);
  let past = bucket.history.get(key) ?? [];
  if (newVersionIsNull) past = past.filter(v => v.versionId !== undefined);
  if (
    current &&
    bucket.versioning !== undefined &&
    !(newVersionIsNull && current.versionId === undefined)
  ) {
    past.push({
      versionId: current.versionId,
      lastModified: current.lastModified,
      object: current,
    });
  }
  if (past.length > 0) bucket.history.set(key, past);
  else bucket.history.delete(key);
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
    /** Multipart uploads' ETag (MD5 of the part MD5s, `-N`). */
    etag?: string;
  } = {},
): StoredObject {
  const encryption = defaultObjectEncryption(bucket);
  const versionId =
    options.versionId ??
    (bucket.versioning === 'Enabled' ? newVersionId() : undefined);
  const object: StoredObject = {
    body,
    etag: options.etag ?? `"${md5Hex(body)}"`,
    lastModified: time,
    contentType: options.contentType ?? 'binary/octet-stream',
    contentEncoding: options.contentEncoding,
    metadata: options.metadata ?? {},
    versionId,
    serverSideEncryption: encryption.algorithm,
    kmsKeyId: encryption.kmsKeyId,
  };
  retireCurrent(bucket, key, versionId === undefined);
  bucket.objects.set(key, object);
  return object;
}

/**
 * DeleteObject without a version id. Unversioned buckets lose the object; a
 * versioned (or suspended) bucket keeps it as noncurrent and gains a delete
 * marker, which is returned.
 */
export function deleteCurrent(
  bucket: Bucket,
  key: string,
  time: number,
): PastVersion | undefined {
  if (bucket.versioning === undefined) {
    bucket.objects.delete(key);
    return undefined;
  }
  const marker: PastVersion = {
    versionId: bucket.versioning === 'Enabled' ? newVersionId() : undefined,
    lastModified: time,
  };
  retireCurrent(bucket, key, marker.versionId === undefined);
  bucket.objects.delete(key);
  bucket.history.set(key, [...(bucket.history.get(key) ?? []), marker]);
  return marker;
}

/** The version of `key` with this id (`null` is the null version), current or past. */
export function findVersion(
  bucket: Bucket,
  key: string,
  versionId: string,
): PastVersion | undefined {
  const id = versionId === 'null' ? undefined : versionId;
  const current = bucket.objects.get(key);
  if (current && current.versionId === id) {
    return {
      versionId: id,
      lastModified: current.lastModified,
      object: current,
    };
  }
  return bucket.history.get(key)?.find(v => v.versionId === id);
}

/**
 * Permanently deletes one version. When the latest version goes, the newest
 * remaining one becomes current again (unless it is a delete marker).
 */
export function deleteVersion(
  bucket: Bucket,
  key: string,
  versionId: string,
): PastVersion | undefined {
  const found = findVersion(bucket, key, versionId);
  if (!found) return undefined;
  const past = bucket.history.get(key) ?? [];
  const remaining = past.filter(v => v !== found);
  if (bucket.objects.get(key) === found.object && found.object) {
    bucket.objects.delete(key);
  }
  if (!bucket.objects.has(key)) {
    const newest = remaining[remaining.length - 1];
    if (newest?.object) {
      remaining.pop();
      bucket.objects.set(key, newest.object);
    }
  }
  if (remaining.length > 0) bucket.history.set(key, remaining);
  else bucket.history.delete(key);
  return found;
}

/** Whether the bucket holds anything at all: objects, noncurrent versions or delete markers. */
export const isEmptyBucket = (bucket: Bucket): boolean =>
  bucket.objects.size === 0 && bucket.history.size === 0;
