import {
  AwsClientFactory,
  AwsClients,
} from '@lineage/plugin-dynamodb-lineage-node';
import { defaultTableLister } from './tables';

/** A DynamoDB client answering ListTables from a list of names, `pageSize` at a time. */
function dynamodbWith(names: string[], pageSize: number) {
  const send = jest.fn(
    async (command: { input: { ExclusiveStartTableName?: string } }) => {
      const { ExclusiveStartTableName: after } = command.input;
      const start = after ? names.indexOf(after) + 1 : 0;
      const page = names.slice(start, start + pageSize);
      const more = start + pageSize < names.length;
      return {
        TableNames: page,
        ...(more ? { LastEvaluatedTableName: page[page.length - 1] } : {}),
      };
    },
  );
  return { send };
}

describe('defaultTableLister', () => {
  it('asks the account-region clients for every page and answers sorted table ARNs', async () => {
    const dynamodb = dynamodbWith(['alpha', 'beta', 'gamma'], 2);
    const clients = { dynamodb } as unknown as AwsClients;
    const aws: AwsClientFactory = { forAccount: jest.fn(async () => clients) };
    await expect(
      defaultTableLister(aws, '111111111111', 'eu-west-1'),
    ).resolves.toEqual([
      'arn:aws:dynamodb:eu-west-1:111111111111:table/alpha',
      'arn:aws:dynamodb:eu-west-1:111111111111:table/beta',
      'arn:aws:dynamodb:eu-west-1:111111111111:table/gamma',
    ]);
    expect(aws.forAccount).toHaveBeenCalledWith('111111111111', 'eu-west-1');
    expect(dynamodb.send).toHaveBeenCalledTimes(2);
  });

  it('lets AWS’s refusal through for the service to turn into 503', async () => {
    const refused = Object.assign(new Error('not authorized'), {
      name: 'AccessDeniedException',
    });
    const clients = {
      dynamodb: { send: jest.fn().mockRejectedValue(refused) },
    } as unknown as AwsClients;
    await expect(
      defaultTableLister(
        { forAccount: async () => clients },
        '111111111111',
        'us-east-1',
      ),
    ).rejects.toBe(refused);
  });
});
