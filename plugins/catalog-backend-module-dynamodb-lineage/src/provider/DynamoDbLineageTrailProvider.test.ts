import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
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
import {
  DynamoDbLineageTrailProvider,
  DynamoDbLineageTrailProviderOptions,
} from './DynamoDbLineageTrailProvider';

const PAYMENTS_TRAIL =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';
const ORDERS_TRAIL =
  'arn:aws:cloudtrail:us-east-1:222222222222:trail/orders-trail';
const INVENTORY_TRAIL =
  'arn:aws:cloudtrail:us-east-1:333333333333:trail/inventory-trail';

describe('DynamoDbLineageTrailProvider against the emulator (demo seed)', () => {
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

  function setup(
    options: {
      entities?: Entity[];
      configuredAccounts?: {
        accountId: string;
        regions: string[];
        owner?: string;
      }[];
    } & Pick<
      DynamoDbLineageTrailProviderOptions,
      'schedule' | 'afterRefresh'
    > = {},
  ) {
    const logger = mockServices.logger.mock();
    const mutations: EntityProviderMutation[] = [];
    const connection: EntityProviderConnection = {
      applyMutation: jest.fn(async mutation => void mutations.push(mutation)),
      refresh: jest.fn(),
    };
    const provider = new DynamoDbLineageTrailProvider({
      catalog: catalogServiceMock({
        entities: options.entities ?? demoAccountEntities(),
      }),
      auth: mockServices.auth(),
      logger,
      clientFactory: emulatorClients(emulator.url),
      defaultRegions: ['us-east-1'],
      configuredAccounts: options.configuredAccounts ?? [],
      schedule: options.schedule,
      afterRefresh: options.afterRefresh,
    });
    return { provider, connection, mutations, logger };
  }

  function lastEntities(mutations: EntityProviderMutation[]): DeferredEntity[] {
    const last = mutations[mutations.length - 1];
    if (last?.type !== 'full') throw new Error('expected a full mutation');
    return last.entities;
  }

  function byArn(entities: DeferredEntity[]): Map<string, Entity> {
    return new Map(
      entities.map(({ entity }) => [
        entity.metadata.annotations!['dynamodb-lineage/trail-arn'],
        entity,
      ]),
    );
  }

  it('emits the payments, orders and inventory trails with their owners and accounts; analytics has none', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    const summary = await provider.refresh();

    expect(summary).toEqual({
      entities: 3,
      accounts: 4,
      failedAccounts: [],
      // What the provision action links to right after creating a trail.
      trails: [
        {
          arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
          entityRef: 'resource:default/111111111111-us-east-1-dynamodb-lineage',
        },
        {
          arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/orders-trail',
          entityRef: 'resource:default/222222222222-us-east-1-orders-trail',
        },
        {
          arn: 'arn:aws:cloudtrail:us-east-1:333333333333:trail/inventory-trail',
          entityRef: 'resource:default/333333333333-us-east-1-inventory-trail',
        },
      ],
      coverage: { covered: expect.any(Array), unknownAccounts: [] },
    });
    // Where the tables are listed: analytics has no trail.
    expect(
      summary.coverage.covered.map(
        c => `${c.account.accountId}/${c.region} ${c.trailArns.join()}`,
      ),
    ).toEqual([
      `111111111111/eu-west-1 ${PAYMENTS_TRAIL}`,
      `111111111111/us-east-1 ${PAYMENTS_TRAIL}`,
      `222222222222/us-east-1 ${ORDERS_TRAIL}`,
      `333333333333/us-east-1 ${INVENTORY_TRAIL}`,
    ]);
    expect(mutations).toHaveLength(1);
    const trails = byArn(lastEntities(mutations));
    expect([...trails.keys()].sort()).toEqual([
      PAYMENTS_TRAIL,
      ORDERS_TRAIL,
      INVENTORY_TRAIL,
    ]);

    expect(trails.get(PAYMENTS_TRAIL)).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: '111111111111-us-east-1-dynamodb-lineage',
        annotations: {
          'dynamodb-lineage/bucket': 'payments-cloudtrail-logs-111111111111',
          'dynamodb-lineage/home-region': 'us-east-1',
          'aws.amazon.com/account-id': '111111111111',
          'backstage.io/managed-by-location': `dynamodb-lineage-trails:${PAYMENTS_TRAIL}`,
        },
      },
      spec: {
        type: 'cloudtrail-trail',
        owner: 'group:default/team-payments',
        dependsOn: ['resource:default/aws-payments-prod'],
      },
    });
    expect(trails.get(ORDERS_TRAIL)?.spec).toEqual({
      type: 'cloudtrail-trail',
      owner: 'group:default/team-orders',
      dependsOn: ['resource:default/aws-orders-prod'],
    });
    expect(trails.get(INVENTORY_TRAIL)?.spec).toEqual({
      type: 'cloudtrail-trail',
      owner: 'group:default/team-inventory',
      dependsOn: ['resource:default/aws-inventory-prod'],
    });
    const dependencies = [...trails.values()].flatMap(
      e => e.spec?.dependsOn as string[],
    );
    expect(dependencies).not.toContain('resource:default/aws-analytics-prod');
  });

  it('looks in every listed region once and keeps one entity for the multi-region payments trail', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.refresh();

    const describes = emulator.calls
      .list({ action: 'cloudtrail:DescribeTrails' })
      .map(call => `${call.accountId}/${call.region}`)
      .sort();
    expect(describes).toEqual([
      '111111111111/eu-west-1',
      '111111111111/us-east-1',
      '222222222222/us-east-1',
      '333333333333/us-east-1',
      '444444444444/us-east-1',
    ]);
    const payments = lastEntities(mutations).filter(
      e =>
        e.entity.metadata.annotations?.['aws.amazon.com/account-id'] ===
        '111111111111',
    );
    expect(payments).toHaveLength(1);
    // Entities need trails and tags only: no status, selectors, buckets or logs.
    expect(new Set(emulator.calls.list().map(call => call.action))).toEqual(
      new Set(['cloudtrail:DescribeTrails', 'cloudtrail:ListTags']),
    );
  });

  it('takes the owner from the trail tag over the account owner', async () => {
    const { provider, connection, mutations } = setup({
      entities: demoAccountEntities({
        '111111111111': 'group:default/platform',
      }),
    });
    await provider.connect(connection);
    await provider.refresh();
    expect(
      byArn(lastEntities(mutations)).get(PAYMENTS_TRAIL)?.spec?.owner,
    ).toBe('group:default/team-payments');
  });

  it("reads the owner tag in the home region when the account's regions list only shadows of its trail", async () => {
    const entities = demoAccountEntities({
      '111111111111': 'group:default/platform',
    });
    entities[0].metadata.annotations!['dynamodb-lineage/regions'] = 'eu-west-1';
    const { provider, connection, mutations } = setup({ entities });
    await provider.connect(connection);
    await provider.refresh();

    const payments = byArn(lastEntities(mutations)).get(PAYMENTS_TRAIL);
    expect(payments?.spec?.owner).toBe('group:default/team-payments');
    expect(
      emulator.calls
        .list({ accountId: '111111111111', action: 'cloudtrail:ListTags' })
        .map(call => call.region),
    ).toEqual(['us-east-1']);
  });

  it('drops a deleted trail on the next run with a full mutation', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.refresh();
    expect(byArn(lastEntities(mutations)).has(ORDERS_TRAIL)).toBe(true);

    await emulatorCall(emulator.url, {
      accountId: '222222222222',
      region: 'us-east-1',
      service: 'cloudtrail',
      target: 'DeleteTrail',
      body: { Name: 'orders-trail' },
    });
    await provider.refresh();

    expect(mutations).toHaveLength(2);
    expect(mutations[1].type).toBe('full');
    expect([...byArn(lastEntities(mutations)).keys()].sort()).toEqual([
      PAYMENTS_TRAIL,
      INVENTORY_TRAIL,
    ]);
  });

  it('keeps the last entities of an account AWS refuses, with a warning, while the others refresh', async () => {
    const { provider, connection, mutations, logger } = setup();
    await provider.connect(connection);
    await provider.refresh();
    const before = byArn(lastEntities(mutations)).get(INVENTORY_TRAIL);

    emulator.faults.set({
      accessDenied: [
        { principal: '333333333333', action: 'cloudtrail:DescribeTrails' },
      ],
    });
    await emulatorCall(emulator.url, {
      accountId: '222222222222',
      region: 'us-east-1',
      service: 'cloudtrail',
      target: 'DeleteTrail',
      body: { Name: 'orders-trail' },
    });
    const summary = await provider.refresh();

    expect(summary.failedAccounts).toEqual([
      {
        accountId: '333333333333',
        error: expect.stringContaining('AccessDenied'),
      },
    ]);
    const trails = byArn(lastEntities(mutations));
    expect(trails.get(INVENTORY_TRAIL)).toEqual(before);
    expect(trails.has(ORDERS_TRAIL)).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/account 333333333333 .*AccessDenied/),
    );
  });

  it('after a restart keeps the entities the catalog already has for a refused account', async () => {
    const first = setup();
    await first.provider.connect(first.connection);
    await first.provider.refresh();
    const emitted = lastEntities(first.mutations).map(e => e.entity);

    emulator.faults.set({
      accessDenied: [{ principal: '333333333333', action: 'cloudtrail:*' }],
    });
    const restarted = setup({
      entities: [...demoAccountEntities(), ...emitted],
    });
    await restarted.provider.connect(restarted.connection);
    await restarted.provider.refresh();

    const trails = byArn(lastEntities(restarted.mutations));
    expect([...trails.keys()].sort()).toEqual([
      PAYMENTS_TRAIL,
      ORDERS_TRAIL,
      INVENTORY_TRAIL,
    ]);
    expect(trails.get(INVENTORY_TRAIL)).toEqual(
      emitted.find(
        e =>
          e.metadata.annotations?.['dynamodb-lineage/trail-arn'] ===
          INVENTORY_TRAIL,
      ),
    );
  });

  it('uses config-listed accounts when the catalog has no entity for them', async () => {
    const { provider, connection, mutations } = setup({
      entities: demoAccountEntities().filter(
        e => e.metadata.name !== 'aws-orders-prod',
      ),
      configuredAccounts: [
        {
          accountId: '222222222222',
          regions: ['us-east-1'],
          owner: 'group:default/ops',
        },
        { accountId: '111111111111', regions: ['ap-south-1'] },
      ],
    });
    await provider.connect(connection);
    await provider.refresh();

    const orders = byArn(lastEntities(mutations)).get(ORDERS_TRAIL);
    expect(orders?.spec).toEqual({
      type: 'cloudtrail-trail',
      owner: 'group:default/team-orders',
    });
    // The catalog entity of 111111111111 wins over its config entry.
    expect(
      emulator.calls
        .list({
          accountId: '111111111111',
          action: 'cloudtrail:DescribeTrails',
        })
        .map(call => call.region)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('emits an organization trail seen only from a member account once, depending on that member', async () => {
    const orgEmulator = await startEmulator({
      port: 0,
      seed: 'demo',
      organizations: [
        {
          id: 'o-lineage0001',
          managementAccountId: '111111111111',
          memberAccountIds: ['333333333333', '444444444444'],
        },
      ],
    });
    try {
      await makeOrganizationTrail(orgEmulator.url);
      const { connection, mutations } = setup();
      const provider = new DynamoDbLineageTrailProvider({
        catalog: catalogServiceMock({
          // The management account is not in the catalog.
          entities: demoAccountEntities().filter(
            e => e.metadata.name !== 'aws-payments-prod',
          ),
        }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        clientFactory: emulatorClients(orgEmulator.url),
        defaultRegions: ['us-east-1'],
        configuredAccounts: [],
      });
      await provider.connect(connection);
      await provider.refresh();

      const entities = lastEntities(mutations).filter(
        e =>
          e.entity.metadata.annotations?.['dynamodb-lineage/trail-arn'] ===
          PAYMENTS_TRAIL,
      );
      expect(entities).toHaveLength(1);
      expect(entities[0].entity.spec).toEqual({
        type: 'cloudtrail-trail',
        // Tags of a shadow trail are not readable from a member: the member's owner.
        owner: 'group:default/team-inventory',
        dependsOn: [
          'resource:default/aws-inventory-prod',
          'resource:default/aws-analytics-prod',
        ],
      });
      expect(entities[0].entity.metadata.description).toContain(
        'organization trail',
      );
    } finally {
      await orgEmulator.stop();
    }
  });

  it('applies nothing when the account entities cannot be read', async () => {
    const { connection } = setup();
    const provider = new DynamoDbLineageTrailProvider({
      catalog: catalogServiceMock.mock({
        getEntities: jest
          .fn()
          .mockRejectedValue(new Error('catalog unavailable')),
      }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      clientFactory: emulatorClients(emulator.url),
      defaultRegions: ['us-east-1'],
      configuredAccounts: [],
    });
    await provider.connect(connection);
    await expect(provider.refresh()).rejects.toThrow('catalog unavailable');
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });

  it('hands each scheduled discovery to afterRefresh, and logs its failure without failing the task', async () => {
    const tasks: (() => Promise<void>)[] = [];
    const afterRefresh = jest
      .fn()
      .mockRejectedValueOnce(new Error('tables unavailable'))
      .mockResolvedValue(undefined);
    const { provider, connection, logger } = setup({
      schedule: { run: async task => void tasks.push(task.fn as any) },
      afterRefresh,
    });
    await provider.connect(connection);
    expect(tasks).toHaveLength(1);

    await expect(tasks[0]()).resolves.toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith(
      'Work after CloudTrail trail discovery failed',
      expect.objectContaining({ message: 'tables unavailable' }),
    );
    await tasks[0]();
    expect(afterRefresh).toHaveBeenCalledTimes(2);
    expect(afterRefresh.mock.calls[1][0]).toMatchObject({
      entities: 3,
      coverage: { unknownAccounts: [] },
    });
    expect(afterRefresh.mock.calls[1][0].coverage.covered).toHaveLength(4);
  });

  it('refuses to refresh before the catalog connected it', async () => {
    const { provider } = setup();
    await expect(provider.refresh()).rejects.toThrow(/not connected/);
  });
});

/**
 * Turns the payments trail into an organization trail: the bucket policy must
 * first let CloudTrail write under the organization's log prefix.
 */
async function makeOrganizationTrail(url: string) {
  const bucket = 'payments-cloudtrail-logs-111111111111';
  await emulatorCall(url, {
    accountId: '111111111111',
    region: 'us-east-1',
    service: 's3',
    method: 'PUT',
    path: `/${bucket}?policy`,
    body: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: `arn:aws:s3:::${bucket}`,
        },
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: [
            `arn:aws:s3:::${bucket}/AWSLogs/111111111111/*`,
            `arn:aws:s3:::${bucket}/AWSLogs/o-lineage0001/*`,
          ],
          Condition: {
            StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
          },
        },
      ],
    },
  });
  await emulatorCall(url, {
    accountId: '111111111111',
    region: 'us-east-1',
    service: 'cloudtrail',
    target: 'UpdateTrail',
    body: { Name: 'dynamodb-lineage', IsOrganizationTrail: true },
  });
}
