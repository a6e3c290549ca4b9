import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

const SCHEDULE_KEY = 'dynamodbLineage.catalog.schedule';

/** Every 10 minutes, first run 15 s after start, once across replicas. */
export const DEFAULT_TRAIL_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 15 },
  scope: 'global',
};

/** The schedule of trail discovery from `dynamodbLineage.catalog.schedule`, with defaults. */
export function readTrailSchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const configured = config.getOptionalConfig(SCHEDULE_KEY);
  if (!configured) return DEFAULT_TRAIL_SCHEDULE;
  const schedule =
    readSchedulerServiceTaskScheduleDefinitionFromConfig(configured);
  return {
    ...schedule,
    initialDelay: schedule.initialDelay ?? DEFAULT_TRAIL_SCHEDULE.initialDelay,
    scope: schedule.scope ?? DEFAULT_TRAIL_SCHEDULE.scope,
  };
}
