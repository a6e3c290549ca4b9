import pLimit from 'p-limit';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  CatalogService,
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_TABLE_ARNS,
  RESOURCE_TYPE_DYNAMODB_TABLE,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { Config } from '@backstage/config';
import {
  AwsClientFactory,
  DefaultAwsClientFactory,
  listTableArns,
  probeValue,
} from '@lineage/plugin-dynamodb-lineage-node';
import { toRetainedEntity } from '../provider/retainedEntities';
import { TrailCoverage } from '../provider/trailCoverage';
import {
  TABLE_PROVIDER_NAME,
  tableLocationRef,
  toTableEntity,
} from './tableEntity';

/** Parallel ListTables walks; each account-region has its own rate limit. */
const DEFAULT_CONCURRENCY = 8;

export interface DynamoDbTableProviderOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  clientFactory: AwsClientFactory;
  concurrency?: number;
}

/** What one table refresh did, for logs and tests. */
export interface TableRefreshSummary {
  entities: number;
  /** Covered account-regions whose tables were listed. */
  accountRegions: number;
  /** Account-regions AWS did not answer ListTables for; their last known tables were kept. */
  failed: { accountId: string; region: string; error: string }[];
}

/**
 * Emits one `Resource` of type `dynamodb-table` per DynamoDB table in the
 * account-regions a trail covers, with full mutations so a deleted table, or
 * one whose account-region lost its trail, disappears. It lists nothing on its
 * own schedule: {@link DynamoDbTableProvider.refresh} takes the coverage of a
 * trail discovery run, so both read the accounts and trails once.
 *
 * An account-region AWS does not answer for (or an account whose trails are
 * unknown) keeps the tables last seen in it: from memory, or after a restart
 * or on another replica from the entities already in the catalog.
 */
export class DynamoDbTableProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Last good entities per `<account>/<region>`. */
  private readonly lastGood = new Map<string, DeferredEntity[]>();

  /** With the read role's clients of the `aws` and `dynamodbLineage.aws` config, unless given. */
  static fromConfig(
    config: Config,
    options: Omit<DynamoDbTableProviderOptions, 'clientFactory'> & {
      clientFactory?: AwsClientFactory;
    },
  ): DynamoDbTableProvider {
    return new DynamoDbTableProvider({
      ...options,
      clientFactory:
        options.clientFactory ??
        DefaultAwsClientFactory.fromConfig(config, {
          logger: options.logger,
          role: 'read',
        }),
    });
  }

  constructor(private readonly options: DynamoDbTableProviderOptions) {}

  getProviderName(): string {
    return TABLE_PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
  }

  /** Lists the tables of every covered account-region and replaces every entity of this provider. */
  async refresh(coverage: TrailCoverage): Promise<TableRefreshSummary> {
    const connection = this.connection;
    if (!connection) {
      throw new Error(
        `${TABLE_PROVIDER_NAME} is not connected to the catalog yet`,
      );
    }
    const { clientFactory, logger } = this.options;
    const limit = pLimit(this.options.concurrency ?? DEFAULT_CONCURRENCY);
    const answers = await Promise.all(
      coverage.covered.map(({ account, region }) =>
        limit(async () => ({
          account,
          region,
          answer: await probeValue(async () =>
            listTableArns(
              await clientFactory.forAccount(account.accountId, region),
              { accountId: account.accountId, region },
            ),
          ),
        })),
      ),
    );

    const entities: DeferredEntity[] = [];
    const failed: TableRefreshSummary['failed'] = [];
    /** Account-regions (`<account>/<region>`) or whole accounts (`<account>/`) to take from the catalog. */
    const fromCatalog: { accountId: string; region?: string }[] = [];
    const current = new Set<string>();
    for (const { account, region, answer } of answers) {
      const key = `${account.accountId}/${region}`;
      current.add(key);
      if (answer.ok) {
        const emitted = answer.value.map(arn => ({
          entity: toTableEntity(arn, account),
          locationKey: tableLocationRef(arn),
        }));
        this.lastGood.set(key, emitted);
        entities.push(...emitted);
        continue;
      }
      failed.push({
        accountId: account.accountId,
        region,
        error: answer.error,
      });
      const remembered = this.lastGood.get(key);
      if (remembered) entities.push(...remembered);
      else fromCatalog.push({ accountId: account.accountId, region });
      logger.warn(
        `Could not list the DynamoDB tables of account ${
          account.accountId
        } in ${region} (${answer.error}); keeping ${
          remembered
            ? 'the tables seen in its last good run'
            : 'its table entities already in the catalog'
        }`,
      );
    }
    for (const accountId of coverage.unknownAccounts) {
      const remembered = [...this.lastGood.entries()].filter(([key]) =>
        key.startsWith(`${accountId}/`),
      );
      remembered.forEach(([key, kept]) => {
        current.add(key);
        entities.push(...kept);
      });
      if (remembered.length === 0) fromCatalog.push({ accountId });
    }
    for (const key of [...this.lastGood.keys()]) {
      if (!current.has(key)) this.lastGood.delete(key);
    }

    const emittedNames = new Set(entities.map(e => e.entity.metadata.name));
    const retained = (await this.readEmittedTables(fromCatalog)).filter(
      e => !emittedNames.has(e.entity.metadata.name),
    );
    const all = [...entities, ...retained];
    await connection.applyMutation({ type: 'full', entities: all });
    logger.info(
      `Emitted ${all.length} DynamoDB table entities from ${
        coverage.covered.length
      } covered account-regions${
        failed.length > 0
          ? `; ${failed.length} account-regions kept their last known tables`
          : ''
      }`,
    );
    return {
      entities: all.length,
      accountRegions: coverage.covered.length,
      failed,
    };
  }

  /** The table entities of these account-regions (or whole accounts) as this provider last emitted them. */
  private async readEmittedTables(
    scopes: { accountId: string; region?: string }[],
  ): Promise<DeferredEntity[]> {
    if (scopes.length === 0) return [];
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': RESOURCE_TYPE_DYNAMODB_TABLE,
          [`metadata.annotations.${ANNOTATION_AWS_ACCOUNT_ID}`]: [
            ...new Set(scopes.map(s => s.accountId)),
          ],
        },
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return items.flatMap(item => {
      const arn = item.metadata.annotations?.[ANNOTATION_TABLE_ARNS];
      const parts = arn ? tryParseTableArn(arn) : undefined;
      const wanted = scopes.some(
        s =>
          s.accountId === parts?.accountId &&
          (s.region === undefined || s.region === parts.region),
      );
      return wanted ? toRetainedEntity(item, TABLE_PROVIDER_NAME) ?? [] : [];
    });
  }
}
