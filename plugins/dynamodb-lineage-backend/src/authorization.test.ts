import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import request from 'supertest';
import {
  ANALYTICS,
  PAYMENTS,
  PAYMENTS_TABLE,
  demoEntities,
  PAYMENTS_TRAIL,
} from './__testUtils__/demoCatalog';
import { restrictedCatalogFactory } from './__testUtils__/restrictedCatalog';
import { dynamoDbLineagePlugin } from './plugin';

jest.setTimeout(60_000);

/*
 * Mallory may not read team-payments in the catalog (neither the Group nor
 * anything it owns). Every route must then answer her as if Payments did not
 * exist, while Alice, who reads everything, sees it: each route is asked by
 * both, so a route that hides Payments from everyone would fail too.
 */

const PAYMENTS_TRAIL_ENTITY = 'resource:default/payments-lineage-trail';
const alice = mockCredentials.user.header('user:default/alice');
const mallory = mockCredentials.user.header('user:default/mallory');
const base = '/api/dynamodb-lineage';

const trailEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-lineage-trail',
    namespace: 'default',
    annotations: { 'dynamodb-lineage/trail-arn': PAYMENTS_TRAIL },
  },
  spec: { type: 'cloudtrail-trail', owner: PAYMENTS },
  relations: [{ type: 'ownedBy', targetRef: PAYMENTS }],
};

/** Words of Payments' status that must never reach Mallory. */
const PAYMENTS_SECRETS = [
  'aws-payments-prod',
  'payments-prod (111111111111)',
  'Payments',
  'cloudtrail-logs',
  'dynamodb-lineage-111111111111',
];

