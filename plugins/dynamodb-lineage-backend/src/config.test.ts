import { ConfigReader } from '@backstage/config';
import { DEFAULT_SCHEDULE, readBackendSettings } from './config';

describe('readBackendSettings', () => {
  it('defaults to every 5 minutes with a 4 minute timeout and 8 at a time', () => {
    expect(readBackendSettings(new ConfigReader({}))).toEqual({
      schedule: DEFAULT_SCHEDULE,
      concurrency: 8,
      bucketSettingsTtlMs: 3_600_000,
      trailSettingsTtlMs: 900_000,
    });
    expect(DEFAULT_SCHEDULE).toMatchObject({
      frequency: { minutes: 5 },
      timeout: { minutes: 4 },
    });
  });

  it('reads the schedule and keeps the default initial delay when none is given', () => {
    const settings = readBackendSettings(
      new ConfigReader({
        dynamodbLineage: {
          schedule: { frequency: { minutes: 1 }, timeout: { seconds: 50 } },
          refresh: { concurrency: 16 },
        },
      }),
    );
    expect(settings).toEqual({
      schedule: {
        frequency: { minutes: 1 },
        timeout: { seconds: 50 },
        initialDelay: DEFAULT_SCHEDULE.initialDelay,
      },
      concurrency: 16,
      bucketSettingsTtlMs: 3_600_000,
      trailSettingsTtlMs: 900_000,
    });
  });

  it('reads how long bucket and trail settings are reused, as human durations', () => {
    const settings = readBackendSettings(
      new ConfigReader({
        dynamodbLineage: {
          refresh: {
            bucketSettingsTtl: '30 minutes',
            trailSettingsTtl: { minutes: 0 },
          },
        },
      }),
    );
    expect(settings).toMatchObject({
      bucketSettingsTtlMs: 1_800_000,
      trailSettingsTtlMs: 0,
    });
  });

  it('refuses a settings lifetime that is not a duration or above a day, naming the key', () => {
    expect(() =>
      readBackendSettings(
        new ConfigReader({
          dynamodbLineage: { refresh: { bucketSettingsTtl: 'soon' } },
        }),
      ),
    ).toThrow('dynamodbLineage.refresh.bucketSettingsTtl');
    expect(() =>
      readBackendSettings(
        new ConfigReader({
          dynamodbLineage: { refresh: { trailSettingsTtl: { days: 2 } } },
        }),
      ),
    ).toThrow('dynamodbLineage.refresh.trailSettingsTtl must be from 0');
  });

  it('refuses a concurrency outside 1..64, naming the key', () => {
    expect(() =>
      readBackendSettings(
        new ConfigReader({ dynamodbLineage: { refresh: { concurrency: 0 } } }),
      ),
    ).toThrow('dynamodbLineage.refresh.concurrency');
  });
});
