import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import { HealthCheckResult } from '@lineage/plugin-dynamodb-lineage-common';
import knexFactory, { Knex } from 'knex';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Entity } from '@backstage/catalog-model';
import {
  ANALYTICS,
  demoEntities,
  INVENTORY,
  ORDERS,
  PAYMENTS,
  PAYMENTS_TRAIL,
} from '../__testUtils__/demoCatalog';
import {
  cloudTrailCall,
  createBucket,
  deleteBucketPolicy,
  getS3Object,
  listS3Keys,
  putBucketPolicy,
  putS3Object,
} from '../__testUtils__/emulatorCalls';
import { demoRefreshService } from '../__testUtils__/demoRefresh';
import {
  DefaultAwsClientFactory,
  applyPlan,
  buildSpec,
  planLineage,
} from '@lineage/plugin-dynamodb-lineage-node';

jest.setTimeout(60_000);

const PAYMENTS_BUCKET = 'payments-cloudtrail-logs-111111111111';

describe('RefreshService against the emulated demo world', () => {
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
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });
  afterEach(async () => {
    await knex.destroy();
  });

  function setup(options: { maxAttempts?: number } = {}) {
    return demoRefreshService({
      emulator,
      knex,
      maxAttempts: options.maxAttempts ?? 3,
    });
  }

  function check(checks: HealthCheckResult[], id: string) {
    return checks.find(c => c.id === id);
  }

  it('judges the four demo teams: healthy, stale, misconfigured, not enabled', async () => {
    const { store, refresher } = await setup();
    await expect(refresher.refresh()).resolves.toEqual({ refreshed: 5 });

    const { teams } = await store.getTeamSummaries();
    expect(Object.fromEntries(teams.map(t => [t.entityRef, t.status]))).toEqual(
      {
        [ANALYTICS]: 'not-enabled',
        [INVENTORY]: 'failing',
        [ORDERS]: 'failing',
        [PAYMENTS]: 'healthy',
      },
    );

    const payments = (await store.getTeam(PAYMENTS))!;
    expect(payments.team).toMatchObject({
      title: 'Payments',
      accountRegions: 2,
      coveredAccountRegions: 2,
    });
    // The multi-region trail homed in us-east-1 covers eu-west-1 as a shadow trail.
    expect(
      payments.accountRegions.map(a => [
        a.region,
        a.status,
        a.coveringTrail?.arn,
      ]),
    ).toEqual([
      ['eu-west-1', 'healthy', PAYMENTS_TRAIL],
      ['us-east-1', 'healthy', PAYMENTS_TRAIL],
    ]);
    // The canary's first call cannot have been delivered yet.
    expect(
      payments.accountRegions[1].checks
        .filter(c => c.severity !== 'info' && c.status !== 'pass')
        .map(c => [c.id, c.status]),
    ).toEqual([['trail.canary', 'unknown']]);

    const orders = (await store.getTeam(ORDERS))!.accountRegions[0];
    expect(check(orders.checks, 'freshness.delivery')?.status).toBe('fail');
    expect(check(orders.checks, 'trail.logging')?.status).toBe('pass');
    expect(orders.reason).toContain('No log files delivered recently');

    const inventory = (await store.getTeam(INVENTORY))!.accountRegions[0];
    expect(check(inventory.checks, 'trail.dynamodb-coverage')?.status).toBe(
      'fail',
    );
    expect(check(inventory.checks, 'trail.log-file-validation')?.status).toBe(
      'fail',
    );
    expect(check(inventory.checks, 'bucket.public-access')?.status).toBe(
      'fail',
    );

    const analytics = (await store.getTeam(ANALYTICS))!.accountRegions[0];
    expect(analytics).toMatchObject({ status: 'not-enabled', checks: [] });
    expect(analytics.coveringTrail).toBeUndefined();

    const trail = (await store.getTrail(PAYMENTS_TRAIL))!;
    expect(trail.health.status).toBe('healthy');
    // The demo delivers every 5 minutes: the 3 newest files stand for 15 minutes, scaled to a day.
    const volume = trail.health.volume!;
    expect(volume.sample).toMatchObject({ spanMs: 15 * 60_000 });
    expect(volume.sample!.events).toBeGreaterThan(0);
    expect(volume.eventsPerDay).toBe(
      Math.round((volume.sample!.events * 24 * 60) / 15),
    );
    expect(volume.projectedMonthlyUsd).toBeCloseTo(
      ((volume.eventsPerDay * 30.4) / 100_000) * 0.1,
      2,
    );
    expect(await store.getTrailHistory(PAYMENTS_TRAIL)).toHaveLength(1);
  });

  it('judges each region of a multi-region trail by its own delivery prefix: one paused region fails, the other stays healthy', async () => {
    const { store, refresher } = await setup();
    emulator.faults.set({
      deliveryPaused: [{ accountId: '111111111111', region: 'eu-west-1' }],
    });
    // Three hours on, with traffic in both regions: only us-east-1 delivers.
    for (let hour = 0; hour < 3; hour++) {
      await emulator.advance(3_600_000);
      await emulator.generateTraffic();
    }
    await emulator.flush();
    await refresher.refresh();

    const payments = (await store.getTeam(PAYMENTS))!;
    const byRegion = Object.fromEntries(
      payments.accountRegions.map(a => [a.region, a]),
    );
    expect(byRegion['us-east-1'].status).toBe('healthy');
    expect(byRegion['eu-west-1'].status).toBe('failing');
    const objects = check(byRegion['eu-west-1'].checks, 'freshness.objects')!;
    expect(objects.status).toBe('fail');
    // Three hours of traffic went to us-east-1 only.
    expect(objects.evidence).toMatch(
      /^Newest log file for this account and region written 3 h( \d+ min)? ago \(/,
    );
    const listed = (result: HealthCheckResult | undefined) =>
      result?.details?.find(d => d.label === 'Prefixes listed')?.value;
    expect(listed(objects)).toContain(
      'AWSLogs/111111111111/CloudTrail/eu-west-1/',
    );
    expect(
      listed(check(byRegion['us-east-1'].checks, 'freshness.objects')),
    ).toContain('AWSLogs/111111111111/CloudTrail/us-east-1/');
    expect(payments.team.status).toBe('failing');
  });

  it('shows trail.canary passing in the demo world’s covered regions after a delivery, with the capture latency', async () => {
    const { store, refresher } = await setup();
    await refresher.refresh();
    const before = (await store.getTeam(PAYMENTS))!.accountRegions;
    for (const accountRegion of before) {
      expect(check(accountRegion.checks, 'trail.canary')?.evidence).toMatch(
        /^Pending: 1 canary call/,
      );
    }

    await emulator.advance(5 * 60_000);
    await refresher.refresh();
    const after = (await store.getTeam(PAYMENTS))!;
    expect(after.team.status).toBe('healthy');
    for (const accountRegion of after.accountRegions) {
      const canary = check(accountRegion.checks, 'trail.canary')!;
      expect(canary.status).toBe('pass');
      expect(canary.evidence).toContain(
        'is in the delivered logs of dynamodb-lineage',
      );
      expect(canary.evidence).toMatch(
        /capture latency \(event → delivery\) p50 \d+ min, p95 \d+ min over 1 canary call\(s\)/,
      );
    }
    // Orders has no canary table: the check cannot tell, and the trail is judged without it.
    const orders = (await store.getTeam(ORDERS))!.accountRegions[0];
    expect(check(orders.checks, 'trail.canary')?.evidence).toContain(
      'The canary is off',
    );
  });

  it('fails trail.canary in the one region whose delivery stopped, once its canary is older than failAfter', async () => {
    const { store, refresher } = await setup();
    emulator.faults.set({
      deliveryPaused: [{ accountId: '111111111111', region: 'eu-west-1' }],
    });
    await refresher.refresh();
    for (let minutes = 0; minutes < 125; minutes += 25) {
      await emulator.advance(25 * 60_000);
      await refresher.refresh();
    }
    const byRegion = Object.fromEntries(
      (await store.getTeam(PAYMENTS))!.accountRegions.map(a => [a.region, a]),
    );
    const paused = check(byRegion['eu-west-1'].checks, 'trail.canary')!;
    expect(paused.status).toBe('fail');
    expect(paused.evidence).toMatch(
      /^The canary call made .* never arrived in the delivered logs of dynamodb-lineage/,
    );
    expect(paused.details).toContainEqual({
      label: 'Canary table',
      value:
        'arn:aws:dynamodb:eu-west-1:111111111111:table/dynamodb-lineage-canary',
    });
    const flowing = check(byRegion['us-east-1'].checks, 'trail.canary')!;
    expect(flowing.status).toBe('pass');
    // Every call but the one this refresh made has been delivered.
    expect(flowing.evidence).toContain('over 5 canary call(s)');
  });

  it('verifies the digest chain at most once an hour, then fails trail.log-integrity naming a log file overwritten since', async () => {
    const { store, refresher } = await setup();
    const usEast = async () =>
      (await store.getTeam(PAYMENTS))!.accountRegions.find(
        a => a.region === 'us-east-1',
      )!;
    await refresher.refresh();
    const verified = check((await usEast()).checks, 'trail.log-integrity')!;
    expect(verified.status).toBe('pass');
    expect(verified.evidence).toMatch(
      /^[1-9]\d* digest files and [1-9]\d* log files of the last 6 h verified/,
    );

    // A log file the newest digest lists, overwritten in the bucket.
    const account = '111111111111';
    const digests = await listS3Keys(
      emulator.url,
      account,
      PAYMENTS_BUCKET,
      'AWSLogs/111111111111/CloudTrail-Digest/us-east-1/',
    );
    const newest = digests.sort().pop()!;
    const digest = JSON.parse(
      gunzipSync(
        await getS3Object(emulator.url, account, PAYMENTS_BUCKET, newest),
      ).toString('utf8'),
    );
    const tampered: string = digest.logFiles[0].s3Object;
    await putS3Object(
      emulator.url,
      account,
      PAYMENTS_BUCKET,
      tampered,
      gzipSync(JSON.stringify({ Records: [] })),
    );

    // Within the hour the stored verdict stands: nothing is read again.
    emulator.calls.clear();
    await refresher.refresh();
    expect(
      emulator.calls.list().filter(c => c.operation === 'ListPublicKeys'),
    ).toEqual([]);
    expect(check((await usEast()).checks, 'trail.log-integrity')?.status).toBe(
      'pass',
    );

    await emulator.advance(3_600_000);
    await refresher.refresh();
    const region = await usEast();
    const failed = check(region.checks, 'trail.log-integrity')!;
    expect(failed.status).toBe('fail');
    expect(failed.evidence).toMatch(/^A log file changed after delivery\./);
    expect(failed.details).toContainEqual({
      label: 'Object',
      value: `s3://${PAYMENTS_BUCKET}/${tampered}`,
    });
    expect(region.status).toBe('failing');
    expect(region.reason).toContain(
      'Log files or digest files were changed or deleted',
    );
  });

  it('calls a trail that has not delivered yet pending inside its first delivery window, then judges it', async () => {
    const { store, refresher } = await setup();
    const aws = DefaultAwsClientFactory.fromCredentials(
      accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
      { endpoint: emulator.url, maxAttempts: 1 },
    );
    const clients = await aws.forAccount('444444444444', 'us-east-1');
    const spec = buildSpec({
      accountId: '444444444444',
      region: 'us-east-1',
      owner: ANALYTICS,
    });
    const { plan } = await planLineage(clients, spec);
    await applyPlan(clients, plan, { sleep: async () => {} });
    await emulator.advance(3 * 60_000);
    await refresher.refresh();

    const analytics = (await store.getTeam(ANALYTICS))!;
    expect(analytics.team.status).toBe('pending');
    expect(analytics.accountRegions[0].status).toBe('pending');
    expect(analytics.accountRegions[0].reason).toContain(
      'Waiting for the first delivery, created 3 min ago',
    );

    // Past the window without a delivery, the missing delivery counts. (The
    // refresh's canary call is a data event: without the pause it would be delivered.)
    emulator.faults.set({
      deliveryPaused: [{ accountId: '444444444444', region: '*' }],
    });
    await emulator.advance(15 * 60_000);
    await refresher.refresh();
    expect((await store.getTeam(ANALYTICS))!.team.status).toBe('failing');
  });

  it('retries the first refresh until the catalog has ingested the accounts, then stops waiting', async () => {
    const entities: Entity[] = [];
    const { store, refresher } = await demoRefreshService({
      emulator,
      knex,
      maxAttempts: 3,
      entities,
    });
    const waits: number[] = [];
    const result = await refresher.refreshWhenCatalogReady({
      retryMs: 5_000,
      sleep: async ms => {
        waits.push(ms);
        // The catalog ingests the entities while the refresh waits.
        if (waits.length === 2) entities.push(...demoEntities());
      },
    });
    expect(result).toEqual({ refreshed: 5 });
    expect(waits).toEqual([5_000, 5_000]);
    expect((await store.getTeamSummaries()).teams).toHaveLength(4);

    // Once the catalog was seen, an empty answer is not waited on again.
    entities.splice(0);
    const sleep = jest.fn(async () => {});
    await refresher.refreshWhenCatalogReady({ sleep });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('keeps every account-region at 10 CloudTrail calls in any second, whichever part of the refresh makes them', async () => {
    // Four more trails beside the payments trail (five is the most a region
    // holds), each with custom selectors and log file validation: listing,
    // tags, status, selectors and the digest keys make well over 10 calls.
    const bucket = 'rate-cloudtrail-logs-111111111111';
    await createBucket(emulator.url, '111111111111', bucket);
    await putBucketPolicy(emulator.url, '111111111111', bucket, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: ['s3:GetBucketAcl', 's3:PutObject'],
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        },
      ],
    });
    for (const name of ['rate-1', 'rate-2', 'rate-3', 'rate-4']) {
      await cloudTrailCall(emulator.url, '111111111111', 'CreateTrail', {
        Name: name,
        S3BucketName: bucket,
        EnableLogFileValidation: true,
      });
      await cloudTrailCall(emulator.url, '111111111111', 'PutEventSelectors', {
        TrailName: name,
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: false,
            DataResources: [
              { Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] },
            ],
          },
        ],
      });
      await cloudTrailCall(emulator.url, '111111111111', 'StartLogging', {
        Name: name,
      });
    }
    const { refresher } = await setup();
    emulator.calls.clear();
    await refresher.refresh();

    const received = new Map<string, number[]>();
    for (const call of emulator.calls.list({ service: 'cloudtrail' })) {
      const at = `${call.accountId}/${call.region}`;
      received.set(at, [...(received.get(at) ?? []), Date.parse(call.time)]);
    }
    // The limit binds: more calls than one second allows…
    expect(received.get('111111111111/us-east-1')!.length).toBeGreaterThan(15);
    // …and no account-region ever saw more than 10 in one second.
    const peaks = [...received].map(([at, times]): [string, number] => [
      at,
      peakPerSecond(times),
    ]);
    expect(peaks.filter(([, peak]) => peak > 10)).toEqual([]);
  });

  it('reads a multi-region trail’s bucket settings once per refresh, its logs per region', async () => {
    const { refresher } = await setup();
    emulator.calls.clear();
    await refresher.refresh();
    const policyReads = emulator.calls
      .list({ accountId: '111111111111', action: 's3:GetBucketPolicy' })
      .filter(c => c.outcome === 'success');
    expect(policyReads).toHaveLength(1);
    // …while the trail itself is described from both regions.
    expect(
      emulator.calls.list({
        accountId: '111111111111',
        action: 'cloudtrail:DescribeTrails',
      }),
    ).toHaveLength(2);
  });

  it('turns healthy into failing when delivery goes stale (clock advanced 3 hours)', async () => {
    const { store, refresher } = await setup();
    await refresher.refresh();
    await emulator.advance(3 * 3_600_000);
    await refresher.refresh();

    const payments = (await store.getTeam(PAYMENTS))!;
    expect(payments.team.status).toBe('failing');
    expect(
      check(payments.accountRegions[1].checks, 'freshness.delivery')?.status,
    ).toBe('fail');
    expect(
      (await store.getTrailHistory(PAYMENTS_TRAIL)).map(p => p.status),
    ).toEqual(['healthy', 'failing']);
  });

  it('reports stopped logging as failing', async () => {
    const { store, refresher } = await setup();
    await cloudTrailCall(emulator.url, '111111111111', 'StopLogging', {
      Name: 'dynamodb-lineage',
    });
    await refresher.refresh();
    const status = (await store.getTeam(PAYMENTS))!.accountRegions[1];
    expect(status.status).toBe('failing');
    expect(check(status.checks, 'trail.logging')?.status).toBe('fail');
  });

  it('makes an account AWS refuses unknown with the reason, and still judges the others', async () => {
    const { store, refresher } = await setup();
    emulator.faults.set({
      accessDenied: [{ principal: '222222222222', action: 'cloudtrail:*' }],
    });
    await expect(refresher.refresh()).resolves.toEqual({ refreshed: 5 });

    const orders = (await store.getTeam(ORDERS))!;
    expect(orders.team.status).toBe('unknown');
    expect(orders.accountRegions[0].reason).toMatch(/AccessDenied/);
    expect(orders.accountRegions[0].checks).toEqual([]);
    expect((await store.getTeam(PAYMENTS))!.team.status).toBe('healthy');
  });

  it('never reports a trail healthy when AWS refused to show its bucket', async () => {
    const { store, refresher } = await setup();
    emulator.faults.set({
      accessDenied: [
        { principal: '111111111111', action: 's3:GetBucketPolicy' },
      ],
    });
    await refresher.refresh();
    const status = (await store.getTeam(PAYMENTS))!.accountRegions[1];
    expect(status.status).toBe('unknown');
    expect(check(status.checks, 'bucket.policy')).toMatchObject({
      status: 'unknown',
    });
    expect(check(status.checks, 'bucket.policy')?.evidence).toMatch(
      /AccessDenied/,
    );
  });

  /** Every account-region's status and the status of each of its checks, keyed by account/region. */
  async function judgements(store: Awaited<ReturnType<typeof setup>>['store']) {
    const result: Record<
      string,
      { status: string; reason?: string; checks: Record<string, string> }
    > = {};
    for (const team of (await store.getTeamSummaries()).teams) {
      for (const a of (await store.getTeam(team.entityRef))!.accountRegions) {
        result[`${a.accountId}/${a.region}`] = {
          status: a.status,
          ...(a.reason ? { reason: a.reason } : {}),
          checks: Object.fromEntries(a.checks.map(c => [c.id, c.status])),
        };
      }
    }
    return result;
  }

  it('judges every account-region as without faults when the SDK’s retries absorb 10% throttling', async () => {
    const calm = await setup({ maxAttempts: 5 });
    await calm.refresher.refresh();
    const expected = await judgements(calm.store);
    expect(Object.keys(expected)).toHaveLength(5);
    await knex.destroy();
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });

    const { store, refresher } = await setup({ maxAttempts: 5 });
    emulator.faults.set({ throttleRate: { '*': 0.1 }, randomSeed: 11 });
    emulator.calls.clear();
    await expect(refresher.refresh()).resolves.toEqual({ refreshed: 5 });
    emulator.faults.clear();
    const throttled = emulator.calls
      .list()
      .filter(c => /throttl|slowdown/i.test(c.outcome));
    // The faults did bite: without the retries these calls would have failed.
    expect(throttled.length).toBeGreaterThan(3);

    const judged = await judgements(store);
    for (const [at, accountRegion] of Object.entries(judged)) {
      expect({ at, status: accountRegion.status }).not.toEqual({
        at,
        status: 'unknown',
      });
    }
    expect(judged).toEqual(expected);
  });

  it('makes account-regions whose trails CloudTrail always throttles unknown, naming the throttling, after every attempt', async () => {
    const { store, refresher } = await setup({ maxAttempts: 3 });
    emulator.faults.set({
      throttleRate: { 'cloudtrail:DescribeTrails': 1 },
      randomSeed: 7,
    });
    emulator.calls.clear();
    await expect(refresher.refresh()).resolves.toEqual({ refreshed: 5 });
    emulator.faults.clear();

    const judged = await judgements(store);
    expect(Object.keys(judged).sort()).toEqual([
      '111111111111/eu-west-1',
      '111111111111/us-east-1',
      '222222222222/us-east-1',
      '333333333333/us-east-1',
      '444444444444/us-east-1',
    ]);
    for (const [at, accountRegion] of Object.entries(judged)) {
      expect({ at, ...accountRegion }).toEqual({
        at,
        status: 'unknown',
        reason: expect.stringMatching(/throttl/i),
        checks: {},
      });
      // The SDK asked as often as it was allowed to before giving up.
      const [accountId, region] = at.split('/');
      expect(
        emulator.calls
          .list({ accountId, action: 'cloudtrail:DescribeTrails' })
          .filter(c => c.region === region),
      ).toHaveLength(3);
    }
    const { teams } = await store.getTeamSummaries();
    expect(teams.map(t => t.status)).not.toContain('healthy');
  });

  it('never passes a bucket check S3 always throttled: the healthy team turns unknown', async () => {
    const { store, refresher } = await setup({ maxAttempts: 2 });
    emulator.faults.set({
      throttleRate: { 's3:GetBucketPolicy': 1 },
      randomSeed: 3,
    });
    await refresher.refresh();
    emulator.faults.clear();

    const payments = (await store.getTeam(PAYMENTS))!;
    expect(payments.team.status).toBe('unknown');
    for (const accountRegion of payments.accountRegions) {
      expect(accountRegion.status).toBe('unknown');
      const policy = check(accountRegion.checks, 'bucket.policy');
      expect(policy?.status).toBe('unknown');
      expect(
        policy?.details?.find(d => d.label === 'AWS error')?.value,
      ).toMatch(/throttl|slowdown/i);
    }
  });

  it('turns a removed bucket policy into a delivery error and a failing trail', async () => {
    const { store, refresher } = await setup();
    await refresher.refresh();
    expect((await store.getTeam(PAYMENTS))!.team.status).toBe('healthy');

    await deleteBucketPolicy(emulator.url, '111111111111', PAYMENTS_BUCKET);
    await emulator.generateTraffic();
    const delivered = await emulator.advance(5 * 60_000);
    expect(delivered.failures.map(f => f.trailArn)).toContain(PAYMENTS_TRAIL);
    await refresher.refresh();

    const status = (await store.getTeam(PAYMENTS))!.accountRegions[1];
    expect(status.status).toBe('failing');
    expect(check(status.checks, 'trail.delivery')?.status).toBe('fail');
    expect(check(status.checks, 'bucket.policy')?.status).toBe('fail');
  });

  it('refreshes one team now, leaving the others as they were', async () => {
    const { store, refresher } = await setup();
    await expect(refresher.refresh({ entityRef: ORDERS })).resolves.toEqual({
      refreshed: 1,
    });
    expect((await store.getTeam(ORDERS))!.team.status).toBe('failing');
    // Not inspected yet: unknown, not healthy.
    expect((await store.getTeam(PAYMENTS))!.team.status).toBe('unknown');

    await expect(
      refresher.refresh({ entityRef: 'resource:default/aws-payments-prod' }),
    ).resolves.toEqual({ refreshed: 2 });
    await expect(
      refresher.refresh({ entityRef: 'component:default/payments-api' }),
    ).resolves.toEqual({ refreshed: 2 });
    expect((await store.getTeam(PAYMENTS))!.team.status).toBe('healthy');
    await expect(
      refresher.refresh({ entityRef: 'group:default/nobody' }),
    ).rejects.toThrow(/No entity/);
  });
});

/** The most of `times` (milliseconds) that fall in any window [t, t + 1000). */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= 1000) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}
