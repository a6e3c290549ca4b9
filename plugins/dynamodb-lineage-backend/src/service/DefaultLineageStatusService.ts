import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ANNOTATION_TABLE_ARNS,
  ANNOTATION_TRAIL_ARN,
  AccountRegionStatus,
  EntityStatus,
  OwnedAccount,
  Plan,
  RESOURCE_TYPE_AWS_ACCOUNT,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
  TableLineage,
  TableStatus,
  TeamStatus,
  TeamsOverview,
  TrailHealth,
  TrailHistoryPoint,
  buildTeamsOverview,
  evaluateCoverage,
  rankTrailCandidates,
  tryParseTableArn,
  worstStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsClientFactory,
  ProvisioningAuthorizer,
  buildSpec,
  planConverged,
  readTableLineage,
} from '@lineage/plugin-dynamodb-lineage-node';
import { LineageCatalog, toTableDeclaration } from '../catalog/LineageCatalog';
import {
  ScopedAccountRegion,
  accountRegionKey,
  notCheckedYet,
  scopeAccountRegions,
} from '../status/accountRegions';
import { composeTeamStatus } from '../status/teams';
import { LineageStore, StoredAccountRegion } from '../store/LineageStore';
import { LineageStatusService } from './types';
import { PlanBody } from './validation';

/** Lists the DynamoDB tables of an account-region as ARNs. */
export type TableLister = (
  aws: AwsClientFactory,
  accountId: string,
  region: string,
) => Promise<string[]>;

export interface DefaultLineageStatusServiceOptions {
  catalog: LineageCatalog;
  store: LineageStore;
  aws: AwsClientFactory;
  listTables: TableLister;
  /** Who may plan provisioning for which account and owner. */
  provisioning: Pick<ProvisioningAuthorizer, 'authorize'>;
  /** Compressed bytes of logs one lineage request may read. */
  lineageByteBudget: number;
  now?: () => Date;
}

/** Answers from stored refresh results, the catalog (as the caller) and, for plans, tables and lineage, AWS. */
export class DefaultLineageStatusService implements LineageStatusService {
  private readonly now: () => Date;

