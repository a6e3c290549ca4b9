import {
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import catalogModule from '@lineage/plugin-catalog-backend-module-dynamodb-lineage';
import dynamoDbLineageBackend from '@lineage/plugin-dynamodb-lineage-backend';
import { readYamlDocuments } from './__testUtils__/devWorld';

jest.setTimeout(120_000);

/*
 * The catalog module's data-flow relations from the real lineage backend: the
 * module reads GET /lineage/relations with the catalog's service credentials
 * (no mock of the route), and its processor turns the stored edges of the
 * demo components' roles into writesTo/readsFrom relations and their inverses.
 */

const PAYMENTS = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const LEDGER = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** One stored daily edge, as ingestion writes it, on today's UTC date. */
function edge(
  role: string,
  tableArn: string,
  operation: string,
  kind: 'read' | 'write',
) {
  const now = new Date().toISOString();
  return {
    table_arn: tableArn,
    principal: `arn:aws:iam::111111111111:role/${role}`,
    operation,
    day: now.slice(0, 10),
    account_id: '111111111111',
    region: 'us-east-1',
    principal_type: 'AssumedRole',
    principal_account_id: '111111111111',
    kind,
    calls: 5,
    errors: 0,
    first_seen: now,
    last_seen: now,
  };
}

describe('data-flow relations from the lineage backend into the catalog', () => {
  it('relates the demo components to the tables they wrote and read, the set read once per reload', async () => {
    const knex = await databases.init('SQLITE_3');
    const processors: CatalogProcessor[] = [];
    const scheduled: (SchedulerServiceTaskScheduleDefinition &
      SchedulerServiceTaskInvocationDefinition)[] = [];
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: jest.fn(async task => void scheduled.push(task)),
      createScheduledTaskRunner: jest.fn(() => ({ run: async () => {} })),
    });
    const entities: Entity[] = [
      ...readYamlDocuments('examples/org.yaml'),
      ...readYamlDocuments('examples/aws-accounts.yaml'),
      ...readYamlDocuments('examples/components.yaml'),
    ];
    await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: () => {},
            addProcessor: (...p: any[]) => processors.push(...p.flat()),
          },
        ],
      ],
      features: [
        dynamoDbLineageBackend,
        catalogModule,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            dynamodbLineage: {
              // Nothing here may reach AWS: the port is closed.
              aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
              regions: ['us-east-1'],
              lineage: { relationsWindow: 7 },
            },
          },
        }),
      ],
    });
    // The lineage backend migrated its store when it started.
    await knex('dynamodb_lineage_edge').insert([
      edge('payments-api', PAYMENTS, 'PutItem', 'write'),
      edge('ledger-sync', PAYMENTS, 'Query', 'read'),
      edge('ledger-sync', LEDGER, 'PutItem', 'write'),
      edge('finance-reports', LEDGER, 'Scan', 'read'),
    ]);

    const reload = scheduled.find(
      task => task.id === 'dynamodb-lineage-relations:reload',
    );
    expect(reload).toBeDefined();
    await reload!.fn(new AbortController().signal as any);

    const dataFlow = processors.find(
      p => p.getProcessorName() === 'DynamoDbLineageDataFlowProcessor',
    )!;
    const relationsOf = async (name: string) => {
      const entity = entities.find(
        e => e.kind === 'Component' && e.metadata.name === name,
      )!;
      const emitted: string[] = [];
      await dataFlow.postProcessEntity!(
        entity,
        { type: 'url', target: 'https://example.com/components.yaml' },
        result => {
          if (result.type !== 'relation') return;
          const { source, type, target } = result.relation;
          emitted.push(`${source.name} ${type} ${target.name}`);
        },
        {} as any,
      );
      return emitted;
    };

    expect(await relationsOf('payments-api')).toEqual([
      'payments-api writesTo 111111111111-us-east-1-payments',
      '111111111111-us-east-1-payments writtenBy payments-api',
    ]);
    expect((await relationsOf('ledger-sync')).sort()).toEqual(
      [
        'ledger-sync readsFrom 111111111111-us-east-1-payments',
        '111111111111-us-east-1-payments readBy ledger-sync',
        'ledger-sync writesTo 111111111111-us-east-1-ledger',
        '111111111111-us-east-1-ledger writtenBy ledger-sync',
      ].sort(),
    );
    expect(await relationsOf('finance-reports')).toEqual([
      'finance-reports readsFrom 111111111111-us-east-1-ledger',
      '111111111111-us-east-1-ledger readBy finance-reports',
    ]);
    expect(await relationsOf('orders-service')).toEqual([]);
  });
});
