import type { CheckSeverity, HealthCheckResult, TrailEvidence } from '../types';
import {
  judgeBucketLifecycle,
  judgeBucketPolicy,
  judgeBucketPublicAccess,
  judgeBucketVersioning,
} from './bucketChecks';
import { judgeCanary } from './canaryCheck';
import { judgeDynamoDbCoverage } from './coverageCheck';
import { judgeDuplicateCapture } from './duplicateCaptureCheck';
import { judgeLogIntegrity } from './integrityCheck';
import {
  judgeDeliveryFreshness,
  judgeDynamoDbEventsFlowing,
  judgeObjectFreshness,
} from './freshnessChecks';
import { CheckContext, CheckVerdict, EvidenceJudge, verdict } from './judging';
import {
  judgeInsights,
  judgeKms,
  judgeLogFileValidation,
  judgeMultiRegion,
  judgeTrailDelivery,
  judgeTrailLogging,
} from './trailChecks';

/** Everything there is to know about one health check. */
export interface CheckDefinition {
  /** Stable identifier, stored with every result and used by the REST API. */
  id: string;
  title: string;
  /** Drives the status model: a critical or high failure makes the trail `failing`. */
  severity: CheckSeverity;
  /** Controls auditors know, e.g. `CIS 3.2`, `CloudTrail.4`. */
  controls: readonly string[];
  /** The problem in a few words when the check does not pass: a status line's headline. */
  problem: string;
  /** Judges the evidence: status, what was observed and how to fix it. */
  judge: EvidenceJudge;
  /**
   * A check of an optional feature: `unknown` (the feature is off, or its
   * evidence could not be read) never makes the trail unknown.
   */
  optional?: boolean;
}

/**
 * Every health check, in the order results are shown. This list is the one
 * place a check is defined: its id type, order and lookups derive from it.
 */
export const HEALTH_CHECKS = [
  {
    id: 'trail.logging',
    title: 'Trail is logging',
    severity: 'critical',
    controls: ['CloudTrail.3', 'AWS Config cloudtrail-enabled'],
    problem: 'Trail is not logging',
    judge: judgeTrailLogging,
  },
  {
    id: 'trail.delivery',
    title: 'Log files are delivered without error',
    severity: 'high',
    controls: [],
    problem: 'Log file delivery fails',
    judge: judgeTrailDelivery,
  },
  {
    id: 'trail.dynamodb-coverage',
    title:
      'DynamoDB data events are captured (reads and writes, every table in scope)',
    severity: 'critical',
    controls: [],
    problem: 'DynamoDB data events are not captured',
    judge: judgeDynamoDbCoverage,
  },
  {
    id: 'trail.duplicate-capture',
    title: 'No other trail captures the same DynamoDB data events',
    // Every capture bills the same events again: cost, not lost evidence.
    severity: 'low',
    controls: [],
    problem: 'Another trail captures the same DynamoDB data events',
    judge: judgeDuplicateCapture,
    optional: true,
  },
  {
    id: 'trail.multi-region',
    title: 'Trail covers every region in scope',
    severity: 'medium',
    controls: [
      'CIS 3.1',
      'CloudTrail.1',
      'AWS Config multi-region-cloudtrail-enabled',
      'Prowler cloudtrail_multi_region_enabled',
    ],
    problem: 'Trail does not cover every region in scope',
    judge: judgeMultiRegion,
  },
  {
    id: 'trail.log-file-validation',
    title: 'Log file integrity validation is on',
    severity: 'medium',
    controls: [
      'CIS 3.2',
      'CloudTrail.4',
      'AWS Config cloud-trail-log-file-validation-enabled',
      'Prowler cloudtrail_log_file_validation_enabled',
    ],
    problem: 'Log file integrity validation is off',
    judge: judgeLogFileValidation,
  },
  {
    id: 'trail.log-integrity',
    title:
      'Delivered log files are intact (digest chain of the last hours verified)',
    severity: 'high',
    // The enablement controls (CIS 3.2, CloudTrail.4) belong to trail.log-file-validation.
    controls: ['NIST SP 800-53 AU-9(3)', 'PCI DSS 10.3.4'],
    problem: 'Log files or digest files were changed or deleted',
    judge: judgeLogIntegrity,
  },
  {
    id: 'trail.kms',
    title: 'Log files are encrypted with a KMS key',
    severity: 'medium',
    controls: [
      'CIS 3.5',
      'CloudTrail.2',
      'AWS Config cloud-trail-encryption-enabled',
      'Prowler cloudtrail_kms_encryption_enabled',
    ],
    problem: 'Log files are not encrypted with a KMS key',
    judge: judgeKms,
  },
  {
    id: 'bucket.public-access',
    title: 'Log bucket is not public',
    severity: 'high',
    controls: [
      'CloudTrail.6',
      'Prowler cloudtrail_logs_s3_bucket_is_not_publicly_accessible',
    ],
    problem: 'Log bucket may be public',
    judge: judgeBucketPublicAccess,
  },
  {
    id: 'bucket.policy',
    title:
      'Bucket policy scopes CloudTrail writes to this trail and requires TLS',
    severity: 'high',
    controls: [
      'AWS CloudTrail bucket policy (aws:SourceArn, confused deputy prevention)',
      'S3.5',
      'Prowler s3_bucket_secure_transport_policy',
    ],
    problem:
      'Bucket policy does not scope CloudTrail writes to this trail or require TLS',
    judge: judgeBucketPolicy,
  },
  {
    id: 'bucket.lifecycle',
    title: 'Log bucket has a lifecycle rule',
    severity: 'low',
    controls: ['Prowler s3_bucket_lifecycle_enabled'],
    problem: 'Log bucket has no lifecycle rule',
    judge: judgeBucketLifecycle,
  },
  {
    id: 'bucket.versioning',
    title: 'Log bucket versioning is on',
    severity: 'medium',
    controls: ['Prowler s3_bucket_object_versioning'],
    problem: 'Log bucket versioning is off',
    judge: judgeBucketVersioning,
  },
  {
    id: 'trail.insights',
    title: 'CloudTrail Insights (information only)',
    severity: 'info',
    controls: ['Prowler cloudtrail_insights_exist'],
    problem: 'CloudTrail Insights is off',
    judge: judgeInsights,
  },
  {
    id: 'freshness.delivery',
    title: 'CloudTrail delivered log files recently',
    severity: 'high',
    controls: [
      'AWS Config cloud-trail-cloud-watch-logs-enabled (expectedDeliveryWindowAge)',
    ],
    problem: 'No log files delivered recently',
    judge: judgeDeliveryFreshness,
  },
  {
    id: 'freshness.objects',
    title: 'Recent log objects exist for this account-region',
    // The only evidence that this account-region (not just the trail) delivers.
    severity: 'high',
    controls: [],
    problem: 'No recent log objects for this account-region',
    judge: judgeObjectFreshness,
  },
  {
    id: 'freshness.dynamodb-events',
    title: 'Newest log files hold a recent DynamoDB data event',
    severity: 'medium',
    controls: [],
    problem: 'No recent DynamoDB data event in the logs',
    judge: judgeDynamoDbEventsFlowing,
  },
  {
    id: 'trail.canary',
    title: "The canary call appears in the trail's delivered logs",
    // Proof that capture works: a lost canary means lost DynamoDB events.
    severity: 'high',
    controls: [],
    problem: 'The canary call never arrived in the logs',
    judge: judgeCanary,
    optional: true,
  },
] as const satisfies readonly CheckDefinition[];

