/**
 * Projected CloudTrail data-event cost: $0.10 per 100,000 data events
 * delivered (1 billion DynamoDB calls a month ≈ $1,000). The first copy of
 * management events is free; data events are always charged.
 */
import type {
  DataEventSample,
  DynamoDbEventsSignal,
  TrailHealth,
} from './types';

export const DATA_EVENT_PRICE_USD_PER_100K = 0.1;
/** Days in an average month (365 / 12 ≈ 30.4). */
export const DAYS_PER_MONTH = 30.4;
/** Below this span a handful of events would extrapolate to an absurd daily rate. */
export const MIN_SAMPLE_SPAN_MS = 60_000;

const DAY_MS = 24 * 60 * 60 * 1000;

function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** Monthly USD for a steady rate of data events per day, rounded to cents. */
export function projectMonthlyDataEventCostUsd(eventsPerDay: number): number {
  if (!Number.isFinite(eventsPerDay) || eventsPerDay < 0) {
    throw new Error(
      `eventsPerDay must be a finite number ≥ 0 (got ${eventsPerDay})`,
    );
  }
  return roundCents(
    ((eventsPerDay * DAYS_PER_MONTH) / 100_000) * DATA_EVENT_PRICE_USD_PER_100K,
  );
}

export type DataEventVolume = NonNullable<TrailHealth['volume']>;

/**
 * The mean of whole observed days (UTC `YYYY-MM-DD` → events) and its
 * projected monthly cost. Only for complete days: counts from a few log files
 * cover minutes, so use {@link estimateDataEventVolume} for those.
 * `undefined` when no day was observed.
 */
export function summarizeDataEventVolume(
  days: Record<string, number>,
): DataEventVolume | undefined {
  const entries = Object.entries(days);
  if (entries.length === 0) return undefined;
  entries.forEach(([day, count]) => {
    if (!Number.isFinite(count) || count < 0) {
      throw new Error(
        `events on ${day} must be a finite number ≥ 0 (got ${count})`,
      );
    }
  });
  const eventsPerDay = Math.round(
    entries.reduce((sum, [, count]) => sum + count, 0) / entries.length,
  );
  return {
    eventsPerDay,
    projectedMonthlyUsd: projectMonthlyDataEventCostUsd(eventsPerDay),
    days: { ...days },
  };
}

/** Events per day at the rate of `events` over `spanMs` milliseconds, rounded. */
export function dataEventsPerDay(events: number, spanMs: number): number {
  if (!Number.isFinite(events) || events < 0) {
    throw new Error(`events must be a finite number ≥ 0 (got ${events})`);
  }
  if (!Number.isFinite(spanMs) || spanMs <= 0) {
    throw new Error(`spanMs must be a finite number > 0 (got ${spanMs})`);
  }
  return Math.round((events * DAY_MS) / spanMs);
}

/**
 * The observed volume behind `TrailHealth.volume` from what the newest log
 * files held: the events of the signal's sample scaled from the delivery time
 * they cover to a day (those files hold minutes, not days), else from the
 * time between the oldest and newest event; and the projected monthly cost.
 * `undefined` when no file was read or no span of at least a minute is known.
 */
export function estimateDataEventVolume(
  signal: DynamoDbEventsSignal,
): DataEventVolume | undefined {
  if (signal.filesRead === 0) return undefined;
  const sample = usableSample(signal);
  if (!sample) {
    if (signal.dynamodbEvents > 0) return undefined;
    // Files were read and held nothing: no events, whatever the span.
    return {
      eventsPerDay: 0,
      projectedMonthlyUsd: 0,
      days: { ...signal.eventsPerDay },
    };
  }
  const eventsPerDay = dataEventsPerDay(sample.events, sample.spanMs);
  return {
    eventsPerDay,
    projectedMonthlyUsd: projectMonthlyDataEventCostUsd(eventsPerDay),
    days: { ...signal.eventsPerDay },
    sample: { ...sample },
  };
}

