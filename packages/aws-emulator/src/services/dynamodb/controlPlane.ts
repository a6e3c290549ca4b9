import { AwsError } from '../../errors';
import type { CallContext } from '../types';
import { type Input, type Output, findTable } from './context';
import { validation } from './expressions';
import {
  type AttributeDefinition,
  type KeySchemaElement,
  type SecondaryIndex,
  type Table,
  itemCount,
  newTable,
  resolveTableName,
  allItems,
} from './tables';
import { itemSize } from './values';

function checkKeySchema(schema: unknown, where: string): KeySchemaElement[] {
  if (
    !Array.isArray(schema) ||
    schema.length < 1 ||
    schema.length > 2 ||
    schema[0]?.KeyType !== 'HASH' ||
    (schema.length === 2 && schema[1]?.KeyType !== 'RANGE') ||
    !schema.every(
      k => typeof k?.AttributeName === 'string' && k.AttributeName.length > 0,
    )
  ) {
    throw validation(
      `1 validation error detected: Value at '${where}' failed to satisfy constraint: ` +
        'a key schema has one HASH element, optionally followed by one RANGE element',
    );
  }
  return schema.map(k => ({
    AttributeName: k.AttributeName,
    KeyType: k.KeyType,
  }));
}

function checkThroughput(input: Input, billingMode: string) {
  const throughput = input.ProvisionedThroughput;
  if (billingMode === 'PAY_PER_REQUEST') {
    if (throughput) {
      throw validation(
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    }
    return undefined;
  }
  if (
    !(throughput?.ReadCapacityUnits >= 1) ||
    !(throughput?.WriteCapacityUnits >= 1)
  ) {
    throw validation(
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  }
  return {
    ReadCapacityUnits: throughput.ReadCapacityUnits,
    WriteCapacityUnits: throughput.WriteCapacityUnits,
  };
}

function checkIndexes(
  list: unknown,
  kind: string,
  billingMode: string,
): SecondaryIndex[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length === 0) {
    throw validation(
      `One or more parameter values were invalid: List of ${kind} is empty`,
    );
  }
  return list.map((index, i) => {
    if (
      typeof index?.IndexName !== 'string' ||
      !/^[A-Za-z0-9_.-]{3,255}$/.test(index.IndexName)
    ) {
      throw validation(
        `One or more parameter values were invalid: invalid IndexName of ${kind}[${i}]`,
      );
    }
    return {
      IndexName: index.IndexName,
      KeySchema: checkKeySchema(
        index.KeySchema,
        `${kind}.${i}.member.keySchema`,
      ),
      Projection: index.Projection ?? { ProjectionType: 'ALL' },
      ProvisionedThroughput:
        kind === 'globalSecondaryIndexes' && billingMode === 'PROVISIONED'
          ? index.ProvisionedThroughput
          : undefined,
    };
  });
}

export function describe(table: Table, status: string): Output {
  let size = 0;
  for (const item of allItems(table)) size += itemSize(item);
  const indexDescription = (index: SecondaryIndex) => ({
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: index.Projection,
    IndexStatus: 'ACTIVE',
    IndexArn: `${table.arn}/index/${index.IndexName}`,
    IndexSizeBytes: 0,
    ItemCount: 0,
    ...(index.ProvisionedThroughput
      ? {
          ProvisionedThroughput: {
            ...index.ProvisionedThroughput,
            NumberOfDecreasesToday: 0,
          },
        }
      : {}),
  });
  return {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: table.keySchema,
    TableStatus: status,
    CreationDateTime: table.createdAt / 1000,
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: table.provisionedThroughput?.ReadCapacityUnits ?? 0,
      WriteCapacityUnits: table.provisionedThroughput?.WriteCapacityUnits ?? 0,
    },
    TableSizeBytes: size,
    ItemCount: itemCount(table),
    TableArn: table.arn,
    TableId: table.tableId,
    ...(table.billingMode === 'PAY_PER_REQUEST'
      ? {
          BillingModeSummary: {
            BillingMode: 'PAY_PER_REQUEST',
            LastUpdateToPayPerRequestDateTime: table.createdAt / 1000,
          },
        }
      : {}),
    ...(table.globalSecondaryIndexes.length
      ? {
          GlobalSecondaryIndexes:
            table.globalSecondaryIndexes.map(indexDescription),
        }
      : {}),
    ...(table.localSecondaryIndexes.length
      ? {
          LocalSecondaryIndexes:
            table.localSecondaryIndexes.map(indexDescription),
        }
      : {}),
    DeletionProtectionEnabled: false,
  };
}

