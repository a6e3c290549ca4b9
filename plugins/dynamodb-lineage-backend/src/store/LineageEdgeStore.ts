import { DailyLineageEdge } from '@lineage/plugin-dynamodb-lineage-common';
import {
  IngestCursor,
  IngestCursorKey,
  LineageIngestBatch,
} from '@lineage/plugin-dynamodb-lineage-node';

/** Which edges to read: days from `from` to `to` (inclusive, YYYY-MM-DD). */
export interface EdgeQuery {
  from: string;
  /** Defaults to every day from `from` on. */
  to?: string;
  /** Only these tables, when given. */
  tableArns?: string[];
  /** Only these principals, when given. */
  principals?: string[];
}

/**
 * One table, principal and operation's calls summed over the days a query
 * covers; `firstSeen` and `lastSeen` span those days.
 */
export type LineageEdgeTotal = Omit<DailyLineageEdge, 'day'>;

/** How far behind delivery ingestion is, for one trail, account and region. */
export interface IngestionState extends IngestCursorKey {
  /** Delivery time of the newest log object ingested. */
  ingestedThrough?: string;
  /** Delivery time of the newest log object seen delivered. */
  newestDelivered?: string;
  /** Minutes of delivered logs not yet ingested; 0 when caught up. */
  lagMinutes?: number;
  /** When ingestion last committed for this trail-region. */
  updatedAt: string;
}

/** What one commit changed. */
export interface IngestCommitResult {
  /** Calls of the batch already counted by an earlier commit, left out. */
  duplicates: number;
  /** Edge rows added to or created. */
  edgesWritten: number;
}

/** Daily lineage edges and the ingestion state behind them. */
export interface LineageEdgeStore {
  /**
   * Adds the batch's edges (less the calls whose event ids are already
   * known), records its event ids and advances its cursors, all in one
   * transaction.
   */
  commitIngestBatch(batch: LineageIngestBatch): Promise<IngestCommitResult>;
  getCursor(key: IngestCursorKey): Promise<IngestCursor | undefined>;
  /** Every cursor of one trail. */
  getCursors(trailArn: string): Promise<IngestCursor[]>;
  /** Ordered by day, table, principal and operation. */
  readEdges(query: EdgeQuery): Promise<DailyLineageEdge[]>;
  /**
   * The edges {@link LineageEdgeStore.readEdges} would answer, summed over
   * their days in the database: one row per table, principal and operation,
   * ordered by those.
   */
  readEdgeTotals(query: EdgeQuery): Promise<LineageEdgeTotal[]>;
  /** Per trail, account and region, ordered by those. */
  ingestionState(): Promise<IngestionState[]>;
  /** Deletes edges of days before `beforeDay` (YYYY-MM-DD); returns how many. */
  pruneEdges(beforeDay: string): Promise<number>;
  /** Forgets event ids of calls made before `before` (ISO-8601); returns how many. */
  pruneSeenEvents(before: string): Promise<number>;
}
