import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  dynamodbLineageTrailProvisionAnyOwnerPermission,
  dynamodbLineageTrailProvisionPermission,
} from '@lineage/plugin-dynamodb-lineage-common';

/**
 * The dev app's permission policy: everything is allowed except provisioning
 * lineage tracking, which a user may do only in AWS accounts owned by one of
 * their teams and for the team that owns the account, unless they belong to a
 * platform admin group
 * (`dynamodbLineage.platformAdmins`). Replace this module with your own policy.
 */
export class DevPermissionPolicy implements PermissionPolicy {
  constructor(private readonly platformAdmins: string[]) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    // Tagging a trail with another team than the account's: platform admins only.
    if (
      isPermission(
        request.permission,
        dynamodbLineageTrailProvisionAnyOwnerPermission,
      )
    ) {
      const ownership = user?.info.ownershipEntityRefs ?? [];
      return {
        result: ownership.some(ref => this.platformAdmins.includes(ref))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      isPermission(request.permission, dynamodbLineageTrailProvisionPermission)
    ) {
      const ownership = user?.info.ownershipEntityRefs ?? [];
      if (ownership.some(ref => this.platformAdmins.includes(ref))) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims: ownership }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'dev-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new DevPermissionPolicy(
            config.getOptionalStringArray('dynamodbLineage.platformAdmins') ??
              [],
          ),
        );
      },
    });
  },
});
