/**
 * CloudWatch metric data as the emulated services publish it: one aggregate
 * (sample count, sum, minimum, maximum) per metric per minute, the finest
 * resolution AWS keeps for standard metrics.
 */

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  /** The unit the metric is published in, e.g. `Count`, `Milliseconds`. */
  unit?: string;
}

export interface Aggregate {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

export interface Series extends MetricId {
  /** Start of the minute (ms since the epoch) → what was published in it. */
  minutes: Map<number, Aggregate>;
}

export const MINUTE_MS = 60_000;

function sortedDimensions(dimensions: Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => a.Name.localeCompare(b.Name));
}

function seriesKey(id: MetricId): string {
  return JSON.stringify([
    id.accountId,
    id.region,
    id.namespace,
    id.metricName,
    sortedDimensions(id.dimensions).map(d => [d.Name, d.Value]),
  ]);
}

export class MetricStore {
  private readonly series = new Map<string, Series>();

  /** Publishes one sample of `value` at `time`. */
  put(id: MetricId, time: number, value: number): void {
    const key = seriesKey(id);
    let series = this.series.get(key);
    if (!series) {
      series = {
        ...id,
        dimensions: sortedDimensions(id.dimensions),
        minutes: new Map(),
      };
      this.series.set(key, series);
    }
    const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    const aggregate = series.minutes.get(minute);
    if (aggregate) {
      aggregate.sampleCount += 1;
      aggregate.sum += value;
      aggregate.minimum = Math.min(aggregate.minimum, value);
      aggregate.maximum = Math.max(aggregate.maximum, value);
    } else {
      series.minutes.set(minute, {
        sampleCount: 1,
        sum: value,
        minimum: value,
        maximum: value,
      });
    }
  }

  /** The series with exactly these dimensions, if anything was published to it. */
  find(id: MetricId): Series | undefined {
    return this.series.get(seriesKey(id));
  }

  /** Every series of an account-region, in publication order. */
  list(accountId: string, region: string): Series[] {
    return [...this.series.values()].filter(
      s => s.accountId === accountId && s.region === region,
    );
  }

  clear(): void {
    this.series.clear();
  }
}

/** The newest minute with data, or undefined for an empty series. */
export function newestMinute(series: Series): number | undefined {
  let newest: number | undefined;
  for (const minute of series.minutes.keys()) {
    if (newest === undefined || minute > newest) newest = minute;
  }
  return newest;
}
