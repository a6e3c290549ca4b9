import { BucketState } from '@lineage/plugin-dynamodb-lineage-common';
import { renderTerraform } from './terraform';
import {
  describeWithTerraform,
  initOffline,
  terraform,
  workingDirectory,
} from './__testUtils__/terraform';
import { convergedLive } from './__fixtures__/live';
import { everyOptionSpec, makeSpec } from './__fixtures__/specs';

/*
 * What a GitOps repository's checks run on the rendered files: `terraform fmt
 * -check` and `terraform validate` with the real hashicorp/aws provider.
 */

jest.setTimeout(180_000);

const full = everyOptionSpec;

const existing = makeSpec({
  scope: {
    mode: 'prefix',
    prefixes: ['arn:aws:dynamodb:us-east-1:111111111111:table/orders-'],
  },
});
const existingBucket: BucketState = {
  ...convergedLive(existing).bucket,
  policy: { ok: true, value: null },
  lifecycle: {
    ok: true,
    value: [
      {
        ID: 'abort-uploads',
        Status: 'Enabled',
        Filter: { Prefix: 'tmp/' },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      } as never,
    ],
  },
  tags: { ok: true, value: { 'cost-center': 'audit' } },
};

const cases = [
  ['the default spec', renderTerraform(makeSpec())],
  ['every option', renderTerraform(full)],
  [
    'a key created for the trail',
    renderTerraform(makeSpec({ createKmsKey: true, s3KeyPrefix: 'ct' })),
  ],
  ['an existing bucket', renderTerraform(existing, { bucket: existingBucket })],
  [
    'the Athena forensics table',
    renderTerraform(makeSpec({ s3KeyPrefix: 'ct' }), {
      athena: { database: 'dynamodb_lineage' },
    }),
  ],
] as const;

const SUITE = 'rendered Terraform, judged by the Terraform CLI';

describeWithTerraform(SUITE)(SUITE, () => {
  it.each(cases)('%s is fmt-clean and validates', async (_name, files) => {
    const { dir, remove } = workingDirectory({ ...files });
    try {
      const fmt = await terraform(dir, ['fmt', '-check', '-diff', '-no-color']);
      expect({ code: fmt.code, diff: fmt.stdout }).toEqual({
        code: 0,
        diff: '',
      });

      await initOffline(dir);
      const validate = await terraform(dir, ['validate', '-json', '-no-color']);
      const result = JSON.parse(validate.stdout);
      expect({
        valid: result.valid,
        diagnostics: result.diagnostics.map(
          (d: { severity: string; summary: string; detail?: string }) =>
            `${d.severity}: ${d.summary} ${d.detail ?? ''}`,
        ),
      }).toEqual({ valid: true, diagnostics: [] });
    } finally {
      remove();
    }
  });
});
