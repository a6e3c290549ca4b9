/*
 * Runs an Athena (Trino) SELECT with DuckDB over the objects a query's
 * partitions hold. The JSON reader DuckDB needs is linked into
 * @duckdb/node-api, so nothing is downloaded: extension auto-install is off.
 *
 * Each query gets its own in-memory database: a schema per catalog database,
 * a table per catalog table with the Hive columns (structs keep CloudTrail's
 * camelCase field names; DuckDB resolves field names case-insensitively as
 * Trino does), filled from the objects read, and macros for the few Trino
 * functions DuckDB spells differently.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBPreparedStatement,
} from '@duckdb/node-api';
import type { GlueColumn, GlueTable } from '../glue/catalog';

export class QueryError extends Error {}

/** Trino functions the product's queries use, as DuckDB macros. */
const TRINO_MACROS = [
  'CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)',
  'CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)',
  'CREATE MACRO json_parse(s) AS CAST(s AS JSON)',
  'CREATE MACRO element_at(l, i) AS list_extract(l, i)',
  'CREATE MACRO cardinality(l) AS len(l)',
  'CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
  'CREATE MACRO approx_distinct(x) AS approx_count_distinct(x)',
];

/** JSON member names of CloudTrail records, by the lowercase name Hive gives them. */
const CLOUDTRAIL_FIELDS = [
  'eventVersion',
  'userIdentity',
  'type',
  'principalId',
  'arn',
  'accountId',
  'invokedBy',
  'accessKeyId',
  'userName',
  'sessionContext',
  'attributes',
  'mfaAuthenticated',
  'creationDate',
  'sessionIssuer',
  'webIdFederationData',
  'federatedProvider',
  'sourceIdentity',
  'ec2RoleDelivery',
  'onBehalfOf',
  'identityStoreArn',
  'credentialId',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'requestParameters',
  'responseElements',
  'additionalEventData',
  'requestID',
  'eventID',
  'readOnly',
  'resources',
  'eventType',
  'apiVersion',
  'managementEvent',
  'recipientAccountId',
  'serviceEventDetails',
  'sharedEventID',
  'vpcEndpointId',
  'vpcEndpointAccountId',
  'eventCategory',
  'tlsDetails',
  'tlsVersion',
  'cipherSuite',
  'clientProvidedHostHeader',
  'sessionCredentialFromConsole',
  'edgeDeviceDetails',
  'insightDetails',
];
const JSON_NAME = new Map(
  CLOUDTRAIL_FIELDS.map(name => [name.toLowerCase(), name]),
);
/** `resources[]` spell their ARN in capitals; every other `arn` member is lowercase. */
const jsonName = (hiveName: string, column?: string) =>
  column === 'resources' && hiveName.toLowerCase() === 'arn'
    ? 'ARN'
    : JSON_NAME.get(hiveName.toLowerCase()) ?? hiveName;

