import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_TRAIL_SCHEDULE,
  readRelationsSchedule,
  readTrailSchedule,
} from './schedule';

describe('readTrailSchedule', () => {
  it('runs every 10 minutes after 15 s with global scope by default', () => {
    expect(readTrailSchedule(new ConfigReader({}))).toEqual({
      frequency: { minutes: 10 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 15 },
      scope: 'global',
    });
    expect(DEFAULT_TRAIL_SCHEDULE.scope).toBe('global');
  });

  it('reads dynamodbLineage.catalog.schedule, keeping the default delay and scope when unset', () => {
    const schedule = readTrailSchedule(
      new ConfigReader({
        dynamodbLineage: {
          catalog: {
            schedule: { frequency: { minutes: 1 }, timeout: 'PT30S' },
          },
        },
      }),
    );
    expect(schedule).toEqual({
      frequency: { minutes: 1 },
      timeout: expect.objectContaining({ seconds: 30 }),
      initialDelay: { seconds: 15 },
      scope: 'global',
    });
  });

  it('rejects a schedule without a timeout', () => {
    expect(() =>
      readTrailSchedule(
        new ConfigReader({
          dynamodbLineage: {
            catalog: { schedule: { frequency: { minutes: 1 } } },
          },
        }),
      ),
    ).toThrow(/timeout/);
  });
});

describe('readRelationsSchedule', () => {
  it('reloads every 5 minutes by default, and always locally: each replica keeps its own copy', () => {
    expect(readRelationsSchedule(new ConfigReader({}))).toEqual({
      frequency: { minutes: 5 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 5 },
      scope: 'local',
    });
    expect(
      readRelationsSchedule(
        new ConfigReader({
          dynamodbLineage: {
            catalog: {
              relationsSchedule: {
                frequency: { minutes: 1 },
                timeout: { seconds: 20 },
                scope: 'global',
              },
            },
          },
        }),
      ),
    ).toEqual({
      frequency: { minutes: 1 },
      timeout: { seconds: 20 },
      initialDelay: { seconds: 5 },
      scope: 'local',
    });
  });
});
