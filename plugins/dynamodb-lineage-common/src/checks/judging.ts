import type {
  CheckStatus,
  CoverageScope,
  FreshnessThresholds,
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

/**
 * What a check concludes from the evidence; the check's definition adds its
 * id, title, severity and controls to make a {@link HealthCheckResult}.
 */
export interface CheckVerdict {
  status: CheckStatus;
  /** What was observed, in words a reviewer can verify. */
  evidence: string;
  /** How to fix it; dropped when the status is `pass`. */
  remediation?: string;
}

/** Judges one trail's evidence for one check. */
export type EvidenceJudge = (
  evidence: TrailEvidence,
  context: CheckContext,
) => CheckVerdict;

export function verdict(
  status: CheckStatus,
  evidence: string,
  remediation?: string,
): CheckVerdict {
  return { status, evidence, ...(remediation ? { remediation } : {}) };
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

/** An `unknown` verdict naming every unanswered question. */
export function unknownVerdict(
  failures: string[],
  remediation = 'Grant the Backstage role the read permission named in the error, or retry when AWS answers; the check is re-run on the next refresh.',
): CheckVerdict {
  return verdict(
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
