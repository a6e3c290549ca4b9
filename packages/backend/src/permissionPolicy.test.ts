import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  dynamodbLineageStatusReadPermission,
  dynamodbLineageTrailProvisionPermission,
} from '@lineage/plugin-dynamodb-lineage-common';
import { DevPermissionPolicy } from './permissionPolicy';

function userOf(...ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    credentials: mockCredentials.user('user:default/alice'),
    info: { userEntityRef: 'user:default/alice', ownershipEntityRefs },
  };
}

describe('DevPermissionPolicy', () => {
  const policy = new DevPermissionPolicy(['group:default/platform']);

  it('lets platform admins provision in any account', async () => {
    const decision = await policy.handle(
      { permission: dynamodbLineageTrailProvisionPermission },
      userOf('user:default/erin', 'group:default/platform'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('limits other users to accounts their teams own', async () => {
    const decision = await policy.handle(
      { permission: dynamodbLineageTrailProvisionPermission },
      userOf('user:default/alice', 'group:default/team-payments'),
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: {
          claims: ['user:default/alice', 'group:default/team-payments'],
        },
      },
    });
  });

  it('allows reading status', async () => {
    const decision = await policy.handle(
      { permission: dynamodbLineageStatusReadPermission },
      userOf('user:default/alice'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
