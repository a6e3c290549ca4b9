/**
 * The status model: trail → account-region → team → overview.
 *
 * Trail status, from its checks — the first rule that applies wins:
 *  1. `failing`  — a critical or high check fails.
 *  2. `unknown`  — a critical check is unknown: whether lineage works at all
 *                  cannot be told, so a lesser finding must not pass for the
 *                  headline.
 *  3. `degraded` — any other check fails, or any check warns.
 *  4. `unknown`  — any other check above `info` is unknown: nothing is called
 *                  healthy that was not checked.
 *  5. `healthy`.
 * `info` checks never change the status, nor does an optional check (the
 * canary) that is `unknown`: the feature is off or could not be read.
 *
 * Account-region status: the best trail that reaches it —
 *   healthy > degraded > unknown > failing; ties go to the most recent
 *   delivery. No trail → `not-enabled`.
 * Team status: the worst of its account-regions —
 *   failing > not-enabled > unknown > degraded > healthy (worst first). A team
 *   without account-regions is `not-enabled`.
 * Covered = healthy or degraded (logs arrive, perhaps imperfectly).
 */
import type {
  AccountRegionStatus,
  CheckCounts,
  CheckSeverity,
  CheckStatus,
  HealthCheckResult,
  OverallStatus,
  TeamSummary,
  TeamsOverview,
  TrailRef,
} from './types';
import { CHECK_DEFINITIONS } from './checks/definitions';

export const OVERALL_STATUSES: readonly OverallStatus[] = [
  'healthy',
  'degraded',
  'failing',
  'unknown',
  'not-enabled',
  'pending',
];

/** Best first: used to pick the trail that covers an account-region. */
const BEST_FIRST: readonly OverallStatus[] = [
  'healthy',
  'degraded',
  'pending',
  'unknown',
  'failing',
  'not-enabled',
];

/** Worst first: used to judge a team by its weakest account-region. */
const WORST_FIRST: readonly OverallStatus[] = [
  'failing',
  'not-enabled',
  'unknown',
  'pending',
  'degraded',
  'healthy',
];

export interface StatusVerdict {
  status: OverallStatus;
  /**
   * One short line: what is wrong and where (account, region, trail, the
   * problem of the worst check). The evidence stays with the checks.
   */
  reason: string;
}

export function worstStatus(
  statuses: OverallStatus[],
): OverallStatus | undefined {
  return WORST_FIRST.find(s => statuses.includes(s));
}

/** Healthy or degraded: a working trail delivers DynamoDB events. */
export function isCoveredStatus(status: OverallStatus): boolean {
  return status === 'healthy' || status === 'degraded';
}

const MAX_REASON = 240;

/** Between the parts of a reason: account, region, trail and finding. */
const SEPARATOR = ' · ';

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
}

/** The title without its parenthesised fine print. */
function shortTitle(check: HealthCheckResult): string {
  return check.title.replace(/\s*\([^)]*\)\s*$/, '');
}

/** A check in a few words: the problem it found, or that it could not tell. */
export function checkHeadline(check: HealthCheckResult): string {
  if (check.status === 'unknown') return `Not checked: ${shortTitle(check)}`;
  if (check.status === 'pass') return shortTitle(check);
  return CHECK_DEFINITIONS[check.id]?.problem ?? shortTitle(check);
}

/**
 * The worst culprit's headline alone: how many other checks did not pass is
 * told once, by `countChecks`, in the same words wherever it is shown.
 */
function because(culprits: HealthCheckResult[]): string {
  return oneLine(checkHeadline(culprits[0]));
}

const SEVERITY_RANK: Record<CheckSeverity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

function bySeverity(checks: HealthCheckResult[]): HealthCheckResult[] {
  return [...checks].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
  );
}

/** A trail's status from its check results (rules in the file comment). */
function isOptionalCheck(id: string): boolean {
  const definition = CHECK_DEFINITIONS[id as keyof typeof CHECK_DEFINITIONS];
  return Boolean(definition && 'optional' in definition && definition.optional);
}

