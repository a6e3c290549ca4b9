import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningEmulator } from '@lineage/aws-emulator';
import { DEFAULT_FRESHNESS } from '@lineage/plugin-dynamodb-lineage-common';
import { DefaultAwsClientFactory } from '@lineage/plugin-dynamodb-lineage-node';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { LineageCatalog } from '../catalog/LineageCatalog';
import { RefreshService } from '../refresh/RefreshService';
import { DatabaseStore } from '../store/DatabaseStore';
import { demoEntities } from './demoCatalog';

/**
 * A catalog that answers from what `entities` holds at the time of each call,
 * so a test can let entities arrive while the plugin runs.
 */
function liveCatalog(
  entities: Entity[],
): ReturnType<typeof catalogServiceMock> {
  return new Proxy({} as ReturnType<typeof catalogServiceMock>, {
    get: (_target, property) => {
      const current = catalogServiceMock({ entities: [...entities] });
      const value = Reflect.get(current, property);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

/**
 * A RefreshService over the demo catalog, the emulator and a store in `knex`.
 * The emulator's clock decides what "now" is, so tests can jump ahead.
 */
export async function demoRefreshService(options: {
  emulator: RunningEmulator;
  knex: Knex;
  maxAttempts: number;
  /** What the catalog holds; default the demo catalog. */
  entities?: Entity[];
}) {
  const { emulator, knex, maxAttempts } = options;
  const store = await DatabaseStore.create({
    database: { getClient: async () => knex },
  });
  const aws = DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts },
  );
  const catalog = new LineageCatalog(
    options.entities
      ? liveCatalog(options.entities)
      : catalogServiceMock({ entities: demoEntities() }),
    { defaultRegions: ['us-east-1'], configuredAccounts: [] },
  );
  const refresher = new RefreshService({
    catalog,
    store,
    aws,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    thresholds: DEFAULT_FRESHNESS,
    concurrency: 3,
    now: () => new Date(emulator.clock.now()),
  });
  return { store, refresher };
}
