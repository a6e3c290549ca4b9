import {
  CoverageResult,
  evaluateScopeCoverage,
  trailReachesAccountRegion,
} from '../coverage';
import type { TrailEvidence } from '../types';
import {
  arnPartition,
  CheckContext,
  CheckVerdict,
  fix,
  probeFailure,
  trailCommand,
  trailOwnerNote,
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

/** `orders` for a table, `every table` for an account-region. */
function targetName(result: CoverageResult): string {
  return result.target.kind === 'table'
    ? `table ${
        result.target.tableArn.split(':table/')[1] ?? result.targetLabel
      }`
    : 'every table';
}

/** `reads are not captured and writes are only partly captured`. */
function gaps(result: CoverageResult): string {
  if (result.reads === 'not-covered' && result.writes === 'not-covered') {
    return 'no read or write is captured';
  }
  return (['reads', 'writes'] as const)
    .filter(kind => result[kind] !== 'covered')
    .map(kind => {
      if (result[kind] === 'not-covered') return `${kind} are not captured`;
      const access = kind === 'reads' ? 'read' : 'write';
      const ofKind = result.operations.filter(o => o.access === access);
      const dropped = result.dropped.filter(o => o.access === access);
      // Naming the operations helps only when some of them are captured.
      const which =
        dropped.length < ofKind.length
          ? ` (${dropped.map(o => o.operation).join(', ')} not captured)`
          : '';
      return `${kind} are only partly captured${which}`;
    })
    .join(' and ');
}

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
  const failure = probeFailure(
    "the trail's event selectors",
    'cloudtrail:GetEventSelectors',
    eventSelectors,
  );
  if (failure || !eventSelectors.ok) return unknownVerdict([failure!]);
  const results = evaluateScopeCoverage(
    trail,
    eventSelectors.value,
    context.scope,
    arnPartition(trail.arn),
  );
  // The selectors' reading, operation by operation, for the details view.
  const facts = results.map(r => ({ label: r.targetLabel, value: r.summary }));
  const incomplete = results.filter(r => r.verdict !== 'covered');
  if (incomplete.length === 0) {
    const what =
      results.length === 1
        ? targetName(results[0])
        : `all ${results.length} tables in scope`;
    return verdict(
      'pass',
      `Every DynamoDB read and write is captured for ${what}.`,
      { details: facts },
    );
  }
  const missingReadsOrWrites = incomplete.some(
    r => r.reads === 'not-covered' || r.writes === 'not-covered',
  );
  const listed = incomplete
    .slice(0, MAX_LISTED)
    .map(r => `${targetName(r)}: ${gaps(r)}`);
  const more =
    incomplete.length > MAX_LISTED
      ? `; and ${incomplete.length - MAX_LISTED} more tables`
      : '';
  const remediation = !trailReachesAccountRegion(
    trail,
    context.scope.accountId,
    context.scope.region,
  )
    ? fix(
        `This trail does not log this account and region. Make it log every region, or create a trail in this account and region.${trailOwnerNote(
          evidence,
        )}`,
        [
          trailCommand(
            evidence,
            'update-trail',
            '--is-multi-region-trail --include-global-service-events',
          ),
        ],
      )
    : fix(
        `Add a selector that captures every DynamoDB table (or the tables in scope) with no read-only or operation filter. Setting event selectors replaces all of them, so send the trail's other selectors in the same call; basic selectors must be rewritten as advanced ones.${trailOwnerNote(
          evidence,
        )}`,
        [
          trailCommand(evidence, 'get-event-selectors'),
          trailCommand(
            evidence,
            'put-event-selectors',
            `--advanced-event-selectors '${ALL_TABLES_SELECTOR}'`,
          ),
        ],
      );
  return verdict(
    missingReadsOrWrites ? 'fail' : 'warn',
    `${listed.join('; ')}${more}.`.replace(/^./, c => c.toUpperCase()),
    { details: facts, remediation },
  );
}
