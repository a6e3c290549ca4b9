import {
  BucketState,
  FieldChange,
  LineageSpec,
  TAG_CREATED_BY,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  DESIRED_OWNERSHIP,
  DESIRED_PUBLIC_ACCESS_BLOCK,
  desiredBucketEncryption,
  desiredBucketPolicy,
  desiredLifecycleRule,
  desiredTags,
} from './desiredState';
import { sameKmsKey } from './kmsKeys';
import { mergeLifecycle } from './lifecycleMerge';
import { logRoot } from './logKeys';
import { ExecutableChange } from './planTypes';
import { mergeBucketPolicy } from './policyMerge';

/** Values of probes the caller already checked are answered. */
export interface KnownBucket {
  exists: boolean;
  policy: Exclude<BucketState['policy'], { ok: false }>['value'];
  encryption: Exclude<BucketState['encryption'], { ok: false }>['value'];
  publicAccessBlock: Exclude<
    BucketState['publicAccessBlock'],
    { ok: false }
  >['value'];
  ownership: Exclude<BucketState['ownership'], { ok: false }>['value'];
  versioning: Exclude<BucketState['versioning'], { ok: false }>['value'];
  lifecycle: Exclude<BucketState['lifecycle'], { ok: false }>['value'];
  tags: Exclude<BucketState['tags'], { ok: false }>['value'];
}

export interface PlanPart {
  changes: ExecutableChange[];
  notes: string[];
}

