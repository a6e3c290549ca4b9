import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  athenaSettingsFor,
  DefaultAwsClientFactory,
  readDynamoDbLineageConfig,
  trailDiscoveryServiceRef,
} from '@lineage/plugin-dynamodb-lineage-node';
import { createDynamoDbLineageProvisionAction } from './actions/provision';
import { createDynamoDbLineageTerraformAction } from './actions/terraform';

/**
 * Adds `aws:dynamodb-lineage:provision` and `aws:dynamodb-lineage:terraform`
 * to the scaffolder. AWS access follows the `aws` and `dynamodbLineage.aws`
 * config blocks.
 */
export const scaffolderModuleDynamoDbLineage = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'dynamodb-lineage',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        trailDiscovery: trailDiscoveryServiceRef,
      },
      async init({
        scaffolder,
        config,
        logger,
        catalog,
        permissions,
        auditor,
        trailDiscovery,
      }) {
        const lineageConfig = readDynamoDbLineageConfig(config);
        const clientFactory = DefaultAwsClientFactory.fromConfig(config, {
          logger,
          role: 'provision',
        });
        scaffolder.addActions(
          createDynamoDbLineageProvisionAction({
            clientFactory,
            catalog,
            permissions,
            auditor,
            trailDiscovery,
            athenaDatabaseFor: accountId =>
              athenaSettingsFor(lineageConfig, accountId)?.database,
          }),
          createDynamoDbLineageTerraformAction({
            clientFactory,
            catalog,
            permissions,
            athenaDatabaseFor: accountId =>
              athenaSettingsFor(lineageConfig, accountId)?.database,
          }),
        );
      },
    });
  },
});
