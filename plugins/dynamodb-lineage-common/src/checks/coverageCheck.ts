import { evaluateScopeCoverage, trailReachesAccountRegion } from '../coverage';
import type { TrailEvidence } from '../types';
import {
  arnPartition,
  CheckContext,
  CheckVerdict,
  probeFailure,
  trailCommand,
  unknownVerdict,
  verdict,
} from './judging';

const MAX_LISTED = 3;

const ALL_TABLES_SELECTOR = JSON.stringify([
  {
    Name: 'DynamoDB data events',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
    ],
  },
]);

/**
 * trail.dynamodb-coverage — the selectors capture DynamoDB data events,
 * reads and writes, for every table in scope. `fail` when reads or writes of
 * some target are not captured at all; `warn` when they are only partly
 * captured (some operations, tables or callers dropped).
 */
export function judgeDynamoDbCoverage(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { trail, eventSelectors } = evidence.trail;
  const failure = probeFailure('GetEventSelectors', eventSelectors);
  if (failure || !eventSelectors.ok) {
    return unknownVerdict([failure!]);
  }
  const results = evaluateScopeCoverage(
    trail,
    eventSelectors.value,
    context.scope,
    arnPartition(trail.arn),
  );
  const incomplete = results.filter(r => r.verdict !== 'covered');
  if (incomplete.length === 0) {
    const what =
      results.length === 1
        ? results[0].targetLabel
        : `all ${results.length} tables in scope`;
    return verdict(
      'pass',
      `Every DynamoDB data operation (reads and writes) is captured for ${what}.`,
    );
  }
  const missingReadsOrWrites = incomplete.some(
    r => r.reads === 'not-covered' || r.writes === 'not-covered',
  );
  const listed = incomplete.slice(0, MAX_LISTED).map(r => r.summary);
  const more =
    incomplete.length > MAX_LISTED
      ? ` … and ${incomplete.length - MAX_LISTED} more tables.`
      : '';
  const remediation = !trailReachesAccountRegion(
    trail,
    context.scope.accountId,
    context.scope.region,
  )
    ? `This trail cannot log ${context.scope.accountId} in ${
        context.scope.region
      }: make it multi-region (${trailCommand(
        evidence,
        'update-trail',
        '--is-multi-region-trail --include-global-service-events',
      )}) or create a trail in that account and region.`
    : `Add a selector for all DynamoDB tables (or one with resources.ARN Equals/StartsWith for the tables in scope) and no readOnly or eventName filter: ${trailCommand(
        evidence,
        'put-event-selectors',
        `--advanced-event-selectors '${ALL_TABLES_SELECTOR}'`,
      )}. PutEventSelectors replaces the whole set, so send the trail's other selectors in the same call (basic selectors must be rewritten as advanced ones).`;
  return verdict(
    missingReadsOrWrites ? 'fail' : 'warn',
    `${listed.join(' ')}${more}`,
    remediation,
  );
}
