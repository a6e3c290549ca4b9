import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import {
  AWS_REGIONS,
  parseForensicsQuery,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  backfillStatement,
  eventTimeBound,
  itemHistoryStatement,
  keyFragments,
  partitionDays,
  principalActivityStatement,
  sqlLiteral,
} from './athenaQueries';
import {
  cloudTrailTable,
  createDatabaseDdl,
  createTableDdl,
} from './athenaTable';

const trino = new TrinoSQL();
const hive = new HiveSQL();
const table = cloudTrailTable(
  {
    trailName: 'org-trail',
    accountId: '111111111111',
    bucketName: 'org-logs',
    s3KeyPrefix: 'audit',
    organizationId: 'o-abcdefghij',
  },
  'dynamodb_lineage',
);

const hostile = "o'; DROP TABLE x; --";
const itemHistory = itemHistoryStatement(
  table,
  parseForensicsQuery({
    kind: 'item-history',
    tableArn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/payments',
    key: { pk: hostile, sk: 42 },
    from: '2026-03-10T00:00:00Z',
    to: '2026-03-11T00:00:00.250Z',
  }) as any,
  1001,
);
const principalActivity = (principal: string) =>
  principalActivityStatement(
    table,
    parseForensicsQuery({
      kind: 'principal-activity',
      principal,
      accountId: '111111111111',
      from: '2026-03-10T00:00:00Z',
      to: '2026-03-12T00:00:00Z',
    }) as any,
    ['us-east-1', 'eu-west-1'],
    1001,
  );
const statements = {
  itemHistory,
  roleActivity: principalActivity(
    'arn:aws:sts::111111111111:assumed-role/reporting-job/session',
  ),
  userActivity: principalActivity('arn:aws:iam::111111111111:user/jane'),
  serviceActivity: principalActivity('events.amazonaws.com'),
  backfill: backfillStatement(
    table,
    {
      regions: ['us-east-1'],
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
    },
    100_000,
  ),
};

/** The SQL Athena runs once the parameters are in place. */
function withParameters(sql: string, parameters: string[]) {
  let next = 0;
  return sql.replace(/\?/g, () => parameters[next++]);
}

describe('Athena statements', () => {
  it.each(Object.entries(statements))(
    '%s parses as Trino SQL, with and without its parameters',
    (_, statement) => {
      expect(trino.validate(statement.sql)).toEqual([]);
      expect(
        trino.validate(withParameters(statement.sql, statement.parameters)),
      ).toEqual([]);
      expect(statement.sql.match(/\?/g)).toHaveLength(
        statement.parameters.length,
      );
    },
  );

  it('never puts a request value in the SQL text', () => {
    expect(itemHistory.sql).not.toContain('DROP');
    expect(itemHistory.sql).not.toContain('payments');
    expect(itemHistory.parameters).toContain(sqlLiteral(hostile));
    expect(sqlLiteral(hostile)).toBe("'o''; DROP TABLE x; --'");
    // The table's own name carries the account; nothing else does.
    for (const statement of Object.values(statements)) {
      expect(
        statement.sql.split(`"${table.name}"`).join('"the_table"'),
      ).not.toMatch(/111111111111|reporting-job|jane/);
    }
  });

  it('always names the partitions it reads: regions and days', () => {
    for (const statement of Object.values(statements)) {
      expect(statement.sql).toMatch(/region IN \(\?(, \?)*\)/);
      expect(statement.sql).toMatch(/day BETWEEN \? AND \?/);
    }
    expect(itemHistory.parameters.slice(0, 5)).toEqual([
      "'eu-west-1'",
      "'2026/03/10'",
      "'2026/03/12'",
      "'2026-03-10T00:00:00Z'",
      "'2026-03-11T00:00:01Z'",
    ]);
  });

  it("matches a role's sessions by the role's ARN or by its account and name", () => {
    expect(statements.roleActivity.parameters.slice(-3)).toEqual([
      "'arn:aws:iam::111111111111:role/reporting-job'",
      "'111111111111'",
      "'reporting-job'",
    ]);
    expect(statements.userActivity.sql).toContain('useridentity.arn = ?');
    expect(statements.serviceActivity.sql).toContain(
      'useridentity.invokedby = ?',
    );
  });

  it('searches the key as CloudTrail writes it', () => {
    expect(keyFragments({ pk: 'order#"1"', n: '7' })).toEqual([
      '"pk":',
      'order#\\"1\\"',
      '"n":',
      '7',
    ]);
  });

  it('reads the delivery day after the range, where its last minutes are filed', () => {
    expect(
      partitionDays('2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z'),
    ).toEqual({ first: '2026/03/10', last: '2026/03/11', count: 2 });
    expect(
      partitionDays('2026-03-10T12:00:00Z', '2026-03-10T13:00:00Z'),
    ).toEqual({ first: '2026/03/10', last: '2026/03/11', count: 2 });
    expect(eventTimeBound('2026-03-10T12:00:00.000Z')).toBe(
      '2026-03-10T12:00:00Z',
    );
    expect(eventTimeBound('2026-03-10T12:00:00.001Z')).toBe(
      '2026-03-10T12:00:01Z',
    );
  });
});

describe('CloudTrail table', () => {
  it('is Hive DDL Athena runs, with projection over the org trail and prefix location', () => {
    const ddl = createTableDdl(table);
    expect(hive.validate(ddl)).toEqual([]);
    expect(hive.validate(createDatabaseDdl('dynamodb_lineage'))).toEqual([]);
    expect(table.location).toBe(
      's3://org-logs/audit/AWSLogs/o-abcdefghij/111111111111/CloudTrail/',
    );
    expect(table.properties['storage.location.template']).toBe(
      's3://org-logs/audit/AWSLogs/o-abcdefghij/111111111111/CloudTrail/${region}/${day}',
    );
    expect(table.properties['projection.region.values'].split(',')).toEqual(
      AWS_REGIONS,
    );
    expect(ddl).toContain("'projection.day.format'='yyyy/MM/dd'");
    expect(ddl).toMatch(
      /^CREATE EXTERNAL TABLE IF NOT EXISTS `dynamodb_lineage`\.`cloudtrail_org_trail_111111111111_[0-9a-f]{8}`/,
    );
  });

  it('is a new table when its definition changes, the same one otherwise', () => {
    const source = {
      trailName: 'org-trail',
      accountId: '111111111111',
      bucketName: 'org-logs',
      s3KeyPrefix: 'audit',
      organizationId: 'o-abcdefghij',
    };
    expect(cloudTrailTable(source, 'dynamodb_lineage').name).toBe(table.name);
    expect(
      cloudTrailTable(
        { ...source, bucketName: 'other-logs' },
        'dynamodb_lineage',
      ).name,
    ).not.toBe(table.name);
  });
});
