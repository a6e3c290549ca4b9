import { S3Client } from '@aws-sdk/client-s3';
import {
  DailyLineageEdge,
  isCanaryTableArn,
  TrailDescription,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  CloudTrailRecord,
  eventTimeIso,
  isDynamoDbDataEvent,
  operationKind,
  PrincipalCache,
  tableArnsOf,
} from './dynamodbEvents';
import {
  IngestCursor,
  IngestedEvent,
  LineageIngestBatch,
} from './lineageBatch';
import {
  LogLocation,
  deliveryMinuteOf,
  logPrefix,
  parseLogKey,
  regionLogPrefix,
} from './logKeys';
import {
  listLogObjectsAfter,
  LogObject,
  readLogRecords,
  resolveLogLocation,
} from './logReader';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Log files read between two commits: bounds what one batch holds in memory. */
export const DEFAULT_FILES_PER_BATCH = 16;

/**
 * Daily edges of the DynamoDB data events it is given: one per table,
 * principal, operation and UTC day, with the event ids behind them. A call
 * naming several tables (BatchWriteItem, TransactWriteItems) counts once per
 * table, each under its own id. The canary table's calls are left out.
 */
export class LineageEdgeAggregator {
  private edges: DailyLineageEdge[] = [];
  private events: IngestedEvent[] = [];
  /** Edge index by table, principal, operation, then day: no key string per record. */
  private readonly index = new Map<
    string,
    Map<string, Map<string, Map<string, number>>>
  >();
  private readonly tables = new Map<
    string,
    { accountId: string; region: string } | null
  >();
  private readonly principals = new PrincipalCache();
  private lastEventTime?: string;
  private lastIso?: string;
  /** Data events counted since the last {@link LineageEdgeAggregator.take}. */
  counted = 0;

  add(record: CloudTrailRecord): void {
    if (!isDynamoDbDataEvent(record) || !record.eventTime) return;
    const iso = this.isoOf(record.eventTime);
    if (!iso) return;
    const tableArns = tableArnsOf(record);
    if (tableArns.length === 0) return;
    const arns =
      tableArns.length === 1 ? tableArns : [...new Set(tableArns)].sort();
    const { principal, principalType, principalAccountId } =
      this.principals.of(record);
    const operation = record.eventName ?? 'unknown';
    const kind = operationKind(record);
    const error = Boolean(record.errorCode);
    const day = iso.slice(0, 10);
    for (let i = 0; i < arns.length; i++) {
      const tableArn = arns[i];
      const table = this.tableOf(tableArn);
      if (!table) continue;
      let byPrincipal = this.index.get(tableArn);
      if (!byPrincipal) {
        byPrincipal = new Map();
        this.index.set(tableArn, byPrincipal);
      }
      let byOperation = byPrincipal.get(principal);
      if (!byOperation) {
        byOperation = new Map();
        byPrincipal.set(principal, byOperation);
      }
      let byDay = byOperation.get(operation);
      if (!byDay) {
        byDay = new Map();
        byOperation.set(operation, byDay);
      }
      let at = byDay.get(day);
      if (at === undefined) {
        at = this.edges.length;
        byDay.set(day, at);
        this.edges.push({
          accountId: table.accountId,
          region: table.region,
          tableArn,
          principal,
          principalType,
          ...(principalAccountId ? { principalAccountId } : {}),
          operation,
          kind,
          day,
          calls: 0,
          errors: 0,
          firstSeen: iso,
          lastSeen: iso,
        });
      }
      const edge = this.edges[at];
      if (error) edge.errors += 1;
      else edge.calls += 1;
      if (iso < edge.firstSeen) edge.firstSeen = iso;
      if (iso > edge.lastSeen) edge.lastSeen = iso;
      if (record.eventID) {
        this.events.push({
          eventId:
            arns.length === 1 ? record.eventID : `${record.eventID}#${i}`,
          eventTime: iso,
          edge: at,
          error,
        });
      }
      this.counted += 1;
    }
  }

