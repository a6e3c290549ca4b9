import {
  CoverageScope,
  DEFAULT_FRESHNESS,
  FreshnessThresholds,
  HealthCheckResult,
  TrailEvidence,
} from '../types';
import { CHECK_ORDER, runCheck } from './definitions';

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
  return CHECK_ORDER.map(id => runCheck(id, evidence, context));
}
