import { desiredEventSelectors } from './desiredState';
import { cloudTrailTable } from './forensics/athenaTable';
import { renderTerraform } from './terraform';
import { everyOptionSpec, makeSpec } from './__fixtures__/specs';

const fullSpec = everyOptionSpec;

/** The body of `type "label" "name" { ... }` at the top level, found by brace matching. */
function topLevelBlock(hcl: string, header: string): string {
  const start = hcl.indexOf(`${header} {`);
  if (start < 0) throw new Error(`no block ${header}`);
  let depth = 0;
  for (let i = hcl.indexOf('{', start); i < hcl.length; i++) {
    if (hcl[i] === '{') depth++;
    if (hcl[i] === '}' && --depth === 0) return hcl.slice(start, i + 1);
  }
  throw new Error(`unbalanced block ${header}`);
}

function balanced(hcl: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < hcl.length; i++) {
    const c = hcl[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0 && !inString;
}

describe('renderTerraform', () => {
  it('renders the default spec', () => {
    expect(renderTerraform(makeSpec())).toMatchSnapshot();
  });

  it('renders every option', () => {
    expect(renderTerraform(fullSpec)).toMatchSnapshot();
  });

  it('declares the canary table only with the canary on', () => {
    const on = renderTerraform(makeSpec())['main.tf'];
    expect(on).toMatch(
      /resource "aws_dynamodb_table" "canary" \{\n {2}name\s+= "dynamodb-lineage-canary"\n {2}billing_mode = "PAY_PER_REQUEST"\n {2}hash_key\s+= "id"/,
    );
    expect(on).toMatch(/attribute \{\n\s+name = "id"\n\s+type = "S"\n\s+\}/);
    const off = renderTerraform(makeSpec({ canary: false }))['main.tf'];
    expect(off).not.toMatch(/aws_dynamodb_table/);
    expect(off).not.toMatch(/dynamodb-lineage-canary/);
  });

  it('declares the Athena forensics table the plugin would create, under the same name', () => {
    const spec = makeSpec({ s3KeyPrefix: 'ct' });
    const main = renderTerraform(spec, {
      athena: { database: 'dynamodb_lineage' },
    })['main.tf'];
    const table = cloudTrailTable(
      {
        trailName: spec.trailName,
        accountId: spec.accountId,
        bucketName: spec.bucketName,
        s3KeyPrefix: 'ct',
      },
      'dynamodb_lineage',
    );
    const block = topLevelBlock(
      main,
      'resource "aws_glue_catalog_table" "cloudtrail"',
    );
    expect(block).toContain(`name          = "${table.name}"`);
    expect(block).toContain(
      '"storage.location.template"    = "s3://${aws_s3_bucket.logs.id}/ct/AWSLogs/${var.account_id}/CloudTrail/$${region}/$${day}"',
    );
    expect(block).toContain(
      'location      = "s3://${aws_s3_bucket.logs.id}/ct/AWSLogs/${var.account_id}/CloudTrail/"',
    );
    expect(block.match(/columns \{/g)).toHaveLength(table.columns.length);
    expect(renderTerraform(spec)['main.tf']).not.toContain('aws_glue');
  });

  it('is deterministic', () => {
    expect(renderTerraform(fullSpec)).toEqual(renderTerraform(fullSpec));
  });

  it('produces balanced HCL without raw interpolation markers', () => {
    for (const spec of [makeSpec(), fullSpec]) {
      for (const [name, text] of Object.entries(renderTerraform(spec))) {
        expect({ name, balanced: balanced(text) }).toEqual({
          name,
          balanced: true,
        });
        expect(text).not.toMatch(/[⟦⟧]/);
      }
    }
  });

  it('declares every resource apply creates, for AWS provider 5', () => {
    const main = renderTerraform(fullSpec)['main.tf'];
    expect(main).toMatch(/source\s+= "hashicorp\/aws"/);
    expect(main).toMatch(/version\s+= ">= 5.0"/);
    for (const resource of [
      'aws_s3_bucket',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_versioning',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_lifecycle_configuration',
    ]) {
      expect(main).toContain(`resource "${resource}" "logs" {`);
    }
    expect(main).toContain('resource "aws_cloudtrail" "this" {');
  });

  it('configures the trail like apply does', () => {
    const trail = topLevelBlock(
      renderTerraform(fullSpec)['main.tf'],
      'resource "aws_cloudtrail" "this"',
    );
    expect(trail).toMatch(/is_multi_region_trail\s+= true/);
    expect(trail).toMatch(/include_global_service_events\s+= true/);
    expect(trail).toMatch(/enable_log_file_validation\s+= true/);
    expect(trail).toMatch(/kms_key_id\s+= data\.aws_kms_key\.logs\.arn/);
    expect(trail).toMatch(/s3_key_prefix\s+= var\.s3_key_prefix/);
    expect(trail).toMatch(/depends_on = \[aws_s3_bucket_policy\.logs\]/);
    expect(trail.match(/insight_selector \{/g)).toHaveLength(2);

    // One advanced_event_selector per selector apply sends, same fields and values.
    const selectors = desiredEventSelectors(fullSpec);
    const blocks = trail.split('advanced_event_selector {').slice(1);
    expect(blocks).toHaveLength(selectors.length);
    selectors.forEach((selector, i) => {
      expect(blocks[i]).toContain(`name = "${selector.Name}"`);
      expect(blocks[i].match(/field_selector \{/g)).toHaveLength(
        selector.FieldSelectors.length,
      );
      for (const field of selector.FieldSelectors) {
        expect(blocks[i]).toMatch(new RegExp(`field\\s+= "${field.Field}"`));
        for (const value of [
          ...(field.Equals ?? []),
          ...(field.StartsWith ?? []),
        ]) {
          // The trail's own account and region come from the variables.
          const referenced = value.replace(
            'arn:aws:dynamodb:eu-west-1:111111111111:',
            'arn:${data.aws_partition.current.partition}:dynamodb:${var.region}:${var.account_id}:',
          );
          expect(blocks[i]).toContain(`"${referenced}"`);
        }
      }
    });
  });

  it('writes the same bucket policy as apply, with references', () => {
    const policy = topLevelBlock(
      renderTerraform(fullSpec)['main.tf'],
      'resource "aws_s3_bucket_policy" "logs"',
    );
    expect(policy).toContain('policy = jsonencode({');
    for (const sid of [
      'AWSCloudTrailAclCheck',
      'AWSCloudTrailWrite',
      'DenyInsecureTransport',
    ]) {
      expect(policy).toMatch(new RegExp(`Sid\\s+= "${sid}"`));
    }
    expect(policy).toContain(
      '"arn:${data.aws_partition.current.partition}:s3:::${aws_s3_bucket.logs.id}/${var.s3_key_prefix}/AWSLogs/${var.account_id}/*"',
    );
    expect(policy).toMatch(/"aws:SourceArn"\s+= local\.trail_arn/);
    expect(policy).toMatch(/"s3:x-amz-acl"\s+= "bucket-owner-full-control"/);
    expect(policy).toMatch(/"aws:SecureTransport" = "false"/);
  });

  it('archives and expires like the spec, and encrypts with the key', () => {
    const main = renderTerraform(fullSpec)['main.tf'];
    const lifecycle = topLevelBlock(
      main,
      'resource "aws_s3_bucket_lifecycle_configuration" "logs"',
    );
    expect(lifecycle).toMatch(
      /transition \{\s+days\s+= 30\s+storage_class = "GLACIER"/,
    );
    expect(lifecycle).toMatch(
      /noncurrent_version_transition \{\s+noncurrent_days = 30/,
    );
    expect(lifecycle).toMatch(/expiration \{\s+days = 400/);
    expect(lifecycle).toMatch(
      /noncurrent_version_expiration \{\s+noncurrent_days = 400/,
    );
    const sse = topLevelBlock(
      main,
      'resource "aws_s3_bucket_server_side_encryption_configuration" "logs"',
    );
    expect(sse).toMatch(/sse_algorithm\s+= "aws:kms"/);
    expect(sse).toMatch(/bucket_key_enabled = true/);

    const plain = renderTerraform(makeSpec())['main.tf'];
    expect(plain).toMatch(/sse_algorithm = "AES256"/);
    expect(plain).not.toContain('insight_selector');
    expect(plain).not.toContain('expiration {');
    expect(plain).not.toContain('aws_kms_key');
  });

  it('creates the key dedicated to the trail, with its policy and alias, and encrypts with it', () => {
    const spec = makeSpec({ createKmsKey: true });
    const { 'main.tf': main, 'variables.tf': variables } =
      renderTerraform(spec);
    const key = topLevelBlock(main, 'resource "aws_kms_key" "logs"');
    expect(key).toContain('"kms:GenerateDataKey*"');
    expect(key).toContain('"aws:SourceArn" = local.trail_arn');
    expect(key).toContain(
      '"arn:${data.aws_partition.current.partition}:iam::${var.account_id}:root"',
    );
    expect(key).toMatch(/tags\s+= local\.tags/);
    expect(topLevelBlock(main, 'resource "aws_kms_alias" "logs"')).toMatch(
      /target_key_id = aws_kms_key\.logs\.key_id/,
    );
    expect(topLevelBlock(main, 'resource "aws_cloudtrail" "this"')).toMatch(
      /kms_key_id\s+= aws_kms_key\.logs\.arn/,
    );
    expect(
      topLevelBlock(
        main,
        'resource "aws_s3_bucket_server_side_encryption_configuration" "logs"',
      ),
    ).toMatch(/kms_master_key_id = aws_kms_key\.logs\.arn/);
    expect(main).not.toContain('data "aws_kms_key"');
    expect(variables).not.toContain('kms_key_id');
  });

  it('exposes account, region and names as variables defaulting to the spec, and outputs', () => {
    const { 'variables.tf': variables, 'outputs.tf': outputs } =
      renderTerraform(fullSpec);
    for (const [name, value] of [
      ['account_id', '111111111111'],
      ['region', 'eu-west-1'],
      ['trail_name', 'dynamodb-lineage'],
      ['bucket_name', 'dynamodb-lineage-111111111111-eu-west-1'],
      ['s3_key_prefix', 'ct'],
      ['kms_key_id', 'alias/cloudtrail'],
    ]) {
      expect(topLevelBlock(variables, `variable "${name}"`)).toMatch(
        new RegExp(`default\\s+= "${value}"`),
      );
    }
    expect(outputs).toMatch(
      /output "trail_arn" \{[^}]*value\s+= aws_cloudtrail\.this\.arn/,
    );
    expect(outputs).toContain('output "bucket_name"');
    expect(outputs).toContain('output "bucket_arn"');
  });
});
