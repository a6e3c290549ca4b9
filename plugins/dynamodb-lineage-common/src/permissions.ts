import { createPermission } from '@backstage/plugin-permission-common';

/** Read lineage-tracking status, health, lineage and plans. */
export const dynamodbLineageStatusReadPermission = createPermission({
  name: 'dynamodb-lineage.status.read',
  attributes: { action: 'read' },
});

/** Ask for an immediate refresh of stored status. */
export const dynamodbLineageStatusRefreshPermission = createPermission({
  name: 'dynamodb-lineage.status.refresh',
  attributes: { action: 'update' },
});

/**
 * Create or converge a trail and its bucket in an AWS account. A resource
 * permission on the account's catalog entity, so policies can use the
 * catalog's conditions (for example `isEntityOwner`).
 */
export const dynamodbLineageTrailProvisionPermission = createPermission({
  name: 'dynamodb-lineage.trail.provision',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Provision for an owner other than the account's owning team: the platform
 * administrators' permission. Without it, a trail is always tagged with the
 * team that owns the account.
 */
export const dynamodbLineageTrailProvisionAnyOwnerPermission = createPermission(
  {
    name: 'dynamodb-lineage.trail.provision-any-owner',
    attributes: { action: 'create' },
  },
);

/**
 * Run forensics queries over a trail's raw events: item history and principal
 * activity. Raw events name callers, source addresses and item keys, so this
 * is granted apart from reading lineage.
 */
export const dynamodbLineageForensicsQueryPermission = createPermission({
  name: 'dynamodb-lineage.forensics.query',
  attributes: { action: 'read' },
});

export const dynamodbLineagePermissions = [
  dynamodbLineageStatusReadPermission,
  dynamodbLineageStatusRefreshPermission,
  dynamodbLineageTrailProvisionPermission,
  dynamodbLineageTrailProvisionAnyOwnerPermission,
  dynamodbLineageForensicsQueryPermission,
];
