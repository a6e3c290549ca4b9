import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  parseListAnnotation,
} from '@lineage/plugin-dynamodb-lineage-common';
import { ConfiguredAccount } from '@lineage/plugin-dynamodb-lineage-node';

/** An AWS account whose trails are discovered, and the regions to look in. */
export interface AwsAccountTarget {
  accountId: string;
  regions: string[];
  /** The `aws-account` Resource; absent for accounts listed only in config. */
  entityRef?: string;
  /** Owner of that Resource (or the config entry's owner). */
  owner?: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export interface AccountTargetsResult {
  targets: AwsAccountTarget[];
  /** Entities or entries that were skipped, each with the reason. */
  skipped: string[];
}

/**
 * Merges the `aws-account` Resources of the catalog with the accounts listed in
 * config. The catalog wins for an account present in both; an entity without
 * the regions annotation uses the configured default regions.
 */
export function resolveAccountTargets(options: {
  entities: Entity[];
  configured: ConfiguredAccount[];
  defaultRegions: string[];
}): AccountTargetsResult {
  const skipped: string[] = [];
  const byAccount = new Map<string, AwsAccountTarget>();

  const sortedEntities = [...options.entities].sort((a, b) =>
    stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
  );
  for (const entity of sortedEntities) {
    const ref = stringifyEntityRef(entity);
    const accountId =
      entity.metadata.annotations?.[ANNOTATION_AWS_ACCOUNT_ID]?.trim();
    if (!accountId || !ACCOUNT_ID.test(accountId)) {
      skipped.push(
        `${ref}: annotation ${ANNOTATION_AWS_ACCOUNT_ID} must be exactly 12 digits, got "${
          accountId ?? ''
        }"`,
      );
      continue;
    }
    const existing = byAccount.get(accountId);
    if (existing) {
      skipped.push(
        `${ref}: account ${accountId} is already described by ${existing.entityRef}`,
      );
      continue;
    }
    const declared = parseListAnnotation(
      entity.metadata.annotations?.[ANNOTATION_REGIONS],
    );
    const regions = validRegions(
      declared.length > 0 ? declared : options.defaultRegions,
      `${ref}: annotation ${ANNOTATION_REGIONS}`,
      skipped,
    );
    const owner = entity.spec?.owner;
    byAccount.set(accountId, {
      accountId,
      regions,
      entityRef: ref,
      ...(typeof owner === 'string' && owner ? { owner } : {}),
    });
  }

  for (const entry of options.configured) {
    if (byAccount.has(entry.accountId)) continue;
    byAccount.set(entry.accountId, {
      accountId: entry.accountId,
      regions: [...new Set(entry.regions)],
      ...(entry.owner ? { owner: entry.owner } : {}),
    });
  }

  const targets = [...byAccount.values()]
    .filter(target => target.regions.length > 0)
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  return { targets, skipped };
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
