import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  ServiceFactory,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { startEmulator } from '@lineage/aws-emulator';
import {
  DefaultTrailDiscoveryService,
  trailDiscoveryServiceRef,
} from '@lineage/plugin-dynamodb-lineage-node';
import { demoAccountEntities } from './__testUtils__/emulator';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { catalogModuleDynamoDbLineageTrails } from './module';
import { DynamoDbLineageTrailProvider } from './provider/DynamoDbLineageTrailProvider';
import { DynamoDbTableProvider } from './tables/DynamoDbTableProvider';

/** What the stand-in lineage backend answers `GET /lineage/relations` with, and what it was asked. */
const lineage = {
  answer: { status: 200, body: {} as unknown },
  requests: [] as { days: unknown; subject: string }[],
};

/** The lineage backend's relations route, as the catalog module calls it. */
const lineageBackend = createBackendPlugin({
  pluginId: 'dynamodb-lineage',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        httpRouter.use(async (req, res, next) => {
          if (req.path !== '/lineage/relations') return next();
          const credentials = await httpAuth.credentials(req, {
            allow: ['service'],
          });
          lineage.requests.push({
            days: req.query.days,
            subject: credentials.principal.subject,
          });
          return res.status(lineage.answer.status).json(lineage.answer.body);
        });
      },
    });
  },
});

