import { AwsError } from '../../errors';
import type { CallContext } from '../types';
import {
  applyUpdate,
  parseCondition,
  parseUpdate,
  validation,
  evaluate,
  type Condition,
} from './expressions';
import {
  type Input,
  type Output,
  checkCondition,
  checkItem,
  conditionOf,
  consumed,
  consumedPerTable,
  findTable,
  projector,
  substitutions,
} from './context';
import {
  type Table,
  type KeySchemaElement,
  allItems,
  checkItemKey,
  checkKey,
  keyNames,
  keyOf,
  partitionItems,
  readItem,
  removeItem,
  sortByRange,
  writeItem,
} from './tables';
import { type Item, clone, itemSize, valuesEqual } from './values';

const MAX_ITEM_BYTES = 400 * 1024;

function checkSize(item: Item): void {
  if (itemSize(item) > MAX_ITEM_BYTES) {
    throw validation('Item size has exceeded the maximum allowed size');
  }
}

function returnValues(input: Input, allowed: string[]): string {
  const value = input.ReturnValues ?? 'NONE';
  if (!allowed.includes(value)) {
    throw validation(
      `ReturnValues can only be ${allowed.join(' or ')} for this operation`,
    );
  }
  return value;
}

// ------------------------------------------------------------ single items

export function getItem(input: Input, ctx: CallContext): Output {
  const table = findTable(ctx, input.TableName);
  const key = checkKey(table, input.Key);
  const subs = substitutions(input);
  const shape = projector(input, subs);
  subs.assertAllUsed();
  const item = readItem(table, key);
  return {
    ...(item ? { Item: shape(item) } : {}),
    ...consumed(input, table, 0.5),
  };
}

/** The write half of PutItem, shared with transactions and batches. */
export function preparePut(table: Table, input: Input) {
  const item = checkItem(input.Item);
  checkItemKey(table, item);
  checkSize(item);
  const subs = substitutions(input);
  const condition = conditionOf(input.ConditionExpression, subs);
  subs.assertAllUsed();
  const key = keyOf(table, item);
  return {
    key,
    check: () => checkCondition(condition, readItem(table, key), input),
    apply: () => writeItem(table, clone(item)),
  };
}

export function putItem(input: Input, ctx: CallContext): Output {
  const table = findTable(ctx, input.TableName);
  const mode = returnValues(input, ['NONE', 'ALL_OLD']);
  const put = preparePut(table, input);
  const old = readItem(table, put.key);
  put.check();
  put.apply();
  return {
    ...(mode === 'ALL_OLD' && old ? { Attributes: old } : {}),
    ...consumed(input, table, 1),
  };
}

export function prepareUpdate(table: Table, input: Input) {
  const key = checkKey(table, input.Key);
  const subs = substitutions(input);
  const condition = conditionOf(input.ConditionExpression, subs);
  const actions =
    typeof input.UpdateExpression === 'string'
      ? parseUpdate(input.UpdateExpression, subs)
      : { set: [], remove: [], add: [], delete: [] };
  subs.assertAllUsed();
  const keys = keyNames(table);
  for (const path of [
    ...actions.set.map(a => a.path),
    ...actions.remove,
    ...actions.add.map(a => a.path),
    ...actions.delete.map(a => a.path),
  ]) {
    if (keys.includes(path[0] as string)) {
      throw validation(
        `One or more parameter values were invalid: Cannot update attribute ${path[0]}. This attribute is part of the key`,
      );
    }
  }
  return {
    key,
    check: () => checkCondition(condition, readItem(table, key), input),
    apply: () => {
      const old = readItem(table, key);
      const { item, touched } = applyUpdate(old ?? clone(key), actions);
      checkSize(item);
      writeItem(table, item);
      return { old, item, touched };
    },
  };
}

function pick(item: Item | undefined, names: Set<string>): Item | undefined {
  if (!item) return undefined;
  const out: Item = {};
  for (const name of names) if (item[name]) out[name] = item[name];
  return out;
}

