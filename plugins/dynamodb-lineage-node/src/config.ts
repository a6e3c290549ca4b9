import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  DEFAULT_FIRST_DELIVERY_WINDOW_MINUTES,
  DEFAULT_FRESHNESS,
  FreshnessThresholds,
  validateAccountId,
  validateRegion,
} from '@lineage/plugin-dynamodb-lineage-common';

/** An account listed in config for organisations without account entities. */
export interface ConfiguredAccount {
  accountId: string;
  regions: string[];
  owner?: string;
}

/** Where and how forensics queries run on Athena for an account. */
export interface AthenaForensicsSettings {
  /** Athena work group. Default `primary`. */
  workGroup: string;
  /** `s3://bucket/prefix/` for query results; unset: the work group's own result location. */
  outputLocation?: string;
  /** Glue database of the CloudTrail tables. Default `dynamodb_lineage`. */
  database: string;
  /** Region Athena runs in; unset: the trail's home region (where its bucket is). */
  region?: string;
  /** Largest estimated scan a query may start with, in bytes. */
  maxScanBytes: number;
}

/** The `dynamodbLineage` config block with defaults applied. */
export interface DynamoDbLineageConfig {
  aws: {
    /** LocalStack or the emulator; absent means real AWS. */
    endpoint?: string;
    maxAttempts: number;
    /** Role the backend plugin and the catalog module assume in every account (read role). */
    roleName?: string;
    /** Role the scaffolder module assumes in every account (provision role). */
    provisionRoleName?: string;
  };
  regions: string[];
  accounts: ConfiguredAccount[];
  freshness: FreshnessThresholds;
  lineage: {
    byteBudgetBytes: number;
    /** Days of delivered logs the lineage store reads when it first sees a trail. */
    backfillDays: number;
    /** Days of daily edges the lineage store keeps. */
    retentionDays: number;
    /** What one ingestion run of one trail may read before it leaves the rest to the next. */
    ingest: { byteBudgetBytes: number; timeBudgetMs: number };
  };
  /** The digest chain verification of `trail.log-integrity`. */
  integrity: { windowHours: number };
  forensics: {
    /** Absent when Athena is not configured. */
    athena?: {
      /** Settings of every account without an entry of its own. */
      defaults: AthenaForensicsSettings;
      /** Per-account settings, the global ones overridden by the entry's keys. */
      accounts: Record<string, AthenaForensicsSettings>;
    };
  };
}

export const DEFAULT_ATHENA_WORK_GROUP = 'primary';
export const DEFAULT_ATHENA_DATABASE = 'dynamodb_lineage';
/** 10 GB: $0.05 at Athena's $5 per TB. */
export const DEFAULT_ATHENA_MAX_SCAN_GB = 10;
const ATHENA_WORK_GROUP = /^[a-zA-Z0-9._-]{1,128}$/;
const ATHENA_DATABASE = /^[a-z0-9_]{1,255}$/;
const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

export const DEFAULT_REGIONS = ['us-east-1'];
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_LINEAGE_BYTE_BUDGET_MB = 64;
export const DEFAULT_LINEAGE_BACKFILL_DAYS = 7;
export const DEFAULT_LINEAGE_RETENTION_DAYS = 400;
export const DEFAULT_INGEST_BYTE_BUDGET_MB = 512;
export const DEFAULT_INGEST_TIME_BUDGET_MS = 3 * 60_000;
/** Hours of digest files one verification of a trail's digest chain covers. */
export const DEFAULT_INTEGRITY_WINDOW_HOURS = 6;
const MAX_INTEGRITY_WINDOW_HOURS = 7 * 24;

