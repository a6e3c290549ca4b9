import { parse } from '@cdktf/hcl2json';
import {
  AdvancedEventSelector,
  BucketState,
  LineageSpec,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  desiredBucketPolicy,
  desiredEventSelectors,
  desiredLifecycleRule,
  DESIRED_PUBLIC_ACCESS_BLOCK,
} from './desiredState';
import { diffPlan } from './plan';
import { AwsRequest } from './planTypes';
import { TerraformOptions, renderTerraform } from './terraform';
import { convergedLive } from './__fixtures__/live';
import { makeSpec } from './__fixtures__/specs';

jest.setTimeout(60_000);

const spec = makeSpec({
  region: 'eu-west-1',
  kmsKeyId: 'alias/cloudtrail',
  scope: {
    mode: 'tables',
    tableArns: ['arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu'],
  },
  includeStreams: true,
  readWriteType: 'WriteOnly',
  lifecycle: { glacierAfterDays: 30, expireAfterDays: 400 },
  insights: true,
});

/** The HCL of every file as Terraform's own parser (through hcl2json) reads it. */
async function parsed(
  forSpec: LineageSpec = spec,
  options: TerraformOptions = {},
) {
  const files = renderTerraform(forSpec, options);
  const out: Record<string, any> = {};
  for (const [name, content] of Object.entries(files)) {
    out[name] = await parse(name, content);
  }
  return out;
}

/**
 * Values as Terraform computes them with every variable at its default: the
 * references the renderer writes are replaced, `jsonencode(...)` is read back
 * as the object it encodes. Any other reference fails the test.
 */
async function evaluator(files: Record<string, any>) {
  const variables = Object.fromEntries(
    Object.entries(files['variables.tf'].variable).map(
      ([name, [declared]]: [string, any]) => [name, declared.default],
    ),
  );
  const known: Record<string, string> = {
    'data.aws_partition.current.partition': 'aws',
    'aws_s3_bucket.logs.id': variables.bucket_name,
    ...Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [`var.${name}`, value]),
    ),
  };
  const text = (value: string): string =>
    value.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
      if (known[ref] === undefined) throw new Error(`unknown reference ${ref}`);
      return known[ref];
    });
  known['local.trail_arn'] = text(files['main.tf'].locals[0].trail_arn);
  const evaluate = async (value: any): Promise<any> => {
    if (typeof value === 'string') {
      const encoded = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value);
      if (encoded) {
        const inner = await parse('value.tf', `value = ${encoded[1]}\n`);
        return evaluate(inner.value);
      }
      return text(value);
    }
    if (Array.isArray(value)) return Promise.all(value.map(evaluate));
    if (value && typeof value === 'object') {
      const entries = await Promise.all(
        Object.entries(value).map(async ([k, v]) => [k, await evaluate(v)]),
      );
      return Object.fromEntries(entries);
    }
    return value;
  };
  return evaluate;
}

/** hcl2json's lifecycle `rule` block → the S3 rule the provider sends. */
function toAwsRule(rule: any): Record<string, unknown> {
  const one = (blocks: any[] | undefined) => blocks?.[0];
  const defined = (object: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(object).filter(([, v]) => v !== undefined),
    );
  const filter = one(rule.filter) ?? {};
  const and = one(filter.and);
  const tag = one(filter.tag);
  return defined({
    ID: rule.id,
    Status: rule.status,
    Filter: and
      ? {
          And: defined({
            Prefix: and.prefix,
            ObjectSizeGreaterThan: and.object_size_greater_than,
            Tags: and.tags
              ? Object.entries(and.tags).map(([Key, Value]) => ({ Key, Value }))
              : undefined,
          }),
        }
      : defined({
          Prefix: filter.prefix ?? (tag ? undefined : ''),
          Tag: tag ? { Key: tag.key, Value: tag.value } : undefined,
        }),
    AbortIncompleteMultipartUpload: one(rule.abort_incomplete_multipart_upload)
      ? {
          DaysAfterInitiation: one(rule.abort_incomplete_multipart_upload)
            .days_after_initiation,
        }
      : undefined,
    Transitions: rule.transition?.map((t: any) =>
      defined({ Days: t.days, StorageClass: t.storage_class }),
    ),
    NoncurrentVersionTransitions: rule.noncurrent_version_transition?.map(
      (t: any) =>
        defined({
          NoncurrentDays: t.noncurrent_days,
          StorageClass: t.storage_class,
        }),
    ),
    Expiration: one(rule.expiration)
      ? defined({
          Days: one(rule.expiration).days,
          ExpiredObjectDeleteMarker: one(rule.expiration)
            .expired_object_delete_marker,
        })
      : undefined,
    NoncurrentVersionExpiration: one(rule.noncurrent_version_expiration)
      ? defined({
          NoncurrentDays: one(rule.noncurrent_version_expiration)
            .noncurrent_days,
        })
      : undefined,
  });
}

