import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  DATA_EVENT_PRICE_USD_PER_100K,
  DAYS_PER_MONTH,
  FORECAST_DAYS,
} from '@lineage/plugin-dynamodb-lineage-common';
import { DefaultAwsClientFactory } from './clients';
import { forecastCaptureCost } from './dataEventMetrics';

/*
 * The forecast against the emulator: known DynamoDB traffic over 14 UTC days,
 * counted by the emulator's CloudWatch as AWS would, read back as the month
 * of data events CloudTrail would log.
 */

const ACCOUNT = '111111111111';
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

let emulator: RunningEmulator;
let factory: DefaultAwsClientFactory;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  factory = DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 1 },
  );
});

afterAll(async () => {
  await emulator?.stop();
});

const key = (id: string) => ({ id: { S: id } });

it('forecasts a month of the data events the tables in scope served, within 1 %, in one batch per account-region', async () => {
  await emulator.reset();
  const clients = await factory.forAccount(ACCOUNT, 'us-east-1');
  for (const table of ['orders', 'orders-archive', 'users']) {
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }),
    );
  }
  // Start the window at a UTC midnight so each day's calls land on that day.
  const now = emulator.clock.now();
  await emulator.advance(Math.ceil(now / DAY_MS) * DAY_MS - now + 60_000);

  let ordersCalls = 0;
  let archiveCalls = 0;
  for (let day = 0; day < FORECAST_DAYS; day++) {
    const puts = 5 + (day % 4);
    for (let i = 0; i < puts; i++) {
      await clients.dynamodb.send(
        new PutItemCommand({ TableName: 'orders', Item: key(`${day}-${i}`) }),
      );
      ordersCalls++;
    }
    await clients.dynamodb.send(
      new QueryCommand({
        TableName: 'orders',
        KeyConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': { S: `${day}-0` } },
      }),
    );
    ordersCalls++;
    // A failed conditional write is logged by CloudTrail too.
    await clients.dynamodb
      .send(
        new PutItemCommand({
          TableName: 'orders',
          Item: key(`${day}-0`),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      )
      .catch(() => undefined);
    ordersCalls++;
    await clients.dynamodb.send(
      new GetItemCommand({ TableName: 'orders-archive', Key: key('x') }),
    );
    archiveCalls++;
    // Out of the prefix scope: must not count.
    await clients.dynamodb.send(
      new GetItemCommand({ TableName: 'users', Key: key('x') }),
    );
    await emulator.advance(DAY_MS);
  }

  emulator.calls.clear();
  const forecast = await forecastCaptureCost(factory, {
    accountId: ACCOUNT,
    regions: ['us-east-1', 'eu-west-1'],
    scope: { mode: 'prefix', prefixes: ['orders'] },
    readWriteType: 'All',
    lifecycle: { glacierAfterDays: 90 },
    insights: false,
    createKmsKey: false,
    now: new Date(emulator.clock.now()),
  });

  const expectedOrders = (ordersCalls / FORECAST_DAYS) * DAYS_PER_MONTH;
  const orders = forecast.perTable.find(t =>
    t.tableArn.endsWith(':table/orders'),
  )!;
  expect(
    Math.abs(orders.dataEventsPerMonth - expectedOrders),
  ).toBeLessThanOrEqual(expectedOrders * 0.01);
  expect(orders.monthlyUsd).toBeCloseTo(
    (expectedOrders / 100_000) * DATA_EVENT_PRICE_USD_PER_100K,
    2,
  );
  const expectedTotal =
    ((ordersCalls + archiveCalls) / FORECAST_DAYS) * DAYS_PER_MONTH;
  expect(
    Math.abs(forecast.dataEventsPerMonth - expectedTotal),
  ).toBeLessThanOrEqual(expectedTotal * 0.01);
  expect(forecast.perTable.map(t => t.tableArn).sort()).toEqual([
    `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
    `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-archive`,
  ]);
  expect(forecast.days).toBe(FORECAST_DAYS);
  expect(forecast.basis).toContain('14 days');
  expect(forecast.basis).toContain('2 tables');
  expect(forecast.range.minDataEventsPerMonth).toBeLessThan(
    forecast.range.maxDataEventsPerMonth,
  );

  // One listing and one GetMetricData batch per account-region, whatever the
  // table count; a region without DynamoDB metrics needs no GetMetricData.
  const cloudWatchCalls = emulator.calls
    .list({ service: 'cloudwatch' })
    .map(call => `${call.region} ${call.operation}`)
    .sort();
  expect(cloudWatchCalls).toEqual([
    'eu-west-1 ListMetrics',
    'us-east-1 GetMetricData',
    'us-east-1 ListMetrics',
  ]);
});

it('counts only reads for a read-only capture, and names a region it could not read', async () => {
  await emulator.reset();
  const clients = await factory.forAccount(ACCOUNT, 'us-east-1');
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: 'orders',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }),
  );
  // Just after an hour starts, so the traffic's first hour is a whole one.
  const now = emulator.clock.now();
  await emulator.advance(Math.ceil(now / HOUR_MS) * HOUR_MS - now + 60_000);
  for (let i = 0; i < 3; i++) {
    await clients.dynamodb.send(
      new PutItemCommand({ TableName: 'orders', Item: key(`${i}`) }),
    );
    await clients.dynamodb.send(
      new GetItemCommand({ TableName: 'orders', Key: key(`${i}`) }),
    );
  }
  await emulator.advance(2 * DAY_MS);
  emulator.faults.set({
    accessDenied: [{ principal: ACCOUNT, action: 'cloudwatch:ListMetrics' }],
  });
  const denied = await forecastCaptureCost(factory, {
    accountId: ACCOUNT,
    regions: ['us-east-1'],
    scope: { mode: 'all' },
    readWriteType: 'ReadOnly',
    lifecycle: { glacierAfterDays: 90 },
    insights: false,
    createKmsKey: false,
    now: new Date(emulator.clock.now()),
  });
  expect(denied.unavailable).toEqual([
    expect.stringContaining(`${ACCOUNT}/us-east-1`),
  ]);
  expect(denied.unavailable![0]).toContain('AccessDenied');
  emulator.faults.clear();

  const reads = await forecastCaptureCost(factory, {
    accountId: ACCOUNT,
    regions: ['us-east-1'],
    scope: { mode: 'all' },
    readWriteType: 'ReadOnly',
    lifecycle: { glacierAfterDays: 90 },
    insights: false,
    createKmsKey: false,
    now: new Date(emulator.clock.now()),
  });
  expect(reads.unavailable).toBeUndefined();
  expect(reads.perTable).toHaveLength(1);
  // 3 reads in the 2 days since the table's first request: 1.5 a day, not
  // diluted by the 12 days of the window before it.
  expect(reads.days).toBe(2);
  expect(reads.perTable[0].dataEventsPerMonth).toBe(
    Math.round(1.5 * DAYS_PER_MONTH),
  );
});
