import {
  DATA_EVENT_PRICE_USD_PER_100K,
  DAYS_PER_MONTH,
  projectMonthlyDataEventCostUsd,
  summarizeDataEventVolume,
} from './cost';

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
