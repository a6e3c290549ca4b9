import { JsonObject } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_FORENSICS_LOGS,
  DEFAULT_SCHEDULE,
  readBackendSettings,
} from './config';

describe('readBackendSettings', () => {
  it('defaults to every 5 minutes with a 4 minute timeout and 8 at a time', () => {
    expect(readBackendSettings(new ConfigReader({}))).toEqual({
      schedule: DEFAULT_SCHEDULE,
      concurrency: 8,
      bucketSettingsTtlMs: 3_600_000,
      trailSettingsTtlMs: 900_000,
      forensicsLogs: DEFAULT_FORENSICS_LOGS,
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
      forensicsLogs: DEFAULT_FORENSICS_LOGS,
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

  it('reads the bounds of forensics over the delivered logs, and refuses ones out of range naming the key', () => {
    expect(DEFAULT_FORENSICS_LOGS).toEqual({
      windowHours: 24,
      byteBudgetBytes: 256 * 1024 * 1024,
      maxDurationMs: 60_000,
      concurrency: 2,
    });
    expect(
      readBackendSettings(
        new ConfigReader({
          dynamodbLineage: {
            forensics: {
              logs: {
                window: '48 hours',
                byteBudgetMb: 1.5,
                maxDuration: { seconds: 30 },
                concurrency: 4,
              },
            },
          },
        }),
      ).forensicsLogs,
    ).toEqual({
      windowHours: 48,
      byteBudgetBytes: 1.5 * 1024 * 1024,
      maxDurationMs: 30_000,
      concurrency: 4,
    });
    const read = (logs: JsonObject) => () =>
      readBackendSettings(
        new ConfigReader({ dynamodbLineage: { forensics: { logs } } }),
      );
    expect(read({ window: { hours: 0 } })).toThrow(
      'dynamodbLineage.forensics.logs.window must be from 1 hour to 7 days',
    );
    expect(read({ window: 'later' })).toThrow(
      /dynamodbLineage.forensics.logs.window must be a duration/,
    );
    expect(read({ byteBudgetMb: 0 })).toThrow(
      'dynamodbLineage.forensics.logs.byteBudgetMb must be a number above 0',
    );
    expect(read({ maxDuration: { hours: 1 } })).toThrow(
      'dynamodbLineage.forensics.logs.maxDuration must be from 1 second to 15 minutes',
    );
    expect(read({ concurrency: 1.5 })).toThrow(
      'dynamodbLineage.forensics.logs.concurrency must be a whole number from 1 to 16',
    );
  });
});
