import type { CanaryEvidence, CanarySighting } from './canary';

/*
 * The data model shared by every package. Values are JSON-serialisable (dates
 * are ISO-8601 strings) because they are stored in the plugin database and sent
 * to the browser unchanged.
 */

import type { CheckId } from './checks/definitions';

/**
 * The answer AWS gave to one question: a value, or the reason there is none.
 * `ok: false` means AWS did not answer (AccessDenied, throttled after retries,
 * unreachable); checks that depend on it report `unknown` with `error`.
 * "Not configured" is a value (`null`), not an error.
 */
export type Probe<T> =
  | { ok: true; value: T }
  | { ok: false; error: string; code?: string };

/* ------------------------------------------------------------------ */
/* CloudTrail shapes (AWS field names, so they pass to the SDK as-is)  */
/* ------------------------------------------------------------------ */

export type ReadWriteType = 'ReadOnly' | 'WriteOnly' | 'All';

export interface DataResource {
  Type?: string;
  Values?: string[];
}

export interface BasicEventSelector {
  ReadWriteType?: ReadWriteType;
  IncludeManagementEvents?: boolean;
  DataResources?: DataResource[];
  ExcludeManagementEventSources?: string[];
}

export interface AdvancedFieldSelector {
  Field: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}

/** The condition operators of an advanced field selector, in AWS's order. */
export const ADVANCED_FIELD_OPERATORS = [
  'Equals',
  'StartsWith',
  'EndsWith',
  'NotEquals',
  'NotStartsWith',
  'NotEndsWith',
] as const;

export type AdvancedFieldOperator = (typeof ADVANCED_FIELD_OPERATORS)[number];

export interface AdvancedEventSelector {
  Name?: string;
  FieldSelectors: AdvancedFieldSelector[];
}

/** A trail's selectors: AWS allows basic XOR advanced. */
export interface EventSelectors {
  basic?: BasicEventSelector[];
  advanced?: AdvancedEventSelector[];
}

export interface TrailStatus {
  isLogging: boolean;
  latestDeliveryTime?: string;
  latestDeliveryError?: string;
  latestDigestDeliveryTime?: string;
  startLoggingTime?: string;
  stopLoggingTime?: string;
}

/** A trail as `DescribeTrails` (with shadow trails) and friends show it. */
export interface TrailDescription {
  name: string;
  arn: string;
  /** Account that owns the trail (from the ARN). */
  accountId: string;
  homeRegion: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  isMultiRegionTrail: boolean;
  includeGlobalServiceEvents: boolean;
  isOrganizationTrail: boolean;
  logFileValidationEnabled: boolean;
  kmsKeyId?: string;
  hasCustomEventSelectors?: boolean;
  hasInsightSelectors?: boolean;
}

/** Everything inspected about one trail. */
export interface TrailState {
  trail: TrailDescription;
  /** Seen from this account and region; a shadow trail has another home region or account. */
  observedFrom: { accountId: string; region: string };
  status: Probe<TrailStatus>;
  eventSelectors: Probe<EventSelectors>;
  /** `ApiCallRateInsight` / `ApiErrorRateInsight`; empty when Insights are off. */
  insightTypes: Probe<string[]>;
  tags: Probe<Record<string, string>>;
}

