import {
  MANAGED_BY_VALUE,
  TAG_CREATED_BY,
  TAG_MANAGED_BY,
  TAG_OWNER,
  evaluateCoverage,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  desiredBucketEncryption,
  desiredBucketPolicy,
  desiredEventSelectors,
  desiredInsightTypes,
  desiredLifecycleRule,
  desiredTags,
  specBucketArn,
  specTrailArn,
} from './desiredState';
import { BUCKET, TRAIL_ARN, makeSpec } from './__fixtures__/specs';

const CANARY =
  'arn:aws:dynamodb:us-east-1:111111111111:table/dynamodb-lineage-canary';

describe('desiredEventSelectors', () => {
  it('selects every table with advanced selectors and no management events', () => {
    expect(desiredEventSelectors(makeSpec())).toEqual([
      {
        Name: 'dynamodb-lineage: DynamoDB tables',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
        ],
      },
    ]);
  });

  it('scopes exact tables with Equals and their streams with StartsWith', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
    const selectors = desiredEventSelectors(
      makeSpec({
        scope: { mode: 'tables', tableArns: [arn] },
        includeStreams: true,
        readWriteType: 'ReadOnly',
      }),
    );
    expect(selectors).toEqual([
      {
        Name: 'dynamodb-lineage: DynamoDB tables',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          { Field: 'readOnly', Equals: ['true'] },
          { Field: 'resources.ARN', Equals: [arn, CANARY] },
        ],
      },
      {
        Name: 'dynamodb-lineage: DynamoDB streams',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Stream'] },
          { Field: 'resources.ARN', StartsWith: [`${arn}/stream/`] },
        ],
      },
    ]);
  });

  it('uses StartsWith for prefixes and readOnly=false for WriteOnly', () => {
    const [tables, canaryReads] = desiredEventSelectors(
      makeSpec({
        scope: { mode: 'prefix', prefixes: ['orders-'] },
        readWriteType: 'WriteOnly',
      }),
    );
    expect(tables.FieldSelectors).toContainEqual({
      Field: 'resources.ARN',
      StartsWith: ['arn:aws:dynamodb:us-east-1:111111111111:table/orders-'],
    });
    expect(tables.FieldSelectors).toContainEqual({
      Field: 'readOnly',
      Equals: ['false'],
    });
    // The canary is a read: a write-only trail captures it with its own selector.
    expect(canaryReads).toEqual({
      Name: 'dynamodb-lineage: canary reads (proof of capture)',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
        { Field: 'readOnly', Equals: ['true'] },
        { Field: 'resources.ARN', Equals: [CANARY] },
      ],
    });
    expect(
      desiredEventSelectors(
        makeSpec({ readWriteType: 'WriteOnly', canary: false }),
      ).map(selector => selector.Name),
    ).toEqual(['dynamodb-lineage: DynamoDB tables']);
  });

  it("captures the home region's canary table in every scope, only with the canary on", () => {
    const arn = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
    const arnCondition = (spec: Parameters<typeof makeSpec>[0]) =>
      desiredEventSelectors(makeSpec(spec))[0].FieldSelectors.find(
        field => field.Field === 'resources.ARN',
      );
    expect(
      arnCondition({ scope: { mode: 'tables', tableArns: [arn, CANARY] } }),
    ).toEqual({ Field: 'resources.ARN', Equals: [arn, CANARY] });
    expect(
      arnCondition({
        scope: { mode: 'tables', tableArns: [arn] },
        canary: false,
      }),
    ).toEqual({ Field: 'resources.ARN', Equals: [arn] });
    expect(
      arnCondition({
        scope: { mode: 'prefix', prefixes: ['orders-'] },
        canary: false,
      }),
    ).toEqual({
      Field: 'resources.ARN',
      StartsWith: ['arn:aws:dynamodb:us-east-1:111111111111:table/orders-'],
    });
    // Every table of the account is captured already: nothing to add.
    expect(arnCondition({})).toBeUndefined();
  });

  it('adds a management selector only when Insights are asked for', () => {
    const selectors = desiredEventSelectors(makeSpec({ insights: true }));
    expect(selectors.map(s => s.Name)).toEqual([
      'dynamodb-lineage: DynamoDB tables',
      'dynamodb-lineage: management events for Insights',
    ]);
    expect(desiredInsightTypes(makeSpec({ insights: true }))).toEqual([
      'ApiCallRateInsight',
      'ApiErrorRateInsight',
    ]);
    expect(desiredInsightTypes(makeSpec())).toEqual([]);
  });

  it('gives selectors the shared coverage check judges as covering reads and writes', () => {
    const table = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
    for (const scope of [
      { mode: 'all' as const },
      { mode: 'tables' as const, tableArns: [table] },
      { mode: 'prefix' as const, prefixes: ['pay'] },
    ]) {
      const result = evaluateCoverage({
        trail: {
          accountId: '111111111111',
          homeRegion: 'us-east-1',
          isMultiRegionTrail: true,
          isOrganizationTrail: false,
        },
        selectors: { advanced: desiredEventSelectors(makeSpec({ scope })) },
        target: { kind: 'table', tableArn: table },
      });
      expect(result.verdict).toBe('covered');
    }
  });
});

describe('desiredBucketPolicy', () => {
  it('scopes CloudTrail to the trail ARN, requires owner control and denies plain HTTP', () => {
    const spec = makeSpec({ s3KeyPrefix: 'ct' });
    const bucketArn = `arn:aws:s3:::${BUCKET}`;
    expect(desiredBucketPolicy(spec)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: bucketArn,
          Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
        },
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/ct/AWSLogs/111111111111/*`,
          Condition: {
            StringEquals: {
              's3:x-amz-acl': 'bucket-owner-full-control',
              'aws:SourceArn': TRAIL_ARN,
            },
          },
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });
});

describe('other desired documents', () => {
  it('derives ARNs from the spec', () => {
    expect(specTrailArn(makeSpec())).toBe(TRAIL_ARN);
    expect(specBucketArn(makeSpec())).toBe(`arn:aws:s3:::${BUCKET}`);
  });

  it('encrypts with the given KMS key (bucket key on) or SSE-S3', () => {
    expect(
      desiredBucketEncryption(makeSpec({ kmsKeyId: 'alias/logs' })),
    ).toEqual({
      algorithm: 'aws:kms',
      kmsKeyId: 'alias/logs',
      bucketKeyEnabled: true,
    });
    expect(desiredBucketEncryption(makeSpec())).toEqual({
      algorithm: 'AES256',
    });
  });

  it('archives current and noncurrent versions, expiring only when asked', () => {
    expect(desiredLifecycleRule(makeSpec())).toEqual({
      ID: 'dynamodb-lineage-archive',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
      NoncurrentVersionTransitions: [
        { NoncurrentDays: 90, StorageClass: 'GLACIER' },
      ],
    });
    expect(
      desiredLifecycleRule(
        makeSpec({ lifecycle: { glacierAfterDays: 30, expireAfterDays: 400 } }),
      ),
    ).toMatchObject({
      Transitions: [{ Days: 30, StorageClass: 'GLACIER' }],
      Expiration: { Days: 400 },
      NoncurrentVersionExpiration: { NoncurrentDays: 400 },
    });
  });

  it('tags owner, manager and creator with the common keys', () => {
    expect(desiredTags(makeSpec())).toEqual({
      [TAG_OWNER]: 'group:default/team-payments',
      [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
      [TAG_CREATED_BY]: 'user:default/jane',
    });
  });
});
