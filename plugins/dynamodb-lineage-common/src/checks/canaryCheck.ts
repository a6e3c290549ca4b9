import { CANARY_KEY_ATTRIBUTE, CANARY_TABLE_NAME, CanaryCall } from '../canary';
import type { TrailEvidence } from '../types';
import { ageInMinutes, describeWhen, formatMinutes } from './age';
import {
  CheckContext,
  CheckVerdict,
  details,
  fix,
  probeFailure,
  trailCommand,
  trailOwnerNote,
  unknownVerdict,
  verdict,
} from './judging';

/** The value below which `share` of the sorted values lie (nearest rank). */
function percentile(sorted: number[], share: number): number {
  const rank = Math.max(1, Math.ceil(share * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

function latencyMinutes(call: CanaryCall): number | undefined {
  if (!call.eventTime || !call.deliveredAt) return undefined;
  const ms = Date.parse(call.deliveredAt) - Date.parse(call.eventTime);
  return Number.isFinite(ms) ? Math.max(0, ms / 60_000) : undefined;
}

/** Capture latency (event → delivery) over the calls that arrived, in words. */
export function describeCanaryLatency(calls: CanaryCall[]): string | undefined {
  const latencies = calls
    .map(latencyMinutes)
    .filter((m): m is number => m !== undefined)
    .sort((a, b) => a - b);
  if (!latencies.length) return undefined;
  return `capture latency (event → delivery) p50 ${formatMinutes(
    percentile(latencies, 0.5),
  )}, p95 ${formatMinutes(percentile(latencies, 0.95))} over ${
    latencies.length
  } canary call(s) of the last day`;
}

/**
 * The newest canary call of the account-region found in this trail's logs,
 * when it proves capture: made since the trail started logging.
 */
export function provenCanary(evidence: TrailEvidence): CanaryCall | undefined {
  const probe = evidence.canary;
  if (!probe?.ok || !probe.value.enabled) return undefined;
  return callsSinceLogging(evidence, probe.value.calls).find(c => c.eventTime);
}

/** Calls made before the trail started logging prove nothing about it. */
function callsSinceLogging(
  evidence: TrailEvidence,
  calls: CanaryCall[],
): CanaryCall[] {
  const status = evidence.trail.status;
  const started = status.ok ? status.value.startLoggingTime : undefined;
  const startedMs = started ? Date.parse(started) : NaN;
  if (Number.isNaN(startedMs)) return calls;
  return calls.filter(c => Date.parse(c.calledAt) >= startedMs);
}

/**
 * trail.canary — the backend's own GetItem on the account-region's canary
 * table appears in this trail's delivered logs: proof that DynamoDB data
 * events are captured, with how long capture takes. A call older than the
 * fail threshold that never arrived fails. Until a call arrives or is overdue,
 * and without a canary table, the check cannot tell (`unknown`), which never
 * makes the trail unknown: the canary is optional.
 */
export function judgeCanary(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const probe = evidence.canary;
  const failure = probeFailure('the canary call', 'dynamodb:GetItem', probe);
  if (failure || !probe || !probe.ok) return unknownVerdict([failure!]);
  const { accountId, region } = context.scope;
  const { tableArn, enabled, callError, calls } = probe.value;
  const trailName = evidence.trail.trail.name;
  const when = (timestamp: string) =>
    describeWhen(timestamp, context.now) ?? timestamp;
  if (!enabled) {
    return verdict(
      'unknown',
      `The canary is off: ${accountId}/${region} has no ${CANARY_TABLE_NAME} table, so no call of our own proves capture.`,
      {
        details: details([['Canary table', tableArn]]),
        remediation: fix(
          `Create the on-demand table ${CANARY_TABLE_NAME} (partition key "${CANARY_KEY_ATTRIBUTE}", a string) in ${accountId}/${region}, and let the Backstage read role call dynamodb:GetItem on ${tableArn}.`,
          [
            `aws dynamodb create-table --table-name ${CANARY_TABLE_NAME} --billing-mode PAY_PER_REQUEST --attribute-definitions AttributeName=${CANARY_KEY_ATTRIBUTE},AttributeType=S --key-schema AttributeName=${CANARY_KEY_ATTRIBUTE},KeyType=HASH --region ${region}`,
          ],
        ),
      },
    );
  }
  const relevant = callsSinceLogging(evidence, calls);
  const failAfter = context.thresholds.failAfterMinutes;
  const latency = describeCanaryLatency(relevant);
  const remediation = fix(
    `Look at the "DynamoDB data events are captured" and "Recent log objects" checks, and make sure the trail's event selectors include ${tableArn}.${trailOwnerNote(
      evidence,
    )}`,
    [trailCommand(evidence, 'get-event-selectors')],
  );
  const facts = (extra: [string, string | undefined][] = []) =>
    details([
      ['Canary table', tableArn],
      ['Calls of the last day', relevant.length],
      ['Calls delivered', relevant.filter(c => c.eventTime).length],
      ['Call error', callError],
      ...extra,
    ]);

  const overdue = relevant.find(c => {
    const age = ageInMinutes(c.calledAt, context.now);
    return age !== undefined && age >= failAfter;
  });
  if (overdue && !overdue.eventTime) {
    return verdict(
      'fail',
      `The canary call made ${when(
        overdue.calledAt,
      )} never arrived in the delivered logs of ${trailName} (a call fails after ${formatMinutes(
        failAfter,
      )}).${latency ? ` Before: ${latency}.` : ''}`,
      {
        details: facts([
          ['Missing request id', overdue.requestId],
          ['Missing call made at', overdue.calledAt],
        ]),
        remediation,
      },
    );
  }
  const proven = relevant.find(c => c.eventTime);
  if (proven) {
    const lost = relevant.filter(
      c =>
        !c.eventTime &&
        (ageInMinutes(c.calledAt, context.now) ?? 0) >= failAfter,
    ).length;
    return verdict(
      'pass',
      `The canary call made ${when(
        proven.calledAt,
      )} is in the delivered logs of ${trailName}; ${latency}.${
        lost
          ? ` ${lost} older canary call(s) of the last day were not found.`
          : ''
      }`,
      {
        details: facts([
          ['Request id', proven.requestId],
          ['Event time', proven.eventTime],
          ['Delivered at', proven.deliveredAt],
        ]),
      },
    );
  }
  if (callError && !relevant.length) {
    return verdict(
      'unknown',
      `Not checked: AWS refused the canary call (${callError}).`,
      { details: facts(), remediation },
    );
  }
  // Too early to tell: not a finding against the trail.
  const oldest = relevant[relevant.length - 1];
  return verdict(
    'unknown',
    oldest
      ? `Pending: ${relevant.length} canary call(s), the oldest made ${when(
          oldest.calledAt,
        )}, not delivered yet; a call not delivered within ${formatMinutes(
          failAfter,
        )} fails.`
      : `Pending: no canary call since ${trailName} started logging.`,
    { details: facts(), remediation },
  );
}