/** Bucket, policy, encryption, public access, ownership, versioning, lifecycle. Tags come later. */
export function planBucket(
  spec: LineageSpec,
  live: KnownBucket,
  trailArn: string,
  kmsKeyArn?: string,
): PlanPart {
  const Bucket = spec.bucketName;
  const changes: ExecutableChange[] = [];
  const notes: string[] = [];

  if (!live.exists) {
    changes.push({
      key: 'bucket:create',
      resource: 'bucket',
      action: 'create',
      summary: `Create S3 bucket ${Bucket} in ${spec.region}`,
      changes: [
        {
          field: 'bucket',
          desired: Bucket,
          reason: 'the trail needs a bucket to deliver its logs to',
        },
      ],
      request: {
        operation: 'CreateBucket',
        input: {
          Bucket,
          // us-east-1 is S3's default location and refuses an explicit constraint.
          ...(spec.region === 'us-east-1'
            ? {}
            : {
                CreateBucketConfiguration: {
                  LocationConstraint: spec.region as never,
                },
              }),
          ObjectOwnership: DESIRED_OWNERSHIP,
        },
      },
    });
  }

  const policy = mergeBucketPolicy(
    live.policy,
    desiredBucketPolicy(spec, trailArn).Statement,
  );
  notes.push(...policy.notes);
  if (policy.differences.length) {
    changes.push({
      key: 'bucket-policy:update',
      resource: 'bucket-policy',
      action: live.policy ? 'update' : 'create',
      summary: `Write the CloudTrail delivery policy of ${Bucket}, scoped to ${trailArn}, TLS only`,
      changes: policy.differences.map(d => ({
        field: `Policy.Statement[${d.sid}]`,
        ...(d.current ? { current: d.current } : {}),
        desired: d.desired,
        reason: d.reason,
      })),
      request: {
        operation: 'PutBucketPolicy',
        input: { Bucket, Policy: JSON.stringify(policy.merged) },
      },
    });
  }

  const encryption = planEncryption(spec, live, notes, kmsKeyArn);
  if (encryption) changes.push(encryption);

  const bpa = live.publicAccessBlock;
  const bpaChanges: FieldChange[] = (
    Object.keys(
      DESIRED_PUBLIC_ACCESS_BLOCK,
    ) as (keyof typeof DESIRED_PUBLIC_ACCESS_BLOCK)[]
  )
    .filter(flag => bpa?.[flag] !== true)
    .map(flag => ({
      field: `PublicAccessBlock.${flag}`,
      current: bpa?.[flag] ?? null,
      desired: true,
      reason:
        'CloudTrail logs are sensitive: all four Block Public Access flags on (CloudTrail.6)',
    }));
  if (bpaChanges.length) {
    changes.push({
      key: 'bucket-public-access-block:update',
      resource: 'bucket-public-access-block',
      action: bpa ? 'update' : 'create',
      summary: `Turn on all four Block Public Access flags of ${Bucket}`,
      changes: bpaChanges,
      request: {
        operation: 'PutPublicAccessBlock',
        input: {
          Bucket,
          PublicAccessBlockConfiguration: { ...DESIRED_PUBLIC_ACCESS_BLOCK },
        },
      },
    });
  }

  if (live.ownership !== DESIRED_OWNERSHIP) {
    changes.push({
      key: 'bucket-ownership:update',
      resource: 'bucket-ownership',
      action: live.ownership ? 'update' : 'create',
      summary: `Set object ownership of ${Bucket} to ${DESIRED_OWNERSHIP} (ACLs off)`,
      changes: [
        {
          field: 'OwnershipControls.ObjectOwnership',
          current: live.ownership,
          desired: DESIRED_OWNERSHIP,
          reason:
            'the bucket owner owns every log object; ACLs cannot grant access',
        },
      ],
      request: {
        operation: 'PutBucketOwnershipControls',
        input: {
          Bucket,
          OwnershipControls: {
            Rules: [{ ObjectOwnership: DESIRED_OWNERSHIP }],
          },
        },
      },
    });
  }

  if (live.versioning !== 'Enabled') {
    changes.push({
      key: 'bucket-versioning:update',
      resource: 'bucket-versioning',
      action: live.versioning ? 'update' : 'create',
      summary: `Enable versioning of ${Bucket}`,
      changes: [
        {
          field: 'Versioning.Status',
          current: live.versioning,
          desired: 'Enabled',
          reason:
            'versions protect the evidence against overwrite and deletion',
        },
      ],
      request: {
        operation: 'PutBucketVersioning',
        input: { Bucket, VersioningConfiguration: { Status: 'Enabled' } },
      },
    });
  }

  const desiredRule = desiredLifecycleRule(spec);
  const lifecycle = mergeLifecycle(live.lifecycle, desiredRule, {
    allowWeakening: spec.allowWeakening,
    logPrefix: logRoot(spec),
  });
  if (lifecycle.keptRule && lifecycle.keptRule.ID !== desiredRule.ID) {
    notes.push(
      `Kept lifecycle rule ${
        lifecycle.keptRule.ID ?? '(unnamed)'
      } of ${Bucket}: it archives logs at least as soon and keeps them at least as long as asked`,
    );
  } else if (lifecycle.keptRule) {
    notes.push(
      `Kept the stricter existing ${desiredRule.ID} rule of ${Bucket}; set allowWeakening to replace it with the spec's`,
    );
  }
  if (lifecycle.rules) {
    changes.push({
      key: 'bucket-lifecycle:update',
      resource: 'bucket-lifecycle',
      action: live.lifecycle ? 'update' : 'create',
      summary: `Archive current and noncurrent log versions of ${Bucket} to GLACIER after ${
        spec.lifecycle.glacierAfterDays
      } days${
        spec.lifecycle.expireAfterDays
          ? `, expire after ${spec.lifecycle.expireAfterDays} days`
          : ''
      }`,
      changes: [
        {
          field: `LifecycleConfiguration.Rules[${desiredRule.ID}]`,
          current: live.lifecycle?.find(r => r.ID === desiredRule.ID) ?? null,
          desired: desiredRule,
          reason: lifecycle.reason ?? 'lifecycle differs from the spec',
        },
      ],
      request: {
        operation: 'PutBucketLifecycleConfiguration',
        input: {
          Bucket,
          LifecycleConfiguration: { Rules: lifecycle.rules as never },
        },
      },
    });
  }

  return { changes, notes };
}

