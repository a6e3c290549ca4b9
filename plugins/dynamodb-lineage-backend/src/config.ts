import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  DEFAULT_BUCKET_SETTINGS_TTL_MS,
  DEFAULT_TRAIL_SETTINGS_TTL_MS,
} from '@lineage/plugin-dynamodb-lineage-node';

/** Settings only the backend plugin reads; the rest of `dynamodbLineage` is the node library's. */
export interface BackendSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Account-regions inspected at the same time during a refresh. */
  concurrency: number;
  /** How long a refresh reuses a bucket's settings read by an earlier one. */
  bucketSettingsTtlMs: number;
  /** How long a refresh reuses a trail's selectors, Insights selectors and tags. */
  trailSettingsTtlMs: number;
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
  return {
    schedule,
    concurrency,
    bucketSettingsTtlMs: readTtl(
      root,
      'refresh.bucketSettingsTtl',
      DEFAULT_BUCKET_SETTINGS_TTL_MS,
    ),
    trailSettingsTtlMs: readTtl(
      root,
      'refresh.trailSettingsTtl',
      DEFAULT_TRAIL_SETTINGS_TTL_MS,
    ),
  };
}

/** At most a day: settings older than that are not worth trusting. */
const MAX_TTL_MS = 24 * 60 * 60 * 1000;

function readTtl(
  root: Config | undefined,
  key: string,
  fallbackMs: number,
): number {
  if (!root?.has(key)) return fallbackMs;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(root, { key }));
  } catch (error) {
    throw new InputError(
      `dynamodbLineage.${key} must be a duration such as "1 hour" or { minutes: 30 }: ${
        (error as Error).message
      }`,
    );
  }
  if (!(ms >= 0) || ms > MAX_TTL_MS) {
    throw new InputError(
      `dynamodbLineage.${key} must be from 0 (no reuse) to 1 day`,
    );
  }
  return Math.round(ms);
}
