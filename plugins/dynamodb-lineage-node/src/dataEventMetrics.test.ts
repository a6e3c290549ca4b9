import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type Metric,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { testClients } from './__fixtures__/aws';
import {
  MAX_QUERIES_PER_CALL,
  metricsWindow,
  readDataEventMetrics,
  tableInScope,
} from './dataEventMetrics';

const cloudWatch = mockClient(CloudWatchClient);
const NOW = new Date('2026-12-01T15:30:00Z');
const ACCOUNT = '111111111111';

function requestMetric(
  table: string,
  operation: string,
  name = 'SuccessfulRequestLatency',
): Metric {
  return {
    Namespace: 'AWS/DynamoDB',
    MetricName: name,
    Dimensions: [
      { Name: 'Operation', Value: operation },
      { Name: 'TableName', Value: table },
    ],
  };
}

beforeEach(() => cloudWatch.reset());

describe('metricsWindow', () => {
  it('is the whole hours of the 14 days before the current hour', () => {
    const window = metricsWindow(NOW);
    expect(window.from.toISOString()).toBe('2026-11-17T15:00:00.000Z');
    expect(window.to.toISOString()).toBe('2026-12-01T15:00:00.000Z');
    expect(window.hours).toHaveLength(14 * 24);
    expect(window.hours[0]).toBe('2026-11-17T15:00:00.000Z');
    expect(window.hours[335]).toBe('2026-12-01T14:00:00.000Z');
  });
});

describe('tableInScope', () => {
  const arn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-eu`;
  it('follows the scope: every table, exact ARNs, name or ARN prefixes', () => {
    expect(tableInScope({ mode: 'all' }, arn, 'orders-eu')).toBe(true);
    expect(
      tableInScope({ mode: 'tables', tableArns: [arn] }, arn, 'orders-eu'),
    ).toBe(true);
    expect(
      tableInScope(
        { mode: 'tables', tableArns: [`${arn}x`] },
        arn,
        'orders-eu',
      ),
    ).toBe(false);
    expect(
      tableInScope({ mode: 'prefix', prefixes: ['orders-'] }, arn, 'orders-eu'),
    ).toBe(true);
    expect(
      tableInScope(
        {
          mode: 'prefix',
          prefixes: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/`],
        },
        arn,
        'orders-eu',
      ),
    ).toBe(false);
  });
});

