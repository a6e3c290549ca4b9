import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Settings only the backend plugin reads; the rest of `dynamodbLineage` is the node library's. */
export interface BackendSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Account-regions inspected at the same time during a refresh. */
  concurrency: number;
}

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 4 },
  initialDelay: { seconds: 15 },
};

export const DEFAULT_CONCURRENCY = 8;

export function readBackendSettings(config: Config): BackendSettings {
  const root = config.getOptionalConfig('dynamodbLineage');
  const scheduleConfig = root?.getOptionalConfig('schedule');
  const configured = scheduleConfig
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
    : {};
  // Keys the config leaves out keep their defaults (the reader returns them as undefined).
  const schedule = {
    ...DEFAULT_SCHEDULE,
    ...Object.fromEntries(
      Object.entries(configured).filter(([, value]) => value !== undefined),
    ),
  } as SchedulerServiceTaskScheduleDefinition;
  const concurrency =
    root?.getOptionalNumber('refresh.concurrency') ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new InputError(
      'dynamodbLineage.refresh.concurrency must be a whole number from 1 to 64',
    );
  }
  return { schedule, concurrency };
}
