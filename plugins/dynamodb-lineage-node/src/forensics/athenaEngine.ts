import { randomUUID } from 'node:crypto';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DailyLineageEdge,
  ForensicsQuery,
  ForensicsQueryPage,
  ForensicsQueryStatus,
  ForensicsRow,
  ItemHistoryRow,
  PrincipalActivityRow,
  athenaQueryCostUsd,
  forensicsQueryAccountId,
  isFinalForensicsStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { BoundedMap } from '../boundedMap';
import { AwsClientFactory } from '../clients';
import { AthenaForensicsSettings } from '../config';
import {
  CloudTrailRecord,
  operationKind,
  principalOf,
} from '../dynamodbEvents';
import { listLogObjectsAfter } from '../logReader';
import { logRoot } from '../logKeys';
import {
  AthenaStatement,
  backfillStatement,
  itemHistoryStatement,
  partitionDay,
  partitionDays,
  principalActivityStatement,
} from './athenaQueries';
import {
  CloudTrailTable,
  CloudTrailTableSource,
  cloudTrailTable,
  createDatabaseDdl,
  createTableDdl,
} from './athenaTable';
import {
  ForensicsEngine,
  ForensicsPageRequest,
  forensicsPageSize,
} from './engine';
import { edgesFromBackfillRows } from './athenaBackfill';

/** What a backfill through Athena found and what it cost. */
export interface AthenaBackfillResult {
  edges: DailyLineageEdge[];
  bytesScanned: number;
  costUsd: number;
  estimate: ScanEstimate;
}

/** Groups (day, table, caller, operation) one backfill may return. */
const BACKFILL_MAX_GROUPS = 100_000;

/** A trail's log files of one account, and the regions it logs. */
export interface ForensicsTrail extends CloudTrailTableSource {
  /** The trail's home region, where its bucket is. */
  homeRegion: string;
  regions: string[];
}

export interface AthenaForensicsEngineOptions {
  clients: AwsClientFactory;
  /** Athena settings of an account (its own or the global ones); undefined when Athena is not configured for it. */
  settingsFor(accountId: string): AthenaForensicsSettings | undefined;
  /** The trail whose logs answer for an account; undefined when it has none. */
  trailFor(accountId: string): Promise<ForensicsTrail | undefined>;
  /** Rows one query keeps (more are cut and the answer says so). Default 10,000. */
  maxRows?: number;
}

/** One row from Athena, by column name. */
type AthenaRow = Record<string, string | undefined>;

interface QueryEntry {
  query: ForensicsQuery;
  accountId: string;
  athena: AthenaClient;
  athenaId: string;
  table: CloudTrailTable;
  estimate: ScanEstimate;
  rows?: ForensicsRow[];
  truncated: boolean;
}

export interface ScanEstimate {
  bytes: number;
  objects: number;
  /** Prefixes listed; fewer than the partitions when the estimate sampled. */
  prefixesListed: number;
  partitions: number;
}