export function updateItem(input: Input, ctx: CallContext): Output {
  const table = findTable(ctx, input.TableName);
  const mode = returnValues(input, [
    'NONE',
    'ALL_OLD',
    'UPDATED_OLD',
    'ALL_NEW',
    'UPDATED_NEW',
  ]);
  const update = prepareUpdate(table, input);
  update.check();
  const { old, item, touched } = update.apply();
  const attributes = {
    NONE: undefined,
    ALL_OLD: old,
    UPDATED_OLD: pick(old, touched),
    ALL_NEW: item,
    UPDATED_NEW: pick(item, touched),
  }[mode];
  return {
    ...(attributes && Object.keys(attributes).length
      ? { Attributes: attributes }
      : {}),
    ...consumed(input, table, 1),
  };
}

export function prepareDelete(table: Table, input: Input) {
  const key = checkKey(table, input.Key);
  const subs = substitutions(input);
  const condition = conditionOf(input.ConditionExpression, subs);
  subs.assertAllUsed();
  return {
    key,
    check: () => checkCondition(condition, readItem(table, key), input),
    apply: () => removeItem(table, key),
  };
}

export function deleteItem(input: Input, ctx: CallContext): Output {
  const table = findTable(ctx, input.TableName);
  const mode = returnValues(input, ['NONE', 'ALL_OLD']);
  const del = prepareDelete(table, input);
  const old = readItem(table, del.key);
  del.check();
  del.apply();
  return {
    ...(mode === 'ALL_OLD' && old ? { Attributes: old } : {}),
    ...consumed(input, table, 1),
  };
}

// ------------------------------------------------------------- query, scan

function indexSchema(table: Table, indexName: unknown): KeySchemaElement[] {
  if (indexName === undefined) return table.keySchema;
  const index = [
    ...table.globalSecondaryIndexes,
    ...table.localSecondaryIndexes,
  ].find(i => i.IndexName === indexName);
  if (!index)
    throw validation(
      `The table does not have the specified index: ${String(indexName)}`,
    );
  return index.KeySchema;
}

function conjuncts(condition: Condition): Condition[] {
  return condition.kind === 'and'
    ? [...conjuncts(condition.left), ...conjuncts(condition.right)]
    : [condition];
}

