import {
  Entity,
  RELATION_OWNED_BY,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  parseListAnnotation,
} from '@lineage/plugin-dynamodb-lineage-common';
import { ConfiguredAccount } from './config';

/**
 * An AWS account lineage watches: an `aws-account` Resource of the catalog,
 * or an entry of `dynamodbLineage.accounts` for an account the catalog does
 * not describe.
 */
export interface AwsAccount {
  accountId: string;
  /** Regions to look in: the regions annotation, else the configured default. */
  regions: string[];
  /** The `aws-account` Resource; absent for accounts listed only in config. */
  entityRef?: string;
  /** The entity's title or name; the account id for a config entry. */
  title: string;
  /** Entity ref of the owning team. */
  owner?: string;
}

export interface ResolvedAccounts {
  /** One per account id, in account id order. */
  accounts: AwsAccount[];
  /** Entities or entries that were skipped, each with the reason. */
  skipped: string[];
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** The owning team: the catalog's ownedBy relation, else `spec.owner` read as a group ref. */
export function ownerOf(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return relation.targetRef;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  return normalizeGroupRef(owner, getCompoundEntityRef(entity).namespace);
}

/** A team ref in full form (`group:default/team-a`), or undefined when it is not a ref. */
export function normalizeGroupRef(
  ref: string,
  defaultNamespace = 'default',
): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'group', defaultNamespace }),
    );
  } catch {
    return undefined;
  }
}

/**
 * The account an `aws-account` entity describes, or why it describes none.
 * An entity without the regions annotation uses `defaultRegions`.
 */
export function accountOfEntity(
  entity: Entity,
  defaultRegions: string[],
): { account: AwsAccount; skipped: string[] } | { skipped: string[] } {
  const ref = stringifyEntityRef(entity);
  const accountId =
    entity.metadata.annotations?.[ANNOTATION_AWS_ACCOUNT_ID]?.trim();
  if (!accountId || !ACCOUNT_ID.test(accountId)) {
    return {
      skipped: [
        `${ref}: annotation ${ANNOTATION_AWS_ACCOUNT_ID} must be exactly 12 digits, got "${
          accountId ?? ''
        }"`,
      ],
    };
  }
  const skipped: string[] = [];
  const declared = parseListAnnotation(
    entity.metadata.annotations?.[ANNOTATION_REGIONS],
  );
  const regions = validRegions(
    declared.length > 0 ? declared : defaultRegions,
    `${ref}: annotation ${ANNOTATION_REGIONS}`,
    skipped,
  );
  const owner = ownerOf(entity);
  return {
    account: {
      accountId,
      regions,
      entityRef: ref,
      title: entity.metadata.title ?? entity.metadata.name,
      ...(owner ? { owner } : {}),
    },
    skipped,
  };
}

/**
 * Merges the `aws-account` Resources of the catalog with the accounts listed in
 * config. The catalog wins for an account present in both; of two entities
 * for one account, the first by entity ref wins.
 */
export function resolveAccounts(options: {
  entities: Entity[];
  configured: ConfiguredAccount[];
  defaultRegions: string[];
}): ResolvedAccounts {
  const skipped: string[] = [];
  const byAccount = new Map<string, AwsAccount>();

  const sortedEntities = [...options.entities].sort((a, b) =>
    stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
  );
  for (const entity of sortedEntities) {
    const read = accountOfEntity(entity, options.defaultRegions);
    skipped.push(...read.skipped);
    if (!('account' in read)) continue;
    const { account } = read;
    const existing = byAccount.get(account.accountId);
    if (existing) {
      skipped.push(
        `${account.entityRef}: account ${account.accountId} is already described by ${existing.entityRef}`,
      );
      continue;
    }
    byAccount.set(account.accountId, account);
  }

  for (const entry of options.configured) {
    if (byAccount.has(entry.accountId)) continue;
    const owner = entry.owner ? normalizeGroupRef(entry.owner) : undefined;
    byAccount.set(entry.accountId, {
      accountId: entry.accountId,
      regions: [...new Set(entry.regions)],
      title: entry.accountId,
      ...(owner ? { owner } : {}),
    });
  }

  const accounts = [...byAccount.values()]
    .filter(account => account.regions.length > 0)
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  return { accounts, skipped };
}

function validRegions(
  regions: string[],
  source: string,
  skipped: string[],
): string[] {
  const valid = regions.filter(region => {
    if (REGION.test(region)) return true;
    skipped.push(
      `${source}: "${region}" must be an AWS region code such as us-east-1`,
    );
    return false;
  });
  return [...new Set(valid)];
}
