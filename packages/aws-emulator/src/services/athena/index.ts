import { AwsError } from '../../errors';
import type { Identity } from '../../identity';
import { uuid } from '../../ids';
import {
  jsonAuthRefusal,
  jsonError,
  jsonOk,
  readJsonCall,
} from '../../protocols/json';
import type { World } from '../../world';
import { storeObject } from '../s3/buckets';
import {
  type CallContext,
  type IncomingCall,
  type ParsedCall,
  type RefusalKind,
  type ServiceHandler,
  accessDeniedMessage,
} from '../types';
import {
  type GlueCatalog,
  catalogName,
  catalogOf,
  findDatabase,
  findTable,
  glueDatabaseArn,
  glueTableArn,
} from '../glue/catalog';
import { DdlError, isDdl, parseDdl } from './ddl';
import type { AthenaQuery, AthenaWorkGroup } from './model';
import { ProjectionError, parseS3Url, projectPartitions } from './projection';
import { QueryError, type TableToScan, runSelect } from './sqlEngine';

export const ATHENA_TARGET_PREFIX = 'AmazonAthena.';

interface AthenaCall extends ParsedCall {
  input: Record<string, any>;
}

type Operation = (input: Record<string, any>, ctx: CallContext) => unknown;

const invalid = (message: string) =>
  new AwsError('InvalidRequestException', message, 400, {
    AthenaErrorCode: 'INVALID_INPUT',
  });

function workGroupKey(accountId: string, region: string, name: string) {
  return `${accountId}:${region}:${name}`;
}

function findWorkGroup(
  world: World,
  accountId: string,
  region: string,
  name: string,
): AthenaWorkGroup | undefined {
  const stored = world.athena.workGroups.get(
    workGroupKey(accountId, region, name),
  );
  if (stored) return stored;
  return name === 'primary' ? { name, createdAt: 0 } : undefined;
}

