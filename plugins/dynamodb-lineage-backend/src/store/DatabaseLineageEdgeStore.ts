import { DatabaseService } from '@backstage/backend-plugin-api';
import { DailyLineageEdge } from '@lineage/plugin-dynamodb-lineage-common';
import {
  IngestCursor,
  IngestCursorKey,
  LineageIngestBatch,
} from '@lineage/plugin-dynamodb-lineage-node';
import { Knex } from 'knex';
import { chunks, migrationsDir } from './DatabaseStore';
import {
  EdgeQuery,
  IngestCommitResult,
  IngestionState,
  LineageEdgeStore,
  LineageEdgeTotal,
} from './LineageEdgeStore';

const EDGE = 'dynamodb_lineage_edge';
const CURSOR = 'dynamodb_lineage_ingest_cursor';
const SEEN = 'dynamodb_lineage_seen_event';

/** Rows per statement: knex writes SQLite upserts as a compound SELECT, which SQLite caps at 500 terms. */
const EDGE_CHUNK = 450;
/** Event ids per insert statement, bound as one value. */
const SEEN_CHUNK = 5000;
const LOOKUP_CHUNK = 500;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface EdgeRow {
  table_arn: string;
  principal: string;
  operation: string;
  day: string;
  account_id: string;
  region: string;
  principal_type: string;
  principal_account_id: string | null;
  kind: string;
  calls: number | string;
  errors: number | string;
  first_seen: string;
  last_seen: string;
}

interface CursorRow {
  trail_arn: string;
  account_id: string;
  region: string;
  after_key: string | null;
  minute_keys: string | null;
  ingested_through: string | null;
  newest_delivered: string | null;
  updated_at: string;
}

/** Epoch milliseconds of events' times; a batch's events share few distinct times. */
class EventTimes {
  private last?: string;
  private lastMillis = 0;

  millis(event: { eventId: string; eventTime: string }): number {
    if (event.eventTime === this.last) return this.lastMillis;
    const millis = ISO_TIME.test(event.eventTime)
      ? Date.parse(event.eventTime)
      : NaN;
    if (!Number.isFinite(millis)) {
      throw new RangeError(
        `Event ${event.eventId}: eventTime must be an ISO-8601 time, got ${event.eventTime}`,
      );
    }
    this.last = event.eventTime;
    this.lastMillis = millis;
    return millis;
  }
}

