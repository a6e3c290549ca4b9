import {
  DYNAMODB_DATA_OPERATIONS,
  DYNAMODB_READ_OPERATIONS,
  DYNAMODB_WRITE_OPERATIONS,
  dynamoDbAccessKind,
  isDynamoDbDataOperation,
} from './operations';

describe('DynamoDB data operations', () => {
  it('lists the 13 data-plane operations, split into reads and writes by readOnly', () => {
    expect(DYNAMODB_DATA_OPERATIONS).toHaveLength(13);
    expect([...DYNAMODB_READ_OPERATIONS]).toEqual([
      'GetItem',
      'Query',
      'Scan',
      'BatchGetItem',
      'TransactGetItems',
    ]);
    expect([...DYNAMODB_WRITE_OPERATIONS]).toEqual([
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'BatchWriteItem',
      'TransactWriteItems',
      'ExecuteStatement',
      'BatchExecuteStatement',
      'ExecuteTransaction',
    ]);
  });

  it('recognizes data operations only', () => {
    expect(isDynamoDbDataOperation('Query')).toBe(true);
    expect(isDynamoDbDataOperation('DescribeTable')).toBe(false);
    expect(isDynamoDbDataOperation('GetRecords')).toBe(false);
  });

  it('classifies calls for lineage, reading PartiQL statements', () => {
    expect(dynamoDbAccessKind('GetItem')).toBe('read');
    expect(dynamoDbAccessKind('PutItem')).toBe('write');
    expect(
      dynamoDbAccessKind('ExecuteStatement', [
        "SELECT * FROM Music WHERE Artist = 'x'",
      ]),
    ).toBe('read');
    expect(dynamoDbAccessKind('ExecuteStatement', ['  select a FROM t'])).toBe(
      'read',
    );
    expect(
      dynamoDbAccessKind('BatchExecuteStatement', [
        'SELECT * FROM t',
        'UPDATE t SET a = ***(Redacted)',
      ]),
    ).toBe('write');
    expect(dynamoDbAccessKind('ExecuteTransaction')).toBe('write');
    expect(dynamoDbAccessKind('CreateTable')).toBeUndefined();
  });
});
