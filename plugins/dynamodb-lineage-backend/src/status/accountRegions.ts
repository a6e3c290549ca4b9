import {
  AccountRegionStatus,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsAccount } from '@lineage/plugin-dynamodb-lineage-node';
import { TableDeclaration } from '../catalog/LineageCatalog';
import { AccountRegionKey } from '../store/LineageStore';

/** An account-region in scope, with the tables declared in it. */
export interface ScopedAccountRegion extends AccountRegionKey {
  accountEntityRef?: string;
  /** Declared table ARNs in this account-region; empty = every table. */
  tableArns: string[];
}

export function accountRegionKey(key: AccountRegionKey): string {
  return `${key.accountId}/${key.region}`;
}

/**
 * The account-regions that accounts and table declarations stand for: each
 * account in each of its regions, and the account-region of every declared
 * table ARN. Malformed ARNs are left out (the catalog validates nothing here).
 */
export function scopeAccountRegions(
  accounts: AwsAccount[],
  declarations: TableDeclaration[],
): ScopedAccountRegion[] {
  const scoped = new Map<
    string,
    ScopedAccountRegion & { tables: Set<string> }
  >();
  const ensure = (
    accountId: string,
    region: string,
    accountEntityRef?: string,
  ) => {
    const key = accountRegionKey({ accountId, region });
    let entry = scoped.get(key);
    if (!entry) {
      entry = { accountId, region, tableArns: [], tables: new Set() };
      scoped.set(key, entry);
    }
    if (accountEntityRef && !entry.accountEntityRef) {
      entry.accountEntityRef = accountEntityRef;
    }
    return entry;
  };
  for (const account of accounts) {
    for (const region of account.regions) {
      ensure(account.accountId, region, account.entityRef);
    }
  }
  for (const declaration of declarations) {
    for (const tableArn of declaration.tableArns) {
      const table = tryParseTableArn(tableArn);
      if (table) ensure(table.accountId, table.region).tables.add(tableArn);
    }
  }
  return [...scoped.values()].map(({ tables, ...entry }) => ({
    ...entry,
    tableArns: [...tables].sort(),
  }));
}

/** What an account-region shows before any refresh has reached it. */
export function notCheckedYet(key: ScopedAccountRegion): AccountRegionStatus {
  return {
    accountId: key.accountId,
    region: key.region,
    ...(key.accountEntityRef ? { accountEntityRef: key.accountEntityRef } : {}),
    status: 'unknown',
    checks: [],
    reason: 'not checked yet: waiting for the next refresh',
  };
}
