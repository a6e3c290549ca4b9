import {
  DAYS_PER_MONTH,
  DEFAULT_LOG_BYTES_PER_EVENT,
  LOG_OBJECTS_PER_REGION_MONTH,
} from './cost';
import {
  buildCostForecast,
  compareForecastWithObserved,
  forecastStorage,
} from './costForecast';
import type { DataEventMetrics } from './types';

const HOUR_MS = 3_600_000;
const TO = Date.parse('2026-12-01T00:00:00Z');
/** Four days of hours before TO. */
const HOURS = Array.from({ length: 96 }, (_, i) =>
  new Date(TO - (96 - i) * HOUR_MS).toISOString(),
);
/** The hour `h` hours into day `d` of the window. */
const at = (d: number, h = 0) => HOURS[d * 24 + h];

function batch(patch: Partial<DataEventMetrics> = {}): DataEventMetrics {
  return {
    accountId: '111111111111',
    region: 'us-east-1',
    from: HOURS[0],
    to: new Date(TO).toISOString(),
    hours: HOURS,
    tables: [],
    calls: { listMetrics: 1, getMetricData: 1 },
    ...patch,
  };
}

const lifecycle = { glacierAfterDays: 90 };

describe('buildCostForecast', () => {
  it('scales the mean day of each table to a month at $0.10 per 100,000 and takes the range from the quietest and busiest 24 hours', () => {
    const forecast = buildCostForecast({
      metrics: [
        batch({
          tables: [
            {
              tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/orders',
              // 4 days, 400,000 requests: 100,000 a day; a quiet day of 0.
              perHour: {
                [at(0)]: 100_000,
                [at(1, 5)]: 75_000,
                [at(1, 6)]: 75_000,
                [at(2, 23)]: 150_000,
              },
            },
            {
              tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/audit',
              perHour: { [at(3, 1)]: 40_000 },
            },
          ],
        }),
      ],
      lifecycle,
      insights: false,
      createKmsKey: false,
    });
    expect(forecast.days).toBe(4);
    expect(forecast.dataEventsPerMonth).toBe(
      Math.round(110_000 * DAYS_PER_MONTH),
    );
    expect(forecast.dataEventsMonthlyUsd).toBe(3.34);
    expect(forecast.perTable).toEqual([
      {
        tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/orders',
        region: 'us-east-1',
        dataEventsPerMonth: 3_040_000,
        monthlyUsd: 3.04,
        eventsPerDay: { mean: 100_000, min: 0, max: 150_000 },
      },
      {
        tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/audit',
        region: 'us-east-1',
        dataEventsPerMonth: 304_000,
        monthlyUsd: 0.3,
        eventsPerDay: { mean: 10_000, min: 0, max: 40_000 },
      },
    ]);
    expect(forecast.range).toEqual({
      minDataEventsPerMonth: 1_216_000,
      maxDataEventsPerMonth: 4_560_000,
      minMonthlyUsd: 1.22,
      maxMonthlyUsd: 4.56,
    });
    expect(forecast.basis).toBe(
      '4 days of DynamoDB CloudWatch request metrics (2026-11-27T00:00Z to 2026-12-01T00:00Z) for 2 tables in scope in 111111111111/us-east-1',
    );
    expect(forecast.monthlyUsd).toBe(
      Math.round(
        (forecast.dataEventsMonthlyUsd + forecast.storage.monthlyUsd) * 100,
      ) / 100,
    );
    expect(forecast.insights).toBeUndefined();
    expect(forecast.kmsKey).toBeUndefined();
  });

  it('averages young traffic over the hours since its first request, not over the whole window', () => {
    // 600 requests in the last 10 hours: 1,440 a day, not 600 / 4.
    const perHour = Object.fromEntries(
      HOURS.slice(-10).map(hour => [hour, 60]),
    );
    const forecast = buildCostForecast({
      metrics: [
        batch({
          tables: [
            {
              tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/new',
              perHour,
            },
          ],
        }),
      ],
      lifecycle,
      insights: false,
      createKmsKey: false,
    });
    expect(forecast.dataEventsPerMonth).toBe(Math.round(1440 * DAYS_PER_MONTH));
    expect(forecast.days).toBe(0.4);
    expect(forecast.basis).toMatch(/^10 hours of DynamoDB CloudWatch/);
    expect(forecast.range.minDataEventsPerMonth).toBe(
      forecast.range.maxDataEventsPerMonth,
    );
    expect(forecast.from).toBe(HOURS[86]);
  });

  it('adds the account-wide failed requests to the total, not to a table', () => {
    const forecast = buildCostForecast({
      metrics: [
        batch({
          tables: [
            {
              tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/a',
              perHour: { [at(0)]: 400 },
            },
          ],
          userErrorsPerHour: { [at(1)]: 40 },
        }),
      ],
      lifecycle,
      insights: false,
      createKmsKey: false,
    });
    expect(forecast.dataEventsPerMonth).toBe(Math.round(110 * DAYS_PER_MONTH));
    expect(forecast.unattributedErrorsPerMonth).toBe(
      Math.round(10 * DAYS_PER_MONTH),
    );
    expect(forecast.perTable[0].dataEventsPerMonth).toBe(
      Math.round(100 * DAYS_PER_MONTH),
    );
  });

  it('prices Insights per event analysed and the created key, and names the regions it could not read', () => {
    const forecast = buildCostForecast({
      metrics: [batch()],
      unavailable: ['111111111111/eu-west-1: AccessDenied'],
      lifecycle,
      insights: true,
      createKmsKey: true,
    });
    expect(forecast.insights).toMatchObject({
      insightTypes: 2,
      priceUsdPer100kEventsPerType: 0.35,
    });
    expect(forecast.kmsKey).toEqual({
      keyUsd: 1,
      requestsPerMonth: 2 * LOG_OBJECTS_PER_REGION_MONTH,
      requestsUsd: 0.06,
      monthlyUsd: 1.06,
    });
    expect(forecast.unavailable).toEqual([
      '111111111111/eu-west-1: AccessDenied',
    ]);
    expect(forecast.dataEventsPerMonth).toBe(0);
    expect(forecast.monthlyUsd).toBe(
      Math.round((forecast.storage.monthlyUsd + 1.06) * 100) / 100,
    );
  });

  it('says so when no metrics could be read at all', () => {
    const forecast = buildCostForecast({
      metrics: [],
      unavailable: ['111111111111/us-east-1: AccessDenied'],
      lifecycle,
      insights: false,
      createKmsKey: false,
    });
    expect(forecast.days).toBe(0);
    expect(forecast.basis).toContain('No DynamoDB CloudWatch metrics');
  });

  it('refuses batches over different hours', () => {
    expect(() =>
      buildCostForecast({
        metrics: [
          batch(),
          batch({ region: 'eu-west-1', hours: HOURS.slice(1) }),
        ],
        lifecycle,
        insights: false,
        createKmsKey: false,
      }),
    ).toThrow('111111111111/eu-west-1');
  });
});

