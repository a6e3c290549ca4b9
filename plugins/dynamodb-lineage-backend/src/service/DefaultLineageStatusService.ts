import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  AccountRegionStatus,
  EntityStatus,
  OwnedAccount,
  LINEAGE_ENTITIES_DESCRIPTION,
  TableStatus,
  TeamStatus,
  TeamsOverview,
  TrailHealth,
  TrailHistoryPoint,
  buildTeamsOverview,
  lineageTargetOf,
  tryParseTableArn,
  worstStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { LineageCatalog, toTableDeclaration } from '../catalog/LineageCatalog';
import {
  ScopedAccountRegion,
  accountRegionKey,
  notCheckedYet,
  scopeAccountRegions,
} from '../status/accountRegions';
import { coveringTrails } from '../status/coveringTrails';
import { composeTeamStatus } from '../status/teams';
import { LineageStore, StoredAccountRegion } from '../store/LineageStore';
import { LineageStatusService } from './types';

export interface DefaultLineageStatusServiceOptions {
  catalog: LineageCatalog;
  store: LineageStore;
}

/** Answers from stored refresh results and the catalog (as the caller); never asks AWS. */
export class DefaultLineageStatusService implements LineageStatusService {
  constructor(private readonly options: DefaultLineageStatusServiceOptions) {}

  async getTeamsOverview(
    credentials: BackstageCredentials,
  ): Promise<TeamsOverview> {
    const { teams, refreshedAt } = await this.options.store.getTeamSummaries();
    // Counts and coverage are computed over the teams the caller may read only.
    const readable = await this.options.catalog.readableRefs(
      teams.map(team => team.entityRef),
      credentials,
    );
    return buildTeamsOverview(
      teams.filter(team => readable.has(team.entityRef)),
      refreshedAt,
    );
  }

  async getTeamStatus(
    teamRef: string,
    credentials: BackstageCredentials,
  ): Promise<TeamStatus> {
    const entity = await this.options.catalog.getEntity(teamRef, credentials);
    if (!entity || lineageTargetOf(entity).kind !== 'team') {
      throw new NotFoundError(`No group ${teamRef} in the catalog`);
    }
    return this.teamStatusOf(entity, credentials);
  }

