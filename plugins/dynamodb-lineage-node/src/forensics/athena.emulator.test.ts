import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  AWS_REGIONS,
  DailyLineageEdge,
  ForensicsQueryPage,
  ItemHistoryRow,
  buildSpec,
  parseForensicsQuery,
} from '@lineage/plugin-dynamodb-lineage-common';
import { applyPlan } from '../apply';
import { AwsClients, DefaultAwsClientFactory } from '../clients';
import { AthenaForensicsSettings } from '../config';
import { ingestTrailLineage } from '../lineageIngest';
import { planLineage } from '../plan';
import { AthenaForensicsEngine, ForensicsTrail } from './athenaEngine';

/*
 * The Athena engine against the emulator: the table is created through
 * Athena DDL, queries run over the trail's delivered logs with DuckDB, and
 * the emulator tells which objects each query read.
 */

const ACCOUNT = '555555555555';
const REGION = 'us-east-1';
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/payments`;
const API_ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-api`;
const REPORTING_ROLE = `arn:aws:iam::${ACCOUNT}:role/reporting-job`;
const RESULTS_BUCKET = `athena-results-${ACCOUNT}`;
/** Day 1 at 09:00 UTC; days 2 and 3 follow. */
const START = Date.UTC(2026, 2, 10, 9, 0, 0);
const DAY = 86_400_000;

let emulator: RunningEmulator;
let clients: AwsClients;
let trail: ForensicsTrail;
let engine: AthenaForensicsEngine;
const settings: AthenaForensicsSettings = {
  workGroup: 'primary',
  database: 'dynamodb_lineage',
  outputLocation: `s3://${RESULTS_BUCKET}/forensics/`,
  maxScanBytes: 1024 ** 3,
};

async function roleClient(roleArn: string): Promise<DynamoDBClient> {
  const sts = new STSClient({
    endpoint: emulator.url,
    region: REGION,
    credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'x' },
  });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: 'forensics-test',
    }),
  );
  return new DynamoDBClient({
    endpoint: emulator.url,
    region: REGION,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  });
}

const item = (pk: string) => ({ pk: { S: pk }, amount: { N: '10' } });
const key = (pk: string) => ({ pk: { S: pk } });

/** Delivers the day's calls within minutes, as CloudTrail does, then moves to the next day's 09:00. */
async function nextDay() {
  await emulator.advance(10 * 60_000);
  await emulator.advance(DAY - 10 * 60_000);
}

