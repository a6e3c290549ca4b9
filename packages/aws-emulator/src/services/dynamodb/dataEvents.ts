import type { EventDraft } from '../../events/record';
import type { CallContext } from '../types';
import type { Input } from './context';
import { redactStatement, statementTable } from './partiql';
import { keyNames, resolveTableName } from './tables';
import { type Item, plainValue } from './values';

/**
 * CloudTrail data events of DynamoDB calls, shaped like AWS's: key values in
 * plain JSON, attribute names (never values) of written items, no
 * ExpressionAttributeValues, PartiQL statements with non-key literals redacted.
 * Calls that touch several tables yield one event per table, so a trail that
 * selects one table never sees another's requests.
 */

export const DATA_PLANE_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
];

const READ_ONLY = new Set([
  'GetItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'TransactGetItems',
]);

const OMITTED = new Set([
  'TableName',
  'Key',
  'Item',
  'ExpressionAttributeValues',
  'ExclusiveStartKey',
]);

const lowerFirst = (name: string) => name[0].toLowerCase() + name.slice(1);

function plainKey(key: unknown): Record<string, unknown> | undefined {
  if (!key || typeof key !== 'object') return undefined;
  return Object.fromEntries(
    Object.entries(key as Item).map(([name, value]) => [
      name,
      plainValue(value),
    ]),
  );
}

function otherParameters(input: Input): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!OMITTED.has(name) && value !== undefined)
      out[lowerFirst(name)] = value;
  }
  return out;
}

interface TableRef {
  name: string;
  arn: string;
  accountId: string;
  keyNames?: string[];
}

function tableRef(ctx: CallContext, nameOrArn: unknown): TableRef | undefined {
  try {
    const resolved = resolveTableName(
      nameOrArn,
      ctx.region,
      ctx.identity.accountId,
    );
    const table = ctx.world.tables.get(resolved.arn);
    return {
      name: String(nameOrArn),
      arn: resolved.arn,
      accountId: resolved.accountId,
      keyNames: table ? keyNames(table) : undefined,
    };
  } catch {
    return undefined;
  }
}

function itemKey(
  ref: TableRef,
  item: unknown,
): Record<string, unknown> | undefined {
  if (!ref.keyNames || !item || typeof item !== 'object') return undefined;
  const key: Item = {};
  for (const name of ref.keyNames) {
    if ((item as Item)[name]) key[name] = (item as Item)[name];
  }
  return plainKey(key);
}

function draft(
  ctx: CallContext,
  operation: string,
  ref: TableRef,
  requestParameters: Record<string, unknown>,
): EventDraft {
  return {
    eventSource: 'dynamodb.amazonaws.com',
    eventName: operation,
    awsRegion: ctx.region,
    readOnly: READ_ONLY.has(operation),
    category: 'Data',
    resources: [
      { accountId: ref.accountId, type: 'AWS::DynamoDB::Table', ARN: ref.arn },
    ],
    requestParameters,
    recipientAccountId: ref.accountId,
    apiVersion: '2012-08-10',
  };
}

/** Groups per-table request entries into one event per table. */
function perTable(
  ctx: CallContext,
  operation: string,
  entries: Array<{
    table: unknown;
    entry: (ref: TableRef) => Record<string, unknown>;
  }>,
  field: string,
  extra: Record<string, unknown>,
): EventDraft[] {
  const groups = new Map<
    string,
    { ref: TableRef; items: Record<string, unknown>[] }
  >();
  for (const { table, entry } of entries) {
    const ref = tableRef(ctx, table);
    if (!ref) continue;
    const group = groups.get(ref.arn) ?? { ref, items: [] };
    group.items.push(entry(ref));
    groups.set(ref.arn, group);
  }
  return [...groups.values()].map(({ ref, items }) =>
    draft(ctx, operation, ref, { [field]: items, ...extra }),
  );
}

function transactEntry(
  kind: string,
  request: Input,
  ref: TableRef,
): Record<string, unknown> {
  return {
    operation: kind,
    tableName: ref.name,
    key: kind === 'Put' ? itemKey(ref, request.Item) : plainKey(request.Key),
    ...(kind === 'Put' && request.Item
      ? { items: Object.keys(request.Item) }
      : {}),
    ...otherParameters(request),
  };
}

function redacted(
  ctx: CallContext,
  statement: unknown,
): { table?: string; text: string } {
  const table = statementTable(statement);
  const ref = table ? tableRef(ctx, table) : undefined;
  return {
    table,
    text: redactStatement(String(statement ?? ''), ref?.keyNames ?? []),
  };
}

export function dataEventDrafts(
  operation: string,
  input: Input,
  ctx: CallContext,
): EventDraft[] {
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
    case 'Query':
    case 'Scan':
    case 'PutItem': {
      const ref = tableRef(ctx, input.TableName);
      if (!ref) return [];
      const key =
        operation === 'PutItem'
          ? itemKey(ref, input.Item)
          : plainKey(input.Key);
      return [
        draft(ctx, operation, ref, {
          tableName: ref.name,
          ...(key ? { key } : {}),
          ...(operation === 'PutItem' && input.Item
            ? { item: Object.keys(input.Item) }
            : {}),
          ...otherParameters(input),
        }),
      ];
    }
    case 'BatchGetItem':
      return perTable(
        ctx,
        operation,
        Object.entries(
          (input.RequestItems ?? {}) as Record<string, Input>,
        ).flatMap(([table, request]) =>
          ((request?.Keys ?? []) as unknown[]).map(key => ({
            table,
            entry: (ref: TableRef) => ({
              operation: 'Get',
              tableName: ref.name,
              key: plainKey(key),
            }),
          })),
        ),
        'requestItems',
        otherParameters({ ...input, RequestItems: undefined }),
      );
    case 'BatchWriteItem':
      return perTable(
        ctx,
        operation,
        Object.entries(
          (input.RequestItems ?? {}) as Record<string, Input[]>,
        ).flatMap(([table, list]) =>
          (Array.isArray(list) ? list : []).map(request => ({
            table,
            entry: (ref: TableRef) =>
              request.PutRequest
                ? transactEntry('Put', request.PutRequest, ref)
                : transactEntry('Delete', request.DeleteRequest ?? {}, ref),
          })),
        ),
        'requestItems',
        otherParameters({ ...input, RequestItems: undefined }),
      );
    case 'TransactGetItems':
    case 'TransactWriteItems':
      return perTable(
        ctx,
        operation,
        ((input.TransactItems ?? []) as Input[]).flatMap(entry => {
          const kind = [
            'Get',
            'Put',
            'Update',
            'Delete',
            'ConditionCheck',
          ].find(k => entry?.[k]);
          if (!kind) return [];
          return [
            {
              table: entry[kind].TableName,
              entry: (ref: TableRef) => transactEntry(kind, entry[kind], ref),
            },
          ];
        }),
        'requestItems',
        otherParameters({
          ...input,
          TransactItems: undefined,
          ClientRequestToken: undefined,
        }),
      );
    case 'ExecuteStatement': {
      const { table, text } = redacted(ctx, input.Statement);
      const ref = table ? tableRef(ctx, table) : undefined;
      return ref ? [draft(ctx, operation, ref, { statement: text })] : [];
    }
    default: {
      const list: Input[] =
        (operation === 'BatchExecuteStatement'
          ? input.Statements
          : input.TransactStatements) ?? [];
      return perTable(
        ctx,
        operation,
        list.map(statement => {
          const { table, text } = redacted(ctx, statement?.Statement);
          return { table, entry: () => ({ statement: text }) };
        }),
        'requestItems',
        {},
      );
    }
  }
}
