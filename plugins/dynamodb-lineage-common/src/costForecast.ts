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

/**
 * What enabling would cost a month: the requests DynamoDB's own metrics
 * counted per table and day (each one a CloudTrail data event), averaged over
 * the window and scaled to a month at the data-event price; the busiest and
 * quietest day as the range; the S3 storage of the logs under the lifecycle;
 * Insights' price when chosen; the KMS key when the plan creates one.
 */
export function buildCostForecast(input: CostForecastInput): CostForecast {
  const days = input.metrics[0]?.days ?? [];
  for (const batch of input.metrics) {
    if (batch.days.join() !== days.join()) {
      throw new Error(
        `metrics of ${batch.accountId}/${batch.region} cover other days than the rest`,
      );
    }
  }
  const dayCount = days.length;
  const perTable: TableCostForecast[] = input.metrics.flatMap(batch =>
    batch.tables.map(table => {
      const daily = days.map(day => table.perDay[day] ?? 0);
      const mean = dayCount ? sum(daily) / dayCount : 0;
      const dataEventsPerMonth = perMonth(mean);
      return {
        tableArn: table.tableArn,
        region: batch.region,
        dataEventsPerMonth,
        monthlyUsd: dataEventsMonthlyUsd(dataEventsPerMonth),
        eventsPerDay: {
          mean: Math.round(mean),
          min: daily.length ? Math.min(...daily) : 0,
          max: daily.length ? Math.max(...daily) : 0,
        },
      };
    }),
  );
  perTable.sort(
    (a, b) =>
      b.dataEventsPerMonth - a.dataEventsPerMonth ||
      a.tableArn.localeCompare(b.tableArn),
  );
  const withUserErrors = input.metrics.filter(b => b.userErrorsPerDay);
  const userErrorsDaily = days.map(day =>
    sum(withUserErrors.map(b => b.userErrorsPerDay![day] ?? 0)),
  );
  const dayTotals = days.map(
    (day, i) =>
      sum(input.metrics.flatMap(b => b.tables.map(t => t.perDay[day] ?? 0))) +
      userErrorsDaily[i],
  );
  const meanPerDay = dayCount ? sum(dayTotals) / dayCount : 0;
  const dataEventsPerMonth = perMonth(meanPerDay);
  const minDay = dayTotals.length ? Math.min(...dayTotals) : 0;
  const maxDay = dayTotals.length ? Math.max(...dayTotals) : 0;
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
        return { ...key, monthlyUsd: roundCents(key.keyUsd + key.requestsUsd) };
      })()
    : undefined;
  const dataUsd = dataEventsMonthlyUsd(dataEventsPerMonth);
  const where = [...regions].join(', ') || 'no account-region';
  const basis =
    dayCount > 0
      ? `${plural(dayCount, 'day')} of DynamoDB CloudWatch request metrics (${
          days[0]
        } to ${days[dayCount - 1]}) for ${plural(
          perTable.length,
          'table',
        )} in scope in ${where}`
      : `No DynamoDB CloudWatch metrics could be read for ${where}`;
  return {
    dataEventsPerMonth,
    monthlyUsd: roundCents(
      dataUsd + storage.monthlyUsd + (kmsKey?.monthlyUsd ?? 0),
    ),
    dataEventsMonthlyUsd: dataUsd,
    basis,
    days: dayCount,
    from: input.metrics[0]?.from ?? '',
    to: input.metrics[0]?.to ?? '',
    range: {
      minDataEventsPerMonth: perMonth(minDay),
      maxDataEventsPerMonth: perMonth(maxDay),
      minMonthlyUsd: dataEventsMonthlyUsd(perMonth(minDay)),
      maxMonthlyUsd: dataEventsMonthlyUsd(perMonth(maxDay)),
    },
    perTable,
    ...(withUserErrors.length
      ? {
          unattributedErrorsPerMonth: perMonth(
            sum(userErrorsDaily) / (dayCount || 1),
          ),
        }
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