/** A parsed Hive type. */
type HiveType =
  | { kind: 'scalar'; name: string }
  | { kind: 'array'; element: HiveType }
  | { kind: 'map'; key: HiveType; value: HiveType }
  | { kind: 'struct'; fields: Array<{ name: string; type: HiveType }> };

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<' || text[i] === '(') depth++;
    else if (text[i] === '>' || text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function parseHiveType(text: string): HiveType {
  const t = text.trim().toLowerCase();
  const inner = (prefix: string) => t.slice(prefix.length + 1, -1);
  if (t.startsWith('array<') && t.endsWith('>')) {
    return { kind: 'array', element: parseHiveType(inner('array')) };
  }
  if (t.startsWith('map<') && t.endsWith('>')) {
    const [key, value] = splitTopLevel(inner('map'));
    return {
      kind: 'map',
      key: parseHiveType(key),
      value: parseHiveType(value),
    };
  }
  if (t.startsWith('struct<') && t.endsWith('>')) {
    return {
      kind: 'struct',
      fields: splitTopLevel(inner('struct')).map(field => {
        const colon = field.indexOf(':');
        if (colon < 0)
          throw new QueryError(`bad struct field '${field}' in ${text}`);
        return {
          name: field.slice(0, colon).trim(),
          type: parseHiveType(field.slice(colon + 1)),
        };
      }),
    };
  }
  return { kind: 'scalar', name: t.replace(/\(.*\)$/, '') };
}

const SCALARS: Record<string, string> = {
  string: 'VARCHAR',
  varchar: 'VARCHAR',
  char: 'VARCHAR',
  boolean: 'BOOLEAN',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  int: 'INTEGER',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  decimal: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteString = (text: string) => `'${text.replace(/'/g, "''")}'`;

function duckType(type: HiveType, column?: string): string {
  switch (type.kind) {
    case 'scalar': {
      const name = SCALARS[type.name];
      if (!name)
        throw new QueryError(
          `Hive type '${type.name}' is not supported by the emulator`,
        );
      return name;
    }
    case 'array':
      return `${duckType(type.element, column)}[]`;
    case 'map':
      return `MAP(${duckType(type.key)}, ${duckType(type.value)})`;
    default:
      return `STRUCT(${type.fields
        .map(
          f =>
            `${quoteIdent(jsonName(f.name, column))} ${duckType(
              f.type,
              column,
            )}`,
        )
        .join(', ')})`;
  }
}

/** The structure argument of DuckDB's json_transform for a Hive type. */
function jsonStructure(type: HiveType, column: string): unknown {
  switch (type.kind) {
    case 'scalar':
      return SCALARS[type.name] ?? 'VARCHAR';
    case 'array':
      return [jsonStructure(type.element, column)];
    case 'map':
      return `MAP(${duckType(type.key)}, ${duckType(type.value)})`;
    default:
      return Object.fromEntries(
        type.fields.map(f => [
          jsonName(f.name, column),
          jsonStructure(f.type, column),
        ]),
      );
  }
}

/** How one column is read from a record: string columns keep nested JSON as text, as Hive's JSON SerDe does. */
function columnExpression(column: GlueColumn): string {
  const type = parseHiveType(column.Type);
  const path = quoteString(`$.${JSON.stringify(jsonName(column.Name))}`);
  if (type.kind === 'scalar' && SCALARS[type.name] === 'VARCHAR') {
    return `CASE WHEN json_type(rec, ${path}) IN ('OBJECT', 'ARRAY') THEN CAST(json_extract(rec, ${path}) AS VARCHAR) ELSE json_extract_string(rec, ${path}) END`;
  }
  if (type.kind === 'scalar') {
    return `TRY_CAST(json_extract_string(rec, ${path}) AS ${duckType(type)})`;
  }
  return `json_transform(json_extract(rec, ${path}), ${quoteString(
    JSON.stringify(jsonStructure(type, column.Name)),
  )})`;
}

export interface ObjectToScan {
  key: string;
  body: Buffer;
  /** Partition values of the object, by partition key. */
  partition: Record<string, string>;
}

export interface TableToScan {
  table: GlueTable;
  objects: ObjectToScan[];
}

export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  /** Each value as Athena's VarCharValue; null for NULL. */
  rows: Array<Array<string | null>>;
}

/** Athena's type names for DuckDB's. */
function athenaType(duck: string): string {
  const t = duck.toUpperCase();
  if (t.startsWith('STRUCT')) return 'row';
  if (t.endsWith('[]') || t.startsWith('LIST')) return 'array';
  if (t.startsWith('MAP')) return 'map';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  const names: Record<string, string> = {
    VARCHAR: 'varchar',
    BIGINT: 'bigint',
    HUGEINT: 'bigint',
    UBIGINT: 'bigint',
    INTEGER: 'integer',
    SMALLINT: 'smallint',
    TINYINT: 'tinyint',
    DOUBLE: 'double',
    FLOAT: 'float',
    BOOLEAN: 'boolean',
    DATE: 'date',
    JSON: 'json',
  };
  return names[t] ?? t.toLowerCase();
}

function varchar(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/** One Athena ExecutionParameter (a SQL literal) bound to a `?`. */
function bindParameter(
  statement: DuckDBPreparedStatement,
  index: number,
  literal: string,
) {
  const text = literal.trim();
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) statement.bindVarchar(index, quoted[1].replace(/''/g, "'"));
  else if (/^-?\d+$/.test(text)) statement.bindBigInt(index, BigInt(text));
  else if (/^-?\d*\.\d+(e-?\d+)?$/i.test(text))
    statement.bindDouble(index, Number(text));
  else if (/^(true|false)$/i.test(text))
    statement.bindBoolean(index, text.toLowerCase() === 'true');
  else if (/^null$/i.test(text)) statement.bindNull(index);
  else {
    throw new QueryError(
      `INVALID_LITERAL: execution parameter ${index} is not a literal: ${literal}`,
    );
  }
}

async function loadTable(
  connection: DuckDBConnection,
  dir: string,
  scan: TableToScan,
  index: number,
) {
  const { table } = scan;
  const all = [...table.columns, ...table.partitionKeys];
  await connection.run(
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(table.databaseName)}`,
  );
  const qualified = `${quoteIdent(table.databaseName)}.${quoteIdent(
    table.name,
  )}`;
  await connection.run(
    `CREATE TABLE ${qualified} (${all
      .map(
        c => `${quoteIdent(c.Name)} ${duckType(parseHiveType(c.Type), c.Name)}`,
      )
      .join(', ')})`,
  );
  if (scan.objects.length === 0) return;
  const files: string[] = [];
  for (const [i, object] of scan.objects.entries()) {
    const gzip = object.body[0] === 0x1f && object.body[1] === 0x8b;
    const file = join(dir, `t${index}-${i}.json${gzip ? '.gz' : ''}`);
    await writeFile(file, object.body);
    files.push(file);
  }
  // Which partition each file belongs to, joined on the reader's filename column.
  const keys = table.partitionKeys.map(k => k.Name);
  await connection.run(
    `CREATE TEMP TABLE files_${index} (file VARCHAR${keys
      .map(k => `, ${quoteIdent(k)} VARCHAR`)
      .join('')})`,
  );
  const insert = await connection.prepare(
    `INSERT INTO files_${index} VALUES (${['?', ...keys.map(() => '?')].join(
      ', ',
    )})`,
  );
  for (const [i, object] of scan.objects.entries()) {
    insert.bindVarchar(1, files[i]);
    keys.forEach((k, j) =>
      insert.bindVarchar(j + 2, object.partition[k] ?? ''),
    );
    await insert.run();
  }
  const fileList = `[${files.map(quoteString).join(', ')}]`;
  await connection.run(
    `INSERT INTO ${qualified} SELECT ${[
      ...table.columns.map(c => `${columnExpression(c)}`),
      ...keys.map(k => `f.${quoteIdent(k)}`),
    ].join(', ')}
     FROM (SELECT unnest(Records) AS rec, filename
           FROM read_json(${fileList}, columns = {'Records': 'JSON[]'}, filename = true,
                          format = 'auto', maximum_object_size = 268435456)) r
     JOIN files_${index} f ON f.file = r.filename`,
  );
}

/** A running query, so that StopQueryExecution can interrupt it. */
export interface QueryHandle {
  interrupt(): void;
}

export async function runSelect(
  sql: string,
  parameters: string[],
  scans: TableToScan[],
  defaultDatabase: string | undefined,
  onStart: (handle: QueryHandle) => void = () => undefined,
): Promise<QueryResult> {
  const dir = await mkdtemp(join(tmpdir(), 'athena-emulator-'));
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    threads: '1',
  });
  const connection = await instance.connect();
  onStart({ interrupt: () => connection.interrupt() });
  try {
    for (const macro of TRINO_MACROS) await connection.run(macro);
    for (const [index, scan] of scans.entries()) {
      await loadTable(connection, dir, scan, index);
    }
    if (defaultDatabase) {
      await connection.run(
        `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(defaultDatabase)}`,
      );
      await connection.run(`SET schema = ${quoteString(defaultDatabase)}`);
    }
    let statement: DuckDBPreparedStatement;
    try {
      statement = await connection.prepare(sql);
    } catch (error) {
      throw new QueryError(
        `SYNTAX_ERROR: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (statement.parameterCount !== parameters.length) {
      throw new QueryError(
        `Incorrect number of parameters: expected ${statement.parameterCount} but found ${parameters.length}`,
      );
    }
    parameters.forEach((p, i) => bindParameter(statement, i + 1, p));
    let reader;
    try {
      reader = await statement.runAndReadAll();
    } catch (error) {
      throw new QueryError((error as Error).message.split('\n')[0]);
    }
    const names = reader.columnNames();
    const types = reader.columnTypes().map(t => t.toString());
    return {
      columns: names.map((name, i) => ({ name, type: athenaType(types[i]) })),
      rows: reader.getRowsJson().map(row => row.map(varchar)),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}