  async getEntityStatus(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityStatus> {
    const entity = await this.options.catalog.getEntity(entityRef, credentials);
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const target = lineageTargetOf(entity);
    switch (target.kind) {
      case 'team':
        return {
          kind: 'team',
          team: await this.teamStatusOf(entity, credentials),
        };
      case 'component':
        return this.componentStatus(entity);
      case 'aws-account':
        return this.accountStatus(entity);
      case 'trail':
        return {
          kind: 'trail',
          ...(await this.getTrailHealth(target.trailArn, credentials)),
        };
      case 'missing-annotation':
        return {
          kind: 'unsupported',
          reason: `The ${target.entityKind} has no ${target.annotation} annotation`,
        };
      default:
        return {
          kind: 'unsupported',
          reason: `${stringifyEntityRef(
            entity,
          )} is not ${LINEAGE_ENTITIES_DESCRIPTION}`,
        };
    }
  }

  async getTrailHealth(
    trailArn: string,
    credentials: BackstageCredentials,
  ): Promise<{ health: TrailHealth; history: TrailHistoryPoint[] }> {
    const stored = await this.options.store.getTrail(trailArn);
    // A trail of an account the caller may not see is answered like an unknown one.
    const visible =
      stored &&
      (await this.options.catalog.findAccount(
        stored.description.accountId,
        credentials,
      ));
    if (!stored || !visible) {
      throw new NotFoundError(
        `No health is known for trail ${trailArn}; it has not been seen by a refresh`,
      );
    }
    return {
      health: stored.health,
      history: await this.options.store.getTrailHistory(trailArn),
    };
  }

  async getOwnedAccounts(
    ownerRef: string,
    credentials: BackstageCredentials,
  ): Promise<OwnedAccount[]> {
    if (!(await this.options.catalog.getEntity(ownerRef, credentials))) {
      throw new NotFoundError(
        `No group ${ownerRef} is visible to you in the catalog`,
      );
    }
    const accounts = await this.options.catalog.accountsOwnedBy(
      ownerRef,
      credentials,
    );
    // Provisioning is authorized on the account's catalog entity: config-only accounts cannot be offered.
    return accounts
      .flatMap(a =>
        a.entityRef
          ? [
              {
                entityRef: a.entityRef,
                accountId: a.accountId,
                title: a.title,
                regions: a.regions,
              },
            ]
          : [],
      )
      .sort((a, b) => a.title.localeCompare(b.title));
  }

  /**
   * The team's status as the last refresh stored it, limited to the
   * account-regions of the accounts and components the caller may read (the
   * summary then covers only those). Account-regions no refresh has reached
   * yet show as not checked.
   */
  private async teamStatusOf(
    group: Entity,
    credentials: BackstageCredentials,
  ): Promise<TeamStatus> {
    const { catalog, store } = this.options;
    const entityRef = stringifyEntityRef(group);
    const [stored, accounts, declarations] = await Promise.all([
      store.getTeam(entityRef),
      catalog.accountsOwnedBy(entityRef, credentials),
      catalog.listTableDeclarations(credentials, entityRef),
    ]);
    const profile = group.spec?.profile as { displayName?: string } | undefined;
    return composeTeamStatus(
      {
        entityRef,
        title:
          stored?.team.title ??
          group.metadata.title ??
          profile?.displayName ??
          group.metadata.name,
        accounts,
        declarations,
      },
      new Map(
        (stored?.accountRegions ?? []).map(a => [accountRegionKey(a), a]),
      ),
    );
  }

  private async accountStatus(entity: Entity): Promise<EntityStatus> {
    const account = this.options.catalog.toAccount(entity);
    if (!account) {
      return {
        kind: 'unsupported',
        reason: `The aws-account resource has no valid 12-digit aws.amazon.com/account-id annotation`,
      };
    }
    const keys = scopeAccountRegions([account], []);
    const stored = await this.options.store.getAccountRegions(keys);
    const byKey = new Map(
      stored.map(s => [accountRegionKey(s.status), s.status]),
    );
    const regions = keys.map(
      key => byKey.get(accountRegionKey(key)) ?? notCheckedYet(key),
    );
    return {
      kind: 'aws-account',
      accountId: account.accountId,
      status: worstStatus(regions.map(r => r.status)) ?? 'not-enabled',
      regions,
    };
  }

  private async componentStatus(entity: Entity): Promise<EntityStatus> {
    // Classified as a component: it declares at least one table.
    const declaration = toTableDeclaration(entity);
    const keys = scopeAccountRegions([], [declaration]);
    const stored = await this.options.store.getAccountRegions(keys);
    const byKey = new Map(stored.map(s => [accountRegionKey(s.status), s]));
    const tables = await Promise.all(
      declaration.tableArns.map(arn => this.tableStatus(arn, keys, byKey)),
    );
    return {
      kind: 'component',
      status: worstStatus(tables.map(t => t.status)) ?? 'not-enabled',
      tables,
    };
  }

  private async tableStatus(
    tableArn: string,
    keys: ScopedAccountRegion[],
    stored: Map<string, StoredAccountRegion>,
  ): Promise<TableStatus> {
    const table = tryParseTableArn(tableArn);
    if (!table) {
      return { tableArn, covered: false, status: 'unknown' };
    }
    const accountRegion = stored.get(accountRegionKey(table));
    if (!accountRegion) {
      const key = keys.find(
        k => accountRegionKey(k) === accountRegionKey(table),
      );
      return {
        tableArn,
        covered: false,
        status: key ? notCheckedYet(key).status : 'unknown',
      };
    }
    const { covering, undetermined } = await coveringTrails(
      this.options.store,
      tableArn,
      accountRegion,
    );
    const [best] = covering;
    if (best) {
      return {
        tableArn,
        covered: true,
        coveringTrail: best.health.trail,
        ...(best.observation.latestDeliveryTime
          ? { latestDeliveryTime: best.observation.latestDeliveryTime }
          : {}),
        status: best.observation.status,
      };
    }
    return {
      tableArn,
      covered: false,
      status: undetermined ? 'unknown' : uncoveredStatus(accountRegion.status),
    };
  }
}

/** A table no trail captures: nothing logs it, unless AWS would not say. */
function uncoveredStatus(
  accountRegion: AccountRegionStatus,
): TableStatus['status'] {
  if (accountRegion.status === 'unknown') return 'unknown';
  if (accountRegion.status === 'not-enabled') return 'not-enabled';
  return 'failing';
}
