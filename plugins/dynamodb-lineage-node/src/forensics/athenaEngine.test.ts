import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseForensicsQuery } from '@lineage/plugin-dynamodb-lineage-common';
import { mockClient } from 'aws-sdk-client-mock';
import { testClients } from '../__fixtures__/aws';
import { AthenaForensicsSettings } from '../config';
import { AthenaForensicsEngine, ForensicsTrail } from './athenaEngine';

const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);

const ACCOUNT = '111111111111';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/reporting-job`;
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`;
const trail: ForensicsTrail = {
  trailName: 'lineage',
  accountId: ACCOUNT,
  bucketName: 'lineage-logs',
  homeRegion: 'us-east-1',
  regions: ['us-east-1', 'eu-west-1'],
};
const settings: AthenaForensicsSettings = {
  workGroup: 'forensics',
  database: 'dynamodb_lineage',
  outputLocation: 's3://results/athena/',
  maxScanBytes: 10 * 1024 ** 3,
};

function engine(overrides: Partial<AthenaForensicsSettings> = {}) {
  return new AthenaForensicsEngine({
    clients: { forAccount: async () => testClients() },
    settingsFor: id =>
      id === ACCOUNT ? { ...settings, ...overrides } : undefined,
    trailFor: async id => (id === ACCOUNT ? trail : undefined),
  });
}

const activity = parseForensicsQuery({
  kind: 'principal-activity',
  principal: ROLE,
  from: '2026-03-10T00:00:00Z',
  to: '2026-03-11T00:00:00Z',
});

let started = 0;
beforeEach(() => {
  athena.reset();
  s3.reset();
  started = 0;
  s3.on(ListObjectsV2Command).callsFake(input => ({
    Contents: [{ Key: `${input.Prefix}file.json.gz`, Size: 1000 }],
  }));
  athena
    .on(StartQueryExecutionCommand)
    .callsFake(() => ({ QueryExecutionId: `q${++started}` }));
  athena.on(GetQueryExecutionCommand).resolves({
    QueryExecution: {
      Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: 3 * 1024 ** 4 },
    },
  });
});

