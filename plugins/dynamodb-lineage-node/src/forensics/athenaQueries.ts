import {
  DYNAMODB_EVENT_SOURCE,
  ItemHistoryQuery,
  PrincipalActivityQuery,
  principalAccountId,
} from '@lineage/plugin-dynamodb-lineage-common';
import { CloudTrailTable } from './athenaTable';

/*
 * The SQL the product sends to Athena (Trino). Every value that comes from a
 * request is an execution parameter (`?`): the SQL text is fixed per query
 * shape. Every query names its regions and days, the table's projected
 * partitions, so Athena reads only those prefixes.
 */

/** A statement and its Athena ExecutionParameters (each a SQL literal). */
export interface AthenaStatement {
  sql: string;
  parameters: string[];
}

/** A string as a Trino literal, for ExecutionParameters. */
export const sqlLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

const DAY_MS = 86_400_000;

/** `YYYY/MM/DD`, the day partition's format. */
export const partitionDay = (ms: number) =>
  new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');

/**
 * The day partitions that hold the events of [from, to): files are filed
 * under their delivery day, up to about 15 minutes after the event, so the
 * day after `to` is read too.
 */
export function partitionDays(
  from: string,
  to: string,
): { first: string; last: string; count: number } {
  const start = Math.floor(Date.parse(from) / DAY_MS) * DAY_MS;
  const end = Math.floor((Date.parse(to) - 1) / DAY_MS) * DAY_MS + DAY_MS;
  return {
    first: partitionDay(start),
    last: partitionDay(end),
    count: Math.round((end - start) / DAY_MS) + 1,
  };
}

/**
 * CloudTrail's `eventTime` (`YYYY-MM-DDTHH:MM:SSZ`) of a bound, rounded up to
 * the second: event times are whole seconds and compare as strings.
 */
