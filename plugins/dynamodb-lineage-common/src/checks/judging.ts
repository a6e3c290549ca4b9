import type {
  CheckDetail,
  CheckStatus,
  CoverageScope,
  FreshnessThresholds,
  Probe,
  Remediation,
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
  /** What was observed, in plain words. */
  evidence: string;
  /** The raw values behind the evidence. */
  details?: CheckDetail[];
  /** How to fix it; dropped when the status is `pass`. */
  remediation?: Remediation;
}

/** Judges one trail's evidence for one check. */
export type EvidenceJudge = (
  evidence: TrailEvidence,
  context: CheckContext,
) => CheckVerdict;

export function verdict(
  status: CheckStatus,
  evidence: string,
  options: { details?: CheckDetail[]; remediation?: Remediation } = {},
): CheckVerdict {
  return {
    status,
    evidence,
    ...(options.details?.length ? { details: options.details } : {}),
    ...(options.remediation ? { remediation: options.remediation } : {}),
  };
}

/** A remediation; empty `commands` are left out. */
export function fix(
  text: string,
  commands: string[] = [],
  policy?: unknown,
): Remediation {
  return {
    text,
    ...(commands.length ? { commands } : {}),
    ...(policy !== undefined
      ? { policy: JSON.stringify(policy, null, 2) }
      : {}),
  };
}

/** Details without the values that are absent. */
export function details(
  entries: [label: string, value: string | number | boolean | undefined][],
): CheckDetail[] {
  return entries
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([label, value]) => ({ label, value: String(value) }));
}

/** A question AWS did not answer, or evidence that was not gathered. */
export interface Unanswered {
  /** What could not be read, in plain words, e.g. `the trail's status`. */
  what: string;
  /** The AWS call that was refused, e.g. `cloudtrail:GetTrailStatus`. */
  call?: string;
  /** AWS's error code, e.g. `AccessDenied`. */
  code?: string;
  /** AWS's error message. */
  error?: string;
  /** A value AWS gave that is not what it should be, e.g. a time that is not a time. */
  unreadable?: string;
}

/** Why a probe has no value; `undefined` when it has one. */
export function probeFailure(
  what: string,
  call: string,
  probe: Probe<unknown> | undefined,
): Unanswered | undefined {
  if (!probe) return { what };
  if (probe.ok) return undefined;
  return {
    what,
    call,
    ...(probe.code ? { code: probe.code } : {}),
    error: probe.error,
  };
}

/** `AccessDenied: User is not authorized…`, as AWS answered. */
export function describeError(failure: Unanswered): string {
  return `${failure.code ? `${failure.code}: ` : ''}${failure.error ?? ''}`;
}

function describeUnanswered(failure: Unanswered): string {
  if (failure.unreadable !== undefined) {
    return `${failure.what} cannot be read ("${failure.unreadable}")`;
  }
  if (!failure.call) return `${failure.what} was not inspected`;
  return `AWS did not show ${failure.what}${
    failure.code ? ` (${failure.code})` : ''
  }`;
}

/** An `unknown` verdict naming every unanswered question; the refused calls and errors go to the details. */
export function unknownVerdict(
  failures: Unanswered[],
  remediation?: Remediation,
): CheckVerdict {
  const calls = failures.filter(f => f.call);
  return verdict(
    'unknown',
    `Not checked: ${failures.map(describeUnanswered).join('; ')}.`,
    {
      details: calls.flatMap(f => [
        { label: 'Permission needed', value: f.call! },
        { label: 'AWS error', value: describeError(f) },
      ]),
      remediation:
        remediation ??
        fix(
          calls.length
            ? `Allow the Backstage role to call ${calls
                .map(f => f.call)
                .join(
                  ', ',
                )}, or wait until AWS answers again; the check runs again on the next refresh.`
            : 'The check runs again on the next refresh.',
        ),
    },
  );
}

/** `aws` for commercial ARNs, `aws-cn`, `aws-us-gov`, … otherwise. */
export function arnPartition(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

/**
 * A CLI call that changes the trail: it runs in the trail's home region, as
 * the trail's owner (an organization trail seen from a member account is
 * changed from the account that owns it).
 */
export function trailCommand(
  evidence: TrailEvidence,
  subcommand: string,
  extraArguments = '',
): string {
  const { trail } = evidence.trail;
  // The selector calls name the trail with --trail-name, the others with --name.
  const nameFlag = /-(event|insight)-selectors$/.test(subcommand)
    ? '--trail-name'
    : '--name';
  return `aws cloudtrail ${subcommand} ${nameFlag} ${trail.name} --region ${
    trail.homeRegion
  }${extraArguments ? ` ${extraArguments}` : ''}`;
}

/**
 * Who runs the trail's commands, as a sentence to end a remediation with:
 * empty for the account looked at, the owner's account for an organization
 * trail seen from a member account.
 */
export function trailOwnerNote(evidence: TrailEvidence): string {
  const { trail, observedFrom } = evidence.trail;
  return observedFrom.accountId !== trail.accountId
    ? ` Run it with credentials of account ${trail.accountId}, which owns the trail.`
    : '';
}
