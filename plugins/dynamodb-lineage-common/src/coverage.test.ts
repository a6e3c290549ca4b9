import {
  CoverageTarget,
  CoverageTrail,
  CoverageVerdict,
  coverageTargetsForScope,
  describeFieldSelector,
  evaluateCoverage,
  evaluateScopeCoverage,
  trailReachesAccountRegion,
} from './coverage';
import { DynamoDbDataOperation } from './operations';
import type { AdvancedFieldSelector, EventSelectors } from './types';

const TABLE = 'AWS::DynamoDB::Table';
const US_PREFIX = 'arn:aws:dynamodb:us-east-1:111111111111:table/';
const PAY = `${US_PREFIX}payments`;
const LEDGER = `${US_PREFIX}ledger`;
const EU = 'arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu';
const ORDERS = 'arn:aws:dynamodb:us-east-1:222222222222:table/orders';
const CN = 'arn:aws-cn:dynamodb:cn-north-1:111111111111:table/payments';

const multiRegion: CoverageTrail = {
  accountId: '111111111111',
  homeRegion: 'us-east-1',
  isMultiRegionTrail: true,
  isOrganizationTrail: false,
};
const singleRegion: CoverageTrail = {
  ...multiRegion,
  isMultiRegionTrail: false,
};
const orgTrail: CoverageTrail = { ...multiRegion, isOrganizationTrail: true };

const table = (tableArn: string): CoverageTarget => ({
  kind: 'table',
  tableArn,
});
const ALL_US: CoverageTarget = {
  kind: 'all-tables',
  accountId: '111111111111',
  region: 'us-east-1',
};

const basic = (
  values: string[],
  readWrite?: 'ReadOnly' | 'WriteOnly' | 'All',
  type = TABLE,
): EventSelectors => ({
  basic: [
    {
      ReadWriteType: readWrite,
      IncludeManagementEvents: true,
      DataResources: [{ Type: type, Values: values }],
    },
  ],
});

const dataFields = (type = TABLE): AdvancedFieldSelector[] => [
  { Field: 'eventCategory', Equals: ['Data'] },
  { Field: 'resources.type', Equals: [type] },
];
const advanced = (...extra: AdvancedFieldSelector[]): EventSelectors => ({
  advanced: [{ Name: 'ddb', FieldSelectors: [...dataFields(), ...extra] }],
});
const arn = (condition: Omit<AdvancedFieldSelector, 'Field'>) =>
  ({ Field: 'resources.ARN', ...condition } as AdvancedFieldSelector);

type Row = [
  string,
  EventSelectors,
  CoverageTrail,
  CoverageTarget,
  DynamoDbDataOperation,
  CoverageVerdict,
];