/** hcl2json's field selector → the AWS shape, for comparison with apply's. */
function toAwsSelector(block: any): AdvancedEventSelector {
  return {
    Name: block.name,
    FieldSelectors: block.field_selector.map((fs: any) => {
      const out: Record<string, unknown> = { Field: fs.field };
      for (const [hclKey, awsKey] of [
        ['equals', 'Equals'],
        ['starts_with', 'StartsWith'],
        ['ends_with', 'EndsWith'],
        ['not_equals', 'NotEquals'],
        ['not_starts_with', 'NotStartsWith'],
        ['not_ends_with', 'NotEndsWith'],
      ]) {
        if (fs[hclKey]) out[awsKey] = fs[hclKey];
      }
      return out;
    }),
  } as AdvancedEventSelector;
}

describe('renderTerraform, read by an HCL parser', () => {
  it('parses, and the trail selects exactly what apply selects', async () => {
    const { 'main.tf': main } = await parsed();
    const trails = Object.values(main.resource.aws_cloudtrail) as any[][];
    expect(trails).toHaveLength(1);
    const trail = trails[0][0];
    expect(trail.is_multi_region_trail).toBe(true);
    expect(trail.include_global_service_events).toBe(true);
    expect(trail.enable_log_file_validation).toBe(true);
    const selectors = trail.advanced_event_selector.map(toAwsSelector);
    const sortFields = (s: AdvancedEventSelector) => ({
      ...s,
      FieldSelectors: [...s.FieldSelectors].sort((a, b) =>
        a.Field.localeCompare(b.Field),
      ),
    });
    const evaluate = await evaluator(await parsed());
    expect((await evaluate(selectors)).map(sortFields)).toEqual(
      desiredEventSelectors(spec).map(sortFields),
    );
    // The trail's own tables are named through the variables.
    expect(JSON.stringify(selectors)).toContain(
      'arn:${data.aws_partition.current.partition}:dynamodb:${var.region}:${var.account_id}:table/payments-eu',
    );
    expect(
      trail.insight_selector.map((i: any) => i.insight_type).sort(),
    ).toEqual(['ApiCallRateInsight', 'ApiErrorRateInsight']);
  });

  it('hardens the bucket like apply: public access block, ownership, versioning, lifecycle', async () => {
    const { 'main.tf': main } = await parsed();
    const [bpa] = Object.values(
      main.resource.aws_s3_bucket_public_access_block,
    )[0] as any[];
    expect({
      BlockPublicAcls: bpa.block_public_acls,
      IgnorePublicAcls: bpa.ignore_public_acls,
      BlockPublicPolicy: bpa.block_public_policy,
      RestrictPublicBuckets: bpa.restrict_public_buckets,
    }).toEqual(DESIRED_PUBLIC_ACCESS_BLOCK);
    const [ownership] = Object.values(
      main.resource.aws_s3_bucket_ownership_controls,
    )[0] as any[];
    expect(ownership.rule[0].object_ownership).toBe('BucketOwnerEnforced');
    const [versioning] = Object.values(
      main.resource.aws_s3_bucket_versioning,
    )[0] as any[];
    expect(versioning.versioning_configuration[0].status).toBe('Enabled');
    const [lifecycle] = Object.values(
      main.resource.aws_s3_bucket_lifecycle_configuration,
    )[0] as any[];
    const rule = lifecycle.rule[0];
    const desired = desiredLifecycleRule(spec);
    expect(rule.transition[0].days).toBe(desired.Transitions![0].Days);
    expect(rule.transition[0].storage_class).toBe('GLACIER');
    expect(rule.noncurrent_version_transition[0].noncurrent_days).toBe(
      desired.NoncurrentVersionTransitions![0].NoncurrentDays,
    );
    expect(rule.expiration[0].days).toBe(400);
  });

  it('parses variables and outputs', async () => {
    const files = await parsed();
    expect(Object.keys(files['variables.tf'].variable)).toEqual(
      expect.arrayContaining(['account_id', 'region']),
    );
    expect(Object.keys(files['outputs.tf'].output).length).toBeGreaterThan(0);
  });
});

