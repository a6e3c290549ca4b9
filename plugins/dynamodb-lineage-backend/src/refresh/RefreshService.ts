import pLimit, { Limit } from 'p-limit';
import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_TRAIL_ARN,
  CANARY_RETENTION_MS,
  FreshnessThresholds,
  LINEAGE_ENTITIES_DESCRIPTION,
  lineageTargetOf,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsAccount,
  AwsClientFactory,
  InspectionCache,
  parseArn,
} from '@lineage/plugin-dynamodb-lineage-node';
import {
  LineageCatalog,
  TableDeclaration,
  toTableDeclaration,
} from '../catalog/LineageCatalog';
import { LineageRefresher } from '../service/types';
import {
  ScopedAccountRegion,
  accountRegionKey,
  scopeAccountRegions,
} from '../status/accountRegions';
import { composeTeamStatus, groupByTeam } from '../status/teams';
import { LineageStore } from '../store/LineageStore';
import { RefreshRun } from './RefreshRun';

export interface RefreshServiceOptions {
  catalog: LineageCatalog;
  store: LineageStore;
  aws: AwsClientFactory;
  auth: AuthService;
  logger: LoggerService;
  thresholds: FreshnessThresholds;
  /** Hours of digest files each digest chain verification covers. Default 6. */
  logIntegrityWindowHours?: number;
  /** Account-regions inspected at the same time. */
  concurrency: number;
  now?: () => Date;
  /**
   * What refreshes reuse from earlier ones (bucket and trail settings for a
   * while, where each trail's log reading stopped). Default: a cache with the
   * default lifetimes on the `now` clock.
   */
  cache?: InspectionCache;
}

/** Everything the catalog (and config) says is in scope, read with the plugin's own credentials. */
interface World {
  accounts: AwsAccount[];
  declarations: TableDeclaration[];
  accountRegions: ScopedAccountRegion[];
}

/**
 * Inspects AWS account-regions, judges every trail with the common checks,
 * stores trail, account-region and team results. One account-region failing
 * never stops the others: it is stored as `unknown` with the reason.
 */
export class RefreshService implements LineageRefresher {
  private readonly limit: Limit;
  private readonly now: () => Date;
  private readonly cache: InspectionCache;

  constructor(private readonly options: RefreshServiceOptions) {
    this.limit = pLimit(options.concurrency);
    const now = options.now ?? (() => new Date());
    this.now = now;
    this.cache =
      options.cache ?? new InspectionCache({ now: () => now().getTime() });
  }

  /**
   * A scheduled refresh. Right after start the catalog may not have ingested
   * the account and group entities yet, so a refresh finds nothing: until one
   * has found account-regions, it looks again every `retryMs` for up to
   * `waitMs`, so teams appear within a minute instead of one schedule later.
   */
  async refreshWhenCatalogReady(
    options: {
      waitMs?: number;
      retryMs?: number;
      sleep?: (ms: number) => Promise<void>;
    } = {},
  ): Promise<{ refreshed: number }> {
    const waitMs = options.waitMs ?? 60_000;
    const retryMs = options.retryMs ?? 5_000;
    const sleep =
      options.sleep ??
      ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
    let result = await this.refresh();
    for (
      let waited = 0;
      !this.catalogSeen && result.refreshed === 0 && waited < waitMs;
      waited += retryMs
    ) {
      await sleep(retryMs);
      result = await this.refresh();
    }
    if (result.refreshed > 0) this.catalogSeen = true;
    return result;
  }

  private catalogSeen = false;

  async refresh(
    request: { entityRef?: string; credentials?: BackstageCredentials } = {},
  ): Promise<{ refreshed: number }> {
    const { auth, logger, store } = this.options;
    const own = await auth.getOwnServiceCredentials();
    const world = await this.readWorld(own);
    const targets = request.entityRef
      ? await this.accountRegionsOf(
          request.entityRef,
          request.credentials ?? own,
          world,
        )
      : world.accountRegions;

    const started = Date.now();
    const now = this.now();
    const run = new RefreshRun({
      aws: this.options.aws,
      thresholds: this.options.thresholds,
      ...(this.options.logIntegrityWindowHours
        ? { logIntegrityWindowHours: this.options.logIntegrityWindowHours }
        : {}),
      now,
      knownAccounts: new Set(world.accountRegions.map(t => t.accountId)),
      logger,
      inspector: this.cache.beginRefresh(),
      canaries: store,
    });
    const results = await Promise.all(
      targets.map(target => this.limit(() => run.inspect(target))),
    );

    await store.pruneCanaryCalls(
      new Date(now.getTime() - CANARY_RETENTION_MS).toISOString(),
    );
    await store.saveTrails(run.storedTrails());
    await store.saveAccountRegions(results);
    await this.rebuildTeams(world, own, now.toISOString());

    const unknown = results.filter(r => r.status.status === 'unknown').length;
    logger.info(
      `DynamoDB lineage refresh${
        request.entityRef ? ` of ${request.entityRef}` : ''
      }: ` +
        `${results.length} account-region(s), ${
          run.storedTrails().length
        } trail(s), ` +
        `${unknown} unknown, in ${Date.now() - started} ms`,
    );
    return { refreshed: results.length };
  }

