import { AwsError } from '../../errors';
import {
  type Dimension,
  MINUTE_MS,
  type MetricStore,
  type Aggregate,
  type Series,
  newestMinute,
} from './metrics';

/**
 * GetMetricData and ListMetrics over the metrics the emulated services
 * published. Inputs arrive as the structure either protocol carries (JSON
 * numbers or Query strings); answers are plain values each protocol encodes.
 */

export interface Where {
  accountId: string;
  region: string;
  now: number;
}

export const MAX_METRIC_DATA_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const LIST_METRICS_PAGE = 500;
/** ListMetrics shows metrics that received data in the past two weeks. */
const LISTED_FOR_MS = 14 * 24 * 60 * MINUTE_MS;
const RECENTLY_ACTIVE_MS = 3 * 60 * MINUTE_MS;
const STATISTICS = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'];
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

const invalid = (message: string) =>
  new AwsError('InvalidParameterValue', message, 400);
const missing = (name: string) =>
  new AwsError('MissingParameter', `The parameter ${name} is required.`, 400);
const validation = (message: string) =>
  new AwsError('ValidationError', message, 400);

/** A timestamp as JSON (epoch seconds) or Query (ISO 8601, or epoch seconds) sends it. */
function timestamp(value: unknown, name: string): number {
  if (value === undefined || value === null || value === '')
    throw missing(name);
  const asNumber = typeof value === 'number' ? value : Number(value);
  const ms =
    Number.isFinite(asNumber) && String(value).trim() !== ''
      ? asNumber * 1000
      : Date.parse(String(value));
  if (!Number.isFinite(ms)) {
    throw invalid(`The parameter ${name} must be a timestamp (got ${value}).`);
  }
  return ms;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) {
    throw invalid(`The parameter ${name} must be an integer (got ${value}).`);
  }
  return n;
}

function boolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  return String(value).toLowerCase() === 'true';
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

function list(value: unknown): any[] {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) {
    throw invalid('Expected a list of values.');
  }
  return value;
}

function dimensions(value: unknown, where: string): Dimension[] {
  return list(value).map((d, i) => {
    const name = text(d?.Name);
    const dimensionValue = text(d?.Value);
    if (!name) throw missing(`${where}.Dimensions.member.${i + 1}.Name`);
    if (dimensionValue === undefined)
      throw missing(`${where}.Dimensions.member.${i + 1}.Value`);
    return { Name: name, Value: dimensionValue };
  });
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  /** Milliseconds since the epoch, in the order asked for. */
  Timestamps: number[];
  Values: number[];
  StatusCode: 'Complete' | 'PartialData';
}

export interface GetMetricDataOutput {
  MetricDataResults: MetricDataResult[];
  NextToken?: string;
}

interface ParsedQuery {
  id: string;
  label: string;
  returnData: boolean;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  period: number;
  stat: string;
  unit?: string;
}

function parseQuery(raw: any, index: number): ParsedQuery {
  const where = `MetricDataQueries.member.${index + 1}`;
  const id = text(raw?.Id);
  if (!id) throw missing(`${where}.Id`);
  if (!QUERY_ID.test(id) || id.length > 255) {
    throw validation(
      `The value ${id} for parameter ${where}.Id is invalid: it must start with a lowercase letter and hold only letters, digits and underscores.`,
    );
  }
  if (raw.Expression !== undefined) {
    throw invalid(
      `The emulator does not evaluate metric math or search expressions (${where}.Expression); ask for each metric with MetricStat.`,
    );
  }
  const stat = raw.MetricStat;
  if (!stat || typeof stat !== 'object') {
    throw missing(`${where}.MetricStat`);
  }
  const metric = stat.Metric ?? {};
  const namespace = text(metric.Namespace);
  const metricName = text(metric.MetricName);
  if (!namespace) throw missing(`${where}.MetricStat.Metric.Namespace`);
  if (!metricName) throw missing(`${where}.MetricStat.Metric.MetricName`);
  const period = integer(stat.Period, `${where}.MetricStat.Period`);
  if (period === undefined) throw missing(`${where}.MetricStat.Period`);
  if (period < 60 || period % 60 !== 0) {
    throw invalid(
      `The parameter ${where}.MetricStat.Period must be a multiple of 60 (got ${period}).`,
    );
  }
  const statName = text(stat.Stat);
  if (!statName) throw missing(`${where}.MetricStat.Stat`);
  if (!STATISTICS.includes(statName)) {
    throw invalid(
      `The emulator computes the statistics ${STATISTICS.join(
        ', ',
      )}; ${where}.MetricStat.Stat was ${statName}.`,
    );
  }
  return {
    id,
    label: text(raw.Label) ?? metricName,
    returnData: boolean(raw.ReturnData) ?? true,
    namespace,
    metricName,
    dimensions: dimensions(metric.Dimensions, `${where}.MetricStat.Metric`),
    period,
    stat: statName,
    unit: text(stat.Unit),
  };
}

function statistic(stat: string, aggregate: Aggregate): number {
  switch (stat) {
    case 'SampleCount':
      return aggregate.sampleCount;
    case 'Sum':
      return aggregate.sum;
    case 'Average':
      return aggregate.sum / aggregate.sampleCount;
    case 'Minimum':
      return aggregate.minimum;
    default:
      return aggregate.maximum;
  }
}