export function createTable(input: Input, ctx: CallContext): Output {
  const { name, arn } = resolveTableName(
    input.TableName,
    ctx.region,
    ctx.identity.accountId,
  );
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  if (!['PROVISIONED', 'PAY_PER_REQUEST'].includes(billingMode)) {
    throw validation(
      `1 validation error detected: Value '${billingMode}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]`,
    );
  }
  const keySchema = checkKeySchema(input.KeySchema, 'keySchema');
  const definitions: AttributeDefinition[] = input.AttributeDefinitions;
  if (
    !Array.isArray(definitions) ||
    !definitions.every(
      d =>
        typeof d?.AttributeName === 'string' &&
        ['S', 'N', 'B'].includes(d?.AttributeType),
    )
  ) {
    throw validation(
      'One or more parameter values were invalid: AttributeDefinitions must name attributes of type S, N or B',
    );
  }
  const gsis = checkIndexes(
    input.GlobalSecondaryIndexes,
    'globalSecondaryIndexes',
    billingMode,
  );
  const lsis = checkIndexes(
    input.LocalSecondaryIndexes,
    'localSecondaryIndexes',
    billingMode,
  );
  const used = new Set(
    [keySchema, ...gsis.map(i => i.KeySchema), ...lsis.map(i => i.KeySchema)]
      .flat()
      .map(k => k.AttributeName),
  );
  const defined = new Set(definitions.map(d => d.AttributeName));
  if (used.size !== defined.size || [...used].some(n => !defined.has(n))) {
    throw validation(
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  const throughput = checkThroughput(input, billingMode);
  if (ctx.world.tables.has(arn)) {
    throw new AwsError(
      'ResourceInUseException',
      `Table already exists: ${name}`,
    );
  }
  const table = newTable({
    name,
    accountId: ctx.identity.accountId,
    region: ctx.region,
    createdAt: ctx.time,
    keySchema,
    attributeDefinitions: definitions.map(d => ({
      AttributeName: d.AttributeName,
      AttributeType: d.AttributeType,
    })),
    billingMode,
    provisionedThroughput: throughput,
    globalSecondaryIndexes: gsis,
    localSecondaryIndexes: lsis,
    tags: Array.isArray(input.Tags) ? input.Tags : [],
  });
  ctx.world.tables.set(table.arn, table);
  return { TableDescription: describe(table, 'CREATING') };
}

export function describeTable(input: Input, ctx: CallContext): Output {
  return { Table: describe(findTable(ctx, input.TableName), 'ACTIVE') };
}

/** Time to live is never turned on in the emulator. */
export function describeTimeToLive(input: Input, ctx: CallContext): Output {
  findTable(ctx, input.TableName);
  return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
}

/** Backups are on for every table, point-in-time recovery off (AWS's defaults). */
export function describeContinuousBackups(
  input: Input,
  ctx: CallContext,
): Output {
  findTable(ctx, input.TableName);
  return {
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    },
  };
}

/** The tags the table was created with. */
export function listTagsOfResource(input: Input, ctx: CallContext): Output {
  return { Tags: findTable(ctx, input.ResourceArn).tags };
}

export function deleteTable(input: Input, ctx: CallContext): Output {
  const table = findTable(ctx, input.TableName);
  ctx.world.tables.delete(table.arn);
  return { TableDescription: describe(table, 'DELETING') };
}

export function listTables(input: Input, ctx: CallContext): Output {
  const limit = input.Limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`,
    );
  }
  const names = [...ctx.world.tables.values()]
    .filter(
      t => t.accountId === ctx.identity.accountId && t.region === ctx.region,
    )
    .map(t => t.name)
    .sort()
    .filter(
      name =>
        input.ExclusiveStartTableName === undefined ||
        name > input.ExclusiveStartTableName,
    );
  const page = names.slice(0, limit);
  return {
    TableNames: page,
    ...(names.length > limit
      ? { LastEvaluatedTableName: page[page.length - 1] }
      : {}),
  };
}
