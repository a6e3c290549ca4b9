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
  dynamodbLineageTrailProvisionAnyOwnerPermission,
  dynamodbLineageTrailProvisionPermission,
} from '@lineage/plugin-dynamodb-lineage-common';
import { normalizeGroupRef, ownerOf } from './accounts';

/** Who may provision, for whom, decided before any AWS call. */
export interface ProvisioningRequest {
  accountId: string;
  /** Entity ref of the team the trail and bucket will be tagged with. */
  owner: string;
  credentials: BackstageCredentials;
}

/**
 * Decides whether the caller may provision lineage tracking in an AWS account
 * for an owner, and returns the account's entity refs when allowed.
 *
 * The account: `dynamodb-lineage.trail.provision` is a resource permission on
 * the account's catalog entity, so policies can judge ownership
 * (`isEntityOwner`). The entity is read with the caller's credentials, so an
 * account they cannot see is refused too. When several entities claim the
 * same account id, every one of them must allow it: a second entity someone
 * else registered for the account cannot grant access to it.
 *
 * The owner: the trail is tagged with it and appears in its catalog, so it
 * must be a team that owns the account, unless the caller holds
 * `dynamodb-lineage.trail.provision-any-owner` (platform administrators).
 */
export class ProvisioningAuthorizer {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  async authorize(request: ProvisioningRequest): Promise<string[]> {
    const { catalog, permissions } = this.options;
    const { accountId, credentials } = request;
    const owner = normalizeGroupRef(request.owner);
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': RESOURCE_TYPE_AWS_ACCOUNT,
          [`metadata.annotations.${ANNOTATION_AWS_ACCOUNT_ID}`]: accountId,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.owner',
          'relations',
        ],
      },
      { credentials },
    );
    const accounts = [...items].sort((a, b) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
    );
    const accountRefs = accounts.map(entity => stringifyEntityRef(entity));
    if (accountRefs.length === 0) {
      throw new NotAllowedError(
        `Cannot provision lineage tracking in AWS account ${accountId}: no Resource of type ` +
          `${RESOURCE_TYPE_AWS_ACCOUNT} with annotation ${ANNOTATION_AWS_ACCOUNT_ID}: '${accountId}' ` +
          `is in the catalog (or you may not read it). Register the account in the catalog first, ` +
          `or pick one of the accounts the account picker offers you.`,
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
          } was denied. Pick an account your team owns, or ask the team that owns ` +
          `this account or a platform admin to enable it.`,
      );
    }

    const accountOwners = [
      ...new Set(accounts.flatMap(entity => ownerOf(entity) ?? [])),
    ].sort();
    if (owner && accountOwners.includes(owner)) return accountRefs;
    const [anyOwner] = await permissions.authorize(
      [{ permission: dynamodbLineageTrailProvisionAnyOwnerPermission }],
      { credentials },
    );
    if (anyOwner.result === AuthorizeResult.ALLOW) return accountRefs;
    throw new NotAllowedError(
      `You may not provision lineage tracking in AWS account ${accountId} for owner ` +
        `${request.owner}: the trail and its bucket are tagged with their owner, which must be ` +
        `${
          accountOwners.length
            ? `the team that owns the account (${accountOwners.join(' or ')})`
            : 'the team that owns the account, and the account entity names none'
        }. Choose that owner, or ask a platform admin (permission ${
          dynamodbLineageTrailProvisionAnyOwnerPermission.name
        }) to provision for another team.`,
    );
  }
}
