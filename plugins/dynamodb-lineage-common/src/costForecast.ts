import {
  DAYS_PER_MONTH,
  DEFAULT_LOG_BYTES_PER_EVENT,
  INSIGHTS_PRICE_USD_PER_100K_PER_TYPE,
  LOG_OBJECTS_PER_REGION_MONTH,
  S3_GLACIER_TRANSITION_USD_PER_1K,
  S3_GLACIER_USD_PER_GB_MONTH,
  S3_PUT_USD_PER_1K,
  S3_STANDARD_USD_PER_GB_MONTH,
  STORAGE_HORIZON_DAYS,
  dataEventsMonthlyUsd,
  estimateDedicatedKeyMonthlyCostUsd,
  roundCents,
} from './cost';
import type {
  CostForecast,
  DataEventMetrics,
  StorageCostForecast,
  TableCostForecast,
} from './types';

const GB = 1024 ** 3;
/** ApiCallRateInsight and ApiErrorRateInsight, both chosen together. */
const INSIGHT_TYPES = 2;

export interface CostForecastInput {
  /** One GetMetricData batch per account-region, all over the same days. */
  metrics: DataEventMetrics[];
  /** Account-regions whose metrics could not be read, and why. */
  unavailable?: string[];
  lifecycle: { glacierAfterDays: number; expireAfterDays?: number };
  insights: boolean;
  /** The plan creates a KMS key dedicated to the trail. */
  createKmsKey: boolean;
  /** Compressed bytes per event measured in delivered logs. */
  measuredBytesPerEvent?: number;
}