  /** The edges and events gathered so far; the aggregator starts over. */
  take(): Pick<LineageIngestBatch, 'edges' | 'events'> {
    const taken = { edges: this.edges, events: this.events };
    this.edges = [];
    this.events = [];
    this.index.clear();
    this.counted = 0;
    return taken;
  }

  private tableOf(tableArn: string) {
    let table = this.tables.get(tableArn);
    if (table === undefined) {
      // The canary is the backend's own traffic, proof of capture rather than lineage.
      const parsed = isCanaryTableArn(tableArn)
        ? undefined
        : tryParseTableArn(tableArn);
      table = parsed
        ? { accountId: parsed.accountId, region: parsed.region }
        : null;
      this.tables.set(tableArn, table);
    }
    return table;
  }

  /** Many records of a file share a second: the last conversion is reused. */
  private isoOf(eventTime: string): string | undefined {
    if (eventTime === this.lastEventTime) return this.lastIso;
    this.lastEventTime = eventTime;
    this.lastIso = eventTimeIso(eventTime);
    return this.lastIso;
  }
}

export interface IngestTrailLineageOptions {
  trail: Pick<
    TrailDescription,
    'arn' | 's3BucketName' | 's3KeyPrefix' | 'isOrganizationTrail'
  >;
  /** The account-regions whose logs the trail delivers and ingestion reads. */
  accountRegions: { accountId: string; region: string }[];
  /** Where each account-region resumes; one absent is read from the backfill start. */
  cursors: IngestCursor[];
  now: Date;
  /** Days of delivered logs read for an account-region ingested for the first time. */
  backfillDays: number;
  /** Compressed bytes of log files this run may read, over all account-regions. */
  byteBudget: number;
  /** Milliseconds after which this run starts no further batch. */
  timeBudgetMs: number;
  filesPerBatch?: number;
  /** Commits one batch: its edges, event ids and cursor, at once. */
  commit(batch: LineageIngestBatch): Promise<void>;
  /** Where the trail's files start; resolved from the trail when absent. */
  location?: LogLocation;
  /** Milliseconds elapsed, for the time budget; default `performance.now`. */
  clock?: () => number;
}

export interface IngestTrailLineageResult {
  filesRead: number;
  /** Files larger than the reader allows once decompressed, passed over. */
  filesSkipped: number;
  bytesRead: number;
  /** DynamoDB data events counted (a call naming two tables counts twice). */
  events: number;
  batches: number;
  /** True when a budget stopped the run with delivered files left unread. */
  truncated: boolean;
  /** Account-regions AWS refused to list or read; the next run tries them again. */
  failures: { accountId: string; region: string; error: string }[];
}

/**
 * Reads the log files one trail delivered since each account-region's cursor
 * (the backfill start for one never read; the start of the cursor's delivery
 * minute, less the files of that minute already read), oldest first, and commits them in
 * batches of a few files: each batch's edges with the cursor moved past its
 * last file. The region farthest behind goes first, so a budget that stops a
 * run leaves the others no further behind than it. A file the budget cannot
 * hold waits for the next run; a single file larger than the whole budget is
 * still read when it comes first, so that no file blocks a region for good.
 */
