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
  const edges = [];
  for (let back = 0; back < DAYS; back++) {
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
  return edges.slice(0, EDGES);
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

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

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
    const p50 = round(percentile(latencies, 50), 1);
    const p95 = round(percentile(latencies, 95), 1);
    const max = round(Math.max(...latencies), 1);
    const shape = `${answer.nodes.length} nodes, ${answer.edges.length} edges, ${answer.findings.length} findings`;
    log(
      `  ${REQUESTS} requests: p50 ${p50} ms, p95 ${p95} ms, max ${max} ms; ${shape}, ${round(
        size / 1024,
        0,
      )} KiB each`,
    );
    return {
      details: {
        edges: EDGES,
        days: DAYS,
        depth: DEPTH,
        requests: REQUESTS,
        p50,
        p95,
        max,
        nodes: answer.nodes.length,
        graphEdges: answer.edges.length,
        findings: answer.findings.length,
        responseKiB: round(size / 1024, 0),
      },
      rows: [
        {
          part: 'h',
          metric: `GET /lineage/graph with ${EDGES.toLocaleString(
            'en-US',
          )} stored edges: latency p50 / p95`,
          value: `${p50} / ${p95} ms`,
          detail: `max ${max} ms; ${shape}, ${round(
            size / 1024,
            0,
          )} KiB per answer`,
          target: 'p95 < 100 ms',
          met: p95 < 100,
          method: `${REQUESTS} sequential requests after ${WARM_UP} warm-up, keep-alive, over local HTTP to the plugin's router, LineageGraphService and DatabaseLineageEdgeStore (SQLite in memory); ${EDGES} daily edges (${PRINCIPALS} principals, ${MAPPED} of them claimed by components, ${TABLES} table Resources in ${LAYERS} layers, ${DAYS} days) all inside the ${DAYS}-day window asked for, walked ${DEPTH} tables each way from one component; the caller may read every entity`,
        },
      ],
    };
  } finally {
    keepAlive.destroy();
    await new Promise(resolve => server.close(resolve));
    await client.destroy();
  }
}

module.exports = { run };
