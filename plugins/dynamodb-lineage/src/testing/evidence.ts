/*
 * What AWS would describe for the demo trails, judged by the common
 * package's own checks and status rules, the way a refresh judges them: the
 * check texts, statuses and reasons the UI tests see are the ones the backend
 * sends. Tests only.
 */
import {
  DEFAULT_FIRST_DELIVERY_WINDOW_MINUTES,
  canaryTableArn,
  cloudTrailBucketPolicyStatements,
  cloudTrailKeyPolicyStatement,
  deriveAccountRegionStatus,
  deriveTrailStatus,
  pendingFirstDelivery,
  runChecks,
} from '@lineage/plugin-dynamodb-lineage-common';
import type {
  AccountRegionStatus,
  CanaryCall,
  AdvancedEventSelector,
  BucketState,
  KmsKeyFacts,
  PolicyStatement,
  TrailEvidence,
  TrailRef,
} from '@lineage/plugin-dynamodb-lineage-common';

/** How a demo trail differs from a hardened one. */
export interface TrailSetup {
  trail: TrailRef;
  owner: string;
  now: Date;
  /** Minutes since the last delivery (and the newest log object). */
  deliveredMinutesAgo: number;
  /** Encrypted with a customer managed key. Default true. */
  kms?: boolean;
  /** Advanced selectors; default: DynamoDB data events of every table. */
  selectors?: AdvancedEventSelector[];
  logFileValidation?: boolean;
  /** Block Public Access on the bucket. Default true. */
  blockPublicAccess?: boolean;
  /** The bucket policy's statements; default: the hardened three. */
  bucketPolicy?: PolicyStatement[];
  /** The canary table exists and is read every refresh. Default true. */
  canary?: boolean;
}

const DYNAMODB_SELECTORS: AdvancedEventSelector[] = [
  {
    Name: 'DynamoDB data events',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
    ],
  },
];

/** Selectors of an S3 audit trail: no DynamoDB data event. */
export const S3_ONLY_SELECTORS: AdvancedEventSelector[] = [
  {
    Name: 'S3 object events',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    ],
  },
];

function ago(now: Date, minutes: number): string {
  return new Date(now.getTime() - minutes * 60_000).toISOString();
}