/* ------------------------------------------------------------------ */
/* S3 bucket                                                          */
/* ------------------------------------------------------------------ */

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface BucketEncryption {
  /** `aws:kms`, `aws:kms:dsse` or `AES256`. */
  algorithm: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

export interface LifecycleRule {
  ID?: string;
  Status: 'Enabled' | 'Disabled';
  Filter?: { Prefix?: string };
  Transitions?: { Days?: number; StorageClass?: string }[];
  NoncurrentVersionTransitions?: {
    NoncurrentDays?: number;
    StorageClass?: string;
  }[];
  Expiration?: { Days?: number };
  NoncurrentVersionExpiration?: { NoncurrentDays?: number };
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: string | Record<string, string | string[]>;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** Everything inspected about the trail's bucket. `null` = not configured. */
export interface BucketState {
  name: string;
  exists: Probe<boolean>;
  region: Probe<string>;
  policy: Probe<PolicyDocument | null>;
  encryption: Probe<BucketEncryption | null>;
  publicAccessBlock: Probe<PublicAccessBlock | null>;
  ownership: Probe<string | null>;
  versioning: Probe<'Enabled' | 'Suspended' | null>;
  lifecycle: Probe<LifecycleRule[] | null>;
  tags: Probe<Record<string, string> | null>;
}

/* ------------------------------------------------------------------ */
/* Runtime signals read from the delivered logs                       */
/* ------------------------------------------------------------------ */

export interface LogObjectsSignal {
  /** Newest log object under today's or yesterday's date prefix of the home region. */
  newestKey?: string;
  newestLastModified?: string;
  /** The prefixes that were listed (never the whole bucket). */
  prefixesListed: string[];
}

/**
 * DynamoDB data events counted over a known stretch of delivery time, the
 * basis of an events-per-day rate. Files whose previous delivery is unknown
 * are left out, so `events` may be below the signal's `dynamodbEvents`.
 */
export interface DataEventSample {
  events: number;
  /** Milliseconds of delivery the events stand for (gaps of unread files left out). */
  spanMs: number;
  /** The delivery before the oldest file counted (ISO-8601). */
  from: string;
  /** The newest file counted was delivered then (ISO-8601). */
  to: string;
}

export interface DynamoDbEventsSignal {
  filesRead: number;
  bytesRead: number;
  /** DynamoDB data events among the records of those files. */
  dynamodbEvents: number;
  oldestEventTime?: string;
  newestEventTime?: string;
  /** Events per UTC day (YYYY-MM-DD) across the files read, deduplicated by eventID. */
  eventsPerDay: Record<string, number>;
  /** The time those files cover, for a rate; absent when no file's previous delivery is known. */
  sample?: DataEventSample;
  /** Canary calls found in those files (not counted in `dynamodbEvents`). */
  canaryCalls?: CanarySighting[];
}

export interface RuntimeSignals {
  logObjects: Probe<LogObjectsSignal>;
  dynamodbEvents: Probe<DynamoDbEventsSignal>;
}

/* ------------------------------------------------------------------ */
/* Log file integrity (the digest chain)                              */
/* ------------------------------------------------------------------ */

/** What is wrong with the first object of the digest chain that does not verify. */
export type LogIntegrityProblem =
  /** A log file's SHA-256 over its uncompressed content is not the one its digest lists. */
  | 'log-changed'
  /** A log file a digest lists is not in the bucket. */
  | 'log-missing'
  /** A digest's signature does not verify with the key its fingerprint names. */
  | 'digest-changed'
  /** The next digest names this one as its predecessor, but it is not in the bucket. */
  | 'digest-missing'
  /** A digest names a public key that ListPublicKeys does not return for its time. */
  | 'digest-key-unknown'
  /** A digest that cannot be read as a CloudTrail digest (not gzip, not JSON, no signature metadata). */
  | 'digest-unreadable'
  /** A digest says it lives in another bucket or under another key than where it is. */
  | 'digest-moved'
  /** A digest's record of its predecessor (hash or signature) differs from the predecessor. */
  | 'chain-broken';

/** The digest chain of one account-region of a trail, verified as `aws cloudtrail validate-logs` does. */
export type LogIntegrity =
  | {
      status: 'verified';
      /** ISO times of the window the digests end in. */
      from: string;
      to: string;
      digestFiles: number;
      logFiles: number;
      /** Listed log files left unread because the read budget ran out. */
      logFilesUnread?: number;
      /** End time of the newest digest verified. */
      newestDigestEnd?: string;
    }
  | {
      status: 'failed';
      from: string;
      to: string;
      problem: LogIntegrityProblem;
      bucket: string;
      key: string;
      /** What was expected and what was found, in words. */
      detail: string;
      /** Files that verified before the failing one. */
      digestFiles: number;
      logFiles: number;
    }
  | {
      /** AWS did not answer (AccessDenied, throttled after retries, unreachable). */
      status: 'unknown';
      from: string;
      to: string;
      reason: string;
    };

/* ------------------------------------------------------------------ */
/* Health                                                              */
/* ------------------------------------------------------------------ */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';
export type CheckSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** A check's identifier, derived from the list of checks. */
export type { CheckId };

export interface HealthCheckResult {
  id: CheckId;
  title: string;
  severity: CheckSeverity;
  status: CheckStatus;
  /** What was observed, in plain words: no AWS field names, no raw timestamps. */
  evidence: string;
  /** The raw values behind the evidence (AWS fields, ISO times, ARNs), for a details view. */
  details?: CheckDetail[];
  /** How to fix it; present when status is not `pass`. */
  remediation?: Remediation;
  /** Controls auditors know, e.g. `CIS 3.2`, `CloudTrail.4`. */
  controls: string[];
}

/** One raw value behind a check's evidence, as AWS gave it. */
export interface CheckDetail {
  /** What the value is, e.g. `LatestDeliveryTime` or `Bucket`. */
  label: string;
  value: string;
}

/** How to fix a check: words, then what to run or paste. */
export interface Remediation {
  /** What to do, in plain words; commands and documents are in the fields below. */
  text: string;
  /** AWS CLI commands to run in order, each complete and ready to copy. */
  commands?: string[];
  /** A JSON policy document or statements to merge in, pretty-printed. */
  policy?: string;
}

export type OverallStatus =
  | 'healthy'
  | 'degraded'
  | 'failing'
  | 'unknown'
  | 'not-enabled'
  /** Logging started less than one delivery window ago; nothing delivered yet. */
  | 'pending';

/** What "covered" is judged against: an account-region and optionally tables. */
export interface CoverageScope {
  accountId: string;
  region: string;
  /** Exact table ARNs in scope; empty or absent = every table of the account-region. */
  tableArns?: string[];
}

export interface FreshnessThresholds {
  warnAfterMinutes: number;
  failAfterMinutes: number;
  /**
   * A logging trail that has not delivered yet is `pending`, not failing,
   * this long after it started logging. Default 15.
   */
  firstDeliveryWindowMinutes?: number;
}

export const DEFAULT_FIRST_DELIVERY_WINDOW_MINUTES = 15;

export const DEFAULT_FRESHNESS: FreshnessThresholds = {
  warnAfterMinutes: 30,
  failAfterMinutes: 120,
};

/** All inputs the checks judge; gathered by the node library. */
/** What KMS says of a trail's key: DescribeKey, then GetKeyPolicy (policy `default`). */
export interface KmsKeyFacts {
  /** The key as the trail or spec names it (key id, key ARN, alias name or alias ARN). */
  reference: string;
  /** `false` when DescribeKey answers NotFoundException. */
  exists: boolean;
  arn?: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`, `Unavailable`… */
  keyState?: string;
  /** ISO time the key is deleted at, when pending deletion. */
  deletionDate?: string;
  keySpec?: string;
  keyUsage?: string;
  /** The key policy; a probe of its own, as GetKeyPolicy needs its own permission. */
  policy?: Probe<PolicyDocument | null>;
}

export interface TrailEvidence {
  trail: TrailState;
  bucket?: BucketState;
  signals?: RuntimeSignals;
  /** The trail's KMS key, when it has one (DescribeKey, then GetKeyPolicy). */
  kmsKey?: Probe<KmsKeyFacts>;
  /** Canary calls in the account-region and their arrival in this trail's logs; absent when not asked. */
  canary?: Probe<CanaryEvidence>;
  /** The digest chain of this account-region, when the trail has log file validation. */
  logIntegrity?: LogIntegrity;
  /**
   * The other trails that log this account-region (shadow and organization
   * trails included), with their selectors; absent when not gathered.
   */
  otherTrails?: TrailState[];
}

/* ------------------------------------------------------------------ */
/* Desired state and plan                                             */
/* ------------------------------------------------------------------ */

export type TableScope =
  | { mode: 'all' }
  | { mode: 'tables'; tableArns: string[] }
  | { mode: 'prefix'; prefixes: string[] };

/** What a hardened DynamoDB-lineage trail in one account and region looks like. */
export interface LineageSpec {
  accountId: string;
  /** Home region of the trail. */
  region: string;
  trailName: string;
  bucketName: string;
  s3KeyPrefix?: string;
  scope: TableScope;
  readWriteType: ReadWriteType;
  includeStreams: boolean;
  /** SSE-KMS key ARN or alias; absent = SSE-S3. */
  kmsKeyId?: string;
  /**
   * `kmsKeyId` is the alias ARN of a key dedicated to this trail, created
   * (key, then alias) when no key has that alias yet.
   */
  createKmsKey?: boolean;
  lifecycle: { glacierAfterDays: number; expireAfterDays?: number };
  insights: boolean;
  /**
   * The home region's canary table is created when missing, and the trail's
   * selectors capture it whatever the scope; absent = no canary.
   */
  canary?: boolean;
  /** Entity ref of the owning team, e.g. `group:default/payments`. */
  owner: string;
  /** Entity ref of the user who asked. */
  createdBy?: string;
  /** Allow replacing a stricter existing setting (e.g. KMS → SSE-S3). */
  allowWeakening?: boolean;
}

export type PlannedResource =
  | 'kms-key'
  | 'canary-table'
  | 'bucket'
  | 'bucket-policy'
  | 'bucket-encryption'
  | 'bucket-public-access-block'
  | 'bucket-ownership'
  | 'bucket-versioning'
  | 'bucket-lifecycle'
  | 'bucket-tags'
  | 'trail'
  | 'event-selectors'
  | 'insight-selectors'
  | 'trail-tags'
  | 'logging';

export interface FieldChange {
  field: string;
  current?: unknown;
  desired?: unknown;
  reason: string;
}

export interface PlannedChange {
  /** Stable within a plan, e.g. `bucket-policy:update`; used as the checkpoint key. */
  key: string;
  resource: PlannedResource;
  action: 'create' | 'update' | 'start';
  summary: string;
  changes: FieldChange[];
}

/* ------------------------------------------------------------------ */
/* Cost forecast (before enabling)                                    */
/* ------------------------------------------------------------------ */

/** DynamoDB data events of one table an hour, from its CloudWatch request metrics. */
export interface TableDataEventMetrics {
  tableArn: string;
  /** Start of the hour (ISO 8601) → requests CloudTrail would log for the table in it. */
  perHour: Record<string, number>;
}

/**
 * What one GetMetricData batch said about an account-region: the requests
 * per table and hour for the tables and operations in scope, over the whole
 * hours `[from, to)`.
 */
export interface DataEventMetrics {
  accountId: string;
  region: string;
  from: string;
  to: string;
  /** The starts of the window's hours, oldest first. */
  hours: string[];
  tables: TableDataEventMetrics[];
  /**
   * Failed requests DynamoDB counts per account-region only (`UserErrors`),
   * per hour; CloudTrail logs them too. Present only when the capture takes
   * every table, reads and writes: the one capture they surely belong to.
   */
  userErrorsPerHour?: Record<string, number>;
  /** CloudWatch calls the batch took. */
  calls: { listMetrics: number; getMetricData: number };
}

export interface TableCostForecast {
  tableArn: string;
  region: string;
  dataEventsPerMonth: number;
  monthlyUsd: number;
  /** The mean day, and the quietest and busiest whole 24 hours observed. */
  eventsPerDay: { mean: number; min: number; max: number };
}

export interface StorageCostForecast {
  bytesPerEvent: number;
  /** `logs`: measured from the delivered log files; `default`: the documented default. */
  bytesPerEventSource: 'logs' | 'default';
  /** Compressed log data written a month. */
  gbPerMonth: number;
  /** Days in S3 Standard before the lifecycle moves logs to Glacier. */
  glacierAfterDays: number;
  /** Days kept in all: the lifecycle's expiration, else the horizon of the estimate. */
  retainedDays: number;
  /** Whether `retainedDays` is the lifecycle's expiration (else logs are kept forever). */
  expires: boolean;
  standardGb: number;
  glacierGb: number;
  /** Log and digest files written a month (PUT and Glacier transition requests). */
  objectsPerMonth: number;
  monthlyUsd: number;
}

export interface InsightsCostForecast {
  /** ApiCallRateInsight and ApiErrorRateInsight. */
  insightTypes: number;
  priceUsdPer100kEventsPerType: number;
  /** Insights analyses management events, which DynamoDB's metrics do not count. */
  note: string;
}

export interface KmsKeyCostForecast {
  keyUsd: number;
  requestsUsd: number;
  requestsPerMonth: number;
  monthlyUsd: number;
}

/** What enabling would cost a month, from the account-region's own DynamoDB metrics. */
export interface CostForecast {
  dataEventsPerMonth: number;
  /** The monthly total of every part below that has a price. */
  monthlyUsd: number;
  dataEventsMonthlyUsd: number;
  /** In words: how many days of which metrics, for how many tables, where. */
  basis: string;
  /**
   * Days of metrics the forecast averages (to a tenth): the window, or the
   * time since the first request in it when the traffic is younger.
   */
  days: number;
  from: string;
  to: string;
  /** The month at the rate of the quietest and of the busiest whole 24 hours. */
  range: {
    minDataEventsPerMonth: number;
    maxDataEventsPerMonth: number;
    minMonthlyUsd: number;
    maxMonthlyUsd: number;
  };
  perTable: TableCostForecast[];
  /** Failed requests CloudWatch counts per account-region only, included in the total. */
  unattributedErrorsPerMonth?: number;
  storage: StorageCostForecast;
  insights?: InsightsCostForecast;
  kmsKey?: KmsKeyCostForecast;
  /** Why part of the forecast is missing (a region whose metrics could not be read). */
  unavailable?: string[];
}

/**
 * A trail's forecast next to what its logs show: DynamoDB's metrics for the
 * tables its selectors capture in its home account-region, against the data
 * events per day found in the delivered logs there.
 */
export interface TrailForecastComparison {
  trailArn: string;
  accountId: string;
  region: string;
  /** Data events a day the metrics forecast for the captured tables. */
  forecastEventsPerDay: number;
  forecastMonthlyUsd: number;
  basis: string;
  /** The captured tables, busiest first. */
  perTable: TableCostForecast[];
  /** Data events a day in the delivered logs; absent before a refresh read any. */
  observedEventsPerDay?: number;
  observedMonthlyUsd?: number;
  /** The larger over the smaller; absent when either is zero or unknown. */
  ratio?: number;
  /** The two differ by more than twice (see `gapReason`). */
  gap: boolean;
  gapReason?: string;
  /** Why part of the forecast is missing (metrics or selectors not read). */
  unavailable?: string[];
}

export interface Plan {
  spec: LineageSpec;
  trailArn: string;
  bucketArn: string;
  /** Ordered as apply executes them; empty = converged. */
  changes: PlannedChange[];
  /** Things kept on purpose (a stricter setting, a shared trail's selectors). */
  notes: string[];
  /**
   * Why the plan cannot be applied as it is (e.g. a KMS key CloudTrail may not use);
   * apply refuses while any is present. Absent or empty = nothing blocks.
   */
  blockers?: string[];
  /** The key policy statement to add so CloudTrail may encrypt this trail's logs. */
  kmsPolicyStatement?: PolicyStatement;
  /** What the plan's capture would cost a month (POST /plan). */
  costForecast?: CostForecast;
  /**
   * With Athena forensics configured for the account: the CloudTrail table
   * over this trail's logs. Not an apply step: the forensics engine runs its
   * DDL on its first Athena query (the Terraform export declares the same table).
   */
  athenaTable?: PlannedAthenaTable;
}

/** The Athena CloudTrail table a plan's trail gets with Athena forensics. */
export interface PlannedAthenaTable {
  database: string;
  name: string;
  /** `s3://bucket/[prefix/]AWSLogs/ACCT/CloudTrail/` */
  location: string;
  /** Partition projection's storage.location.template. */
  locationTemplate: string;
  /** The `CREATE EXTERNAL TABLE IF NOT EXISTS` statement Athena runs. */
  ddl: string;
  /** When and by what the table is created. */
  note: string;
}

/* ------------------------------------------------------------------ */
/* REST API payloads                                                  */
/* ------------------------------------------------------------------ */

export interface TrailRef {
  arn: string;
  name: string;
  accountId: string;
  homeRegion: string;
  bucket: string;
}

export interface TrailHealth {
  trail: TrailRef;
  status: OverallStatus;
  checks: HealthCheckResult[];
  checkedAt: string;
  latestDeliveryTime?: string;
  /** Observed DynamoDB data events per day and the projected monthly cost. */
  volume?: {
    eventsPerDay: number;
    projectedMonthlyUsd: number;
    days: Record<string, number>;
    /** The events and time span the rate was scaled from. */
    sample?: DataEventSample;
  };
}

export interface AccountRegionStatus {
  accountId: string;
  region: string;
  /** The aws-account Resource entity, when the account comes from the catalog. */
  accountEntityRef?: string;
  status: OverallStatus;
  /** The best trail covering this account-region, if any. */
  coveringTrail?: TrailRef;
  checks: HealthCheckResult[];
  latestDeliveryTime?: string;
  /** Why the status is not healthy, in one line. */
  reason?: string;
  checkedAt?: string;
}

export interface TeamSummary {
  entityRef: string;
  title: string;
  status: OverallStatus;
  accountRegions: number;
  coveredAccountRegions: number;
  accounts: string[];
  regions: string[];
  latestDeliveryTime?: string;
  reason?: string;
  /**
   * The account-region the team's status and reason come from (its worst),
   * with its covering trail and how many of its checks did not pass: what a
   * pre-filled fix starts with. Absent when every account-region is healthy.
   */
  worstAccountRegion?: {
    accountId: string;
    region: string;
    coveringTrail?: TrailRef;
    /** The account-region's own reason, led by its region. */
    reason?: string;
    checkCounts: CheckCounts;
  };
}

/** How many checks ended in each status. */
export type CheckCounts = Record<CheckStatus, number>;

export interface TeamsOverview {
  teams: TeamSummary[];
  counts: Record<OverallStatus, number>;
  /** Share of account-regions with a healthy or degraded covering trail, 0..1. */
  coverage: number;
  refreshedAt?: string;
}

export interface TeamStatus {
  team: TeamSummary;
  accountRegions: AccountRegionStatus[];
}

export interface TableStatus {
  tableArn: string;
  covered: boolean;
  coveringTrail?: TrailRef;
  latestDeliveryTime?: string;
  status: OverallStatus;
}

export type EntityStatus =
  | { kind: 'team'; team: TeamStatus }
  | { kind: 'component'; status: OverallStatus; tables: TableStatus[] }
  | {
      kind: 'aws-account';
      accountId: string;
      status: OverallStatus;
      regions: AccountRegionStatus[];
    }
  | { kind: 'trail'; health: TrailHealth; history: TrailHistoryPoint[] }
  | { kind: 'unsupported'; reason: string };

export interface TrailHistoryPoint {
  checkedAt: string;
  status: OverallStatus;
  /** Minutes between the check and LatestDeliveryTime, if known. */
  deliveryAgeMinutes?: number;
}

export interface OwnedAccount {
  entityRef: string;
  accountId: string;
  title: string;
  regions: string[];
}

export interface PrincipalOperation {
  operation: string;
  kind: 'read' | 'write';
  count: number;
  lastSeen: string;
}

export interface PrincipalLineage {
  /** The role ARN for assumed roles (session issuer), else the identity ARN. */
  principal: string;
  principalType: string;
  reads: number;
  writes: number;
  errors: number;
  lastSeen: string;
  operations: PrincipalOperation[];
}

/**
 * One day of one principal's calls of one operation on one table, the unit the
 * lineage store keeps. `principal` is normalised: the role ARN for assumed-role
 * sessions, the user ARN for IAM users, the service name for AWS services.
 */
export interface DailyLineageEdge {
  accountId: string;
  region: string;
  tableArn: string;
  principal: string;
  /** CloudTrail's `userIdentity.type` (AssumedRole, IAMUser, AWSService, ...). */
  principalType: string;
  /** The account the principal belongs to, when its ARN names one. */
  principalAccountId?: string;
  /** CloudTrail `eventName`, e.g. PutItem. */
  operation: string;
  kind: 'read' | 'write';
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Successful calls. */
  calls: number;
  /** Calls that returned an error code. */
  errors: number;
  firstSeen: string;
  lastSeen: string;
}

export interface TableLineage {
  tableArn: string;
  from: string;
  to: string;
  principals: PrincipalLineage[];
  filesRead: number;
  bytesRead: number;
  /** True when the byte budget stopped the read before the window was covered. */
  truncated: boolean;
}
