import { S3Client } from '@aws-sdk/client-s3';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ForensicsQuery,
  ForensicsQueryPage,
  ForensicsQueryProgress,
  ForensicsRow,
  ItemHistoryQuery,
  ItemHistoryRow,
  PrincipalActivityQuery,
  PrincipalActivityRow,
  isFinalForensicsStatus,
  s3ReadCostUsd,
} from '@lineage/plugin-dynamodb-lineage-common';
import { randomUUID } from 'node:crypto';
import { BoundedMap } from '../boundedMap';
import {
  CloudTrailRecord,
  isDynamoDbDataEvent,
  namesTable,
  operationKind,
  principalOf,
  tableArnsOf,
} from '../dynamodbEvents';
import { logPrefix, parseLogKey } from '../logKeys';
import {
  LogObject,
  listLogObjectsAfter,
  newestFirst,
  readLogRecords,
  resolveLogLocation,
} from '../logReader';
import {
  ForensicsEngine,
  ForensicsPageRequest,
  forensicsPageSize,
} from './engine';

/** A trail's delivered logs of one account-region, and the client that reads them. */
export interface ForensicsLogSource {
  accountId: string;
  region: string;
  s3: S3Client;
  trail: {
    name: string;
    s3BucketName: string;
    s3KeyPrefix?: string;
    isOrganizationTrail: boolean;
  };
}

/**
 * Which trails' logs answer a query: one source per account-region searched,
 * and the regions searched that no known trail covers. Throws `NotFoundError`
 * when no trail at all covers what the query asks about.
 */
export type ForensicsLogLocator = (
  query: ForensicsQuery,
) => Promise<{ sources: ForensicsLogSource[]; uncovered: string[] }>;

export interface LogForensicsEngineOptions {
  locate: ForensicsLogLocator;
  /** How far back the engine reads, in hours before now. */
  windowHours: number;
  /** Compressed bytes of log files one query may download. */
  byteBudget: number;
  /** How long one query may read, in milliseconds. */
  maxDurationMs: number;
  /** Rows one query keeps at most (item-history events; principal-activity rows). */
  maxRows: number;
  /** Queries reading at once; more wait `queued`. */
  concurrency: number;
  /** Queries remembered (running or finished); the oldest are forgotten beyond it. */
  maxQueries: number;
  now?: () => Date;
}

export const DEFAULT_LOG_FORENSICS_OPTIONS = {
  windowHours: 24,
  maxDurationMs: 60_000,
  maxRows: 10_000,
  concurrency: 2,
  maxQueries: 200,
};

const HOUR_MS = 3600_000;
/** How far a caller's clock may be behind the backend's. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 24 * HOUR_MS;
/** Files handed to the reader at once: cancellation and the time bound are checked between batches. */
const FILES_PER_BATCH = 8;
/** ListObjectsV2 answers at most this many keys a call. */
const KEYS_PER_LIST = 1000;

interface LogQuery {
  id: string;
  query: ForensicsQuery;
  progress: ForensicsQueryProgress;
  rows: ForensicsRow[];
  cancelled: boolean;
}

class Cancelled extends Error {}

interface Matcher {
  /** `key` is the log file the record is in. */
  add(record: CloudTrailRecord, source: ForensicsLogSource, key: string): void;
  rows(): ForensicsRow[];
  overflowed: boolean;
}

function inWindow(
  record: CloudTrailRecord,
  window: { from: Date; to: Date },
): boolean {
  const time = record.eventTime ? Date.parse(record.eventTime) : NaN;
  return time >= window.from.getTime() && time < window.to.getTime();
}

type KeyedEntry = { key?: unknown; tableName?: unknown };

/** Whether a logged key (`{"pk": "order#123"}`) names exactly the query's attribute values. */
export function keyMatches(
  logged: unknown,
  key: Record<string, string>,
): boolean {
  if (!logged || typeof logged !== 'object') return false;
  const values = logged as Record<string, unknown>;
  return Object.entries(key).every(([name, value]) => {
    const loggedValue = values[name];
    return (
      (typeof loggedValue === 'string' || typeof loggedValue === 'number') &&
      String(loggedValue) === value
    );
  });
}

/**
 * Whether a record names the item: its `requestParameters.key`, or the key of
 * one of its `requestItems[]` (batch and transaction calls) for the table.
 */
export function recordNamesItem(
  record: CloudTrailRecord,
  table: { arn: string; name: string },
  key: Record<string, string>,
): boolean {
  const params = record.requestParameters as
    | (KeyedEntry & { requestItems?: KeyedEntry[] })
    | null
    | undefined;
  if (!params) return false;
  if (keyMatches(params.key, key)) return true;
  return (params.requestItems ?? []).some(
    entry =>
      entry &&
      (entry.tableName === undefined ||
        entry.tableName === table.name ||
        entry.tableName === table.arn) &&
      keyMatches(entry.key, key),
  );
}

