import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DefaultAwsClientFactory } from './clients';
import { listTableArns } from './tables';
import { awsError, testClients } from './__fixtures__/aws';

describe('listTableArns', () => {
  describe('with a mocked client', () => {
    const dynamodb = mockClient(DynamoDBClient);
    beforeEach(() => dynamodb.reset());
    afterAll(() => dynamodb.restore());

    it('follows every page and builds ARNs in the region’s partition', async () => {
      dynamodb
        .on(ListTablesCommand)
        .resolves({ TableNames: ['a', 'b'], LastEvaluatedTableName: 'b' })
        .on(ListTablesCommand, { ExclusiveStartTableName: 'b' })
        .resolves({ TableNames: ['c'] });
      await expect(
        listTableArns(testClients('cn-north-1'), {
          accountId: '111111111111',
          region: 'cn-north-1',
        }),
      ).resolves.toEqual([
        'arn:aws-cn:dynamodb:cn-north-1:111111111111:table/a',
        'arn:aws-cn:dynamodb:cn-north-1:111111111111:table/b',
        'arn:aws-cn:dynamodb:cn-north-1:111111111111:table/c',
      ]);
      expect(dynamodb).toHaveReceivedCommandTimes(ListTablesCommand, 2);

      dynamodb.reset();
      dynamodb.on(ListTablesCommand).resolves({ TableNames: ['x'] });
      await expect(
        listTableArns(testClients('us-gov-west-1'), {
          accountId: '111111111111',
          region: 'us-gov-west-1',
        }),
      ).resolves.toEqual([
        'arn:aws-us-gov:dynamodb:us-gov-west-1:111111111111:table/x',
      ]);
    });

    it('lets AWS’s refusal through and rejects bad input naming the field', async () => {
      dynamodb.on(ListTablesCommand).rejects(awsError('AccessDeniedException'));
      await expect(
        listTableArns(testClients(), {
          accountId: '111111111111',
          region: 'us-east-1',
        }),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
      await expect(
        listTableArns(testClients(), { accountId: '42', region: 'us-east-1' }),
      ).rejects.toThrow(/^accountId: /);
      await expect(
        listTableArns(testClients(), {
          accountId: '111111111111',
          region: 'Mars',
        }),
      ).rejects.toThrow(/^region: "Mars"/);
    });
  });

  describe('against the emulator', () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startEmulator({ port: 0, seed: 'demo' });
    });
    afterAll(async () => {
      await emulator?.stop();
    });

    it('answers the demo seed’s tables of each account-region', async () => {
      const factory = DefaultAwsClientFactory.fromCredentials(
        accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
        { endpoint: emulator.url, maxAttempts: 1 },
      );
      const list = async (accountId: string, region: string) =>
        listTableArns(await factory.forAccount(accountId, region), {
          accountId,
          region,
        });
      await expect(list('111111111111', 'us-east-1')).resolves.toEqual([
        'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
        'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
      ]);
      await expect(list('111111111111', 'eu-west-1')).resolves.toEqual([
        'arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu',
      ]);
      await expect(list('444444444444', 'us-west-2')).resolves.toEqual([]);
    });

    it('reads past the first page of 100 tables', async () => {
      const factory = DefaultAwsClientFactory.fromCredentials(
        accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
        { endpoint: emulator.url, maxAttempts: 1 },
      );
      const clients = await factory.forAccount('555555555555', 'us-east-1');
      const names = Array.from(
        { length: 105 },
        (_, i) => `t${String(i).padStart(3, '0')}`,
      );
      for (const TableName of names) {
        await clients.dynamodb.send(
          new CreateTableCommand({
            TableName,
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          }),
        );
      }
      emulator.calls.clear();
      const arns = await listTableArns(clients, {
        accountId: '555555555555',
        region: 'us-east-1',
      });
      expect(arns).toHaveLength(105);
      expect(arns[104]).toBe(
        'arn:aws:dynamodb:us-east-1:555555555555:table/t104',
      );
      expect(
        emulator.calls.list({ action: 'dynamodb:ListTables' }),
      ).toHaveLength(2);
    });
  });
});