function usableSample(
  signal: DynamoDbEventsSignal,
): DataEventSample | undefined {
  if (signal.sample && signal.sample.spanMs >= MIN_SAMPLE_SPAN_MS) {
    return signal.sample;
  }
  const { oldestEventTime: from, newestEventTime: to } = signal;
  if (!from || !to) return undefined;
  const spanMs = Date.parse(to) - Date.parse(from);
  if (!(spanMs >= MIN_SAMPLE_SPAN_MS)) return undefined;
  return { events: signal.dynamodbEvents, spanMs, from, to };
}

/** A customer managed KMS key costs $1 a month, prorated hourly. */
export const KMS_KEY_MONTHLY_USD = 1;
/** Symmetric KMS requests: $0.03 per 10,000. */
export const KMS_REQUEST_PRICE_USD_PER_10K = 0.03;

/**
 * Objects one delivering region of a trail writes a month: a log file about
 * every 5 minutes and a digest file every hour.
 */
export const LOG_OBJECTS_PER_REGION_MONTH = Math.round(
  (12 + 1) * 24 * DAYS_PER_MONTH,
);

/**
 * KMS requests a month that one delivering region of a trail causes on its
 * key: CloudTrail's GenerateDataKey for each object it writes, and a
 * reader's Decrypt of each of them once.
 */
export const KMS_REQUESTS_PER_REGION_MONTH = 2 * LOG_OBJECTS_PER_REGION_MONTH;

/**
 * What a key dedicated to one trail costs a month, for a number of regions
 * that deliver logs: the key, and an estimate of its requests.
 */
export function estimateDedicatedKeyMonthlyCostUsd(regions: number): {
  keyUsd: number;
  requestsUsd: number;
  requestsPerMonth: number;
} {
  if (!Number.isInteger(regions) || regions < 1) {
    throw new Error(`regions must be a whole number ≥ 1 (got ${regions})`);
  }
  const requestsPerMonth = regions * KMS_REQUESTS_PER_REGION_MONTH;
  return {
    keyUsd: KMS_KEY_MONTHLY_USD,
    requestsUsd: roundCents(
      (requestsPerMonth / 10_000) * KMS_REQUEST_PRICE_USD_PER_10K,
    ),
    requestsPerMonth,
  };
}

/** S3 Standard storage, per GB-month (us-east-1). */
export const S3_STANDARD_USD_PER_GB_MONTH = 0.023;
/** S3 Glacier Flexible Retrieval storage, per GB-month (us-east-1). */
export const S3_GLACIER_USD_PER_GB_MONTH = 0.0036;
/** S3 PUT requests (CloudTrail writing a log or digest file), per 1,000. */
export const S3_PUT_USD_PER_1K = 0.005;
/** Lifecycle transitions to Glacier Flexible Retrieval, per 1,000 objects. */
export const S3_GLACIER_TRANSITION_USD_PER_1K = 0.03;
/**
 * Compressed bytes a DynamoDB data event takes in the delivered logs when no
 * log was measured yet: a record is about 1.5 KB of JSON and CloudTrail's
 * gzip keeps about an eighth of it.
 */
export const DEFAULT_LOG_BYTES_PER_EVENT = 200;
/** Without an expiration, storage is estimated for the month after a year of logs. */
export const STORAGE_HORIZON_DAYS = 365;
/** CloudTrail Insights, per 100,000 events analysed, for each insight type. */
export const INSIGHTS_PRICE_USD_PER_100K_PER_TYPE = 0.35;
/** Days of DynamoDB CloudWatch metrics a forecast averages. */
export const FORECAST_DAYS = 14;

/** Monthly USD of data events a month, rounded to cents. */
export function dataEventsMonthlyUsd(eventsPerMonth: number): number {
  return roundCents((eventsPerMonth / 100_000) * DATA_EVENT_PRICE_USD_PER_100K);
}

export { roundCents };
