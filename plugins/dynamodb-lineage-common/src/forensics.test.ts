import {
  athenaQueryCostUsd,
  forensicsQueryAccountId,
  forensicsQuerySchema,
  parseForensicsQuery,
  s3ReadCostUsd,
} from './forensics';
import { dynamodbLineagePermissions } from './permissions';

const TABLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const ROLE = 'arn:aws:iam::111111111111:role/reporting-job';
const range = { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' };

describe('parseForensicsQuery', () => {
  it('parses an item-history query, normalising times and number key values', () => {
    expect(
      parseForensicsQuery({
        kind: 'item-history',
        tableArn: TABLE,
        key: { pk: 'order#123', sk: 7 },
        from: '2026-03-01T01:00:00+01:00',
        to: range.to,
      }),
    ).toEqual({
      kind: 'item-history',
      tableArn: TABLE,
      key: { pk: 'order#123', sk: '7' },
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T00:00:00.000Z',
    });
  });

  it('parses a principal-activity query; a session ARN stands for its role', () => {
    const query = parseForensicsQuery({
      kind: 'principal-activity',
      principal:
        'arn:aws:sts::111111111111:assumed-role/reporting-job/nightly-42',
      regions: ['eu-west-1'],
      ...range,
    });
    expect(query).toMatchObject({ principal: ROLE, regions: ['eu-west-1'] });
    expect(forensicsQueryAccountId(query)).toBe('111111111111');
    expect(
      forensicsQueryAccountId(
        parseForensicsQuery({
          kind: 'principal-activity',
          principal: 'events.amazonaws.com',
          accountId: '222222222222',
          ...range,
        }),
      ),
    ).toBe('222222222222');
  });

  it.each([
    [
      { kind: 'everything', ...range },
      'kind: must be one of item-history, principal-activity',
    ],
    [{ kind: 'item-history', tableArn: TABLE, ...range }, 'key: is required'],
    [
      { kind: 'item-history', tableArn: TABLE, key: {}, ...range },
      'key: must name 1 or 2 key attributes',
    ],
    [
      {
        kind: 'item-history',
        tableArn: TABLE,
        key: { a: '1', b: '2', c: '3' },
        ...range,
      },
      'got 3',
    ],
    [
      {
        kind: 'item-history',
        tableArn: TABLE,
        key: { pk: { S: 'x' } },
        ...range,
      },
      'key.pk: must be a string or a number',
    ],
    [
      { kind: 'item-history', tableArn: TABLE, key: { pk: '' }, ...range },
      'key.pk: must be a non-empty string',
    ],
    [
      {
        kind: 'item-history',
        tableArn: 'payments',
        key: { pk: 'x' },
        ...range,
      },
      'tableArn:',
    ],
    [
      {
        kind: 'item-history',
        tableArn: TABLE,
        key: { pk: 'x' },
        from: 'yesterday',
        to: range.to,
      },
      'from: must be an ISO-8601 time',
    ],
    [
      {
        kind: 'item-history',
        tableArn: TABLE,
        key: { pk: 'x' },
        from: range.to,
        to: range.from,
      },
      'to: must be after from',
    ],
    [
      {
        kind: 'item-history',
        tableArn: TABLE,
        key: { pk: 'x' },
        from: '2024-01-01T00:00:00Z',
        to: range.to,
      },
      'to: must be at most 366 days after from',
    ],
    [
      {
        kind: 'item-history',
        tableArn: TABLE,
        key: { pk: 'x' },
        extra: 1,
        ...range,
      },
      "Unrecognized key(s) in object: 'extra'",
    ],
    [
      { kind: 'principal-activity', principal: 'reporting-job', ...range },
      'principal: must be an IAM role or user ARN',
    ],
    [
      {
        kind: 'principal-activity',
        principal: "arn:aws:iam::111111111111:role/x' OR 1=1",
        ...range,
      },
      'principal: must be an IAM role or user ARN',
    ],
    [
      {
        kind: 'principal-activity',
        principal: 'events.amazonaws.com',
        ...range,
      },
      'accountId: is required for a service principal',
    ],
    [
      {
        kind: 'principal-activity',
        principal: ROLE,
        regions: ['mars-1'],
        ...range,
      },
      'regions[0]: must be a commercial AWS region',
    ],
    [
      { kind: 'principal-activity', principal: ROLE, regions: [], ...range },
      'regions: must be a non-empty list',
    ],
    [
      {
        kind: 'principal-activity',
        principal: ROLE,
        accountId: '12',
        ...range,
      },
      'accountId:',
    ],
  ])('refuses %j with a message naming the field', (input, message) => {
    expect(() => parseForensicsQuery(input)).toThrow(message);
    expect(forensicsQuerySchema.safeParse(input).success).toBe(false);
  });

  it('refuses a body that is not an object', () => {
    expect(() => parseForensicsQuery(undefined)).toThrow(/query:/);
    expect(() => parseForensicsQuery('item-history')).toThrow(/query:/);
  });
});

describe('costs', () => {
  it('bills Athena per megabyte with a 10 MB minimum, at $5 per TB', () => {
    expect(athenaQueryCostUsd(0)).toBe(0);
    const tenMb = (10 * 1024 ** 2 * 5) / 1024 ** 4;
    expect(athenaQueryCostUsd(1)).toBeCloseTo(tenMb, 12);
    expect(athenaQueryCostUsd(10 * 1024 ** 2 + 1)).toBeCloseTo(
      (11 / 10) * tenMb,
      12,
    );
    expect(athenaQueryCostUsd(1024 ** 4)).toBeCloseTo(5, 9);
  });

  it('prices reading logs by S3 requests', () => {
    expect(s3ReadCostUsd(1000, 0)).toBeCloseTo(0.0004, 12);
    expect(s3ReadCostUsd(0, 1000)).toBeCloseTo(0.005, 12);
  });
});

it('registers the forensics permission with the others', () => {
  expect(dynamodbLineagePermissions.map(p => p.name)).toContain(
    'dynamodb-lineage.forensics.query',
  );
});
