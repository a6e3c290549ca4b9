import { lineageRequestSchema } from '@lineage/plugin-dynamodb-lineage-common';
import { planRequestOf } from './fieldContext';

describe('planRequestOf', () => {
  const formData = {
    owner: 'group:default/team-payments',
    accountId: '111111111111',
    region: 'eu-west-1',
    scope: { mode: 'prefix', prefixes: ['orders-'], regions: ['eu-west-1'] },
    trailName: '',
    s3KeyPrefix: 'lineage',
    readWriteType: 'All',
    lifecycle: { glacierAfterDays: 30 },
    allowDuplicateCapture: true,
    // Not request fields: the delivery mode, the preview, and the creator,
    // which the backend takes from the caller's credentials.
    mode: 'apply',
    planPreview: null,
    createdBy: 'user:default/mallory',
  };

  it('sends every request field the form holds, and nothing else', () => {
    const request = planRequestOf({ formData });
    expect(request).toEqual({
      owner: 'group:default/team-payments',
      accountId: '111111111111',
      region: 'eu-west-1',
      scope: { mode: 'prefix', prefixes: ['orders-'], regions: ['eu-west-1'] },
      s3KeyPrefix: 'lineage',
      readWriteType: 'All',
      lifecycle: { glacierAfterDays: 30 },
      allowDuplicateCapture: true,
    });
    expect(lineageRequestSchema.safeParse(request).success).toBe(true);
  });

  it('maps the template encryption choice to the request fields', () => {
    const withChoice = (encryption: string) =>
      planRequestOf({
        formData: { ...formData, encryption, kmsKeyId: 'alias/logs' },
      });
    expect(withChoice('dedicated-key')).toMatchObject({ createKmsKey: true });
    expect(withChoice('dedicated-key')).not.toHaveProperty('kmsKeyId');
    expect(withChoice('existing-key')).toMatchObject({
      kmsKeyId: 'alias/logs',
    });
    expect(withChoice('existing-key')).not.toHaveProperty('createKmsKey');
    expect(withChoice('sse-s3')).not.toHaveProperty('kmsKeyId');
    expect(withChoice('sse-s3')).not.toHaveProperty('createKmsKey');
    for (const encryption of ['dedicated-key', 'existing-key', 'sse-s3']) {
      expect(
        lineageRequestSchema.safeParse(withChoice(encryption)).success,
      ).toBe(true);
    }
  });

  it('waits for owner, account and region', () => {
    expect(
      planRequestOf({ formData: { ...formData, region: ' ' } }),
    ).toBeUndefined();
  });
});
