/*
 * (a) A full refresh by the backend plugin's RefreshService of 10 / 100 /
 * 1,000 trails over (up to) 50 accounts, against the emulator (a child
 * process) with 50 ms injected on every AWS call.
 *
 * Reported per size, for the second refresh (steady state: clients and the
 * database exist already; the first is reported beside it):
 * - AWS calls per trail, from the emulator's call log (retries included);
 * - wall time against a lower bound: the account-regions go through in waves
 *   of `concurrency`, and one account-region takes at least
 *   max(3 dependent round trips × latency — DescribeTrails, then the trail,
 *   bucket and log-listing calls in parallel, then reading the newest log —,
 *   the time its n CloudTrail calls need at 10 TPS, CloudTrail's read limit
 *   per account-region: floor((n - 1) / 10) s + one latency);
 * - the highest CloudTrail call rate seen in one account-region, since the
 *   emulator does not throttle at 10 TPS the way AWS does.
 */
const { registerTypeScript } = require('../lib/typescript');
const { startEmulatorProcess } = require('../lib/emulatorProcess');
const { buildTrailWorld } = require('../lib/world');
const fakes = require('../lib/backendFakes');
const { round } = require('../lib/stats');

const LATENCY_MS = 50;
const CLOUDTRAIL_TPS = 10;
const MIN_ROUND_TRIPS = 3;
const SIZES = process.env.BENCH_REFRESH_SIZES
  ? // e.g. "10:10,100:50" (trails:accounts), for a quicker look
    process.env.BENCH_REFRESH_SIZES.split(',').map(pair => {
      const [trails, accounts] = pair.split(':').map(Number);
      return { trails, accounts };
    })
  : [
      { trails: 10, accounts: 10 },
      { trails: 100, accounts: 50 },
      { trails: 1000, accounts: 50 },
    ];

