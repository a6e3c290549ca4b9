import type {
  AccountRegionStatus,
  CheckId,
  CheckSeverity,
  CheckStatus,
  HealthCheckResult,
  TrailRef,
} from './types';
import { CHECK_DEFINITIONS, CHECK_ORDER } from './checks/definitions';
import {
  checkHeadline,
  buildTeamsOverview,
  countStatuses,
  deriveAccountRegionStatus,
  deriveTeamStatus,
  deriveTrailStatus,
  pendingFirstDelivery,
  rankTrailCandidates,
  reasonWithoutRegion,
  summarizeTeam,
  worstStatus,
} from './status';

const check = (
  id: CheckId,
  severity: CheckSeverity,
  status: CheckStatus,
  evidence = `${id} evidence`,
): HealthCheckResult => ({
  id,
  title: CHECK_DEFINITIONS[id].title,
  severity,
  status,
  evidence,
  controls: [],
});

const allPass = (): HealthCheckResult[] => [
  check('trail.logging', 'critical', 'pass'),
  check('trail.dynamodb-coverage', 'critical', 'pass'),
  check('freshness.delivery', 'high', 'pass'),
  check('trail.kms', 'medium', 'pass'),
  check('bucket.lifecycle', 'low', 'pass'),
  check('trail.insights', 'info', 'pass'),
];
const replace = (
  checks: HealthCheckResult[],
  ...changes: HealthCheckResult[]
) => checks.map(c => changes.find(x => x.id === c.id) ?? c);

describe('deriveTrailStatus', () => {
  it('is healthy when every check passes', () => {
    expect(deriveTrailStatus(allPass())).toEqual({
      status: 'healthy',
      reason: 'all 5 checks pass',
    });
  });

  it('is failing on a critical or high failure, naming the most severe one as a problem', () => {
    const verdict = deriveTrailStatus(
      replace(
        allPass(),
        check('freshness.delivery', 'high', 'fail', 'stale'),
        check('trail.logging', 'critical', 'fail', 'stopped'),
      ),
    );
    expect(verdict).toEqual({
      status: 'failing',
      reason: 'Trail is not logging',
    });
  });

  it('is pending before the first delivery, unless something besides freshness fails', () => {
    const neverDelivered = replace(
      allPass(),
      check('freshness.delivery', 'high', 'fail', 'never delivered'),
    );
    expect(deriveTrailStatus(neverDelivered, { minutesAgo: 3 })).toEqual({
      status: 'pending',
      reason: 'Waiting for the first delivery, created 3 min ago',
    });
    expect(
      deriveTrailStatus(
        replace(
          neverDelivered,
          check('trail.dynamodb-coverage', 'critical', 'fail'),
        ),
        { minutesAgo: 3 },
      ).status,
    ).toBe('failing');
  });

  it('waits for a first delivery only within the window after logging started', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    const started = (minutes: number) => ({
      isLogging: true,
      startLoggingTime: new Date(
        now.getTime() - minutes * 60_000,
      ).toISOString(),
    });
    expect(pendingFirstDelivery(started(3), now, 15)).toEqual({
      minutesAgo: 3,
    });
    expect(pendingFirstDelivery(started(16), now, 15)).toBeUndefined();
    expect(
      pendingFirstDelivery(
        { ...started(3), latestDeliveryTime: now.toISOString() },
        now,
        15,
      ),
    ).toBeUndefined();
    expect(
      pendingFirstDelivery({ ...started(3), isLogging: false }, now, 15),
    ).toBeUndefined();
  });

  it('keeps ids and evidence out of the reason', () => {
    const { reason } = deriveTrailStatus(
      replace(
        allPass(),
        check(
          'trail.dynamodb-coverage',
          'critical',
          'fail',
          'no DynamoDB data operation is captured for arn:aws:dynamodb:us-east-1:333333333333:table/inventory',
        ),
      ),
    );
    expect(reason).toBe('DynamoDB data events are not captured');
    expect(reason).not.toMatch(/arn:|trail\.dynamodb-coverage/);
  });

  it('is degraded on a medium failure or any warning, failures named before warnings', () => {
    expect(
      deriveTrailStatus(
        replace(allPass(), check('trail.kms', 'medium', 'warn')),
      ),
    ).toEqual({
      status: 'degraded',
      reason: 'Log files are not encrypted with a KMS key',
    });
    expect(
      deriveTrailStatus(
        replace(
          allPass(),
          check('trail.kms', 'medium', 'warn'),
          check('bucket.lifecycle', 'low', 'fail'),
        ),
      ),
    ).toEqual({
      status: 'degraded',
      reason: 'Log bucket has no lifecycle rule',
    });
  });

  it('puts a critical unknown above lesser findings', () => {
    const verdict = deriveTrailStatus(
      replace(
        allPass(),
        check('trail.dynamodb-coverage', 'critical', 'unknown', 'AccessDenied'),
        check('trail.kms', 'medium', 'warn'),
      ),
    );
    expect(verdict).toEqual({
      status: 'unknown',
      reason: 'Not checked: DynamoDB data events are captured',
    });
  });

  it('puts a serious failure above a critical unknown', () => {
    const verdict = deriveTrailStatus(
      replace(
        allPass(),
        check('trail.logging', 'critical', 'unknown'),
        check('freshness.delivery', 'high', 'fail'),
      ),
    );
    expect(verdict.status).toBe('failing');
  });

  it('never calls healthy what was not checked', () => {
    expect(
      deriveTrailStatus(
        replace(allPass(), check('bucket.lifecycle', 'low', 'unknown')),
      ),
    ).toEqual({
      status: 'unknown',
      reason: 'Not checked: Log bucket has a lifecycle rule',
    });
  });

  it('ignores info checks', () => {
    expect(
      deriveTrailStatus(
        replace(allPass(), check('trail.insights', 'info', 'unknown')),
      ).status,
    ).toBe('healthy');
  });
});

