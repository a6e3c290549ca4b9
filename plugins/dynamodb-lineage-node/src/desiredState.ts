import {
  AWS_PARTITION,
  AdvancedEventSelector,
  AdvancedFieldSelector,
  BucketEncryption,
  LifecycleRule,
  LineageSpec,
  MANAGED_BY_VALUE,
  PolicyDocument,
  PublicAccessBlock,
  bucketArnOf,
  canaryTableArn,
  cloudTrailBucketPolicyStatements,
  TAG_CREATED_BY,
  TAG_MANAGED_BY,
  TAG_OWNER,
} from '@lineage/plugin-dynamodb-lineage-common';
import { trailArnOf } from './arns';

/*
 * The hardened DynamoDB-lineage trail of a spec, as the documents
 * AWS takes. apply sends these, plan compares against them, Terraform renders them.
 */

/** Names of the advanced selectors we own; a shared trail's other selectors are kept. */
export const SELECTOR_NAME_TABLES = 'dynamodb-lineage: DynamoDB tables';
export const SELECTOR_NAME_STREAMS = 'dynamodb-lineage: DynamoDB streams';
export const SELECTOR_NAME_CANARY_READS =
  'dynamodb-lineage: canary reads (proof of capture)';
export const SELECTOR_NAME_MANAGEMENT =
  'dynamodb-lineage: management events for Insights';
export const OUR_SELECTOR_NAME_PREFIX = 'dynamodb-lineage:';

export const LIFECYCLE_RULE_ID = 'dynamodb-lineage-archive';
export const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'];
export const DESIRED_OWNERSHIP = 'BucketOwnerEnforced';
export const DESIRED_PUBLIC_ACCESS_BLOCK: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export function specTrailArn(spec: LineageSpec): string {
  return trailArnOf(spec.accountId, spec.region, spec.trailName);
}

export function specBucketArn(spec: LineageSpec): string {
  return bucketArnOf({
    bucket: spec.bucketName,
    partition: AWS_PARTITION,
  });
}

/**
 * Advanced selectors: basic ones cannot express prefixes or streams, and CloudTrail
 * rejects wildcard table ARNs. Management events stay off on a trail we create, except
 * when Insights are asked for: CloudTrail computes Insights from management events.
 */
export function desiredEventSelectors(
  spec: LineageSpec,
): AdvancedEventSelector[] {
  const management: AdvancedEventSelector[] = spec.insights
    ? [
        {
          Name: SELECTOR_NAME_MANAGEMENT,
          FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
        },
      ]
    : [];
  return [...dynamoDbSelectors(spec), ...management];
}

function dynamoDbSelectors(spec: LineageSpec): AdvancedEventSelector[] {
  const tableArnSelector = tableArnCondition(spec);
  const tables: AdvancedEventSelector = {
    Name: SELECTOR_NAME_TABLES,
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
      ...readOnlyCondition(spec),
      ...(tableArnSelector ? [tableArnSelector] : []),
    ],
  };
  const canaryReads = canaryReadsSelector(spec);
  if (!spec.includeStreams) {
    return [tables, ...canaryReads];
  }
  // Stream ARNs are the table ARN + /stream/<label>; stream calls are all reads,
  // so the read/write filter does not apply to them.
  const streamArnSelector = streamArnCondition(spec);
  const streams: AdvancedEventSelector = {
    Name: SELECTOR_NAME_STREAMS,
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::DynamoDB::Stream'] },
      ...(streamArnSelector ? [streamArnSelector] : []),
    ],
  };
  return [tables, ...canaryReads, streams];
}

/**
 * The canary is a read; a trail that captures writes only gets one more
 * selector, for reads of the canary table alone, so the canary still proves
 * capture. Any other read/write setting captures it already.
 */
function canaryReadsSelector(spec: LineageSpec): AdvancedEventSelector[] {
  if (!spec.canary || spec.readWriteType !== 'WriteOnly') return [];
  return [
    {
      Name: SELECTOR_NAME_CANARY_READS,
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
        { Field: 'readOnly', Equals: ['true'] },
        {
          Field: 'resources.ARN',
          Equals: [canaryTableArn(spec.accountId, spec.region)],
        },
      ],
    },
  ];
}