  constructor(private readonly options: DefaultLineageStatusServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

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
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'group') {
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
    const kind = entity.kind.toLocaleLowerCase('en-US');
    const type = entity.spec?.type;
    if (kind === 'group') {
      return {
        kind: 'team',
        team: await this.teamStatusOf(entity, credentials),
      };
    }
    if (kind === 'component') {
      return this.componentStatus(entity);
    }
    if (kind === 'resource' && type === RESOURCE_TYPE_AWS_ACCOUNT) {
      return this.accountStatus(entity);
    }
    if (kind === 'resource' && type === RESOURCE_TYPE_CLOUDTRAIL_TRAIL) {
      const arn = entity.metadata.annotations?.[ANNOTATION_TRAIL_ARN];
      if (!arn) {
        return {
          kind: 'unsupported',
          reason: `The trail resource has no ${ANNOTATION_TRAIL_ARN} annotation`,
        };
      }
      const trail = await this.getTrailHealth(arn, credentials);
      return { kind: 'trail', ...trail };
    }
    return {
      kind: 'unsupported',
      reason: `${stringifyEntityRef(
        entity,
      )} is not a Group, a Component, or an aws-account or cloudtrail-trail Resource`,
    };
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

  async listTables(
    accountId: string,
    region: string,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    await this.requireVisibleAccount(accountId, credentials);
    try {
      return await this.options.listTables(this.options.aws, accountId, region);
    } catch (error) {
      throw awsUnavailable(
        `DynamoDB ListTables in ${accountId}/${region}`,
        error,
      );
    }
  }

  async plan(
    input: PlanBody,
    credentials: BackstageCredentials,
  ): Promise<Plan> {
    // Account and owner, before any AWS call: the same rule as the scaffolder action.
    await this.options.provisioning.authorize({
      accountId: input.accountId,
      owner: input.owner,
      credentials,
    });
    const createdBy =
      credentials.principal &&
      (credentials.principal as { type?: string }).type === 'user'
        ? (credentials.principal as { userEntityRef: string }).userEntityRef
        : undefined;
    const { allowDuplicateCapture, ...specInput } = input;
    // Field rules first: nothing reaches AWS that buildSpec would refuse.
    buildSpec(specInput);
    let planned;
    try {
      planned = (
        await planConverged(
          this.options.aws,
          { ...specInput, ...(createdBy ? { createdBy } : {}) },
          {
            allowDuplicateCapture,
            monthlyCostUsd: async arn =>
              (
                await this.options.store.getTrail(arn)
              )?.health.volume?.projectedMonthlyUsd,
          },
        )
      ).plan;
    } catch (error) {
      if (
        error instanceof ServiceUnavailableError ||
        error instanceof ConflictError
      ) {
        throw error;
      }
      throw awsUnavailable(
        `Planning in ${input.accountId}/${input.region}`,
        error,
      );
    }
    // The AWS requests behind each change stay server-side; the contract is the plan.
    return {
      spec: planned.spec,
      trailArn: planned.trailArn,
      bucketArn: planned.bucketArn,
      changes: planned.changes.map(
        ({ request: _request, ...change }) => change,
      ),
      notes: planned.notes,
      ...(planned.blockers ? { blockers: planned.blockers } : {}),
      ...(planned.kmsPolicyStatement
        ? { kmsPolicyStatement: planned.kmsPolicyStatement }
        : {}),
    };
  }

  async getTableLineage(
    tableArn: string,
    hours: number,
    credentials: BackstageCredentials,
  ): Promise<TableLineage> {
    const table = tryParseTableArn(tableArn);
    if (!table)
      throw new InputError(`tableArn: "${tableArn}" is not a table ARN`);
    await this.requireVisibleAccount(table.accountId, credentials);

    const [accountRegion] = await this.options.store.getAccountRegions([table]);
    const [best] = (await this.coveringTrails(tableArn, accountRegion))
      .covering;
    if (!best) {
      throw new NotFoundError(
        `No known trail logs DynamoDB data events of ${tableArn}; enable lineage tracking or wait for the next refresh`,
      );
    }
    const to = this.now();
    const from = new Date(to.getTime() - hours * 3600_000);
    try {
      const clients = await this.options.aws.forAccount(
        best.description.accountId,
        best.description.homeRegion,
      );
      return await readTableLineage(clients, best.description, tableArn, {
        from,
        to,
        now: to,
        byteBudget: this.options.lineageByteBudget,
      });
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw awsUnavailable(
        `Reading the logs of trail ${best.description.name}`,
        error,
      );
    }
  }

  /**
   * AWS answers with the plugin's credentials, so a caller may only ask about
   * accounts the catalog shows them (or that config lists).
   */
  private async requireVisibleAccount(
    accountId: string,
    credentials: BackstageCredentials,
  ) {
    const account = await this.options.catalog.findAccount(
      accountId,
      credentials,
    );
    if (!account) {
      throw new NotFoundError(
        `No aws-account resource with account id ${accountId} is visible to you in the catalog`,
      );
    }
    return account;
  }

  private async teamStatusOf(
    group: Entity,
    credentials: BackstageCredentials,
  ): Promise<TeamStatus> {
    const { catalog, store } = this.options;
    const entityRef = stringifyEntityRef(group);
    const [accounts, declarations] = await Promise.all([
      catalog.accountsOwnedBy(entityRef, credentials),
      catalog.listTableDeclarations(credentials, entityRef),
    ]);
    const keys = scopeAccountRegions(accounts, declarations);
    const stored = await store.getAccountRegions(keys);
    const profile = group.spec?.profile as { displayName?: string } | undefined;
    return composeTeamStatus(
      {
        entityRef,
        title:
          group.metadata.title ?? profile?.displayName ?? group.metadata.name,
        accounts,
        declarations,
      },
      new Map(stored.map(s => [accountRegionKey(s.status), s.status])),
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
    const declaration = toTableDeclaration(entity);
    if (declaration.tableArns.length === 0) {
      return {
        kind: 'unsupported',
        reason: `The component declares no DynamoDB tables (annotation ${ANNOTATION_TABLE_ARNS})`,
      };
    }
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
    const { covering, undetermined } = await this.coveringTrails(
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

  /**
   * Trails reaching the table's account-region whose selectors capture every
   * DynamoDB operation on the table, best first; `undetermined` when some
   * trail's selectors were not answered by AWS.
   */
  private async coveringTrails(
    tableArn: string,
    accountRegion: StoredAccountRegion | undefined,
  ) {
    if (!accountRegion || accountRegion.trails.length === 0) {
      return { covering: [], undetermined: false };
    }
    const trails = await this.options.store.getTrails(
      accountRegion.trails.map(t => t.arn),
    );
    let undetermined = false;
    const candidates = accountRegion.trails.flatMap(observation => {
      const stored = trails.find(t => t.description.arn === observation.arn);
      if (!stored?.selectors) {
        undetermined = true;
        return [];
      }
      const coverage = evaluateCoverage({
        trail: stored.description,
        selectors: stored.selectors,
        target: { kind: 'table', tableArn },
      });
      if (coverage.verdict !== 'covered') return [];
      return [
        {
          trail: stored.health.trail,
          status: observation.status,
          latestDeliveryTime: observation.latestDeliveryTime,
          observation,
          health: stored.health,
          description: stored.description,
        },
      ];
    });
    return { covering: rankTrailCandidates(candidates), undetermined };
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

function awsUnavailable(what: string, error: unknown): ServiceUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { name?: string })?.name;
  return new ServiceUnavailableError(
    `${what} failed: AWS did not answer (${
      code && !message.includes(code) ? `${code}: ` : ''
    }${message})`,
  );
}
