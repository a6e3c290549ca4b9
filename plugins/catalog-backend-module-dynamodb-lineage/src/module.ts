import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { trailDiscoveryServiceRef } from '@lineage/plugin-dynamodb-lineage-node';
import { DynamoDbLineageTrailProvider } from './provider/DynamoDbLineageTrailProvider';
import { readTrailSchedule } from './schedule';

/**
 * Adds the CloudTrail trails of the catalog's AWS accounts to the catalog as
 * `cloudtrail-trail` Resources.
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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        trailDiscovery: trailDiscoveryServiceRef,
      },
      async init({
        catalogProcessing,
        catalog,
        auth,
        config,
        logger,
        scheduler,
        trailDiscovery,
      }) {
        const provider = DynamoDbLineageTrailProvider.fromConfig(config, {
          catalog,
          auth,
          logger,
          schedule: scheduler.createScheduledTaskRunner(
            readTrailSchedule(config),
          ),
        });
        catalogProcessing.addEntityProvider(provider);
        // The provision action discovers right after creating a trail.
        trailDiscovery.setDiscoverer(
          async () => (await provider.refresh()).trails,
        );
      },
    });
  },
});