describe('catalogModuleDynamoDbLineageTrails', () => {
  async function startWith(
    config: object,
    options: {
      entities?: Entity[];
      trailDiscovery?: ServiceFactory;
    } = {},
  ) {
    const providers: EntityProvider[] = [];
    const processors: CatalogProcessor[] = [];
    const schedules: SchedulerServiceTaskScheduleDefinition[] = [];
    const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
    const scheduled: SchedulerServiceTaskScheduleDefinition[] = [];
    const scheduledTasks: (() => Promise<void>)[] = [];
    const scheduler = mockServices.scheduler.mock({
      createScheduledTaskRunner: jest.fn(schedule => {
        schedules.push(schedule);
        return { run: async task => void tasks.push(task) };
      }),
      scheduleTask: jest.fn(async task => {
        scheduled.push(task);
        scheduledTasks.push(task.fn as () => Promise<void>);
      }),
    });
    await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (...p: any[]) => providers.push(...p.flat()),
            addProcessor: (...p: any[]) => processors.push(...p.flat()),
          },
        ],
      ],
      features: [
        catalogModuleDynamoDbLineageTrails,
        lineageBackend,
        catalogServiceMock.factory({ entities: options.entities ?? [] }),
        scheduler.factory,
        ...(options.trailDiscovery ? [options.trailDiscovery] : []),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return {
      providers,
      processors,
      schedules,
      tasks,
      scheduled,
      scheduledTasks,
    };
  }

  /** The relations a processor emits for an entity. */
  async function relationsOf(processor: CatalogProcessor, entity: Entity) {
    const emitted: string[] = [];
    await processor.postProcessEntity!(
      entity,
      { type: 'url', target: 'https://example.com/catalog.yaml' },
      result => {
        if (result.type === 'relation') {
          const { source, type, target } = result.relation;
          emitted.push(`${source.name} ${type} ${target.name}`);
        }
      },
      {} as any,
    );
    return emitted;
  }

  it('registers the trail and table providers on the default schedule and runs it once connected', async () => {
    const { providers, schedules, tasks } = await startWith({});
    expect(providers).toHaveLength(2);
    expect(providers[0]).toBeInstanceOf(DynamoDbLineageTrailProvider);
    expect(providers[1]).toBeInstanceOf(DynamoDbTableProvider);
    expect(providers.map(p => p.getProviderName())).toEqual([
      'dynamodb-lineage-trails',
      'dynamodb-lineage-tables',
    ]);
    expect(schedules).toEqual([
      {
        frequency: { minutes: 10 },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 15 },
        scope: 'global',
      },
    ]);

    expect(tasks).toEqual([]);
    await providers[0].connect({
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    });
    expect(tasks).toEqual([
      { id: 'dynamodb-lineage-trails:refresh', fn: expect.any(Function) },
    ]);
  });

  it('takes the schedule from dynamodbLineage.catalog.schedule', async () => {
    const { schedules } = await startWith({
      dynamodbLineage: {
        catalog: {
          schedule: {
            frequency: { minutes: 2 },
            timeout: { minutes: 1 },
            scope: 'local',
          },
        },
      },
    });
    expect(schedules).toEqual([
      expect.objectContaining({ frequency: { minutes: 2 }, scope: 'local' }),
    ]);
  });

  it('refuses to start on invalid dynamodbLineage config, naming the key', async () => {
    await expect(
      startWith({ dynamodbLineage: { regions: ['moon-base-1'] } }),
    ).rejects.toThrow(/dynamodbLineage\.regions\[0\]/);
  });

  const PAYMENTS_API: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      annotations: {
        'dynamodb-lineage/table-arns':
          'arn:aws:dynamodb:us-east-1:111111111111:table/payments, not-an-arn',
      },
    },
    spec: { type: 'service', owner: 'team-payments' },
  };

  it('relates declared tables and, after reloading the lineage backend’s relations on a local schedule, observed data flow', async () => {
    lineage.requests.length = 0;
    lineage.answer = {
      status: 200,
      body: {
        window: { days: 30, from: '2026-11-02', to: '2026-12-01' },
        relations: [
          {
            entityRef: 'component:default/payments-api',
            tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
            access: 'write',
            calls: 40,
            lastSeen: '2026-12-01T09:00:00.000Z',
          },
          {
            entityRef: 'component:default/payments-api',
            tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
            access: 'read',
            calls: 2,
            lastSeen: '2026-12-01T09:00:00.000Z',
          },
        ],
      },
    };
    const { processors, scheduled, scheduledTasks } = await startWith({});
    expect(processors.map(p => p.getProcessorName())).toEqual([
      'DynamoDbLineageDeclaredTablesProcessor',
      'DynamoDbLineageDataFlowProcessor',
    ]);
    const [declared, dataFlow] = processors;
    expect(scheduled).toEqual([
      expect.objectContaining({
        id: 'dynamodb-lineage-relations:reload',
        frequency: { minutes: 5 },
        scope: 'local',
      }),
    ]);

    // The bad value is ignored, the good one related.
    expect(await relationsOf(declared, PAYMENTS_API)).toEqual([
      'payments-api dependsOn 111111111111-us-east-1-payments',
      '111111111111-us-east-1-payments dependencyOf payments-api',
    ]);
    // Nothing observed before the first reload; no call while processing.
    expect(await relationsOf(dataFlow, PAYMENTS_API)).toEqual([]);
    expect(lineage.requests).toEqual([]);

    await scheduledTasks[0]();
    expect(lineage.requests).toEqual([
      { days: '30', subject: 'plugin:catalog' },
    ]);
    const observed = [
      'payments-api writesTo 111111111111-us-east-1-payments',
      '111111111111-us-east-1-payments writtenBy payments-api',
      'payments-api readsFrom 111111111111-us-east-1-ledger',
      '111111111111-us-east-1-ledger readBy payments-api',
    ];
    expect(await relationsOf(dataFlow, PAYMENTS_API)).toEqual(observed);
    await relationsOf(dataFlow, PAYMENTS_API);
    expect(lineage.requests).toHaveLength(1);

    // The backend failing keeps the last set.
    lineage.answer = { status: 500, body: { error: 'down' } };
    await scheduledTasks[0]();
    expect(lineage.requests).toHaveLength(2);
    expect(await relationsOf(dataFlow, PAYMENTS_API)).toEqual(observed);
  });

  it('asks for dynamodbLineage.lineage.relationsWindow days and refuses a window out of bounds', async () => {
    lineage.requests.length = 0;
    lineage.answer = { status: 200, body: { relations: [] } };
    const { scheduledTasks } = await startWith({
      dynamodbLineage: { lineage: { relationsWindow: 7 } },
    });
    await scheduledTasks[0]();
    expect(lineage.requests).toEqual([
      { days: '7', subject: 'plugin:catalog' },
    ]);
    await expect(
      startWith({ dynamodbLineage: { lineage: { relationsWindow: 0 } } }),
    ).rejects.toThrow(/dynamodbLineage\.lineage\.relationsWindow/);
  });

  it('lists the tables right after an on-demand trail discovery, as the provision action asks for it', async () => {
    const emulator = await startEmulator({ port: 0, seed: 'demo' });
    try {
      const discovery = new DefaultTrailDiscoveryService();
      const { providers } = await startWith(
        {
          aws: {
            mainAccount: {
              accessKeyId: '999999999999',
              secretAccessKey: 'emulator',
            },
            accountDefaults: {
              roleName: 'backstage-dynamodb-lineage-read',
              externalId: 'test-external-id',
            },
          },
          dynamodbLineage: {
            aws: { endpoint: emulator.url, maxAttempts: 1 },
            regions: ['us-east-1'],
          },
        },
        {
          entities: demoAccountEntities(),
          trailDiscovery: createServiceFactory({
            service: trailDiscoveryServiceRef,
            deps: {},
            factory: () => discovery,
          }),
        },
      );
      const mutations = new Map<string, EntityProviderMutation[]>();
      for (const provider of providers) {
        const own: EntityProviderMutation[] = [];
        mutations.set(provider.getProviderName(), own);
        await provider.connect({
          applyMutation: async mutation => void own.push(mutation),
          refresh: jest.fn(),
        });
      }

      const trails = await discovery.discoverNow();
      expect(trails?.map(t => t.arn)).toContain(
        'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
      );
      const tables = mutations.get('dynamodb-lineage-tables')!;
      expect(tables).toHaveLength(1);
      expect(
        tables[0].type === 'full' &&
          tables[0].entities.map(e => e.entity.metadata.name).sort(),
      ).toEqual([
        '111111111111-eu-west-1-payments-eu',
        '111111111111-us-east-1-ledger',
        '111111111111-us-east-1-payments',
        '222222222222-us-east-1-orders',
        '333333333333-us-east-1-inventory',
      ]);
    } finally {
      await emulator.stop();
    }
  });
});