describe('readDataEventMetrics', () => {
  it('asks one paginated listing and one GetMetricData per 500 queries, for the tables and operations in scope only', async () => {
    // 300 tables × 2 operations = 600 queries: two GetMetricData calls.
    const metrics: Metric[] = [];
    for (let i = 0; i < 300; i++) {
      metrics.push(requestMetric(`t${i}`, 'GetItem'));
      metrics.push(requestMetric(`t${i}`, 'PutItem'));
    }
    metrics.push(
      requestMetric('other', 'GetItem'),
      requestMetric('t0', 'DescribeTable'),
      {
        Namespace: 'AWS/DynamoDB',
        MetricName: 'ConsumedReadCapacityUnits',
        Dimensions: [{ Name: 'TableName', Value: 't0' }],
      },
      { Namespace: 'AWS/DynamoDB', MetricName: 'UserErrors', Dimensions: [] },
    );
    cloudWatch
      .on(ListMetricsCommand)
      .resolvesOnce({ Metrics: metrics.slice(0, 500), NextToken: 'page2' })
      .resolvesOnce({ Metrics: metrics.slice(500) });
    cloudWatch.on(GetMetricDataCommand).callsFake(input => ({
      MetricDataResults: input.MetricDataQueries.map((q: any) => ({
        Id: q.Id,
        Timestamps: [new Date('2026-11-20T00:00:00Z')],
        Values: [2],
        StatusCode: 'Complete',
      })),
    }));

    const result = await readDataEventMetrics(testClients().cloudWatch, {
      accountId: ACCOUNT,
      region: 'us-east-1',
      scope: { mode: 'prefix', prefixes: ['t'] },
      readWriteType: 'All',
      now: NOW,
    });

    const listings = cloudWatch.commandCalls(ListMetricsCommand);
    expect(listings.map(c => c.args[0].input)).toEqual([
      { Namespace: 'AWS/DynamoDB', NextToken: undefined },
      { Namespace: 'AWS/DynamoDB', NextToken: 'page2' },
    ]);
    const batches = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(batches.map(c => c.args[0].input.MetricDataQueries!.length)).toEqual(
      [MAX_QUERIES_PER_CALL, 100],
    );
    expect(batches[0].args[0].input).toMatchObject({
      StartTime: new Date('2026-11-17T15:00:00Z'),
      EndTime: new Date('2026-12-01T15:00:00Z'),
      ScanBy: 'TimestampAscending',
    });
    expect(batches[0].args[0].input.MetricDataQueries![0]).toEqual({
      Id: 'm0',
      MetricStat: {
        Metric: requestMetric('t0', 'GetItem'),
        Period: 3600,
        Stat: 'SampleCount',
      },
    });
    expect(result.tables).toHaveLength(300);
    expect(result.tables[0]).toEqual({
      tableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t0`,
      perHour: { '2026-11-20T00:00:00.000Z': 4 },
    });
    // Not every table: the account-wide UserErrors are not asked for.
    expect(result.userErrorsPerHour).toBeUndefined();
    expect(result.calls).toEqual({ listMetrics: 2, getMetricData: 2 });
  });

  it('follows NextToken within a batch and adds the failures CloudTrail logs', async () => {
    cloudWatch.on(ListMetricsCommand).resolves({
      Metrics: [
        requestMetric('orders', 'GetItem'),
        requestMetric('orders', 'PutItem', 'ThrottledRequests'),
        requestMetric('orders', 'Query', 'SystemErrors'),
        {
          Namespace: 'AWS/DynamoDB',
          MetricName: 'ConditionalCheckFailedRequests',
          Dimensions: [{ Name: 'TableName', Value: 'orders' }],
        },
        { Namespace: 'AWS/DynamoDB', MetricName: 'UserErrors' },
      ],
    });
    cloudWatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          {
            Id: 'm0',
            Timestamps: [new Date('2026-11-29T00:00:00Z')],
            Values: [100],
            StatusCode: 'PartialData',
          },
        ],
        NextToken: 'more',
      })
      .resolvesOnce({
        MetricDataResults: [
          {
            Id: 'm0',
            Timestamps: [new Date('2026-11-30T00:00:00Z')],
            Values: [50],
            StatusCode: 'Complete',
          },
          {
            Id: 'm1',
            Timestamps: [new Date('2026-11-30T00:00:00Z')],
            Values: [3],
            StatusCode: 'Complete',
          },
          {
            Id: 'm2',
            Timestamps: [new Date('2026-11-30T00:00:00Z')],
            Values: [2],
            StatusCode: 'Complete',
          },
          {
            Id: 'm3',
            Timestamps: [new Date('2026-11-30T00:00:00Z')],
            Values: [1],
            StatusCode: 'Complete',
          },
          {
            Id: 'usererrors',
            Timestamps: [new Date('2026-11-30T00:00:00Z')],
            Values: [7],
            StatusCode: 'Complete',
          },
        ],
      });

    const result = await readDataEventMetrics(testClients().cloudWatch, {
      accountId: ACCOUNT,
      region: 'us-east-1',
      scope: { mode: 'all' },
      readWriteType: 'All',
      now: NOW,
    });
    const batches = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(batches.map(c => c.args[0].input.NextToken)).toEqual([
      undefined,
      'more',
    ]);
    expect(
      batches[0].args[0].input.MetricDataQueries!.map(q => [
        q.Id,
        q.MetricStat!.Stat,
      ]),
    ).toEqual([
      ['m0', 'SampleCount'],
      ['m1', 'SampleCount'],
      ['m2', 'SampleCount'],
      ['m3', 'Sum'],
      ['usererrors', 'Sum'],
    ]);
    expect(result.tables).toEqual([
      {
        tableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
        perHour: {
          '2026-11-29T00:00:00.000Z': 100,
          '2026-11-30T00:00:00.000Z': 56,
        },
      },
    ]);
    expect(result.userErrorsPerHour).toEqual({ '2026-11-30T00:00:00.000Z': 7 });
  });

  it('leaves out the operations a read-only or write-only capture drops', async () => {
    cloudWatch.on(ListMetricsCommand).resolves({
      Metrics: [
        requestMetric('orders', 'GetItem'),
        requestMetric('orders', 'PutItem'),
        requestMetric('orders', 'ExecuteStatement'),
        {
          Namespace: 'AWS/DynamoDB',
          MetricName: 'ConditionalCheckFailedRequests',
          Dimensions: [{ Name: 'TableName', Value: 'orders' }],
        },
      ],
    });
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const ask = (readWriteType: 'ReadOnly' | 'WriteOnly') =>
      readDataEventMetrics(testClients().cloudWatch, {
        accountId: ACCOUNT,
        region: 'us-east-1',
        scope: { mode: 'all' },
        readWriteType,
        now: NOW,
      });
    await ask('ReadOnly');
    await ask('WriteOnly');
    const asked = cloudWatch
      .commandCalls(GetMetricDataCommand)
      .map(c =>
        c.args[0].input.MetricDataQueries!.map(
          q =>
            q.MetricStat!.Metric!.Dimensions!.find(d => d.Name === 'Operation')
              ?.Value ?? q.MetricStat!.Metric!.MetricName,
        ),
      );
    // PartiQL is logged readOnly: false, so a read-only capture drops it.
    expect(asked).toEqual([
      ['GetItem'],
      ['PutItem', 'ExecuteStatement', 'ConditionalCheckFailedRequests'],
    ]);
  });

  it('asks nothing more than the listing when no table in scope has metrics', async () => {
    cloudWatch.on(ListMetricsCommand).resolves({ Metrics: [] });
    const result = await readDataEventMetrics(testClients().cloudWatch, {
      accountId: ACCOUNT,
      region: 'us-east-1',
      scope: {
        mode: 'tables',
        tableArns: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/x`],
      },
      readWriteType: 'All',
      now: NOW,
    });
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(result.tables).toEqual([]);
  });
});
