/**
 * The DynamoDB data-plane operations CloudTrail logs as data events, and how
 * CloudTrail flags each of them as read or write.
 */

/** `eventSource` of every DynamoDB event. */
export const DYNAMODB_EVENT_SOURCE = 'dynamodb.amazonaws.com';
/** `resources.type` of table data events (basic and advanced selectors). */
export const DYNAMODB_TABLE_RESOURCE_TYPE = 'AWS::DynamoDB::Table';
/** `resources.type` of stream data events (advanced selectors only). */
export const DYNAMODB_STREAM_RESOURCE_TYPE = 'AWS::DynamoDB::Stream';

/** Operations logged as `AWS::DynamoDB::Table` data events. TTL deletes are not logged. */
export const DYNAMODB_DATA_OPERATIONS = [
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
] as const;

export type DynamoDbDataOperation = (typeof DYNAMODB_DATA_OPERATIONS)[number];

export type DataAccess = 'read' | 'write';

/**
 * The `readOnly` flag CloudTrail records for each operation, as read/write.
 * This is what `ReadWriteType` (basic) and `readOnly` (advanced) filter on.
 * The PartiQL operations are recorded with `readOnly: false` even when the
 * statement is a SELECT (see the ExecuteStatement example in the DynamoDB
 * developer guide, "Understanding DynamoDB log file entries"), so a read-only
 * selector drops every PartiQL call.
 */
export const DYNAMODB_OPERATION_ACCESS: Readonly<
  Record<DynamoDbDataOperation, DataAccess>
> = {
  GetItem: 'read',
  PutItem: 'write',
  UpdateItem: 'write',
  DeleteItem: 'write',
  Query: 'read',
  Scan: 'read',
  BatchGetItem: 'read',
  BatchWriteItem: 'write',
  TransactGetItems: 'read',
  TransactWriteItems: 'write',
  ExecuteStatement: 'write',
  BatchExecuteStatement: 'write',
  ExecuteTransaction: 'write',
};

/** Operations CloudTrail flags `readOnly: true`. */
export const DYNAMODB_READ_OPERATIONS: readonly DynamoDbDataOperation[] =
  DYNAMODB_DATA_OPERATIONS.filter(
    op => DYNAMODB_OPERATION_ACCESS[op] === 'read',
  );

/** Operations CloudTrail flags `readOnly: false`. */
export const DYNAMODB_WRITE_OPERATIONS: readonly DynamoDbDataOperation[] =
  DYNAMODB_DATA_OPERATIONS.filter(
    op => DYNAMODB_OPERATION_ACCESS[op] === 'write',
  );

const PARTIQL_OPERATIONS: ReadonlySet<string> = new Set([
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

export function isDynamoDbDataOperation(
  eventName: string,
): eventName is DynamoDbDataOperation {
  return (DYNAMODB_DATA_OPERATIONS as readonly string[]).includes(eventName);
}

/**
 * Whether a logged call read or wrote the table, for lineage. Unlike the
 * `readOnly` flag, PartiQL calls whose statements are all SELECTs count as
 * reads: the statement text survives CloudTrail's redaction of values.
 * Returns `undefined` for events that are not DynamoDB data operations.
 *
 * @param statements - the PartiQL statements of the call (`statement`,
 *   `requestItems[].statement` or `transactStatements[].statement`)
 */
export function dynamoDbAccessKind(
  eventName: string,
  statements?: readonly string[],
): DataAccess | undefined {
  if (!isDynamoDbDataOperation(eventName)) return undefined;
  if (PARTIQL_OPERATIONS.has(eventName) && statements && statements.length) {
    const allSelects = statements.every(s => /^\s*select\b/i.test(s));
    return allSelects ? 'read' : 'write';
  }
  return DYNAMODB_OPERATION_ACCESS[eventName];
}
