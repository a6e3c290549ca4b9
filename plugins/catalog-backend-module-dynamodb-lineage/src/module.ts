import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
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
      },
      async init({
        catalogProcessing,
        catalog,
        auth,
        config,
        logger,
        scheduler,
      }) {
        catalogProcessing.addEntityProvider(
          DynamoDbLineageTrailProvider.fromConfig(config, {
            catalog,
            auth,
            logger,
            schedule: scheduler.createScheduledTaskRunner(
              readTrailSchedule(config),
            ),
          }),
        );
      },
    });
  },
});