/** {@link LineageEdgeStore} in the plugin database (SQLite or PostgreSQL). */
export class DatabaseLineageEdgeStore implements LineageEdgeStore {
  static async create(options: {
    database: Pick<DatabaseService, 'getClient' | 'migrations'>;
  }): Promise<DatabaseLineageEdgeStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseLineageEdgeStore(client);
  }

  constructor(private readonly db: Knex) {}

  async commitIngestBatch(
    batch: LineageIngestBatch,
  ): Promise<IngestCommitResult> {
    return this.db.transaction(async tx => {
      const edges = batch.edges.map(edge => ({ ...edge }));
      // One key per distinct (time, hash) in the batch, for one insert of each;
      // keys are found by hash, then time (no string built per event).
      const byHash = new Map<number, SeenKey>();
      const unique: SeenKey[] = [];
      const keyOf: SeenKey[] = new Array(batch.events.length);
      const times = new EventTimes();
      for (let i = 0; i < batch.events.length; i++) {
        const event = batch.events[i];
        if (!edges[event.edge]) {
          throw new RangeError(
            `Event ${event.eventId} names edge ${event.edge}, the batch has ${edges.length}`,
          );
        }
        const time = times.millis(event);
        const hash = eventIdHash(event.eventId);
        let key = findKey(byHash, time, hash);
        if (!key) {
          key = { time, hash, fresh: false, next: byHash.get(hash) };
          byHash.set(hash, key);
          unique.push(key);
        }
        keyOf[i] = key;
      }
      // Keys the insert skips were counted by an earlier commit.
      const postgres = this.db.client.dialect === 'postgresql';
      for (const ids of chunks(unique, SEEN_CHUNK)) {
        // The chunk's ids bound as one value (a statement the database
        // prepares once, whatever the chunk's size): two PostgreSQL bigint
        // arrays, or one JSON array of [time, hash] pairs on SQLite.
        const [insert, bindings] = postgres
          ? [
              `INSERT INTO ${SEEN} (event_time, event_hash) SELECT * FROM unnest(?::bigint[], ?::bigint[]) ON CONFLICT (event_time, event_hash) DO NOTHING`,
              [
                `{${ids.map(id => id.time).join(',')}}`,
                `{${ids.map(id => id.hash).join(',')}}`,
              ],
            ]
          : [
              // WHERE true: SQLite's upsert after INSERT … SELECT needs a WHERE
              // to parse.
              `INSERT INTO ${SEEN} (event_time, event_hash) SELECT value ->> 0, value ->> 1 FROM json_each(?) WHERE true ON CONFLICT (event_time, event_hash) DO NOTHING`,
              [`[${ids.map(id => `[${id.time},${id.hash}]`).join(',')}]`],
            ];
        // Most chunks hold no id stored before: a count of rows inserted equal
        // to the chunk's says so without reading the rows back.
        await tx.raw('SAVEPOINT seen_chunk');
        const counted = await tx.raw(insert, bindings);
        const changes = Number(counted.changes ?? counted.rowCount);
        if (changes === ids.length) {
          await tx.raw('RELEASE SAVEPOINT seen_chunk');
          for (const id of ids) id.fresh = true;
          continue;
        }
        // Some were: the same insert again, answering with the rows inserted.
        await tx.raw('ROLLBACK TO SAVEPOINT seen_chunk');
        await tx.raw('RELEASE SAVEPOINT seen_chunk');
        const result = await tx.raw(
          `${insert} RETURNING event_time, event_hash`,
          bindings,
        );
        const rows: {
          event_time: number | string;
          event_hash: number | string;
        }[] = Array.isArray(result) ? result : result.rows;
        for (const row of rows) {
          const key = findKey(
            byHash,
            Number(row.event_time),
            Number(row.event_hash),
          );
          if (key) key.fresh = true;
        }
      }
      // The first event of a key inserted now counts; every other is a duplicate.
      let duplicates = 0;
      for (let i = 0; i < batch.events.length; i++) {
        const key = keyOf[i];
        if (key.fresh) {
          key.fresh = false;
          continue;
        }
        const event = batch.events[i];
        duplicates += 1;
        const edge = edges[event.edge];
        if (event.error) edge.errors -= 1;
        else edge.calls -= 1;
      }

      const written = mergeSameKey(
        edges.filter(e => e.calls > 0 || e.errors > 0),
      );
      for (const rows of chunks(written, EDGE_CHUNK)) {
        await tx(EDGE)
          .insert(rows.map(toEdgeRow))
          .onConflict(['table_arn', 'principal', 'operation', 'day'])
          .merge({
            calls: tx.raw('?? + excluded.calls', [`${EDGE}.calls`]),
            errors: tx.raw('?? + excluded.errors', [`${EDGE}.errors`]),
            first_seen: tx.raw(
              'CASE WHEN excluded.first_seen < ?? THEN excluded.first_seen ELSE ?? END',
              [`${EDGE}.first_seen`, `${EDGE}.first_seen`],
            ),
            last_seen: tx.raw(
              'CASE WHEN excluded.last_seen > ?? THEN excluded.last_seen ELSE ?? END',
              [`${EDGE}.last_seen`, `${EDGE}.last_seen`],
            ),
          });
      }

      for (const cursor of batch.cursors) {
        if (!ISO_TIME.test(cursor.updatedAt ?? '')) {
          throw new RangeError(
            `Cursor of ${cursor.trailArn} ${cursor.accountId}/${cursor.region}: updatedAt must be an ISO-8601 time, got ${cursor.updatedAt}`,
          );
        }
        await tx(CURSOR)
          .insert(toCursorRow(cursor))
          .onConflict(['trail_arn', 'account_id', 'region'])
          .merge();
      }
      return { duplicates, edgesWritten: written.length };
    });
  }

  async getCursor(key: IngestCursorKey): Promise<IngestCursor | undefined> {
    const row: CursorRow | undefined = await this.db(CURSOR)
      .where({
        trail_arn: key.trailArn,
        account_id: key.accountId,
        region: key.region,
      })
      .first();
    return row ? toCursor(row) : undefined;
  }

  async getCursors(trailArn: string): Promise<IngestCursor[]> {
    const rows: CursorRow[] = await this.db(CURSOR)
      .where({ trail_arn: trailArn })
      .orderBy(['account_id', 'region']);
    return rows.map(toCursor);
  }

  async readEdges(query: EdgeQuery): Promise<DailyLineageEdge[]> {
    const rows = await this.selectEdges<EdgeRow>(query, select =>
      select.select(),
    );
    return rows.map(toEdge).sort(compareEdges);
  }

  async readEdgeTotals(query: EdgeQuery): Promise<LineageEdgeTotal[]> {
    // A window shorter than the retention is picked first (a materialised
    // CTE), so that the database finds its days by the day index instead of
    // grouping every retained day in primary-key order; a window reaching
    // past the oldest stored day holds every row, which that order reads best.
    const oldest: { day?: string | null } | undefined = await this.db(EDGE)
      .min({ day: 'day' })
      .first();
    const wholeStore = !oldest?.day || query.from <= oldest.day;
    // A table's account and region, and a principal's type and account, are
    // the same on every day: MAX picks that one value.
    const totals = (rows: Knex.QueryBuilder) =>
      rows
        .groupBy(['table_arn', 'principal', 'operation'])
        .select('table_arn', 'principal', 'operation')
        .max({
          account_id: 'account_id',
          region: 'region',
          principal_type: 'principal_type',
          principal_account_id: 'principal_account_id',
          kind: 'kind',
          last_seen: 'last_seen',
        })
        .min({ first_seen: 'first_seen' })
        .sum({ calls: 'calls', errors: 'errors' });
    const rows = await this.selectEdges<Omit<EdgeRow, 'day'>>(query, select =>
      wholeStore
        ? totals(select)
        : totals(
            this.db
              .withMaterialized('window_edges', select.select())
              .from('window_edges'),
          ),
    );
    return rows
      .map(toEdgeTotal)
      .sort(
        (a, b) =>
          cmp(a.tableArn, b.tableArn) ||
          cmp(a.principal, b.principal) ||
          cmp(a.operation, b.operation),
      );
  }

  /**
   * Rows of the edges a query covers, shaped by `shape`; long filter lists
   * are read in slices, each slice one query (slices never share a table
   * and principal, so grouped rows stay whole).
   */
  private async selectEdges<R>(
    query: EdgeQuery,
    shape: (select: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<R[]> {
    const tableArns = query.tableArns ? [...new Set(query.tableArns)] : [];
    const principals = query.principals ? [...new Set(query.principals)] : [];
    if (query.tableArns?.length === 0 || query.principals?.length === 0) {
      return [];
    }
    const tableSlices = query.tableArns
      ? chunks(tableArns, LOOKUP_CHUNK)
      : [undefined];
    const principalSlices = query.principals
      ? chunks(principals, LOOKUP_CHUNK)
      : [undefined];
    const slices: R[][] = [];
    for (const tables of tableSlices) {
      for (const who of principalSlices) {
        const select = this.db(EDGE).where('day', '>=', query.from);
        if (query.to !== undefined) select.andWhere('day', '<=', query.to);
        if (tables) select.whereIn('table_arn', tables);
        if (who) select.whereIn('principal', who);
        slices.push((await shape(select)) as R[]);
      }
    }
    // Not push(...rows): a slice of a long window can exceed the call stack's
    // argument limit.
    return slices.length === 1 ? slices[0] : slices.flat();
  }

  async ingestionState(): Promise<IngestionState[]> {
    const rows: CursorRow[] = await this.db(CURSOR).orderBy([
      'trail_arn',
      'account_id',
      'region',
    ]);
    return rows.map(row => {
      const lag = lagMinutes(row.ingested_through, row.newest_delivered);
      return {
        trailArn: row.trail_arn,
        accountId: row.account_id,
        region: row.region,
        ...(row.ingested_through
          ? { ingestedThrough: row.ingested_through }
          : {}),
        ...(row.newest_delivered
          ? { newestDelivered: row.newest_delivered }
          : {}),
        ...(lag !== undefined ? { lagMinutes: lag } : {}),
        updatedAt: row.updated_at,
      };
    });
  }

  async pruneEdges(beforeDay: string): Promise<number> {
    return this.db(EDGE).where('day', '<', beforeDay).delete();
  }

  async pruneSeenEvents(before: string): Promise<number> {
    const millis = Date.parse(before);
    if (!ISO_TIME.test(before) || !Number.isFinite(millis)) {
      throw new RangeError(
        `pruneSeenEvents: before must be an ISO-8601 time, got ${before}`,
      );
    }
    return this.db(SEEN).where('event_time', '<', millis).delete();
  }
}

interface SeenKey {
  /** The event's time, epoch milliseconds. */
  time: number;
  /** {@link eventIdHash} of its id. */
  hash: number;
  /** Inserted by this commit and not yet claimed by an event of the batch. */
  fresh: boolean;
  /** Another key of the batch with the same hash and another time. */
  next?: SeenKey;
}

function findKey(
  byHash: Map<number, SeenKey>,
  time: number,
  hash: number,
): SeenKey | undefined {
  for (let key = byHash.get(hash); key; key = key.next) {
    if (key.time === time) return key;
  }
  return undefined;
}

/**
 * A 53-bit hash of an event id (two 32-bit multiplicative hashes, cyrb53),
 * a safe integer both databases store as a bigint. The seen-event key pairs it
 * with the event's millisecond, so two ids are only confused when they share
 * that millisecond and these 53 bits: at a million events a day, about one
 * chance in a billion a day of one call left uncounted.
 */
export function eventIdHash(id: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** One row per key: a statement may not upsert the same row twice. */
function mergeSameKey(edges: DailyLineageEdge[]): DailyLineageEdge[] {
  const byKey = new Map<string, DailyLineageEdge>();
  for (const edge of edges) {
    const key = JSON.stringify([
      edge.tableArn,
      edge.principal,
      edge.operation,
      edge.day,
    ]);
    const same = byKey.get(key);
    if (!same) {
      byKey.set(key, edge);
      continue;
    }
    same.calls += edge.calls;
    same.errors += edge.errors;
    if (edge.firstSeen < same.firstSeen) same.firstSeen = edge.firstSeen;
    if (edge.lastSeen > same.lastSeen) same.lastSeen = edge.lastSeen;
  }
  return [...byKey.values()];
}

function toEdgeRow(edge: DailyLineageEdge): EdgeRow {
  return {
    table_arn: edge.tableArn,
    principal: edge.principal,
    operation: edge.operation,
    day: edge.day,
    account_id: edge.accountId,
    region: edge.region,
    principal_type: edge.principalType,
    principal_account_id: edge.principalAccountId ?? null,
    kind: edge.kind,
    calls: edge.calls,
    errors: edge.errors,
    first_seen: edge.firstSeen,
    last_seen: edge.lastSeen,
  };
}

function toEdge(row: EdgeRow): DailyLineageEdge {
  return { ...toEdgeTotal(row), day: row.day };
}

function toEdgeTotal(row: Omit<EdgeRow, 'day'>): LineageEdgeTotal {
  return {
    accountId: row.account_id,
    region: row.region,
    tableArn: row.table_arn,
    principal: row.principal,
    principalType: row.principal_type,
    ...(row.principal_account_id
      ? { principalAccountId: row.principal_account_id }
      : {}),
    operation: row.operation,
    kind: row.kind === 'read' ? 'read' : 'write',
    calls: Number(row.calls),
    errors: Number(row.errors),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

function compareEdges(a: DailyLineageEdge, b: DailyLineageEdge): number {
  return (
    cmp(a.day, b.day) ||
    cmp(a.tableArn, b.tableArn) ||
    cmp(a.principal, b.principal) ||
    cmp(a.operation, b.operation)
  );
}

function cmp(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function toCursorRow(cursor: IngestCursor): CursorRow {
  return {
    trail_arn: cursor.trailArn,
    account_id: cursor.accountId,
    region: cursor.region,
    after_key: cursor.afterKey ?? null,
    minute_keys: cursor.minuteKeys?.length
      ? JSON.stringify(cursor.minuteKeys)
      : null,
    ingested_through: cursor.ingestedThrough ?? null,
    newest_delivered: cursor.newestDelivered ?? null,
    updated_at: cursor.updatedAt,
  };
}

function toCursor(row: CursorRow): IngestCursor {
  return {
    trailArn: row.trail_arn,
    accountId: row.account_id,
    region: row.region,
    ...(row.after_key ? { afterKey: row.after_key } : {}),
    ...(row.minute_keys ? { minuteKeys: JSON.parse(row.minute_keys) } : {}),
    ...(row.ingested_through ? { ingestedThrough: row.ingested_through } : {}),
    ...(row.newest_delivered ? { newestDelivered: row.newest_delivered } : {}),
    updatedAt: row.updated_at,
  };
}

function lagMinutes(
  ingestedThrough: string | null,
  newestDelivered: string | null,
): number | undefined {
  if (!newestDelivered) return undefined;
  if (!ingestedThrough) return undefined;
  const lag =
    (Date.parse(newestDelivered) - Date.parse(ingestedThrough)) / 60000;
  return Number.isFinite(lag)
    ? Math.max(0, Math.round(lag * 10) / 10)
    : undefined;
}
