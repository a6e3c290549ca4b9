import { mockServices } from '@backstage/backend-test-utils';
import { Entity, KubernetesValidatorFunctions } from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  demoAccountEntities,
  emulatorCall,
  emulatorClients,
} from '../__testUtils__/emulator';
import { DynamoDbLineageTrailProvider } from '../provider/DynamoDbLineageTrailProvider';
import { DynamoDbTableProvider } from './DynamoDbTableProvider';

const table = (accountId: string, region: string, name: string) =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;

/** The demo's tables in the account-regions its trails cover; analytics has no trail. */
const DEMO_COVERED_TABLES = [
  table('111111111111', 'eu-west-1', 'payments-eu'),
  table('111111111111', 'us-east-1', 'ledger'),
  table('111111111111', 'us-east-1', 'payments'),
  table('222222222222', 'us-east-1', 'orders'),
  table('333333333333', 'us-east-1', 'inventory'),
];

describe('DynamoDbTableProvider against the emulator (demo seed)', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    await emulator.seed('demo');
  });

  /** A trail provider and a table provider as the module wires them. */
  async function setup(entities: Entity[] = demoAccountEntities()) {
    const logger = mockServices.logger.mock();
    const catalog = catalogServiceMock({ entities });
    const clientFactory = emulatorClients(emulator.url);
    const trails = new DynamoDbLineageTrailProvider({
      catalog,
      auth: mockServices.auth(),
      logger,
      clientFactory,
      defaultRegions: ['us-east-1'],
      configuredAccounts: [],
    });
    const tables = new DynamoDbTableProvider({
      catalog,
      auth: mockServices.auth(),
      logger,
      clientFactory,
    });
    const mutations: EntityProviderMutation[] = [];
    const connection = (): EntityProviderConnection => ({
      applyMutation: jest.fn(async mutation => void mutations.push(mutation)),
      refresh: jest.fn(),
    });
    await trails.connect(connection());
    await tables.connect(connection());
    /** One discovery as the scheduled task runs it. */
    const run = async () => {
      const summary = await trails.refresh();
      emulator.calls.clear();
      return tables.refresh(summary.coverage);
    };
    const lastTables = (): Map<string, Entity> => {
      const last = mutations[mutations.length - 1];
      if (last?.type !== 'full') throw new Error('expected a full mutation');
      return byArn(last.entities);
    };
    return { run, lastTables, logger };
  }

  function byArn(entities: DeferredEntity[]): Map<string, Entity> {
    return new Map(
      entities.map(({ entity }) => [
        entity.metadata.annotations!['dynamodb-lineage/table-arns'],
        entity,
      ]),
    );
  }

  it('emits every table of the covered account-regions, owned by the account owner and depending on the account', async () => {
    const { run, lastTables } = await setup();
    const summary = await run();

    expect(summary).toEqual({ entities: 5, accountRegions: 4, failed: [] });
    const tables = lastTables();
    // Not the analytics account's table (no trail), not the canary tables.
    expect([...tables.keys()].sort()).toEqual(DEMO_COVERED_TABLES);

    expect(tables.get(table('111111111111', 'us-east-1', 'payments'))).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: '111111111111-us-east-1-payments',
        title: 'payments',
        description:
          'DynamoDB table in AWS account aws-payments-prod (111111111111), region us-east-1.',
        annotations: {
          'backstage.io/managed-by-location': `dynamodb-lineage-tables:${table(
            '111111111111',
            'us-east-1',
            'payments',
          )}`,
          'backstage.io/managed-by-origin-location': `dynamodb-lineage-tables:${table(
            '111111111111',
            'us-east-1',
            'payments',
          )}`,
          'dynamodb-lineage/table-arns': table(
            '111111111111',
            'us-east-1',
            'payments',
          ),
          'aws.amazon.com/account-id': '111111111111',
        },
        links: [
          {
            url: 'https://us-east-1.console.aws.amazon.com/dynamodbv2/home?region=us-east-1#table?name=payments',
            title: 'DynamoDB console',
            type: 'aws-console',
          },
        ],
      },
      spec: {
        type: 'dynamodb-table',
        owner: 'group:default/team-payments',
        dependsOn: ['resource:default/aws-payments-prod'],
      },
    });
    expect(
      tables.get(table('111111111111', 'eu-west-1', 'payments-eu'))?.metadata
        .name,
    ).toBe('111111111111-eu-west-1-payments-eu');
    expect(
      tables.get(table('222222222222', 'us-east-1', 'orders'))?.spec,
    ).toEqual({
      type: 'dynamodb-table',
      owner: 'group:default/team-orders',
      dependsOn: ['resource:default/aws-orders-prod'],
    });
    for (const entity of tables.values()) {
      expect(
        KubernetesValidatorFunctions.isValidObjectName(entity.metadata.name),
      ).toBe(true);
    }
  });

  it('calls only ListTables, once per covered account-region', async () => {
    const { run } = await setup();
    await run();
    const calls = emulator.calls.list();
    expect(new Set(calls.map(call => call.action))).toEqual(
      new Set(['dynamodb:ListTables']),
    );
    expect(
      calls.map(call => `${call.accountId}/${call.region}`).sort(),
    ).toEqual([
      '111111111111/eu-west-1',
      '111111111111/us-east-1',
      '222222222222/us-east-1',
      '333333333333/us-east-1',
    ]);
  });

  it('follows ListTables pages: 146 tables in one account-region take two calls', async () => {
    for (let i = 0; i < 145; i++) {
      await emulatorCall(emulator.url, {
        accountId: '222222222222',
        region: 'us-east-1',
        service: 'dynamodb',
        target: 'CreateTable',
        body: {
          TableName: `bulk-${String(i).padStart(3, '0')}`,
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      });
    }
    const { run, lastTables } = await setup();
    await run();
    const orders = [...lastTables().keys()].filter(arn =>
      arn.includes(':222222222222:'),
    );
    expect(orders).toHaveLength(146);
    expect(
      new Set(orders.map(arn => lastTables().get(arn)?.metadata.name)).size,
    ).toBe(146);
    expect(
      emulator.calls.list({
        accountId: '222222222222',
        action: 'dynamodb:ListTables',
      }),
    ).toHaveLength(2);
  });

  it('drops a deleted table on the next run, and the tables of an account-region that lost its trail', async () => {
    const { run, lastTables } = await setup();
    await run();
    await emulatorCall(emulator.url, {
      accountId: '111111111111',
      region: 'us-east-1',
      service: 'dynamodb',
      target: 'DeleteTable',
      body: { TableName: 'ledger' },
    });
    await emulatorCall(emulator.url, {
      accountId: '222222222222',
      region: 'us-east-1',
      service: 'cloudtrail',
      target: 'DeleteTrail',
      body: { Name: 'orders-trail' },
    });
    await run();
    expect([...lastTables().keys()].sort()).toEqual([
      table('111111111111', 'eu-west-1', 'payments-eu'),
      table('111111111111', 'us-east-1', 'payments'),
      table('333333333333', 'us-east-1', 'inventory'),
    ]);
  });

  it('keeps the last tables of an account-region AWS refuses ListTables for, with a warning', async () => {
    const { run, lastTables, logger } = await setup();
    await run();
    const before = lastTables().get(
      table('333333333333', 'us-east-1', 'inventory'),
    );
    emulator.faults.set({
      accessDenied: [
        { principal: '333333333333', action: 'dynamodb:ListTables' },
      ],
    });
    const summary = await run();
    expect(summary.failed).toEqual([
      {
        accountId: '333333333333',
        region: 'us-east-1',
        error: expect.stringContaining('AccessDenied'),
      },
    ]);
    expect(
      lastTables().get(table('333333333333', 'us-east-1', 'inventory')),
    ).toEqual(before);
    expect(lastTables().size).toBe(5);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/account 333333333333 in us-east-1 .*AccessDenied/),
    );
  });

  it('after a restart keeps the catalog’s tables of an account whose trails AWS refuses', async () => {
    const first = await setup();
    await first.run();
    const emitted = [...first.lastTables().values()];

    emulator.faults.set({
      accessDenied: [{ principal: '333333333333', action: 'cloudtrail:*' }],
    });
    const restarted = await setup([...demoAccountEntities(), ...emitted]);
    await restarted.run();
    const tables = restarted.lastTables();
    expect([...tables.keys()].sort()).toEqual(DEMO_COVERED_TABLES);
    expect(tables.get(table('333333333333', 'us-east-1', 'inventory'))).toEqual(
      emitted.find(e => e.metadata.title === 'inventory'),
    );
    // Its trails are unknown, so its tables were not listed either.
    expect(emulator.calls.list({ accountId: '333333333333' })).toEqual([]);
  });

  it('refuses to refresh before the catalog connected it', async () => {
    const tables = new DynamoDbTableProvider({
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      clientFactory: emulatorClients(emulator.url),
    });
    await expect(
      tables.refresh({ covered: [], unknownAccounts: [] }),
    ).rejects.toThrow(/not connected/);
  });
});
