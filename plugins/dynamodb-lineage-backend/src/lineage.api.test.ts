import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'fs';
import { resolve as resolvePath } from 'path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  LEDGER,
  LINEAGE_NOW,
  PAYMENTS,
  REF,
  ROLE,
  SECRET_TEAM,
  lineageEdges,
  lineageEntities,
} from './__testUtils__/lineageWorld';
import { restrictedCatalogFactory } from './__testUtils__/restrictedCatalog';
import { dynamoDbLineagePlugin } from './plugin';
import { DatabaseLineageEdgeStore } from './store/DatabaseLineageEdgeStore';

jest.setTimeout(120_000);

/*
 * The stored-lineage routes through the real plugin, on each database:
 * edges committed to the edge store, a catalog where one user may not see
 * secret-svc, and every answer checked against the OpenAPI document.
 */

const base = '/api/dynamodb-lineage';
const alice = mockCredentials.user.header('user:default/alice');
const mallory = mockCredentials.user.header('user:default/mallory');
const TRAIL =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';

const openapi = parse(
  readFileSync(resolvePath(__dirname, 'schema/openapi.yaml'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi.json', components: openapi.components });
function expectSchema(name: string, body: unknown) {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`)!;
  const valid = validate(body);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('stored lineage API on %s', id => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    // Only the date is pinned: the edges' days are fixed, timers run.
    jest.useFakeTimers({
      now: LINEAGE_NOW,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    const knex = await databases.init(id);
    const store = await DatabaseLineageEdgeStore.create({
      database: mockServices.database({ knex }),
    });
    await store.commitIngestBatch({
      edges: lineageEdges,
      events: [],
      cursors: [
        {
          trailArn: TRAIL,
          accountId: '111111111111',
          region: 'us-east-1',
          afterKey: 'AWSLogs/111111111111/CloudTrail/us-east-1/2026/03/02/x',
          ingestedThrough: '2026-03-02T11:50:00.000Z',
          newestDelivered: '2026-03-02T11:54:00.000Z',
          updatedAt: '2026-03-02T11:55:00.000Z',
        },
      ],
    });
    ({ server } = await startTestBackend({
      features: [
        dynamoDbLineagePlugin,
        mockServices.rootConfig.factory({
          data: {
            dynamodbLineage: {
              // Nothing here may reach AWS: the port is closed.
              aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
              regions: ['us-east-1'],
            },
          },
        }),
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        restrictedCatalogFactory({
          entities: lineageEntities,
          user: 'user:default/mallory',
          hiddenTeam: SECRET_TEAM,
        }),
      ],
    }));
  });

  afterAll(() => {
    jest.useRealTimers();
  });

  const get = (path: string, auth = alice) =>
    request(server).get(`${base}${path}`).set('Authorization', auth);
  const q = (params: Record<string, string>) =>
    new URLSearchParams(params).toString();

  it('GET /lineage/graph walks two tables downstream from payments-api, by name', async () => {
    const res = await get(
      `/lineage/graph?${q({ entityRef: REF.paymentsApi, depth: '2' })}`,
    );
    expect(res.status).toBe(200);
    expectSchema('LineageGraph', res.body);
    expect(res.body.rootNodeId).toBe(REF.paymentsApi);
    expect(res.body.window).toEqual({
      days: 7,
      from: '2026-02-24',
      to: '2026-03-02',
    });
    expect(res.body.nodes.map((n: { id: string }) => n.id)).toEqual([
      REF.paymentsApi,
      REF.reporting,
      REF.secret,
      REF.settlement,
      PAYMENTS,
      LEDGER,
      ROLE.adhoc,
    ]);
    expect(res.body.nodes[0].title).toBe('Payments API');
    expect(res.body.ingestion).toEqual({
      ingestedThrough: '2026-03-02T11:50:00.000Z',
      lagMinutes: 4,
      sources: [
        {
          trailArn: TRAIL,
          accountId: '111111111111',
          region: 'us-east-1',
          ingestedThrough: '2026-03-02T11:50:00.000Z',
          newestDelivered: '2026-03-02T11:54:00.000Z',
          lagMinutes: 4,
        },
      ],
    });
    expect(
      res.body.findings.map((f: { kind: string }) => f.kind).sort(),
    ).toEqual([
      'invalid-annotation',
      'undeclared-access',
      'unmapped-principal',
      'unused-declaration',
    ]);
  });

  it('depth 1 stops after the first table', async () => {
    const res = await get(
      `/lineage/graph?${q({ entityRef: REF.paymentsApi, depth: '1' })}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.nodes.map((n: { id: string }) => n.id)).toEqual([
      REF.paymentsApi,
      REF.secret,
      REF.settlement,
      PAYMENTS,
    ]);
  });

  it('walks from a table when asked for its dynamodb-table Resource', async () => {
    const byResource = await get(
      `/lineage/graph?${q({ entityRef: REF.paymentsTable, depth: '1' })}`,
    );
    const byArn = await get(
      `/lineage/graph?${q({ tableArn: PAYMENTS, depth: '1' })}`,
    );
    expect(byResource.status).toBe(200);
    expect(byResource.body.rootNodeId).toBe(PAYMENTS);
    expect(byResource.body).toEqual(byArn.body);
  });

  it('never names an entity the user may not see in the catalog', async () => {
    const res = await get(
      `/lineage/graph?${q({ tableArn: PAYMENTS, depth: '1' })}`,
      mallory,
    );
    expect(res.status).toBe(200);
    expectSchema('LineageGraph', res.body);
    expect(JSON.stringify(res.body)).not.toContain(REF.secret);
    expect(
      res.body.nodes.find((n: { id: string }) => n.id === ROLE.secret),
    ).toMatchObject({ kind: 'principal', mapping: 'not-visible' });
    // Alice sees it named.
    const named = await get(
      `/lineage/graph?${q({ tableArn: PAYMENTS, depth: '1' })}`,
    );
    expect(JSON.stringify(named.body)).toContain(REF.secret);

    const hiddenRoot = await get(
      `/lineage/graph?${q({ entityRef: REF.secret })}`,
      mallory,
    );
    expect(hiddenRoot.status).toBe(404);
  });

  it('GET /lineage/table gives each caller a point for every day', async () => {
    const res = await get(
      `/lineage/table?${q({ tableArn: PAYMENTS, days: '3' })}`,
    );
    expect(res.status).toBe(200);
    expectSchema('TableActivity', res.body);
    expect(res.body.days).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(
      res.body.series.map((s: any) => [s.caller.id, s.reads, s.writes]),
    ).toEqual([
      [REF.settlement, 900, 0],
      [REF.paymentsApi, 0, 305],
      [REF.secret, 7, 0],
    ]);
    expect(res.body.ingestion.lagMinutes).toBe(4);
  });

  it('GET /lineage/relations answers a backend service with every mapped entity', async () => {
    const res = await get(
      '/lineage/relations?days=30',
      mockCredentials.service.header(),
    );
    expect(res.status).toBe(200);
    expectSchema('LineageRelations', res.body);
    expect(
      res.body.relations.map((r: any) => [r.entityRef, r.tableArn, r.access]),
    ).toEqual([
      [REF.paymentsApi, PAYMENTS, 'write'],
      [REF.reporting, LEDGER, 'read'],
      [REF.secret, PAYMENTS, 'read'],
      [REF.settlement, LEDGER, 'write'],
      [REF.settlement, PAYMENTS, 'read'],
    ]);
    const forMallory = await get('/lineage/relations', mallory);
    expect(JSON.stringify(forMallory.body)).not.toContain(REF.secret);
  });

  it.each([
    ['neither root', {}],
    ['both roots', { entityRef: REF.paymentsApi, tableArn: PAYMENTS }],
    ['a malformed entity ref', { entityRef: 'component:' }],
    ['a malformed table ARN', { tableArn: 'arn:aws:s3:::bucket' }],
    ['zero days', { tableArn: PAYMENTS, days: '0' }],
    ['more days than kept', { tableArn: PAYMENTS, days: '401' }],
    ['days in exponent form', { tableArn: PAYMENTS, days: '1e2' }],
    ['too deep', { tableArn: PAYMENTS, depth: '7' }],
  ])('GET /lineage/graph with %s is a 400', async (_what, params) => {
    const res = await get(`/lineage/graph?${q(params)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
  });

  it('GET /lineage/table and /lineage/relations refuse bad input with a 400', async () => {
    expect((await get('/lineage/table')).status).toBe(400);
    expect(
      (await get(`/lineage/table?${q({ tableArn: LEDGER, days: '-1' })}`))
        .status,
    ).toBe(400);
    expect((await get('/lineage/relations?days=x')).status).toBe(400);
  });

  it('refuses callers without credentials', async () => {
    const res = await request(server).get(
      `${base}/lineage/graph?${q({ tableArn: PAYMENTS })}`,
    );
    expect(res.status).toBe(401);
  });
});
