/*
 * (d) GET /api/dynamodb-lineage/teams with 1,000 teams stored: the backend
 * plugin's own router, DefaultLineageStatusService and DatabaseStore
 * (SQLite), served by express on a local port, asked over HTTP. The teams
 * are written with the store's replaceTeams, as a refresh writes them: each
 * with one to three account-regions and a full set of checks.
 */
const http = require('node:http');
const express = require('express');
const { registerTypeScript } = require('../lib/typescript');
const fakes = require('../lib/backendFakes');
const { percentile, round, elapsedMs } = require('../lib/stats');

const TEAMS = 1000;
const WARM_UP = 30;
const REQUESTS = 300;
const STATUSES = [
  'healthy',
  'healthy',
  'healthy',
  'degraded',
  'failing',
  'unknown',
  'not-enabled',
];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'];

/** The product's own check list; TypeScript is registered before the first call. */
function checkOrder() {
  return require('@lineage/plugin-dynamodb-lineage-common').CHECK_ORDER;
}

function teamStatus(i, now) {
  const status = STATUSES[i % STATUSES.length];
  const accountId = String(200000000000 + i);
  const regions = REGIONS.slice(0, (i % 3) + 1);
  const delivered = new Date(now - (i % 90) * 60000).toISOString();
  const accountRegions = regions.map(region => ({
    accountId,
    region,
    accountEntityRef: `resource:default/aws-${accountId}`,
    status,
    ...(status === 'not-enabled'
      ? {}
      : {
          coveringTrail: {
            arn: `arn:aws:cloudtrail:${regions[0]}:${accountId}:trail/dynamodb-lineage`,
            name: 'dynamodb-lineage',
            accountId,
            homeRegion: regions[0],
            bucket: `dynamodb-lineage-${accountId}-${regions[0]}`,
          },
          latestDeliveryTime: delivered,
        }),
    checks:
      status === 'not-enabled'
        ? []
        : checkOrder().map(id => ({
            id,
            title: `Check ${id}`,
            severity: 'medium',
            status:
              status === 'healthy'
                ? 'pass'
                : id === 'freshness.delivery'
                ? 'fail'
                : 'pass',
            evidence: `Evidence for ${id} in ${accountId}/${region}: what was read from AWS and when.`,
            remediation: `How to fix ${id}: the CLI command and the console path.`,
          })),
    reason:
      status === 'healthy'
        ? undefined
        : `${accountId}/${region}: ${status} for a reason`,
    checkedAt: new Date(now).toISOString(),
  }));
  return {
    team: {
      entityRef: `group:default/team-${String(i).padStart(4, '0')}`,
      title: `Team ${i}`,
      status,
      accountRegions: regions.length,
      coveredAccountRegions:
        status === 'healthy' || status === 'degraded' ? regions.length : 0,
      accounts: [accountId],
      regions,
      ...(status === 'not-enabled' ? {} : { latestDeliveryTime: delivered }),
      reason: `${accountId}/${regions[0]}: ${status}`,
    },
    accountRegions,
  };
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: keepAlive }, response => {
        let bytes = 0;
        response.on('data', chunk => {
          bytes += chunk.length;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode, bytes }),
        );
      })
      .on('error', reject);
  });
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

async function run({ log }) {
  registerTypeScript();
  const {
    DatabaseStore,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/store/DatabaseStore');
  const {
    DefaultLineageStatusService,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/service/DefaultLineageStatusService');
  const {
    LineageCatalog,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/catalog/LineageCatalog');
  const {
    createRouter,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/service/router');

  const { database, client } = fakes.sqliteDatabase();
  const store = await DatabaseStore.create({ database });
  const now = Date.now();
  const teams = Array.from({ length: TEAMS }, (_, i) => teamStatus(i, now));
  await store.replaceTeams(teams, new Date(now).toISOString());

  const notUsed = () => {
    throw new Error('not used by GET /teams');
  };
  const service = new DefaultLineageStatusService({
    // The caller sees every team: the answer holds all of them.
    catalog: new LineageCatalog(
      fakes.fakeCatalogService(
        teams.map(({ team }) => fakes.groupEntity(team.entityRef)),
      ),
      {
        defaultRegions: ['us-east-1'],
        configuredAccounts: [],
      },
    ),
    store,
  });
  const app = express();
  app.use(
    '/api/dynamodb-lineage',
    await createRouter({
      httpAuth: fakes.userHttpAuth,
      permissions: fakes.allowAllPermissions,
      auditor: fakes.noAuditor,
      service,
      refresher: { refresh: notUsed },
    }),
  );
  const server = await new Promise(resolve => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const url = `http://127.0.0.1:${
      server.address().port
    }/api/dynamodb-lineage/teams`;
    let size = 0;
    const answer = await (await fetch(url)).json();
    if (answer.teams?.length !== TEAMS) {
      throw new Error(
        `GET /teams answered ${answer.teams?.length} teams of the ${TEAMS} stored`,
      );
    }
    for (let i = 0; i < WARM_UP; i++) await get(url);
    const latencies = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = process.hrtime.bigint();
      const response = await get(url);
      latencies.push(elapsedMs(started));
      if (response.status !== 200)
        throw new Error(`GET /teams answered ${response.status}`);
      size = response.bytes;
    }
    const p50 = round(percentile(latencies, 50), 1);
    const p95 = round(percentile(latencies, 95), 1);
    const max = round(Math.max(...latencies), 1);
    log(
      `  ${REQUESTS} requests: p50 ${p50} ms, p95 ${p95} ms, max ${max} ms, ${round(
        size / 1024,
        0,
      )} KiB each`,
    );
    return {
      details: {
        teams: TEAMS,
        requests: REQUESTS,
        p50,
        p95,
        max,
        responseKiB: round(size / 1024, 0),
      },
      rows: [
        {
          part: 'd',
          metric: `GET /teams with ${TEAMS} stored teams: latency p50 / p95`,
          value: `${p50} / ${p95} ms`,
          detail: `max ${max} ms, ${round(size / 1024, 0)} KiB per answer`,
          target: 'p95 < 50 ms',
          met: p95 < 50,
          method: `${REQUESTS} sequential requests after ${WARM_UP} warm-up, keep-alive, over local HTTP to the plugin's router, DefaultLineageStatusService and DatabaseStore (SQLite in memory), teams written by replaceTeams; the caller may read all ${TEAMS} (the answer is checked to hold them)`,
        },
      ],
    };
  } finally {
    keepAlive.destroy();
    await new Promise(resolve => server.close(resolve));
    await client.destroy();
  }
}

module.exports = { run, teamStatus };
