import type { CanaryCall, CanaryEvidence } from '../../canary';
import { cloudTrailKeyPolicyStatement } from '../../kmsKeyPolicy';
import type {
  BucketState,
  KmsKeyFacts,
  PolicyDocument,
  TrailEvidence,
  TrailState,
} from '../../types';
import { CheckId, runCheck } from '../definitions';
import type { CheckContext } from '../judging';

/** Test evidence: the demo's healthy payments trail, as AWS would describe it. */
export const NOW = new Date('2025-06-01T12:00:00Z');
export const minutesAgo = (minutes: number) =>
  new Date(NOW.getTime() - minutes * 60_000).toISOString();

export const TRAIL_ARN =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';
export const BUCKET = 'dynamodb-lineage-111111111111';

export const healthyPolicy = (): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AWSCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${BUCKET}`,
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
    },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/111111111111/*`,
      Condition: {
        StringEquals: {
          's3:x-amz-acl': 'bucket-owner-full-control',
          'aws:SourceArn': TRAIL_ARN,
        },
      },
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

export function healthyTrail(): TrailState {
  return {
    trail: {
      name: 'dynamodb-lineage',
      arn: TRAIL_ARN,
      accountId: '111111111111',
      homeRegion: 'us-east-1',
      s3BucketName: BUCKET,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      isOrganizationTrail: false,
      logFileValidationEnabled: true,
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d',
      hasCustomEventSelectors: true,
      hasInsightSelectors: false,
    },
    observedFrom: { accountId: '111111111111', region: 'us-east-1' },
    status: {
      ok: true,
      value: {
        isLogging: true,
        latestDeliveryTime: minutesAgo(4),
        startLoggingTime: '2025-05-01T08:00:00.000Z',
      },
    },
    eventSelectors: {
      ok: true,
      value: {
        advanced: [
          {
            Name: 'DynamoDB data events',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
            ],
          },
        ],
      },
    },
    insightTypes: { ok: true, value: [] },
    tags: {
      ok: true,
      value: { 'backstage:owner': 'group:default/team-payments' },
    },
  };
}

export function healthyBucket(): BucketState {
  return {
    name: BUCKET,
    exists: { ok: true, value: true },
    region: { ok: true, value: 'us-east-1' },
    policy: { ok: true, value: healthyPolicy() },
    encryption: {
      ok: true,
      value: {
        algorithm: 'aws:kms',
        kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d',
      },
    },
    publicAccessBlock: {
      ok: true,
      value: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    },
    ownership: { ok: true, value: 'BucketOwnerEnforced' },
    versioning: { ok: true, value: 'Enabled' },
    lifecycle: {
      ok: true,
      value: [
        {
          ID: 'cloudtrail-logs-to-glacier',
          Status: 'Enabled',
          Filter: { Prefix: '' },
          Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
          NoncurrentVersionTransitions: [
            { NoncurrentDays: 90, StorageClass: 'GLACIER' },
          ],
        },
      ],
    },
    tags: { ok: true, value: null },
  };
}

export const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d';

/** The trail's key: Enabled, symmetric, with the statement CloudTrail needs. */
export function healthyKmsKey(): KmsKeyFacts {
  return {
    reference: KMS_KEY_ARN,
    exists: true,
    arn: KMS_KEY_ARN,
    keyState: 'Enabled',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    policy: {
      ok: true,
      value: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:root' },
            Action: 'kms:*',
            Resource: '*',
          },
          cloudTrailKeyPolicyStatement({
            partition: 'aws',
            accountId: '111111111111',
            trailArn: TRAIL_ARN,
          }),
        ],
      },
    },
  };
}

export function healthyEvidence(): TrailEvidence {
  return {
    trail: healthyTrail(),
    bucket: healthyBucket(),
    kmsKey: { ok: true, value: healthyKmsKey() },
    logIntegrity: {
      status: 'verified',
      from: minutesAgo(360),
      to: NOW.toISOString(),
      digestFiles: 6,
      logFiles: 72,
      newestDigestEnd: minutesAgo(30),
    },
    signals: {
      logObjects: {
        ok: true,
        value: {
          newestKey:
            'AWSLogs/111111111111/CloudTrail/us-east-1/2025/06/01/111111111111_CloudTrail_us-east-1_20250601T1155Z_abc.json.gz',
          newestLastModified: minutesAgo(5),
          prefixesListed: [
            'AWSLogs/111111111111/CloudTrail/us-east-1/2025/06/01/',
            'AWSLogs/111111111111/CloudTrail/us-east-1/2025/05/31/',
          ],
        },
      },
      dynamodbEvents: {
        ok: true,
        value: {
          filesRead: 3,
          bytesRead: 48_211,
          dynamodbEvents: 42,
          newestEventTime: minutesAgo(9),
          eventsPerDay: { '2025-06-01': 42 },
        },
      },
    },
    canary: { ok: true, value: healthyCanary() },
    otherTrails: [],
  };
}

export const CANARY_TABLE_ARN =
  'arn:aws:dynamodb:us-east-1:111111111111:table/dynamodb-lineage-canary';

/** A call every 5 minutes for the last 3 hours, each delivered 4 minutes after it, the newest 3 not yet. */
export function healthyCanary(): CanaryEvidence {
  const calls: CanaryCall[] = [];
  for (let minutes = 0; minutes <= 180; minutes += 5) {
    const calledAt = minutesAgo(minutes);
    calls.push({
      requestId: `R${minutes}`,
      calledAt,
      ...(minutes >= 15
        ? { eventTime: calledAt, deliveredAt: minutesAgo(minutes - 4) }
        : {}),
    });
  }
  return { tableArn: CANARY_TABLE_ARN, enabled: true, calls };
}

export const context = (
  overrides: Partial<CheckContext> = {},
): CheckContext => ({
  scope: { accountId: '111111111111', region: 'us-east-1' },
  thresholds: { warnAfterMinutes: 30, failAfterMinutes: 120 },
  now: NOW,
  ...overrides,
});

export const accessDenied = {
  ok: false as const,
  error: 'User is not authorized to perform this action',
  code: 'AccessDenied',
};

/** One check, run as `runChecks` runs it, with the test context unless given another. */
export const checkOf =
  (id: CheckId) =>
  (evidence: TrailEvidence, checkContext: CheckContext = context()) =>
    runCheck(id, evidence, checkContext);

/** The raw value a result shows for `label` in its details. */
export const detailOf = (
  result: { details?: { label: string; value: string }[] },
  label: string,
) => result.details?.find(d => d.label === label)?.value;