class ItemHistoryMatcher implements Matcher {
  private readonly events = new Map<string, ItemHistoryRow>();
  /** Where each event was logged: its file, and its place among the records read. */
  private readonly logged = new Map<string, { file: string; seq: number }>();
  private seq = 0;
  private readonly table: { arn: string; name: string };
  overflowed = false;

  constructor(
    private readonly query: ItemHistoryQuery,
    private readonly window: { from: Date; to: Date },
    private readonly maxRows: number,
  ) {
    this.table = {
      arn: query.tableArn,
      name: query.tableArn.slice(query.tableArn.indexOf('/') + 1),
    };
  }

  add(
    record: CloudTrailRecord,
    source: ForensicsLogSource,
    file: string,
  ): void {
    if (
      !isDynamoDbDataEvent(record) ||
      !namesTable(record, this.query.tableArn) ||
      !inWindow(record, this.window) ||
      !recordNamesItem(record, this.table, this.query.key)
    ) {
      return;
    }
    const eventId = record.eventID ?? `${record.requestID}:${record.eventTime}`;
    if (this.events.has(eventId)) return;
    if (this.events.size >= this.maxRows) {
      this.overflowed = true;
      return;
    }
    this.logged.set(eventId, { file, seq: this.seq++ });
    const { principal, principalType } = principalOf(record);
    const extra = record as CloudTrailRecord & {
      sourceIPAddress?: string;
      userAgent?: string;
    };
    this.events.set(eventId, {
      eventTime: record.eventTime!,
      eventId,
      eventName: record.eventName ?? 'unknown',
      kind: operationKind(record),
      principal,
      principalType,
      ...(record.userIdentity?.arn
        ? { identityArn: record.userIdentity.arn }
        : {}),
      ...(extra.sourceIPAddress
        ? { sourceIpAddress: extra.sourceIPAddress }
        : {}),
      ...(extra.userAgent ? { userAgent: extra.userAgent } : {}),
      ...(record.errorCode ? { errorCode: record.errorCode } : {}),
      region: record.awsRegion ?? source.region,
      tableArn: this.query.tableArn,
    });
  }

  /**
   * Newest first: the first write is the last change. CloudTrail times are
   * whole seconds; calls of the same second keep the order they were logged
   * in (a later-delivered file, then a later record of a file, first).
   */
  rows(): ItemHistoryRow[] {
    const at = (row: ItemHistoryRow) => this.logged.get(row.eventId)!;
    return [...this.events.values()].sort(
      (a, b) =>
        b.eventTime.localeCompare(a.eventTime) ||
        at(b).file.localeCompare(at(a).file) ||
        at(b).seq - at(a).seq,
    );
  }
}

/**
 * Whether the principal a record was made by is the query's: equal, or, for
 * a role given without its path (as an assumed-role session ARN names it),
 * the role of that name in that account.
 */
export function principalMatches(recorded: string, wanted: string): boolean {
  if (recorded === wanted) return true;
  const role = /^(arn:[^:]+:iam::\d{12}:role\/)(?:.*\/)?([^/]+)$/;
  const a = role.exec(recorded);
  const b = role.exec(wanted);
  return (
    !!a &&
    !!b &&
    a[1] === b[1] &&
    a[2] === b[2] &&
    !wanted.slice(b[1].length).includes('/')
  );
}

class PrincipalActivityMatcher implements Matcher {
  private readonly seen = new Set<string>();
  private readonly activity = new Map<string, PrincipalActivityRow>();
  overflowed = false;

  constructor(
    private readonly query: PrincipalActivityQuery,
    private readonly window: { from: Date; to: Date },
    private readonly maxRows: number,
  ) {}

  add(record: CloudTrailRecord, source: ForensicsLogSource): void {
    if (
      !isDynamoDbDataEvent(record) ||
      !inWindow(record, this.window) ||
      !principalMatches(principalOf(record).principal, this.query.principal)
    ) {
      return;
    }
    const eventId = record.eventID ?? `${record.requestID}:${record.eventTime}`;
    if (this.seen.has(eventId)) return;
    this.seen.add(eventId);
    const operation = record.eventName ?? 'unknown';
    const kind = operationKind(record);
    const region = record.awsRegion ?? source.region;
    for (const tableArn of tableArnsOf(record)) {
      const id = `${region} ${tableArn} ${operation}`;
      let row = this.activity.get(id);
      if (!row) {
        if (this.activity.size >= this.maxRows) {
          this.overflowed = true;
          continue;
        }
        row = {
          accountId: source.accountId,
          region,
          tableArn,
          operation,
          kind,
          calls: 0,
          errors: 0,
          firstSeen: record.eventTime!,
          lastSeen: record.eventTime!,
        };
        this.activity.set(id, row);
      }
      if (record.errorCode) row.errors += 1;
      else row.calls += 1;
      if (record.eventTime! < row.firstSeen) row.firstSeen = record.eventTime!;
      if (record.eventTime! > row.lastSeen) row.lastSeen = record.eventTime!;
    }
  }