/** A check's identifier, e.g. `trail.logging`. */
export type CheckId = (typeof HEALTH_CHECKS)[number]['id'];

/** The order `runChecks` returns results in. */
export const CHECK_ORDER: readonly CheckId[] = HEALTH_CHECKS.map(c => c.id);

/** Every check's definition by id. */
export const CHECK_DEFINITIONS: Readonly<
  Record<CheckId, CheckDefinition & { id: CheckId }>
> = HEALTH_CHECKS.reduce(
  (byId, definition) => ({ ...byId, [definition.id]: definition }),
  {} as Record<CheckId, CheckDefinition & { id: CheckId }>,
);

/** Whether `id` names a check (e.g. a stored or requested id). */
export function isCheckId(id: string): id is CheckId {
  return Object.prototype.hasOwnProperty.call(CHECK_DEFINITIONS, id);
}

/** A verdict with its check's id, title, severity and controls; remediation dropped on pass. */
export function checkResult(
  id: CheckId,
  judged: CheckVerdict,
): HealthCheckResult {
  const definition = CHECK_DEFINITIONS[id];
  return {
    id,
    title: definition.title,
    severity: definition.severity,
    status: judged.status,
    evidence: judged.evidence,
    ...(judged.details?.length ? { details: judged.details } : {}),
    ...(judged.status !== 'pass' && judged.remediation
      ? { remediation: judged.remediation }
      : {}),
    controls: [...definition.controls],
  };
}

/**
 * Judges one trail's evidence with one check. A check that throws on
 * malformed evidence reports `unknown` instead of failing its caller.
 */
export function runCheck(
  id: CheckId,
  evidence: TrailEvidence,
  context: CheckContext,
): HealthCheckResult {
  try {
    return checkResult(id, CHECK_DEFINITIONS[id].judge(evidence, context));
  } catch (error) {
    return checkResult(
      id,
      verdict(
        'unknown',
        `Not evaluated: the evidence could not be read (${
          error instanceof Error ? error.message : String(error)
        }).`,
      ),
    );
  }
}
