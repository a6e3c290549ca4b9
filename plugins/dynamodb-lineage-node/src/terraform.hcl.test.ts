import { parse } from '@cdktf/hcl2json';
import { AdvancedEventSelector } from '@lineage/plugin-dynamodb-lineage-common';
import {
  desiredEventSelectors,
  desiredLifecycleRule,
  DESIRED_PUBLIC_ACCESS_BLOCK,
} from './desiredState';
import { renderTerraform } from './terraform';
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
async function parsed() {
  const files = renderTerraform(spec);
  const out: Record<string, any> = {};
  for (const [name, content] of Object.entries(files)) {
    out[name] = await parse(name, content);
  }
  return out;
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
    expect(selectors.map(sortFields)).toEqual(
      desiredEventSelectors(spec).map(sortFields),
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