describe('every route shows nothing of a team the caller may not read', () => {
  let emulator: RunningEmulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    ({ server } = await startTestBackend({
      features: [
        dynamoDbLineagePlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: {
              accounts: ['111111111111', '444444444444'].map(accountId => ({
                accountId,
                accessKeyId: accountId,
                secretAccessKey: 'emulator',
              })),
            },
            dynamodbLineage: {
              aws: { endpoint: emulator.url, maxAttempts: 1 },
              regions: ['us-east-1'],
            },
          },
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        restrictedCatalogFactory({
          entities: [...demoEntities(), trailEntity],
          user: 'user:default/mallory',
          hiddenTeam: PAYMENTS,
        }),
      ],
    }));
    const refresh = await request(server)
      .post(`${base}/refresh`)
      .set('Authorization', alice)
      .send({});
    if (refresh.status !== 200) {
      throw new Error(`refresh failed: ${refresh.status} ${refresh.text}`);
    }
  });

  afterAll(async () => {
    await emulator.stop();
  });

  /** Nothing of Payments in the answer, beyond what the request itself named. */
  function expectNothingOfPayments(res: request.Response, asked = '') {
    const body = JSON.stringify(res.body);
    for (const secret of PAYMENTS_SECRETS.filter(s => !asked.includes(s))) {
      expect({ secret, found: body.includes(secret) }).toEqual({
        secret,
        found: false,
      });
    }
  }

  async function get(path: string, who: string) {
    return request(server).get(`${base}${path}`).set('Authorization', who);
  }

  it('GET /teams lists Payments for Alice only, with counts and coverage of readable teams', async () => {
    const forAlice = await get('/teams', alice);
    expect(forAlice.status).toBe(200);
    expect(forAlice.body.teams.map((t: any) => t.entityRef)).toContain(
      PAYMENTS,
    );

    const forMallory = await get('/teams', mallory);
    expect(forMallory.status).toBe(200);
    expect(forMallory.body.teams.map((t: any) => t.entityRef)).not.toContain(
      PAYMENTS,
    );
    expect(forMallory.body.teams.map((t: any) => t.entityRef)).toContain(
      ANALYTICS,
    );
    const counted = Object.values(
      forMallory.body.counts as Record<string, number>,
    ).reduce((a, b) => a + b, 0);
    expect(counted).toBe(forMallory.body.teams.length);
    expect(forMallory.body.coverage).not.toBe(forAlice.body.coverage);
    expectNothingOfPayments(forMallory);
  });

  it('GET /teams/:namespace/:name answers 404 to Mallory', async () => {
    expect((await get('/teams/default/team-payments', alice)).status).toBe(200);
    const res = await get('/teams/default/team-payments', mallory);
    expect(res.status).toBe(404);
    expectNothingOfPayments(res);
  });

  it.each([
    PAYMENTS,
    'component:default/payments-api',
    'resource:default/aws-payments-prod',
    PAYMENTS_TRAIL_ENTITY,
  ])('GET /entity-status?entityRef=%s answers 404 to Mallory', async ref => {
    expect((await get(`/entity-status?entityRef=${ref}`, alice)).status).toBe(
      200,
    );
    const res = await get(`/entity-status?entityRef=${ref}`, mallory);
    expect(res.status).toBe(404);
    expectNothingOfPayments(res, ref);
  });

  it('GET /trails/health answers 404 to Mallory, as for an unknown trail', async () => {
    const forAlice = await get(`/trails/health?arn=${PAYMENTS_TRAIL}`, alice);
    expect(forAlice.status).toBe(200);
    expect(JSON.stringify(forAlice.body)).toContain('dynamodb-lineage');

    const res = await get(`/trails/health?arn=${PAYMENTS_TRAIL}`, mallory);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      `No health is known for trail ${PAYMENTS_TRAIL}; it has not been seen by a refresh`,
    );
    expectNothingOfPayments(res);
  });

  it('GET /accounts?owner= answers 404 to Mallory for Payments', async () => {
    const forAlice = await get(`/accounts?owner=${PAYMENTS}`, alice);
    expect(forAlice.status).toBe(200);
    expect(forAlice.body.accounts).toHaveLength(1);

    const res = await get(`/accounts?owner=${PAYMENTS}`, mallory);
    expect(res.status).toBe(404);
    expectNothingOfPayments(res);
    const own = await get(`/accounts?owner=${ANALYTICS}`, mallory);
    expect(own.status).toBe(200);
    expect(own.body.accounts).toHaveLength(1);
  });

  it('GET /tables answers 404 to Mallory without calling AWS', async () => {
    emulator.calls.clear();
    const res = await get(
      '/tables?accountId=111111111111&region=us-east-1',
      mallory,
    );
    expect(res.status).toBe(404);
    expect(emulator.calls.list()).toEqual([]);
    expectNothingOfPayments(res);
    expect(
      (await get('/tables?accountId=111111111111&region=us-east-1', alice))
        .status,
    ).toBe(200);
  });

  it('GET /lineage answers 404 to Mallory without calling AWS', async () => {
    emulator.calls.clear();
    const res = await get(`/lineage?tableArn=${PAYMENTS_TABLE}`, mallory);
    expect(res.status).toBe(404);
    expect(emulator.calls.list()).toEqual([]);
    expectNothingOfPayments(res);
    expect(
      (await get(`/lineage?tableArn=${PAYMENTS_TABLE}`, alice)).status,
    ).toBe(200);
  });

  it('POST /plan in Payments’ account is refused to Mallory (403) without calling AWS', async () => {
    emulator.calls.clear();
    const res = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', mallory)
      .send({
        accountId: '111111111111',
        region: 'us-east-1',
        owner: PAYMENTS,
      });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('Register the account');
    expect(emulator.calls.list()).toEqual([]);
  });

  it('POST /refresh of a Payments entity answers 404 to Mallory without calling AWS', async () => {
    emulator.calls.clear();
    const res = await request(server)
      .post(`${base}/refresh`)
      .set('Authorization', mallory)
      .send({ entityRef: PAYMENTS });
    expect(res.status).toBe(404);
    expect(emulator.calls.list()).toEqual([]);
  });
});
