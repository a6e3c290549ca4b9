import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  DefaultAwsClientFactory,
  plannedAthenaTable,
  renderTerraform,
} from '@lineage/plugin-dynamodb-lineage-node';
import knexFactory, { Knex } from 'knex';
import {
  LEDGER_TABLE,
  PAYMENTS_EU_TABLE,
  PAYMENTS_TABLE,
  demoEntities,
} from '../__testUtils__/demoCatalog';
import { dynamoDbCall } from '../__testUtils__/emulatorCalls';
import { LineageCatalog } from '../catalog/LineageCatalog';
import { DatabaseStore } from '../store/DatabaseStore';
import {
  AwsLineageService,
  AwsLineageServiceOptions,
} from './AwsLineageService';
import { defaultTableLister } from './tables';
import { planBodySchema } from './validation';

jest.setTimeout(60_000);

describe('AwsLineageService tables, against the emulated demo world', () => {
  let emulator: RunningEmulator;
  let knex: Knex;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'none' });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    await emulator.seed('demo');
    emulator.faults.clear();
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });
  afterEach(() => knex.destroy());

  /** The service as the plugin wires it, with AWS behind the emulator. */
  async function service(
    options: Partial<
      Pick<AwsLineageServiceOptions, 'provisioning' | 'athenaDatabaseFor'>
    > = {},
  ) {
    const store = await DatabaseStore.create({
      database: { getClient: async () => knex },
    });
    const catalog = new LineageCatalog(
      catalogServiceMock({ entities: demoEntities() }),
      {
        defaultRegions: ['us-east-1'],
        configuredAccounts: [
          { accountId: '555555555555', regions: ['us-west-2'] },
        ],
      },
    );
    const aws = DefaultAwsClientFactory.fromCredentials(
      accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
      { endpoint: emulator.url, maxAttempts: 1 },
    );
    return new AwsLineageService({
      catalog,
      store,
      aws,
      listTables: defaultTableLister,
      provisioning: {
        authorize: async () => {
          throw new Error('listing tables does not plan provisioning');
        },
      },
      lineageByteBudget: 1024,
      ...options,
    });
  }

  const credentials = mockCredentials.user('user:default/alice');

  function listTableCalls() {
    return emulator.calls.list({ action: 'dynamodb:ListTables' });
  }

  it('lists the tables AWS holds in an account of the catalog, per region', async () => {
    const subject = await service();
    await expect(
      subject.listTables('111111111111', 'us-east-1', credentials),
    ).resolves.toEqual([LEDGER_TABLE, PAYMENTS_TABLE]);
    await expect(
      subject.listTables('111111111111', 'eu-west-1', credentials),
    ).resolves.toEqual([PAYMENTS_EU_TABLE]);
  });

  it('lists the tables of an account known only from config', async () => {
    await dynamoDbCall(
      emulator.url,
      '555555555555',
      'CreateTable',
      {
        TableName: 'sessions',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
      'us-west-2',
    );
    const subject = await service();
    await expect(
      subject.listTables('555555555555', 'us-west-2', credentials),
    ).resolves.toEqual([
      'arn:aws:dynamodb:us-west-2:555555555555:table/sessions',
    ]);
  });

  it('answers 503 naming AWS’s refusal and the account-region when AWS refuses', async () => {
    emulator.faults.set({
      accessDenied: [
        { principal: '111111111111', action: 'dynamodb:ListTables' },
      ],
    });
    const subject = await service();
    const error = await subject
      .listTables('111111111111', 'us-east-1', credentials)
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(/AccessDenied/);
    expect(error.message).toContain('111111111111/us-east-1');
    // AWS was asked, and refused.
    const calls = listTableCalls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every(c => /AccessDenied/.test(c.outcome))).toBe(true);
  });

  it('does not ask AWS about an account the caller cannot see', async () => {
    await dynamoDbCall(emulator.url, '999999999999', 'CreateTable', {
      TableName: 'secret',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    emulator.calls.clear();
    const subject = await service();
    await expect(
      subject.listTables('999999999999', 'us-east-1', credentials),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(listTableCalls()).toEqual([]);
  });

  it('names the Athena CloudTrail table and its DDL in the plan of an account with Athena forensics', async () => {
    const subject = await service({
      provisioning: { authorize: async () => [] },
      athenaDatabaseFor: accountId =>
        accountId === '111111111111' ? 'forensics_db' : undefined,
    });
    const input = planBodySchema.parse({
      accountId: '111111111111',
      region: 'us-east-1',
      owner: 'group:default/team-payments',
    });
    const plan = await subject.plan(input, credentials);
    expect(plan.athenaTable).toEqual(
      plannedAthenaTable(plan.spec, 'forensics_db'),
    );
    expect(plan.athenaTable?.ddl).toMatch(
      /^CREATE EXTERNAL TABLE IF NOT EXISTS `forensics_db`\./,
    );
    // The Terraform export of the same spec declares the same table.
    expect(
      renderTerraform(plan.spec, { athena: { database: 'forensics_db' } })[
        'main.tf'
      ],
    ).toContain(`"${plan.athenaTable?.name}"`);
    // Informational: apply has no step for it.
    expect(plan.changes.map(c => c.resource)).not.toContain('athena-table');

    const other = await subject.plan(
      { ...input, accountId: '222222222222' },
      credentials,
    );
    expect(other.athenaTable).toBeUndefined();
  });
});