function findQuery(input: Record<string, any>, ctx: CallContext): AthenaQuery {
  const id = input.QueryExecutionId;
  if (typeof id !== 'string' || !id) {
    throw invalid('QueryExecutionId is required.');
  }
  const query = ctx.world.athena.queries.get(id);
  if (
    !query ||
    query.accountId !== ctx.identity.accountId ||
    query.region !== ctx.region
  ) {
    throw invalid(`QueryExecution ${id} was not found`);
  }
  return query;
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** `?` marks outside quotes, replaced by the execution parameters (for reading partition filters). */
export function withLiterals(sql: string, parameters: string[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i];
    if (char === "'" || char === '"') {
      const end = sql.indexOf(char, i + 1);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (char === '?' && next < parameters.length) {
      out += parameters[next++];
    } else {
      out += char;
    }
  }
  return out;
}

const NAME = `(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)`;
const unquoteName = (name: string) => catalogName(name.replace(/^"|"$/g, ''));

/** Catalog tables a query names after FROM or JOIN (CTE names excluded). */
function referencedTables(
  sql: string,
  catalog: GlueCatalog,
  defaultDatabase: string | undefined,
) {
  const ctes = new Set(
    [...sql.matchAll(new RegExp(`(${NAME})\\s+AS\\s*\\(`, 'gi'))].map(m =>
      unquoteName(m[1]),
    ),
  );
  const found = new Map<string, NonNullable<ReturnType<typeof findTable>>>();
  const pattern = new RegExp(
    `\\b(?:FROM|JOIN)\\s+(${NAME}(?:\\s*\\.\\s*${NAME}){0,2})(?!\\s*\\()`,
    'gi',
  );
  for (const match of sql.matchAll(pattern)) {
    const parts = match[1].split(/\s*\.\s*/).map(unquoteName);
    if (parts.length === 1 && ctes.has(parts[0])) continue;
    if (parts.length === 3 && parts[0] !== 'awsdatacatalog') {
      throw new QueryError(
        `CATALOG_NOT_FOUND: Catalog '${parts[0]}' does not exist`,
      );
    }
    const table = parts[parts.length - 1];
    const database =
      parts.length > 1 ? parts[parts.length - 2] : defaultDatabase;
    if (!database) {
      throw new QueryError(
        `SCHEMA_NOT_FOUND: Schema must be specified when session schema is not set`,
      );
    }
    if (!findDatabase(catalog, database)) {
      throw new QueryError(
        `SCHEMA_NOT_FOUND: Schema '${database}' does not exist`,
      );
    }
    const entry = findTable(catalog, database, table);
    if (!entry) {
      throw new QueryError(
        `TABLE_NOT_FOUND: Table 'awsdatacatalog.${database}.${table}' does not exist`,
      );
    }
    found.set(`${database}.${table}`, entry);
  }
  return [...found.values()];
}

function finish(
  query: AthenaQuery,
  world: World,
  state: AthenaQuery['state'],
  reason?: string,
) {
  if (FINAL.has(query.state)) return;
  query.state = state;
  query.completedAt = world.clock.now();
  if (reason) query.stateChangeReason = reason;
  query.handle = undefined;
}

function csvField(value: string | null): string {
  return value === null ? '' : `"${value.replace(/"/g, '""')}"`;
}

/** Runs the DDL against the catalog. */
function runDdl(query: AthenaQuery, ctx: CallContext, catalog: GlueCatalog) {
  const statement = parseDdl(query.sql);
  const { region } = query;
  const account = query.accountId;
  if (statement.kind === 'createDatabase') {
    const name = catalogName(statement.name);
    ctx.onBehalf?.(
      'glue:CreateDatabase',
      glueDatabaseArn(region, account, name),
    );
    if (catalog.has(name)) {
      if (statement.ifNotExists) return;
      throw new DdlError(
        `FAILED: AlreadyExistsException: Database ${name} already exists`,
      );
    }
    catalog.set(name, {
      name,
      description: statement.comment,
      createdAt: ctx.world.clock.now(),
      tables: new Map(),
    });
    return;
  }
  const databaseName = catalogName(
    statement.database ?? query.database ?? 'default',
  );
  const name = catalogName(statement.name);
  const arn = glueTableArn(region, account, databaseName, name);
  const database = findDatabase(catalog, databaseName);
  ctx.onBehalf?.(
    'glue:GetDatabase',
    glueDatabaseArn(region, account, databaseName),
  );
  if (!database) {
    throw new DdlError(
      `FAILED: SemanticException [Error 10072]: Database does not exist: ${databaseName}`,
    );
  }
  if (statement.kind === 'dropTable') {
    ctx.onBehalf?.('glue:DeleteTable', arn);
    if (!database.tables.delete(name) && !statement.ifExists) {
      throw new DdlError(
        `FAILED: SemanticException [Error 10001]: Table not found ${databaseName}.${name}`,
      );
    }
    return;
  }
  ctx.onBehalf?.('glue:GetTable', arn);
  if (database.tables.has(name)) {
    if (statement.ifNotExists) return;
    throw new DdlError(
      `FAILED: AlreadyExistsException: Table ${databaseName}.${name} already exists`,
    );
  }
  if (!statement.location) {
    throw new DdlError('FAILED: External tables need a LOCATION');
  }
  ctx.onBehalf?.('glue:CreateTable', arn);
  database.tables.set(name, {
    name,
    databaseName,
    description: statement.comment,
    tableType: 'EXTERNAL_TABLE',
    columns: statement.columns,
    partitionKeys: statement.partitionKeys,
    location: statement.location,
    inputFormat: statement.inputFormat,
    outputFormat: statement.outputFormat,
    serializationLibrary: statement.serde,
    serdeParameters: statement.serdeProperties,
    parameters: { EXTERNAL: 'TRUE', ...statement.properties },
    createdAt: ctx.world.clock.now(),
  });
}

/** Plans the SELECT (tables, partitions, objects), then runs it with DuckDB. */
async function runQuery(
  query: AthenaQuery,
  ctx: CallContext,
  catalog: GlueCatalog,
) {
  const { world } = ctx;
  const literalSql = withLiterals(query.sql, query.parameters);
  const tables = referencedTables(query.sql, catalog, query.database);
  const scans: TableToScan[] = [];
  for (const table of tables) {
    ctx.onBehalf?.(
      'glue:GetTable',
      glueTableArn(
        query.region,
        query.accountId,
        table.databaseName,
        table.name,
      ),
    );
    const scan: TableToScan = { table, objects: [] };
    for (const partition of projectPartitions(
      table,
      literalSql,
      world.clock.now(),
    )) {
      const where = parseS3Url(partition.location);
      if (!where) {
        throw new QueryError(
          `HIVE_INVALID_PARTITION_VALUE: bad location ${partition.location}`,
        );
      }
      const bucket = world.buckets.get(where.bucket);
      ctx.onBehalf?.('s3:ListBucket', `arn:aws:s3:::${where.bucket}`);
      if (!bucket) {
        throw new QueryError(
          `HIVE_CANNOT_OPEN_SPLIT: The specified bucket does not exist (Bucket: ${where.bucket})`,
        );
      }
      const keys = bucket.objects.keys();
      const first = bucket.objects.lowerBound(where.prefix);
      const end = bucket.objects.afterPrefix(where.prefix);
      for (let i = first; i < end; i++) {
        const object = bucket.objects.get(keys[i]);
        if (!object) continue;
        ctx.onBehalf?.(
          's3:GetObject',
          `arn:aws:s3:::${where.bucket}/${keys[i]}`,
        );
        query.objectsRead.push(`s3://${where.bucket}/${keys[i]}`);
        query.bytesScanned += object.body.length;
        scan.objects.push({
          key: keys[i],
          body: object.body,
          partition: partition.values,
        });
      }
    }
    scans.push(scan);
  }
  query.result = await runSelect(
    query.sql,
    query.parameters,
    scans,
    query.database,
    handle => {
      query.handle = handle;
    },
  );
}

/** Writes the result file where Athena would (`<OutputLocation>/<id>.csv`). */
function writeResultFile(query: AthenaQuery, ctx: CallContext) {
  const where = parseS3Url(query.outputLocation);
  const bucket = where && ctx.world.buckets.get(where.bucket);
  if (!where || !bucket) {
    throw new QueryError(
      `Unable to verify/create output bucket ${
        where?.bucket ?? query.outputLocation
      }`,
    );
  }
  const key = where.prefix.replace(/\/$/, '');
  ctx.onBehalf?.('s3:GetBucketLocation', `arn:aws:s3:::${where.bucket}`);
  ctx.onBehalf?.('s3:PutObject', `arn:aws:s3:::${where.bucket}/${key}`);
  const result = query.result;
  const text = result
    ? [
        result.columns.map(c => csvField(c.name)),
        ...result.rows.map(r => r.map(csvField)),
      ]
        .map(line => line.join(','))
        .join('\n')
    : '';
  storeObject(
    bucket,
    key,
    Buffer.from(text ? `${text}\n` : ''),
    ctx.world.clock.now(),
    {
      contentType: query.statementType === 'DDL' ? 'text/plain' : 'text/csv',
    },
  );
}

async function execute(query: AthenaQuery, ctx: CallContext) {
  if (query.state !== 'QUEUED') return;
  query.state = 'RUNNING';
  query.startedAt = ctx.world.clock.now();
  const catalog = catalogOf(ctx.world, query.accountId, query.region);
  try {
    if (query.statementType === 'DDL') runDdl(query, ctx, catalog);
    else await runQuery(query, ctx, catalog);
    if (query.state !== 'RUNNING') return;
    writeResultFile(query, ctx);
    finish(query, ctx.world, 'SUCCEEDED');
  } catch (error) {
    if (query.state !== 'RUNNING') return;
    const known =
      error instanceof QueryError ||
      error instanceof DdlError ||
      error instanceof ProjectionError;
    finish(
      query,
      ctx.world,
      'FAILED',
      known ? error.message : `INTERNAL_ERROR_QUERY_ENGINE: ${String(error)}`,
    );
  }
}

const seconds = (ms: number | undefined) =>
  ms === undefined ? undefined : ms / 1000;

function queryOutput(query: AthenaQuery) {
  const end = query.completedAt ?? query.submittedAt;
  const queued = (query.startedAt ?? end) - query.submittedAt;
  const engine =
    query.completedAt && query.startedAt
      ? query.completedAt - query.startedAt
      : 0;
  return {
    QueryExecutionId: query.id,
    Query: query.sql,
    StatementType: query.statementType,
    ResultConfiguration: { OutputLocation: query.outputLocation },
    ResultReuseConfiguration: {
      ResultReuseByAgeConfiguration: { Enabled: false },
    },
    QueryExecutionContext: {
      ...(query.database ? { Database: query.database } : {}),
      Catalog: 'awsdatacatalog',
    },
    Status: {
      State: query.state,
      ...(query.stateChangeReason
        ? { StateChangeReason: query.stateChangeReason }
        : {}),
      SubmissionDateTime: seconds(query.submittedAt),
      ...(query.completedAt
        ? { CompletionDateTime: seconds(query.completedAt) }
        : {}),
      ...(query.state === 'FAILED'
        ? {
            AthenaError: {
              ErrorCategory: 2,
              ErrorType: 1000,
              Retryable: false,
              ErrorMessage: query.stateChangeReason,
            },
          }
        : {}),
    },
    Statistics: {
      EngineExecutionTimeInMillis: engine,
      DataScannedInBytes: query.bytesScanned,
      TotalExecutionTimeInMillis: end - query.submittedAt,
      QueryQueueTimeInMillis: queued,
      ServicePreProcessingTimeInMillis: 0,
      QueryPlanningTimeInMillis: 0,
      ServiceProcessingTimeInMillis: 0,
      ResultReuseInformation: { ReusedPreviousResult: false },
    },
    WorkGroup: query.workGroup,
    EngineVersion: {
      SelectedEngineVersion: 'AUTO',
      EffectiveEngineVersion: 'Athena engine version 3',
    },
    ...(query.parameters.length
      ? { ExecutionParameters: query.parameters }
      : {}),
    SubstatementType: query.statementType === 'DDL' ? 'CREATE_TABLE' : 'SELECT',
  };
}

const MAX_PAGE = 1000;

const OPERATIONS: Record<string, Operation> = {
  StartQueryExecution(input, ctx) {
    const { world } = ctx;
    const sql = input.QueryString;
    if (typeof sql !== 'string' || sql.length < 1 || sql.length > 262_144) {
      throw invalid('QueryString must be 1 to 262144 characters.');
    }
    const workGroupName = input.WorkGroup ?? 'primary';
    const workGroup = findWorkGroup(
      world,
      ctx.identity.accountId,
      ctx.region,
      workGroupName,
    );
    if (!workGroup) throw invalid(`WorkGroup ${workGroupName} is not found.`);
    const parameters = input.ExecutionParameters ?? [];
    if (
      !Array.isArray(parameters) ||
      parameters.some(
        p => typeof p !== 'string' || p.length === 0 || p.length > 1024,
      )
    ) {
      throw invalid(
        'ExecutionParameters must be a list of 1 to 1024 character strings.',
      );
    }
    const output =
      input.ResultConfiguration?.OutputLocation ?? workGroup.outputLocation;
    if (typeof output !== 'string' || !parseS3Url(output)) {
      throw invalid(
        'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      );
    }
    const token = input.ClientRequestToken;
    if (typeof token === 'string') {
      const earlier = world.athena.tokens.get(
        `${ctx.identity.accountId}:${token}`,
      );
      if (earlier) return { QueryExecutionId: earlier };
    }
    const database =
      typeof input.QueryExecutionContext?.Database === 'string'
        ? catalogName(input.QueryExecutionContext.Database)
        : undefined;
    const id = uuid();
    const statementType = isDdl(sql) ? 'DDL' : 'DML';
    let settle = () => {};
    const done = new Promise<void>(resolve => {
      settle = resolve;
    });
    const query: AthenaQuery = {
      id,
      accountId: ctx.identity.accountId,
      region: ctx.region,
      sql,
      parameters,
      workGroup: workGroupName,
      database,
      outputLocation: `${output.replace(/\/?$/, '/')}${id}.${
        statementType === 'DDL' ? 'txt' : 'csv'
      }`,
      statementType,
      state: 'QUEUED',
      submittedAt: ctx.time,
      bytesScanned: 0,
      objectsRead: [],
      done,
      settle,
    };
    world.athena.queries.set(id, query);
    if (typeof token === 'string') {
      world.athena.tokens.set(`${ctx.identity.accountId}:${token}`, id);
    }
    const start = () => {
      setImmediate(() => {
        execute(query, ctx).finally(() => query.settle());
      });
    };
    if (world.athena.holding) query.pendingStart = start;
    else start();
    return { QueryExecutionId: id };
  },

  GetQueryExecution(input, ctx) {
    return { QueryExecution: queryOutput(findQuery(input, ctx)) };
  },

  BatchGetQueryExecution(input, ctx) {
    const ids: unknown[] = Array.isArray(input.QueryExecutionIds)
      ? input.QueryExecutionIds
      : [];
    const found: unknown[] = [];
    const missing: unknown[] = [];
    for (const id of ids) {
      try {
        found.push(queryOutput(findQuery({ QueryExecutionId: id }, ctx)));
      } catch {
        missing.push({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT' });
      }
    }
    return { QueryExecutions: found, UnprocessedQueryExecutionIds: missing };
  },

  GetQueryResults(input, ctx) {
    const query = findQuery(input, ctx);
    if (query.state === 'QUEUED' || query.state === 'RUNNING') {
      throw invalid(
        `Query has not yet finished. Current state: ${query.state}`,
      );
    }
    if (query.state !== 'SUCCEEDED') {
      throw invalid(
        `Query did not finish successfully. Final query state: ${query.state}${
          query.stateChangeReason ? `\n${query.stateChangeReason}` : ''
        }`,
      );
    }
    // Athena reads the result file with the caller's permissions.
    const where = parseS3Url(query.outputLocation);
    if (where) {
      ctx.onBehalf?.(
        's3:GetObject',
        `arn:aws:s3:::${where.bucket}/${where.prefix.replace(/\/$/, '')}`,
      );
    }
    const max = input.MaxResults ?? MAX_PAGE;
    if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE) {
      throw invalid(`MaxResults must be between 1 and ${MAX_PAGE}.`);
    }
    const result = query.result ?? { columns: [], rows: [] };
    // The first page starts with a row of column names, as Athena's does for SELECTs.
    const all = [
      ...(query.statementType === 'DML'
        ? [result.columns.map(c => c.name)]
        : []),
      ...result.rows,
    ];
    let offset = 0;
    if (input.NextToken !== undefined) {
      const decoded = /^rows:(\d+):(.+)$/.exec(
        Buffer.from(String(input.NextToken), 'base64').toString('utf8'),
      );
      if (!decoded || decoded[2] !== query.id)
        throw invalid('The NextToken is not valid.');
      offset = Number(decoded[1]);
    }
    const page = all.slice(offset, offset + max);
    const next = offset + max < all.length ? offset + max : undefined;
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map(row => ({
          Data: row.map(value =>
            value === null ? {} : { VarCharValue: value },
          ),
        })),
        ResultSetMetadata: {
          ColumnInfo: result.columns.map(c => ({
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Name: c.name,
            Label: c.name,
            Type: c.type,
            Precision: 0,
            Scale: 0,
            Nullable: 'UNKNOWN',
            CaseSensitive: c.type === 'varchar',
          })),
        },
      },
      ...(next !== undefined
        ? {
            NextToken: Buffer.from(`rows:${next}:${query.id}`).toString(
              'base64',
            ),
          }
        : {}),
    };
  },

  StopQueryExecution(input, ctx) {
    const query = findQuery(input, ctx);
    if (!FINAL.has(query.state)) {
      query.pendingStart = undefined;
      query.handle?.interrupt();
      const queued = query.state === 'QUEUED';
      finish(query, ctx.world, 'CANCELLED', 'Query cancelled by user');
      // A running query settles when its engine stops; a queued one never started.
      if (queued) query.settle();
    }
    return {};
  },

  CreateWorkGroup(input, ctx) {
    const name = input.Name;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9._-]{1,128}$/.test(name)) {
      throw invalid('Name must be 1-128 letters, digits, ., _ or -.');
    }
    const key = workGroupKey(ctx.identity.accountId, ctx.region, name);
    if (name === 'primary' || ctx.world.athena.workGroups.has(key)) {
      throw invalid('WorkGroup is already created');
    }
    ctx.world.athena.workGroups.set(key, {
      name,
      description: input.Description,
      outputLocation: input.Configuration?.ResultConfiguration?.OutputLocation,
      createdAt: ctx.time,
    });
    return {};
  },

  GetWorkGroup(input, ctx) {
    const name = String(input.WorkGroup ?? '');
    const workGroup = findWorkGroup(
      ctx.world,
      ctx.identity.accountId,
      ctx.region,
      name,
    );
    if (!workGroup) throw invalid(`WorkGroup ${name} is not found.`);
    return {
      WorkGroup: {
        Name: workGroup.name,
        State: 'ENABLED',
        ...(workGroup.description
          ? { Description: workGroup.description }
          : {}),
        Configuration: {
          ...(workGroup.outputLocation
            ? {
                ResultConfiguration: {
                  OutputLocation: workGroup.outputLocation,
                },
              }
            : {}),
          EnforceWorkGroupConfiguration: false,
          PublishCloudWatchMetricsEnabled: false,
          RequesterPaysEnabled: false,
          EngineVersion: {
            SelectedEngineVersion: 'AUTO',
            EffectiveEngineVersion: 'Athena engine version 3',
          },
        },
        CreationTime: seconds(workGroup.createdAt),
      },
    };
  },
};

