import {
  AdvancedEventSelector,
  LineageSpec,
  cloudTrailBucketPolicyStatements,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  DESIRED_OWNERSHIP,
  DESIRED_PUBLIC_ACCESS_BLOCK,
  desiredEventSelectors,
  desiredInsightTypes,
  desiredLifecycleRule,
  desiredTags,
} from './desiredState';
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

/*
 * The spec as Terraform for the AWS provider >= 5: the same documents apply sends
 * (policy statements, selectors, lifecycle, tags) come from desiredState, so the two
 * cannot drift. Account, region and names are variables defaulting to the spec.
 */

// Characters no validated spec value contains, replaced by interpolations when rendered.
const BUCKET = '⟦bucket⟧';
const PARTITION = '⟦partition⟧';
const ACCOUNT_ID = '⟦account_id⟧';
const TRAIL_ARN = '⟦trail_arn⟧';
const KEY_PREFIX = '⟦s3_key_prefix⟧';
const INTERPOLATIONS = {
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

export function renderTerraform(spec: LineageSpec): TerraformFiles {
  return {
    'main.tf': renderHcl(mainBlocks(spec), INTERPOLATIONS),
    'variables.tf': renderHcl(variableBlocks(spec)),
    'outputs.tf': renderHcl(outputBlocks()),
  };
}

function mainBlocks(spec: LineageSpec): HclBlock[] {
  const bucket = expr('aws_s3_bucket.logs.id');
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
    ...(spec.kmsKeyId
      ? [
          {
            type: 'data',
            labels: ['aws_kms_key', 'logs'],
            // Resolves an alias or key id to the ARN aws_cloudtrail requires.
            body: [attr('key_id', expr('var.kms_key_id'))],
          },
        ]
      : []),
    {
      type: 'resource',
      labels: ['aws_s3_bucket', 'logs'],
      body: [
        attr('bucket', expr('var.bucket_name')),
        attr('tags', expr('local.tags')),
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
                attr('sse_algorithm', spec.kmsKeyId ? 'aws:kms' : 'AES256'),
                ...(spec.kmsKeyId
                  ? [
                      attr(
                        'kms_master_key_id',
                        expr('data.aws_kms_key.logs.arn'),
                      ),
                    ]
                  : []),
              ],
            ),
            ...(spec.kmsKeyId ? [attr('bucket_key_enabled', true)] : []),
          ],
        ),
      ],
    },
    lifecycleBlock(spec),
    {
      type: 'resource',
      labels: ['aws_s3_bucket_policy', 'logs'],
      body: [
        attr('bucket', bucket),
        attr('policy', expr(`jsonencode(${renderPolicyObject(spec)})`)),
        blank,
        // BlockPublicPolicy must be settled before a policy is written.
        attr('depends_on', [expr('aws_s3_bucket_public_access_block.logs')]),
      ],
    },
    trailBlock(spec),
  ];
  return blocks;
}

function lifecycleBlock(spec: LineageSpec): HclBlock {
  const rule = desiredLifecycleRule(spec);
  const body: HclBodyItem[] = [
    attr('id', rule.ID ?? ''),
    attr('status', rule.Status),
    blank,
    block('filter', [], []),
    ...(rule.Transitions ?? []).map(t =>
      block(
        'transition',
        [],
        [
          attr('days', t.Days ?? 0),
          attr('storage_class', t.StorageClass ?? 'GLACIER'),
        ],
      ),
    ),
    ...(rule.NoncurrentVersionTransitions ?? []).map(t =>
      block(
        'noncurrent_version_transition',
        [],
        [
          attr('noncurrent_days', t.NoncurrentDays ?? 0),
          attr('storage_class', t.StorageClass ?? 'GLACIER'),
        ],
      ),
    ),
    ...(rule.Expiration?.Days
      ? [block('expiration', [], [attr('days', rule.Expiration.Days)])]
      : []),
    ...(rule.NoncurrentVersionExpiration?.NoncurrentDays
      ? [
          block(
            'noncurrent_version_expiration',
            [],
            [
              attr(
                'noncurrent_days',
                rule.NoncurrentVersionExpiration.NoncurrentDays,
              ),
            ],
          ),
        ]
      : []),
  ];
  return {
    type: 'resource',
    labels: ['aws_s3_bucket_lifecycle_configuration', 'logs'],
    body: [
      attr('bucket', expr('aws_s3_bucket.logs.id')),
      blank,
      block('rule', [], body),
      blank,
      // Noncurrent-version rules need versioning in place first.
      attr('depends_on', [expr('aws_s3_bucket_versioning.logs')]),
    ],
  };
}

/** The policy apply writes, with names as Terraform references. */
function renderPolicyObject(spec: LineageSpec): string {
  const statements = cloudTrailBucketPolicyStatements({
    bucket: BUCKET,
    partition: PARTITION,
    accountId: ACCOUNT_ID,
    trailArn: TRAIL_ARN,
    ...(spec.s3KeyPrefix ? { keyPrefix: KEY_PREFIX } : {}),
  });
  return renderHclValue(
    { Version: '2012-10-17', Statement: statements as unknown as HclValue[] },
    1,
    INTERPOLATIONS,
  );
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
        ? [attr('kms_key_id', expr('data.aws_kms_key.logs.arn'))]
        : []),
      attr('tags', expr('local.tags')),
      ...selectors.flatMap(s => [blank, selectorBlock(s)]),
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

function selectorBlock(selector: AdvancedEventSelector): HclBodyItem {
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
              field[op]?.length ? [attr(name, [...field[op]!])] : [],
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
    ...(spec.kmsKeyId
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
