import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { dynamodbLineagePermissions } from '@lineage/plugin-dynamodb-lineage-common';
import {
  AthenaForensicsEngine,
  athenaSettingsFor,
  DEFAULT_LOG_FORENSICS_OPTIONS,
  DefaultAwsClientFactory,
  InspectionCache,
  LogForensicsEngine,
  ProvisioningAuthorizer,
  readDynamoDbLineageConfig,
} from '@lineage/plugin-dynamodb-lineage-node';
import { LineageCatalog } from './catalog/LineageCatalog';
import { LineageGraphService } from './lineage/LineageGraphService';
import { readBackendSettings } from './config';
import { RefreshService } from './refresh/RefreshService';
import { ScheduledRefresh } from './refresh/ScheduledRefresh';
import { AwsLineageService } from './service/AwsLineageService';
import { DefaultLineageStatusService } from './service/DefaultLineageStatusService';
import { createRouter } from './service/router';
import { defaultTableLister } from './service/tables';
import { DatabaseLineageEdgeStore } from './store/DatabaseLineageEdgeStore';
import { DatabaseStore } from './store/DatabaseStore';
import { LineageIngestion } from './ingest/LineageIngestion';
import { ForensicsService } from './forensics/ForensicsService';
import { storedTrailLocator } from './forensics/logSources';
import { storedAthenaTrail } from './forensics/athenaTrails';
import { backfillLineageFromAthena } from './ingest/athenaBackfill';

/** Scheduler task id; one run across all replicas (global scope). */
export const REFRESH_TASK_ID = 'dynamodb-lineage-refresh';
/** Local task that schedules the ingestion of trails the refresh found since it last ran. */
export const INGEST_TRAILS_TASK_ID = 'dynamodb-lineage-ingest-trails';

/**
 * DynamoDB lineage tracking backend: stored trail health, team status and
 * lineage under `/api/dynamodb-lineage`.
 */
export const dynamoDbLineagePlugin = createBackendPlugin({
  pluginId: 'dynamodb-lineage',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        const lineageConfig = readDynamoDbLineageConfig(config);
        const settings = readBackendSettings(config);

        deps.permissionsRegistry.addPermissions(dynamodbLineagePermissions);

        const store = await DatabaseStore.create({ database: deps.database });
        const edges = await DatabaseLineageEdgeStore.create({
          database: deps.database,
        });
        const aws = DefaultAwsClientFactory.fromConfig(config, {
          logger,
          role: 'read',
        });
        const catalog = new LineageCatalog(deps.catalog, {
          defaultRegions: lineageConfig.regions,
          configuredAccounts: lineageConfig.accounts,
        });
        const refresher = new RefreshService({
          catalog,
          store,
          aws,
          auth: deps.auth,
          logger,
          thresholds: lineageConfig.freshness,
          logIntegrityWindowHours: lineageConfig.integrity.windowHours,
          concurrency: settings.concurrency,
          cache: new InspectionCache({
            bucketSettingsTtlMs: settings.bucketSettingsTtlMs,
            trailSettingsTtlMs: settings.trailSettingsTtlMs,
          }),
        });
        const service = new DefaultLineageStatusService({ catalog, store });
        const live = new AwsLineageService({
          catalog,
          store,
          aws,
          listTables: defaultTableLister,
          provisioning: new ProvisioningAuthorizer({
            catalog: deps.catalog,
            permissions: deps.permissions,
          }),
          lineageByteBudget: lineageConfig.lineage.byteBudgetBytes,
          athenaDatabaseFor: accountId =>
            athenaSettingsFor(lineageConfig, accountId)?.database,
        });

        // Athena over the trails' own buckets, for the accounts it is configured for.
        const athena = lineageConfig.forensics.athena
          ? new AthenaForensicsEngine({
              clients: aws,
              settingsFor: accountId =>
                athenaSettingsFor(lineageConfig, accountId),
              trailFor: storedAthenaTrail(store, aws),
            })
          : undefined;
        const forensics = new ForensicsService({
          athena: accountId =>
            athena && athenaSettingsFor(lineageConfig, accountId)
              ? athena
              : undefined,
          findAccount: (accountId, credentials) =>
            catalog.findAccount(accountId, credentials),
          logs: new LogForensicsEngine({
            ...DEFAULT_LOG_FORENSICS_OPTIONS,
            windowHours: settings.forensicsLogs.windowHours,
            byteBudget: settings.forensicsLogs.byteBudgetBytes,
            maxDurationMs: settings.forensicsLogs.maxDurationMs,
            concurrency: settings.forensicsLogs.concurrency,
            locate: storedTrailLocator(store, aws),
          }),
        });

        const graph = new LineageGraphService({
          catalog: deps.catalog,
          lineageCatalog: catalog,
          auth: deps.auth,
          edges,
        });

        // A manual refresh of everything runs as this task, never beside it.
        const scheduled = new ScheduledRefresh({
          refresher,
          scheduler,
          taskId: REFRESH_TASK_ID,
        });
        await scheduler.scheduleTask({
          id: REFRESH_TASK_ID,
          ...settings.schedule,
          // Replicas share one run: the refresh writes one shared store.
          scope: 'global',
          fn: async () => {
            await scheduled.run();
          },
        });

        const ingestion = new LineageIngestion({
          store,
          edges,
          aws,
          scheduler,
          logger,
          settings: {
            backfillDays: lineageConfig.lineage.backfillDays,
            retentionDays: lineageConfig.lineage.retentionDays,
            byteBudgetBytes: lineageConfig.lineage.ingest.byteBudgetBytes,
            timeBudgetMs: lineageConfig.lineage.ingest.timeBudgetMs,
          },
        });
        // Each replica schedules every trail's task; the scheduler runs each on one at a time.
        await scheduler.scheduleTask({
          id: INGEST_TRAILS_TASK_ID,
          frequency: settings.schedule.frequency,
          timeout: { minutes: 1 },
          initialDelay: { seconds: 20 },
          scope: 'local',
          fn: async () => {
            await ingestion.scheduleTrails();
          },
        });

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            service,
            live,
            refresher: scheduled,
            forensics,
            graph,
            backfill: async request => {
              if (
                !athena ||
                !athenaSettingsFor(lineageConfig, request.accountId)
              ) {
                throw new ConflictError(
                  `Athena is not configured for account ${request.accountId}: set dynamodbLineage.forensics.athena (defaults or accounts) to backfill it`,
                );
              }
              return backfillLineageFromAthena(athena, edges, request);
            },
          }),
        );
      },
    });
  },
});
