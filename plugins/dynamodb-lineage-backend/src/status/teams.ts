import {
  AccountRegionStatus,
  TeamStatus,
  summarizeTeam,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsAccount } from '@lineage/plugin-dynamodb-lineage-node';
import { TableDeclaration } from '../catalog/LineageCatalog';
import {
  ScopedAccountRegion,
  accountRegionKey,
  notCheckedYet,
  scopeAccountRegions,
} from './accountRegions';

/** What a team owns that lineage tracking must cover. */
export interface TeamHoldings {
  entityRef: string;
  title: string;
  accounts: AwsAccount[];
  declarations: TableDeclaration[];
}

export function teamAccountRegions(
  holdings: TeamHoldings,
): ScopedAccountRegion[] {
  return scopeAccountRegions(holdings.accounts, holdings.declarations);
}

/**
 * A team's status from the stored account-region results. Account-regions no
 * refresh has reached yet count as unknown, never as healthy.
 */
export function composeTeamStatus(
  holdings: TeamHoldings,
  stored: Map<string, AccountRegionStatus>,
): TeamStatus {
  const accountRegions = teamAccountRegions(holdings)
    .map(key => {
      const status = stored.get(accountRegionKey(key));
      if (!status) return notCheckedYet(key);
      return key.accountEntityRef && !status.accountEntityRef
        ? { ...status, accountEntityRef: key.accountEntityRef }
        : status;
    })
    .sort(
      (a, b) =>
        a.accountId.localeCompare(b.accountId) ||
        a.region.localeCompare(b.region),
    );
  return {
    team: summarizeTeam(holdings.entityRef, holdings.title, accountRegions),
    accountRegions,
  };
}

/**
 * Groups accounts and table declarations by owning team (a Group). Things
 * owned by no group appear only in account and entity views.
 */
export function groupByTeam(
  accounts: AwsAccount[],
  declarations: TableDeclaration[],
  titles: Map<string, string>,
): TeamHoldings[] {
  const teams = new Map<string, TeamHoldings>();
  const team = (entityRef: string) => {
    let holdings = teams.get(entityRef);
    if (!holdings) {
      holdings = {
        entityRef,
        title: titles.get(entityRef) ?? entityRef,
        accounts: [],
        declarations: [],
      };
      teams.set(entityRef, holdings);
    }
    return holdings;
  };
  for (const account of accounts) {
    if (isGroupRef(account.owner)) team(account.owner).accounts.push(account);
  }
  for (const declaration of declarations) {
    if (isGroupRef(declaration.owner)) {
      team(declaration.owner).declarations.push(declaration);
    }
  }
  return [...teams.values()].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
}

function isGroupRef(ref: string | undefined): ref is string {
  return (
    ref !== undefined && ref.toLocaleLowerCase('en-US').startsWith('group:')
  );
}
