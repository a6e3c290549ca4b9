import {
  AwsClientFactory,
  AwsClients,
} from '@lineage/plugin-dynamodb-lineage-node';
import { tableListerFrom } from './tables';

describe('tableListerFrom', () => {
  it('asks the account-region clients and answers sorted table ARNs', async () => {
    const clients = {} as AwsClients;
    const aws: AwsClientFactory = { forAccount: jest.fn(async () => clients) };
    const names = jest.fn(async () => ['payments', 'ledger']);
    const list = tableListerFrom(names);
    await expect(list(aws, '111111111111', 'eu-west-1')).resolves.toEqual([
      'arn:aws:dynamodb:eu-west-1:111111111111:table/ledger',
      'arn:aws:dynamodb:eu-west-1:111111111111:table/payments',
    ]);
    expect(aws.forAccount).toHaveBeenCalledWith('111111111111', 'eu-west-1');
    expect(names).toHaveBeenCalledWith(clients);
  });
});