const ROOT = 'dynamodbLineage';
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** Reads and checks the `dynamodbLineage` block; throws `InputError` naming the key on bad values. */
export function readDynamoDbLineageConfig(
  config: Config,
): DynamoDbLineageConfig {
  const root = config.getOptionalConfig(ROOT);

  const regions = root?.getOptionalStringArray('regions') ?? DEFAULT_REGIONS;
  regions.forEach((region, i) =>
    check(`${ROOT}.regions[${i}]`, region, validateRegion),
  );

  const accounts = (root?.getOptionalConfigArray('accounts') ?? []).map(
    (entry, i): ConfiguredAccount => {
      const key = `${ROOT}.accounts[${i}]`;
      const accountId = entry.getString('accountId');
      check(`${key}.accountId`, accountId, validateAccountId);
      const accountRegions = entry.getOptionalStringArray('regions') ?? regions;
      accountRegions.forEach((region, j) =>
        check(`${key}.regions[${j}]`, region, validateRegion),
      );
      const owner = entry.getOptionalString('owner');
      return {
        accountId,
        regions: accountRegions,
        ...(owner ? { owner } : {}),
      };
    },
  );

  const endpoint = root?.getOptionalString('aws.endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new InputError(
      `${ROOT}.aws.endpoint must be an http(s) URL, got "${endpoint}"`,
    );
  }
  const maxAttempts =
    root?.getOptionalNumber('aws.maxAttempts') ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) {
    throw new InputError(
      `${ROOT}.aws.maxAttempts must be an integer from 1 to 10`,
    );
  }

  const roleNames: { roleName?: string; provisionRoleName?: string } = {};
  for (const key of ['roleName', 'provisionRoleName'] as const) {
    const value = root?.getOptionalString(`aws.${key}`);
    if (value === undefined) continue;
    if (!ROLE_NAME.test(value)) {
      throw new InputError(
        `${ROOT}.aws.${key} must be an IAM role name (1-64 characters of letters, digits and +=,.@_-), got "${value}"`,
      );
    }
    roleNames[key] = value;
  }

  const freshness = readFreshness(root);

  const byteBudgetMb =
    root?.getOptionalNumber('lineage.byteBudgetMb') ??
    DEFAULT_LINEAGE_BYTE_BUDGET_MB;
  if (!(byteBudgetMb > 0) || byteBudgetMb > 4096) {
    throw new InputError(
      `${ROOT}.lineage.byteBudgetMb must be a number above 0 and at most 4096`,
    );
  }

  const backfillDays = wholeNumber(
    root,
    'lineage.backfillDays',
    DEFAULT_LINEAGE_BACKFILL_DAYS,
    0,
    90,
  );
  const retentionDays = wholeNumber(
    root,
    'lineage.retentionDays',
    DEFAULT_LINEAGE_RETENTION_DAYS,
    1,
    3650,
  );
  const ingestByteBudgetMb =
    root?.getOptionalNumber('lineage.ingest.byteBudgetMb') ??
    DEFAULT_INGEST_BYTE_BUDGET_MB;
  if (!(ingestByteBudgetMb > 0) || ingestByteBudgetMb > 65536) {
    throw new InputError(
      `${ROOT}.lineage.ingest.byteBudgetMb must be a number above 0 and at most 65536`,
    );
  }
  const ingestTimeBudgetMs = root?.has('lineage.ingest.timeBudget')
    ? durationToMilliseconds(
        readDurationFromConfig(root, { key: 'lineage.ingest.timeBudget' }),
      )
    : DEFAULT_INGEST_TIME_BUDGET_MS;
  if (!(ingestTimeBudgetMs >= 1000) || ingestTimeBudgetMs > 3_600_000) {
    throw new InputError(
      `${ROOT}.lineage.ingest.timeBudget must be from 1 second to 1 hour`,
    );
  }

  const windowHours = root?.has('integrity.window')
    ? durationToMilliseconds(
        readDurationFromConfig(root, { key: 'integrity.window' }),
      ) / 3_600_000
    : DEFAULT_INTEGRITY_WINDOW_HOURS;
  if (!(windowHours >= 1) || windowHours > MAX_INTEGRITY_WINDOW_HOURS) {
    throw new InputError(
      `${ROOT}.integrity.window must be from 1 hour to 7 days`,
    );
  }

  return {
    aws: { ...(endpoint ? { endpoint } : {}), maxAttempts, ...roleNames },
    regions,
    accounts,
    freshness,
    lineage: {
      byteBudgetBytes: Math.round(byteBudgetMb * 1024 * 1024),
      backfillDays,
      retentionDays,
      ingest: {
        byteBudgetBytes: Math.round(ingestByteBudgetMb * 1024 * 1024),
        timeBudgetMs: ingestTimeBudgetMs,
      },
    },
    integrity: { windowHours },
    forensics: readForensics(root),
  };
}

/** The Athena settings of an account, or undefined when Athena is not configured. */
export function athenaSettingsFor(
  config: DynamoDbLineageConfig,
  accountId: string,
): AthenaForensicsSettings | undefined {
  const athena = config.forensics.athena;
  return athena && (athena.accounts[accountId] ?? athena.defaults);
}