/** Items after ExclusiveStartKey, at most `limit` evaluated, with the key to resume from. */
function paginate(
  items: Item[],
  input: Input,
  table: Table,
  schema: KeySchemaElement[],
): { page: Item[]; lastKey?: Item } {
  let start = 0;
  if (input.ExclusiveStartKey) {
    const startKey = input.ExclusiveStartKey as Item;
    const index = items.findIndex(item =>
      Object.entries(startKey).every(
        ([name, value]) => item[name] && valuesEqual(item[name], value),
      ),
    );
    start = index + 1;
  }
  const limit = input.Limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw validation(
      "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  }
  const page = items.slice(start, limit ? start + limit : undefined);
  const more = limit !== undefined && start + limit < items.length;
  const last = page[page.length - 1];
  return {
    page,
    lastKey:
      more && last
        ? { ...keyOf(table, last), ...keyOf(table, last, schema) }
        : undefined,
  };
}

function selectOutput(
  input: Input,
  table: Table,
  evaluated: Item[],
  matched: Item[],
  shape: (item: Item) => Item,
  lastKey: Item | undefined,
): Output {
  return {
    ...(input.Select === 'COUNT' ? {} : { Items: matched.map(shape) }),
    Count: matched.length,
    ScannedCount: evaluated.length,
    ...(lastKey ? { LastEvaluatedKey: lastKey } : {}),
    ...consumed(input, table, Math.max(0.5, evaluated.length / 2)),
  };
}

export function query(input: Input, ctx: CallContext): Output {
  const table = findTable(ctx, input.TableName);
  if (typeof input.KeyConditionExpression !== 'string') {
    throw validation(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  }
  const schema = indexSchema(table, input.IndexName);
  const subs = substitutions(input);
  const keyCondition = parseCondition(input.KeyConditionExpression, subs);
  const filter = conditionOf(input.FilterExpression, subs);
  const shape = projector(input, subs);
  subs.assertAllUsed();
  const hashName = schema.find(k => k.KeyType === 'HASH')!.AttributeName;
  const rangeName = schema.find(k => k.KeyType === 'RANGE')?.AttributeName;
  const parts = conjuncts(keyCondition);
  const hashPart = parts.find(
    part =>
      part.kind === 'compare' &&
      part.op === '=' &&
      part.left.kind === 'path' &&
      part.left.path.length === 1 &&
      part.left.path[0] === hashName &&
      part.right.kind === 'value',
  );
  if (
    !hashPart ||
    hashPart.kind !== 'compare' ||
    hashPart.right.kind !== 'value'
  ) {
    throw validation(`Query condition missed key schema element: ${hashName}`);
  }
  if (parts.length > 2) {
    throw validation('Query key condition not supported');
  }
  const hashValue = hashPart.right.value;
  const candidates =
    input.IndexName === undefined
      ? partitionItems(table, hashValue)
      : [...allItems(table)].filter(
          item => item[hashName] && valuesEqual(item[hashName], hashValue),
        );
  let ordered = sortByRange(
    candidates.filter(
      item =>
        (rangeName ? item[rangeName] !== undefined : true) &&
        evaluate(keyCondition, item),
    ),
    rangeName,
  );
  if (input.ScanIndexForward === false) ordered = ordered.reverse();
  const { page, lastKey } = paginate(ordered, input, table, schema);
  const matched = filter ? page.filter(item => evaluate(filter, item)) : page;
  return selectOutput(input, table, page, matched, shape, lastKey);
}

function segmentOf(partition: string, totalSegments: number): number {
  let hash = 0;
  for (let i = 0; i < partition.length; i++)
    hash = (hash * 31 + partition.charCodeAt(i)) >>> 0;
  return hash % totalSegments;
}

export function scan(input: Input, ctx: CallContext): Output {
  const table = findTable(ctx, input.TableName);
  const schema = indexSchema(table, input.IndexName);
  const subs = substitutions(input);
  const filter = conditionOf(input.FilterExpression, subs);
  const shape = projector(input, subs);
  subs.assertAllUsed();
  const { Segment: segment, TotalSegments: total } = input;
  if ((segment === undefined) !== (total === undefined)) {
    throw validation(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  }
  let items: Item[] = [];
  for (const [partition, partitionItemsMap] of table.partitions) {
    if (total !== undefined && segmentOf(partition, total) !== segment)
      continue;
    items.push(...partitionItemsMap.values());
  }
  if (input.IndexName !== undefined) {
    items = items.filter(item =>
      schema.every(k => item[k.AttributeName] !== undefined),
    );
  }
  const { page, lastKey } = paginate(items, input, table, schema);
  const matched = filter ? page.filter(item => evaluate(filter, item)) : page;
  return selectOutput(input, table, page, matched, shape, lastKey);
}

// --------------------------------------------------------- batches, transactions

export function batchGetItem(input: Input, ctx: CallContext): Output {
  const requests = Object.entries(
    (input.RequestItems ?? {}) as Record<string, Input>,
  );
  const total = requests.reduce((n, [, r]) => n + (r.Keys?.length ?? 0), 0);
  if (requests.length === 0 || total === 0) {
    throw validation(
      "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (total > 100)
    throw validation('Too many items requested for the BatchGetItem call');
  const plans = requests.map(([name, request]) => {
    const table = findTable(ctx, name);
    const keys = (request.Keys as unknown[]).map(key => checkKey(table, key));
    const seen = new Set(keys.map(key => JSON.stringify(keyOf(table, key))));
    if (seen.size !== keys.length)
      throw validation('Provided list of item keys contains duplicates');
    const subs = substitutions(request);
    const shape = projector(request, subs);
    subs.assertAllUsed();
    return { name, table, keys, shape };
  });
  const responses: Record<string, Item[]> = {};
  for (const { name, table, keys, shape } of plans) {
    responses[name] = keys.flatMap(key => {
      const item = readItem(table, key);
      return item ? [shape(item)] : [];
    });
  }
  return {
    Responses: responses,
    UnprocessedKeys: {},
    ...consumedPerTable(
      input,
      plans.flatMap(({ table, keys }) =>
        keys.map(() => ({ table, units: 0.5 })),
      ),
    ),
  };
}

export function batchWriteItem(input: Input, ctx: CallContext): Output {
  const requests = Object.entries(
    (input.RequestItems ?? {}) as Record<string, Input[]>,
  );
  const total = requests.reduce((n, [, r]) => n + (r?.length ?? 0), 0);
  if (requests.length === 0 || total === 0) {
    throw validation(
      "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (total > 25)
    throw validation('Too many items requested for the BatchWriteItem call');
  const writes = requests.flatMap(([name, list]) => {
    const table = findTable(ctx, name);
    const seen = new Set<string>();
    return list.map(request => {
      let op;
      if (request.PutRequest)
        op = preparePut(table, { Item: request.PutRequest.Item });
      else if (request.DeleteRequest)
        op = prepareDelete(table, { Key: request.DeleteRequest.Key });
      else
        throw validation(
          'Supplied AttributeValue has neither PutRequest nor DeleteRequest',
        );
      const id = JSON.stringify(op.key);
      if (seen.has(id))
        throw validation('Provided list of item keys contains duplicates');
      seen.add(id);
      return { ...op, table };
    });
  });
  for (const write of writes) write.apply();
  return {
    UnprocessedItems: {},
    ...consumedPerTable(
      input,
      writes.map(({ table }) => ({ table, units: 1 })),
    ),
  };
}

export function transactGetItems(input: Input, ctx: CallContext): Output {
  const items: Input[] = input.TransactItems ?? [];
  if (items.length === 0 || items.length > 100) {
    throw validation(
      'Member must have length less than or equal to 100 and greater than or equal to 1: TransactItems',
    );
  }
  const reads = items.map(entry => {
    if (!entry.Get) throw validation('TransactGetItems supports only Get');
    const table = findTable(ctx, entry.Get.TableName);
    const key = checkKey(table, entry.Get.Key);
    const subs = substitutions(entry.Get);
    const shape = projector(entry.Get, subs);
    subs.assertAllUsed();
    return { table, key, shape };
  });
  return {
    Responses: reads.map(({ table, key, shape }) => {
      const item = readItem(table, key);
      return item ? { Item: shape(item) } : {};
    }),
    ...consumedPerTable(
      input,
      reads.map(({ table }) => ({ table, units: 2 })),
    ),
  };
}

const TRANSACT_KINDS = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const;

export function transactWriteItems(input: Input, ctx: CallContext): Output {
  const items: Input[] = input.TransactItems ?? [];
  if (items.length === 0 || items.length > 100) {
    throw validation(
      'Member must have length less than or equal to 100 and greater than or equal to 1: TransactItems',
    );
  }
  const seen = new Set<string>();
  const operations = items.map(entry => {
    const kind = TRANSACT_KINDS.find(k => entry[k]);
    if (!kind)
      throw validation(
        'TransactItems can only contain one of ConditionCheck, Put, Update or Delete',
      );
    const request = entry[kind];
    const table = findTable(ctx, request.TableName);
    let op: { key: Item; check: () => void; apply?: () => unknown };
    if (kind === 'Put') op = preparePut(table, request);
    else if (kind === 'Update') op = prepareUpdate(table, request);
    else if (kind === 'Delete') op = prepareDelete(table, request);
    else {
      const key = checkKey(table, request.Key);
      const subs = substitutions(request);
      if (typeof request.ConditionExpression !== 'string') {
        throw validation('ConditionCheck requires a ConditionExpression');
      }
      const condition = parseCondition(request.ConditionExpression, subs);
      subs.assertAllUsed();
      op = {
        key,
        check: () => checkCondition(condition, readItem(table, key), request),
      };
    }
    const id = `${table.arn}|${JSON.stringify(op.key)}`;
    if (seen.has(id)) {
      throw validation(
        'Transaction request cannot include multiple operations on one item',
      );
    }
    seen.add(id);
    return { ...op, table };
  });
  const reasons = operations.map(op => {
    try {
      op.check();
      return { Code: 'None' };
    } catch (error) {
      if (
        error instanceof AwsError &&
        error.code === 'ConditionalCheckFailedException'
      ) {
        return {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(error.fields.Item ? { Item: error.fields.Item } : {}),
        };
      }
      throw error;
    }
  });
  if (reasons.some(reason => reason.Code !== 'None')) {
    throw new AwsError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
        .map(r => r.Code)
        .join(', ')}]`,
      400,
      { CancellationReasons: reasons },
    );
  }
  for (const op of operations) op.apply?.();
  return consumedPerTable(
    input,
    operations.map(({ table }) => ({ table, units: 2 })),
  );
}
