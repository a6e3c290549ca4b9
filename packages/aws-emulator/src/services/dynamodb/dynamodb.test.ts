import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type RunningEmulator, startEmulator } from '../../index';
import { rejection, sdkClients } from '../../__testUtils__/clients';

describe('DynamoDB over the wire', () => {
  let emulator: RunningEmulator;
  let ddb: DynamoDBClient;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    ddb = sdkClients(emulator.url).dynamodb;
  });

  afterAll(() => emulator.stop());

  it('answers what Terraform reads of a table: TTL, backups and the tags it was created with', async () => {
    const created = await ddb.send(
      new CreateTableCommand({
        TableName: 'tagged',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        Tags: [{ Key: 'team', Value: 'payments' }],
      }),
    );
    const arn = created.TableDescription!.TableArn!;
    expect(
      (await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn })))
        .Tags,
    ).toEqual([{ Key: 'team', Value: 'payments' }]);
    expect(
      (await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'tagged' })))
        .TimeToLiveDescription,
    ).toEqual({ TimeToLiveStatus: 'DISABLED' });
    expect(
      (
        await ddb.send(
          new DescribeContinuousBackupsCommand({ TableName: 'tagged' }),
        )
      ).ContinuousBackupsDescription?.PointInTimeRecoveryDescription,
    ).toEqual({ PointInTimeRecoveryStatus: 'DISABLED' });
    const missing = await rejection(
      ddb.send(new DescribeTimeToLiveCommand({ TableName: 'absent' })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  beforeEach(async () => {
    await emulator.reset();
    await ddb.send(
      new CreateTableCommand({
        TableName: 'ledger',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'account', KeyType: 'HASH' },
          { AttributeName: 'seq', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'account', AttributeType: 'S' },
          { AttributeName: 'seq', AttributeType: 'N' },
        ],
      }),
    );
    for (let seq = 1; seq <= 5; seq++) {
      await ddb.send(
        new PutItemCommand({
          TableName: 'ledger',
          Item: {
            account: { S: 'a1' },
            seq: { N: String(seq) },
            amount: { N: String(seq * 10) },
          },
        }),
      );
    }
  });

  describe('control plane', () => {
    it('creates, describes and lists tables', async () => {
      const { Table } = await ddb.send(
        new DescribeTableCommand({ TableName: 'ledger' }),
      );
      expect(Table).toMatchObject({
        TableName: 'ledger',
        TableStatus: 'ACTIVE',
        ItemCount: 5,
        TableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      });
      expect(Table?.CreationDateTime).toBeInstanceOf(Date);
      const byArn = await ddb.send(
        new DescribeTableCommand({ TableName: Table!.TableArn }),
      );
      expect(byArn.Table?.TableName).toBe('ledger');
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([
        'ledger',
      ]);
      const west = sdkClients(emulator.url, { region: 'eu-west-1' }).dynamodb;
      expect((await west.send(new ListTablesCommand({}))).TableNames).toEqual(
        [],
      );
    });

    it('pages ListTables', async () => {
      for (const name of ['alpha', 'beta']) {
        await ddb.send(
          new CreateTableCommand({
            TableName: name,
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          }),
        );
      }
      const first = await ddb.send(new ListTablesCommand({ Limit: 2 }));
      expect(first).toMatchObject({
        TableNames: ['alpha', 'beta'],
        LastEvaluatedTableName: 'beta',
      });
      const second = await ddb.send(
        new ListTablesCommand({ ExclusiveStartTableName: 'beta' }),
      );
      expect(second.TableNames).toEqual(['ledger']);
    });

    it('refuses unknown tables with ResourceNotFoundException and duplicates with ResourceInUseException', async () => {
      expect(
        (
          await rejection(
            ddb.send(new DescribeTableCommand({ TableName: 'missing' })),
          )
        ).name,
      ).toBe('ResourceNotFoundException');
      const duplicate = await rejection(
        ddb.send(
          new CreateTableCommand({
            TableName: 'ledger',
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          }),
        ),
      );
      expect(duplicate.name).toBe('ResourceInUseException');
      const mismatch = await rejection(
        ddb.send(
          new CreateTableCommand({
            TableName: 'broken',
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [
              { AttributeName: 'other', AttributeType: 'S' },
            ],
          }),
        ),
      );
      expect(mismatch.name).toBe('ValidationException');
    });
  });

  describe('single items', () => {
    it('gets, puts, updates and deletes items', async () => {
      const got = await ddb.send(
        new GetItemCommand({
          TableName: 'ledger',
          Key: { account: { S: 'a1' }, seq: { N: '2' } },
          ProjectionExpression: 'amount',
        }),
      );
      expect(got.Item).toEqual({ amount: { N: '20' } });
      const updated = await ddb.send(
        new UpdateItemCommand({
          TableName: 'ledger',
          Key: { account: { S: 'a1' }, seq: { N: '2' } },
          UpdateExpression:
            'SET amount = amount + :inc, #s = if_not_exists(#s, :new) REMOVE gone ADD tags :tags',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':inc': { N: '5' },
            ':new': { S: 'NEW' },
            ':tags': { SS: ['x'] },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      expect(updated.Attributes).toEqual({
        account: { S: 'a1' },
        seq: { N: '2' },
        amount: { N: '25' },
        status: { S: 'NEW' },
        tags: { SS: ['x'] },
      });
      const deleted = await ddb.send(
        new DeleteItemCommand({
          TableName: 'ledger',
          Key: { account: { S: 'a1' }, seq: { N: '2' } },
          ReturnValues: 'ALL_OLD',
        }),
      );
      expect(deleted.Attributes?.amount).toEqual({ N: '25' });
      expect(
        (
          await ddb.send(
            new GetItemCommand({
              TableName: 'ledger',
              Key: { account: { S: 'a1' }, seq: { N: '2' } },
            }),
          )
        ).Item,
      ).toBeUndefined();
    });

    it('refuses failed conditions, bad keys, reserved words and unused values', async () => {
      const condition = await rejection(
        ddb.send(
          new PutItemCommand({
            TableName: 'ledger',
            Item: { account: { S: 'a1' }, seq: { N: '1' } },
            ConditionExpression: 'attribute_not_exists(seq)',
          }),
        ),
      );
      expect(condition.name).toBe('ConditionalCheckFailedException');
      const badKey = await rejection(
        ddb.send(
          new GetItemCommand({
            TableName: 'ledger',
            Key: { account: { S: 'a1' } },
          }),
        ),
      );
      expect(badKey.name).toBe('ValidationException');
      expect(badKey.message).toBe(
        'The provided key element does not match the schema',
      );
      const reserved = await rejection(
        ddb.send(
          new UpdateItemCommand({
            TableName: 'ledger',
            Key: { account: { S: 'a1' }, seq: { N: '1' } },
            UpdateExpression: 'SET status = :s',
            ExpressionAttributeValues: { ':s': { S: 'x' } },
          }),
        ),
      );
      expect(reserved.message).toContain('reserved keyword');
      const unused = await rejection(
        ddb.send(
          new PutItemCommand({
            TableName: 'ledger',
            Item: { account: { S: 'a1' }, seq: { N: '7' } },
            ConditionExpression: 'attribute_not_exists(seq)',
            ExpressionAttributeValues: { ':x': { S: 'x' } },
          }),
        ),
      );
      expect(unused.message).toContain('unused in expressions');
      const keyUpdate = await rejection(
        ddb.send(
          new UpdateItemCommand({
            TableName: 'ledger',
            Key: { account: { S: 'a1' }, seq: { N: '1' } },
            UpdateExpression: 'SET seq = :s',
            ExpressionAttributeValues: { ':s': { N: '9' } },
          }),
        ),
      );
      expect(keyUpdate.message).toContain('part of the key');
      const missingTable = await rejection(
        ddb.send(
          new GetItemCommand({ TableName: 'missing', Key: { id: { S: '1' } } }),
        ),
      );
      expect(missingTable.name).toBe('ResourceNotFoundException');
    });
  });

  describe('query and scan', () => {
    it('queries a partition in range order, backwards, filtered and paged', async () => {
      const forward = await ddb.send(
        new QueryCommand({
          TableName: 'ledger',
          KeyConditionExpression: 'account = :a AND seq BETWEEN :lo AND :hi',
          ExpressionAttributeValues: {
            ':a': { S: 'a1' },
            ':lo': { N: '2' },
            ':hi': { N: '4' },
          },
        }),
      );
      expect(forward.Items?.map(i => i.seq.N)).toEqual(['2', '3', '4']);
      const backward = await ddb.send(
        new QueryCommand({
          TableName: 'ledger',
          KeyConditionExpression: 'account = :a',
          FilterExpression: 'amount > :min',
          ExpressionAttributeValues: { ':a': { S: 'a1' }, ':min': { N: '15' } },
          ScanIndexForward: false,
          Limit: 3,
        }),
      );
      expect(backward.Items?.map(i => i.seq.N)).toEqual(['5', '4', '3']);
      expect(backward.LastEvaluatedKey).toEqual({
        account: { S: 'a1' },
        seq: { N: '3' },
      });
      const rest = await ddb.send(
        new QueryCommand({
          TableName: 'ledger',
          KeyConditionExpression: 'account = :a',
          FilterExpression: 'amount > :min',
          ExpressionAttributeValues: { ':a': { S: 'a1' }, ':min': { N: '15' } },
          ScanIndexForward: false,
          ExclusiveStartKey: backward.LastEvaluatedKey,
        }),
      );
      expect(rest).toMatchObject({ Count: 1, ScannedCount: 2 });
      const noHash = await rejection(
        ddb.send(
          new QueryCommand({
            TableName: 'ledger',
            KeyConditionExpression: 'seq = :s',
            ExpressionAttributeValues: { ':s': { N: '1' } },
          }),
        ),
      );
      expect(noHash.name).toBe('ValidationException');
    });

    it('scans with filters and counts', async () => {
      const result = await ddb.send(
        new ScanCommand({
          TableName: 'ledger',
          FilterExpression: 'amount >= :m',
          ExpressionAttributeValues: { ':m': { N: '30' } },
        }),
      );
      expect(result).toMatchObject({ Count: 3, ScannedCount: 5 });
      const count = await ddb.send(
        new ScanCommand({ TableName: 'ledger', Select: 'COUNT' }),
      );
      expect(count).toMatchObject({ Count: 5 });
      expect(count.Items).toBeUndefined();
    });
  });

  describe('batches and transactions', () => {
    it('batch-gets and batch-writes', async () => {
      await ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            ledger: [
              {
                PutRequest: { Item: { account: { S: 'a2' }, seq: { N: '1' } } },
              },
              {
                DeleteRequest: {
                  Key: { account: { S: 'a1' }, seq: { N: '5' } },
                },
              },
            ],
          },
        }),
      );
      const { Responses } = await ddb.send(
        new BatchGetItemCommand({
          RequestItems: {
            ledger: {
              Keys: [
                { account: { S: 'a2' }, seq: { N: '1' } },
                { account: { S: 'a1' }, seq: { N: '5' } },
              ],
            },
          },
        }),
      );
      expect(Responses?.ledger).toEqual([
        { account: { S: 'a2' }, seq: { N: '1' } },
      ]);
      const tooMany = await rejection(
        ddb.send(
          new BatchWriteItemCommand({
            RequestItems: {
              ledger: Array.from({ length: 26 }, (_, i) => ({
                PutRequest: {
                  Item: { account: { S: 'x' }, seq: { N: String(i) } },
                },
              })),
            },
          }),
        ),
      );
      expect(tooMany.name).toBe('ValidationException');
    });

    it('runs transactions all-or-nothing, with cancellation reasons', async () => {
      const cancelled = await rejection(
        ddb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: 'ledger',
                  Item: { account: { S: 'a3' }, seq: { N: '1' } },
                },
              },
              {
                ConditionCheck: {
                  TableName: 'ledger',
                  Key: { account: { S: 'a1' }, seq: { N: '1' } },
                  ConditionExpression: 'amount > :big',
                  ExpressionAttributeValues: { ':big': { N: '1000' } },
                },
              },
            ],
          }),
        ),
      );
      expect(cancelled.name).toBe('TransactionCanceledException');
      expect(
        cancelled.CancellationReasons?.map((r: { Code: string }) => r.Code),
      ).toEqual(['None', 'ConditionalCheckFailed']);
      const { Responses } = await ddb.send(
        new TransactGetItemsCommand({
          TransactItems: [
            {
              Get: {
                TableName: 'ledger',
                Key: { account: { S: 'a3' }, seq: { N: '1' } },
              },
            },
          ],
        }),
      );
      expect(Responses).toEqual([{}]);
      await ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'ledger',
                Item: { account: { S: 'a3' }, seq: { N: '1' } },
              },
            },
            {
              Update: {
                TableName: 'ledger',
                Key: { account: { S: 'a1' }, seq: { N: '1' } },
                UpdateExpression: 'SET amount = :z',
                ExpressionAttributeValues: { ':z': { N: '0' } },
              },
            },
          ],
        }),
      );
      const after = await ddb.send(
        new TransactGetItemsCommand({
          TransactItems: [
            {
              Get: {
                TableName: 'ledger',
                Key: { account: { S: 'a3' }, seq: { N: '1' } },
              },
            },
            {
              Get: {
                TableName: 'ledger',
                Key: { account: { S: 'a1' }, seq: { N: '1' } },
                ProjectionExpression: 'amount',
              },
            },
          ],
        }),
      );
      expect(after.Responses).toEqual([
        { Item: { account: { S: 'a3' }, seq: { N: '1' } } },
        { Item: { amount: { N: '0' } } },
      ]);
    });
  });

  describe('PartiQL', () => {
    it('selects, inserts, updates and deletes', async () => {
      const selected = await ddb.send(
        new ExecuteStatementCommand({
          Statement:
            'SELECT seq, amount FROM "ledger" WHERE account = ? AND seq >= ?',
          Parameters: [{ S: 'a1' }, { N: '4' }],
        }),
      );
      expect(selected.Items).toEqual([
        { seq: { N: '4' }, amount: { N: '40' } },
        { seq: { N: '5' }, amount: { N: '50' } },
      ]);
      await ddb.send(
        new ExecuteStatementCommand({
          Statement:
            "INSERT INTO ledger VALUE {'account': 'a9', 'seq': 1, 'note': 'hi'}",
        }),
      );
      const duplicate = await rejection(
        ddb.send(
          new ExecuteStatementCommand({
            Statement: "INSERT INTO ledger VALUE {'account': 'a9', 'seq': 1}",
          }),
        ),
      );
      expect(duplicate.name).toBe('DuplicateItemException');
      await ddb.send(
        new ExecuteStatementCommand({
          Statement:
            "UPDATE ledger SET note = 'bye' WHERE account = 'a9' AND seq = 1",
        }),
      );
      const missing = await rejection(
        ddb.send(
          new ExecuteStatementCommand({
            Statement:
              "UPDATE ledger SET note = 'x' WHERE account = 'nobody' AND seq = 1",
          }),
        ),
      );
      expect(missing.name).toBe('ConditionalCheckFailedException');
      const batch = await ddb.send(
        new BatchExecuteStatementCommand({
          Statements: [
            {
              Statement:
                "SELECT * FROM ledger WHERE account = 'a9' AND seq = 1",
            },
            {
              Statement: "INSERT INTO ledger VALUE {'account': 'a9', 'seq': 1}",
            },
          ],
        }),
      );
      expect(batch.Responses?.[0].Item?.note).toEqual({ S: 'bye' });
      expect(batch.Responses?.[1].Error?.Code).toBe('DuplicateItem');
      const transaction = await rejection(
        ddb.send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              {
                Statement:
                  "DELETE FROM ledger WHERE account = 'a9' AND seq = 1",
              },
              {
                Statement:
                  "INSERT INTO ledger VALUE {'account': 'a1', 'seq': 1}",
              },
            ],
          }),
        ),
      );
      expect(transaction.name).toBe('TransactionCanceledException');
      await ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            {
              Statement: "DELETE FROM ledger WHERE account = 'a9' AND seq = 1",
            },
          ],
        }),
      );
      const gone = await ddb.send(
        new ExecuteStatementCommand({
          Statement: "SELECT * FROM ledger WHERE account = 'a9'",
        }),
      );
      expect(gone.Items).toEqual([]);
    });
  });
});