describe('AthenaForensicsEngine', () => {
  it('creates the table once, then starts the query in the work group, database and result location', async () => {
    const subject = engine();
    await subject.start(activity);
    await subject.start(activity);
    const calls = athena.commandCalls(StartQueryExecutionCommand);
    expect(calls.map(c => c.args[0].input.QueryString?.split(' ')[0])).toEqual([
      'CREATE',
      'CREATE',
      'SELECT',
      'SELECT',
    ]);
    expect(calls[2].args[0].input).toEqual({
      QueryString: expect.stringContaining(
        'FROM "dynamodb_lineage"."cloudtrail_lineage_111111111111_',
      ),
      WorkGroup: 'forensics',
      QueryExecutionContext: { Database: 'dynamodb_lineage' },
      ResultConfiguration: { OutputLocation: 's3://results/athena/' },
      ExecutionParameters: [
        "'us-east-1'",
        "'eu-west-1'",
        "'2026/03/10'",
        "'2026/03/11'",
        "'2026-03-10T00:00:00Z'",
        "'2026-03-11T00:00:00Z'",
        `'${ROLE}'`,
        `'${ACCOUNT}'`,
        "'reporting-job'",
      ],
    });
    // The estimate listed each region's day partitions.
    expect(
      s3.commandCalls(ListObjectsV2Command).map(c => c.args[0].input.Prefix),
    ).toEqual(
      expect.arrayContaining([
        `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/03/10/`,
        `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2026/03/11/`,
      ]),
    );
  });

  it('refuses above the byte limit before running anything, saying the estimate and its cost', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'k', Size: 2 * 1024 ** 3 }],
    });
    await expect(
      engine({ maxScanBytes: 1024 ** 3 }).start(activity),
    ).rejects.toThrow(
      'This query would scan about 8.0 GB of CloudTrail logs (4 files, about $0.0391 at $5 per TB), above the limit of 1.0 GB (dynamodbLineage.forensics.athena.maxScanGb): narrow the time range or the regions',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it("reports Athena's bytes scanned and cost, and folds PartiQL groups into read or write", async () => {
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            'account_id',
            'event_region',
            'table_arn',
            'operation',
            'readonly',
            'statements',
            'calls',
            'errors',
            'first_seen',
            'last_seen',
          ].map(Name => ({ Name, Type: 'varchar' })),
        },
        Rows: [
          [
            'account_id',
            'event_region',
            'table_arn',
            'operation',
            'readonly',
            'statements',
            'calls',
            'errors',
            'first_seen',
            'last_seen',
          ],
          [
            ACCOUNT,
            'us-east-1',
            TABLE_ARN,
            'ExecuteStatement',
            'false',
            '{"statement":"SELECT * FROM payments WHERE pk = ?"}',
            '2',
            '0',
            '2026-03-10T01:00:00Z',
            '2026-03-10T02:00:00Z',
          ],
          [
            ACCOUNT,
            'us-east-1',
            TABLE_ARN,
            'ExecuteStatement',
            'false',
            '{"statement":"select pk FROM payments"}',
            '1',
            '1',
            '2026-03-10T00:30:00Z',
            '2026-03-10T03:00:00Z',
          ],
          [
            ACCOUNT,
            'us-east-1',
            TABLE_ARN,
            'ExecuteStatement',
            'false',
            '{"statement":"UPDATE payments SET a = ?"}',
            '1',
            '0',
            '2026-03-10T04:00:00Z',
            '2026-03-10T04:00:00Z',
          ],
          [
            ACCOUNT,
            'us-east-1',
            TABLE_ARN,
            'GetItem',
            'true',
            null,
            '5',
            '0',
            '2026-03-10T05:00:00Z',
            '2026-03-10T06:00:00Z',
          ],
        ].map(values => ({
          Data: values.map(v => (v === null ? {} : { VarCharValue: v })),
        })),
      },
    });
    const subject = engine();
    const id = await subject.start(activity);
    const page = await subject.get(id);
    expect(page).toMatchObject({
      status: 'succeeded',
      engine: 'athena',
      bytesScanned: 3 * 1024 ** 4,
      costUsd: 15,
      truncated: false,
    });
    expect(page.rows).toEqual([
      {
        accountId: ACCOUNT,
        region: 'us-east-1',
        tableArn: TABLE_ARN,
        operation: 'ExecuteStatement',
        kind: 'read',
        calls: 3,
        errors: 1,
        firstSeen: '2026-03-10T00:30:00.000Z',
        lastSeen: '2026-03-10T03:00:00.000Z',
      },
      expect.objectContaining({
        operation: 'ExecuteStatement',
        kind: 'write',
        calls: 1,
      }),
      expect.objectContaining({ operation: 'GetItem', kind: 'read', calls: 5 }),
    ]);
  });

  it('says why a failed query failed, and cancels only unfinished ones', async () => {
    const subject = engine();
    const id = await subject.start(activity);
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: x' },
        Statistics: { DataScannedInBytes: 0 },
      },
    });
    expect(await subject.get(id)).toMatchObject({
      status: 'failed',
      error: 'TABLE_NOT_FOUND: x',
      rows: [],
    });
    await subject.cancel(id);
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(0);
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'RUNNING' } },
    });
    await subject.cancel(id);
    expect(
      athena.commandCalls(StopQueryExecutionCommand)[0].args[0].input,
    ).toEqual({
      QueryExecutionId: 'q3',
    });
  });

  it('answers NotFoundError for an unknown id and InputError without Athena settings', async () => {
    await expect(engine().get('nope')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      engine().start(
        parseForensicsQuery({
          kind: 'item-history',
          tableArn: 'arn:aws:dynamodb:us-east-1:222222222222:table/things',
          key: { pk: 'a' },
          from: '2026-03-10T00:00:00Z',
          to: '2026-03-11T00:00:00Z',
        }),
      ),
    ).rejects.toThrow('Athena is not configured for account 222222222222');
  });
});