export function deriveTrailStatus(
  checks: HealthCheckResult[],
  pending?: PendingFirstDelivery,
): StatusVerdict {
  const judged = checks.filter(
    c =>
      c.severity !== 'info' &&
      !(c.status === 'unknown' && isOptionalCheck(c.id)),
  );
  const seriousFailures = judged.filter(
    c =>
      c.status === 'fail' &&
      (c.severity === 'critical' || c.severity === 'high'),
  );
  // Before its first delivery a trail's freshness cannot pass yet; anything else still counts.
  if (
    pending &&
    !seriousFailures.some(c => !c.id.startsWith('freshness.')) &&
    !judged.some(c => c.status === 'unknown' && c.severity === 'critical')
  ) {
    return {
      status: 'pending',
      reason: `Waiting for the first delivery, created ${pending.minutesAgo} min ago`,
    };
  }
  if (seriousFailures.length) {
    return {
      status: 'failing',
      reason: because(bySeverity(seriousFailures)),
    };
  }
  const criticalUnknown = judged.filter(
    c => c.status === 'unknown' && c.severity === 'critical',
  );
  if (criticalUnknown.length) {
    return {
      status: 'unknown',
      reason: because(criticalUnknown),
    };
  }
  const findings = judged.filter(
    c => c.status === 'fail' || c.status === 'warn',
  );
  if (findings.length) {
    const fails = findings.filter(c => c.status === 'fail');
    const ordered = [
      ...bySeverity(fails),
      ...bySeverity(findings.filter(c => c.status === 'warn')),
    ];
    return { status: 'degraded', reason: because(ordered) };
  }
  const unknown = judged.filter(c => c.status === 'unknown');
  if (unknown.length) {
    return {
      status: 'unknown',
      reason: because(bySeverity(unknown)),
    };
  }
  return {
    status: 'healthy',
    reason: judged.length
      ? `all ${judged.length} checks pass`
      : 'no checks were run',
  };
}

/** A logging trail that has not delivered yet, inside its first delivery window. */
export interface PendingFirstDelivery {
  /** Whole minutes since logging started. */
  minutesAgo: number;
}

/**
 * Whether a trail waits for its first delivery: it logs, has never delivered,
 * and started logging less than `windowMinutes` before `now`.
 */
export function pendingFirstDelivery(
  status: {
    isLogging: boolean;
    latestDeliveryTime?: string;
    startLoggingTime?: string;
  },
  now: Date,
  windowMinutes: number,
): PendingFirstDelivery | undefined {
  if (
    !status.isLogging ||
    status.latestDeliveryTime ||
    !status.startLoggingTime
  ) {
    return undefined;
  }
  const started = Date.parse(status.startLoggingTime);
  if (Number.isNaN(started)) return undefined;
  const minutes = Math.max(0, (now.getTime() - started) / 60_000);
  return minutes < windowMinutes
    ? { minutesAgo: Math.floor(minutes) }
    : undefined;
}

/** What is known about one trail that reaches an account-region. */
export interface TrailCandidate {
  trail: TrailRef;
  status: OverallStatus;
  reason?: string;
  latestDeliveryTime?: string;
}

function deliveredAt(candidate: TrailCandidate): number {
  const time = candidate.latestDeliveryTime
    ? Date.parse(candidate.latestDeliveryTime)
    : NaN;
  return Number.isNaN(time) ? -Infinity : time;
}

/** Best first, by status rank, then most recent delivery, then ARN (stable). */
export function rankTrailCandidates<T extends TrailCandidate>(
  candidates: T[],
): T[] {
  return [...candidates].sort(
    (a, b) =>
      BEST_FIRST.indexOf(a.status) - BEST_FIRST.indexOf(b.status) ||
      deliveredAt(b) - deliveredAt(a) ||
      a.trail.arn.localeCompare(b.trail.arn),
  );
}

/**
 * An account-region's status: that of the best trail reaching it. Pass only
 * trails that reach it (see `trailReachesAccountRegion`), judged with this
 * account-region as their scope.
 */
export function deriveAccountRegionStatus<T extends TrailCandidate>(
  // The reason leaves the account to whoever shows it (a team names it, an
  // account page need not): kept so callers pass the whole identity.
  _accountId: string,
  region: string,
  candidates: T[],
): StatusVerdict & { best?: T } {
  const [best] = rankTrailCandidates(candidates);
  if (!best) {
    return {
      status: 'not-enabled',
      reason: `${region}${SEPARATOR}no CloudTrail trail logs this account`,
    };
  }
  const others = candidates.length > 1 ? ` (best of ${candidates.length})` : '';
  return {
    status: best.status,
    reason: oneLine(
      `${region}${SEPARATOR}trail ${best.trail.name}${others}: ${
        best.reason ?? best.status
      }`,
    ),
    best,
  };
}

