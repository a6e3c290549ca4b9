import { AwsError } from '../../errors';
import type { CallContext } from '../types';
import {
  Substitutions,
  parseCondition,
  parseProjection,
  validation,
  evaluate,
  project,
} from './expressions';
import { type Table, notFound, resolveTableName } from './tables';
import type { AttributeValue, Item } from './values';
import { isValidAttributeValue } from './values';

export type Input = Record<string, any>;
export type Output = Record<string, unknown>;

/** Looks a table up by name or ARN in the caller's account and region. */
export function findTable(ctx: CallContext, nameOrArn: unknown): Table {
  const resolved = resolveTableName(
    nameOrArn,
    ctx.region,
    ctx.identity.accountId,
  );
  if (resolved.accountId !== ctx.identity.accountId) {
    throw new AwsError(
      'AccessDeniedException',
      `User: ${ctx.identity.arn} is not authorized to perform this operation on resource: ${resolved.arn} because no resource-based policy allows it`,
    );
  }
  const table = ctx.world.tables.get(resolved.arn);
  if (!table) throw notFound(resolved.name);
  return table;
}

export function substitutions(input: Input): Substitutions {
  const names = input.ExpressionAttributeNames;
  const values = input.ExpressionAttributeValues;
  if (
    names !== undefined &&
    (typeof names !== 'object' || Array.isArray(names))
  ) {
    throw validation('ExpressionAttributeNames must be a map');
  }
  if (values !== undefined) {
    if (typeof values !== 'object' || Array.isArray(values)) {
      throw validation('ExpressionAttributeValues must be a map');
    }
    for (const [token, value] of Object.entries(values)) {
      if (!isValidAttributeValue(value)) {
        throw validation(
          `ExpressionAttributeValues contains invalid value: One or more parameter values were invalid for key ${token}`,
        );
      }
    }
  }
  return new Substitutions(names ?? {}, values ?? {});
}

export function checkItem(item: unknown): Item {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    throw validation(
      'One or more parameter values were invalid: Item must be a map',
    );
  }
  for (const [name, value] of Object.entries(item)) {
    if (!isValidAttributeValue(value)) {
      throw validation(
        `One or more parameter values were invalid: An AttributeValue may not contain an empty set, and must hold exactly one type. Attribute: ${name}`,
      );
    }
  }
  return item as Item;
}

/** A condition that must hold on the current item; undefined when none was given. */
export function conditionOf(expression: unknown, subs: Substitutions) {
  if (expression === undefined) return undefined;
  if (typeof expression !== 'string')
    throw validation('ConditionExpression must be a string');
  return parseCondition(expression, subs);
}

export function conditionFailed(old: Item | undefined, input: Input): AwsError {
  const fields: Record<string, unknown> = {};
  if (old && input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD')
    fields.Item = old;
  return new AwsError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    400,
    fields,
  );
}

export function checkCondition(
  condition: ReturnType<typeof conditionOf>,
  current: Item | undefined,
  input: Input,
): void {
  if (condition && !evaluate(condition, current ?? {}))
    throw conditionFailed(current, input);
}

export function projector(
  input: Input,
  subs: Substitutions,
): (item: Item) => Item {
  if (typeof input.ProjectionExpression === 'string') {
    const paths = parseProjection(input.ProjectionExpression, subs);
    return item => project(item, paths);
  }
  return item => item;
}

const wantsCapacity = (input: Input) =>
  !!input.ReturnConsumedCapacity && input.ReturnConsumedCapacity !== 'NONE';

export function consumed(input: Input, table: Table, units: number): Output {
  if (!wantsCapacity(input)) return {};
  return { ConsumedCapacity: { TableName: table.name, CapacityUnits: units } };
}

/**
 * ConsumedCapacity of a call over several tables (batches, transactions): one
 * entry per table. Transactions cost twice a plain read or write, as on AWS.
 */
export function consumedPerTable(
  input: Input,
  uses: Array<{ table: Table; units: number }>,
): Output {
  if (!wantsCapacity(input)) return {};
  const byTable = new Map<string, number>();
  for (const { table, units } of uses) {
    byTable.set(table.name, (byTable.get(table.name) ?? 0) + units);
  }
  return {
    ConsumedCapacity: [...byTable].map(([TableName, CapacityUnits]) => ({
      TableName,
      CapacityUnits,
    })),
  };
}

export type { AttributeValue };
