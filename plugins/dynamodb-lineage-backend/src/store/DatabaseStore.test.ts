import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  AccountRegionStatus,
  runChecks,
  TeamStatus,
  TrailDescription,
  TrailHealth,
} from '@lineage/plugin-dynamodb-lineage-common';
import { DatabaseStore } from './DatabaseStore';
import { StoredAccountRegion, StoredTrail } from './LineageStore';

jest.setTimeout(60_000);

const trailArn =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';

function health(checkedAt: string, status: TrailHealth['status']): TrailHealth {
  return {
    trail: {
      arn: trailArn,
      name: 'dynamodb-lineage',
      accountId: '111111111111',
      homeRegion: 'us-east-1',
      bucket: 'dynamodb-lineage-111111111111-us-east-1',
    },
    status,
    checks: [],
    checkedAt,
    latestDeliveryTime: new Date(
      Date.parse(checkedAt) - 6 * 60000,
    ).toISOString(),
  };
}

const description: TrailDescription = {
  name: 'dynamodb-lineage',
  arn: trailArn,
  accountId: '111111111111',
  homeRegion: 'us-east-1',
  s3BucketName: 'dynamodb-lineage-111111111111-us-east-1',
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  isOrganizationTrail: false,
  logFileValidationEnabled: true,
};

function stored(checkedAt: string, status: TrailHealth['status']): StoredTrail {
  return {
    health: health(checkedAt, status),
    description,
    selectors: {
      advanced: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          ],
        },
      ],
    },
  };
}

function accountRegionStatus(
  accountId: string,
  region: string,
  status: AccountRegionStatus['status'],
): AccountRegionStatus {
  return {
    accountId,
    region,
    status,
    checks: [],
    checkedAt: '2026-01-01T00:00:00.000Z',
  };
}

function accountRegion(
  accountId: string,
  region: string,
  status: AccountRegionStatus['status'],
): StoredAccountRegion {
  return {
    status: accountRegionStatus(accountId, region, status),
    trails: [{ arn: trailArn, status }],
  };
}

function team(
  entityRef: string,
  status: TeamStatus['team']['status'],
): TeamStatus {
  return {
    team: {
      entityRef,
      title: entityRef,
      status,
      accountRegions: 1,
      coveredAccountRegions: status === 'healthy' ? 1 : 0,
      accounts: ['111111111111'],
      regions: ['us-east-1'],
    },
    accountRegions: [accountRegionStatus('111111111111', 'us-east-1', status)],
  };
}

