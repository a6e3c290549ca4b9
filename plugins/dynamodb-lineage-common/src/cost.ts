/**
 * Projected CloudTrail data-event cost: $0.10 per 100,000 data events
 * delivered (1 billion DynamoDB calls a month ≈ $1,000). The first copy of
 * management events is free; data events are always charged.
 */
import type { TrailHealth } from './types';

export const DATA_EVENT_PRICE_USD_PER_100K = 0.1;
/** Days in an average month (365 / 12 ≈ 30.4). */
export const DAYS_PER_MONTH = 30.4;

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
 * The observed volume behind `TrailHealth.volume`: the mean of the days seen
 * (UTC `YYYY-MM-DD` → events) and its projected monthly cost. `undefined`
 * when no day was observed.
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
