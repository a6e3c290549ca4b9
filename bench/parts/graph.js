/*
 * (h) GET /api/dynamodb-lineage/lineage/graph with 10,000 daily edges
 * stored: the backend plugin's own router, LineageGraphService and
 * DatabaseLineageEdgeStore (SQLite), served by express on a local port,
 * asked over HTTP. The edges form five layers of tables: each principal
 * reads three tables of its layer and writes three of the next, so a walk
 * of four tables from one component reaches much of the world.
 */
const http = require('node:http');
const express = require('express');
const { registerTypeScript } = require('../lib/typescript');
const fakes = require('../lib/backendFakes');
const { percentile, round, elapsedMs } = require('../lib/stats');

const EDGES = 10000;
const PRINCIPALS = 60;
/** Principals from this index on are claimed by no component. */
const MAPPED = 50;
const TABLES = 100;
const LAYERS = 5;
const DAYS = 14;
const DEPTH = 4;
/** The second figure: the same window among this many stored days. */
const HISTORY_DAYS = 200;
const WARM_UP = 30;
const REQUESTS = 300;
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

const tableArn = t =>
  `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/table-${String(t).padStart(
    3,
    '0',
  )}`;
const roleArn = p =>
  `arn:aws:iam::${ACCOUNT}:role/service-${String(p).padStart(2, '0')}`;
const componentName = p => `service-${String(p).padStart(2, '0')}`;
const perLayer = TABLES / LAYERS;
const tableOf = (layer, k) => (layer % LAYERS) * perLayer + k;

/** The day `back` days before `now`'s UTC day, YYYY-MM-DD. */
function dayBefore(now, back) {
  return new Date(now - back * 86400000).toISOString().slice(0, 10);
}

/** Exactly EDGES daily edges over the last DAYS days. */
function buildEdges(now) {
  return edgesOfDays(now, 0, DAYS).slice(0, EDGES);
}

/** The same traffic on the days `from` to `to` (exclusive) days back. */
function edgesOfDays(now, from, to) {
  const edges = [];
  for (let back = from; back < to; back++) {
    const day = dayBefore(now, back);
    for (let p = 0; p < PRINCIPALS; p++) {
      const layer = p % LAYERS;
      const pairs = [];
      for (let k = 0; k < 3; k++) {
        const offset = (p + k) % perLayer;
        pairs.push([tableOf(layer, offset), 'read', ['GetItem', 'Query']]);
        pairs.push([
          tableOf(layer + 1, offset),
          'write',
          ['PutItem', 'UpdateItem'],
        ]);
      }
      for (const [t, kind, operations] of pairs) {
        for (const operation of operations) {
          edges.push({
            accountId: ACCOUNT,
            region: REGION,
            tableArn: tableArn(t),
            principal: roleArn(p),
            principalType: 'AssumedRole',
            principalAccountId: ACCOUNT,
            operation,
            kind,
            day,
            calls: 1 + ((p * 31 + t * 17 + back) % 500),
            errors: (p + t + back) % 13 === 0 ? 1 : 0,
            firstSeen: `${day}T00:05:00.000Z`,
            lastSeen: `${day}T23:55:00.000Z`,
          });
        }
      }
    }
  }
  return edges;
}