describe('forecastStorage', () => {
  it('keeps 90 days in Standard and the rest of a year in Glacier without an expiration', () => {
    // 1 GiB of compressed logs a month at the default bytes per event.
    const events = 1024 ** 3 / DEFAULT_LOG_BYTES_PER_EVENT;
    const storage = forecastStorage(events, { lifecycle, regions: 1 });
    expect(storage).toMatchObject({
      bytesPerEvent: 200,
      bytesPerEventSource: 'default',
      gbPerMonth: 1,
      retainedDays: 365,
      expires: false,
      standardGb: 2.96,
      glacierGb: 9.05,
      objectsPerMonth: LOG_OBJECTS_PER_REGION_MONTH,
    });
    // 2.96 × 0.023 + 9.05 × 0.0036 + 9.485 × 0.005 + 9.485 × 0.03
    expect(storage.monthlyUsd).toBe(0.43);
  });

  it('uses the bytes measured in delivered logs and stops at the expiration', () => {
    const storage = forecastStorage(1_000_000, {
      lifecycle: { glacierAfterDays: 30, expireAfterDays: 30 },
      regions: 2,
      measuredBytesPerEvent: 512.4,
    });
    expect(storage).toMatchObject({
      bytesPerEvent: 512,
      bytesPerEventSource: 'logs',
      retainedDays: 30,
      expires: true,
      glacierGb: 0,
      objectsPerMonth: 2 * LOG_OBJECTS_PER_REGION_MONTH,
    });
  });
});

describe('compareForecastWithObserved', () => {
  it('flags a gap of more than twice, either way, and says which way', () => {
    const fewer = compareForecastWithObserved(10_000, 4_000);
    expect(fewer).toMatchObject({ ratio: 2.5, gap: true });
    expect(fewer.gapReason).toContain('2.5× fewer');
    const more = compareForecastWithObserved(1_000, 2_500);
    expect(more).toMatchObject({ ratio: 2.5, gap: true });
    expect(more.gapReason).toContain('2.5× more');
    expect(compareForecastWithObserved(1_000, 1_900)).toEqual({
      ratio: 1.9,
      gap: false,
    });
  });

  it('flags logs without events while DynamoDB served some, but not a handful of calls', () => {
    expect(compareForecastWithObserved(5_000, 0)).toMatchObject({ gap: true });
    expect(compareForecastWithObserved(5_000, 0).ratio).toBeUndefined();
    expect(compareForecastWithObserved(30, 3)).toEqual({
      ratio: 10,
      gap: false,
    });
    expect(compareForecastWithObserved(5_000, undefined)).toEqual({
      gap: false,
    });
  });
});
