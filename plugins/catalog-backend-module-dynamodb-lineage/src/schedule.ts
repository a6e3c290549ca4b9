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
  return readSchedule(config, SCHEDULE_KEY, DEFAULT_TRAIL_SCHEDULE);
}

const RELATIONS_SCHEDULE_KEY = 'dynamodbLineage.catalog.relationsSchedule';

/**
 * Every 5 minutes, first run 5 s after start. Local: every replica keeps its
 * own copy of the relations for its catalog processing.
 */
export const DEFAULT_RELATIONS_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 5 },
    scope: 'local',
  };

/**
 * The schedule of the data-flow relations' reload from
 * `dynamodbLineage.catalog.relationsSchedule`, with defaults; always local.
 */
export function readRelationsSchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  return {
    ...readSchedule(config, RELATIONS_SCHEDULE_KEY, DEFAULT_RELATIONS_SCHEDULE),
    scope: 'local',
  };
}

function readSchedule(
  config: Config,
  key: string,
  defaults: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const configured = config.getOptionalConfig(key);
  if (!configured) return defaults;
  const schedule =
    readSchedulerServiceTaskScheduleDefinitionFromConfig(configured);
  return {
    ...schedule,
    initialDelay: schedule.initialDelay ?? defaults.initialDelay,
    scope: schedule.scope ?? defaults.scope,
  };
}
