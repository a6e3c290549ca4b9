import { DailyLineageEdge } from '@lineage/plugin-dynamodb-lineage-common';

/** The unit ingestion resumes by: one trail's logs of one account and region. */
export interface IngestCursorKey {
  trailArn: string;
  accountId: string;
  region: string;
}

/** How far ingestion has read one trail's logs of one account and region. */
export interface IngestCursor extends IngestCursorKey {
  /** The last log object ingested. */
  afterKey?: string;
  /**
   * Keys already ingested that carry the delivery minute of
   * {@link IngestCursor.afterKey}: the next listing starts at that minute,
   * since a file of the same minute may land later yet sort earlier.
   */
  minuteKeys?: string[];
  /** Delivery time of {@link IngestCursor.afterKey}. */
  ingestedThrough?: string;
  /** Delivery time of the newest log object the last listing found. */
  newestDelivered?: string;
  updatedAt: string;
}

/** One counted call of a batch, kept to recognise it when delivered again. */
export interface IngestedEvent {
  eventId: string;
  /** ISO-8601, UTC. */
  eventTime: string;
  /** Index into {@link LineageIngestBatch.edges} of the edge the call counts in. */
  edge: number;
  /** Whether the call counts in the edge's errors rather than its calls. */
  error: boolean;
}

/**
 * What one ingestion step commits at once: the daily edges its files add, the
 * event ids behind them and where each of its trail-regions resumes. A call
 * whose event id is already known is taken out of its edge before the edges
 * are added.
 */
export interface LineageIngestBatch {
  edges: DailyLineageEdge[];
  events: IngestedEvent[];
  cursors: IngestCursor[];
}
