/*
 * (a) Refreshes by the backend plugin's RefreshService of 10 / 100 / 1,000
 * trails over (up to) 50 accounts, against the emulator (a child process)
 * with 50 ms injected on every AWS call, for an hour of emulated time.
 *
 * Per size: one cold refresh, then twelve: before each, every
 * account-region's table gets traffic and the emulated clock moves five
 * minutes (CloudTrail's delivery cadence and the refresh schedule), so every
 * trail has a new log file and the refresh's caches (trail settings 15 min,
 * bucket settings 1 h, on the emulated clock) expire as they would.
 * Reported:
 * - AWS calls per trail per refresh over the hour, from the emulator's call log;
 * - wall time ÷ a bound from first principles: an account-region needs at
 *   least two serial round trips (list its trails; then each trail's status
 *   and its newest-object listing, in parallel), and account-regions go
 *   through `concurrency` at a time: ceil(account-regions ÷ concurrency) × 2 ×
 *   latency. The product's own call count or chain does not enter it.
 */
const { registerTypeScript } = require('../lib/typescript');
const {
  startEmulatorProcess,
  emulatedClock,
} = require('../lib/emulatorProcess');
const { buildTrailWorld, tableTraffic } = require('../lib/world');
const fakes = require('../lib/backendFakes');
const { median, round } = require('../lib/stats');

const LATENCY_MS = 50;
const ROUND_TRIPS = 2;
const INTERVAL_MS = 5 * 60 * 1000;
const REFRESHES_PER_HOUR = 12;
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

const boundMethod = concurrency =>
  `bound = ceil(account-regions ÷ ${concurrency}) × ${ROUND_TRIPS} serial round trips × ${LATENCY_MS} ms ` +
  '(list trails; then trail status ∥ newest-object listing); every AWS call delayed 50 ms by the emulator';
const HOUR_METHOD =
  'emulator call log over 12 refreshes, 5 emulated minutes apart (1 h): before each, table traffic ' +
  'in every account-region and the clock advanced 5 min, so each trail gets a new log file and ' +
  'cached trail (15 min) and bucket (1 h) settings expire on the emulated clock; calls ÷ trails ÷ 12';

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
  const clock = await emulatedClock(emulator.admin);
  const store = await backend.DatabaseStore.create({ database });
  const refresher = new backend.RefreshService({
    catalog: new backend.LineageCatalog(fakes.fakeCatalogService(entities), {
      defaultRegions: ['us-east-1'],
      configuredAccounts: [],
    }),
    store,
    // Fresh clients: the setup's are warm, a refresh's first run is not.
    aws: awsFactory(backend, emulator.url),
    auth: fakes.fakeAuth,
    logger: fakes.quietLogger(logCounts),
    thresholds: backend.DEFAULT_FRESHNESS,
    concurrency: backend.DEFAULT_CONCURRENCY,
    // Ages, deliveries and cache lifetimes all on the emulated clock.
    now: clock.now,
  });

  const accountRegions = plan.accountRegions.length;
  const boundMs =
    Math.ceil(accountRegions / backend.DEFAULT_CONCURRENCY) *
    ROUND_TRIPS *
    LATENCY_MS;
  await emulator.admin.setFaults({ latencyMs: { '*': LATENCY_MS } });
  const measure = async () => {
    await emulator.admin.clearCalls();
    const started = process.hrtime.bigint();
    await refresher.refresh();
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const calls = await emulator.admin.calls();
    return { wallMs, calls, ratio: wallMs / boundMs };
  };
  const cold = await measure();
  const hour = [];
  for (let i = 1; i <= REFRESHES_PER_HOUR; i++) {
    await tableTraffic(aws, plan.accountRegions, `tick-${i}`);
    const delivered = await clock.advance(INTERVAL_MS);
    if (delivered.logFiles < size.trails) {
      throw new Error(
        `${delivered.logFiles} log files delivered for ${size.trails} trails at tick ${i}`,
      );
    }
    hour.push(await measure());
  }
  await emulator.admin.setFaults({});
  const stored = await store.getAccountRegions(plan.accountRegions);
  await client.destroy();

  // What the last refresh judged: check id → status → account-regions.
  const statuses = {};
  const checks = {};
  for (const { status } of stored) {
    statuses[status.status] = (statuses[status.status] ?? 0) + 1;
    for (const check of status.checks) {
      checks[check.id] ??= {};
      checks[check.id][check.status] =
        (checks[check.id][check.status] ?? 0) + 1;
    }
  }
  const hourCalls = hour.reduce((sum, r) => sum + r.calls.length, 0);
  const analysis = analyseCalls(hour.flatMap(r => r.calls));
  const ratios = hour.map(r => r.ratio);
  return {
    trails: size.trails,
    accounts: size.accounts,
    accountRegions,
    concurrency: backend.DEFAULT_CONCURRENCY,
    boundMs,
    cold: {
      wallMs: round(cold.wallMs, 0),
      ratio: round(cold.ratio, 2),
      callsPerTrail: round(cold.calls.length / size.trails, 2),
    },
    hour: {
      refreshes: hour.length,
      wallMs: hour.map(r => round(r.wallMs, 0)),
      medianRatio: round(median(ratios), 2),
      maxRatio: round(Math.max(...ratios), 2),
      callsPerTrailPerRefresh: round(hourCalls / size.trails / hour.length, 2),
      callsPerTrailByRefresh: hour.map(r =>
        round(r.calls.length / size.trails, 2),
      ),
      failedCalls: hour.reduce(
        (sum, r) => sum + r.calls.filter(c => c.outcome !== 'success').length,
        0,
      ),
      callsByOperation: analysis.byAction,
      peakCloudTrailTpsPerAccountRegion: analysis.peakTps,
    },
    statusesAfterHour: statuses,
    checksAfterHour: checks,
    loggedWarnings: logCounts.warn,
  };
}

async function run({ log }) {
  const backend = loadBackend();
  const emulator = await startEmulatorProcess('bench-emulator-refresh', {
    deliveryIntervalMs: INTERVAL_MS,
  });
  const results = [];
  try {
    for (const size of SIZES) {
      const result = await runSize(backend, emulator, size, log);
      log(
        `  ${size.trails} trails: cold ${
          result.cold.wallMs
        } ms, hour ${result.hour.wallMs.join(' ')} ms (bound ${
          result.boundMs
        } ms); after the hour ${JSON.stringify(
          result.statusesAfterHour,
        )}, checks ${JSON.stringify(result.checksAfterHour)}`,
      );
      results.push(result);
    }
  } finally {
    await emulator.stop();
  }
  const sizes = results.map(r => r.trails.toLocaleString('en-US')).join(' / ');
  const each = f => results.map(f).join(' / ');
  const rows = [
    {
      part: 'a',
      metric: `refresh over 1 h of emulated time, ${sizes} trails: AWS calls per trail per refresh`,
      value: each(r => r.hour.callsPerTrailPerRefresh),
      detail: `cold first refresh: ${each(r => r.cold.callsPerTrail)}`,
      method: HOUR_METHOD,
    },
    {
      part: 'a',
      metric: `refresh wall time ÷ bound, ${sizes} trails (${each(
        r => r.accountRegions,
      )} account-regions): median of the hour`,
      value: each(r => r.hour.medianRatio),
      detail: `worst of the hour ${each(r => r.hour.maxRatio)}; cold ${each(
        r => r.cold.ratio,
      )}; bound ${each(r => r.boundMs)} ms`,
      method: boundMethod(results[0]?.concurrency),
    },
  ];
  return { rows, details: results };
}

module.exports = { run, analyseCalls };
