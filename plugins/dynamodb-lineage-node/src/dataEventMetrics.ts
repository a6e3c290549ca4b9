import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type Metric,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  AWS_PARTITION,
  type CostForecast,
  buildCostForecast,
  DYNAMODB_OPERATION_ACCESS,
  type DataEventMetrics,
  FORECAST_DAYS,
  type ReadWriteType,
  type TableScope,
  isDynamoDbDataOperation,
} from '@lineage/plugin-dynamodb-lineage-common';
import type { AwsClientFactory } from './clients';
import { awsErrorMessage } from './probe';

/**
 * DynamoDB's own CloudWatch metrics, read as the CloudTrail data events the
 * requests would become: every request DynamoDB answered for a table (the
 * SampleCount of `SuccessfulRequestLatency`), throttled or failed on the
 * server (`ThrottledRequests`, `SystemErrors`) per table and operation, and
 * failed conditional writes per table. One ListMetrics listing and one
 * GetMetricData batch (500 queries a call) per account-region, never a call
 * per table.
 */

const NAMESPACE = 'AWS/DynamoDB';
export const MAX_QUERIES_PER_CALL = 500;
const HOUR_MS = 60 * 60 * 1000;
const HOUR_SECONDS = 3600;

/** Metrics with TableName and Operation whose SampleCount counts requests. */
const PER_OPERATION = new Set([
  'SuccessfulRequestLatency',
  'ThrottledRequests',
  'SystemErrors',
]);
/** Failed conditional writes, per table only (PutItem, UpdateItem, DeleteItem). */
const CONDITIONAL_WRITES = 'ConditionalCheckFailedRequests';
const USER_ERRORS = 'UserErrors';

export interface DataEventMetricsRequest {
  accountId: string;
  region: string;
  scope: TableScope;
  readWriteType: ReadWriteType;
  now: Date;
}

function dimension(metric: Metric, name: string): string | undefined {
  return metric.Dimensions?.find(d => d.Name === name)?.Value;
}

function tableArnOf(accountId: string, region: string, name: string) {
  return `arn:${AWS_PARTITION}:dynamodb:${region}:${accountId}:table/${name}`;
}

/** Whether a table is one the scope's selectors would capture. */
export function tableInScope(
  scope: TableScope,
  tableArn: string,
  tableName: string,
): boolean {
  switch (scope.mode) {
    case 'all':
      return true;
    case 'tables':
      return scope.tableArns.includes(tableArn);
    default:
      return scope.prefixes.some(prefix =>
        prefix.startsWith('arn:')
          ? tableArn.startsWith(prefix)
          : tableName.startsWith(prefix),
      );
  }
}

function accessCaptured(
  readWriteType: ReadWriteType,
  access: 'read' | 'write',
): boolean {
  if (readWriteType === 'All') return true;
  return readWriteType === 'ReadOnly' ? access === 'read' : access === 'write';
}

/** The whole hours of the `days` before `now`: `[to - days, to)`, `to` being the current hour's start. */
export function metricsWindow(now: Date, days = FORECAST_DAYS) {
  const to = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const count = days * 24;
  const from = to - count * HOUR_MS;
  return {
    from: new Date(from),
    to: new Date(to),
    hours: Array.from({ length: count }, (_, i) =>
      new Date(from + i * HOUR_MS).toISOString(),
    ),
  };
}

async function listDynamoDbMetrics(
  cloudWatch: CloudWatchClient,
): Promise<{ metrics: Metric[]; calls: number }> {
  const metrics: Metric[] = [];
  let token: string | undefined;
  let calls = 0;
  do {
    const page = await cloudWatch.send(
      new ListMetricsCommand({ Namespace: NAMESPACE, NextToken: token }),
    );
    calls++;
    metrics.push(...(page.Metrics ?? []));
    token = page.NextToken;
  } while (token);
  return { metrics, calls };
}