const truthTable: Row[] = [
  // basic selectors
  [
    'basic all-tables value',
    basic(['arn:aws:dynamodb']),
    multiRegion,
    table(PAY),
    'GetItem',
    'covered',
  ],
  [
    'basic all-tables, other region, multi-region',
    basic(['arn:aws:dynamodb']),
    multiRegion,
    table(EU),
    'PutItem',
    'covered',
  ],
  [
    'basic all-tables, other region, single-region',
    basic(['arn:aws:dynamodb']),
    singleRegion,
    table(EU),
    'PutItem',
    'not-covered',
  ],
  [
    'basic all-tables, home region, single-region',
    basic(['arn:aws:dynamodb']),
    singleRegion,
    table(PAY),
    'PutItem',
    'covered',
  ],
  [
    'basic all-tables on all tables',
    basic(['arn:aws:dynamodb']),
    multiRegion,
    ALL_US,
    'Scan',
    'covered',
  ],
  [
    'basic all-tables value is per partition',
    basic(['arn:aws:dynamodb']),
    multiRegion,
    table(CN),
    'GetItem',
    'not-covered',
  ],
  [
    'basic exact ARN, same table',
    basic([PAY]),
    multiRegion,
    table(PAY),
    'GetItem',
    'covered',
  ],
  [
    'basic exact ARN, other table',
    basic([PAY]),
    multiRegion,
    table(LEDGER),
    'GetItem',
    'not-covered',
  ],
  [
    'basic exact ARN on all tables',
    basic([PAY]),
    multiRegion,
    ALL_US,
    'GetItem',
    'partial',
  ],
  [
    'basic ReadOnly, read',
    basic(['arn:aws:dynamodb'], 'ReadOnly'),
    multiRegion,
    table(PAY),
    'GetItem',
    'covered',
  ],
  [
    'basic ReadOnly, write',
    basic(['arn:aws:dynamodb'], 'ReadOnly'),
    multiRegion,
    table(PAY),
    'PutItem',
    'not-covered',
  ],
  [
    'basic ReadOnly drops PartiQL (readOnly=false)',
    basic(['arn:aws:dynamodb'], 'ReadOnly'),
    multiRegion,
    table(PAY),
    'ExecuteStatement',
    'not-covered',
  ],
  [
    'basic WriteOnly, read',
    basic(['arn:aws:dynamodb'], 'WriteOnly'),
    multiRegion,
    table(PAY),
    'Query',
    'not-covered',
  ],
  [
    'basic WriteOnly, batch write',
    basic(['arn:aws:dynamodb'], 'WriteOnly'),
    multiRegion,
    table(PAY),
    'BatchWriteItem',
    'covered',
  ],
  [
    'basic WriteOnly, PartiQL transaction',
    basic(['arn:aws:dynamodb'], 'WriteOnly'),
    multiRegion,
    table(PAY),
    'ExecuteTransaction',
    'covered',
  ],
  [
    'basic S3 objects only',
    basic(['arn:aws:s3'], 'All', 'AWS::S3::Object'),
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  [
    'basic wildcard value is literal',
    basic([`${US_PREFIX}*`]),
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  // advanced selectors: resource type and category
  [
    'advanced all tables',
    advanced(),
    multiRegion,
    table(PAY),
    'TransactGetItems',
    'covered',
  ],
  [
    'advanced all tables on all tables',
    advanced(),
    multiRegion,
    ALL_US,
    'PutItem',
    'covered',
  ],
  [
    'advanced, other account, not an org trail',
    advanced(),
    multiRegion,
    table(ORDERS),
    'GetItem',
    'not-covered',
  ],
  [
    'advanced, member account, org trail',
    advanced(),
    orgTrail,
    table(ORDERS),
    'GetItem',
    'covered',
  ],
  [
    'advanced S3 objects only',
    { advanced: [{ FieldSelectors: dataFields('AWS::S3::Object') }] },
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  [
    'advanced streams only',
    { advanced: [{ FieldSelectors: dataFields('AWS::DynamoDB::Stream') }] },
    multiRegion,
    table(PAY),
    'Query',
    'not-covered',
  ],
  [
    'advanced management events only',
    {
      advanced: [
        {
          FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
        },
      ],
    },
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  [
    'no selectors at all',
    {},
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  // advanced selectors: resources.ARN
  [
    'StartsWith prefix, matching table',
    advanced(arn({ StartsWith: [`${US_PREFIX}pay`] })),
    multiRegion,
    table(PAY),
    'GetItem',
    'covered',
  ],
  [
    'StartsWith prefix, other table',
    advanced(arn({ StartsWith: [`${US_PREFIX}pay`] })),
    multiRegion,
    table(LEDGER),
    'GetItem',
    'not-covered',
  ],
  [
    'StartsWith prefix on all tables',
    advanced(arn({ StartsWith: [`${US_PREFIX}pay`] })),
    multiRegion,
    ALL_US,
    'GetItem',
    'partial',
  ],
  [
    'StartsWith us-east-1 prefix, eu table',
    advanced(arn({ StartsWith: [`${US_PREFIX}pay`] })),
    multiRegion,
    table(EU),
    'GetItem',
    'not-covered',
  ],
  [
    'StartsWith account-region prefix on all tables',
    advanced(arn({ StartsWith: [US_PREFIX] })),
    multiRegion,
    ALL_US,
    'UpdateItem',
    'covered',
  ],
  [
    'StartsWith account-region prefix, eu table',
    advanced(arn({ StartsWith: [US_PREFIX] })),
    multiRegion,
    table(EU),
    'UpdateItem',
    'not-covered',
  ],
  [
    'StartsWith arn:aws:dynamodb on all tables',
    advanced(arn({ StartsWith: ['arn:aws:dynamodb'] })),
    multiRegion,
    ALL_US,
    'DeleteItem',
    'covered',
  ],
  [
    'Equals table, same table',
    advanced(arn({ Equals: [LEDGER] })),
    multiRegion,
    table(LEDGER),
    'Query',
    'covered',
  ],
  [
    'Equals table on all tables',
    advanced(arn({ Equals: [LEDGER] })),
    multiRegion,
    ALL_US,
    'Query',
    'partial',
  ],
  [
    'Equals eu table on us-east-1 tables',
    advanced(arn({ Equals: [EU] })),
    multiRegion,
    ALL_US,
    'Query',
    'not-covered',
  ],
  [
    'NotEquals table, that table',
    advanced(arn({ NotEquals: [PAY] })),
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  [
    'NotEquals table, other table',
    advanced(arn({ NotEquals: [PAY] })),
    multiRegion,
    table(LEDGER),
    'GetItem',
    'covered',
  ],
  [
    'NotEquals table on all tables',
    advanced(arn({ NotEquals: [PAY] })),
    multiRegion,
    ALL_US,
    'GetItem',
    'partial',
  ],
  [
    'EndsWith -eu, eu table',
    advanced(arn({ EndsWith: ['-eu'] })),
    multiRegion,
    table(EU),
    'Scan',
    'covered',
  ],
  [
    'EndsWith -eu on us-east-1 tables',
    advanced(arn({ EndsWith: ['-eu'] })),
    multiRegion,
    ALL_US,
    'Scan',
    'partial',
  ],
  [
    'EndsWith :table/payments, that table',
    advanced(arn({ EndsWith: [':table/payments'] })),
    multiRegion,
    table(PAY),
    'Scan',
    'covered',
  ],
  [
    'EndsWith :table/payments on all tables',
    advanced(arn({ EndsWith: [':table/payments'] })),
    multiRegion,
    ALL_US,
    'Scan',
    'partial',
  ],
  [
    'EndsWith /stream suffix matches no table',
    advanced(arn({ EndsWith: ['/stream/2024'] })),
    multiRegion,
    ALL_US,
    'Scan',
    'not-covered',
  ],
  [
    'NotStartsWith tmp- on all tables',
    advanced(arn({ NotStartsWith: [`${US_PREFIX}tmp-`] })),
    multiRegion,
    ALL_US,
    'PutItem',
    'partial',
  ],
  [
    'NotStartsWith tmp-, regular table',
    advanced(arn({ NotStartsWith: [`${US_PREFIX}tmp-`] })),
    multiRegion,
    table(PAY),
    'PutItem',
    'covered',
  ],
  [
    'NotStartsWith account-region prefix on all tables',
    advanced(arn({ NotStartsWith: [US_PREFIX] })),
    multiRegion,
    ALL_US,
    'PutItem',
    'not-covered',
  ],
  [
    'NotEndsWith -eu, eu table',
    advanced(arn({ NotEndsWith: ['-eu'] })),
    multiRegion,
    table(EU),
    'PutItem',
    'not-covered',
  ],
  [
    'StartsWith pay but NotEquals payments, payments',
    advanced(arn({ StartsWith: [`${US_PREFIX}pay`], NotEquals: [PAY] })),
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  [
    'StartsWith pay but NotEquals payments on all tables',
    advanced(arn({ StartsWith: [`${US_PREFIX}pay`], NotEquals: [PAY] })),
    multiRegion,
    ALL_US,
    'GetItem',
    'partial',
  ],
  [
    'two field selectors on ARN: prefix AND suffix on all tables',
    advanced(
      arn({ StartsWith: [`${US_PREFIX}pay`] }),
      arn({ EndsWith: ['-v2'] }),
    ),
    multiRegion,
    ALL_US,
    'GetItem',
    'partial',
  ],
  [
    'two field selectors on ARN: prefix AND suffix, table lacking the suffix',
    advanced(
      arn({ StartsWith: [`${US_PREFIX}pay`] }),
      arn({ EndsWith: ['-v2'] }),
    ),
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  [
    'prefix OR not-prefix across selectors covers all tables',
    {
      advanced: [
        {
          Name: 'pay',
          FieldSelectors: [
            ...dataFields(),
            arn({ StartsWith: [`${US_PREFIX}pay`] }),
          ],
        },
        {
          Name: 'rest',
          FieldSelectors: [
            ...dataFields(),
            arn({ NotStartsWith: [`${US_PREFIX}pay`] }),
          ],
        },
      ],
    },
    multiRegion,
    ALL_US,
    'GetItem',
    'covered',
  ],
  [
    'not-prefix OR not-suffix across selectors misses tables with both',
    {
      advanced: [
        {
          FieldSelectors: [
            ...dataFields(),
            arn({ NotStartsWith: [`${US_PREFIX}tmp-`] }),
          ],
        },
        { FieldSelectors: [...dataFields(), arn({ NotEndsWith: ['-old'] })] },
      ],
    },
    multiRegion,
    ALL_US,
    'GetItem',
    'partial',
  ],
  [
    'several Equals values are alternatives',
    advanced(arn({ Equals: [PAY, LEDGER] })),
    multiRegion,
    table(LEDGER),
    'GetItem',
    'covered',
  ],
  [
    'StartsWith and EndsWith in one field selector are alternatives',
    advanced(arn({ StartsWith: [`${US_PREFIX}pay`], EndsWith: ['-eu'] })),
    multiRegion,
    table(EU),
    'GetItem',
    'covered',
  ],
  // advanced selectors: readOnly and eventName
  [
    'readOnly true, read',
    advanced({ Field: 'readOnly', Equals: ['true'] }),
    multiRegion,
    table(PAY),
    'Query',
    'covered',
  ],
  [
    'readOnly true, write',
    advanced({ Field: 'readOnly', Equals: ['true'] }),
    multiRegion,
    table(PAY),
    'UpdateItem',
    'not-covered',
  ],
  [
    'readOnly true on all tables, read',
    advanced({ Field: 'readOnly', Equals: ['true'] }),
    multiRegion,
    ALL_US,
    'BatchGetItem',
    'covered',
  ],
  [
    'readOnly true drops PartiQL on all tables',
    advanced({ Field: 'readOnly', Equals: ['true'] }),
    multiRegion,
    ALL_US,
    'ExecuteStatement',
    'not-covered',
  ],
  [
    'readOnly false, PartiQL batch',
    advanced({ Field: 'readOnly', Equals: ['false'] }),
    multiRegion,
    table(PAY),
    'BatchExecuteStatement',
    'covered',
  ],
  [
    'readOnly true OR readOnly false covers everything',
    {
      advanced: [
        {
          FieldSelectors: [
            ...dataFields(),
            { Field: 'readOnly', Equals: ['true'] },
          ],
        },
        {
          FieldSelectors: [
            ...dataFields(),
            { Field: 'readOnly', Equals: ['false'] },
          ],
        },
      ],
    },
    multiRegion,
    table(PAY),
    'ExecuteStatement',
    'covered',
  ],
  [
    'several eventName values are alternatives',
    advanced({ Field: 'eventName', Equals: ['GetItem', 'PutItem'] }),
    multiRegion,
    table(PAY),
    'PutItem',
    'covered',
  ],
  [
    'eventName NotEquals Scan/Query drops Scan',
    advanced({ Field: 'eventName', NotEquals: ['Scan', 'Query'] }),
    multiRegion,
    table(PAY),
    'Scan',
    'not-covered',
  ],
  [
    'eventName NotEquals Scan/Query keeps GetItem',
    advanced({ Field: 'eventName', NotEquals: ['Scan', 'Query'] }),
    multiRegion,
    table(PAY),
    'GetItem',
    'covered',
  ],
  [
    'eventName Equals PutItem, PutItem',
    advanced({ Field: 'eventName', Equals: ['PutItem'] }),
    multiRegion,
    table(PAY),
    'PutItem',
    'covered',
  ],
  [
    'eventName Equals PutItem, DeleteItem',
    advanced({ Field: 'eventName', Equals: ['PutItem'] }),
    multiRegion,
    table(PAY),
    'DeleteItem',
    'not-covered',
  ],
  [
    'eventName StartsWith Batch, BatchGetItem',
    advanced({ Field: 'eventName', StartsWith: ['Batch'] }),
    multiRegion,
    table(PAY),
    'BatchGetItem',
    'covered',
  ],
  [
    'eventName StartsWith Batch, TransactGetItems',
    advanced({ Field: 'eventName', StartsWith: ['Batch'] }),
    multiRegion,
    table(PAY),
    'TransactGetItems',
    'not-covered',
  ],
  [
    'eventName NotEndsWith Item drops PutItem',
    advanced({ Field: 'eventName', NotEndsWith: ['Item'] }),
    multiRegion,
    table(PAY),
    'PutItem',
    'not-covered',
  ],
  [
    'eventName NotEndsWith Item keeps Scan',
    advanced({ Field: 'eventName', NotEndsWith: ['Item'] }),
    multiRegion,
    table(PAY),
    'Scan',
    'covered',
  ],
  [
    'eventSource NotEquals dynamodb',
    advanced({ Field: 'eventSource', NotEquals: ['dynamodb.amazonaws.com'] }),
    multiRegion,
    table(PAY),
    'GetItem',
    'not-covered',
  ],
  // caller-dependent fields
  [
    'userIdentity.arn filter keeps some callers',
    advanced({
      Field: 'userIdentity.arn',
      StartsWith: ['arn:aws:sts::111111111111:assumed-role/app'],
    }),
    multiRegion,
    table(PAY),
    'GetItem',
    'partial',
  ],
  [
    'userIdentity.arn filter on all tables',
    advanced({
      Field: 'userIdentity.arn',
      NotStartsWith: ['arn:aws:sts::111111111111:assumed-role/etl'],
    }),
    multiRegion,
    ALL_US,
    'PutItem',
    'partial',
  ],
  [
    'caller filter cannot rescue an excluded operation',
    advanced(
      { Field: 'userIdentity.arn', StartsWith: ['arn:aws:sts::'] },
      { Field: 'eventName', Equals: ['GetItem'] },
    ),
    multiRegion,
    table(PAY),
    'PutItem',
    'not-covered',
  ],
  // basic and advanced both present: advanced wins
  [
    'advanced selectors replace basic ones',
    {
      basic: basic(['arn:aws:s3'], 'All', 'AWS::S3::Object').basic,
      advanced: advanced().advanced,
    },
    multiRegion,
    table(PAY),
    'GetItem',
    'covered',
  ],
];

describe('evaluateCoverage truth table', () => {
  it('has a broad table', () => {
    expect(truthTable.length).toBeGreaterThanOrEqual(40);
  });

  it.each(truthTable)(
    '%s',
    (_name, selectors, trail, target, operation, expected) => {
      const result = evaluateCoverage({ trail, selectors, target });
      const op = result.operations.find(o => o.operation === operation)!;
      expect(op.verdict).toBe(expected);
      expect(op.reason).not.toBe('');
    },
  );
});

describe('evaluateCoverage summaries', () => {
  it('reports reads and writes apart and lists what is dropped', () => {
    const result = evaluateCoverage({
      trail: multiRegion,
      selectors: basic(['arn:aws:dynamodb'], 'WriteOnly'),
      target: table(PAY),
    });
    expect(result.verdict).toBe('partial');
    expect(result.reads).toBe('not-covered');
    expect(result.writes).toBe('covered');
    expect(result.dropped.map(d => d.operation).sort()).toEqual(
      ['BatchGetItem', 'GetItem', 'Query', 'Scan', 'TransactGetItems'].sort(),
    );
    expect(result.dropped[0].reason).toContain(
      'ReadWriteType WriteOnly excludes read events',
    );
    expect(result.summary).toContain('5 of 13');
  });

  it('names the selector that captures an operation', () => {
    const result = evaluateCoverage({
      trail: multiRegion,
      selectors: advanced(),
      target: table(PAY),
    });
    expect(result.verdict).toBe('covered');
    expect(result.dropped).toEqual([]);
    expect(result.operations[0].reason).toBe(
      'captured by advanced selector "ddb"',
    );
    expect(result.summary).toContain('all 13');
  });

  it('explains a region the trail does not reach', () => {
    const result = evaluateCoverage({
      trail: singleRegion,
      selectors: advanced(),
      target: table(EU),
    });
    expect(result.verdict).toBe('not-covered');
    expect(result.summary).toContain(
      'single-region trail of us-east-1 does not log events in eu-west-1',
    );
  });

  it('explains an account the trail does not reach', () => {
    const result = evaluateCoverage({
      trail: multiRegion,
      selectors: advanced(),
      target: table(ORDERS),
    });
    expect(result.operations[0].reason).toContain('not an organization trail');
  });

  it('explains selectors that exclude DynamoDB', () => {
    const result = evaluateCoverage({
      trail: multiRegion,
      selectors: {
        advanced: [
          { Name: 'S3', FieldSelectors: dataFields('AWS::S3::Object') },
        ],
      },
      target: ALL_US,
    });
    expect(result.verdict).toBe('not-covered');
    expect(result.operations[0].reason).toBe(
      'advanced selector "S3": resources.type Equals [AWS::S3::Object] excludes DynamoDB table events',
    );
  });

  it('says which tables a prefix keeps on an all-tables scope', () => {
    const result = evaluateCoverage({
      trail: multiRegion,
      selectors: advanced(arn({ StartsWith: [`${US_PREFIX}pay`] })),
      target: ALL_US,
    });
    expect(result.verdict).toBe('partial');
    expect(result.reads).toBe('partial');
    expect(result.operations[0].reason).toContain(
      `only some tables are captured`,
    );
    expect(result.operations[0].reason).toContain(
      `resources.ARN StartsWith [${US_PREFIX}pay]`,
    );
  });

  it('hints that CloudTrail takes no wildcards', () => {
    const result = evaluateCoverage({
      trail: multiRegion,
      selectors: basic([`${US_PREFIX}*`]),
      target: table(PAY),
    });
    expect(result.operations[0].reason).toContain('no wildcards');
  });

  it('rejects a malformed table ARN with the broken rule', () => {
    const result = evaluateCoverage({
      trail: multiRegion,
      selectors: advanced(),
      target: table('arn:aws:dynamodb:us-east-1:111:table/x'),
    });
    expect(result.verdict).toBe('not-covered');
    expect(result.operations[0].reason).toContain('12-digit account id');
  });
});

describe('scope helpers', () => {
  it('turns a scope into tables or one all-tables target', () => {
    expect(
      coverageTargetsForScope({
        accountId: '111111111111',
        region: 'us-east-1',
      }),
    ).toEqual([
      {
        kind: 'all-tables',
        accountId: '111111111111',
        region: 'us-east-1',
        partition: 'aws',
      },
    ]);
    expect(
      coverageTargetsForScope({
        accountId: '111111111111',
        region: 'us-east-1',
        tableArns: [PAY, LEDGER],
      }),
    ).toEqual([table(PAY), table(LEDGER)]);
  });

  it('evaluates every target of a scope', () => {
    const results = evaluateScopeCoverage(multiRegion, basic([PAY]), {
      accountId: '111111111111',
      region: 'us-east-1',
      tableArns: [PAY, LEDGER],
    });
    expect(results.map(r => r.verdict)).toEqual(['covered', 'not-covered']);
  });

  it('knows the reach of a trail', () => {
    expect(
      trailReachesAccountRegion(singleRegion, '111111111111', 'us-east-1'),
    ).toBe(true);
    expect(
      trailReachesAccountRegion(singleRegion, '111111111111', 'eu-west-1'),
    ).toBe(false);
    expect(
      trailReachesAccountRegion(multiRegion, '222222222222', 'us-east-1'),
    ).toBe(false);
    expect(
      trailReachesAccountRegion(orgTrail, '222222222222', 'eu-west-1'),
    ).toBe(true);
  });

  it('describes a field selector', () => {
    expect(
      describeFieldSelector({
        Field: 'eventName',
        Equals: ['GetItem'],
        NotStartsWith: ['Batch'],
      }),
    ).toBe('eventName Equals [GetItem] NotStartsWith [Batch]');
  });
});