export async function ingestTrailLineage(
  s3: S3Client,
  options: IngestTrailLineageOptions,
): Promise<IngestTrailLineageResult> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const filesPerBatch = options.filesPerBatch ?? DEFAULT_FILES_PER_BATCH;
  const bucket = options.trail.s3BucketName;
  const location =
    options.location ?? (await resolveLogLocation(s3, options.trail));
  const nowIso = options.now.toISOString();
  const backfillStart = new Date(
    options.now.getTime() - options.backfillDays * DAY_MS,
  );
  const result: IngestTrailLineageResult = {
    filesRead: 0,
    filesSkipped: 0,
    bytesRead: 0,
    events: 0,
    batches: 0,
    truncated: false,
    failures: [],
  };
  const cursorOf = new Map(
    options.cursors.map(c => [`${c.accountId}/${c.region}`, c]),
  );
  // Never read first, then the oldest ingested delivery first.
  const targets = options.accountRegions
    .map(target => ({
      ...target,
      cursor: cursorOf.get(`${target.accountId}/${target.region}`),
    }))
    .sort((a, b) =>
      (a.cursor?.ingestedThrough ?? '').localeCompare(
        b.cursor?.ingestedThrough ?? '',
      ),
    );

  const aggregator = new LineageEdgeAggregator();
  let committing = false;
  const commit = async (batch: LineageIngestBatch) => {
    committing = true;
    await options.commit(batch);
    committing = false;
  };
  for (const { accountId, region, cursor } of targets) {
    if (result.truncated) break;
    try {
      const startAfter = cursor?.afterKey
        ? deliveryMinuteOf(cursor.afterKey)
        : // Sorts before every key of the backfill start's day.
          logPrefix(location, accountId, region, backfillStart);
      const alreadyRead = new Set(cursor?.minuteKeys ?? []);
      const listed = await listLogObjectsAfter(
        s3,
        bucket,
        regionLogPrefix(location, accountId, region),
        startAfter,
      );
      const files = listed.objects.filter(
        o => isLogFile(o) && !alreadyRead.has(o.key),
      );
      const newestListed = files.length
        ? parseLogKey(files[files.length - 1].key)?.deliveredAt
        : undefined;
      const newestDelivered = latest(newestListed, cursor?.newestDelivered);
      let position: IngestCursor = {
        trailArn: options.trail.arn,
        accountId,
        region,
        ...(cursor?.afterKey ? { afterKey: cursor.afterKey } : {}),
        ...(cursor?.minuteKeys ? { minuteKeys: cursor.minuteKeys } : {}),
        ...(cursor?.ingestedThrough
          ? { ingestedThrough: cursor.ingestedThrough }
          : {}),
        ...(newestDelivered ? { newestDelivered } : {}),
        updatedAt: nowIso,
      };

      let next = 0;
      while (next < files.length) {
        if (clock() - started >= options.timeBudgetMs) {
          result.truncated = true;
          break;
        }
        const batch: LogObject[] = [];
        let planned = 0;
        while (batch.length < filesPerBatch && next < files.length) {
          const size = files[next].size ?? 0;
          const spent = result.bytesRead + planned;
          if (spent > 0 && spent + size > options.byteBudget) break;
          batch.push(files[next]);
          planned += size;
          next += 1;
        }
        if (batch.length === 0) {
          result.truncated = true;
          break;
        }
        const stats = await readLogRecords(s3, bucket, batch, {
          // The batch was chosen to fit; a file listed smaller than it is still read whole.
          byteBudget: Number.MAX_SAFE_INTEGER,
          visit: record => aggregator.add(record),
        });
        const last = batch[batch.length - 1].key;
        const minute = deliveryMinuteOf(last);
        position = {
          ...position,
          afterKey: last,
          minuteKeys: [
            ...(position.minuteKeys ?? []),
            ...batch.map(o => o.key),
          ].filter(k => deliveryMinuteOf(k) === minute),
          ingestedThrough: parseLogKey(last)?.deliveredAt ?? nowIso,
        };
        result.events += aggregator.counted;
        await commit({ ...aggregator.take(), cursors: [position] });
        result.batches += 1;
        result.filesRead += stats.filesRead;
        result.filesSkipped += batch.length - stats.filesRead;
        result.bytesRead += stats.bytesRead;
      }
      if (next < files.length) result.truncated = true;
      // A region with nothing read still records what was delivered, for the lag.
      if (next === 0) {
        await commit({ edges: [], events: [], cursors: [position] });
      }
    } catch (error) {
      // The store refusing a batch stops the run; AWS refusing one region does not stop the others.
      if (committing) throw error;
      // What the failed batch gathered is read again from its files next run.
      aggregator.take();
      result.failures.push({
        accountId,
        region,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return result;
}

function isLogFile(object: LogObject): boolean {
  return (
    object.key.endsWith('.json.gz') && parseLogKey(object.key)?.kind === 'log'
  );
}

function latest(a: string | undefined, b: string | undefined) {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