function loadBackend() {
  registerTypeScript();
  const {
    DefaultAwsClientFactory,
  } = require('@lineage/plugin-dynamodb-lineage-node');
  const {
    DEFAULT_FRESHNESS,
  } = require('@lineage/plugin-dynamodb-lineage-common');
  const {
    RefreshService,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/refresh/RefreshService');
  const {
    LineageCatalog,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/catalog/LineageCatalog');
  const {
    DatabaseStore,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/store/DatabaseStore');
  const {
    DEFAULT_CONCURRENCY,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/config');
  return {
    DefaultAwsClientFactory,
    DEFAULT_FRESHNESS,
    RefreshService,
    LineageCatalog,
    DatabaseStore,
    DEFAULT_CONCURRENCY,
  };
}

function awsFactory(backend, endpoint) {
  return backend.DefaultAwsClientFactory.fromCredentials(
    id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
    { endpoint, maxAttempts: 3 },
  );
}

/** Calls per account-region and the peak CloudTrail calls in any one-second window of one. */
function analyseCalls(calls) {
  const byAccountRegion = new Map();
  for (const call of calls) {
    const key = `${call.accountId}/${call.region}`;
    if (!byAccountRegion.has(key)) byAccountRegion.set(key, []);
    byAccountRegion.get(key).push(call);
  }
  let peakTps = 0;
  for (const list of byAccountRegion.values()) {
    const times = list
      .filter(c => c.service === 'cloudtrail')
      .map(c => Date.parse(c.time))
      .sort((a, b) => a - b);
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end] - times[start] >= 1000) start++;
      peakTps = Math.max(peakTps, end - start + 1);
    }
  }
  const byAction = {};
  for (const call of calls)
    byAction[call.operation] = (byAction[call.operation] ?? 0) + 1;
  return { byAccountRegion, peakTps, byAction };
}

async function runSize(backend, emulator, size, log) {
  await emulator.admin.reset();
  const aws = awsFactory(backend, emulator.url);
  const setupStarted = Date.now();
  const plan = await buildTrailWorld({
    aws,
    admin: emulator.admin,
    trails: size.trails,
    accounts: size.accounts,
  });
  log(
    `  ${size.trails} trails: world built in ${(
      (Date.now() - setupStarted) /
      1000
    ).toFixed(1)} s ` +
      `(${plan.accountRegions.length} account-regions, ${plan.regions.length} region(s) per account)`,
  );

  const accounts = [...new Set(plan.accountRegions.map(t => t.accountId))].map(
    (accountId, i) => ({
      accountId,
      regions: plan.regions,
      owner: `group:default/team-${(i % 25) + 1}`,
    }),
  );
  const entities = [
    ...fakes.accountEntities(accounts),
    ...[...new Set(accounts.map(a => a.owner))].map(fakes.groupEntity),
  ];
  const { database, client } = fakes.sqliteDatabase();
  const logCounts = { warn: 0, error: 0 };
  const refresher = new backend.RefreshService({
    catalog: new backend.LineageCatalog(fakes.fakeCatalogService(entities), {
      defaultRegions: ['us-east-1'],
      configuredAccounts: [],
    }),
    store: await backend.DatabaseStore.create({ database }),
    // Fresh clients: the setup's are warm, a refresh's first run is not.
    aws: awsFactory(backend, emulator.url),
    auth: fakes.fakeAuth,
    logger: fakes.quietLogger(logCounts),
    thresholds: backend.DEFAULT_FRESHNESS,
    concurrency: backend.DEFAULT_CONCURRENCY,
  });

  await emulator.admin.setFaults({ latencyMs: { '*': LATENCY_MS } });
  const runs = [];
  for (const label of ['first', 'steady']) {
    await emulator.admin.clearCalls();
    const started = process.hrtime.bigint();
    const { refreshed } = await refresher.refresh();
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const calls = await emulator.admin.calls();
    runs.push({ label, wallMs, refreshed, calls });
  }
  await emulator.admin.setFaults({});
  await client.destroy();

  const steady = runs[1];
  const analysis = analyseCalls(steady.calls);
  const accountRegions = plan.accountRegions.length;
  const ctPerAccountRegion = Math.max(
    ...[...analysis.byAccountRegion.values()].map(
      list => list.filter(c => c.service === 'cloudtrail').length,
    ),
  );
  const perAccountRegionMs = Math.max(
    MIN_ROUND_TRIPS * LATENCY_MS,
    Math.floor((ctPerAccountRegion - 1) / CLOUDTRAIL_TPS) * 1000 + LATENCY_MS,
  );
  const lowerBoundMs =
    Math.ceil(accountRegions / backend.DEFAULT_CONCURRENCY) *
    perAccountRegionMs;
  const failures = steady.calls.filter(c => c.outcome !== 'success').length;
  return {
    trails: size.trails,
    accounts: size.accounts,
    accountRegions,
    refreshed: steady.refreshed,
    concurrency: backend.DEFAULT_CONCURRENCY,
    firstWallMs: round(runs[0].wallMs, 0),
    firstCallsPerTrail: round(runs[0].calls.length / size.trails, 2),
    wallMs: round(steady.wallMs, 0),
    calls: steady.calls.length,
    callsPerTrail: round(steady.calls.length / size.trails, 2),
    failedCalls: failures,
    callsByOperation: analysis.byAction,
    lowerBoundMs: round(lowerBoundMs, 0),
    wallOverLowerBound: round(steady.wallMs / lowerBoundMs, 2),
    peakCloudTrailTpsPerAccountRegion: analysis.peakTps,
    loggedWarnings: logCounts.warn,
  };
}

async function run({ log }) {
  const backend = loadBackend();
  const emulator = await startEmulatorProcess('bench-emulator-refresh');
  const results = [];
  try {
    for (const size of SIZES) {
      results.push(await runSize(backend, emulator, size, log));
    }
  } finally {
    await emulator.stop();
  }
  const rows = results.flatMap(r => [
    {
      part: 'a',
      metric: `refresh ${r.trails} trails / ${r.accounts} accts (${r.accountRegions} acct-regions): AWS calls per trail`,
      value: r.callsPerTrail,
      baseline: `first run ${r.firstCallsPerTrail}`,
      target: '≤ 4',
      met: r.callsPerTrail <= 4,
    },
    {
      part: 'a',
      metric: `refresh ${r.trails} trails: wall time / lower bound (${LATENCY_MS} ms latency, concurrency ${r.concurrency})`,
      value: r.wallOverLowerBound,
      baseline: `${r.wallMs} ms vs ${r.lowerBoundMs} ms; peak ${r.peakCloudTrailTpsPerAccountRegion} CloudTrail TPS/acct-region`,
      target: '≤ 1.3',
      met: r.wallOverLowerBound <= 1.3,
    },
  ]);
  return { rows, details: results };
}

module.exports = { run, analyseCalls };
