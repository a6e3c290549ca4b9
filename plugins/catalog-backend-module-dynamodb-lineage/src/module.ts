import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  DefaultAwsClientFactory,
  trailDiscoveryServiceRef,
} from '@lineage/plugin-dynamodb-lineage-node';
import {
  DynamoDbLineageTrailProvider,
  TrailRefreshSummary,
} from './provider/DynamoDbLineageTrailProvider';
import { DynamoDbTableProvider } from './tables/DynamoDbTableProvider';
import { DataFlowProcessor } from './processors/DataFlowProcessor';
import { DeclaredTablesProcessor } from './processors/DeclaredTablesProcessor';
import { LineageRelationsCache } from './relations/LineageRelationsCache';
import { readRelationsWindow } from './relations/relationsWindow';
import { readRelationsSchedule, readTrailSchedule } from './schedule';

/**
 * Adds the CloudTrail trails of the catalog's AWS accounts to the catalog as
 * `cloudtrail-trail` Resources, and the DynamoDB tables of the account-regions
 * those trails cover as `dynamodb-table` Resources; relates components to the
 * tables they declare (`dependsOn`) and to the tables they were seen writing
 * or reading (`writesTo`/`writtenBy`, `readsFrom`/`readBy`).
 *
 * @public
 */
export const catalogModuleDynamoDbLineageTrails = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'dynamodb-lineage-trails',
  register(reg) {
    reg.registerInit({
      deps: {
        catalogProcessing: catalogProcessingExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        trailDiscovery: trailDiscoveryServiceRef,
      },
      async init({
        catalogProcessing,
        catalog,
        auth,
        discovery,
        config,
        logger,
        scheduler,
        trailDiscovery,
      }) {
        const relations = new LineageRelationsCache({
          auth,
          discovery,
          logger,
          windowDays: readRelationsWindow(config),
        });
        const clientFactory = DefaultAwsClientFactory.fromConfig(config, {
          logger,
          role: 'read',
        });
        const tables = new DynamoDbTableProvider({
          catalog,
          auth,
          logger,
          clientFactory,
        });
        const listTables = async (summary: TrailRefreshSummary) => {
          await tables.refresh(summary.coverage);
        };
        const provider = DynamoDbLineageTrailProvider.fromConfig(config, {
          catalog,
          auth,
          logger,
          clientFactory,
          schedule: scheduler.createScheduledTaskRunner(
            readTrailSchedule(config),
          ),
          // Tables are listed where the trails just found log.
          afterRefresh: listTables,
        });
        catalogProcessing.addEntityProvider(provider, tables);
        catalogProcessing.addProcessor(
          new DeclaredTablesProcessor({ logger }),
          new DataFlowProcessor({ relations, logger }),
        );
        await scheduler.scheduleTask({
          ...readRelationsSchedule(config),
          id: 'dynamodb-lineage-relations:reload',
          fn: async () => {
            await relations.reload();
          },
        });
        // The provision action discovers right after creating a trail, so
        // the trail and the tables it now covers appear without waiting.
        trailDiscovery.setDiscoverer(async () => {
          const summary = await provider.refresh();
          try {
            await listTables(summary);
          } catch (error) {
            logger.warn(
              `Listing the DynamoDB tables after an on-demand trail discovery failed; the next scheduled run lists them: ${
                (error as Error).message
              }`,
            );
          }
          return summary.trails;
        });
      },
    });
  },
});
