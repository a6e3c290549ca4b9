import {
  AWS_PARTITION,
  BucketState,
  KmsKeyFacts,
  LineageSpec,
  Probe,
  TrailState,
  cloudTrailKeyPolicyStatement,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  DESIRED_OWNERSHIP,
  DESIRED_PUBLIC_ACCESS_BLOCK,
  desiredBucketEncryption,
  desiredBucketPolicy,
  desiredEventSelectors,
  desiredInsightTypes,
  desiredLifecycleRule,
  desiredTags,
  specTrailArn,
} from '../desiredState';
import { LiveState } from '../planTypes';

const ok = <T>(value: T) => ({ ok: true as const, value });

export function missingBucket(name: string): BucketState {
  return {
    name,
    exists: ok(false),
    region: { ok: false, error: 'no bucket', code: 'NoSuchBucket' },
    policy: ok(null),
    encryption: ok(null),
    publicAccessBlock: ok(null),
    ownership: ok(null),
    versioning: ok(null),
    lifecycle: ok(null),
    tags: ok(null),
  };
}

export const KMS_KEY_UUID = '6f1c2a9e-4b7d-4e2a-9c3f-8d5e7a1b2c3d';

/** The spec's KMS key, enabled, symmetric, with the policy CloudTrail needs. */
export function usableKmsKey(spec: LineageSpec): KmsKeyFacts {
  return {
    reference: spec.kmsKeyId ?? KMS_KEY_UUID,
    exists: true,
    arn: `arn:${AWS_PARTITION}:kms:${spec.region}:${spec.accountId}:key/${KMS_KEY_UUID}`,
    keyState: 'Enabled',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    policy: ok({
      Version: '2012-10-17',
      Statement: [
        cloudTrailKeyPolicyStatement({
          partition: AWS_PARTITION,
          accountId: spec.accountId,
          trailArn: specTrailArn(spec),
        }),
      ],
    }),
  };
}

function kmsKeyOf(spec: LineageSpec): { kmsKey?: Probe<KmsKeyFacts> } {
  return spec.kmsKeyId ? { kmsKey: ok(usableKmsKey(spec)) } : {};
}

function canaryTableOf(
  spec: LineageSpec,
  exists: boolean,
): { canaryTable?: Probe<boolean> } {
  return spec.canary ? { canaryTable: ok(exists) } : {};
}

/** An account with neither trail nor bucket (nor canary table). */
export function emptyLive(spec: LineageSpec): LiveState {
  return {
    trail: ok(null),
    bucket: missingBucket(spec.bucketName),
    ...kmsKeyOf(spec),
    ...canaryTableOf(spec, false),
  };
}

/** What a successful apply of `spec` leaves behind. */
export function convergedLive(spec: LineageSpec): LiveState {
  return {
    trail: ok(convergedTrail(spec)),
    bucket: {
      name: spec.bucketName,
      exists: ok(true),
      region: ok(spec.region),
      policy: ok(desiredBucketPolicy(spec)),
      encryption: ok(desiredBucketEncryption(spec)),
      publicAccessBlock: ok({ ...DESIRED_PUBLIC_ACCESS_BLOCK }),
      ownership: ok(DESIRED_OWNERSHIP),
      versioning: ok('Enabled'),
      lifecycle: ok([desiredLifecycleRule(spec)]),
      tags: ok(desiredTags(spec)),
    },
    ...kmsKeyOf(spec),
    ...canaryTableOf(spec, true),
  };
}

export function convergedTrail(spec: LineageSpec): TrailState {
  return {
    trail: {
      name: spec.trailName,
      arn: specTrailArn(spec),
      accountId: spec.accountId,
      homeRegion: spec.region,
      s3BucketName: spec.bucketName,
      ...(spec.s3KeyPrefix ? { s3KeyPrefix: spec.s3KeyPrefix } : {}),
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      isOrganizationTrail: false,
      logFileValidationEnabled: true,
      ...(spec.kmsKeyId ? { kmsKeyId: spec.kmsKeyId } : {}),
      hasCustomEventSelectors: true,
      hasInsightSelectors: spec.insights,
    },
    observedFrom: { accountId: spec.accountId, region: spec.region },
    status: ok({ isLogging: true }),
    eventSelectors: ok({ advanced: desiredEventSelectors(spec) }),
    insightTypes: ok(desiredInsightTypes(spec)),
    tags: ok(desiredTags(spec)),
  };
}

type Patch<T> = { [K in keyof T]?: T[K] };

/** A copy of `live` with parts of the trail and bucket replaced. */
export function withLive(
  live: LiveState,
  patch: {
    trail?: Patch<TrailState>;
    description?: Patch<TrailState['trail']>;
    bucket?: Patch<BucketState>;
  },
): LiveState {
  const trail = live.trail.ok && live.trail.value;
  return {
    trail: trail
      ? ok({
          ...trail,
          ...patch.trail,
          trail: { ...trail.trail, ...patch.description },
        })
      : live.trail,
    bucket: { ...live.bucket, ...patch.bucket },
    ...(live.kmsKey ? { kmsKey: live.kmsKey } : {}),
  };
}
