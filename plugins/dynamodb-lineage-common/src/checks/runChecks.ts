import {
  CheckId,
  CoverageScope,
  DEFAULT_FRESHNESS,
  FreshnessThresholds,
  HealthCheckResult,
  TrailEvidence,
} from '../types';
import {
  checkBucketLifecycle,
  checkBucketPolicy,
  checkBucketPublicAccess,
  checkBucketVersioning,
} from './bucketChecks';
import { checkDynamoDbCoverage } from './coverageCheck';
import { CHECK_ORDER, HealthCheck, checkResult } from './definitions';
import {
  checkDeliveryFreshness,
  checkDynamoDbEventsFlowing,
  checkObjectFreshness,
} from './freshnessChecks';
import {
  checkInsights,
  checkKms,
  checkLogFileValidation,
  checkMultiRegion,
  checkTrailDelivery,
  checkTrailLogging,
} from './trailChecks';

/** Every check by id. */
export const HEALTH_CHECKS: Readonly<Record<CheckId, HealthCheck>> = {
  'trail.logging': checkTrailLogging,
  'trail.delivery': checkTrailDelivery,
  'trail.dynamodb-coverage': checkDynamoDbCoverage,
  'trail.multi-region': checkMultiRegion,
  'trail.log-file-validation': checkLogFileValidation,
  'trail.kms': checkKms,
  'bucket.public-access': checkBucketPublicAccess,
  'bucket.policy': checkBucketPolicy,
  'bucket.lifecycle': checkBucketLifecycle,
  'bucket.versioning': checkBucketVersioning,
  'trail.insights': checkInsights,
  'freshness.delivery': checkDeliveryFreshness,
  'freshness.objects': checkObjectFreshness,
  'freshness.dynamodb-events': checkDynamoDbEventsFlowing,
};

export interface RunChecksOptions {
  scope: CoverageScope;
  /** Defaults to {@link DEFAULT_FRESHNESS}. */
  thresholds?: FreshnessThresholds;
  now: Date;
}

/**
 * Judges one trail's evidence with every check, in {@link CHECK_ORDER}. A
 * check that throws on malformed evidence reports `unknown` instead of
 * taking the others down.
 */
export function runChecks(
  evidence: TrailEvidence,
  options: RunChecksOptions,
): HealthCheckResult[] {
  const context = {
    scope: options.scope,
    thresholds: options.thresholds ?? DEFAULT_FRESHNESS,
    now: options.now,
  };
  return CHECK_ORDER.map(id => {
    try {
      return HEALTH_CHECKS[id](evidence, context);
    } catch (error) {
      return checkResult(
        id,
        'unknown',
        `Not evaluated: the evidence could not be read (${
          error instanceof Error ? error.message : String(error)
        }).`,
      );
    }
  });
}