describe('renderTerraform for an existing bucket, read by an HCL parser', () => {
  const ok = <T>(value: T) => ({ ok: true as const, value });
  const existing = makeSpec({
    region: 'eu-west-1',
    s3KeyPrefix: 'ct',
    lifecycle: { glacierAfterDays: 30, expireAfterDays: 400 },
  });
  const bucketArn = `arn:aws:s3:::${existing.bucketName}`;
  /** Another trail already delivering to the bucket, under its own prefix. */
  const otherTrail = makeSpec({
    region: 'eu-west-1',
    trailName: 'audit',
    bucketName: existing.bucketName,
    s3KeyPrefix: 'audit',
  });

  function sharedBucket(): BucketState {
    return {
      ...convergedLive(existing).bucket,
      policy: ok({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AuditorsRead',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::222222222222:root' },
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: [bucketArn, `${bucketArn}/*`],
          },
          ...desiredBucketPolicy(otherTrail).Statement.filter(
            statement => statement.Sid === 'AWSCloudTrailWrite',
          ),
        ],
      }),
      lifecycle: ok([
        {
          ID: 'abort-uploads',
          Status: 'Enabled',
          Filter: { Prefix: 'tmp/' },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
        {
          ID: 'scratch',
          Status: 'Disabled',
          Filter: {
            And: {
              Prefix: 'scratch/',
              Tags: [{ Key: 'class', Value: 'temporary' }],
            },
          },
          Expiration: { Days: 3 },
        },
      ] as never),
      tags: ok({
        'cost-center': 'audit',
        'backstage:created-by': 'user:default/someone-else',
      }),
    };
  }

  /** What apply sends for each operation, from the plan of the same live state. */
  function applyRequests(bucket: BucketState) {
    const plan = diffPlan(existing, { trail: ok(null), bucket });
    const requests = new Map<string, any>();
    for (const { request } of plan.changes) {
      requests.set(request.operation, (request as AwsRequest).input);
    }
    return requests;
  }

  it('adopts the bucket and each configuration it has with import blocks', async () => {
    const bucket = { ...sharedBucket(), lifecycle: ok(null) };
    const { 'main.tf': main } = await parsed(existing, { bucket });
    const imports = main.import.map((block: any) => [block.to, block.id]);
    expect(imports).toEqual(
      [
        'aws_s3_bucket',
        'aws_s3_bucket_public_access_block',
        'aws_s3_bucket_ownership_controls',
        'aws_s3_bucket_versioning',
        'aws_s3_bucket_server_side_encryption_configuration',
        'aws_s3_bucket_policy',
      ].map(type => [`\${${type}.logs}`, '${var.bucket_name}']),
    );

    const created = await parsed(existing, {
      bucket: { ...bucket, exists: ok(false) },
    });
    expect(created['main.tf'].import).toBeUndefined();
  });

  it('writes the merged policy, lifecycle rules and tags apply sends', async () => {
    const bucket = sharedBucket();
    const sent = applyRequests(bucket);
    const files = await parsed(existing, { bucket });
    const evaluate = await evaluator(files);
    const main = files['main.tf'];

    const [policy] = main.resource.aws_s3_bucket_policy.logs;
    expect(await evaluate(policy.policy)).toEqual(
      JSON.parse(sent.get('PutBucketPolicy').Policy),
    );
    // The auditors' statement and the other trail's path and ARN stay.
    expect(JSON.stringify(await evaluate(policy.policy))).toContain(
      'trail/audit',
    );

    const [lifecycle] =
      main.resource.aws_s3_bucket_lifecycle_configuration.logs;
    expect(lifecycle.rule.map(toAwsRule)).toEqual(
      sent.get('PutBucketLifecycleConfiguration').LifecycleConfiguration.Rules,
    );

    const [s3Bucket] = main.resource.aws_s3_bucket.logs;
    expect(s3Bucket.tags).toEqual(
      Object.fromEntries(
        sent
          .get('PutBucketTagging')
          .Tagging.TagSet.map((tag: any) => [tag.Key, tag.Value]),
      ),
    );
    expect(s3Bucket.tags).toMatchObject({
      'cost-center': 'audit',
      'backstage:created-by': 'user:default/someone-else',
    });
  });

  it('keeps what apply keeps: a stricter lifecycle rule and encryption, a converged policy', async () => {
    const stricter = {
      ID: 'archive-everything',
      Status: 'Enabled' as const,
      Filter: { Prefix: '' },
      Transitions: [{ Days: 1, StorageClass: 'GLACIER' }],
      NoncurrentVersionTransitions: [
        { NoncurrentDays: 1, StorageClass: 'GLACIER' },
      ],
    };
    const kms = {
      algorithm: 'aws:kms',
      kmsKeyId:
        'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      bucketKeyEnabled: true,
    };
    const bucket: BucketState = {
      ...convergedLive(existing).bucket,
      lifecycle: ok([stricter]),
      encryption: ok(kms),
    };
    const sent = applyRequests(bucket);
    for (const operation of [
      'PutBucketPolicy',
      'PutBucketLifecycleConfiguration',
      'PutBucketEncryption',
      'PutBucketTagging',
    ]) {
      expect(sent.has(operation)).toBe(false);
    }

    const files = await parsed(existing, { bucket });
    const evaluate = await evaluator(files);
    const main = files['main.tf'];
    const [policy] = main.resource.aws_s3_bucket_policy.logs;
    expect(await evaluate(policy.policy)).toEqual(
      (bucket.policy as { value: unknown }).value,
    );
    const [lifecycle] =
      main.resource.aws_s3_bucket_lifecycle_configuration.logs;
    expect(lifecycle.rule.map(toAwsRule)).toEqual([stricter]);
    const [sse] =
      main.resource.aws_s3_bucket_server_side_encryption_configuration.logs;
    expect(sse.rule[0]).toEqual({
      apply_server_side_encryption_by_default: [
        { sse_algorithm: 'aws:kms', kms_master_key_id: kms.kmsKeyId },
      ],
      bucket_key_enabled: true,
    });
  });
});