function catalogEntities() {
  const components = Array.from({ length: MAPPED }, (_, p) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: componentName(p),
      namespace: 'default',
      annotations: {
        'dynamodb-lineage/iam-role-arns': roleArn(p),
        // Each declares its first read table only: the rest are findings.
        'dynamodb-lineage/table-arns': tableArn(tableOf(p % LAYERS, 0)),
      },
    },
    spec: { type: 'service', owner: 'group:default/team-0' },
  }));
  const tables = Array.from({ length: TABLES }, (_, t) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${ACCOUNT}-${REGION}-table-${String(t).padStart(3, '0')}`,
      namespace: 'default',
      annotations: { 'dynamodb-lineage/table-arns': tableArn(t) },
    },
    spec: { type: 'dynamodb-table', owner: 'group:default/team-0' },
  }));
  return [
    ...fakes.accountEntities([
      { accountId: ACCOUNT, regions: [REGION], owner: 'group:default/team-0' },
    ]),
    fakes.groupEntity('group:default/team-0'),
    ...components,
    ...tables,
  ];
}

let keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: keepAlive }, response => {
        const chunks = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}

async function run({ log }) {
  registerTypeScript();
  const {
    DatabaseLineageEdgeStore,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/store/DatabaseLineageEdgeStore');
  const {
    LineageGraphService,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/lineage/LineageGraphService');
  const {
    LineageCatalog,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/catalog/LineageCatalog');
  const {
    createRouter,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/service/router');

  const { database, client } = fakes.sqliteDatabase();
  const edges = await DatabaseLineageEdgeStore.create({ database });
  const now = Date.now();
  const stored = buildEdges(now);
  await edges.commitIngestBatch({ edges: stored, events: [], cursors: [] });
  const inWindow = await edges.readEdges({ from: dayBefore(now, DAYS - 1) });
  if (inWindow.length !== EDGES) {
    throw new Error(`${inWindow.length} edges stored, ${EDGES} meant`);
  }

  const catalogService = fakes.fakeCatalogService(catalogEntities());
  const graph = new LineageGraphService({
    catalog: catalogService,
    lineageCatalog: new LineageCatalog(catalogService, {
      defaultRegions: [REGION],
      configuredAccounts: [],
    }),
    auth: fakes.fakeAuth,
    edges,
  });
  const notUsed = () => {
    throw new Error('not used by GET /lineage/graph');
  };
  const app = express();
  app.use(
    '/api/dynamodb-lineage',
    await createRouter({
      httpAuth: fakes.userHttpAuth,
      permissions: fakes.allowAllPermissions,
      auditor: fakes.noAuditor,
      service: {},
      live: {},
      refresher: { refresh: notUsed },
      graph,
    }),
  );
  const server = await new Promise(resolve => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const query = new URLSearchParams({
      entityRef: `component:default/${componentName(0)}`,
      days: String(DAYS),
      depth: String(DEPTH),
    });
    const url = `http://127.0.0.1:${
      server.address().port
    }/api/dynamodb-lineage/lineage/graph?${query}`;
    const measure = async () => {
      const first = await get(url);
      if (first.status !== 200) {
        throw new Error(`GET /lineage/graph answered ${first.status}`);
      }
      const answer = JSON.parse(first.body.toString('utf8'));
      const named = answer.nodes.filter(n => n.kind === 'entity').length;
      if (answer.nodes.length < 30 || named === 0 || answer.truncated) {
        throw new Error(
          `GET /lineage/graph answered ${answer.nodes.length} nodes (${named} named), truncated ${answer.truncated}`,
        );
      }
      for (let i = 0; i < WARM_UP; i++) await get(url);
      const latencies = [];
      let size = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const started = process.hrtime.bigint();
        const response = await get(url);
        latencies.push(elapsedMs(started));
        if (response.status !== 200)
          throw new Error(`GET /lineage/graph answered ${response.status}`);
        size = response.body.length;
      }
      const result = {
        p50: round(percentile(latencies, 50), 1),
        p95: round(percentile(latencies, 95), 1),
        max: round(Math.max(...latencies), 1),
        nodes: answer.nodes.length,
        graphEdges: answer.edges.length,
        findings: answer.findings.length,
        responseKiB: round(size / 1024, 0),
      };
      log(
        `  ${REQUESTS} requests: p50 ${result.p50} ms, p95 ${result.p95} ms, max ${result.max} ms; ${result.nodes} nodes, ${result.graphEdges} edges, ${result.findings} findings, ${result.responseKiB} KiB each`,
      );
      return result;
    };
    const row = (metric, r, method) => ({
      part: 'h',
      metric,
      value: `${r.p50} / ${r.p95} ms`,
      detail: `max ${r.max} ms; ${r.nodes} nodes, ${r.graphEdges} edges, ${r.findings} findings, ${r.responseKiB} KiB per answer`,
      target: 'p95 < 100 ms',
      met: r.p95 < 100,
      method,
    });
    const common = `${REQUESTS} sequential requests after ${WARM_UP} warm-up, keep-alive, over local HTTP to the plugin's router, LineageGraphService and DatabaseLineageEdgeStore (SQLite in memory); ${PRINCIPALS} principals, ${MAPPED} of them claimed by components, ${TABLES} table Resources in ${LAYERS} layers; walked ${DEPTH} tables each way from one component over the last ${DAYS} days; the caller may read every entity`;

    log(`  ${EDGES} edges, all in the ${DAYS}-day window`);
    const alone = await measure();
    // Older days of the same traffic: the window's edges are unchanged.
    for (let back = DAYS; back < HISTORY_DAYS; back += 10) {
      await edges.commitIngestBatch({
        edges: edgesOfDays(now, back, Math.min(back + 10, HISTORY_DAYS)),
        events: [],
        cursors: [],
      });
    }
    const retained = (await edges.readEdges({ from: '0000-01-01' })).length;
    // The idle connection was closed by the server meanwhile.
    keepAlive.destroy();
    keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    log(
      `  the same window among ${HISTORY_DAYS} stored days (${retained} edges)`,
    );
    const amongHistory = await measure();
    return {
      details: {
        edges: EDGES,
        days: DAYS,
        depth: DEPTH,
        requests: REQUESTS,
        alone,
        amongHistory: {
          storedDays: HISTORY_DAYS,
          storedEdges: retained,
          ...amongHistory,
        },
      },
      rows: [
        row(
          `GET /lineage/graph with ${EDGES.toLocaleString(
            'en-US',
          )} stored edges: latency p50 / p95`,
          alone,
          `${common}; the store holds only the window's ${EDGES} daily edges`,
        ),
        row(
          `GET /lineage/graph, the same ${EDGES.toLocaleString(
            'en-US',
          )} edges among ${HISTORY_DAYS} stored days (${retained.toLocaleString(
            'en-US',
          )} edges): latency p50 / p95`,
          amongHistory,
          `${common}; the store also holds the same traffic on the ${
            HISTORY_DAYS - DAYS
          } days before the window`,
        ),
      ],
    };
  } finally {
    keepAlive.destroy();
    await new Promise(resolve => server.close(resolve));
    await client.destroy();
  }
}

module.exports = { run };