/** The encryption change apply makes, or none when the bucket's is right or stricter and kept. */
export function planEncryption(
  spec: LineageSpec,
  live: KnownBucket,
  notes: string[],
  /** The key ARN KMS gave for the spec's key, when it answered. */
  kmsKeyArn?: string,
): ExecutableChange | undefined {
  const desired = desiredBucketEncryption(spec);
  const current = live.encryption;
  const currentIsKms = current?.algorithm.startsWith('aws:kms') ?? false;
  let reason: string | undefined;

  if (!current) {
    reason = 'the bucket has no default encryption';
  } else if (desired.algorithm === 'AES256') {
    if (currentIsKms && !spec.allowWeakening) {
      notes.push(
        `Kept ${current.algorithm} encryption of ${spec.bucketName}${
          current.kmsKeyId ? ` with ${current.kmsKeyId}` : ''
        }: the spec asks SSE-S3, which would weaken it; set allowWeakening to replace it`,
      );
    } else if (current.algorithm !== 'AES256') {
      reason = 'the spec asks SSE-S3 and allows replacing the stricter setting';
    }
  } else {
    const same =
      currentIsKms &&
      sameKmsKey(current.kmsKeyId, desired.kmsKeyId!, kmsKeyArn);
    if (same === 'unverifiable') {
      notes.push(
        `Assumed ${desired.kmsKeyId} is the key ${current.kmsKeyId} already encrypting ${spec.bucketName}: aliases are not resolved`,
      );
    } else if (!same) {
      reason = currentIsKms
        ? `the bucket is encrypted with another KMS key (${current.kmsKeyId})`
        : 'CIS 3.5: encrypt CloudTrail logs with the given KMS key';
    }
  }
  if (!reason) return undefined;
  return {
    key: 'bucket-encryption:update',
    resource: 'bucket-encryption',
    action: current ? 'update' : 'create',
    summary: `Encrypt ${spec.bucketName} by default with ${
      desired.kmsKeyId ? `SSE-KMS (${desired.kmsKeyId})` : 'SSE-S3'
    }`,
    changes: [{ field: 'ServerSideEncryption', current, desired, reason }],
    request: {
      operation: 'PutBucketEncryption',
      input: {
        Bucket: spec.bucketName,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: desired.algorithm as 'AES256' | 'aws:kms',
                ...(desired.kmsKeyId
                  ? { KMSMasterKeyID: desired.kmsKeyId }
                  : {}),
              },
              ...(desired.bucketKeyEnabled ? { BucketKeyEnabled: true } : {}),
            },
          ],
        },
      },
    },
  };
}

/** Bucket tags: PutBucketTagging replaces the set, so send the live tags with ours. */
export function planBucketTags(
  spec: LineageSpec,
  live: KnownBucket,
): ExecutableChange | undefined {
  const current = live.tags ?? {};
  const { merged, changes } = mergeTags(current, desiredTags(spec));
  if (!changes.length) return undefined;
  return {
    key: 'bucket-tags:update',
    resource: 'bucket-tags',
    action: live.tags ? 'update' : 'create',
    summary: `Tag ${spec.bucketName} with its owner and manager`,
    changes,
    request: {
      operation: 'PutBucketTagging',
      input: {
        Bucket: spec.bucketName,
        Tagging: {
          TagSet: Object.entries(merged).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        },
      },
    },
  };
}

/** The creator is history: an existing created-by tag is not overwritten. */
export function mergeTags(
  current: Record<string, string>,
  desired: Record<string, string>,
): { merged: Record<string, string>; changes: FieldChange[] } {
  const merged = { ...current };
  const changes: FieldChange[] = [];
  for (const [key, value] of Object.entries(desired)) {
    if (current[key] === value) continue;
    if (key === TAG_CREATED_BY && current[key]) continue;
    merged[key] = value;
    changes.push({
      field: `Tags.${key}`,
      ...(current[key] !== undefined ? { current: current[key] } : {}),
      desired: value,
      reason: 'ownership for the catalog and for cost allocation',
    });
  }
  return { merged, changes };
}
