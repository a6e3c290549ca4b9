import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningEmulator } from '@lineage/aws-emulator';
import { DEFAULT_FRESHNESS } from '@lineage/plugin-dynamodb-lineage-common';
import { DefaultAwsClientFactory } from '@lineage/plugin-dynamodb-lineage-node';
import { Knex } from 'knex';
import { LineageCatalog } from '../catalog/LineageCatalog';
import { RefreshService } from '../refresh/RefreshService';
import { DatabaseStore } from '../store/DatabaseStore';
import { demoEntities } from './demoCatalog';

/**
 * A RefreshService over the demo catalog, the emulator and a store in `knex`.
 * The emulator's clock decides what "now" is, so tests can jump ahead.
 */
export async function demoRefreshService(options: {
  emulator: RunningEmulator;
  knex: Knex;
  maxAttempts: number;
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
    catalogServiceMock({ entities: demoEntities() }),
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
