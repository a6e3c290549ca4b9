import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  RESOURCE_TYPE_AWS_ACCOUNT,
  dynamodbLineageTrailProvisionPermission,
} from '@lineage/plugin-dynamodb-lineage-common';

/**
 * Decides whether the initiator may provision lineage tracking in an AWS
 * account, and returns the account's entity ref when allowed.
 *
 * The permission is a resource permission on the account's catalog entity,
 * so policies can judge ownership (`isEntityOwner`). The entity is read with
 * the initiator's credentials: an account they cannot see is refused too.
 * When several entities claim the same account id, every one of them must
 * allow it, so a second entity that someone else registered for the account
 * cannot grant access to it.
 */
export async function authorizeProvisioning(options: {
  accountId: string;
  credentials: BackstageCredentials;
  catalog: CatalogService;
  permissions: PermissionsService;
}): Promise<string[]> {
  const { accountId, credentials, catalog, permissions } = options;
  const { items } = await catalog.getEntities(
    {
      filter: {
        kind: 'Resource',
        'spec.type': RESOURCE_TYPE_AWS_ACCOUNT,
        [`metadata.annotations.${ANNOTATION_AWS_ACCOUNT_ID}`]: accountId,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  const accountRefs = items.map(entity => stringifyEntityRef(entity)).sort();
  if (accountRefs.length === 0) {
    throw new NotAllowedError(
      `Cannot provision lineage tracking in AWS account ${accountId}: no Resource of type ` +
        `${RESOURCE_TYPE_AWS_ACCOUNT} with annotation ${ANNOTATION_AWS_ACCOUNT_ID}: '${accountId}' ` +
        `is in the catalog (or you may not read it). Register the account in the catalog first.`,
    );
  }

  const decisions = await permissions.authorize(
    accountRefs.map(resourceRef => ({
      permission: dynamodbLineageTrailProvisionPermission,
      resourceRef,
    })),
    { credentials },
  );
  const denied = accountRefs.filter(
    (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
  );
  if (denied.length > 0) {
    throw new NotAllowedError(
      `You may not provision lineage tracking in AWS account ${accountId} ` +
        `(${denied.join(', ')}): permission ${
          dynamodbLineageTrailProvisionPermission.name
        } ` +
        `was denied. Ask the team that owns the account, or a platform admin.`,
    );
  }
  return accountRefs;
}