function kmsKeyOf(trail: TrailRef): KmsKeyFacts {
  const arn = `arn:aws:kms:${trail.homeRegion}:${trail.accountId}:key/0a1b2c3d-0000-4000-8000-${trail.accountId}`;
  return {
    reference: arn,
    exists: true,
    arn,
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
            Principal: { AWS: `arn:aws:iam::${trail.accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          cloudTrailKeyPolicyStatement({
            partition: 'aws',
            accountId: trail.accountId,
            trailArn: trail.arn,
          }),
        ],
      },
    },
  };
}

function bucketOf(setup: TrailSetup, key?: KmsKeyFacts): BucketState {
  const { trail } = setup;
  return {
    name: trail.bucket,
    exists: { ok: true, value: true },
    region: { ok: true, value: trail.homeRegion },
    policy: {
      ok: true,
      value: {
        Version: '2012-10-17',
        Statement:
          setup.bucketPolicy ??
          cloudTrailBucketPolicyStatements({
            bucket: trail.bucket,
            partition: 'aws',
            accountId: trail.accountId,
            trailArn: trail.arn,
          }),
      },
    },
    encryption: {
      ok: true,
      value: key
        ? { algorithm: 'aws:kms', kmsKeyId: key.arn }
        : { algorithm: 'AES256' },
    },
    publicAccessBlock: {
      ok: true,
      value:
        setup.blockPublicAccess === false
          ? null
          : {
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

/**
 * A canary call every 5 minutes for the last 3 hours; each one is found in the
 * logs 4 minutes after it was made, unless delivery stopped before then.
 */
function canaryCalls(now: Date, deliveredMinutesAgo: number): CanaryCall[] {
  const calls: CanaryCall[] = [];
  for (let minutes = 0; minutes <= 180; minutes += 5) {
    const calledAt = ago(now, minutes);
    const arrivedMinutesAgo = minutes - 4;
    calls.push({
      requestId: `canary-${minutes}`,
      calledAt,
      ...(arrivedMinutesAgo >= deliveredMinutesAgo
        ? { eventTime: calledAt, deliveredAt: ago(now, arrivedMinutesAgo) }
        : {}),
    });
  }
  return calls;
}

/** A trail as CloudTrail, S3 and KMS describe it, and what its logs show. */
export function trailEvidence(setup: TrailSetup): TrailEvidence {
  const { trail, now, deliveredMinutesAgo } = setup;
  const key = setup.kms === false ? undefined : kmsKeyOf(trail);
  const delivered = ago(now, deliveredMinutesAgo);
  const day = delivered.slice(0, 10).replace(/-/g, '/');
  return {
    trail: {
      trail: {
        name: trail.name,
        arn: trail.arn,
        accountId: trail.accountId,
        homeRegion: trail.homeRegion,
        s3BucketName: trail.bucket,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        isOrganizationTrail: false,
        logFileValidationEnabled: setup.logFileValidation ?? true,
        ...(key ? { kmsKeyId: key.arn } : {}),
        hasCustomEventSelectors: true,
        hasInsightSelectors: false,
      },
      observedFrom: { accountId: trail.accountId, region: trail.homeRegion },
      status: {
        ok: true,
        value: {
          isLogging: true,
          latestDeliveryTime: delivered,
          startLoggingTime: ago(now, 60 * 24 * 30),
        },
      },
      eventSelectors: {
        ok: true,
        value: { advanced: setup.selectors ?? DYNAMODB_SELECTORS },
      },
      insightTypes: { ok: true, value: [] },
      tags: { ok: true, value: { 'backstage:owner': setup.owner } },
    },
    bucket: bucketOf(setup, key),
    ...(key ? { kmsKey: { ok: true, value: key } } : {}),
    // The only trail that logs its account-region.
    otherTrails: [],
    // With validation on, the last six hours of digests verify.
    ...(setup.logFileValidation === false
      ? {}
      : {
          logIntegrity: {
            status: 'verified' as const,
            from: ago(now, 360),
            to: now.toISOString(),
            digestFiles: 6,
            logFiles: 72,
            newestDigestEnd: ago(now, Math.max(deliveredMinutesAgo, 30)),
          },
        }),
    ...(setup.canary === false
      ? {}
      : {
          canary: {
            ok: true,
            value: {
              tableArn: canaryTableArn(trail.accountId, trail.homeRegion),
              enabled: true,
              calls: canaryCalls(now, deliveredMinutesAgo),
            },
          },
        }),
    signals: {
      logObjects: {
        ok: true,
        value: {
          newestKey: `AWSLogs/${trail.accountId}/CloudTrail/${trail.homeRegion}/${day}/${trail.accountId}_CloudTrail_${trail.homeRegion}_demo.json.gz`,
          newestLastModified: delivered,
          prefixesListed: [
            `AWSLogs/${trail.accountId}/CloudTrail/${trail.homeRegion}/${day}/`,
          ],
        },
      },
      dynamodbEvents: {
        ok: true,
        value: {
          filesRead: 3,
          bytesRead: 48_211,
          dynamodbEvents: 42,
          newestEventTime: ago(now, deliveredMinutesAgo + 5),
          eventsPerDay: { [delivered.slice(0, 10)]: 42 },
        },
      },
    },
  };
}

/**
 * An account-region covered by one trail, judged as a refresh judges it:
 * every check, the trail's status, then the account-region's status and
 * reason.
 */
export function judgedAccountRegion(
  setup: TrailSetup,
  target: { region: string; accountEntityRef?: string; tableArns?: string[] },
): AccountRegionStatus {
  const { trail, now } = setup;
  const evidence = trailEvidence(setup);
  const scope = {
    accountId: trail.accountId,
    region: target.region,
    ...(target.tableArns ? { tableArns: target.tableArns } : {}),
  };
  const checks = runChecks(evidence, { scope, now });
  const status = evidence.trail.status;
  const verdict = deriveTrailStatus(
    checks,
    status.ok
      ? pendingFirstDelivery(
          status.value,
          now,
          DEFAULT_FIRST_DELIVERY_WINDOW_MINUTES,
        )
      : undefined,
  );
  const latestDeliveryTime = status.ok
    ? status.value.latestDeliveryTime
    : undefined;
  const accountRegion = deriveAccountRegionStatus(
    trail.accountId,
    target.region,
    [
      {
        trail,
        status: verdict.status,
        reason: verdict.reason,
        latestDeliveryTime,
      },
    ],
  );
  return {
    accountId: trail.accountId,
    region: target.region,
    ...(target.accountEntityRef
      ? { accountEntityRef: target.accountEntityRef }
      : {}),
    status: accountRegion.status,
    coveringTrail: trail,
    checks,
    ...(latestDeliveryTime ? { latestDeliveryTime } : {}),
    reason: accountRegion.reason,
    checkedAt: ago(now, 1),
  };
}

/** An account-region no trail reaches, as a refresh reports it. */
export function uncoveredAccountRegion(target: {
  accountId: string;
  region: string;
  accountEntityRef?: string;
  now: Date;
}): AccountRegionStatus {
  const verdict = deriveAccountRegionStatus(
    target.accountId,
    target.region,
    [],
  );
  return {
    accountId: target.accountId,
    region: target.region,
    ...(target.accountEntityRef
      ? { accountEntityRef: target.accountEntityRef }
      : {}),
    status: verdict.status,
    checks: [],
    reason: verdict.reason,
    checkedAt: ago(target.now, 1),
  };
}
