import {
  BatchGetItemCommand,
  DynamoDBClient,
  TransactWriteItemsCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  ForensicsQueryPage,
  ItemHistoryRow,
  PrincipalActivityRow,
  parseForensicsQuery,
} from '@lineage/plugin-dynamodb-lineage-common';
import { DefaultAwsClientFactory } from '../clients';
import { ForensicsEngine } from './engine';
import {
  DEFAULT_LOG_FORENSICS_OPTIONS,
  ForensicsLogSource,
  LogForensicsEngine,
} from './logEngine';

/*
 * The log-direct engine against the emulator's demo world: the payments
 * account's trail delivers 10 hours of workload traffic, and the test adds the
 * change an incident responder looks for.
 */

const PAYMENTS = '111111111111';
const BUCKET = 'payments-cloudtrail-logs-111111111111';
const TABLE = `arn:aws:dynamodb:us-east-1:${PAYMENTS}:table/payments`;
const REPORTING_JOB = `arn:aws:iam::${PAYMENTS}:role/reporting-job`;
const ALICE = `arn:aws:iam::${PAYMENTS}:user/alice`;
const HOUR = 3_600_000;

let emulator: RunningEmulator;
let engine: LogForensicsEngine;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'demo' });
  const factory = DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 1 },
  );
  const { s3 } = await factory.forAccount(PAYMENTS, 'us-east-1');
  const source = (region: string): ForensicsLogSource => ({
    accountId: PAYMENTS,
    region,
    s3,
    trail: {
      name: 'dynamodb-lineage',
      s3BucketName: BUCKET,
      isOrganizationTrail: false,
    },
  });
  engine = new LogForensicsEngine({
    ...DEFAULT_LOG_FORENSICS_OPTIONS,
    byteBudget: 64 * 1024 * 1024,
    now: () => new Date(emulator.clock.now()),
    locate: async query => ({
      sources:
        query.kind === 'item-history'
          ? [source('us-east-1')]
          : (query.regions ?? ['us-east-1', 'eu-west-1']).map(source),
      uncovered: [],
    }),
  });
});

afterAll(async () => {
  await emulator?.stop();
});

/** Polls until the query has finished, then reads every page. */
async function finished(
  subject: ForensicsEngine,
  id: string,
): Promise<{ last: ForensicsQueryPage; rows: unknown[] }> {
  let page = await subject.get(id);
  while (page.status === 'queued' || page.status === 'running') {
    await new Promise(resolve => setTimeout(resolve, 20));
    page = await subject.get(id);
  }
  const rows: unknown[] = [...page.rows];
  let last = page;
  while (last.nextToken) {
    last = await subject.get(id, { nextToken: last.nextToken, pageSize: 5 });
    rows.push(...last.rows);
  }
  return { last: page, rows };
}

it('finds who last changed a payments item, from put to the latest update', async () => {
  const root = new DynamoDBClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: PAYMENTS, secretAccessKey: 'emulator' },
  });
  const alice = new DynamoDBClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: {
      accessKeyId: 'AKIA1111ALICEDEMO001',
      secretAccessKey: 'emulator',
    },
  });
  const key = { id: { S: 'order#123' } };
  await root.send(
    new PutItemCommand({
      TableName: 'payments',
      Item: { ...key, state: { S: 'AUTHORIZED' } },
    }),
  );
  // CloudTrail times are whole seconds: each change gets its own.
  await emulator.advance(60_000);
  await root.send(
    new UpdateItemCommand({
      TableName: 'payments',
      Key: key,
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':s': { S: 'SETTLED' } },
    }),
  );
  await emulator.advance(60_000);
  // The change is logged inside requestItems[], not requestParameters.key.
  await alice.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Update: {
            TableName: 'payments',
            Key: key,
            UpdateExpression: 'SET #s = :s',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':s': { S: 'REFUNDED' } },
          },
        },
        {
          Put: {
            TableName: 'ledger',
            Item: {
              accountId: { S: 'acct-1' },
              entryId: { S: 'refund-order#123' },
            },
          },
        },
      ],
    }),
  );
  await emulator.advance(60_000);
  await root.send(
    new BatchGetItemCommand({
      RequestItems: { payments: { Keys: [key, { id: { S: 'order#124' } }] } },
    }),
  );
  // An item of another key: not in the history.
  await root.send(
    new PutItemCommand({
      TableName: 'payments',
      Item: { id: { S: 'order#1234' } },
    }),
  );
  await emulator.advance(10 * 60_000);
  const now = emulator.clock.now();

  const id = await engine.start(
    parseForensicsQuery({
      kind: 'item-history',
      tableArn: TABLE,
      key: { id: 'order#123' },
      from: new Date(now - 6 * HOUR).toISOString(),
      to: new Date(now).toISOString(),
    }),
  );
  const { last, rows } = await finished(engine, id);
  expect(last).toMatchObject({
    status: 'succeeded',
    engine: 'logs',
    truncated: false,
    note: expect.stringContaining(
      'read the delivered logs directly: last 24 h only',
    ),
  });
  expect(last.bytesScanned).toBeGreaterThan(0);
  expect(last.costUsd).toBeGreaterThan(0);
  const events = rows as ItemHistoryRow[];
  const rootArn = `arn:aws:iam::${PAYMENTS}:root`;
  expect(events.map(e => [e.eventName, e.principal, e.kind])).toEqual([
    ['BatchGetItem', rootArn, 'read'],
    ['TransactWriteItems', ALICE, 'write'],
    ['UpdateItem', rootArn, 'write'],
    ['PutItem', rootArn, 'write'],
  ]);
  const lastChange = events.find(e => e.kind === 'write');
  expect(lastChange).toMatchObject({
    principal: ALICE,
    principalType: 'IAMUser',
    region: 'us-east-1',
    tableArn: TABLE,
  });
});

it('tells what role/reporting-job did in the last day, per table and operation, in both regions', async () => {
  const now = emulator.clock.now();
  const id = await engine.start(
    parseForensicsQuery({
      kind: 'principal-activity',
      principal: 'arn:aws:sts::111111111111:assumed-role/reporting-job/any',
      from: new Date(now - 24 * HOUR).toISOString(),
      to: new Date(now).toISOString(),
    }),
  );
  const { last, rows } = await finished(engine, id);
  expect(last.status).toBe('succeeded');
  const activity = rows as PrincipalActivityRow[];
  expect(
    activity.map(r => [r.region, r.tableArn.split(':table/')[1], r.operation]),
  ).toEqual([
    ['eu-west-1', 'payments-eu', 'Scan'],
    ['us-east-1', 'ledger', 'Query'],
    ['us-east-1', 'payments', 'Scan'],
  ]);
  for (const row of activity) {
    expect(row).toMatchObject({ accountId: PAYMENTS, kind: 'read', errors: 0 });
    expect(row.calls).toBeGreaterThan(0);
    expect(row.firstSeen <= row.lastSeen).toBe(true);
  }
  // The workload queries the ledger every tick and scans payments every fourth.
  const [, ledger, payments] = activity;
  expect(ledger.calls).toBeGreaterThan(payments.calls);
  expect(activity.every(r => r.tableArn.includes(':table/'))).toBe(true);
  expect(activity.some(r => r.tableArn === REPORTING_JOB)).toBe(false);
});
