import { InputError } from '@backstage/errors';
import {
  buildSpec,
  describeZodError,
  lineageRequestSchema,
  lineageSpecInputSchema,
  lineageSpecSchema,
  LineageSpecInput,
} from './spec';

const base: LineageSpecInput = {
  accountId: '111111111111',
  region: 'eu-west-1',
  owner: 'group:default/team-payments',
};

describe('buildSpec', () => {
  it('applies the documented defaults', () => {
    expect(buildSpec(base)).toEqual({
      accountId: '111111111111',
      region: 'eu-west-1',
      trailName: 'dynamodb-lineage',
      bucketName: 'dynamodb-lineage-111111111111-eu-west-1',
      scope: { mode: 'all' },
      readWriteType: 'All',
      includeStreams: false,
      lifecycle: { glacierAfterDays: 90 },
      insights: false,
      canary: true,
      owner: 'group:default/team-payments',
    });
  });

  it('keeps explicit choices and normalises entity refs', () => {
    const spec = buildSpec({
      ...base,
      owner: 'Group:team-payments',
      createdBy: 'user:jane.doe',
      trailName: 'lineage.payments',
      bucketName: 'payments-trail-logs',
      s3KeyPrefix: 'cloudtrail/lineage',
      readWriteType: 'WriteOnly',
      includeStreams: true,
      kmsKeyId: 'alias/cloudtrail',
      lifecycle: { glacierAfterDays: 30, expireAfterDays: 365 },
      insights: true,
      allowWeakening: true,
    });
    expect(spec).toMatchObject({
      owner: 'group:default/team-payments',
      createdBy: 'user:default/jane.doe',
      trailName: 'lineage.payments',
      bucketName: 'payments-trail-logs',
      s3KeyPrefix: 'cloudtrail/lineage',
      readWriteType: 'WriteOnly',
      includeStreams: true,
      kmsKeyId: 'alias/cloudtrail',
      lifecycle: { glacierAfterDays: 30, expireAfterDays: 365 },
      insights: true,
      allowWeakening: true,
    });
  });

  it('keeps exact table ARNs, deduplicated', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
    expect(
      buildSpec({ ...base, scope: { mode: 'tables', tableArns: [arn, arn] } })
        .scope,
    ).toEqual({ mode: 'tables', tableArns: [arn] });
  });

  it('expands table-name prefixes to ARN prefixes in each region', () => {
    expect(
      buildSpec({
        ...base,
        scope: {
          mode: 'prefix',
          prefixes: [
            'orders-',
            'arn:aws:dynamodb:us-west-2:111111111111:table/audit',
          ],
          regions: ['eu-west-1', 'us-east-1'],
        },
      }).scope,
    ).toEqual({
      mode: 'prefix',
      prefixes: [
        'arn:aws:dynamodb:eu-west-1:111111111111:table/orders-',
        'arn:aws:dynamodb:us-east-1:111111111111:table/orders-',
        'arn:aws:dynamodb:us-west-2:111111111111:table/audit',
      ],
    });
  });

  it('expands name prefixes to the home region by default', () => {
    expect(
      buildSpec({ ...base, scope: { mode: 'prefix', prefixes: ['orders-'] } })
        .scope,
    ).toEqual({
      mode: 'prefix',
      prefixes: ['arn:aws:dynamodb:eu-west-1:111111111111:table/orders-'],
    });
  });

  it.each<
    [string, Partial<LineageSpecInput> | Record<string, unknown>, RegExp]
  >([
    ['account id', { accountId: '12345' }, /^accountId: .*12 digits/],
    ['missing account id', { accountId: undefined }, /^accountId: is required/],
    ['region', { region: 'moon-east-1' }, /^region: .*region code/],
    ['owner', { owner: 'team payments' }, /^owner: must be an entity ref/],
    ['trail name', { trailName: 'my--trail' }, /^trailName: .*adjacent/],
    ['trail name as IP', { trailName: '10.0.0.1' }, /^trailName: .*IP address/],
    ['bucket name', { bucketName: 'Upper-Case' }, /^bucketName: .*lowercase/],
    ['bucket prefix', { bucketName: 'xn--bucket' }, /^bucketName: .*"xn--"/],
    [
      'bucket suffix',
      { bucketName: 'logs-s3alias' },
      /^bucketName: .*"-s3alias"/,
    ],
    ['key prefix slash', { s3KeyPrefix: '/logs' }, /^s3KeyPrefix: /],
    [
      'key prefix chars',
      { s3KeyPrefix: 'logs ${x}' },
      /^s3KeyPrefix: .*path segments/,
    ],
    ['read/write', { readWriteType: 'Some' }, /^readWriteType: must be one of/],
    ['kms key', { kmsKeyId: 'my key' }, /^kmsKeyId: must be a key id/],
    [
      'kms key ARN without a key id',
      { kmsKeyId: 'arn:aws:kms:us-east-1:444444444444:key/not-a-uuid' },
      /^kmsKeyId: must be a key id/,
    ],
    [
      'kms key in another region',
      {
        kmsKeyId:
          'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      /^kmsKeyId: must be a key in the trail's home region and account \(eu-west-1, 111111111111\), got us-east-1, 111111111111/,
    ],
    [
      'a created key and a given one',
      { createKmsKey: true, kmsKeyId: 'alias/cloudtrail' },
      /^createKmsKey: cannot be combined with kmsKeyId/,
    ],
    [
      'created key flag',
      { createKmsKey: 'yes' },
      /^createKmsKey: must be true or false/,
    ],
    [
      'kms alias in another account',
      { kmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:alias/cloudtrail' },
      /^kmsKeyId: must be a key in the trail's home region and account/,
    ],
    [
      'glacier days',
      { lifecycle: { glacierAfterDays: 0 } },
      /^lifecycle\.glacierAfterDays: /,
    ],
    [
      'expiration before archive',
      { lifecycle: { glacierAfterDays: 90, expireAfterDays: 30 } },
      /^lifecycle\.expireAfterDays: .*greater than lifecycle\.glacierAfterDays \(90\)/,
    ],
    [
      'streams flag',
      { includeStreams: 'yes' },
      /^includeStreams: must be true or false/,
    ],
    [
      'empty tables',
      { scope: { mode: 'tables', tableArns: [] } },
      /^scope\.tableArns: must be a non-empty list/,
    ],
    [
      'not a table ARN',
      { scope: { mode: 'tables', tableArns: ['arn:aws:s3:::bucket'] } },
      /^scope\.tableArns\[0\]: /,
    ],
    [
      'table of another account',
      {
        scope: {
          mode: 'tables',
          tableArns: ['arn:aws:dynamodb:us-east-1:222222222222:table/orders'],
        },
      },
      /^scope\.tableArns\[0\]: must be a table of account 111111111111/,
    ],
    [
      'prefix with a wildcard',
      { scope: { mode: 'prefix', prefixes: ['orders*'] } },
      /^scope\.prefixes\[0\]: /,
    ],
    [
      'ARN prefix of another account',
      {
        scope: {
          mode: 'prefix',
          prefixes: ['arn:aws:dynamodb:us-east-1:222222222222:table/o'],
        },
      },
      /^scope\.prefixes\[0\]: /,
    ],
    ['scope mode', { scope: { mode: 'some' } }, /^scope\.mode: must be one of/],
  ])(
    'refuses a bad %s with an InputError naming the field',
    (_, patch, message) => {
      const attempt = () =>
        buildSpec({ ...base, ...patch } as LineageSpecInput);
      expect(attempt).toThrow(InputError);
      expect(attempt).toThrow(message);
    },
  );
});

describe('lineageRequestSchema', () => {
  const request = {
    accountId: '444444444444',
    region: 'us-east-1',
    owner: 'group:default/team-analytics',
  };

  it('accepts the empty list a form keeps for the mode it does not show, and drops it', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:444444444444:table/events';
    expect(
      buildSpec({
        ...request,
        scope: { mode: 'tables', tableArns: [arn], prefixes: [] },
      }).scope,
    ).toEqual({ mode: 'tables', tableArns: [arn] });
    expect(
      buildSpec({
        ...request,
        scope: { mode: 'all', tableArns: [], prefixes: [] },
      }).scope,
    ).toEqual({ mode: 'all' });
  });

  it('refuses a non-empty list of another mode, naming the rule', () => {
    expect(() =>
      buildSpec({
        ...request,
        scope: { mode: 'all', prefixes: ['orders'] },
      } as LineageSpecInput),
    ).toThrow(/^scope\.prefixes: is used only when scope\.mode is 'prefix'/);
  });

  it('refuses unknown keys, and createdBy, which comes from the credentials', () => {
    for (const extra of [
      { scope: { mode: 'all', tables: [] } },
      { createdBy: 'user:default/mallory' },
      { trail: 'x' },
    ]) {
      const result = lineageRequestSchema.safeParse({ ...request, ...extra });
      expect([extra, result.success]).toEqual([extra, false]);
    }
  });

  it('takes the regions a name prefix applies in', () => {
    const parsed = lineageRequestSchema.parse({
      ...request,
      scope: { mode: 'prefix', prefixes: ['orders-'], regions: ['eu-west-1'] },
    });
    expect(parsed.scope).toEqual({
      mode: 'prefix',
      prefixes: ['orders-'],
      regions: ['eu-west-1'],
    });
  });

  it('fills in the defaults and reads empty text fields as absent', () => {
    const parsed = lineageRequestSchema.parse({
      ...request,
      trailName: '',
      bucketName: ' ',
    });
    expect(parsed).toMatchObject({
      readWriteType: 'All',
      includeStreams: false,
      insights: false,
      allowWeakening: false,
      allowDuplicateCapture: false,
    });
    const { allowDuplicateCapture: _, ...specInput } = parsed;
    expect(buildSpec(specInput)).toMatchObject({
      trailName: 'dynamodb-lineage',
      bucketName: 'dynamodb-lineage-444444444444-us-east-1',
    });
  });

  it('is the spec input without createdBy, plus allowDuplicateCapture', () => {
    expect(Object.keys(lineageRequestSchema.shape).sort()).toEqual(
      [
        ...Object.keys(lineageSpecInputSchema.shape).filter(
          key => key !== 'createdBy',
        ),
        'allowDuplicateCapture',
      ].sort(),
    );
  });
});

describe('describeZodError', () => {
  it('names each field as a reader writes it', () => {
    const result = lineageSpecSchema.safeParse({
      accountId: '1',
      region: 'us-east-1',
      owner: 'group:default/a',
      scope: { mode: 'tables', tableArns: ['arn:aws:s3:::bucket'] },
    });
    expect(result.success).toBe(false);
    expect(describeZodError((result as { error: any }).error)).toMatch(
      /^accountId: .*12 digits; scope\.tableArns\[0\]: /,
    );
    expect(
      describeZodError(lineageSpecSchema.safeParse('x').error!, 'body'),
    ).toBe('body: Expected object, received string');
  });
});
