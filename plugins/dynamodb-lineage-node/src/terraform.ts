import type { LifecycleRule as S3LifecycleRule } from '@aws-sdk/client-s3';
import {
  AWS_PARTITION,
  AdvancedEventSelector,
  BucketEncryption,
  BucketState,
  CANARY_KEY_ATTRIBUTE,
  CANARY_TABLE_NAME,
  LineageSpec,
  PolicyDocument,
  PolicyStatement,
  cloudTrailBucketPolicyStatements,
  dedicatedKeyPolicy,
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
} from './desiredState';
import { mergeLifecycle } from './lifecycleMerge';
import { specCloudTrailTable } from './forensics/athenaTable';
import { logRoot } from './logKeys';
import { knownBucket } from './plan';
import { KnownBucket, mergeTags, planEncryption } from './planBucket';
import { mergeBucketPolicy } from './policyMerge';
import {
  HclBlock,
  HclBodyItem,
  HclValue,
  attr,
  blank,
  block,
  expr,
  renderHcl,
  renderHclValue,
} from './hcl';

export interface TerraformFiles {
  'main.tf': string;
  'variables.tf': string;
  'outputs.tf': string;
}

export interface TerraformOptions {
  /**
   * The spec's bucket as inspected. When it exists, the Terraform adopts it and
   * its configurations with `import` blocks, and writes the documents apply
   * would send: its other policy statements, lifecycle rules and tags kept,
   * a stricter encryption or lifecycle rule kept unless weakening is allowed.
   * Without it the bucket is created.
   */
  bucket?: BucketState;
  /**
   * With Athena forensics: the Glue database and the CloudTrail table (partition
   * projection on region and day) the plugin would otherwise create through
   * Athena DDL on its first query, under the same name.
   */
  athena?: { database: string };
}

/*
 * The spec as Terraform for the AWS provider >= 5: the same documents apply sends
 * (policy statements, selectors, lifecycle, tags) come from desiredState and apply's
 * merges, so the two cannot drift. Account, region and names are variables defaulting
 * to the spec; the ARNs of the trail's own account and region are built from them.
 */

// Characters no validated spec value contains, replaced by interpolations when rendered.
const BUCKET = '⟦bucket⟧';
const PARTITION = '⟦partition⟧';
const ACCOUNT_ID = '⟦account_id⟧';
const TRAIL_ARN = '⟦trail_arn⟧';
const KEY_PREFIX = '⟦s3_key_prefix⟧';
const REGION = '⟦region⟧';
const INTERPOLATIONS = {
  [REGION]: 'var.region',
  [BUCKET]: 'aws_s3_bucket.logs.id',
  [PARTITION]: 'data.aws_partition.current.partition',
  [ACCOUNT_ID]: 'var.account_id',
  [TRAIL_ARN]: 'local.trail_arn',
  [KEY_PREFIX]: 'var.s3_key_prefix',
};

const FIELD_OPERATORS = [
  ['Equals', 'equals'],
  ['StartsWith', 'starts_with'],
  ['EndsWith', 'ends_with'],
  ['NotEquals', 'not_equals'],
  ['NotStartsWith', 'not_starts_with'],
  ['NotEndsWith', 'not_ends_with'],
] as const;

export function renderTerraform(
  spec: LineageSpec,
  options: TerraformOptions = {},
): TerraformFiles {
  // Throws, like planning does, when AWS did not answer a question about the bucket.
  const live = options.bucket ? knownBucket(options.bucket) : undefined;
  return {
    'main.tf': renderHcl(
      [
        ...mainBlocks(spec, live?.exists ? live : undefined),
        ...(options.athena ? athenaBlocks(spec, options.athena.database) : []),
      ],
      INTERPOLATIONS,
    ),
    'variables.tf': renderHcl(variableBlocks(spec)),
    'outputs.tf': renderHcl(outputBlocks()),
  };
}

