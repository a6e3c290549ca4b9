import { gzipSync } from 'node:zlib';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runAwsCli } from '../../awsCliRunner';
import { type RunningEmulator, startEmulator } from '../../emulator';

const ACCOUNT = '111111111111';
const BUCKET = 'trail-logs-111111111111';
const RESULTS = 's3://athena-results-111111111111/forensics/';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/reporting-job`;
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`;

const DDL = `CREATE EXTERNAL TABLE IF NOT EXISTS \`forensics\`.\`trail_events\` (
  eventversion STRING,
  useridentity STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING,
    sessioncontext:STRUCT<sessionissuer:STRUCT<type:STRING, arn:STRING>>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  errorcode STRING,
  requestparameters STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn:STRING, accountid:STRING, type:STRING>>,
  eventcategory STRING
)
PARTITIONED BY (region STRING, day STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.region.type'='enum',
  'projection.region.values'='us-east-1,eu-west-1',
  'projection.day.type'='date',
  'projection.day.range'='2026/01/01,NOW',
  'projection.day.format'='yyyy/MM/dd',
  'projection.day.interval'='1',
  'projection.day.interval.unit'='DAYS',
  'storage.location.template'='s3://${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/\${region}/\${day}'
)`;

function event(day: string, region: string, n: number, key: string) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:session',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/reporting-job/session-${n}`,
      accountId: ACCOUNT,
      sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } },
    },
    eventTime: `${day}T10:00:0${n}Z`,
    eventSource: 'dynamodb.amazonaws.com',
    eventName: n % 2 ? 'GetItem' : 'PutItem',
    awsRegion: region,
    requestParameters: { tableName: 'payments', key: { pk: key } },
    eventID: `${day}-${region}-${n}`,
    readOnly: n % 2 === 1,
    resources: [
      { accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: TABLE_ARN },
    ],
    eventCategory: 'Data',
  };
}

const logKey = (region: string, day: string, n: number) =>
  `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${day.replace(
    /-/g,
    '/',
  )}/${ACCOUNT}_CloudTrail_${region}_${day.replace(
    /-/g,
    '',
  )}T1000Z_${n}.json.gz`;