function readOnlyCondition(spec: LineageSpec): AdvancedFieldSelector[] {
  if (spec.readWriteType === 'ReadOnly') {
    return [{ Field: 'readOnly', Equals: ['true'] }];
  }
  if (spec.readWriteType === 'WriteOnly') {
    return [{ Field: 'readOnly', Equals: ['false'] }];
  }
  return [];
}

function tableArnCondition(
  spec: LineageSpec,
): AdvancedFieldSelector | undefined {
  // The canary is captured whatever the scope: its read proves capture. A
  // write-only trail captures it with a selector of its own instead.
  const canary =
    spec.canary && spec.readWriteType !== 'WriteOnly'
      ? [canaryTableArn(spec.accountId, spec.region)]
      : [];
  switch (spec.scope.mode) {
    case 'tables':
      return {
        Field: 'resources.ARN',
        Equals: unique([...spec.scope.tableArns, ...canary]),
      };
    case 'prefix':
      // A full ARN is its own prefix: one operator keeps the selector valid.
      return {
        Field: 'resources.ARN',
        StartsWith: unique([...spec.scope.prefixes, ...canary]),
      };
    default:
      return undefined;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function streamArnCondition(
  spec: LineageSpec,
): AdvancedFieldSelector | undefined {
  switch (spec.scope.mode) {
    case 'tables':
      return {
        Field: 'resources.ARN',
        StartsWith: spec.scope.tableArns.map(arn => `${arn}/stream/`),
      };
    case 'prefix':
      return { Field: 'resources.ARN', StartsWith: [...spec.scope.prefixes] };
    default:
      return undefined;
  }
}

/**
 * The statements CloudTrail needs, scoped to this trail with `aws:SourceArn`
 * (confused-deputy protection), plus a TLS-only deny: the same document the
 * bucket.policy health check judges against.
 */
export function desiredBucketPolicy(
  spec: LineageSpec,
  trailArn: string = specTrailArn(spec),
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: cloudTrailBucketPolicyStatements({
      bucket: spec.bucketName,
      partition: AWS_PARTITION,
      accountId: spec.accountId,
      trailArn,
      ...(spec.s3KeyPrefix ? { keyPrefix: spec.s3KeyPrefix } : {}),
    }),
  };
}

/** SSE-KMS with the given key (bucket key on, to cut KMS calls), else SSE-S3. */
export function desiredBucketEncryption(spec: LineageSpec): BucketEncryption {
  return spec.kmsKeyId
    ? { algorithm: 'aws:kms', kmsKeyId: spec.kmsKeyId, bucketKeyEnabled: true }
    : { algorithm: 'AES256' };
}

/** Current and noncurrent versions to GLACIER, with the optional expiration. */
export function desiredLifecycleRule(spec: LineageSpec): LifecycleRule {
  const { glacierAfterDays, expireAfterDays } = spec.lifecycle;
  return {
    ID: LIFECYCLE_RULE_ID,
    Status: 'Enabled',
    Filter: { Prefix: '' },
    Transitions: [{ Days: glacierAfterDays, StorageClass: 'GLACIER' }],
    NoncurrentVersionTransitions: [
      { NoncurrentDays: glacierAfterDays, StorageClass: 'GLACIER' },
    ],
    ...(expireAfterDays !== undefined
      ? {
          Expiration: { Days: expireAfterDays },
          NoncurrentVersionExpiration: { NoncurrentDays: expireAfterDays },
        }
      : {}),
  };
}

export function desiredTags(spec: LineageSpec): Record<string, string> {
  return {
    [TAG_OWNER]: spec.owner,
    [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
    ...(spec.createdBy ? { [TAG_CREATED_BY]: spec.createdBy } : {}),
  };
}

export function desiredInsightTypes(spec: LineageSpec): string[] {
  return spec.insights ? [...INSIGHT_TYPES] : [];
}
