import { InputError } from '@backstage/errors';
import type { AthenaForensicsEngine } from '@lineage/plugin-dynamodb-lineage-node';
import { LineageEdgeStore } from '../store/LineageEdgeStore';

export interface AthenaBackfillRequest {
  accountId: string;
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, YYYY-MM-DD, inclusive. */
  to: string;
  /** Default: every region the account's trail logs. */
  regions?: string[];
}

export interface AthenaBackfillSummary {
  edgesWritten: number;
  bytesScanned: number;
  costUsd: number;
}

/**
 * Writes the daily edges of past days, read through Athena, to the lineage
 * store. Athena returns counts, not event ids, so the store cannot tell a
 * backfilled call from the same call ingested: a range in which the account
 * already has edges is refused, and backfill is for the days before
 * ingestion started.
 */
export async function backfillLineageFromAthena(
  engine: Pick<AthenaForensicsEngine, 'backfill'>,
  store: LineageEdgeStore,
  request: AthenaBackfillRequest,
): Promise<AthenaBackfillSummary> {
  const stored = await store.readEdgeTotals({
    from: request.from,
    to: request.to,
  });
  if (stored.some(edge => edge.accountId === request.accountId)) {
    throw new InputError(
      `Account ${request.accountId} already has lineage edges between ${request.from} and ${request.to}: backfill only days before ingestion started`,
    );
  }
  const result = await engine.backfill(request);
  const committed = await store.commitIngestBatch({
    edges: result.edges,
    events: [],
    cursors: [],
  });
  return {
    edgesWritten: committed.edgesWritten,
    bytesScanned: result.bytesScanned,
    costUsd: result.costUsd,
  };
}
