import { Entity } from '@backstage/catalog-model';
import { resolveAccounts } from './accounts';

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

describe('resolveAccounts', () => {
  it('reads account id, regions, ref and owner of aws-account entities', () => {
    const { accounts, skipped } = resolveAccounts({
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
    expect(accounts).toEqual([
      {
        accountId: '111111111111',
        regions: ['us-east-1', 'eu-west-1'],
        entityRef: 'resource:default/aws-payments-prod',
        title: 'aws-payments-prod',
        owner: 'group:default/team-payments',
      },
    ]);
  });

  it('uses the default regions for an entity without the regions annotation', () => {
    const { accounts } = resolveAccounts({
      entities: [account('a', { 'aws.amazon.com/account-id': '111111111111' })],
      configured: [],
      defaultRegions: ['us-east-1', 'eu-west-1'],
    });
    expect(accounts[0].regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('adds configured accounts, the catalog winning for an account in both', () => {
    const { accounts } = resolveAccounts({
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
    expect(accounts).toEqual([
      expect.objectContaining({
        accountId: '111111111111',
        regions: ['us-east-1'],
        owner: 'group:default/team-a',
      }),
      {
        accountId: '555555555555',
        regions: ['us-west-2'],
        title: '555555555555',
        owner: 'group:default/ops',
      },
    ]);
  });

  it('skips bad account ids, bad regions and a second entity for the same account, naming the rule', () => {
    const { accounts, skipped } = resolveAccounts({
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
    expect(accounts).toEqual([
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

  it('reads the owner from the ownedBy relation, else spec.owner as a group ref in the entity namespace', () => {
    const withRelation: Entity = {
      ...account('a', { 'aws.amazon.com/account-id': '111111111111' }, 'x'),
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-r' }],
    };
    const inNamespace: Entity = {
      ...account('b', { 'aws.amazon.com/account-id': '222222222222' }, 'ops'),
    };
    inNamespace.metadata.namespace = 'infra';
    const { accounts } = resolveAccounts({
      entities: [withRelation, inNamespace],
      configured: [
        { accountId: '333333333333', regions: ['us-east-1'], owner: 'team-c' },
      ],
      defaultRegions: ['us-east-1'],
    });
    expect(accounts.map(a => [a.accountId, a.owner])).toEqual([
      ['111111111111', 'group:default/team-r'],
      ['222222222222', 'group:infra/ops'],
      ['333333333333', 'group:default/team-c'],
    ]);
  });
});