describe('checkHeadline', () => {
  it('phrases every failing check as a problem, distinct from its title', () => {
    const headlines = CHECK_ORDER.map(id =>
      checkHeadline(check(id, 'high', 'fail')),
    );
    CHECK_ORDER.forEach((id, i) => {
      expect(headlines[i]).not.toBe(CHECK_DEFINITIONS[id].title);
      expect(headlines[i].length).toBeLessThanOrEqual(80);
    });
    expect(new Set(headlines).size).toBe(CHECK_ORDER.length);
  });

  it('says a check was not made, and uses the short title when it passes', () => {
    expect(
      checkHeadline(check('trail.dynamodb-coverage', 'critical', 'unknown')),
    ).toBe('Not checked: DynamoDB data events are captured');
    expect(checkHeadline(check('trail.logging', 'critical', 'pass'))).toBe(
      'Trail is logging',
    );
    expect(checkHeadline(check('trail.kms', 'medium', 'warn'))).toBe(
      'Log files are not encrypted with a KMS key',
    );
  });
});

const trailRef = (name: string): TrailRef => ({
  arn: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${name}`,
  name,
  accountId: '111111111111',
  homeRegion: 'us-east-1',
  bucket: 'b',
});

describe('deriveAccountRegionStatus', () => {
  it('is not-enabled without a trail', () => {
    expect(deriveAccountRegionStatus('444444444444', 'us-east-1', [])).toEqual({
      status: 'not-enabled',
      reason: 'us-east-1 · no CloudTrail trail logs this account',
    });
  });

  it('names the region and the trail before the trail reason', () => {
    const trail = deriveTrailStatus(
      replace(
        allPass(),
        check('trail.dynamodb-coverage', 'critical', 'fail', 'S3 only'),
        check('bucket.lifecycle', 'low', 'fail'),
        check('freshness.delivery', 'high', 'fail', 'stale'),
      ),
    );
    const verdict = deriveAccountRegionStatus('333333333333', 'us-east-1', [
      { trail: trailRef('inventory-trail'), ...trail },
    ]);
    expect(verdict.status).toBe('failing');
    expect(verdict.reason).toBe(
      'us-east-1 · trail inventory-trail: DynamoDB data events are not captured',
    );
  });

  it('keeps the reason on one bounded line', () => {
    const verdict = deriveAccountRegionStatus('1', 'r', [
      {
        trail: trailRef('t'),
        status: 'failing',
        reason: `a\n${'x'.repeat(500)}`,
      },
    ]);
    expect(verdict.reason).not.toContain('\n');
    expect(verdict.reason.length).toBeLessThanOrEqual(240);
    expect(verdict.reason.endsWith('…')).toBe(true);
  });

  it('takes the best trail', () => {
    const verdict = deriveAccountRegionStatus('111111111111', 'us-east-1', [
      {
        trail: trailRef('org'),
        status: 'failing',
        reason: 'DynamoDB data events are not captured',
      },
      {
        trail: trailRef('lineage'),
        status: 'degraded',
        reason: 'Log files are not encrypted with a KMS key',
      },
      { trail: trailRef('probe'), status: 'unknown' },
    ]);
    expect(verdict.status).toBe('degraded');
    expect(verdict.best!.trail.name).toBe('lineage');
    expect(verdict.reason).toBe(
      'us-east-1 · trail lineage (best of 3): Log files are not encrypted with a KMS key',
    );
  });

  it('breaks ties by the most recent delivery', () => {
    const ranked = rankTrailCandidates([
      {
        trail: trailRef('a'),
        status: 'healthy',
        latestDeliveryTime: '2025-06-01T10:00:00Z',
      },
      {
        trail: trailRef('b'),
        status: 'healthy',
        latestDeliveryTime: '2025-06-01T11:00:00Z',
      },
      { trail: trailRef('c'), status: 'healthy' },
    ]);
    expect(ranked.map(c => c.trail.name)).toEqual(['b', 'a', 'c']);
  });
});

const ar = (
  accountId: string,
  region: string,
  status: AccountRegionStatus['status'],
  extra: Partial<AccountRegionStatus> = {},
): AccountRegionStatus => ({
  accountId,
  region,
  status,
  checks: [],
  reason: `${status} because`,
  ...extra,
});

describe('deriveTeamStatus', () => {
  it('is not-enabled for a team without account-regions', () => {
    expect(deriveTeamStatus([]).status).toBe('not-enabled');
  });

  it('is the worst account-region, its reason prefixed with the account', () => {
    const verdict = deriveTeamStatus([
      ar('111111111111', 'us-east-1', 'healthy'),
      ar('111111111111', 'eu-west-1', 'degraded'),
      ar('222222222222', 'us-east-1', 'failing', {
        reason: deriveAccountRegionStatus('222222222222', 'us-east-1', [
          {
            trail: trailRef('orders-trail'),
            ...deriveTrailStatus(
              replace(
                allPass(),
                check('freshness.delivery', 'high', 'fail', '5 h old'),
              ),
            ),
          },
        ]).reason,
      }),
    ]);
    expect(verdict).toEqual({
      status: 'failing',
      reason:
        '222222222222 · us-east-1 · trail orders-trail: No log files delivered recently',
    });
  });

  it('adds the region to a reason that lacks it', () => {
    expect(
      deriveTeamStatus([
        ar('555555555555', 'us-east-1', 'unknown', {
          reason: 'inspection failed: AccessDenied',
        }),
      ]).reason,
    ).toBe('555555555555 · us-east-1 · inspection failed: AccessDenied');
    expect(
      deriveTeamStatus([
        ar('555555555555', 'us-east-1', 'unknown', { reason: undefined }),
      ]).reason,
    ).toBe('555555555555 · us-east-1 · unknown');
  });

  it('ranks not-enabled below failing but above unknown', () => {
    expect(
      deriveTeamStatus([ar('1', 'r', 'unknown'), ar('2', 'r', 'not-enabled')])
        .status,
    ).toBe('not-enabled');
    expect(
      deriveTeamStatus([ar('1', 'r', 'failing'), ar('2', 'r', 'not-enabled')])
        .status,
    ).toBe('failing');
    expect(
      deriveTeamStatus([ar('1', 'r', 'healthy'), ar('2', 'r', 'healthy')]),
    ).toEqual({
      status: 'healthy',
      reason: 'all 2 account-region(s) are healthy',
    });
  });

  it('counts further account-regions with the same status', () => {
    expect(
      deriveTeamStatus([ar('1', 'a', 'degraded'), ar('1', 'b', 'degraded')])
        .reason,
    ).toBe('1 · a · degraded because (+1 more degraded account-region)');
    expect(
      deriveTeamStatus([
        ar('1', 'a', 'healthy'),
        ar('2', 'b', 'not-enabled'),
        ar('3', 'c', 'not-enabled'),
        ar('4', 'd', 'not-enabled'),
      ]).reason,
    ).toBe('2 · b · not-enabled because (+2 more not-enabled account-regions)');
  });
});

describe('overview helpers', () => {
  it('orders statuses', () => {
    expect(worstStatus(['healthy', 'unknown', 'degraded'])).toBe('unknown');
    expect(worstStatus([])).toBeUndefined();
  });

  it('counts every status, zeros included', () => {
    expect(countStatuses(['healthy', 'failing', 'healthy'])).toEqual({
      healthy: 2,
      degraded: 0,
      failing: 1,
      unknown: 0,
      'not-enabled': 0,
      pending: 0,
    });
  });

  it('summarizes a team and builds the overview', () => {
    const payments = summarizeTeam('group:default/team-payments', 'Payments', [
      ar('111111111111', 'us-east-1', 'healthy', {
        latestDeliveryTime: '2025-06-01T11:55:00Z',
      }),
      ar('111111111111', 'eu-west-1', 'healthy', {
        latestDeliveryTime: '2025-06-01T11:58:00Z',
      }),
    ]);
    expect(payments).toEqual({
      entityRef: 'group:default/team-payments',
      title: 'Payments',
      status: 'healthy',
      accountRegions: 2,
      coveredAccountRegions: 2,
      accounts: ['111111111111'],
      regions: ['eu-west-1', 'us-east-1'],
      latestDeliveryTime: '2025-06-01T11:58:00Z',
      reason: 'all 2 account-region(s) are healthy',
    });
    const analytics = summarizeTeam(
      'group:default/team-analytics',
      'Analytics',
      [ar('444444444444', 'us-east-1', 'not-enabled')],
    );
    const overview = buildTeamsOverview(
      [payments, analytics],
      '2025-06-01T12:00:00Z',
    );
    expect(overview.counts.healthy).toBe(1);
    expect(overview.counts['not-enabled']).toBe(1);
    expect(overview.coverage).toBeCloseTo(2 / 3);
    expect(overview.refreshedAt).toBe('2025-06-01T12:00:00Z');
    expect(buildTeamsOverview([]).coverage).toBe(0);
  });

  it('names the worst account-region, its trail and check counts, for a pre-filled fix', () => {
    const trail = {
      arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/orders-trail',
      name: 'orders-trail',
      accountId: '222222222222',
      homeRegion: 'us-east-1',
      bucket: 'orders-logs',
    };
    const orders = summarizeTeam('group:default/team-orders', 'Orders', [
      ar('222222222222', 'eu-west-1', 'degraded'),
      ar('222222222222', 'us-east-1', 'failing', {
        coveringTrail: trail,
        reason:
          'us-east-1 · trail orders-trail: No log files delivered recently',
        checks: [
          check('trail.logging', 'high', 'pass'),
          check('freshness.delivery', 'high', 'fail'),
          check('trail.kms', 'medium', 'warn'),
          check('bucket.lifecycle', 'low', 'warn'),
        ],
      }),
    ]);
    expect(orders.worstAccountRegion).toEqual({
      accountId: '222222222222',
      region: 'us-east-1',
      coveringTrail: trail,
      reason: 'us-east-1 · trail orders-trail: No log files delivered recently',
      checkCounts: { pass: 1, fail: 1, warn: 2, unknown: 0 },
    });
    expect(
      summarizeTeam('group:default/team-payments', 'Payments', [
        ar('111111111111', 'us-east-1', 'healthy'),
      ]).worstAccountRegion,
    ).toBeUndefined();
  });

  it('drops the region a reason starts with, and only that', () => {
    expect(
      reasonWithoutRegion('us-east-1 · trail t: No log files', 'us-east-1'),
    ).toBe('trail t: No log files');
    expect(reasonWithoutRegion('trail t: No log files', 'us-east-1')).toBe(
      'trail t: No log files',
    );
    expect(
      reasonWithoutRegion('eu-west-1 · trail t: No log files', 'us-east-1'),
    ).toBe('eu-west-1 · trail t: No log files');
  });
});