function mainBlocks(spec: LineageSpec, existing?: KnownBucket): HclBlock[] {
  const bucket = expr('aws_s3_bucket.logs.id');
  const encryption = existing
    ? bucketEncryption(spec, existing)
    : desiredBucketEncryption(spec);
  const blocks: HclBlock[] = [
    {
      type: 'terraform',
      body: [
        attr('required_version', '>= 1.3'),
        block(
          'required_providers',
          [],
          [attr('aws', { source: 'hashicorp/aws', version: '>= 5.0' })],
        ),
      ],
    },
    {
      type: 'provider',
      labels: ['aws'],
      body: [
        attr('region', expr('var.region')),
        attr('allowed_account_ids', [expr('var.account_id')]),
      ],
    },
    { type: 'data', labels: ['aws_partition', 'current'], body: [] },
    {
      type: 'locals',
      body: [
        attr(
          'trail_arn',
          expr(
            '"arn:${data.aws_partition.current.partition}:cloudtrail:${var.region}:${var.account_id}:trail/${var.trail_name}"',
          ),
        ),
        attr('tags', desiredTags(spec)),
      ],
    },
    ...kmsKeyBlocks(spec),
    ...(spec.canary ? [canaryTableBlock()] : []),
    ...(existing ? importBlocks(existing) : []),
    {
      type: 'resource',
      labels: ['aws_s3_bucket', 'logs'],
      body: [
        attr('bucket', expr('var.bucket_name')),
        // PutBucketTagging replaces the set: the bucket's other tags stay.
        attr(
          'tags',
          existing
            ? mergeTags(existing.tags ?? {}, desiredTags(spec)).merged
            : expr('local.tags'),
        ),
      ],
    },
    {
      type: 'resource',
      labels: ['aws_s3_bucket_public_access_block', 'logs'],
      body: [
        attr('bucket', bucket),
        attr('block_public_acls', DESIRED_PUBLIC_ACCESS_BLOCK.BlockPublicAcls),
        attr(
          'block_public_policy',
          DESIRED_PUBLIC_ACCESS_BLOCK.BlockPublicPolicy,
        ),
        attr(
          'ignore_public_acls',
          DESIRED_PUBLIC_ACCESS_BLOCK.IgnorePublicAcls,
        ),
        attr(
          'restrict_public_buckets',
          DESIRED_PUBLIC_ACCESS_BLOCK.RestrictPublicBuckets,
        ),
      ],
    },
    {
      type: 'resource',
      labels: ['aws_s3_bucket_ownership_controls', 'logs'],
      body: [
        attr('bucket', bucket),
        blank,
        block('rule', [], [attr('object_ownership', DESIRED_OWNERSHIP)]),
      ],
    },
    {
      type: 'resource',
      labels: ['aws_s3_bucket_versioning', 'logs'],
      body: [
        attr('bucket', bucket),
        blank,
        block('versioning_configuration', [], [attr('status', 'Enabled')]),
      ],
    },
    {
      type: 'resource',
      labels: ['aws_s3_bucket_server_side_encryption_configuration', 'logs'],
      body: [
        attr('bucket', bucket),
        blank,
        block(
          'rule',
          [],
          [
            block(
              'apply_server_side_encryption_by_default',
              [],
              [
                attr('sse_algorithm', encryption.algorithm),
                ...(encryption.kmsKeyId
                  ? [
                      attr(
                        'kms_master_key_id',
                        kmsKeyExpression(spec, encryption),
                      ),
                    ]
                  : []),
              ],
            ),
            ...(encryption.bucketKeyEnabled
              ? [attr('bucket_key_enabled', true)]
              : []),
          ],
        ),
      ],
    },
    lifecycleBlock(spec, existing),
    {
      type: 'resource',
      labels: ['aws_s3_bucket_policy', 'logs'],
      body: [
        attr('bucket', bucket),
        attr(
          'policy',
          expr(`jsonencode(${renderPolicyObject(spec, existing)})`),
        ),
        blank,
        // BlockPublicPolicy must be settled before a policy is written.
        attr('depends_on', [expr('aws_s3_bucket_public_access_block.logs')]),
      ],
    },
    trailBlock(spec),
  ];
  return blocks;
}

/**
 * Every rule PutBucketLifecycleConfiguration would hold after apply: ours, and
 * for an existing bucket its other rules as S3 returned them (or its stricter
 * rule kept in place of ours).
 */
