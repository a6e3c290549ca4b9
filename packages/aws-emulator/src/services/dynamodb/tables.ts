import { randomUUID } from 'node:crypto';
import { AwsError } from '../../errors';
import {
  type AttributeValue,
  type Item,
  compareScalars,
  typeOf,
} from './values';
import { validation } from './expressions';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: 'S' | 'N' | 'B';
}

export interface SecondaryIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: {
    ReadCapacityUnits: number;
    WriteCapacityUnits: number;
  };
}

export interface Table {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  tableId: string;
  createdAt: number;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  provisionedThroughput?: {
    ReadCapacityUnits: number;
    WriteCapacityUnits: number;
  };
  globalSecondaryIndexes: SecondaryIndex[];
  localSecondaryIndexes: SecondaryIndex[];
  tags: Array<{ Key: string; Value: string }>;
  /** Items grouped by partition key, then by full key, in insertion order. */
  partitions: Map<string, Map<string, Item>>;
}

export const tableArn = (region: string, accountId: string, name: string) =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;

const TABLE_ARN =
  /^arn:aws:dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]+)$/;

/** Table names may be given as ARNs; both resolve to region, account, name. */
export function resolveTableName(
  nameOrArn: unknown,
  region: string,
  accountId: string,
): { region: string; accountId: string; name: string; arn: string } {
  if (typeof nameOrArn !== 'string' || nameOrArn.length === 0) {
    throw validation(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  }
  const match = TABLE_ARN.exec(nameOrArn);
  if (match) {
    return {
      region: match[1],
      accountId: match[2],
      name: match[3],
      arn: nameOrArn,
    };
  }
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(nameOrArn)) {
    throw validation(
      `1 validation error detected: Value '${nameOrArn}' at 'tableName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255',
    );
  }
  return {
    region,
    accountId,
    name: nameOrArn,
    arn: tableArn(region, accountId, nameOrArn),
  };
}

export function newTable(
  fields: Omit<Table, 'arn' | 'tableId' | 'partitions'>,
): Table {
  return {
    ...fields,
    arn: tableArn(fields.region, fields.accountId, fields.name),
    tableId: randomUUID(),
    partitions: new Map(),
  };
}

export const hashKeyName = (table: Table) =>
  table.keySchema.find(k => k.KeyType === 'HASH')!.AttributeName;

export const rangeKeyName = (table: Table) =>
  table.keySchema.find(k => k.KeyType === 'RANGE')?.AttributeName;

export const keyNames = (table: Table): string[] =>
  table.keySchema.map(k => k.AttributeName);

function attributeType(table: Table, name: string): string | undefined {
  return table.attributeDefinitions.find(a => a.AttributeName === name)
    ?.AttributeType;
}

const keyPart = (value: AttributeValue) =>
  `${typeOf(value)}:${Object.values(value)[0]}`;

/** Validates the `Key` parameter of a call; returns it normalised. */
export function checkKey(table: Table, key: unknown): Item {
  const names = keyNames(table);
  if (
    !key ||
    typeof key !== 'object' ||
    Object.keys(key).length !== names.length ||
    !names.every(name => {
      const value = (key as Item)[name];
      return value && typeOf(value) === attributeType(table, name);
    })
  ) {
    throw validation('The provided key element does not match the schema');
  }
  return key as Item;
}

/** Validates the key attributes of a whole item (PutItem). */
export function checkItemKey(table: Table, item: Item): Item {
  const key: Item = {};
  for (const name of keyNames(table)) {
    const value = item[name];
    if (!value) {
      throw validation(
        `One or more parameter values were invalid: Missing the key ${name} in the item`,
      );
    }
    const expected = attributeType(table, name);
    if (typeOf(value) !== expected) {
      throw validation(
        `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${expected} actual: ${typeOf(
          value,
        )}`,
      );
    }
    if ((value.S ?? value.B) === '') {
      throw validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
      );
    }
    key[name] = value;
  }
  return key;
}

function keyStrings(
  table: Table,
  key: Item,
): { partition: string; full: string } {
  const partition = keyPart(key[hashKeyName(table)]);
  const range = rangeKeyName(table);
  return {
    partition,
    full: range ? `${partition}|${keyPart(key[range])}` : partition,
  };
}

export function readItem(table: Table, key: Item): Item | undefined {
  const { partition, full } = keyStrings(table, key);
  return table.partitions.get(partition)?.get(full);
}

export function writeItem(table: Table, item: Item): void {
  const { partition, full } = keyStrings(table, checkItemKey(table, item));
  let items = table.partitions.get(partition);
  if (!items) {
    items = new Map();
    table.partitions.set(partition, items);
  }
  items.set(full, item);
}

export function removeItem(table: Table, key: Item): void {
  const { partition, full } = keyStrings(table, key);
  const items = table.partitions.get(partition);
  items?.delete(full);
  if (items?.size === 0) table.partitions.delete(partition);
}

export function* allItems(table: Table): Generator<Item> {
  for (const items of table.partitions.values()) yield* items.values();
}

export function itemCount(table: Table): number {
  let count = 0;
  for (const items of table.partitions.values()) count += items.size;
  return count;
}

export function partitionItems(
  table: Table,
  hashValue: AttributeValue,
): Item[] {
  const items = table.partitions.get(keyPart(hashValue));
  return items ? [...items.values()] : [];
}

export function keyOf(
  table: Table,
  item: Item,
  schema = table.keySchema,
): Item {
  const key: Item = {};
  for (const { AttributeName } of schema) {
    if (item[AttributeName]) key[AttributeName] = item[AttributeName];
  }
  return key;
}

export function sortByRange(
  items: Item[],
  rangeName: string | undefined,
): Item[] {
  if (!rangeName) return items;
  return items.sort((a, b) => compareScalars(a[rangeName], b[rangeName]) ?? 0);
}

export function notFound(name: string): AwsError {
  return new AwsError(
    'ResourceNotFoundException',
    `Requested resource not found: Table: ${name} not found`,
  );
}
