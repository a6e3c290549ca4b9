import {
  DailyLineageEdge,
  isCanaryTableArn,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  CloudTrailRecord,
  eventTimeIso,
  operationKind,
  principalOf,
} from '../dynamodbEvents';

/** One group of the backfill statement, by column name. */
export type BackfillRow = Record<string, string | undefined>;

function recordOf(row: BackfillRow): CloudTrailRecord {
  let requestParameters: CloudTrailRecord['requestParameters'] = null;
  if (row.statements) {
    try {
      requestParameters = JSON.parse(row.statements);
    } catch {
      requestParameters = null;
    }
  }
  return {
    eventName: row.operation,
    readOnly: row.readonly === 'true',
    requestParameters,
    userIdentity: {
      type: row.principal_type,
      arn: row.identity_arn,
      invokedBy: row.invoked_by,
      principalId: row.principal_id,
      accountId: row.identity_account,
      ...(row.issuer_arn
        ? { sessionContext: { sessionIssuer: { arn: row.issuer_arn } } }
        : {}),
    },
  } as CloudTrailRecord;
}

/**
 * Daily lineage edges from the backfill statement's groups, made as
 * ingestion makes them: the principal normalised and the kind decided by the
 * same functions, account and region taken from the table ARN, the canary
 * left out, groups of the same table, principal, operation and day summed
 * (the kind of the earliest, as ingestion keeps the first call's).
 */
export function edgesFromBackfillRows(rows: BackfillRow[]): DailyLineageEdge[] {
  const edges = new Map<string, DailyLineageEdge>();
  const ordered = [...rows].sort((a, b) =>
    (a.first_seen ?? '').localeCompare(b.first_seen ?? ''),
  );
  for (const row of ordered) {
    const tableArn = row.table_arn;
    if (!tableArn || isCanaryTableArn(tableArn)) continue;
    const table = tryParseTableArn(tableArn);
    const firstSeen = eventTimeIso(row.first_seen ?? '');
    const lastSeen = eventTimeIso(row.last_seen ?? '');
    if (!table || !firstSeen || !lastSeen) continue;
    const record = recordOf(row);
    const { principal, principalType, principalAccountId } =
      principalOf(record);
    const operation = row.operation ?? 'unknown';
    const day = firstSeen.slice(0, 10);
    const key = `${tableArn}\n${principal}\n${operation}\n${day}`;
    const calls = Number(row.calls ?? 0);
    const errors = Number(row.errors ?? 0);
    const edge = edges.get(key);
    if (edge) {
      edge.calls += calls;
      edge.errors += errors;
      if (firstSeen < edge.firstSeen) edge.firstSeen = firstSeen;
      if (lastSeen > edge.lastSeen) edge.lastSeen = lastSeen;
      continue;
    }
    edges.set(key, {
      accountId: table.accountId,
      region: table.region,
      tableArn,
      principal,
      principalType,
      ...(principalAccountId ? { principalAccountId } : {}),
      operation,
      kind: operationKind(record),
      day,
      calls,
      errors,
      firstSeen,
      lastSeen,
    });
  }
  return [...edges.values()];
}
