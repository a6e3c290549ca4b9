import pLimit from 'p-limit';
import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  CatalogService,
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_TRAIL_ARN,
  RESOURCE_TYPE_AWS_ACCOUNT,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsAccount,
  AwsClientFactory,
  ConfiguredAccount,
  DefaultAwsClientFactory,
  DiscoveredTrail,
  readDynamoDbLineageConfig,
  resolveAccounts,
} from '@lineage/plugin-dynamodb-lineage-node';
import { observeTrails, readMissingHomeTags } from './observeTrails';
import { toRetainedEntity } from './retainedEntities';
import { selectTrails, TrailObservation } from './selectTrails';
import { TrailCoverage, trailCoverage } from './trailCoverage';
import {
  toTrailEntity,
  trailLocationRef,
  TRAIL_PROVIDER_NAME,
} from './trailEntity';

/** Parallel DescribeTrails calls; each account-region has its own rate limit. */
const DEFAULT_CONCURRENCY = 8;

export interface DynamoDbLineageTrailProviderOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  clientFactory: AwsClientFactory;
  /** Regions for account entities without the regions annotation. */
  defaultRegions: string[];
  /** The `dynamodbLineage.accounts` fallback for organisations without account entities. */
  configuredAccounts: ConfiguredAccount[];
  /** Runs {@link DynamoDbLineageTrailProvider.refresh} on a schedule once connected. */
  schedule?: SchedulerServiceTaskRunner;
  /**
   * Runs after each scheduled discovery with its result, e.g. to list the
   * tables of the covered account-regions; a failure is logged on its own.
   */
  afterRefresh?: (summary: TrailRefreshSummary) => Promise<void>;
  concurrency?: number;
}

/** What one refresh did, for logs and tests. */
export interface TrailRefreshSummary {
  entities: number;
  accounts: number;
  /** Accounts AWS did not answer for; their last good trails were kept. */
  failedAccounts: { accountId: string; error: string }[];
  /** Every emitted trail by ARN, with the ref of its entity. */
  trails: DiscoveredTrail[];
  /** The listed account-regions these trails log. */
  coverage: TrailCoverage;
}

/**
 * Emits one `Resource` of type `cloudtrail-trail` per CloudTrail trail visible in
 * the AWS accounts of the catalog (and of config), with full mutations so a
 * deleted trail disappears. An account AWS does not answer for keeps the trails
 * last seen in it: those come from memory, or after a restart or on another
 * replica (the task has global scope) from the entities already in the catalog.
 */
export class DynamoDbLineageTrailProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly lastGood = new Map<string, TrailObservation[]>();

  static fromConfig(
    config: Config,
    options: Omit<
      DynamoDbLineageTrailProviderOptions,
      'clientFactory' | 'defaultRegions' | 'configuredAccounts'
    > & { clientFactory?: AwsClientFactory },
  ): DynamoDbLineageTrailProvider {
    const lineageConfig = readDynamoDbLineageConfig(config);
    return new DynamoDbLineageTrailProvider({
      ...options,
      clientFactory:
        options.clientFactory ??
        DefaultAwsClientFactory.fromConfig(config, {
          logger: options.logger,
          role: 'read',
        }),
      defaultRegions: lineageConfig.regions,
      configuredAccounts: lineageConfig.accounts,
    });
  }

  constructor(private readonly options: DynamoDbLineageTrailProviderOptions) {}

  getProviderName(): string {
    return TRAIL_PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.schedule?.run({
      id: `${TRAIL_PROVIDER_NAME}:refresh`,
      fn: async () => {
        let summary: TrailRefreshSummary;
        try {
          summary = await this.refresh();
        } catch (error) {
          this.options.logger.error(
            `CloudTrail trail discovery failed; the catalog keeps the previous trail entities`,
            error as Error,
          );
          return;
        }
        try {
          await this.options.afterRefresh?.(summary);
        } catch (error) {
          this.options.logger.error(
            `Work after CloudTrail trail discovery failed`,
            error as Error,
          );
        }
      },
    });
  }

  /** Discovers the trails now and replaces every entity of this provider. */
  async refresh(): Promise<TrailRefreshSummary> {
    const connection = this.connection;
    if (!connection) {
      throw new Error(
        `${TRAIL_PROVIDER_NAME} is not connected to the catalog yet`,
      );
    }
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const targets = await this.listAccounts(credentials);
    const { observations, failedAccounts, unremembered } =
      await this.observeAccounts(targets);

    const accounts = new Map(targets.map(t => [t.accountId, t]));
    const discovered = selectTrails(observations).map(selected => {
      const { entity, warnings } = toTrailEntity(selected, accounts);
      warnings.forEach(warning => this.options.logger.warn(warning));
      return { entity, locationKey: trailLocationRef(selected.trail.arn) };
    });
    const discoveredNames = new Set(
      discovered.map(e => e.entity.metadata.name),
    );
    const retained = (
      await this.readEmittedTrails(unremembered, credentials)
    ).filter(e => !discoveredNames.has(e.entity.metadata.name));
    const entities = [...discovered, ...retained];

    await connection.applyMutation({ type: 'full', entities });
    const kept =
      failedAccounts.length > 0
        ? `; ${failedAccounts.length} accounts kept their last known trails`
        : '';
    this.options.logger.info(
      `Emitted ${entities.length} CloudTrail trail entities from ${targets.length} AWS accounts${kept}`,
    );
    return {
      entities: entities.length,
      accounts: targets.length,
      failedAccounts,
      coverage: trailCoverage(targets, observations, unremembered),
      trails: entities.flatMap(({ entity }) => {
        const arn = entity.metadata.annotations?.[ANNOTATION_TRAIL_ARN];
        return arn ? [{ arn, entityRef: stringifyEntityRef(entity) }] : [];
      }),
    };
  }

  /**
   * Trails seen from every listed account-region. An account with any region
   * AWS did not answer contributes its last good observations instead; when
   * this instance has none (`unremembered`), the catalog's entities stand in.
   */
  private async observeAccounts(targets: AwsAccount[]): Promise<{
    observations: TrailObservation[];
    failedAccounts: TrailRefreshSummary['failedAccounts'];
    unremembered: string[];
  }> {
    const { clientFactory, logger } = this.options;
    const limit = pLimit(this.options.concurrency ?? DEFAULT_CONCURRENCY);
    const answers = await Promise.all(
      targets
        .flatMap(target =>
          target.regions.map(region => ({
            accountId: target.accountId,
            region,
          })),
        )
        .map(target =>
          limit(async () => ({
            target,
            answer: await observeTrails(clientFactory, target),
          })),
        ),
    );

    const observations: TrailObservation[] = [];
    const failedAccounts: TrailRefreshSummary['failedAccounts'] = [];
    const unremembered: string[] = [];
    for (const { accountId } of targets) {
      const own = answers.filter(a => a.target.accountId === accountId);
      const failures = own.flatMap(({ target, answer }) =>
        answer.ok ? [] : [`${target.region}: ${answer.error}`],
      );
      if (failures.length === 0) {
        const seen = own.flatMap(({ answer }) =>
          answer.ok ? answer.value : [],
        );
        await readMissingHomeTags(clientFactory, accountId, seen);
        this.lastGood.set(accountId, seen);
        observations.push(...seen);
        continue;
      }
      const error = failures.join('; ');
      failedAccounts.push({ accountId, error });
      const remembered = this.lastGood.get(accountId);
      if (remembered) observations.push(...remembered);
      else unremembered.push(accountId);
      logger.warn(
        `Could not list the CloudTrail trails of account ${accountId} (${error}); keeping ${
          remembered
            ? 'the trails seen in its last good run'
            : 'its trail entities already in the catalog'
        }`,
      );
    }

    const listed = new Set(targets.map(t => t.accountId));
    for (const accountId of [...this.lastGood.keys()]) {
      if (!listed.has(accountId)) this.lastGood.delete(accountId);
    }
    return { observations, failedAccounts, unremembered };
  }

  private async listAccounts(
    credentials: BackstageCredentials,
  ): Promise<AwsAccount[]> {
    const { items } = await this.options.catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': RESOURCE_TYPE_AWS_ACCOUNT } },
      { credentials },
    );
    const { accounts, skipped } = resolveAccounts({
      entities: items,
      configured: this.options.configuredAccounts,
      defaultRegions: this.options.defaultRegions,
    });
    skipped.forEach(reason =>
      this.options.logger.warn(`Skipped AWS account: ${reason}`),
    );
    return accounts;
  }

  /** The trail entities of these accounts as this provider last emitted them. */
  private async readEmittedTrails(
    accountIds: string[],
    credentials: BackstageCredentials,
  ): Promise<DeferredEntity[]> {
    if (accountIds.length === 0) return [];
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
          [`metadata.annotations.${ANNOTATION_AWS_ACCOUNT_ID}`]: accountIds,
        },
      },
      { credentials },
    );
    return items.flatMap(
      item => toRetainedEntity(item, TRAIL_PROVIDER_NAME) ?? [],
    );
  }
}