function perMonth(eventsPerDay: number): number {
  return Math.round(eventsPerDay * DAYS_PER_MONTH);
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Steady-state storage of the logs a month of events writes, under the lifecycle. */
export function forecastStorage(
  eventsPerMonth: number,
  options: {
    lifecycle: CostForecastInput['lifecycle'];
    regions: number;
    measuredBytesPerEvent?: number;
  },
): StorageCostForecast {
  const measured =
    options.measuredBytesPerEvent !== undefined &&
    Number.isFinite(options.measuredBytesPerEvent) &&
    options.measuredBytesPerEvent > 0;
  const bytesPerEvent = measured
    ? Math.round(options.measuredBytesPerEvent!)
    : DEFAULT_LOG_BYTES_PER_EVENT;
  const { glacierAfterDays, expireAfterDays } = options.lifecycle;
  const retainedDays = expireAfterDays ?? STORAGE_HORIZON_DAYS;
  const gbPerMonth = (eventsPerMonth * bytesPerEvent) / GB;
  const standardGb =
    (gbPerMonth * Math.min(glacierAfterDays, retainedDays)) / DAYS_PER_MONTH;
  const glacierDays = Math.max(0, retainedDays - glacierAfterDays);
  const glacierGb = (gbPerMonth * glacierDays) / DAYS_PER_MONTH;
  const objectsPerMonth =
    Math.max(1, options.regions) * LOG_OBJECTS_PER_REGION_MONTH;
  const monthlyUsd = roundCents(
    standardGb * S3_STANDARD_USD_PER_GB_MONTH +
      glacierGb * S3_GLACIER_USD_PER_GB_MONTH +
      (objectsPerMonth / 1000) * S3_PUT_USD_PER_1K +
      (glacierDays > 0
        ? (objectsPerMonth / 1000) * S3_GLACIER_TRANSITION_USD_PER_1K
        : 0),
  );
  return {
    bytesPerEvent,
    bytesPerEventSource: measured ? 'logs' : 'default',
    gbPerMonth: round2(gbPerMonth),
    glacierAfterDays,
    retainedDays,
    expires: expireAfterDays !== undefined,
    standardGb: round2(standardGb),
    glacierGb: round2(glacierGb),
    objectsPerMonth,
    monthlyUsd,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const HOURS_PER_DAY = 24;

/**
 * A series of hourly counts over the observed span: its mean day, and its
 * quietest and busiest whole 24 hours counted back from the window's end
 * (the mean when the span holds no whole 24 hours).
 */
function dailyRate(hourly: number[], spanHours: number) {
  const observed = hourly.slice(hourly.length - spanHours);
  const mean = spanHours ? (sum(observed) / spanHours) * HOURS_PER_DAY : 0;
  const days: number[] = [];
  for (
    let end = observed.length;
    end - HOURS_PER_DAY >= 0;
    end -= HOURS_PER_DAY
  ) {
    days.push(sum(observed.slice(end - HOURS_PER_DAY, end)));
  }
  return {
    mean,
    min: days.length ? Math.min(...days) : mean,
    max: days.length ? Math.max(...days) : mean,
  };
}

function describeSpan(spanHours: number): string {
  return spanHours < 2 * HOURS_PER_DAY
    ? plural(spanHours, 'hour')
    : plural(Math.round((spanHours / HOURS_PER_DAY) * 10) / 10, 'day');
}

/**
 * What enabling would cost a month: the requests DynamoDB's own metrics
 * counted per table and hour (each one a CloudTrail data event), as a mean
 * day over the window — or over the time since the first request in it, so
 * a young table is not diluted by days before it existed — scaled to a month
 * at the data-event price; the quietest and busiest 24 hours as the range;
 * the S3 storage of the logs under the lifecycle; Insights' price when
 * chosen; the KMS key when the plan creates one.
 */
export function buildCostForecast(input: CostForecastInput): CostForecast {
  const hours = input.metrics[0]?.hours ?? [];
  for (const batch of input.metrics) {
    if (batch.hours.join() !== hours.join()) {
      throw new Error(
        `metrics of ${batch.accountId}/${batch.region} cover other hours than the rest`,
      );
    }
  }
  const hourly = (perHour: Record<string, number> | undefined) =>
    hours.map(hour => perHour?.[hour] ?? 0);
  const tableSeries = input.metrics.flatMap(batch =>
    batch.tables.map(table => ({
      batch,
      table,
      series: hourly(table.perHour),
    })),
  );
  const userErrors = input.metrics
    .filter(b => b.userErrorsPerHour)
    .map(b => hourly(b.userErrorsPerHour));
  const totals = hours.map(
    (_, i) =>
      sum(tableSeries.map(t => t.series[i])) +
      sum(userErrors.map(series => series[i])),
  );
  const first = totals.findIndex(count => count > 0);
  const spanHours = first < 0 ? hours.length : hours.length - first;

  const perTable: TableCostForecast[] = tableSeries.map(
    ({ batch, table, series }) => {
      const rate = dailyRate(series, spanHours);
      const dataEventsPerMonth = perMonth(rate.mean);
      return {
        tableArn: table.tableArn,
        region: batch.region,
        dataEventsPerMonth,
        monthlyUsd: dataEventsMonthlyUsd(dataEventsPerMonth),
        eventsPerDay: {
          mean: Math.round(rate.mean),
          min: Math.round(rate.min),
          max: Math.round(rate.max),
        },
      };
    },
  );
  perTable.sort(
    (a, b) =>
      b.dataEventsPerMonth - a.dataEventsPerMonth ||
      a.tableArn.localeCompare(b.tableArn),
  );
  const total = dailyRate(totals, spanHours);
  const dataEventsPerMonth = perMonth(total.mean);
  const regions = new Set(input.metrics.map(b => `${b.accountId}/${b.region}`));
  const storage = forecastStorage(dataEventsPerMonth, {
    lifecycle: input.lifecycle,
    regions: regions.size,
    measuredBytesPerEvent: input.measuredBytesPerEvent,
  });
  const kmsKey = input.createKmsKey
    ? (() => {
        const key = estimateDedicatedKeyMonthlyCostUsd(
          Math.max(1, regions.size),
        );
        return {
          ...key,
          monthlyUsd: roundCents(key.keyUsd + key.requestsUsd),
        };
      })()
    : undefined;
  const dataUsd = dataEventsMonthlyUsd(dataEventsPerMonth);
  const where = [...regions].join(', ') || 'no account-region';
  const from = hours[hours.length - spanHours];
  const basis =
    hours.length > 0
      ? `${describeSpan(
          spanHours,
        )} of DynamoDB CloudWatch request metrics (${from?.slice(
          0,
          16,
        )}Z to ${input.metrics[0].to.slice(0, 16)}Z) for ${plural(
          perTable.length,
          'table',
        )} in scope in ${where}`
      : `No DynamoDB CloudWatch metrics could be read for ${where}`;
  const userErrorsTotal = userErrors.length
    ? dailyRate(
        hours.map((_, i) => sum(userErrors.map(series => series[i]))),
        spanHours,
      ).mean
    : undefined;
  return {
    dataEventsPerMonth,
    monthlyUsd: roundCents(
      dataUsd + storage.monthlyUsd + (kmsKey?.monthlyUsd ?? 0),
    ),
    dataEventsMonthlyUsd: dataUsd,
    basis,
    days: Math.round((spanHours / HOURS_PER_DAY) * 10) / 10,
    from: from ?? '',
    to: input.metrics[0]?.to ?? '',
    range: {
      minDataEventsPerMonth: perMonth(total.min),
      maxDataEventsPerMonth: perMonth(total.max),
      minMonthlyUsd: dataEventsMonthlyUsd(perMonth(total.min)),
      maxMonthlyUsd: dataEventsMonthlyUsd(perMonth(total.max)),
    },
    perTable,
    ...(userErrorsTotal !== undefined
      ? { unattributedErrorsPerMonth: perMonth(userErrorsTotal) }
      : {}),
    storage,
    ...(input.insights
      ? {
          insights: {
            insightTypes: INSIGHT_TYPES,
            priceUsdPer100kEventsPerType: INSIGHTS_PRICE_USD_PER_100K_PER_TYPE,
            note: `Insights is billed at $${INSIGHTS_PRICE_USD_PER_100K_PER_TYPE.toFixed(
              2,
            )} per 100,000 management events analysed for each of its ${INSIGHT_TYPES} types; DynamoDB's metrics do not count management events, so it is not in the total.`,
          },
        }
      : {}),
    ...(kmsKey ? { kmsKey } : {}),
    ...(input.unavailable?.length
      ? { unavailable: [...input.unavailable] }
      : {}),
  };
}

/** Forecast and observation further apart than this are flagged. */
export const FORECAST_GAP_RATIO = 2;
/**
 * Below this many events a day on both sides, a ratio is noise (a handful of
 * calls more or less): nothing is flagged.
 */
export const FORECAST_GAP_MIN_EVENTS_PER_DAY = 100;

/**
 * Whether the events a day the metrics forecast and the ones the logs hold
 * differ by more than {@link FORECAST_GAP_RATIO}, and the likely reason in
 * words: fewer in the logs than DynamoDB served means lost or narrower
 * capture; more means other tables, or callers the metrics do not see.
 */
export function compareForecastWithObserved(
  forecastPerDay: number,
  observedPerDay: number | undefined,
): { ratio?: number; gap: boolean; gapReason?: string } {
  if (observedPerDay === undefined) return { gap: false };
  const larger = Math.max(forecastPerDay, observedPerDay);
  const smaller = Math.min(forecastPerDay, observedPerDay);
  const ratio =
    smaller > 0 ? Math.round((larger / smaller) * 10) / 10 : undefined;
  const apart =
    larger >= FORECAST_GAP_MIN_EVENTS_PER_DAY &&
    (smaller === 0 || larger / smaller > FORECAST_GAP_RATIO);
  if (!apart) return { ...(ratio ? { ratio } : {}), gap: false };
  const gapReason =
    observedPerDay < forecastPerDay
      ? `The logs hold ${
          ratio ? `${ratio}× fewer` : 'no'
        } DynamoDB data events than DynamoDB served for the captured tables: capture may be lost, narrower than the selectors suggest, or delivery late.`
      : `The logs hold ${
          ratio ? `${ratio}×` : 'far'
        } more DynamoDB data events than DynamoDB's metrics forecast for the captured tables: the metrics may miss tables or requests, or the traffic changed since.`;
  return { ...(ratio ? { ratio } : {}), gap: true, gapReason };
}
