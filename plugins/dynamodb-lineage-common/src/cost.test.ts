import {
  DATA_EVENT_PRICE_USD_PER_100K,
  DAYS_PER_MONTH,
  dataEventsPerDay,
  estimateDataEventVolume,
  estimateDedicatedKeyMonthlyCostUsd,
  projectMonthlyDataEventCostUsd,
  summarizeDataEventVolume,
} from './cost';
import type { DynamoDbEventsSignal } from './types';

describe('projectMonthlyDataEventCostUsd', () => {
  it('prices a billion calls a month at about $1,000', () => {
    expect(projectMonthlyDataEventCostUsd(1_000_000_000 / DAYS_PER_MONTH)).toBe(
      1000,
    );
  });

  it('prices 100,000 events a day at 30.4 × $0.10', () => {
    expect(DATA_EVENT_PRICE_USD_PER_100K).toBe(0.1);
    expect(projectMonthlyDataEventCostUsd(100_000)).toBe(3.04);
    expect(projectMonthlyDataEventCostUsd(0)).toBe(0);
    expect(projectMonthlyDataEventCostUsd(1234)).toBe(0.04);
  });

  it('rejects impossible rates, naming the field', () => {
    expect(() => projectMonthlyDataEventCostUsd(-1)).toThrow(
      'eventsPerDay must be a finite number ≥ 0 (got -1)',
    );
    expect(() => projectMonthlyDataEventCostUsd(NaN)).toThrow('eventsPerDay');
  });
});

describe('summarizeDataEventVolume', () => {
  it('averages the observed days and projects the month', () => {
    expect(
      summarizeDataEventVolume({
        '2025-05-31': 300_000,
        '2025-06-01': 100_000,
      }),
    ).toEqual({
      eventsPerDay: 200_000,
      projectedMonthlyUsd: 6.08,
      days: { '2025-05-31': 300_000, '2025-06-01': 100_000 },
    });
  });

  it('has nothing to say without observations and rejects bad counts', () => {
    expect(summarizeDataEventVolume({})).toBeUndefined();
    expect(() => summarizeDataEventVolume({ '2025-06-01': -5 })).toThrow(
      'events on 2025-06-01',
    );
  });
});

describe('estimateDataEventVolume', () => {
  const signal = (
    patch: Partial<DynamoDbEventsSignal> = {},
  ): DynamoDbEventsSignal => ({
    filesRead: 3,
    bytesRead: 3000,
    dynamodbEvents: 300,
    eventsPerDay: { '2025-06-01': 300 },
    ...patch,
  });

  it('scales the events of three 5-minute deliveries to a day, not to three days', () => {
    // 300 events in 15 minutes = 20 a minute = 28,800 a day.
    const volume = estimateDataEventVolume(
      signal({
        sample: {
          events: 300,
          spanMs: 15 * 60_000,
          from: '2025-06-01T10:00:00.000Z',
          to: '2025-06-01T10:15:00.000Z',
        },
      }),
    );
    expect(volume).toEqual({
      eventsPerDay: 28_800,
      // 28,800 × 30.4 × $0.10 / 100,000 = $0.8755
      projectedMonthlyUsd: 0.88,
      days: { '2025-06-01': 300 },
      sample: {
        events: 300,
        spanMs: 900_000,
        from: '2025-06-01T10:00:00.000Z',
        to: '2025-06-01T10:15:00.000Z',
      },
    });
    expect(volume!.projectedMonthlyUsd).toBe(
      projectMonthlyDataEventCostUsd(28_800),
    );
  });

  it('falls back to the time between the oldest and newest event when no delivery gap is known', () => {
    const volume = estimateDataEventVolume(
      signal({
        dynamodbEvents: 120,
        oldestEventTime: '2025-06-01T10:00:00.000Z',
        newestEventTime: '2025-06-01T10:02:00.000Z',
      }),
    );
    // 120 events in 2 minutes = 86,400 a day.
    expect(volume).toMatchObject({
      eventsPerDay: 86_400,
      sample: { events: 120, spanMs: 120_000 },
    });
  });

  it('prefers the delivery sample over event times, and refuses spans under a minute', () => {
    expect(
      estimateDataEventVolume(
        signal({
          oldestEventTime: '2025-06-01T10:00:00.000Z',
          newestEventTime: '2025-06-01T10:00:30.000Z',
          sample: {
            events: 100,
            spanMs: 30_000,
            from: '2025-06-01T09:59:30.000Z',
            to: '2025-06-01T10:00:00.000Z',
          },
        }),
      ),
    ).toBeUndefined();
    expect(
      estimateDataEventVolume(
        signal({
          oldestEventTime: '2025-06-01T09:00:00.000Z',
          newestEventTime: '2025-06-01T10:00:00.000Z',
          sample: {
            events: 10,
            spanMs: 10 * 60_000,
            from: '2025-06-01T09:50:00.000Z',
            to: '2025-06-01T10:00:00.000Z',
          },
        }),
      )?.eventsPerDay,
    ).toBe(1440);
  });

  it('says nothing without files, and zero for files without events', () => {
    expect(
      estimateDataEventVolume(
        signal({ filesRead: 0, dynamodbEvents: 0, eventsPerDay: {} }),
      ),
    ).toBeUndefined();
    expect(
      estimateDataEventVolume(signal({ dynamodbEvents: 0, eventsPerDay: {} })),
    ).toEqual({ eventsPerDay: 0, projectedMonthlyUsd: 0, days: {} });
  });

  it('rejects impossible rates, naming the field', () => {
    expect(() => dataEventsPerDay(10, 0)).toThrow(
      'spanMs must be a finite number > 0 (got 0)',
    );
    expect(() => dataEventsPerDay(-1, 1000)).toThrow('events must be');
  });
});

describe('estimateDedicatedKeyMonthlyCostUsd', () => {
  it('prices the key at $1 and its requests at $0.03 per 10,000', () => {
    // Per region: (12 log files + 1 digest) an hour, written and read once.
    expect(estimateDedicatedKeyMonthlyCostUsd(1)).toEqual({
      keyUsd: 1,
      requestsPerMonth: 18970,
      requestsUsd: 0.06,
    });
    expect(estimateDedicatedKeyMonthlyCostUsd(17)).toEqual({
      keyUsd: 1,
      requestsPerMonth: 322490,
      requestsUsd: 0.97,
    });
  });

  it('rejects a region count that is not a whole number of at least 1', () => {
    expect(() => estimateDedicatedKeyMonthlyCostUsd(0)).toThrow(
      'regions must be a whole number ≥ 1 (got 0)',
    );
    expect(() => estimateDedicatedKeyMonthlyCostUsd(1.5)).toThrow('regions');
  });
});
