import type {
  CheckId,
  CheckSeverity,
  CheckStatus,
  CoverageScope,
  FreshnessThresholds,
  HealthCheckResult,
  Probe,
  TrailEvidence,
} from '../types';

/** What every check is judged against besides the evidence. */
export interface CheckContext {
  /** The account-region (and optionally tables) the trail should cover. */
  scope: CoverageScope;
  thresholds: FreshnessThresholds;
  now: Date;
}

/** A health check: a pure function of the evidence. */
export type HealthCheck = (
  evidence: TrailEvidence,
  context: CheckContext,
) => HealthCheckResult;

export interface CheckDefinition {
  title: string;
  severity: CheckSeverity;
  controls: string[];
}

/**
 * Title, severity and anchor controls of every check. Severity drives the
 * status model: a critical or high failure makes the trail `failing`.
 */
export const CHECK_DEFINITIONS: Readonly<Record<CheckId, CheckDefinition>> = {
  'trail.logging': {
    title: 'Trail is logging',
    severity: 'critical',
    controls: ['CloudTrail.3', 'AWS Config cloudtrail-enabled'],
  },
  'trail.delivery': {
    title: 'Log files are delivered without error',
    severity: 'high',
    controls: [],
  },
  'trail.dynamodb-coverage': {
    title:
      'DynamoDB data events are captured (reads and writes, every table in scope)',
    severity: 'critical',
    controls: [],
  },
  'trail.multi-region': {
    title: 'Trail covers every region in scope',
    severity: 'medium',
    controls: [
      'CIS 3.1',
      'CloudTrail.1',
      'AWS Config multi-region-cloudtrail-enabled',
      'Prowler cloudtrail_multi_region_enabled',
    ],
  },
  'trail.log-file-validation': {
    title: 'Log file integrity validation is on',
    severity: 'medium',
    controls: [
      'CIS 3.2',
      'CloudTrail.4',
      'AWS Config cloud-trail-log-file-validation-enabled',
      'Prowler cloudtrail_log_file_validation_enabled',
    ],
  },
  'trail.kms': {
    title: 'Log files are encrypted with a KMS key',
    severity: 'medium',
    controls: [
      'CIS 3.5',
      'CloudTrail.2',
      'AWS Config cloud-trail-encryption-enabled',
      'Prowler cloudtrail_kms_encryption_enabled',
    ],
  },
  'trail.insights': {
    title: 'CloudTrail Insights (information only)',
    severity: 'info',
    controls: ['Prowler cloudtrail_insights_exist'],
  },
  'bucket.public-access': {
    title: 'Log bucket is not public',
    severity: 'high',
    controls: [
      'CloudTrail.6',
      'Prowler cloudtrail_logs_s3_bucket_is_not_publicly_accessible',
    ],
  },
  'bucket.policy': {
    title:
      'Bucket policy scopes CloudTrail writes to this trail and requires TLS',
    severity: 'high',
    controls: [
      'AWS CloudTrail bucket policy (aws:SourceArn, confused deputy prevention)',
      'S3.5',
      'Prowler s3_bucket_secure_transport_policy',
    ],
  },
  'bucket.lifecycle': {
    title: 'Log bucket has a lifecycle rule',
    severity: 'low',
    controls: ['Prowler s3_bucket_lifecycle_enabled'],
  },
  'bucket.versioning': {
    title: 'Log bucket versioning is on',
    severity: 'medium',
    controls: ['Prowler s3_bucket_object_versioning'],
  },
  'freshness.delivery': {
    title: 'CloudTrail delivered log files recently',
    severity: 'high',
    controls: [
      'AWS Config cloud-trail-cloud-watch-logs-enabled (expectedDeliveryWindowAge)',
    ],
  },
  'freshness.objects': {
    title: 'Recent log objects exist for this account-region',
    // The only evidence that this account-region (not just the trail) delivers.
    severity: 'high',
    controls: [],
  },
  'freshness.dynamodb-events': {
    title: 'Newest log files hold a recent DynamoDB data event',
    severity: 'medium',
    controls: [],
  },
};

/** The order `runChecks` returns results in. */
export const CHECK_ORDER: readonly CheckId[] = [
  'trail.logging',
  'trail.delivery',
  'trail.dynamodb-coverage',
  'trail.multi-region',
  'trail.log-file-validation',
  'trail.kms',
  'bucket.public-access',
  'bucket.policy',
  'bucket.lifecycle',
  'bucket.versioning',
  'trail.insights',
  'freshness.delivery',
  'freshness.objects',
  'freshness.dynamodb-events',
];

/** Builds a result with the check's title, severity and controls; drops remediation on pass. */
export function checkResult(
  id: CheckId,
  status: CheckStatus,
  evidence: string,
  remediation?: string,
): HealthCheckResult {
  const definition = CHECK_DEFINITIONS[id];
  return {
    id,
    title: definition.title,
    severity: definition.severity,
    status,
    evidence,
    ...(status !== 'pass' && remediation ? { remediation } : {}),
    controls: [...definition.controls],
  };
}

/** Why a probe has no value, in words; `undefined` when it has one. */
export function probeFailure(
  question: string,
  probe: Probe<unknown> | undefined,
): string | undefined {
  if (!probe) return `${question}: not inspected`;
  if (probe.ok) return undefined;
  return `${question}: AWS did not answer (${
    probe.code ? `${probe.code}: ` : ''
  }${probe.error})`;
}

/** An `unknown` result naming every unanswered question. */
export function unknownResult(
  id: CheckId,
  failures: string[],
  remediation = 'Grant the Backstage role the read permission named in the error, or retry when AWS answers; the check is re-run on the next refresh.',
): HealthCheckResult {
  return checkResult(
    id,
    'unknown',
    `Not evaluated. ${failures.join('; ')}.`,
    remediation,
  );
}

/** `aws` for commercial ARNs, `aws-cn`, `aws-us-gov`, … otherwise. */
export function arnPartition(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

/**
 * A CLI call that changes the trail: it must run in the trail's home region,
 * as the trail's owner (an organization trail seen from a member account is
 * changed from the account that owns it).
 */
export function trailCommand(
  evidence: TrailEvidence,
  subcommand: string,
  extraArguments = '',
): string {
  const { trail, observedFrom } = evidence.trail;
  const nameFlag =
    subcommand === 'put-event-selectors' ||
    subcommand === 'put-insight-selectors'
      ? '--trail-name'
      : '--name';
  const command = `aws cloudtrail ${subcommand} ${nameFlag} ${
    trail.name
  } --region ${trail.homeRegion}${extraArguments ? ` ${extraArguments}` : ''}`;
  const owner =
    observedFrom.accountId !== trail.accountId
      ? ` with credentials of account ${trail.accountId}, which owns the trail`
      : '';
  return `\`${command}\`${owner}`;
}