describe('DatabaseStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(
    databaseId: TestDatabaseId,
    historyLength?: number,
  ) {
    const knex = await databases.init(databaseId);
    return DatabaseStore.create({
      database: { getClient: async () => knex },
      historyLength,
    });
  }

  it.each(databases.eachSupportedId())(
    'keeps the latest trail health and a bounded history, on %p',
    async databaseId => {
      const store = await createStore(databaseId, 3);
      const times = [0, 1, 2, 3, 4].map(i =>
        new Date(Date.UTC(2026, 0, 1, 0, i * 5)).toISOString(),
      );
      for (const [i, checkedAt] of times.entries()) {
        await store.saveTrails([
          stored(checkedAt, i === 4 ? 'failing' : 'healthy'),
        ]);
      }

      expect(await store.listTrails()).toEqual([
        await store.getTrail(trailArn),
      ]);
      const latest = await store.getTrail(trailArn);
      expect(latest?.health.status).toBe('failing');
      expect(latest?.health.checkedAt).toBe(times[4]);
      expect(latest?.description).toEqual(description);
      expect(latest?.selectors?.advanced?.[0].FieldSelectors).toHaveLength(2);
      expect(
        await store.getTrails([
          trailArn,
          trailArn,
          'arn:aws:cloudtrail:us-east-1:1:trail/x',
        ]),
      ).toHaveLength(1);

      const history = await store.getTrailHistory(trailArn);
      expect(history.map(p => p.checkedAt)).toEqual(times.slice(2));
      expect(history.map(p => p.status)).toEqual([
        'healthy',
        'healthy',
        'failing',
      ]);
      expect(history[0].deliveryAgeMinutes).toBe(6);

      expect(
        await store.getTrail('arn:aws:cloudtrail:us-east-1:1:trail/none'),
      ).toBeUndefined();
      expect(
        await store.getTrailHistory(
          'arn:aws:cloudtrail:us-east-1:1:trail/none',
        ),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps check results whole: plain evidence, raw details, commands and policies, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const checkedAt = '2026-01-01T01:00:00.000Z';
      const checks = runChecks(
        {
          trail: {
            trail: description,
            observedFrom: { accountId: '111111111111', region: 'us-east-1' },
            status: {
              ok: true,
              value: {
                isLogging: false,
                stopLoggingTime: '2026-01-01T00:10:00.000Z',
              },
            },
            eventSelectors: {
              ok: true,
              value: stored(checkedAt, 'failing').selectors!,
            },
            insightTypes: { ok: true, value: [] },
            tags: { ok: true, value: {} },
          },
        },
        {
          scope: { accountId: '111111111111', region: 'us-east-1' },
          now: new Date(checkedAt),
        },
      );
      const logging = checks.find(c => c.id === 'trail.logging')!;
      expect(logging.details).toContainEqual({
        label: 'StopLoggingTime',
        value: '2026-01-01T00:10:00.000Z',
      });
      expect(logging.remediation?.commands).toHaveLength(1);

      const trail = stored(checkedAt, 'failing');
      trail.health.checks = checks;
      await store.saveTrails([trail]);
      const region = accountRegion('111111111111', 'us-east-1', 'failing');
      region.status.checks = checks;
      await store.saveAccountRegions([region]);

      expect((await store.getTrail(trailArn))?.health.checks).toEqual(checks);
      const [found] = await store.getAccountRegions([
        { accountId: '111111111111', region: 'us-east-1' },
      ]);
      expect(found.status.checks).toEqual(checks);
    },
  );

  it.each(databases.eachSupportedId())(
    'upserts account-region statuses and finds them by key, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.saveAccountRegions([
        accountRegion('111111111111', 'us-east-1', 'healthy'),
        accountRegion('111111111111', 'eu-west-1', 'healthy'),
        accountRegion('222222222222', 'us-east-1', 'degraded'),
      ]);
      await store.saveAccountRegions([
        accountRegion('222222222222', 'us-east-1', 'failing'),
      ]);

      const found = await store.getAccountRegions([
        { accountId: '222222222222', region: 'us-east-1' },
        { accountId: '111111111111', region: 'eu-west-1' },
        { accountId: '333333333333', region: 'us-east-1' },
      ]);
      expect(
        found
          .map(
            s => `${s.status.accountId}/${s.status.region}=${s.status.status}`,
          )
          .sort(),
      ).toEqual([
        '111111111111/eu-west-1=healthy',
        '222222222222/us-east-1=failing',
      ]);
      expect(found[0].trails).toEqual([
        { arn: trailArn, status: found[0].status.status },
      ]);

      expect(await store.getAccountRegions([])).toEqual([]);
      expect(
        (await store.listAccountRegions()).map(
          s => `${s.status.accountId}/${s.status.region}=${s.status.status}`,
        ),
      ).toEqual([
        '111111111111/eu-west-1=healthy',
        '111111111111/us-east-1=healthy',
        '222222222222/us-east-1=failing',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'replaces the team snapshot as a whole, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      expect(await store.getTeamSummaries()).toEqual({ teams: [] });

      await store.replaceTeams(
        [
          team('group:default/team-b', 'failing'),
          team('group:default/team-a', 'healthy'),
        ],
        '2026-01-01T00:00:00.000Z',
      );
      await store.replaceTeams(
        [
          team('group:default/team-a', 'degraded'),
          team('group:default/team-c', 'unknown'),
        ],
        '2026-01-01T00:05:00.000Z',
      );

      const { teams, refreshedAt } = await store.getTeamSummaries();
      expect(refreshedAt).toBe('2026-01-01T00:05:00.000Z');
      expect(teams.map(t => `${t.entityRef}=${t.status}`)).toEqual([
        'group:default/team-a=degraded',
        'group:default/team-c=unknown',
      ]);
      expect(
        (await store.getTeam('group:default/team-a'))?.accountRegions,
      ).toHaveLength(1);
      expect(await store.getTeam('group:default/team-b')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'stores a thousand teams in one snapshot, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const many = Array.from({ length: 1000 }, (_, i) =>
        team(`group:default/team-${String(i).padStart(4, '0')}`, 'healthy'),
      );
      await store.replaceTeams(many, '2026-01-01T00:00:00.000Z');
      const { teams } = await store.getTeamSummaries();
      expect(teams).toHaveLength(1000);
      expect(teams[999].entityRef).toBe('group:default/team-0999');
    },
  );

  it.each(databases.eachSupportedId())(
    'records canary calls, their arrival per trail, and forgets them after the retention, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const region = { accountId: '111111111111', region: 'us-east-1' };
      const otherTrail =
        'arn:aws:cloudtrail:us-east-1:111111111111:trail/other';
      await store.recordCanaryCall({
        ...region,
        requestId: 'R1',
        calledAt: '2026-01-01T00:00:00.000Z',
      });
      await store.recordCanaryCall({
        ...region,
        requestId: 'R2',
        calledAt: '2026-01-01T00:05:00.000Z',
      });
      await store.recordCanaryCall({
        accountId: '111111111111',
        region: 'eu-west-1',
        requestId: 'R3',
        calledAt: '2026-01-01T00:05:00.000Z',
      });
      const arrival = {
        requestId: 'R1',
        eventId: 'e-1',
        eventTime: '2026-01-01T00:00:00.000Z',
        deliveredAt: '2026-01-01T00:06:00.000Z',
      };
      // Seen twice (the same files read again), and a call this backend never made.
      await store.recordCanaryArrivals(trailArn, [
        arrival,
        { ...arrival, deliveredAt: '2026-01-01T00:09:00.000Z' },
        { ...arrival, requestId: 'not-ours' },
      ]);
      await store.recordCanaryArrivals(trailArn, [arrival]);

      const since = '2025-12-31T00:00:00.000Z';
      expect(
        await store.getCanaryCalls({ ...region, trailArn, since }),
      ).toEqual([
        { requestId: 'R2', calledAt: '2026-01-01T00:05:00.000Z' },
        {
          requestId: 'R1',
          calledAt: '2026-01-01T00:00:00.000Z',
          eventTime: '2026-01-01T00:00:00.000Z',
          deliveredAt: '2026-01-01T00:06:00.000Z',
        },
      ]);
      // Another trail reaching the same account-region has not captured it.
      expect(
        (
          await store.getCanaryCalls({ ...region, trailArn: otherTrail, since })
        ).map(c => c.eventTime),
      ).toEqual([undefined, undefined]);
      expect(
        await store.getCanaryCalls({
          ...region,
          trailArn,
          since: '2026-01-01T00:01:00.000Z',
        }),
      ).toEqual([{ requestId: 'R2', calledAt: '2026-01-01T00:05:00.000Z' }]);

      await store.pruneCanaryCalls('2026-01-01T00:01:00.000Z');
      expect(
        (await store.getCanaryCalls({ ...region, trailArn, since })).map(
          c => c.requestId,
        ),
      ).toEqual(['R2']);
      // The arrival went with its call: a call recorded again starts unseen.
      await store.recordCanaryCall({
        ...region,
        requestId: 'R1',
        calledAt: '2026-01-01T00:10:00.000Z',
      });
      expect(
        (await store.getCanaryCalls({ ...region, trailArn, since }))[0],
      ).toEqual({ requestId: 'R1', calledAt: '2026-01-01T00:10:00.000Z' });
    },
  );
});