function datapoints(
  series: Series | undefined,
  query: ParsedQuery,
  from: number,
  to: number,
  descending: boolean,
): Array<[number, number]> {
  if (!series || (query.unit && series.unit && query.unit !== series.unit))
    return [];
  const periodMs = query.period * 1000;
  const buckets = new Map<number, Aggregate>();
  for (const [minute, aggregate] of series.minutes) {
    if (minute < from || minute >= to) continue;
    const start = from + Math.floor((minute - from) / periodMs) * periodMs;
    const bucket = buckets.get(start);
    if (!bucket) {
      buckets.set(start, { ...aggregate });
    } else {
      bucket.sampleCount += aggregate.sampleCount;
      bucket.sum += aggregate.sum;
      bucket.minimum = Math.min(bucket.minimum, aggregate.minimum);
      bucket.maximum = Math.max(bucket.maximum, aggregate.maximum);
    }
  }
  const points: Array<[number, number]> = [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([start, aggregate]) => [start, statistic(query.stat, aggregate)]);
  return descending ? points.reverse() : points;
}

function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function readPageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString());
    if (Number.isInteger(offset) && offset > 0) return offset;
  } catch {
    // fall through to the refusal
  }
  throw new AwsError('InvalidNextToken', 'The NextToken is invalid.', 400);
}

export function getMetricData(
  store: MetricStore,
  input: Record<string, any>,
  where: Where,
): GetMetricDataOutput {
  const raw = list(input.MetricDataQueries);
  if (raw.length === 0) throw missing('MetricDataQueries');
  if (raw.length > MAX_METRIC_DATA_QUERIES) {
    throw validation(
      `The collection MetricDataQueries must not have a size greater than ${MAX_METRIC_DATA_QUERIES}.`,
    );
  }
  const queries = raw.map(parseQuery);
  const ids = new Set<string>();
  for (const query of queries) {
    if (ids.has(query.id)) {
      throw validation(
        `The values for parameter id in MetricDataQueries are not unique: ${query.id}.`,
      );
    }
    ids.add(query.id);
  }
  const from =
    Math.floor(timestamp(input.StartTime, 'StartTime') / MINUTE_MS) * MINUTE_MS;
  const to = timestamp(input.EndTime, 'EndTime');
  if (from >= to) {
    throw validation(
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  }
  const scanBy = text(input.ScanBy) ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw invalid(
      `The parameter ScanBy must be TimestampDescending or TimestampAscending (got ${scanBy}).`,
    );
  }
  const maxDatapoints =
    integer(input.MaxDatapoints, 'MaxDatapoints') ?? DEFAULT_MAX_DATAPOINTS;
  if (maxDatapoints < 1) {
    throw invalid('The parameter MaxDatapoints must be at least 1.');
  }
  const offset = readPageToken(text(input.NextToken));
  let budget = maxDatapoints;
  let position = 0;
  const results: MetricDataResult[] = [];
  let more = false;
  for (const query of queries.filter(q => q.returnData)) {
    const series = store.find({
      accountId: where.accountId,
      region: where.region,
      namespace: query.namespace,
      metricName: query.metricName,
      dimensions: query.dimensions,
    });
    const points = datapoints(
      series,
      query,
      from,
      to,
      scanBy === 'TimestampDescending',
    );
    const start = position;
    position += points.length;
    // Answered in full on an earlier page.
    if (start < offset && position <= offset) continue;
    if (budget === 0) {
      more = true;
      position = start;
      break;
    }
    const remaining = points.slice(Math.max(0, offset - start));
    const taken = remaining.slice(0, budget);
    budget -= taken.length;
    const partial = taken.length < remaining.length;
    results.push({
      Id: query.id,
      Label: query.label,
      Timestamps: taken.map(([t]) => t),
      Values: taken.map(([, v]) => v),
      StatusCode: partial ? 'PartialData' : 'Complete',
    });
    if (partial) {
      more = true;
      position = start + Math.max(0, offset - start) + taken.length;
      break;
    }
  }
  return {
    MetricDataResults: results,
    ...(more ? { NextToken: pageToken(position) } : {}),
  };
}

export interface ListedMetric {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
}

export function listMetrics(
  store: MetricStore,
  input: Record<string, any>,
  where: Where,
): { Metrics: ListedMetric[]; NextToken?: string } {
  const namespace = text(input.Namespace);
  const metricName = text(input.MetricName);
  const filters = list(input.Dimensions).map((d, i) => {
    const name = text(d?.Name);
    if (!name) throw missing(`Dimensions.member.${i + 1}.Name`);
    return { name, value: text(d?.Value) };
  });
  const recentlyActive = text(input.RecentlyActive);
  if (recentlyActive !== undefined && recentlyActive !== 'PT3H') {
    throw invalid(
      `The parameter RecentlyActive must be PT3H (got ${recentlyActive}).`,
    );
  }
  const since =
    where.now - (recentlyActive ? RECENTLY_ACTIVE_MS : LISTED_FOR_MS);
  const matching = store
    .list(where.accountId, where.region)
    .filter(series => {
      if (namespace && series.namespace !== namespace) return false;
      if (metricName && series.metricName !== metricName) return false;
      const newest = newestMinute(series);
      if (newest === undefined || newest + MINUTE_MS <= since) return false;
      return filters.every(f =>
        series.dimensions.some(
          d =>
            d.Name === f.name && (f.value === undefined || d.Value === f.value),
        ),
      );
    })
    .map(series => ({
      Namespace: series.namespace,
      MetricName: series.metricName,
      Dimensions: series.dimensions.map(d => ({ ...d })),
    }));
  const offset = readPageToken(text(input.NextToken));
  const page = matching.slice(offset, offset + LIST_METRICS_PAGE);
  const next = offset + page.length;
  return {
    Metrics: page,
    ...(next < matching.length ? { NextToken: pageToken(next) } : {}),
  };
}