/** The Glue database and CloudTrail table of Athena forensics, as the plugin's DDL creates them. */
function athenaBlocks(spec: LineageSpec, database: string): HclBlock[] {
  const table = specCloudTrailTable(spec, database);
  // The same location, following the bucket and account variables.
  const own = (text: string) =>
    text
      .split(`s3://${spec.bucketName}/`)
      .join(`s3://${BUCKET}/`)
      .split(`/AWSLogs/${spec.accountId}/`)
      .join(`/AWSLogs/${ACCOUNT_ID}/`);
  const column = (c: { name: string; type: string }) =>
    block('columns', [], [attr('name', c.name), attr('type', c.type)]);
  return [
    {
      type: 'resource',
      labels: ['aws_glue_catalog_database', 'forensics'],
      body: [attr('name', database)],
    },
    {
      type: 'resource',
      labels: ['aws_glue_catalog_table', 'cloudtrail'],
      body: [
        attr('database_name', expr('aws_glue_catalog_database.forensics.name')),
        attr('name', table.name),
        attr('table_type', 'EXTERNAL_TABLE'),
        attr(
          'parameters',
          Object.fromEntries(
            Object.entries({ EXTERNAL: 'TRUE', ...table.properties }).map(
              ([key, value]) => [key, own(value)],
            ),
          ),
        ),
        blank,
        ...table.partitionKeys.map(k =>
          block(
            'partition_keys',
            [],
            [attr('name', k.name), attr('type', k.type)],
          ),
        ),
        blank,
        block(
          'storage_descriptor',
          [],
          [
            attr('location', own(table.location)),
            attr('input_format', table.inputFormat),
            attr('output_format', table.outputFormat),
            blank,
            block(
              'ser_de_info',
              [],
              [attr('serialization_library', table.serde)],
            ),
            blank,
            ...table.columns.map(column),
          ],
        ),
      ],
    },
  ];
}

function lifecycleBlock(spec: LineageSpec, existing?: KnownBucket): HclBlock {
  const desired = desiredLifecycleRule(spec);
  const merge = existing
    ? mergeLifecycle(existing.lifecycle, desired, {
        allowWeakening: spec.allowWeakening,
        logPrefix: logRoot(spec),
      })
    : { rules: [desired] };
  const rules = (merge.rules ?? existing?.lifecycle ?? [desired]) as
    | S3LifecycleRule[];
  return {
    type: 'resource',
    labels: ['aws_s3_bucket_lifecycle_configuration', 'logs'],
    body: [
      attr('bucket', expr('aws_s3_bucket.logs.id')),
      ...rules.flatMap(rule => [blank, lifecycleRuleBlock(rule)]),
      blank,
      // Noncurrent-version rules need versioning in place first.
      attr('depends_on', [expr('aws_s3_bucket_versioning.logs')]),
    ],
  };
}

/** One S3 lifecycle rule as the provider's `rule` block. */
function lifecycleRuleBlock(rule: S3LifecycleRule): HclBodyItem {
  const optional = (name: string, value: HclValue | undefined) =>
    value === undefined || value === null ? [] : [attr(name, value)];
  const date = (value: Date | string | undefined) =>
    value === undefined ? undefined : new Date(value).toISOString();
  const legacyPrefix = (rule as { Prefix?: string }).Prefix;
  const body: HclBodyItem[] = [
    attr('id', rule.ID ?? ''),
    attr('status', rule.Status ?? 'Enabled'),
    ...(legacyPrefix !== undefined && !rule.Filter
      ? [attr('prefix', legacyPrefix)]
      : []),
    blank,
    ...(rule.Filter || legacyPrefix === undefined
      ? [lifecycleFilterBlock(rule.Filter ?? {})]
      : []),
    ...(rule.AbortIncompleteMultipartUpload
      ? [
          block(
            'abort_incomplete_multipart_upload',
            [],
            optional(
              'days_after_initiation',
              rule.AbortIncompleteMultipartUpload.DaysAfterInitiation,
            ),
          ),
        ]
      : []),
    ...(rule.Transitions ?? []).map(t =>
      block(
        'transition',
        [],
        [
          ...optional('date', date(t.Date)),
          ...optional('days', t.Days),
          attr('storage_class', t.StorageClass ?? 'GLACIER'),
        ],
      ),
    ),
    ...(rule.NoncurrentVersionTransitions ?? []).map(t =>
      block(
        'noncurrent_version_transition',
        [],
        [
          ...optional('newer_noncurrent_versions', t.NewerNoncurrentVersions),
          ...optional('noncurrent_days', t.NoncurrentDays),
          attr('storage_class', t.StorageClass ?? 'GLACIER'),
        ],
      ),
    ),
    ...(rule.Expiration
      ? [
          block(
            'expiration',
            [],
            [
              ...optional('date', date(rule.Expiration.Date)),
              ...optional('days', rule.Expiration.Days),
              ...optional(
                'expired_object_delete_marker',
                rule.Expiration.ExpiredObjectDeleteMarker,
              ),
            ],
          ),
        ]
      : []),
    ...(rule.NoncurrentVersionExpiration
      ? [
          block(
            'noncurrent_version_expiration',
            [],
            [
              ...optional(
                'newer_noncurrent_versions',
                rule.NoncurrentVersionExpiration.NewerNoncurrentVersions,
              ),
              ...optional(
                'noncurrent_days',
                rule.NoncurrentVersionExpiration.NoncurrentDays,
              ),
            ],
          ),
        ]
      : []),
  ];
  return block('rule', [], body);
}