/**
 * An account-region's reason led by its account and region, the region named
 * once: reasons from `deriveAccountRegionStatus` already start with it, ones
 * stored by others may not.
 */
export function accountRegionReason(
  accountId: string,
  region: string,
  reason: string,
): string {
  const withRegion = reason.startsWith(`${region}${SEPARATOR}`)
    ? reason
    : `${region}${SEPARATOR}${reason}`;
  return `${accountId}${SEPARATOR}${withRegion}`;
}

type AccountRegionVerdict = Pick<
  AccountRegionStatus,
  'accountId' | 'region' | 'status' | 'reason'
>;

/** A team's status: that of its worst account-region. */
export function deriveTeamStatus(
  accountRegions: AccountRegionVerdict[],
): StatusVerdict {
  const worst = worstStatus(accountRegions.map(a => a.status));
  if (!worst) {
    return {
      status: 'not-enabled',
      reason:
        'the team owns no AWS account-region with DynamoDB tables in the catalog',
    };
  }
  if (worst === 'healthy') {
    return {
      status: 'healthy',
      reason: `all ${accountRegions.length} account-region(s) are healthy`,
    };
  }
  const culprits = accountRegions.filter(a => a.status === worst);
  const [first] = culprits;
  const more =
    culprits.length > 1
      ? ` (+${culprits.length - 1} more ${worst} account-region${
          culprits.length > 2 ? 's' : ''
        })`
      : '';
  return {
    status: worst,
    reason: oneLine(
      `${accountRegionReason(
        first.accountId,
        first.region,
        first.reason ?? worst,
      )}${more}`,
    ),
  };
}

export function countStatuses(
  statuses: OverallStatus[],
): Record<OverallStatus, number> {
  const counts = Object.fromEntries(
    OVERALL_STATUSES.map(s => [s, 0]),
  ) as Record<OverallStatus, number>;
  statuses.forEach(s => {
    counts[s] += 1;
  });
  return counts;
}

function latest(times: (string | undefined)[]): string | undefined {
  return times
    .filter((t): t is string => Boolean(t) && !Number.isNaN(Date.parse(t!)))
    .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

/** How many checks ended in each status. */
export function countChecks(checks: { status: CheckStatus }[]): CheckCounts {
  const counts: CheckCounts = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  checks.forEach(c => {
    counts[c.status] += 1;
  });
  return counts;
}

/**
 * An account-region's reason without the region it starts with, for a place
 * that already shows the region.
 */
export function reasonWithoutRegion(reason: string, region: string): string {
  const prefix = `${region}${SEPARATOR}`;
  return reason.startsWith(prefix) ? reason.slice(prefix.length) : reason;
}

/** A team's overview line from its account-regions. */
export function summarizeTeam(
  entityRef: string,
  title: string,
  accountRegions: AccountRegionStatus[],
): TeamSummary {
  const { status, reason } = deriveTeamStatus(accountRegions);
  const worst =
    status === 'healthy'
      ? undefined
      : accountRegions.find(a => a.status === status);
  return {
    entityRef,
    title,
    status,
    accountRegions: accountRegions.length,
    coveredAccountRegions: accountRegions.filter(a => isCoveredStatus(a.status))
      .length,
    accounts: [...new Set(accountRegions.map(a => a.accountId))].sort(),
    regions: [...new Set(accountRegions.map(a => a.region))].sort(),
    latestDeliveryTime: latest(accountRegions.map(a => a.latestDeliveryTime)),
    reason,
    ...(worst
      ? {
          worstAccountRegion: {
            accountId: worst.accountId,
            region: worst.region,
            ...(worst.coveringTrail
              ? { coveringTrail: worst.coveringTrail }
              : {}),
            ...(worst.reason ? { reason: worst.reason } : {}),
            checkCounts: countChecks(worst.checks),
          },
        }
      : {}),
  };
}

/** Counts per status and the share of covered account-regions over all teams. */
export function buildTeamsOverview(
  teams: TeamSummary[],
  refreshedAt?: string,
): TeamsOverview {
  const total = teams.reduce((sum, t) => sum + t.accountRegions, 0);
  const covered = teams.reduce((sum, t) => sum + t.coveredAccountRegions, 0);
  return {
    teams,
    counts: countStatuses(teams.map(t => t.status)),
    coverage: total ? covered / total : 0,
    ...(refreshedAt ? { refreshedAt } : {}),
  };
}