  private async readWorld(credentials: BackstageCredentials): Promise<World> {
    const { catalog } = this.options;
    const [accounts, declarations] = await Promise.all([
      catalog.listAccounts(credentials),
      catalog.listTableDeclarations(credentials),
    ]);
    return {
      accounts,
      declarations,
      accountRegions: scopeAccountRegions(accounts, declarations),
    };
  }

  /**
   * The account-regions one entity stands for, resolved with the caller's
   * credentials so a hidden entity is not found. Tables declared by others in
   * the same account-region stay in scope: the stored result serves them all.
   */
  private async accountRegionsOf(
    entityRef: string,
    credentials: BackstageCredentials,
    world: World,
  ): Promise<ScopedAccountRegion[]> {
    const { catalog } = this.options;
    const entity = await catalog.getEntity(entityRef, credentials);
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const ref = stringifyEntityRef(entity);
    let own: ScopedAccountRegion[];
    switch (lineageTargetOf(entity).kind) {
      case 'team': {
        const [accounts, declarations] = await Promise.all([
          catalog.accountsOwnedBy(ref, credentials),
          catalog.listTableDeclarations(credentials, ref),
        ]);
        own = scopeAccountRegions(accounts, declarations);
        break;
      }
      case 'component':
        own = scopeAccountRegions([], [toTableDeclaration(entity)]);
        break;
      case 'aws-account': {
        const account = catalog.toAccount(entity);
        own = account ? scopeAccountRegions([account], []) : [];
        break;
      }
      case 'trail':
        own = trailAccountRegions(entity, world);
        break;
      case 'missing-annotation':
        // A Component, account or trail that names nothing to refresh.
        own = [];
        break;
      default:
        throw new InputError(
          `entityRef: ${ref} is not ${LINEAGE_ENTITIES_DESCRIPTION}`,
        );
    }
    const inWorld = new Map(
      world.accountRegions.map(t => [accountRegionKey(t), t]),
    );
    return own.map(target => inWorld.get(accountRegionKey(target)) ?? target);
  }

  private async rebuildTeams(
    world: World,
    credentials: BackstageCredentials,
    refreshedAt: string,
  ) {
    const { catalog, store } = this.options;
    const owners = new Set(
      [...world.accounts, ...world.declarations].flatMap(x =>
        x.owner ? [x.owner] : [],
      ),
    );
    const titles = await catalog.groupTitles([...owners], credentials);
    const teams = groupByTeam(world.accounts, world.declarations, titles);
    const stored = await store.getAccountRegions(world.accountRegions);
    const byKey = new Map(
      stored.map(s => [accountRegionKey(s.status), s.status]),
    );
    await store.replaceTeams(
      teams.map(team => composeTeamStatus(team, byKey)),
      refreshedAt,
    );
  }
}

/** A trail resource: the account-regions of its account we watch, else its home. */
function trailAccountRegions(
  entity: Entity,
  world: World,
): ScopedAccountRegion[] {
  const arn = entity.metadata.annotations?.[ANNOTATION_TRAIL_ARN];
  const parsed = parseArn(arn);
  if (parsed?.service !== 'cloudtrail' || !parsed.region || !parsed.accountId) {
    throw new InputError(
      `entityRef: ${stringifyEntityRef(
        entity,
      )} has no valid ${ANNOTATION_TRAIL_ARN} annotation`,
    );
  }
  const { accountId, region } = parsed;
  const watched = world.accountRegions.filter(t => t.accountId === accountId);
  return watched.length ? watched : [{ accountId, region, tableArns: [] }];
}