function lifecycleFilterBlock(
  filter: NonNullable<S3LifecycleRule['Filter']>,
): HclBodyItem {
  const tag = (t: { Key?: string; Value?: string }) =>
    block('tag', [], [attr('key', t.Key ?? ''), attr('value', t.Value ?? '')]);
  const sizes = (f: {
    ObjectSizeGreaterThan?: number;
    ObjectSizeLessThan?: number;
  }) => [
    ...(f.ObjectSizeGreaterThan !== undefined
      ? [attr('object_size_greater_than', f.ObjectSizeGreaterThan)]
      : []),
    ...(f.ObjectSizeLessThan !== undefined
      ? [attr('object_size_less_than', f.ObjectSizeLessThan)]
      : []),
  ];
  if (filter.And) {
    const tags = Object.fromEntries(
      (filter.And.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']),
    );
    return block(
      'filter',
      [],
      [
        block(
          'and',
          [],
          [
            ...(filter.And.Prefix ? [attr('prefix', filter.And.Prefix)] : []),
            ...sizes(filter.And),
            ...(Object.keys(tags).length ? [attr('tags', tags)] : []),
          ],
        ),
      ],
    );
  }
  return block(
    'filter',
    [],
    [
      ...(filter.Prefix ? [attr('prefix', filter.Prefix)] : []),
      ...sizes(filter),
      ...(filter.Tag ? [tag(filter.Tag)] : []),
    ],
  );
}

/**
 * The policy apply writes, with the trail's own names as Terraform references.
 * For an existing bucket: its other statements stay, and ours name the trails
 * and paths they already allowed, as apply merges them.
 */
function renderPolicyObject(spec: LineageSpec, existing?: KnownBucket): string {
  const referenced = cloudTrailBucketPolicyStatements({
    bucket: BUCKET,
    partition: PARTITION,
    accountId: ACCOUNT_ID,
    trailArn: TRAIL_ARN,
    ...(spec.s3KeyPrefix ? { keyPrefix: KEY_PREFIX } : {}),
  });
  let document: PolicyDocument = {
    Version: '2012-10-17',
    Statement: referenced,
  };
  if (existing) {
    const desired = desiredBucketPolicy(spec).Statement;
    const merged = mergeBucketPolicy(existing.policy, desired).merged;
    const references = new Map<string, string>();
    desired.forEach((statement, i) =>
      pairStrings(statement, referenced[i], references),
    );
    const ours = new Set(desired.map(statement => statement.Sid));
    document = {
      ...merged,
      Statement: merged.Statement.map(statement =>
        ours.has(statement.Sid)
          ? (replaceStrings(statement, references) as PolicyStatement)
          : statement,
      ),
    };
  }
  return renderHclValue(
    document as unknown as { [key: string]: HclValue },
    1,
    INTERPOLATIONS,
  );
}

/** Each string of `concrete` that `referenced` writes with a reference, by position. */
function pairStrings(
  concrete: unknown,
  referenced: unknown,
  into: Map<string, string>,
): void {
  if (typeof concrete === 'string' && typeof referenced === 'string') {
    if (concrete !== referenced) into.set(concrete, referenced);
  } else if (Array.isArray(concrete) && Array.isArray(referenced)) {
    concrete.forEach((item, i) => pairStrings(item, referenced[i], into));
  } else if (concrete && referenced && typeof concrete === 'object') {
    for (const [key, value] of Object.entries(concrete)) {
      pairStrings(value, (referenced as Record<string, unknown>)[key], into);
    }
  }
}

function replaceStrings(value: unknown, by: Map<string, string>): unknown {
  if (typeof value === 'string') return by.get(value) ?? value;
  if (Array.isArray(value)) return value.map(item => replaceStrings(item, by));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        replaceStrings(item, by),
      ]),
    );
  }
  return value;
}

