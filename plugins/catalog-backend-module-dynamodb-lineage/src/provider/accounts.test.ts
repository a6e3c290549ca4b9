import { Entity } from '@backstage/catalog-model';
import { resolveAccountTargets } from './accounts';

function account(
  name: string,
  annotations: Record<string, string>,
  owner = 'group:default/team-a',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, annotations },
    spec: { type: 'aws-account', owner },
  };
}

describe('resolveAccountTargets', () => {
  it('reads account id, regions, ref and owner of aws-account entities', () => {
    const { targets, skipped } = resolveAccountTargets({
      entities: [
        account(
          'aws-payments-prod',
          {
            'aws.amazon.com/account-id': '111111111111',
            'dynamodb-lineage/regions': 'us-east-1, eu-west-1',
          },
          'group:default/team-payments',
        ),
      ],
      configured: [],
      defaultRegions: ['us-east-1'],
    });
    expect(skipped).toEqual([]);
    expect(targets).toEqual([
      {
        accountId: '111111111111',
        regions: ['us-east-1', 'eu-west-1'],
        entityRef: 'resource:default/aws-payments-prod',
        owner: 'group:default/team-payments',
      },
    ]);
  });

  it('uses the default regions for an entity without the regions annotation', () => {
    const { targets } = resolveAccountTargets({
      entities: [account('a', { 'aws.amazon.com/account-id': '111111111111' })],
      configured: [],
      defaultRegions: ['us-east-1', 'eu-west-1'],
    });
    expect(targets[0].regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('adds configured accounts, the catalog winning for an account in both', () => {
    const { targets } = resolveAccountTargets({
      entities: [account('a', { 'aws.amazon.com/account-id': '111111111111' })],
      configured: [
        {
          accountId: '111111111111',
          regions: ['ap-south-1'],
          owner: 'group:default/other',
        },
        {
          accountId: '555555555555',
          regions: ['us-west-2'],
          owner: 'group:default/ops',
        },
      ],
      defaultRegions: ['us-east-1'],
    });
    expect(targets).toEqual([
      expect.objectContaining({
        accountId: '111111111111',
        regions: ['us-east-1'],
        owner: 'group:default/team-a',
      }),
      {
        accountId: '555555555555',
        regions: ['us-west-2'],
        owner: 'group:default/ops',
      },
    ]);
  });

  it('skips bad account ids, bad regions and a second entity for the same account, naming the rule', () => {
    const { targets, skipped } = resolveAccountTargets({
      entities: [
        account('bad-id', { 'aws.amazon.com/account-id': '1234' }),
        account('first', {
          'aws.amazon.com/account-id': '222222222222',
          'dynamodb-lineage/regions': 'us-east-1,Mars-1',
        }),
        account('second', { 'aws.amazon.com/account-id': '222222222222' }),
      ],
      configured: [],
      defaultRegions: ['us-east-1'],
    });
    expect(targets).toEqual([
      expect.objectContaining({
        accountId: '222222222222',
        regions: ['us-east-1'],
        entityRef: 'resource:default/first',
      }),
    ]);
    expect(skipped).toEqual([
      'resource:default/bad-id: annotation aws.amazon.com/account-id must be exactly 12 digits, got "1234"',
      'resource:default/first: annotation dynamodb-lineage/regions: "Mars-1" must be an AWS region code such as us-east-1',
      'resource:default/second: account 222222222222 is already described by resource:default/first',
    ]);
  });
});
