import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AccountRegionStatus,
  OverallStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import knexFactory, { Knex } from 'knex';
import { PAYMENTS, demoEntities } from '../__testUtils__/demoCatalog';
import { LineageCatalog } from '../catalog/LineageCatalog';
import { composeTeamStatus } from '../status/teams';
import { DatabaseStore } from '../store/DatabaseStore';
import { DefaultLineageStatusService } from './DefaultLineageStatusService';

const PAYMENTS_ACCOUNT = '111111111111';

function accountRegion(
  region: string,
  status: OverallStatus,
): AccountRegionStatus {
  return {
    accountId: PAYMENTS_ACCOUNT,
    region,
    status,
    checks: [],
    reason: `${region} is ${status}`,
    checkedAt: '2025-06-01T12:00:00.000Z',
  };
}

describe('DefaultLineageStatusService team status', () => {
  let knex: Knex;
  let store: DatabaseStore;

  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    store = await DatabaseStore.create({
      database: { getClient: async () => knex },
    });
  });
  afterEach(() => knex.destroy());

  function service(catalog = catalogServiceMock({ entities: demoEntities() })) {
    return new DefaultLineageStatusService({
      catalog: new LineageCatalog(catalog, {
        defaultRegions: ['us-east-1'],
        configuredAccounts: [],
      }),
      store,
    });
  }

  /** What a refresh stores: the team snapshot beside the account-region rows. */
  async function refreshed(statuses: AccountRegionStatus[]) {
    const byKey = new Map(statuses.map(s => [`${s.accountId}/${s.region}`, s]));
    const snapshot = composeTeamStatus(
      {
        entityRef: PAYMENTS,
        title: 'Payments',
        accounts: [
          {
            accountId: PAYMENTS_ACCOUNT,
            entityRef: 'resource:default/aws-payments-prod',
            owner: PAYMENTS,
            regions: ['us-east-1', 'eu-west-1'],
            title: 'aws-payments-prod',
          },
        ],
        declarations: [],
      },
      byKey,
    );
    await store.saveAccountRegions(
      statuses.map(status => ({ status, trails: [] })),
    );
    await store.replaceTeams([snapshot], '2025-06-01T12:00:00.000Z');
    return snapshot;
  }

  it('answers with the snapshot of the last refresh, the one the overview lists', async () => {
    const snapshot = await refreshed([
      accountRegion('us-east-1', 'healthy'),
      accountRegion('eu-west-1', 'degraded'),
    ]);
    // A later per-account write does not change what the team shows until
    // the teams are stored again.
    await store.saveAccountRegions([
      { status: accountRegion('eu-west-1', 'failing'), trails: [] },
    ]);
    const caller = mockCredentials.user('user:default/alice');

    const team = await service().getTeamStatus(PAYMENTS, caller);
    expect(team).toEqual(snapshot);
    expect(team.team.status).toBe('degraded');
    const overview = await service().getTeamsOverview(caller);
    expect(overview.teams).toEqual([team.team]);
  });

  it('leaves out the account-regions of accounts the caller may not read', async () => {
    await refreshed([
      accountRegion('us-east-1', 'healthy'),
      accountRegion('eu-west-1', 'failing'),
    ]);
    // The caller reads the team, but nothing it owns: neither its account nor its components.
    const readable = catalogServiceMock({
      entities: demoEntities().filter(e => e.spec?.owner !== PAYMENTS),
    });

    const team = await service(readable).getTeamStatus(
      PAYMENTS,
      mockCredentials.user('user:default/mallory'),
    );
    expect(team.accountRegions).toEqual([]);
    expect(team.team).toMatchObject({ accountRegions: 0, accounts: [] });
  });
});
