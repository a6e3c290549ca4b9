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
  /** Bounds of forensics queries answered by reading the delivered logs directly. */
  forensicsLogs: ForensicsLogSettings;
}

export interface ForensicsLogSettings {
  /** How far back the logs are read, in hours. */
  windowHours: number;
  /** Compressed log bytes one query may download. */
  byteBudgetBytes: number;
  /** How long one query may read, in milliseconds. */
  maxDurationMs: number;
  /** Queries reading at once in this process. */
  concurrency: number;
}

export const DEFAULT_FORENSICS_LOGS: ForensicsLogSettings = {
  windowHours: 24,
  byteBudgetBytes: 256 * 1024 * 1024,
  maxDurationMs: 60_000,
  concurrency: 2,
};

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
    forensicsLogs: readForensicsLogs(root),
  };
}

function readForensicsLogs(root: Config | undefined): ForensicsLogSettings {
  const key = (name: string) => `dynamodbLineage.forensics.logs.${name}`;
  const windowHours =
    readDurationMs(
      root,
      'forensics.logs.window',
      DEFAULT_FORENSICS_LOGS.windowHours * 3_600_000,
    ) / 3_600_000;
  if (windowHours < 1 || windowHours > 7 * 24) {
    throw new InputError(`${key('window')} must be from 1 hour to 7 days`);
  }
  const byteBudgetMb =
    root?.getOptionalNumber('forensics.logs.byteBudgetMb') ??
    DEFAULT_FORENSICS_LOGS.byteBudgetBytes / 1024 ** 2;
  if (!(byteBudgetMb > 0) || byteBudgetMb > 16384) {
    throw new InputError(
      `${key('byteBudgetMb')} must be a number above 0 and at most 16384`,
    );
  }
  const maxDurationMs = readDurationMs(
    root,
    'forensics.logs.maxDuration',
    DEFAULT_FORENSICS_LOGS.maxDurationMs,
  );
  if (!(maxDurationMs >= 1000 && maxDurationMs <= 15 * 60_000)) {
    throw new InputError(
      `${key('maxDuration')} must be from 1 second to 15 minutes`,
    );
  }
  const concurrency =
    root?.getOptionalNumber('forensics.logs.concurrency') ??
    DEFAULT_FORENSICS_LOGS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new InputError(
      `${key('concurrency')} must be a whole number from 1 to 16`,
    );
  }
  return {
    windowHours,
    byteBudgetBytes: Math.round(byteBudgetMb * 1024 ** 2),
    maxDurationMs,
    concurrency,
  };
}

/** A configured duration in milliseconds; `fallback` when absent. */
function readDurationMs(
  root: Config | undefined,
  key: string,
  fallback: number,
): number {
  if (!root?.has(key)) return fallback;
  try {
    return durationToMilliseconds(readDurationFromConfig(root, { key }));
  } catch (error) {
    throw new InputError(
      `dynamodbLineage.${key} must be a duration such as "1 hour" or { minutes: 30 }: ${
        (error as Error).message
      }`,
    );
  }
}

/** At most a day: settings older than that are not worth trusting. */
const MAX_TTL_MS = 24 * 60 * 60 * 1000;

function readTtl(
  root: Config | undefined,
  key: string,
  fallbackMs: number,
): number {
  const ms = readDurationMs(root, key, fallbackMs);
  if (!(ms >= 0) || ms > MAX_TTL_MS) {
    throw new InputError(
      `dynamodbLineage.${key} must be from 0 (no reuse) to 1 day`,
    );
  }
  return Math.round(ms);
}
