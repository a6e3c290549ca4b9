import type { CloudTrailRecord } from '../../events/record';

export interface DataResource {
  Type?: string;
  Values?: string[];
}

export interface EventSelector {
  ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
  IncludeManagementEvents?: boolean;
  DataResources?: DataResource[];
  ExcludeManagementEventSources?: string[];
}

export const FIELD_OPERATORS = [
  'Equals',
  'StartsWith',
  'EndsWith',
  'NotEquals',
  'NotStartsWith',
  'NotEndsWith',
] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

export type AdvancedFieldSelector = { Field: string } & Partial<
  Record<FieldOperator, string[]>
>;

export interface AdvancedEventSelector {
  Name?: string;
  FieldSelectors: AdvancedFieldSelector[];
}

export interface InsightSelector {
  InsightType: 'ApiCallRateInsight' | 'ApiErrorRateInsight';
}

export interface TrailStatus {
  isLogging: boolean;
  startLoggingTime?: number;
  stopLoggingTime?: number;
  latestDeliveryTime?: number;
  latestDeliveryError?: string;
  latestDeliveryAttemptTime?: number;
  latestDeliveryAttemptSucceeded?: number;
  latestDigestDeliveryTime?: number;
  latestDigestDeliveryError?: string;
}

/** A log file delivered during the current digest hour. */
export interface DeliveredLogFile {
  key: string;
  sha256: string;
  oldestEventTime: string;
  newestEventTime: string;
}

/** Per account+region delivery state of a trail (org trails log many accounts). */
export interface DeliveryStream {
  accountId: string;
  region: string;
  buffer: CloudTrailRecord[];
  hourFiles: DeliveredLogFile[];
  previousDigest?: { key: string; sha256: string; signature: string };
  /** Start of the first hour a paused stream got no digest for. */
  undigestedSince?: number;
}

export interface Trail {
  name: string;
  accountId: string;
  homeRegion: string;
  arn: string;
  createdAt: number;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  includeGlobalServiceEvents: boolean;
  isMultiRegionTrail: boolean;
  isOrganizationTrail: boolean;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
  /** Exactly one of the two is set; advanced ones replace basic ones. */
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  hasCustomEventSelectors: boolean;
  insightSelectors: InsightSelector[];
  tags: Array<{ Key: string; Value?: string }>;
  status: TrailStatus;
  streams: Map<string, DeliveryStream>;
  /** Start of the hour the next digest files cover. */
  digestHourStart: number;
}

export const DEFAULT_EVENT_SELECTORS: EventSelector[] = [
  {
    ReadWriteType: 'All',
    IncludeManagementEvents: true,
    DataResources: [],
    ExcludeManagementEventSources: [],
  },
];

export const trailArn = (region: string, accountId: string, name: string) =>
  `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;

const TRAIL_ARN = /^arn:aws:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

export function parseTrailArn(
  arn: string,
): { region: string; accountId: string; name: string } | undefined {
  const match = TRAIL_ARN.exec(arn);
  return match
    ? { region: match[1], accountId: match[2], name: match[3] }
    : undefined;
}

/**
 * Trail naming rules: 3–128 characters of letters, digits, `.`, `_`, `-`;
 * start and end with a letter or digit; no adjacent punctuation; not an IP.
 */
export function trailNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 128) {
    return 'must be between 3 and 128 characters';
  }
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    return 'can contain only ASCII letters, numbers, periods, underscores and dashes';
  }
  if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) {
    return 'must start and end with a letter or number';
  }
  if (/[._-]{2}/.test(name)) {
    return 'cannot have adjacent periods, underscores or dashes';
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    return 'cannot be formatted as an IP address';
  }
  return undefined;
}