function readAthenaSettings(
  block: Config,
  key: string,
  base: AthenaForensicsSettings,
): AthenaForensicsSettings {
  const workGroup = block.getOptionalString('workGroup') ?? base.workGroup;
  if (!ATHENA_WORK_GROUP.test(workGroup)) {
    throw new InputError(
      `${key}.workGroup must be an Athena work group name (1-128 letters, digits, ., _ or -), got "${workGroup}"`,
    );
  }
  const outputLocation =
    block.getOptionalString('outputLocation') ?? base.outputLocation;
  if (outputLocation !== undefined && !S3_URL.test(outputLocation)) {
    throw new InputError(
      `${key}.outputLocation must be an s3://bucket/prefix/ URL, got "${outputLocation}"`,
    );
  }
  const database = block.getOptionalString('database') ?? base.database;
  if (!ATHENA_DATABASE.test(database)) {
    throw new InputError(
      `${key}.database must be 1-255 lowercase letters, digits or underscores, got "${database}"`,
    );
  }
  const region = block.getOptionalString('region') ?? base.region;
  if (region !== undefined) check(`${key}.region`, region, validateRegion);
  const maxScanGb = block.getOptionalNumber('maxScanGb');
  if (maxScanGb !== undefined && !(maxScanGb > 0 && maxScanGb <= 100_000)) {
    throw new InputError(
      `${key}.maxScanGb must be a number above 0 and at most 100000`,
    );
  }
  return {
    workGroup,
    database,
    maxScanBytes:
      maxScanGb !== undefined
        ? Math.round(maxScanGb * 1024 ** 3)
        : base.maxScanBytes,
    ...(outputLocation
      ? { outputLocation: outputLocation.replace(/\/?$/, '/') }
      : {}),
    ...(region ? { region } : {}),
  };
}

function readForensics(
  root: Config | undefined,
): DynamoDbLineageConfig['forensics'] {
  const block = root?.getOptionalConfig('forensics.athena');
  if (!block) return {};
  const key = `${ROOT}.forensics.athena`;
  const defaults = readAthenaSettings(block, key, {
    workGroup: DEFAULT_ATHENA_WORK_GROUP,
    database: DEFAULT_ATHENA_DATABASE,
    maxScanBytes: DEFAULT_ATHENA_MAX_SCAN_GB * 1024 ** 3,
  });
  const accounts: Record<string, AthenaForensicsSettings> = {};
  (block.getOptionalConfigArray('accounts') ?? []).forEach((entry, i) => {
    const entryKey = `${key}.accounts[${i}]`;
    const accountId = entry.getString('accountId');
    check(`${entryKey}.accountId`, accountId, validateAccountId);
    accounts[accountId] = readAthenaSettings(entry, entryKey, defaults);
  });
  return { athena: { defaults, accounts } };
}

function wholeNumber(
  root: Config | undefined,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = root?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `${ROOT}.${key} must be a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

function readFreshness(root: Config | undefined): FreshnessThresholds {
  // Calendar units count fixed lengths (a month is 30 days): thresholds are operational, not dates.
  const minutes = (key: string, fallback: number) =>
    root?.has(key)
      ? durationToMilliseconds(readDurationFromConfig(root, { key })) / 60_000
      : fallback;
  const warnAfterMinutes = minutes(
    'freshness.warnAfter',
    DEFAULT_FRESHNESS.warnAfterMinutes,
  );
  const failAfterMinutes = minutes(
    'freshness.failAfter',
    DEFAULT_FRESHNESS.failAfterMinutes,
  );
  if (!(warnAfterMinutes > 0) || failAfterMinutes <= warnAfterMinutes) {
    throw new InputError(
      `${ROOT}.freshness.failAfter must be longer than ${ROOT}.freshness.warnAfter, and both above zero`,
    );
  }
  const firstDeliveryWindowMinutes = minutes(
    'freshness.firstDeliveryWindow',
    DEFAULT_FIRST_DELIVERY_WINDOW_MINUTES,
  );
  if (!(firstDeliveryWindowMinutes > 0)) {
    throw new InputError(
      `${ROOT}.freshness.firstDeliveryWindow must be above zero`,
    );
  }
  return { warnAfterMinutes, failAfterMinutes, firstDeliveryWindowMinutes };
}

function check(
  key: string,
  value: string,
  rule: (value: string) => string | undefined,
) {
  const broken = rule(value);
  if (broken) {
    throw new InputError(`${key}: ${broken}`);
  }
}
