import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AwsClientFactory } from '@lineage/plugin-dynamodb-lineage-node';
import knexFactory, { Knex } from 'knex';
import { demoEntities } from '../__testUtils__/demoCatalog';
import { LineageCatalog } from '../catalog/LineageCatalog';
import { DatabaseStore } from '../store/DatabaseStore';
import {
  DefaultLineageStatusService,
  TableLister,
} from './DefaultLineageStatusService';

describe('DefaultLineageStatusService tables', () => {
  let knex: Knex;
  beforeEach(() => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });
  afterEach(() => knex.destroy());

  async function service(listTables: TableLister) {
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
    return new DefaultLineageStatusService({
      catalog,
      store,
      aws: { forAccount: jest.fn() } as unknown as AwsClientFactory,
      listTables,
      provisioning: { authorize: jest.fn() },
      lineageByteBudget: 1024,
    });
  }

  const credentials = mockCredentials.user('user:default/alice');

  it('lists the tables of an account from the catalog or from config', async () => {
    const listTables = jest.fn(
      async (_aws: AwsClientFactory, accountId: string, region: string) => [
        `arn:aws:dynamodb:${region}:${accountId}:table/one`,
      ],
    );
    const subject = await service(listTables);
    await expect(
      subject.listTables('111111111111', 'eu-west-1', credentials),
    ).resolves.toEqual(['arn:aws:dynamodb:eu-west-1:111111111111:table/one']);
    await expect(
      subject.listTables('555555555555', 'us-west-2', credentials),
    ).resolves.toHaveLength(1);
    expect(listTables).toHaveBeenCalledTimes(2);
  });

  it('answers 503 with the reason when AWS does not answer', async () => {
    const refused = Object.assign(
      new Error('User is not authorized to perform dynamodb:ListTables'),
      {
        name: 'AccessDeniedException',
      },
    );
    const subject = await service(async () => {
      throw refused;
    });
    const error = await subject
      .listTables('111111111111', 'us-east-1', credentials)
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain(
      'AccessDeniedException: User is not authorized',
    );
    expect(error.message).toContain('111111111111/us-east-1');
  });

  it('does not ask AWS about an account the caller cannot see', async () => {
    const listTables = jest.fn();
    const subject = await service(listTables);
    await expect(
      subject.listTables('999999999999', 'us-east-1', credentials),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(listTables).not.toHaveBeenCalled();
  });
});