  /** Per table, then per operation. */
  rows(): PrincipalActivityRow[] {
    return [...this.activity.values()].sort(
      (a, b) =>
        a.tableArn.localeCompare(b.tableArn) ||
        a.operation.localeCompare(b.operation) ||
        a.region.localeCompare(b.region),
    );
  }
}

/**
 * Answers forensics queries by reading a trail's delivered log files itself,
 * for a recent window only (`windowHours`), bounded in bytes, time and rows;
 * each result says what it covered. Queries live in this process's memory,
 * at most `maxQueries` of them.
 */
export class LogForensicsEngine implements ForensicsEngine {
  readonly name = 'logs' as const;
  private readonly queries: BoundedMap<LogQuery>;
  private readonly now: () => Date;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: LogForensicsEngineOptions) {
    this.queries = new BoundedMap(options.maxQueries);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The range the logs are read for: `from` moved up to the window's start.
   * Throws `InputError` when the range ends before the window starts.
   */
  window(query: ForensicsQuery): { from: Date; to: Date; clipped: boolean } {
    const now = this.now();
    const windowStart = new Date(
      now.getTime() - this.options.windowHours * HOUR_MS,
    );
    // A range the caller computed moments ago as "the last N hours" is not clipped.
    const clipBefore = windowStart.getTime() - CLOCK_SKEW_MS;
    const from = new Date(query.from);
    const to = new Date(Math.min(Date.parse(query.to), now.getTime()));
    if (to.getTime() <= windowStart.getTime() || from >= to) {
      throw new InputError(
        `The delivered logs are read directly for the last ${
          this.options.windowHours
        } h only (since ${windowStart.toISOString()}), and this range ends before that: configure Athena for the account to search older events`,
      );
    }
    return from.getTime() < clipBefore
      ? { from: windowStart, to, clipped: true }
      : { from, to, clipped: false };
  }

  async start(query: ForensicsQuery): Promise<string> {
    const window = this.window(query);
    const located = await this.options.locate(query);
    const id = randomUUID();
    const state: LogQuery = {
      id,
      query,
      progress: {
        status: 'queued',
        engine: 'logs',
        bytesScanned: 0,
        costUsd: 0,
        truncated: false,
        note: this.describe(window, located.uncovered),
      },
      rows: [],
      cancelled: false,
    };
    this.queries.set(id, state);
    void this.run(state, window, located.sources);
    return id;
  }

  async get(
    id: string,
    page: ForensicsPageRequest = {},
  ): Promise<ForensicsQueryPage> {
    const state = this.find(id);
    const pageSize = forensicsPageSize(page);
    const done = state.progress.status === 'succeeded';
    const offset = page.nextToken ? decodeToken(page.nextToken) : 0;
    if (page.nextToken && (!done || offset >= state.rows.length)) {
      throw new InputError('nextToken is not a page token of this query');
    }
    const rows = done ? state.rows.slice(offset, offset + pageSize) : [];
    const next = offset + pageSize;
    return {
      ...state.progress,
      rows,
      ...(done && next < state.rows.length
        ? { nextToken: encodeToken(next) }
        : {}),
    };
  }

  async cancel(id: string): Promise<void> {
    const state = this.find(id);
    if (isFinalForensicsStatus(state.progress.status)) return;
    // Reported at once; the reader stops at its next file batch.
    state.cancelled = true;
    state.progress.status = 'cancelled';
  }

  private find(id: string): LogQuery {
    const state = this.queries.get(id);
    if (!state) throw new NotFoundError(`No forensics query ${id}`);
    return state;
  }

  private describe(
    window: { from: Date; to: Date; clipped: boolean },
    uncovered: string[],
  ): string {
    const parts = [
      `read the delivered logs directly: last ${this.options.windowHours} h only`,
    ];
    if (window.clipped) {
      parts.push(
        `events before ${window.from.toISOString()} were not searched`,
      );
    }
    if (uncovered.length) {
      parts.push(`no known trail logs ${uncovered.join(', ')}`);
    }
    return parts.join('; ');
  }

  private async run(
    state: LogQuery,
    window: { from: Date; to: Date },
    sources: ForensicsLogSource[],
  ): Promise<void> {
    await this.slot();
    try {
      if (state.cancelled) {
        state.progress.status = 'cancelled';
        return;
      }
      state.progress.status = 'running';
      const matcher =
        state.query.kind === 'item-history'
          ? new ItemHistoryMatcher(state.query, window, this.options.maxRows)
          : new PrincipalActivityMatcher(
              state.query,
              window,
              this.options.maxRows,
            );
      const stopped = await this.read(state, window, sources, matcher);
      if (stopped) {
        state.progress.truncated = true;
        state.progress.note = `${state.progress.note}; stopped at ${stopped} before the whole range was read`;
      }
      if (state.cancelled) throw new Cancelled();
      state.rows = matcher.rows();
      if (matcher.overflowed) {
        state.progress.truncated = true;
        state.progress.note = `${state.progress.note}; only the first ${this.options.maxRows} rows were kept`;
      }
      state.progress.status = 'succeeded';
    } catch (error) {
      if (error instanceof Cancelled) {
        state.progress.status = 'cancelled';
      } else {
        state.progress.status = 'failed';
        state.progress.error = `Reading the delivered logs failed: ${
          error instanceof Error ? error.message : String(error)
        }`;
      }
    } finally {
      this.release();
    }
  }

  /**
   * Reads each source's files of the window, newest first, until the window
   * is covered or a bound stops it; returns the bound that stopped it.
   */
  private async read(
    state: LogQuery,
    window: { from: Date; to: Date },
    sources: ForensicsLogSource[],
    matcher: Matcher,
  ): Promise<string | undefined> {
    const started = Date.now();
    const { byteBudget, maxDurationMs } = this.options;
    let gets = 0;
    let lists = 0;
    const account = (bytes: number, files: number, listCalls: number) => {
      state.progress.bytesScanned += bytes;
      gets += files;
      lists += listCalls;
      state.progress.costUsd = s3ReadCostUsd(gets, lists);
    };
    const check = (): string | undefined => {
      if (state.cancelled) throw new Cancelled();
      if (state.progress.bytesScanned >= byteBudget) {
        return `the byte budget of ${formatMb(byteBudget)}`;
      }
      if (Date.now() - started >= maxDurationMs) {
        return `the time limit of ${Math.round(maxDurationMs / 1000)} s`;
      }
      return undefined;
    };

    const now = this.now().getTime();
    // Delivery lags the event by minutes: the day after `to` may hold its last records.
    const lastDay = Math.min(window.to.getTime() + DAY_MS, now);
    const fromIso = window.from.toISOString();
    for (const source of sources) {
      const location = await resolveLogLocation(source.s3, source.trail);
      for (
        let day = lastDay;
        dayStart(day) >= dayStart(window.from.getTime());
        day -= DAY_MS
      ) {
        const stop = check();
        if (stop) return stop;
        const prefix = logPrefix(
          location,
          source.accountId,
          source.region,
          new Date(day),
        );
        const listing = await listLogObjectsAfter(
          source.s3,
          source.trail.s3BucketName,
          prefix,
        );
        account(
          0,
          0,
          Math.max(1, Math.ceil(listing.objects.length / KEYS_PER_LIST)),
        );
        const listed = newestFirst(listing.objects);
        // A file delivered before `from` holds only older records, and so do all after it.
        const cutoff = listed.findIndex(o => {
          const parsed = parseLogKey(o.key);
          return parsed !== undefined && parsed.deliveredAt < fromIso;
        });
        const files = (cutoff === -1 ? listed : listed.slice(0, cutoff)).filter(
          o => o.key.endsWith('.json.gz'),
        );
        for (let i = 0; i < files.length; i += FILES_PER_BATCH) {
          const stopBatch = check();
          if (stopBatch) return stopBatch;
          const batch: LogObject[] = files.slice(i, i + FILES_PER_BATCH);
          const stats = await readLogRecords(
            source.s3,
            source.trail.s3BucketName,
            batch,
            {
              byteBudget: byteBudget - state.progress.bytesScanned,
              visit: (record, key) => matcher.add(record, source, key),
            },
          );
          account(stats.bytesRead, stats.filesRead, 0);
          if (stats.truncated) {
            return `the byte budget of ${formatMb(byteBudget)}`;
          }
        }
        if (cutoff !== -1) break;
      }
    }
    return check();
  }

  /** Waits for one of the `concurrency` reading slots. */
  private async slot(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running += 1;
      return;
    }
    await new Promise<void>(resolve => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}

function encodeToken(offset: number): string {
  return Buffer.from(`rows:${offset}`).toString('base64url');
}

function decodeToken(token: string): number {
  const match = /^rows:(\d{1,9})$/.exec(
    Buffer.from(token, 'base64url').toString('utf8'),
  );
  if (!match) {
    throw new InputError('nextToken is not a page token of this query');
  }
  return Number(match[1]);
}

function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function formatMb(bytes: number): string {
  return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
}