async function finished(
  id: string,
  engineToAsk = engine,
): Promise<ForensicsQueryPage> {
  for (;;) {
    const page = await engineToAsk.get(id, { pageSize: 1000 });
    if (!['queued', 'running'].includes(page.status)) return page;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

function newEngine(overrides: Partial<AthenaForensicsSettings> = {}) {
  return new AthenaForensicsEngine({
    clients: DefaultAwsClientFactory.fromCredentials(
      accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
      { endpoint: emulator.url, maxAttempts: 1 },
    ),
    settingsFor: accountId =>
      accountId === ACCOUNT ? { ...settings, ...overrides } : undefined,
    trailFor: async accountId => (accountId === ACCOUNT ? trail : undefined),
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  await emulator.seed('none', { at: START });
  clients = await DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 1 },
  ).forAccount(ACCOUNT, REGION);
  const spec = buildSpec({
    accountId: ACCOUNT,
    region: REGION,
    owner: 'group:default/team-payments',
    createdBy: 'user:default/jane',
  });
  const { plan } = await planLineage(clients, spec);
  await applyPlan(clients, plan, { sleep: async () => {} });
  trail = {
    trailName: spec.trailName,
    accountId: ACCOUNT,
    bucketName: spec.bucketName,
    homeRegion: REGION,
    regions: [...AWS_REGIONS],
  };
  await clients.s3.send(new CreateBucketCommand({ Bucket: RESULTS_BUCKET }));
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: 'payments',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  // Sessions expire: each day's calls use fresh ones.
  let api = await roleClient(API_ROLE);
  let reporting = await roleClient(REPORTING_ROLE);

  // Day 1: order#1 written three ways, read once; order#12 and order#2 are other items.
  await api.send(
    new PutItemCommand({ TableName: 'payments', Item: item('order#1') }),
  );
  await api.send(
    new PutItemCommand({ TableName: 'payments', Item: item('order#12') }),
  );
  await api.send(
    new BatchWriteItemCommand({
      RequestItems: {
        payments: [
          { PutRequest: { Item: item('order#2') } },
          { PutRequest: { Item: item('order#1') } },
        ],
      },
    }),
  );
  await api.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Update: {
            TableName: 'payments',
            Key: key('order#1'),
            UpdateExpression: 'SET amount = :a',
            ExpressionAttributeValues: { ':a': { N: '11' } },
          },
        },
      ],
    }),
  );
  await reporting.send(
    new GetItemCommand({ TableName: 'payments', Key: key('order#1') }),
  );
  await nextDay();
  api = await roleClient(API_ROLE);
  reporting = await roleClient(REPORTING_ROLE);
  // Day 2: the reporting job scans, the API updates order#1.
  await reporting.send(
    new QueryCommand({
      TableName: 'payments',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'order#2' } },
    }),
  );
  await api.send(
    new UpdateItemCommand({
      TableName: 'payments',
      Key: key('order#1'),
      UpdateExpression: 'SET amount = :a',
      ExpressionAttributeValues: { ':a': { N: '12' } },
    }),
  );
  await nextDay();
  reporting = await roleClient(REPORTING_ROLE);
  api = await roleClient(API_ROLE);
  // Day 3: the reporting job reads order#1 again and order#2 with PartiQL; a conditional write fails.
  await reporting.send(
    new GetItemCommand({ TableName: 'payments', Key: key('order#1') }),
  );
  await reporting.send(
    new ExecuteStatementCommand({
      Statement: `SELECT * FROM payments WHERE pk = 'order#2'`,
    }),
  );
  const refused = await api
    .send(
      new PutItemCommand({
        TableName: 'payments',
        Item: item('order#2'),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .then(
      () => 'written',
      (error: Error) => error.name,
    );
  if (refused !== 'ConditionalCheckFailedException') {
    throw new Error(`the conditional write should fail, got ${refused}`);
  }
  await emulator.advance(60 * 60_000);
  await emulator.flush();
  engine = newEngine();
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
});

const iso = (ms: number) => new Date(ms).toISOString();
const dayStart = Date.UTC(2026, 2, 10);

describe('AthenaForensicsEngine against the emulator', () => {
  it("finds every event on one item, by its key or in a batch's or transaction's items", async () => {
    const id = await engine.start(
      parseForensicsQuery({
        kind: 'item-history',
        tableArn: TABLE_ARN,
        key: { pk: 'order#1' },
        from: iso(dayStart),
        to: iso(dayStart + 3 * DAY),
      }),
    );
    const page = await finished(id);
    expect(page.status).toBe('succeeded');
    expect(page.engine).toBe('athena');
    const rows = page.rows as ItemHistoryRow[];
    // Newest first; calls of the same second in any order.
    const times = rows.map(row => row.eventTime);
    expect(times).toEqual([...times].sort().reverse());
    expect(
      rows.map(row => [
        row.eventTime.slice(0, 10),
        row.eventName,
        row.principal,
        row.kind,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['2026-03-12', 'GetItem', REPORTING_ROLE, 'read'],
        ['2026-03-11', 'UpdateItem', API_ROLE, 'write'],
        ['2026-03-10', 'GetItem', REPORTING_ROLE, 'read'],
        ['2026-03-10', 'TransactWriteItems', API_ROLE, 'write'],
        ['2026-03-10', 'BatchWriteItem', API_ROLE, 'write'],
        ['2026-03-10', 'PutItem', API_ROLE, 'write'],
      ]),
    );
    // order#12 and order#2 alone are other items.
    expect(rows).toHaveLength(6);
    expect(page.bytesScanned).toBeGreaterThan(0);
    expect(page.costUsd).toBeGreaterThan(0);
    expect(page.note).toMatch(/Athena over s3:\/\//);
  });

  it('pages a result with its own tokens', async () => {
    const id = await engine.start(
      parseForensicsQuery({
        kind: 'item-history',
        tableArn: TABLE_ARN,
        key: { pk: 'order#1' },
        from: iso(dayStart),
        to: iso(dayStart + 3 * DAY),
      }),
    );
    await finished(id);
    const first = await engine.get(id, { pageSize: 4 });
    expect(first.rows).toHaveLength(4);
    const second = await engine.get(id, {
      pageSize: 4,
      nextToken: first.nextToken,
    });
    expect(second.rows).toHaveLength(2);
    expect(second.nextToken).toBeUndefined();
    await expect(engine.get(id, { nextToken: 'bm9wZQ' })).rejects.toMatchObject(
      {
        name: 'InputError',
      },
    );
  });

  it("sums what one principal did, per table and operation, reading only that day's partitions and the next", async () => {
    emulator.calls.clear();
    const id = await engine.start(
      parseForensicsQuery({
        kind: 'principal-activity',
        principal: REPORTING_ROLE,
        regions: [REGION],
        from: iso(dayStart + DAY),
        to: iso(dayStart + 2 * DAY),
      }),
    );
    const page = await finished(id);
    expect(page.rows).toEqual([
      {
        accountId: ACCOUNT,
        region: REGION,
        tableArn: TABLE_ARN,
        operation: 'Query',
        kind: 'read',
        calls: 1,
        errors: 0,
        firstSeen: expect.stringMatching(/^2026-03-11T/),
        lastSeen: expect.stringMatching(/^2026-03-11T/),
      },
    ]);
    const read = emulator.calls
      .list({ action: 's3:GetObject' })
      .filter(call => call.invokedBy === 'athena.amazonaws.com')
      .map(call => call.resource!)
      .filter(arn => arn.startsWith(`arn:aws:s3:::${trail.bucketName}/`));
    const days = new Set(
      read.map(
        arn => /CloudTrail\/[^/]+\/(\d{4}\/\d{2}\/\d{2})\//.exec(arn)?.[1],
      ),
    );
    expect(read.length).toBeGreaterThan(0);
    // Day 2's files, and day 3's, where CloudTrail files day 2's last minutes.
    expect([...days].sort()).toEqual(['2026/03/11', '2026/03/12']);
    expect(read.every(arn => arn.includes(`/CloudTrail/${REGION}/`))).toBe(
      true,
    );
  });

  it('backfills through Athena exactly the daily edges in-process ingestion makes of the same logs', async () => {
    const backfill = await engine.backfill({
      accountId: ACCOUNT,
      from: '2026-03-10',
      to: '2026-03-12',
      regions: [REGION],
    });
    expect(backfill.bytesScanned).toBeGreaterThan(0);
    const ingested = new Map<string, DailyLineageEdge>();
    await ingestTrailLineage(clients.s3, {
      trail: {
        arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${trail.trailName}`,
        s3BucketName: trail.bucketName,
        isOrganizationTrail: false,
      },
      accountRegions: [{ accountId: ACCOUNT, region: REGION }],
      cursors: [],
      now: new Date(emulator.clock.now()),
      backfillDays: 5,
      byteBudget: 1024 ** 3,
      timeBudgetMs: 600_000,
      commit: async batch => {
        // As the store commits: same key summed (the emulator delivers each call once).
        for (const edge of batch.edges) {
          const edgeKey = [
            edge.tableArn,
            edge.principal,
            edge.operation,
            edge.day,
          ].join('|');
          const known = ingested.get(edgeKey);
          if (!known) ingested.set(edgeKey, { ...edge });
          else {
            known.calls += edge.calls;
            known.errors += edge.errors;
            if (edge.firstSeen < known.firstSeen)
              known.firstSeen = edge.firstSeen;
            if (edge.lastSeen > known.lastSeen) known.lastSeen = edge.lastSeen;
          }
        }
      },
    });
    const byKey = (edges: DailyLineageEdge[]) =>
      [...edges]
        .filter(edge => edge.day >= '2026-03-10' && edge.day <= '2026-03-12')
        .sort((a, b) =>
          [a.day, a.tableArn, a.principal, a.operation]
            .join('|')
            .localeCompare(
              [b.day, b.tableArn, b.principal, b.operation].join('|'),
            ),
        );
    const expected = byKey([...ingested.values()]);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    expect(byKey(backfill.edges)).toEqual(expected);
    // PartiQL read and a failed write are among them, counted as ingestion counts them.
    expect(expected).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          operation: 'ExecuteStatement',
          kind: 'read',
          calls: 1,
        }),
        expect.objectContaining({
          operation: 'PutItem',
          day: '2026-03-12',
          calls: 0,
          errors: 1,
        }),
      ]),
    );
  });

  it('refuses a query whose estimated scan is above the limit, saying the estimate', async () => {
    emulator.calls.clear();
    const guarded = newEngine({ maxScanBytes: 100 });
    await expect(
      guarded.start(
        parseForensicsQuery({
          kind: 'principal-activity',
          principal: REPORTING_ROLE,
          regions: [REGION],
          from: iso(dayStart),
          to: iso(dayStart + 3 * DAY),
        }),
      ),
    ).rejects.toThrow(
      /would scan about .* MB of CloudTrail logs \(\d+ files, about \$0\.\d+ at \$5 per TB\), above the limit/,
    );
    expect(
      emulator.calls.list({ action: 'athena:StartQueryExecution' }),
    ).toEqual([]);
  });

  it('cancels a query that has not finished', async () => {
    emulator.athena.hold();
    try {
      const id = await engine.start(
        parseForensicsQuery({
          kind: 'principal-activity',
          principal: API_ROLE,
          from: iso(dayStart),
          to: iso(dayStart + DAY),
          regions: [REGION],
        }),
      );
      expect((await engine.get(id)).status).toBe('queued');
      await engine.cancel(id);
      const page = await engine.get(id);
      expect(page.status).toBe('cancelled');
      expect(page.rows).toEqual([]);
    } finally {
      emulator.athena.release();
    }
  });

  it('refuses an account without a trail and a region the trail does not log', async () => {
    await expect(
      engine.start(
        parseForensicsQuery({
          kind: 'principal-activity',
          principal: 'arn:aws:iam::666666666666:role/x',
          from: iso(dayStart),
          to: iso(dayStart + DAY),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InputError' });
    const narrow = new AthenaForensicsEngine({
      clients: DefaultAwsClientFactory.fromCredentials(
        accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
        { endpoint: emulator.url, maxAttempts: 1 },
      ),
      settingsFor: () => settings,
      trailFor: async () => ({ ...trail, regions: ['eu-west-1'] }),
    });
    await expect(
      narrow.start(
        parseForensicsQuery({
          kind: 'item-history',
          tableArn: TABLE_ARN,
          key: { pk: 'order#1' },
          from: iso(dayStart),
          to: iso(dayStart + DAY),
        }),
      ),
    ).rejects.toThrow(/does not log us-east-1/);
  });
});
