import { estimateDataEventVolume } from '../cost';
import { type CoverageResult, evaluateScopeCoverage } from '../coverage';
import type { TrailEvidence, TrailState } from '../types';
import {
  arnPartition,
  CheckContext,
  CheckVerdict,
  details,
  fix,
  probeFailure,
  unknownVerdict,
  type Unanswered,
  verdict,
} from './judging';

/** Whether two trails' readings of the same targets capture some same events. */
function overlaps(own: CoverageResult[], other: CoverageResult[]): boolean {
  return own.some((mine, i) => {
    const theirs = other[i];
    return (
      (mine.reads !== 'not-covered' && theirs.reads !== 'not-covered') ||
      (mine.writes !== 'not-covered' && theirs.writes !== 'not-covered')
    );
  });
}

function coverageOf(state: TrailState, context: CheckContext) {
  if (!state.eventSelectors.ok) return undefined;
  return evaluateScopeCoverage(
    state.trail,
    state.eventSelectors.value,
    context.scope,
    arnPartition(state.trail.arn),
  );
}

function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/**
 * trail.duplicate-capture — no other trail captures the same DynamoDB data
 * events of the account-region: each trail that logs a data event bills it,
 * so a second capture doubles the data-event bill. `warn` with the monthly
 * cost of the duplicate (this trail's measured capture) when one does.
 */
export function judgeDuplicateCapture(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { otherTrails } = evidence;
  if (!otherTrails) {
    return unknownVerdict([
      { what: 'the other trails that log this account-region' },
    ]);
  }
  const selectorsOf = (state: TrailState): Unanswered | undefined =>
    probeFailure(
      `the event selectors of ${state.trail.name}`,
      'cloudtrail:GetEventSelectors',
      state.eventSelectors,
    );
  const own = coverageOf(evidence.trail, context);
  if (!own) return unknownVerdict([selectorsOf(evidence.trail)!]);
  const capturing = own.some(r => r.verdict !== 'not-covered');
  const where = `${context.scope.accountId}/${context.scope.region}`;
  if (!capturing) {
    return verdict(
      'pass',
      'This trail captures no DynamoDB data event in this account-region, so it captures nothing twice.',
      { details: details([['Account-region', where]]) },
    );
  }
  const unread: Unanswered[] = [];
  const duplicates: TrailState[] = [];
  for (const other of otherTrails) {
    if (other.trail.arn === evidence.trail.trail.arn) continue;
    const theirs = coverageOf(other, context);
    if (!theirs) {
      unread.push(selectorsOf(other)!);
    } else if (overlaps(own, theirs)) {
      duplicates.push(other);
    }
  }
  if (duplicates.length === 0) {
    if (unread.length) return unknownVerdict(unread);
    return verdict(
      'pass',
      'No other trail captures the DynamoDB data events this trail captures in this account-region.',
      { details: details([['Account-region', where]]) },
    );
  }
  const events = evidence.signals?.dynamodbEvents;
  const volume =
    events?.ok && events.value
      ? estimateDataEventVolume(events.value)
      : undefined;
  const names = duplicates.map(d => d.trail.name).join(', ');
  const cost = volume
    ? ` The duplicate costs about ${usd(
        volume.projectedMonthlyUsd * duplicates.length,
      )} a month (${volume.eventsPerDay.toLocaleString(
        'en-US',
      )} events a day measured in this trail's logs, billed again by each other capture).`
    : ' Each other capture bills the same events again, at $0.10 per 100,000.';
  const [first] = duplicates;
  return verdict(
    'warn',
    `DynamoDB data events of this account-region are also captured by ${
      duplicates.length === 1 ? 'trail' : 'trails'
    } ${names}.${cost}`,
    {
      details: details([
        ['Account-region', where],
        ['Also captured by', duplicates.map(d => d.trail.arn).join(', ')],
        [
          'Duplicate cost a month',
          volume
            ? usd(volume.projectedMonthlyUsd * duplicates.length)
            : undefined,
        ],
      ]),
      remediation: fix(
        `Keep one capture of these events: remove the DynamoDB selectors from one of the trails, or scope each to other tables. Setting event selectors replaces all of them, so send that trail's other selectors in the same call.`,
        [
          `aws cloudtrail get-event-selectors --trail-name ${first.trail.name} --region ${first.trail.homeRegion}`,
        ],
      ),
    },
  );
}
