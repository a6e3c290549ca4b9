import {
  countChecks,
  type CheckCounts,
  type HealthCheckResult,
} from '@lineage/plugin-dynamodb-lineage-common';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
const STATUS_ORDER = ['fail', 'unknown', 'warn', 'pass'];

/** Worst first, so the reader meets what to fix before what passes. */
export function byUrgency(a: HealthCheckResult, b: HealthCheckResult): number {
  return (
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity)
  );
}

export function compareSeverity(
  a: HealthCheckResult,
  b: HealthCheckResult,
): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity)
  );
}

export function compareCheckStatus(
  a: HealthCheckResult,
  b: HealthCheckResult,
): number {
  return STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status);
}

/** Checks that did not pass, worst first. */
export function findingsOf(checks: HealthCheckResult[]): HealthCheckResult[] {
  return checks.filter(c => c.status !== 'pass').sort(byUrgency);
}

/**
 * "2 failing · 1 warning · 1 unknown", or undefined when every check passes.
 * The one wording of check counts, on the overview and on every card.
 */
export function findingCounts(
  checks: HealthCheckResult[] | CheckCounts,
): string | undefined {
  const counts = Array.isArray(checks) ? countChecks(checks) : checks;
  const parts: string[] = [];
  if (counts.fail) parts.push(`${counts.fail} failing`);
  if (counts.warn)
    parts.push(`${counts.warn} ${counts.warn === 1 ? 'warning' : 'warnings'}`);
  if (counts.unknown) parts.push(`${counts.unknown} unknown`);
  return parts.length ? parts.join(' · ') : undefined;
}

/**
 * "1 of 2 account-regions covered": a team's coverage, in the same words on
 * the overview and on the team's card.
 */
export function coverageText(covered: number, total: number): string {
  return `${covered} of ${total} account-regions covered`;
}
