import {
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  ListMetricsCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  BatchGetItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { awsCliVersion, runAwsCli } from '../../awsCliRunner';
import {
  type Clients,
  rejection,
  sdkClients,
} from '../../__testUtils__/clients';
import { type RunningEmulator, startEmulator } from '../../index';

const DAY_MS = 24 * 60 * 60 * 1000;

function sampleCount(
  id: string,
  metricName: string,
  dimensions: Record<string, string>,
  period = 3600,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/DynamoDB',
        MetricName: metricName,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({
          Name,
          Value,
        })),
      },
      Period: period,
      Stat: 'SampleCount',
    },
  };
}

async function createTable(ddb: DynamoDBClient, name: string) {
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }),
  );
}

const key = (id: string) => ({ id: { S: id } });

describe('CloudWatch metrics of the DynamoDB requests the emulator served', () => {
  let emulator: RunningEmulator;
  let clients: Clients;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, trafficIntervalMs: false });
  });

  beforeEach(async () => {
    await emulator.reset();
    clients = sdkClients(emulator.url, { accessKeyId: '222222222222' });
    await createTable(clients.dynamodb, 'orders');
    await createTable(clients.dynamodb, 'customers');
  });

  afterAll(() => emulator.stop());

  /** The window around now, an hour each side, aligned to the hour. */
  function window(): Pick<GetMetricDataCommandInput, 'StartTime' | 'EndTime'> {
    const hour = Math.floor(emulator.clock.now() / 3_600_000) * 3_600_000;
    return {
      StartTime: new Date(hour - 3_600_000),
      EndTime: new Date(hour + 2 * 3_600_000),
    };
  }

  const total = (values: number[] | undefined) =>
    (values ?? []).reduce((sum, v) => sum + v, 0);

  it('counts each successful request per table and operation, and each failure where DynamoDB files it', async () => {
    const ddb = clients.dynamodb;
    for (let i = 0; i < 7; i++) {
      await ddb.send(
        new PutItemCommand({ TableName: 'orders', Item: key(`o${i}`) }),
      );
    }
    for (let i = 0; i < 5; i++) {
      await ddb.send(
        new GetItemCommand({ TableName: 'orders', Key: key(`o${i}`) }),
      );
    }
    // One request over two tables: one data event, and one sample, per table.
    await ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          orders: { Keys: [key('o1'), key('o2')] },
          customers: { Keys: [key('c1')] },
        },
      }),
    );
    await rejection(
      ddb.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: key('o1'),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
    );
    await rejection(
      ddb.send(new GetItemCommand({ TableName: 'missing', Key: key('x') })),
    );
    emulator.faults.set({ throttleRate: { 'dynamodb:GetItem': 1 } });
    await rejection(
      ddb.send(new GetItemCommand({ TableName: 'customers', Key: key('c1') })),
    );
    emulator.faults.clear();

    const answer = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        ...window(),
        MetricDataQueries: [
          sampleCount('puts', 'SuccessfulRequestLatency', {
            TableName: 'orders',
            Operation: 'PutItem',
          }),
          sampleCount('gets', 'SuccessfulRequestLatency', {
            TableName: 'orders',
            Operation: 'GetItem',
          }),
          sampleCount('batchorders', 'SuccessfulRequestLatency', {
            TableName: 'orders',
            Operation: 'BatchGetItem',
          }),
          sampleCount('batchcustomers', 'SuccessfulRequestLatency', {
            TableName: 'customers',
            Operation: 'BatchGetItem',
          }),
          sampleCount('conditional', 'ConditionalCheckFailedRequests', {
            TableName: 'orders',
          }),
          sampleCount('throttled', 'ThrottledRequests', {
            TableName: 'customers',
            Operation: 'GetItem',
          }),
          sampleCount('usererrors', 'UserErrors', {}),
          sampleCount('nothing', 'SuccessfulRequestLatency', {
            TableName: 'customers',
            Operation: 'Scan',
          }),
        ],
      }),
    );
    const byId = Object.fromEntries(
      answer.MetricDataResults!.map(r => [r.Id, r]),
    );
    expect(total(byId.puts.Values)).toBe(7);
    expect(total(byId.gets.Values)).toBe(5);
    expect(total(byId.batchorders.Values)).toBe(1);
    expect(total(byId.batchcustomers.Values)).toBe(1);
    expect(total(byId.conditional.Values)).toBe(1);
    expect(total(byId.throttled.Values)).toBe(1);
    expect(total(byId.usererrors.Values)).toBe(1);
    expect(byId.nothing).toMatchObject({
      StatusCode: 'Complete',
      Values: [],
      Timestamps: [],
    });
    expect(byId.puts.Label).toBe('SuccessfulRequestLatency');
    expect(byId.puts.Timestamps![0]).toBeInstanceOf(Date);
    expect(answer.NextToken).toBeUndefined();
  });

  it('buckets samples by period, newest first unless asked otherwise, and keeps accounts and regions apart', async () => {
    const ddb = clients.dynamodb;
    await ddb.send(new PutItemCommand({ TableName: 'orders', Item: key('a') }));
    await emulator.advance(DAY_MS);
    for (let i = 0; i < 3; i++) {
      await ddb.send(
        new PutItemCommand({ TableName: 'orders', Item: key(`b${i}`) }),
      );
    }
    const today = Math.floor(emulator.clock.now() / DAY_MS) * DAY_MS;
    const query = sampleCount(
      'puts',
      'SuccessfulRequestLatency',
      { TableName: 'orders', Operation: 'PutItem' },
      86400,
    );
    const range = {
      StartTime: new Date(today - DAY_MS),
      EndTime: new Date(today + DAY_MS),
    };
    const descending = await clients.cloudwatch.send(
      new GetMetricDataCommand({ ...range, MetricDataQueries: [query] }),
    );
    expect(descending.MetricDataResults![0]).toMatchObject({
      Timestamps: [new Date(today), new Date(today - DAY_MS)],
      Values: [3, 1],
    });
    const ascending = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        ...range,
        MetricDataQueries: [query],
        ScanBy: 'TimestampAscending',
      }),
    );
    expect(ascending.MetricDataResults![0].Values).toEqual([1, 3]);

    const otherAccount = sdkClients(emulator.url, {
      accessKeyId: '333333333333',
    });
    const otherRegion = sdkClients(emulator.url, {
      accessKeyId: '222222222222',
      region: 'eu-west-1',
    });
    for (const elsewhere of [otherAccount, otherRegion]) {
      const answer = await elsewhere.cloudwatch.send(
        new GetMetricDataCommand({ ...range, MetricDataQueries: [query] }),
      );
      expect(answer.MetricDataResults![0].Values).toEqual([]);
    }
  });

  it('pages through MaxDatapoints with NextToken and returns every point once', async () => {
    const ddb = clients.dynamodb;
    for (let day = 0; day < 3; day++) {
      for (let i = 0; i <= day; i++) {
        await ddb.send(
          new GetItemCommand({ TableName: 'orders', Key: key('a') }),
        );
        await ddb.send(
          new GetItemCommand({ TableName: 'customers', Key: key('a') }),
        );
      }
      await emulator.advance(DAY_MS);
    }
    const today = Math.floor(emulator.clock.now() / DAY_MS) * DAY_MS;
    const queries = ['orders', 'customers'].map(table =>
      sampleCount(
        table,
        'SuccessfulRequestLatency',
        { TableName: table, Operation: 'GetItem' },
        86400,
      ),
    );
    const collected: Record<string, number[]> = { orders: [], customers: [] };
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await clients.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(today - 5 * DAY_MS),
          EndTime: new Date(today),
          MetricDataQueries: queries,
          MaxDatapoints: 2,
          NextToken: token,
          ScanBy: 'TimestampAscending',
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        collected[result.Id!].push(...(result.Values ?? []));
      }
      token = page.NextToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(collected).toEqual({ orders: [1, 2, 3], customers: [1, 2, 3] });
  });

  it('lists the metrics that have data, filtered by name and dimension', async () => {
    await clients.dynamodb.send(
      new GetItemCommand({ TableName: 'orders', Key: key('a') }),
    );
    await clients.dynamodb.send(
      new PutItemCommand({ TableName: 'customers', Item: key('a') }),
    );
    const listed = await clients.cloudwatch.send(
      new ListMetricsCommand({
        Namespace: 'AWS/DynamoDB',
        MetricName: 'SuccessfulRequestLatency',
        Dimensions: [{ Name: 'TableName', Value: 'orders' }],
      }),
    );
    expect(listed.Metrics).toEqual([
      {
        Namespace: 'AWS/DynamoDB',
        MetricName: 'SuccessfulRequestLatency',
        Dimensions: [
          { Name: 'Operation', Value: 'GetItem' },
          { Name: 'TableName', Value: 'orders' },
        ],
      },
    ]);
    await emulator.advance(15 * DAY_MS);
    const later = await clients.cloudwatch.send(
      new ListMetricsCommand({ Namespace: 'AWS/DynamoDB' }),
    );
    expect(later.Metrics).toEqual([]);
  });

  it('refuses what CloudWatch refuses, with its error codes', async () => {
    const send = (input: Partial<GetMetricDataCommandInput>) =>
      rejection(
        clients.cloudwatch.send(
          new GetMetricDataCommand({
            ...window(),
            MetricDataQueries: [sampleCount('q', 'UserErrors', {})],
            ...input,
          }),
        ),
      );
    const tooMany = await send({
      MetricDataQueries: Array.from({ length: 501 }, (_, i) =>
        sampleCount(`q${i}`, 'UserErrors', {}),
      ),
    });
    // The SDK names the error after its JSON shape and keeps the Query code.
    expect(tooMany).toMatchObject({
      name: 'ValidationException',
      Code: 'ValidationError',
    });
    expect(tooMany.message).toContain('500');
    const badPeriod = await send({
      MetricDataQueries: [{ ...sampleCount('q', 'UserErrors', {}, 90) }],
    });
    expect(badPeriod).toMatchObject({
      name: 'InvalidParameterValueException',
      Code: 'InvalidParameterValue',
    });
    const backwards = await send({
      StartTime: new Date(emulator.clock.now()),
      EndTime: new Date(emulator.clock.now() - 3_600_000),
    });
    expect(backwards.Code).toBe('ValidationError');
    const badToken = await send({ NextToken: 'not-a-token' });
    expect(badToken.name).toBe('InvalidNextToken');
    expect(badToken.Code).toBe('InvalidNextToken');
    expect(badToken.$metadata.httpStatusCode).toBe(400);
  });

  const cliAvailable = awsCliVersion()?.startsWith('aws-cli/2.') ?? false;
  (cliAvailable ? describe : describe.skip)('with the AWS CLI v2', () => {
    it('answers the Query protocol the CLI speaks with the same numbers', async () => {
      for (let i = 0; i < 4; i++) {
        await clients.dynamodb.send(
          new GetItemCommand({ TableName: 'orders', Key: key('a') }),
        );
      }
      const { StartTime, EndTime } = window();
      const queries = [
        sampleCount('gets', 'SuccessfulRequestLatency', {
          TableName: 'orders',
          Operation: 'GetItem',
        }),
      ];
      const got = await runAwsCli(
        emulator.url,
        [
          'cloudwatch',
          'get-metric-data',
          '--metric-data-queries',
          JSON.stringify(queries),
          '--start-time',
          StartTime!.toISOString(),
          '--end-time',
          EndTime!.toISOString(),
          '--output',
          'json',
        ],
        { accountId: '222222222222' },
      );
      expect(got.stderr).toBe('');
      expect(got.code).toBe(0);
      const answer = JSON.parse(got.stdout);
      expect(answer.MetricDataResults).toHaveLength(1);
      expect(answer.MetricDataResults[0]).toMatchObject({
        Id: 'gets',
        StatusCode: 'Complete',
      });
      expect(total(answer.MetricDataResults[0].Values)).toBe(4);
      expect(Date.parse(answer.MetricDataResults[0].Timestamps[0])).toBe(
        Math.floor(emulator.clock.now() / 3_600_000) * 3_600_000,
      );

      const listed = await runAwsCli(
        emulator.url,
        [
          'cloudwatch',
          'list-metrics',
          '--namespace',
          'AWS/DynamoDB',
          '--dimensions',
          'Name=TableName,Value=orders',
          '--output',
          'json',
        ],
        { accountId: '222222222222' },
      );
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout).Metrics).toEqual([
        {
          Namespace: 'AWS/DynamoDB',
          MetricName: 'SuccessfulRequestLatency',
          Dimensions: [
            { Name: 'Operation', Value: 'GetItem' },
            { Name: 'TableName', Value: 'orders' },
          ],
        },
      ]);

      const refused = await runAwsCli(
        emulator.url,
        [
          'cloudwatch',
          'get-metric-data',
          '--metric-data-queries',
          JSON.stringify([
            {
              ...queries[0],
              MetricStat: { ...queries[0].MetricStat, Period: 90 },
            },
          ]),
          '--start-time',
          StartTime!.toISOString(),
          '--end-time',
          EndTime!.toISOString(),
        ],
        { accountId: '222222222222' },
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('InvalidParameterValue');
    });
  });
});