export async function readDataEventMetrics(
  cloudWatch: CloudWatchClient,
  request: DataEventMetricsRequest,
): Promise<DataEventMetrics> {
  const { accountId, region, scope, readWriteType } = request;
  const window = metricsWindow(request.now);
  const listed = await listDynamoDbMetrics(cloudWatch);

  const queries: MetricDataQuery[] = [];
  /** Query id → the table its requests belong to. */
  const tableOf = new Map<string, string>();
  const tables = new Set<string>();
  const add = (metric: Metric, stat: string, tableArn: string) => {
    const id = `m${queries.length}`;
    queries.push({
      Id: id,
      MetricStat: { Metric: metric, Period: HOUR_SECONDS, Stat: stat },
    });
    tableOf.set(id, tableArn);
    tables.add(tableArn);
  };
  let userErrors: Metric | undefined;
  for (const metric of listed.metrics) {
    const name = metric.MetricName ?? '';
    const tableName = dimension(metric, 'TableName');
    if (name === USER_ERRORS && !metric.Dimensions?.length) {
      userErrors = metric;
      continue;
    }
    if (!tableName) continue;
    const tableArn = tableArnOf(accountId, region, tableName);
    if (!tableInScope(scope, tableArn, tableName)) continue;
    if (PER_OPERATION.has(name)) {
      const operation = dimension(metric, 'Operation');
      if (metric.Dimensions?.length !== 2 || !operation) continue;
      if (!isDynamoDbDataOperation(operation)) continue;
      if (!accessCaptured(readWriteType, DYNAMODB_OPERATION_ACCESS[operation]))
        continue;
      add(metric, 'SampleCount', tableArn);
    } else if (
      name === CONDITIONAL_WRITES &&
      metric.Dimensions?.length === 1 &&
      accessCaptured(readWriteType, 'write')
    ) {
      add(metric, 'Sum', tableArn);
    }
  }
  // Failed requests DynamoDB counts without a table: only an all-tables,
  // reads-and-writes capture surely logs every one of them.
  const countUserErrors =
    scope.mode === 'all' && readWriteType === 'All' && userErrors;
  if (countUserErrors) {
    queries.push({
      Id: 'usererrors',
      MetricStat: { Metric: userErrors, Period: HOUR_SECONDS, Stat: 'Sum' },
    });
  }

  /** Table ARN → hour → requests. */
  const perTable = new Map<string, Record<string, number>>(
    [...tables].map(arn => [arn, {}]),
  );
  const userErrorsPerHour: Record<string, number> = {};
  let getMetricData = 0;
  for (let start = 0; start < queries.length; start += MAX_QUERIES_PER_CALL) {
    const chunk = queries.slice(start, start + MAX_QUERIES_PER_CALL);
    let token: string | undefined;
    do {
      const page = await cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: chunk,
          StartTime: window.from,
          EndTime: window.to,
          ScanBy: 'TimestampAscending',
          NextToken: token,
        }),
      );
      getMetricData++;
      for (const result of page.MetricDataResults ?? []) {
        const target =
          result.Id === 'usererrors'
            ? userErrorsPerHour
            : perTable.get(tableOf.get(result.Id ?? '') ?? '');
        if (!target) continue;
        (result.Timestamps ?? []).forEach((timestamp, i) => {
          const hour = new Date(timestamp).toISOString();
          target[hour] = (target[hour] ?? 0) + (result.Values?.[i] ?? 0);
        });
      }
      token = page.NextToken;
    } while (token);
  }

  return {
    accountId,
    region,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    hours: window.hours,
    tables: [...perTable].map(([tableArn, perHour]) => ({
      tableArn,
      perHour,
    })),
    ...(countUserErrors ? { userErrorsPerHour } : {}),
    calls: { listMetrics: listed.calls, getMetricData },
  };
}

export interface CostForecastRequest {
  accountId: string;
  /** The account-regions' regions whose DynamoDB traffic the trail would capture. */
  regions: string[];
  scope: TableScope;
  readWriteType: ReadWriteType;
  lifecycle: { glacierAfterDays: number; expireAfterDays?: number };
  insights: boolean;
  createKmsKey: boolean;
  measuredBytesPerEvent?: number;
  now: Date;
}

/**
 * The monthly cost of capturing the scope's DynamoDB data events in each
 * region, with the bill's other parts. A region whose metrics cannot be read
 * (AccessDenied, throttled after retries, unreachable) is named in
 * `unavailable` instead of failing the forecast.
 */
export async function forecastCaptureCost(
  aws: AwsClientFactory,
  request: CostForecastRequest,
): Promise<CostForecast> {
  const regions = [...new Set(request.regions)];
  const answers = await Promise.all(
    regions.map(async region => {
      try {
        const clients = await aws.forAccount(request.accountId, region);
        return {
          ok: true as const,
          metrics: await readDataEventMetrics(clients.cloudWatch, {
            accountId: request.accountId,
            region,
            scope: request.scope,
            readWriteType: request.readWriteType,
            now: request.now,
          }),
        };
      } catch (error) {
        return {
          ok: false as const,
          reason: `${
            request.accountId
          }/${region}: CloudWatch metrics could not be read (${awsErrorMessage(
            error,
          )})`,
        };
      }
    }),
  );
  return buildCostForecast({
    metrics: answers.flatMap(a => (a.ok ? [a.metrics] : [])),
    unavailable: answers.flatMap(a => (a.ok ? [] : [a.reason])),
    lifecycle: request.lifecycle,
    insights: request.insights,
    createKmsKey: request.createKmsKey,
    measuredBytesPerEvent: request.measuredBytesPerEvent,
  });
}