const STATUS: Record<string, ForensicsQueryStatus> = {
  QUEUED: 'queued',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

const DEFAULT_MAX_ROWS = 10_000;
/** Partitions listed for an estimate at most; beyond, an even sample is listed and scaled. */
const MAX_ESTIMATE_PREFIXES = 400;
const ESTIMATE_CONCURRENCY = 8;
const DDL_TIMEOUT_MS = 120_000;
const GB = 1024 ** 3;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const formatBytes = (bytes: number) =>
  bytes >= GB
    ? `${(bytes / GB).toFixed(1)} GB`
    : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** The day partitions of [from, to) as `YYYY/MM/DD`. */
function dayList(from: string, to: string): string[] {
  const { first, count } = partitionDays(from, to);
  const start = Date.parse(`${first.replace(/\//g, '-')}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    partitionDay(start + i * 86_400_000),
  );
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function forEachLimited<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Whether a logged key (`{"pk":"v"}`, or typed `{"pk":{"S":"v"}}`) is the item's key. */
function sameKey(logged: unknown, key: Record<string, string>): boolean {
  if (!logged || typeof logged !== 'object') return false;
  return Object.entries(key).every(([name, value]) => {
    const v = (logged as Record<string, unknown>)[name];
    if (v && typeof v === 'object') {
      const typed = v as Record<string, unknown>;
      return ['S', 'N', 'B'].some(t => String(typed[t]) === value);
    }
    return v !== undefined && v !== null && String(v) === value;
  });
}

function parseJson(text: string | undefined): any {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The record fields that decide principal and read/write, from a row. */
export function recordOfRow(row: AthenaRow): CloudTrailRecord {
  return {
    eventName: row.eventname ?? row.operation,
    readOnly: row.readonly === 'true',
    requestParameters: parseJson(row.requestparameters ?? row.statements),
    userIdentity: {
      type: row.principal_type,
      arn: row.identity_arn,
      invokedBy: row.invoked_by,
      principalId: row.principal_id,
      ...(row.issuer_arn
        ? { sessionContext: { sessionIssuer: { arn: row.issuer_arn } } }
        : {}),
    },
  };
}

/** `YYYY-MM-DDTHH:MM:SSZ` as `toISOString` writes it. */
const isoTime = (eventTime: string | undefined) =>
  eventTime ? new Date(eventTime).toISOString() : '';

/**
 * Forensics on Amazon Athena over the trail's own bucket: per trail and
 * account a CloudTrail table with partition projection (created once,
 * idempotently), queries that name their partitions, a byte-scanned guard
 * estimated from an S3 listing of those partitions before anything runs, and
 * the cost Athena bills for what it scanned.
 */
export class AthenaForensicsEngine implements ForensicsEngine {
  readonly name = 'athena' as const;
  private readonly queries = new BoundedMap<QueryEntry>(1000);
  private readonly tablesReady = new Map<string, Promise<void>>();
  private readonly maxRows: number;

  constructor(private readonly options: AthenaForensicsEngineOptions) {
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  }

  /** Where a query for the account runs: the table, the client, the settings. */
  async prepare(accountId: string) {
    const settings = this.options.settingsFor(accountId);
    if (!settings) {
      throw new InputError(
        `Athena is not configured for account ${accountId} (dynamodbLineage.forensics.athena)`,
      );
    }
    const trail = await this.options.trailFor(accountId);
    if (!trail) {
      throw new InputError(
        `Account ${accountId} has no CloudTrail trail whose logs Athena could read`,
      );
    }
    const region = settings.region ?? trail.homeRegion;
    const clients = await this.options.clients.forAccount(accountId, region);
    const table = cloudTrailTable(trail, settings.database);
    return { settings, trail, table, clients, region };
  }

  /**
   * The compressed bytes under the partitions a query reads: what Athena
   * would scan. Many partitions are sampled evenly and scaled.
   */
  async estimateScan(
    clients: { s3: S3Client },
    trail: ForensicsTrail,
    regions: string[],
    range: { from: string; to: string },
  ): Promise<ScanEstimate> {
    const days = dayList(range.from, range.to);
    const prefixes = regions.flatMap(region =>
      days.map(
        day =>
          `${logRoot(trail)}${trail.accountId}/CloudTrail/${region}/${day}/`,
      ),
    );
    const step = Math.max(1, prefixes.length / MAX_ESTIMATE_PREFIXES);
    const sample: string[] = [];
    for (let i = 0; i < prefixes.length; i += step) {
      sample.push(prefixes[Math.floor(i)]);
    }
    let bytes = 0;
    let objects = 0;
    await forEachLimited(sample, ESTIMATE_CONCURRENCY, async prefix => {
      const listed = await listLogObjectsAfter(
        clients.s3,
        trail.bucketName,
        prefix,
      );
      for (const object of listed.objects) {
        bytes += object.size ?? 0;
        objects++;
      }
    });
    const scale = prefixes.length / Math.max(1, sample.length);
    return {
      bytes: Math.round(bytes * scale),
      objects: Math.round(objects * scale),
      prefixesListed: sample.length,
      partitions: prefixes.length,
    };
  }

  /** Creates the database and table once per process (Athena DDL, IF NOT EXISTS). */
  ensureTable(
    athena: AthenaClient,
    settings: AthenaForensicsSettings,
    table: CloudTrailTable,
    region: string,
  ): Promise<void> {
    const key = `${region}/${table.database}.${table.name}`;
    let ready = this.tablesReady.get(key);
    if (!ready) {
      ready = (async () => {
        for (const sql of [
          createDatabaseDdl(table.database),
          createTableDdl(table),
        ]) {
          const id = await this.startStatement(
            athena,
            settings,
            { sql, parameters: [] },
            table.database,
          );
          const done = await this.waitFor(athena, id, DDL_TIMEOUT_MS);
          if (done.Status?.State !== 'SUCCEEDED') {
            throw new Error(
              `Athena could not create ${table.database}.${table.name}: ${
                done.Status?.StateChangeReason ?? done.Status?.State
              }`,
            );
          }
        }
      })();
      ready.catch(() => this.tablesReady.delete(key));
      this.tablesReady.set(key, ready);
    }
    return ready;
  }

  private async startStatement(
    athena: AthenaClient,
    settings: AthenaForensicsSettings,
    statement: AthenaStatement,
    database: string,
  ): Promise<string> {
    const started = await athena.send(
      new StartQueryExecutionCommand({
        QueryString: statement.sql,
        WorkGroup: settings.workGroup,
        QueryExecutionContext: { Database: database },
        ...(settings.outputLocation
          ? { ResultConfiguration: { OutputLocation: settings.outputLocation } }
          : {}),
        ...(statement.parameters.length
          ? { ExecutionParameters: statement.parameters }
          : {}),
      }),
    );
    if (!started.QueryExecutionId) {
      throw new Error('Athena answered StartQueryExecution without an id');
    }
    return started.QueryExecutionId;
  }

  private async waitFor(
    athena: AthenaClient,
    id: string,
    timeoutMs: number,
  ): Promise<QueryExecution> {
    const deadline = Date.now() + timeoutMs;
    let delay = 100;
    for (;;) {
      const { QueryExecution: execution } = await athena.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      const state = execution?.Status?.State ?? 'QUEUED';
      if (isFinalForensicsStatus(STATUS[state] ?? 'queued')) return execution!;
      if (Date.now() > deadline) {
        throw new Error(
          `Athena query ${id} is still ${state} after ${timeoutMs / 1000} s`,
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 2000);
    }
  }

  /**
   * Daily lineage edges of one account's logs for whole past days, through
   * Athena: one grouped query (guarded like the others), waited for, its
   * groups turned into edges as ingestion makes them. Days are `YYYY-MM-DD`,
   * `to` inclusive.
   */
  async backfill(request: {
    accountId: string;
    from: string;
    to: string;
    /** Default: every region the trail logs. */
    regions?: string[];
    /** How long to wait for Athena; default 30 minutes. */
    timeoutMs?: number;
  }): Promise<AthenaBackfillResult> {
    const DAY = /^\d{4}-\d{2}-\d{2}$/;
    if (
      !DAY.test(request.from) ||
      !DAY.test(request.to) ||
      request.from > request.to
    ) {
      throw new InputError(
        'from and to must be days (YYYY-MM-DD), from not after to',
      );
    }
    const { settings, trail, table, clients, region } = await this.prepare(
      request.accountId,
    );
    const regions = request.regions ?? trail.regions;
    const unlogged = regions.filter(r => !trail.regions.includes(r));
    if (unlogged.length) {
      throw new InputError(
        `Trail ${trail.trailName} of account ${
          request.accountId
        } does not log ${unlogged.join(', ')}`,
      );
    }
    const range = {
      from: `${request.from}T00:00:00.000Z`,
      to: new Date(
        Date.parse(`${request.to}T00:00:00.000Z`) + 86_400_000,
      ).toISOString(),
    };
    const estimate = await this.estimateScan(clients, trail, regions, range);
    this.guard(estimate, settings, 'the days or the regions');
    await this.ensureTable(clients.athena, settings, table, region);
    const athenaId = await this.startStatement(
      clients.athena,
      settings,
      backfillStatement(table, { regions, ...range }, BACKFILL_MAX_GROUPS + 1),
      table.database,
    );
    const done = await this.waitFor(
      clients.athena,
      athenaId,
      request.timeoutMs ?? 30 * 60_000,
    );
    const bytesScanned = done.Statistics?.DataScannedInBytes ?? 0;
    if (done.Status?.State !== 'SUCCEEDED') {
      throw new Error(
        `Athena backfill ${athenaId} ended ${done.Status?.State}: ${
          done.Status?.StateChangeReason ?? 'no reason given'
        }`,
      );
    }
    const rows = await readAthenaRows(
      clients.athena,
      athenaId,
      BACKFILL_MAX_GROUPS + 1,
    );
    if (rows.length > BACKFILL_MAX_GROUPS) {
      throw new InputError(
        `The backfill of ${request.from} to ${request.to} has more than ${BACKFILL_MAX_GROUPS} groups: backfill fewer days at a time`,
      );
    }
    return {
      edges: edgesFromBackfillRows(rows),
      bytesScanned,
      costUsd: athenaQueryCostUsd(bytesScanned),
      estimate,
    };
  }

  private guard(
    estimate: ScanEstimate,
    settings: AthenaForensicsSettings,
    narrow: string,
  ) {
    if (estimate.bytes <= settings.maxScanBytes) return;
    throw new InputError(
      `This query would scan about ${formatBytes(
        estimate.bytes,
      )} of CloudTrail logs (${
        estimate.objects
      } files, about $${athenaQueryCostUsd(estimate.bytes).toFixed(
        4,
      )} at $5 per TB), above the limit of ${formatBytes(
        settings.maxScanBytes,
      )} (dynamodbLineage.forensics.athena.maxScanGb): narrow ${narrow}`,
    );
  }

  async start(query: ForensicsQuery): Promise<string> {
    const accountId = forensicsQueryAccountId(query);
    const { settings, trail, table, clients, region } = await this.prepare(
      accountId,
    );
    const regions =
      query.kind === 'item-history'
        ? [query.tableArn.split(':')[3]]
        : query.regions ?? trail.regions;
    const unlogged = regions.filter(r => !trail.regions.includes(r));
    if (unlogged.length) {
      throw new InputError(
        `Trail ${
          trail.trailName
        } of account ${accountId} does not log ${unlogged.join(', ')}`,
      );
    }
    const estimate = await this.estimateScan(clients, trail, regions, query);
    this.guard(
      estimate,
      settings,
      query.kind === 'principal-activity'
        ? 'the time range or the regions'
        : 'the time range',
    );
    await this.ensureTable(clients.athena, settings, table, region);
    const statement =
      query.kind === 'item-history'
        ? itemHistoryStatement(table, query, this.maxRows + 1)
        : principalActivityStatement(table, query, regions, this.maxRows + 1);
    const athenaId = await this.startStatement(
      clients.athena,
      settings,
      statement,
      table.database,
    );
    const id = randomUUID();
    this.queries.set(id, {
      query,
      accountId,
      athena: clients.athena,
      athenaId,
      table,
      estimate,
      truncated: false,
    });
    return id;
  }

  private entry(id: string): QueryEntry {
    const entry = this.queries.get(id);
    if (!entry) throw new NotFoundError(`No forensics query ${id}`);
    return entry;
  }

  async get(
    id: string,
    page: ForensicsPageRequest = {},
  ): Promise<ForensicsQueryPage> {
    const entry = this.entry(id);
    const pageSize = forensicsPageSize(page);
    let offset = 0;
    if (page.nextToken !== undefined) {
      const decoded = /^(\d+):(.+)$/.exec(
        Buffer.from(page.nextToken, 'base64url').toString('utf8'),
      );
      if (!decoded || decoded[2] !== id) {
        throw new InputError('nextToken was not issued for this query');
      }
      offset = Number(decoded[1]);
    }
    const { QueryExecution: execution } = await entry.athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: entry.athenaId }),
    );
    const status = STATUS[execution?.Status?.State ?? 'QUEUED'] ?? 'queued';
    const bytesScanned = execution?.Statistics?.DataScannedInBytes ?? 0;
    if (status === 'succeeded' && !entry.rows) {
      entry.rows = await this.readRows(entry);
    }
    const rows = status === 'succeeded' ? entry.rows ?? [] : [];
    const next =
      offset + pageSize < rows.length ? offset + pageSize : undefined;
    return {
      status,
      engine: 'athena',
      bytesScanned,
      costUsd: athenaQueryCostUsd(bytesScanned),
      note: `Athena over ${entry.table.location} (table ${
        entry.table.database
      }.${entry.table.name}); estimated ${formatBytes(
        entry.estimate.bytes,
      )} in ${entry.estimate.objects} files before running`,
      truncated: entry.truncated,
      ...(status === 'failed'
        ? {
            error:
              execution?.Status?.StateChangeReason ?? 'Athena query failed',
          }
        : {}),
      rows: rows.slice(offset, offset + pageSize),
      ...(next !== undefined
        ? { nextToken: Buffer.from(`${next}:${id}`).toString('base64url') }
        : {}),
    };
  }

  async cancel(id: string): Promise<void> {
    const entry = this.entry(id);
    const { QueryExecution: execution } = await entry.athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: entry.athenaId }),
    );
    if (
      isFinalForensicsStatus(
        STATUS[execution?.Status?.State ?? 'QUEUED'] ?? 'queued',
      )
    ) {
      return;
    }
    await entry.athena.send(
      new StopQueryExecutionCommand({ QueryExecutionId: entry.athenaId }),
    );
  }

  /** Every result row of a finished query, mapped (and for item history confirmed), up to maxRows. */
  private async readRows(entry: QueryEntry): Promise<ForensicsRow[]> {
    const raw = await readAthenaRows(
      entry.athena,
      entry.athenaId,
      this.maxRows + 1,
    );
    if (raw.length > this.maxRows) {
      entry.truncated = true;
      raw.length = this.maxRows;
    }
    const { query } = entry;
    if (query.kind === 'item-history') {
      return raw.flatMap((row): ItemHistoryRow[] => {
        const params = parseJson(row.requestparameters);
        const logged = [
          params?.key,
          ...(Array.isArray(params?.requestItems)
            ? params.requestItems.map((item: any) => item?.key)
            : []),
        ];
        if (!logged.some(key => sameKey(key, query.key))) return [];
        const record = recordOfRow(row);
        const { principal, principalType } = principalOf(record);
        return [
          {
            eventTime: isoTime(row.eventtime),
            eventId: row.eventid ?? '',
            eventName: row.eventname ?? '',
            kind: operationKind(record),
            principal,
            principalType,
            ...(row.identity_arn ? { identityArn: row.identity_arn } : {}),
            ...(row.sourceipaddress
              ? { sourceIpAddress: row.sourceipaddress }
              : {}),
            ...(row.useragent ? { userAgent: row.useragent } : {}),
            ...(row.errorcode ? { errorCode: row.errorcode } : {}),
            region: row.awsregion ?? '',
            tableArn: query.tableArn,
          },
        ];
      });
    }
    // Principal activity: PartiQL groups fold into their table and operation.
    const rows = new Map<string, PrincipalActivityRow>();
    for (const row of raw) {
      const kind = operationKind(recordOfRow(row));
      const key = [
        row.account_id,
        row.event_region,
        row.table_arn,
        row.operation,
        kind,
      ].join('|');
      const calls = Number(row.calls ?? 0);
      const errors = Number(row.errors ?? 0);
      const firstSeen = isoTime(row.first_seen);
      const lastSeen = isoTime(row.last_seen);
      const existing = rows.get(key);
      if (existing) {
        existing.calls += calls;
        existing.errors += errors;
        if (firstSeen < existing.firstSeen) existing.firstSeen = firstSeen;
        if (lastSeen > existing.lastSeen) existing.lastSeen = lastSeen;
      } else {
        rows.set(key, {
          accountId: row.account_id ?? entry.accountId,
          region: row.event_region ?? '',
          tableArn: row.table_arn ?? '',
          operation: row.operation ?? '',
          kind,
          calls,
          errors,
          firstSeen,
          lastSeen,
        });
      }
    }
    return [...rows.values()];
  }
}

function sameValues(
  row: { Data?: { VarCharValue?: string }[] } | undefined,
  names: string[],
): boolean {
  const values = (row?.Data ?? []).map(d => d.VarCharValue);
  return (
    values.length === names.length && values.every((v, j) => v === names[j])
  );
}

/** The rows of a finished query by column name (the header row skipped), at most `max`. */
export async function readAthenaRows(
  athena: AthenaClient,
  queryExecutionId: string,
  max: number,
): Promise<AthenaRow[]> {
  const out: AthenaRow[] = [];
  let columns: string[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await athena.send(
      new GetQueryResultsCommand({
        QueryExecutionId: queryExecutionId,
        NextToken: token,
        MaxResults: 1000,
      }),
    );
    const rows = page.ResultSet?.Rows ?? [];
    if (first) {
      columns =
        page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map(c => c.Name ?? '') ??
        [];
    }
    // The first page starts with the column names.
    const header = first ? sameValues(rows[0], columns) : false;
    first = false;
    for (const row of rows.slice(header ? 1 : 0)) {
      const values = (row.Data ?? []).map(d => d.VarCharValue);
      out.push(Object.fromEntries(columns.map((name, j) => [name, values[j]])));
      if (out.length >= max) return out;
    }
    token = page.NextToken;
  } while (token);
  return out;
}