export function eventTimeBound(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(Math.ceil(ms / 1000) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

/** PartiQL calls, whose statement text decides read or write. */
export const PARTIQL_OPERATIONS = [
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
];

const tableRef = (table: CloudTrailTable) =>
  `"${table.database}"."${table.name}"`;

const PARTIQL_STATEMENTS = `CASE WHEN eventname IN (${PARTIQL_OPERATIONS.map(
  op => `'${op}'`,
).join(', ')}) THEN requestparameters END`;

/** What each group counts: successful and failed calls, first and last event. */
const AGGREGATES = `count_if(errorcode IS NULL) AS calls,
  count_if(errorcode IS NOT NULL) AS errors,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen`;

const placeholders = (n: number) =>
  Array.from({ length: n }, () => '?').join(', ');

/** The WHERE conditions every query starts with: partitions, time range, DynamoDB data events. */
function rangeConditions(
  regions: string[],
  range: { from: string; to: string },
): { conditions: string[]; parameters: string[] } {
  const days = partitionDays(range.from, range.to);
  return {
    conditions: [
      `region IN (${placeholders(regions.length)})`,
      'day BETWEEN ? AND ?',
      'eventtime >= ?',
      'eventtime < ?',
      `eventsource = '${DYNAMODB_EVENT_SOURCE}'`,
      "eventcategory = 'Data'",
    ],
    parameters: [
      ...regions.map(sqlLiteral),
      sqlLiteral(days.first),
      sqlLiteral(days.last),
      sqlLiteral(eventTimeBound(range.from)),
      sqlLiteral(eventTimeBound(range.to)),
    ],
  };
}

/**
 * The key's text as it appears in `requestParameters` (`"pk":"order#1"` or
 * `"n":7`): the events to confirm. Only the attribute name and the value's
 * JSON-escaped text are searched, so a number key matches in either form.
 */
export function keyFragments(key: Record<string, string>): string[] {
  return Object.entries(key).flatMap(([name, value]) => [
    `${JSON.stringify(name)}:`,
    JSON.stringify(value).slice(1, -1),
  ]);
}

/**
 * The events on one table in a time range whose request parameters name the
 * key's attributes and values, newest first. The engine confirms each event's
 * key (`key` or `requestItems[].key`) exactly before showing it.
 */
export function itemHistoryStatement(
  table: CloudTrailTable,
  query: ItemHistoryQuery,
  limit: number,
): AthenaStatement {
  const region = query.tableArn.split(':')[3];
  const range = rangeConditions([region], query);
  const fragments = keyFragments(query.key);
  const sql = `SELECT eventtime, eventid, eventname, readonly,
  useridentity.type AS principal_type,
  useridentity.arn AS identity_arn,
  useridentity.sessioncontext.sessionissuer.arn AS issuer_arn,
  useridentity.invokedby AS invoked_by,
  useridentity.principalid AS principal_id,
  sourceipaddress, useragent, errorcode, awsregion, requestparameters
FROM ${tableRef(table)}
WHERE ${[
    ...range.conditions,
    'element_at(resources, 1).arn = ?',
    ...fragments.map(() => 'strpos(requestparameters, ?) > 0'),
  ].join('\n  AND ')}
ORDER BY eventtime DESC, eventid
LIMIT ${limit}`;
  return {
    sql,
    parameters: [
      ...range.parameters,
      sqlLiteral(query.tableArn),
      ...fragments.map(sqlLiteral),
    ],
  };
}

/** Who made the call, as the WHERE clause matches a normalised principal. */
function principalCondition(principal: string): {
  condition: string;
  parameters: string[];
} {
  const role = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
    principal,
  );
  if (role) {
    // An assumed role's session names its role by ARN (with its path) and by name.
    return {
      condition: `(useridentity.sessioncontext.sessionissuer.arn = ?
    OR (useridentity.sessioncontext.sessionissuer.accountid = ?
        AND useridentity.sessioncontext.sessionissuer.username = ?))`,
      parameters: [principal, role[1], role[2]].map(sqlLiteral),
    };
  }
  if (principalAccountId(principal)) {
    return {
      condition: 'useridentity.arn = ?',
      parameters: [sqlLiteral(principal)],
    };
  }
  return {
    condition: 'useridentity.invokedby = ?',
    parameters: [sqlLiteral(principal)],
  };
}

/**
 * Everything one principal did to DynamoDB tables in the regions and time
 * range, per table and operation (and, for PartiQL, statement text: it
 * decides read or write).
 */
export function principalActivityStatement(
  table: CloudTrailTable,
  query: PrincipalActivityQuery,
  regions: string[],
  limit: number,
): AthenaStatement {
  const range = rangeConditions(regions, query);
  const who = principalCondition(query.principal);
  const sql = `SELECT recipientaccountid AS account_id,
  awsregion AS event_region,
  element_at(resources, 1).arn AS table_arn,
  eventname AS operation,
  readonly,
  ${PARTIQL_STATEMENTS} AS statements,
  ${AGGREGATES}
FROM ${tableRef(table)}
WHERE ${[...range.conditions, who.condition].join('\n  AND ')}
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY 3, 4, 2, 1
LIMIT ${limit}`;
  return { sql, parameters: [...range.parameters, ...who.parameters] };
}

/**
 * Daily DynamoDB data-event counts of one account's logs, per day, table,
 * caller identity and operation, each eventID once: what the daily lineage
 * edges are made of. The caller's fields are kept apart so the engine
 * normalises principals exactly as ingestion does.
 */
export function backfillStatement(
  table: CloudTrailTable,
  range: { regions: string[]; from: string; to: string },
  limit: number,
): AthenaStatement {
  const conditions = rangeConditions(range.regions, range);
  const sql = `SELECT substr(eventtime, 1, 10) AS event_day,
  recipientaccountid AS account_id,
  awsregion AS event_region,
  element_at(resources, 1).arn AS table_arn,
  element_at(resources, 1).type AS resource_type,
  useridentity.type AS principal_type,
  useridentity.arn AS identity_arn,
  useridentity.sessioncontext.sessionissuer.arn AS issuer_arn,
  useridentity.invokedby AS invoked_by,
  useridentity.principalid AS principal_id,
  useridentity.accountid AS identity_account,
  eventname AS operation,
  readonly,
  ${PARTIQL_STATEMENTS} AS statements,
  ${AGGREGATES}
FROM (
  SELECT *, row_number() OVER (PARTITION BY eventid ORDER BY day, eventtime) AS copy
  FROM ${tableRef(table)}
  WHERE ${conditions.conditions.join('\n    AND ')}
) AS events
WHERE copy = 1
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
ORDER BY 1, 4, 8, 7, 12
LIMIT ${limit}`;
  return { sql, parameters: conditions.parameters };
}