/** Amazon Athena (JSON 1.1, `X-Amz-Target: AmazonAthena.<Operation>`), queries run with DuckDB. */
export const athenaService: ServiceHandler<AthenaCall> = {
  service: 'athena',
  newRequestId: uuid,

  parse(incoming: IncomingCall): AthenaCall {
    const { operation, input } = readJsonCall(incoming);
    if (!OPERATIONS[operation]) {
      throw new AwsError(
        'UnknownOperationException',
        `The emulator does not implement athena:${operation}.`,
      );
    }
    return { operation, action: `athena:${operation}`, input };
  },

  /** Athena authorizes on the work group the query runs in. */
  resourceArn(call, { region, accountId, world }) {
    const id = call.input.QueryExecutionId;
    const query =
      typeof id === 'string' ? world?.athena.queries.get(id) : undefined;
    const name =
      query?.workGroup ?? call.input.WorkGroup ?? call.input.Name ?? 'primary';
    return `arn:aws:athena:${region}:${accountId}:workgroup/${name}`;
  },

  refusal(
    kind: RefusalKind,
    call: AthenaCall | undefined,
    identity?: Identity,
  ) {
    const authRefusal = jsonAuthRefusal(kind);
    if (authRefusal) return authRefusal;
    if (kind === 'throttled') {
      return new AwsError('TooManyRequestsException', 'Rate exceeded', 400);
    }
    return new AwsError(
      'AccessDeniedException',
      accessDeniedMessage(identity, call?.action ?? 'athena:*', call?.resource),
      400,
    );
  },

  handle(call: AthenaCall, ctx: CallContext) {
    return jsonOk(
      '1.1',
      ctx.requestId,
      OPERATIONS[call.operation](call.input, ctx),
    );
  },

  errorResult(error: AwsError, requestId: string) {
    return jsonError('1.1', requestId, error);
  },
};