/** Apply's encryption for an existing bucket: the spec's, or a stricter one it keeps. */
function bucketEncryption(
  spec: LineageSpec,
  existing: KnownBucket,
): BucketEncryption {
  const change = planEncryption(spec, existing, []);
  return !change && existing.encryption
    ? existing.encryption
    : desiredBucketEncryption(spec);
}

/**
 * The spec's key: the key dedicated to the trail, created with its policy
 * and alias, or a given key through its data source (which resolves an alias
 * or key id to the ARN aws_cloudtrail requires).
 */
function kmsKeyBlocks(spec: LineageSpec): HclBlock[] {
  if (!spec.kmsKeyId) return [];
  if (!spec.createKmsKey) {
    return [
      {
        type: 'data',
        labels: ['aws_kms_key', 'logs'],
        body: [attr('key_id', expr('var.kms_key_id'))],
      },
    ];
  }
  const policy = dedicatedKeyPolicy({
    partition: PARTITION,
    accountId: ACCOUNT_ID,
    trailArn: TRAIL_ARN,
  });
  return [
    {
      type: 'resource',
      labels: ['aws_kms_key', 'logs'],
      body: [
        attr(
          'description',
          expr(
            '"CloudTrail log files of trail ${var.trail_name} (DynamoDB lineage)"',
          ),
        ),
        attr(
          'policy',
          expr(
            `jsonencode(${renderHclValue(
              policy as unknown as { [key: string]: HclValue },
              1,
              INTERPOLATIONS,
            )})`,
          ),
        ),
        attr('tags', expr('local.tags')),
      ],
    },
    {
      type: 'resource',
      labels: ['aws_kms_alias', 'logs'],
      body: [
        // As dedicatedKeyAlias names it: the trail's dots become dashes.
        attr(
          'name',
          expr('"alias/dynamodb-lineage/${replace(var.trail_name, ".", "-")}"'),
        ),
        attr('target_key_id', expr('aws_kms_key.logs.key_id')),
      ],
    },
  ];
}

/** The home region's canary table, as the provision action creates it. */
function canaryTableBlock(): HclBlock {
  return {
    type: 'resource',
    labels: ['aws_dynamodb_table', 'canary'],
    body: [
      attr('name', CANARY_TABLE_NAME),
      attr('billing_mode', 'PAY_PER_REQUEST'),
      attr('hash_key', CANARY_KEY_ATTRIBUTE),
      blank,
      block(
        'attribute',
        [],
        [attr('name', CANARY_KEY_ATTRIBUTE), attr('type', 'S')],
      ),
      blank,
      attr('tags', expr('local.tags')),
    ],
  };
}

/** The spec's key, as {@link kmsKeyBlocks} declares it; a kept key as is. */
function kmsKeyExpression(
  spec: LineageSpec,
  encryption: BucketEncryption,
): HclValue {
  return spec.kmsKeyId && encryption.kmsKeyId === spec.kmsKeyId
    ? expr(kmsKeyArnReference(spec))
    : encryption.kmsKeyId ?? null;
}

function kmsKeyArnReference(spec: LineageSpec): string {
  return spec.createKmsKey
    ? 'aws_kms_key.logs.arn'
    : 'data.aws_kms_key.logs.arn';
}

/**
 * `import` blocks adopting the bucket and each configuration it already has,
 * so the first apply updates them in place instead of failing on a name taken.
 */
function importBlocks(existing: KnownBucket): HclBlock[] {
  const present: [string, boolean][] = [
    ['aws_s3_bucket', true],
    ['aws_s3_bucket_public_access_block', existing.publicAccessBlock !== null],
    ['aws_s3_bucket_ownership_controls', existing.ownership !== null],
    ['aws_s3_bucket_versioning', existing.versioning !== null],
    [
      'aws_s3_bucket_server_side_encryption_configuration',
      existing.encryption !== null,
    ],
    [
      'aws_s3_bucket_lifecycle_configuration',
      (existing.lifecycle?.length ?? 0) > 0,
    ],
    ['aws_s3_bucket_policy', existing.policy !== null],
  ];
  return present
    .filter(([, exists]) => exists)
    .map(([type]) => ({
      type: 'import',
      body: [
        attr('to', expr(`${type}.logs`)),
        attr('id', expr('var.bucket_name')),
      ],
    }));
}