describe('Athena and Glue', () => {
  let emulator: RunningEmulator;
  let athena: AthenaClient;
  let glue: GlueClient;
  let s3: S3Client;
  const sizes = new Map<string, number>();

  async function run(
    sql: string,
    options: { parameters?: string[]; database?: string } = {},
  ): Promise<QueryExecution> {
    const { QueryExecutionId } = await athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        ExecutionParameters: options.parameters,
        QueryExecutionContext: options.database
          ? { Database: options.database }
          : undefined,
        ResultConfiguration: { OutputLocation: RESULTS },
      }),
    );
    await emulator.athena.settled(QueryExecutionId!);
    const { QueryExecution } = await athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId }),
    );
    return QueryExecution!;
  }

  async function rows(id: string, maxResults?: number) {
    const out: string[][] = [];
    let token: string | undefined;
    do {
      const page = await athena.send(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          NextToken: token,
          MaxResults: maxResults,
        }),
      );
      out.push(
        ...page.ResultSet!.Rows!.map(r =>
          r.Data!.map(d => d.VarCharValue ?? 'NULL'),
        ),
      );
      token = page.NextToken;
    } while (token);
    return out;
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const config = {
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'x' },
      maxAttempts: 1,
    };
    athena = new AthenaClient(config);
    glue = new GlueClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(
      new CreateBucketCommand({ Bucket: 'athena-results-111111111111' }),
    );
    for (const day of ['2026-01-01', '2026-01-02', '2026-01-03']) {
      for (const region of ['us-east-1', 'eu-west-1']) {
        for (const file of [1, 2]) {
          const body = gzipSync(
            JSON.stringify({
              Records: [1, 2].map(n =>
                event(day, region, n + 2 * file, `order#${file}${n}`),
              ),
            }),
          );
          const key = logKey(region, day, file);
          sizes.set(key, body.length);
          await s3.send(
            new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }),
          );
        }
      }
    }
    for (const sql of ['CREATE DATABASE IF NOT EXISTS forensics', DDL]) {
      const setup = await run(sql);
      if (setup.Status?.State !== 'SUCCEEDED') {
        throw new Error(`setup failed: ${setup.Status?.StateChangeReason}`);
      }
    }
  });
  afterAll(() => emulator.stop());

  it('creates the table through DDL, idempotently, with its projection in Glue', async () => {
    const again = await run(DDL);
    expect(again.Status?.State).toBe('SUCCEEDED');
    expect(again.StatementType).toBe('DDL');
    const strict = await run(DDL.replace('IF NOT EXISTS ', ''));
    expect(strict.Status?.State).toBe('FAILED');
    expect(strict.Status?.StateChangeReason).toMatch(/already exists/);

    const { Table } = await glue.send(
      new GetTableCommand({ DatabaseName: 'forensics', Name: 'trail_events' }),
    );
    expect(Table?.PartitionKeys?.map(k => k.Name)).toEqual(['region', 'day']);
    expect(Table?.StorageDescriptor?.Location).toBe(
      `s3://${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/`,
    );
    expect(Table?.Parameters?.['projection.day.format']).toBe('yyyy/MM/dd');
    expect(
      Table?.StorageDescriptor?.Columns?.find(c => c.Name === 'useridentity')
        ?.Type,
    ).toMatch(/^struct<type:string/);
    await expect(
      glue.send(
        new GetTableCommand({ DatabaseName: 'forensics', Name: 'missing' }),
      ),
    ).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('reads only the partitions the WHERE clause admits, and reports their compressed bytes', async () => {
    const query = await run(
      `SELECT eventid, eventname, useridentity.sessioncontext.sessionissuer.arn AS principal,
              json_extract_scalar(requestparameters, '$.key.pk') AS pk, element_at(resources, 1).arn AS table_arn
       FROM trail_events
       WHERE region = ? AND day BETWEEN ? AND ?
       ORDER BY eventid`,
      {
        parameters: ["'us-east-1'", "'2026/01/02'", "'2026/01/02'"],
        database: 'forensics',
      },
    );
    expect(query.Status?.State).toBe('SUCCEEDED');
    const expected = [1, 2].map(file =>
      logKey('us-east-1', '2026-01-02', file),
    );
    const reads = emulator.athena.reads(query.QueryExecutionId!);
    expect(reads?.objects).toEqual(
      expected.map(key => `s3://${BUCKET}/${key}`),
    );
    const bytes = expected.reduce((sum, key) => sum + sizes.get(key)!, 0);
    expect(reads?.bytesScanned).toBe(bytes);
    expect(query.Statistics?.DataScannedInBytes).toBe(bytes);

    const result = await rows(query.QueryExecutionId!, 2);
    expect(result[0]).toEqual([
      'eventid',
      'eventname',
      'principal',
      'pk',
      'table_arn',
    ]);
    expect(result.slice(1)).toEqual([
      ['2026-01-02-us-east-1-3', 'GetItem', ROLE, 'order#11', TABLE_ARN],
      ['2026-01-02-us-east-1-4', 'PutItem', ROLE, 'order#12', TABLE_ARN],
      ['2026-01-02-us-east-1-5', 'GetItem', ROLE, 'order#21', TABLE_ARN],
      ['2026-01-02-us-east-1-6', 'PutItem', ROLE, 'order#22', TABLE_ARN],
    ]);

    // The result file is where GetQueryExecution says.
    expect(query.ResultConfiguration?.OutputLocation).toBe(
      `${RESULTS}${query.QueryExecutionId}.csv`,
    );
    const file = await s3.send(
      new GetObjectCommand({
        Bucket: 'athena-results-111111111111',
        Key: `forensics/${query.QueryExecutionId}.csv`,
      }),
    );
    expect((await file.Body!.transformToString()).split('\n')[0]).toBe(
      '"eventid","eventname","principal","pk","table_arn"',
    );
  });

  it('reads every projected partition when the WHERE clause says nothing about them', async () => {
    const query = await run('SELECT count(*) AS n FROM forensics.trail_events');
    expect(query.Status?.State).toBe('SUCCEEDED');
    expect(
      emulator.athena.reads(query.QueryExecutionId!)?.objects,
    ).toHaveLength(12);
    expect((await rows(query.QueryExecutionId!))[1]).toEqual(['24']);
  });

  it('binds execution parameters as values, never as SQL', async () => {
    const query = await run(
      'SELECT count(*) AS n FROM forensics.trail_events WHERE region = ? AND day = ? AND eventname = ?',
      { parameters: ["'us-east-1'", "'2026/01/01'", "'x'' OR ''1''=''1'"] },
    );
    expect(query.Status?.State).toBe('SUCCEEDED');
    expect((await rows(query.QueryExecutionId!))[1]).toEqual(['0']);
    const wrongCount = await run(
      'SELECT 1 FROM forensics.trail_events WHERE region = ?',
      {
        parameters: ["'us-east-1'", "'extra'"],
      },
    );
    expect(wrongCount.Status?.State).toBe('FAILED');
  });

  it('fails a query on a table that does not exist, and refuses its results', async () => {
    const query = await run('SELECT * FROM forensics.nothing_here');
    expect(query.Status?.State).toBe('FAILED');
    expect(query.Status?.StateChangeReason).toMatch(/TABLE_NOT_FOUND/);
    await expect(
      athena.send(
        new GetQueryResultsCommand({
          QueryExecutionId: query.QueryExecutionId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('keeps held queries QUEUED and cancels them', async () => {
    emulator.athena.hold();
    try {
      const { QueryExecutionId } = await athena.send(
        new StartQueryExecutionCommand({
          QueryString: 'SELECT count(*) FROM forensics.trail_events',
          ResultConfiguration: { OutputLocation: RESULTS },
        }),
      );
      const queued = await athena.send(
        new GetQueryExecutionCommand({ QueryExecutionId }),
      );
      expect(queued.QueryExecution?.Status?.State).toBe('QUEUED');
      await expect(
        athena.send(new GetQueryResultsCommand({ QueryExecutionId })),
      ).rejects.toThrow(/not yet finished/);
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId }));
      const stopped = await athena.send(
        new GetQueryExecutionCommand({ QueryExecutionId }),
      );
      expect(stopped.QueryExecution?.Status?.State).toBe('CANCELLED');
      expect(emulator.athena.reads(QueryExecutionId!)?.objects).toEqual([]);
    } finally {
      emulator.athena.release();
    }
  });

  it('refuses a query without an output location', async () => {
    await expect(
      athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('logs the Glue and S3 calls a query makes with the caller’s permissions', async () => {
    emulator.calls.clear();
    const query = await run(
      "SELECT count(*) FROM forensics.trail_events WHERE region = 'eu-west-1' AND day = '2026/01/03'",
    );
    const onBehalf = emulator.calls
      .list()
      .filter(c => c.invokedBy === 'athena.amazonaws.com');
    expect(onBehalf.map(c => `${c.action} ${c.resource}`)).toEqual([
      `glue:GetTable arn:aws:glue:us-east-1:${ACCOUNT}:table/forensics/trail_events`,
      `s3:ListBucket arn:aws:s3:::${BUCKET}`,
      `s3:GetObject arn:aws:s3:::${BUCKET}/${logKey(
        'eu-west-1',
        '2026-01-03',
        1,
      )}`,
      `s3:GetObject arn:aws:s3:::${BUCKET}/${logKey(
        'eu-west-1',
        '2026-01-03',
        2,
      )}`,
      's3:GetBucketLocation arn:aws:s3:::athena-results-111111111111',
      `s3:PutObject arn:aws:s3:::athena-results-111111111111/forensics/${query.QueryExecutionId}.csv`,
    ]);
  });

  it('answers the AWS CLI', async () => {
    const start = await runAwsCli(emulator.url, [
      'athena',
      'start-query-execution',
      '--query-string',
      'SELECT eventname, count(*) AS n FROM trail_events WHERE region = ? AND day = ? GROUP BY eventname ORDER BY eventname',
      '--execution-parameters',
      "'us-east-1'",
      "'2026/01/01'",
      '--query-execution-context',
      'Database=forensics',
      '--result-configuration',
      `OutputLocation=${RESULTS}`,
    ]);
    expect(start.stderr).toBe('');
    const id = JSON.parse(start.stdout).QueryExecutionId;
    await emulator.athena.settled(id);
    const status = await runAwsCli(emulator.url, [
      'athena',
      'get-query-execution',
      '--query-execution-id',
      id,
    ]);
    expect(JSON.parse(status.stdout).QueryExecution.Status.State).toBe(
      'SUCCEEDED',
    );
    const results = await runAwsCli(emulator.url, [
      'athena',
      'get-query-results',
      '--query-execution-id',
      id,
    ]);
    expect(
      JSON.parse(results.stdout).ResultSet.Rows.map((r: any) =>
        r.Data.map((d: any) => d.VarCharValue),
      ),
    ).toEqual([
      ['eventname', 'n'],
      ['GetItem', '2'],
      ['PutItem', '2'],
    ]);
    const table = await runAwsCli(emulator.url, [
      'glue',
      'get-table',
      '--database-name',
      'forensics',
      '--name',
      'trail_events',
    ]);
    expect(JSON.parse(table.stdout).Table.PartitionKeys).toHaveLength(2);
  });
});