function trailBlock(spec: LineageSpec): HclBlock {
  const selectors = desiredEventSelectors(spec);
  const insights = desiredInsightTypes(spec);
  return {
    type: 'resource',
    labels: ['aws_cloudtrail', 'this'],
    body: [
      attr('name', expr('var.trail_name')),
      attr('s3_bucket_name', expr('aws_s3_bucket.logs.id')),
      ...(spec.s3KeyPrefix
        ? [attr('s3_key_prefix', expr('var.s3_key_prefix'))]
        : []),
      attr('is_multi_region_trail', true),
      attr('include_global_service_events', true),
      attr('enable_log_file_validation', true),
      attr('enable_logging', true),
      ...(spec.kmsKeyId
        ? [attr('kms_key_id', expr(kmsKeyArnReference(spec)))]
        : []),
      attr('tags', expr('local.tags')),
      ...selectors.flatMap(s => [blank, selectorBlock(s, ownArns(spec))]),
      ...insights.flatMap(type => [
        blank,
        block('insight_selector', [], [attr('insight_type', type)]),
      ]),
      blank,
      // CloudTrail verifies the bucket policy when the trail is created.
      attr('depends_on', [expr('aws_s3_bucket_policy.logs')]),
    ],
  };
}

/**
 * ARNs of the trail's own account and region, rewritten from the variables:
 * changing `account_id` or `region` moves the selectors with the trail.
 */
function ownArns(spec: LineageSpec): (value: string) => string {
  const own = `arn:${AWS_PARTITION}:dynamodb:${spec.region}:${spec.accountId}:`;
  const referenced = `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT_ID}:`;
  return value =>
    value.startsWith(own) ? referenced + value.slice(own.length) : value;
}

function selectorBlock(
  selector: AdvancedEventSelector,
  arn: (value: string) => string,
): HclBodyItem {
  return block(
    'advanced_event_selector',
    [],
    [
      ...(selector.Name ? [attr('name', selector.Name)] : []),
      ...selector.FieldSelectors.map(field =>
        block(
          'field_selector',
          [],
          [
            attr('field', field.Field),
            ...FIELD_OPERATORS.flatMap(([op, name]) =>
              field[op]?.length
                ? [
                    attr(
                      name,
                      field.Field === 'resources.ARN'
                        ? field[op]!.map(arn)
                        : [...field[op]!],
                    ),
                  ]
                : [],
            ),
          ],
        ),
      ),
    ],
  );
}

function variableBlocks(spec: LineageSpec): HclBlock[] {
  const variable = (
    name: string,
    description: string,
    value: string,
    validation?: { condition: string; message: string },
  ): HclBlock => ({
    type: 'variable',
    labels: [name],
    body: [
      attr('type', expr('string')),
      attr('description', description),
      attr('default', value),
      ...(validation
        ? [
            blank,
            block(
              'validation',
              [],
              [
                attr('condition', expr(validation.condition)),
                attr('error_message', validation.message),
              ],
            ),
          ]
        : []),
    ],
  });
  return [
    variable(
      'account_id',
      'AWS account the trail logs (12 digits).',
      spec.accountId,
      {
        condition: 'can(regex("^[0-9]{12}$", var.account_id))',
        message: 'account_id must be exactly 12 digits.',
      },
    ),
    variable('region', 'Home region of the trail.', spec.region),
    variable('trail_name', 'Name of the CloudTrail trail.', spec.trailName),
    variable('bucket_name', 'S3 bucket receiving the logs.', spec.bucketName),
    ...(spec.s3KeyPrefix
      ? [
          variable(
            's3_key_prefix',
            'Key prefix of the log files.',
            spec.s3KeyPrefix,
          ),
        ]
      : []),
    ...(spec.kmsKeyId && !spec.createKmsKey
      ? [
          variable(
            'kms_key_id',
            'KMS key (ARN, alias or id) encrypting the logs.',
            spec.kmsKeyId,
          ),
        ]
      : []),
  ];
}

function outputBlocks(): HclBlock[] {
  const output = (
    name: string,
    value: string,
    description: string,
  ): HclBlock => ({
    type: 'output',
    labels: [name],
    body: [attr('description', description), attr('value', expr(value))],
  });
  return [
    output('trail_arn', 'aws_cloudtrail.this.arn', 'ARN of the trail.'),
    output(
      'bucket_name',
      'aws_s3_bucket.logs.id',
      'Bucket receiving the logs.',
    ),
    output('bucket_arn', 'aws_s3_bucket.logs.arn', 'ARN of that bucket.'),
  ];
}
