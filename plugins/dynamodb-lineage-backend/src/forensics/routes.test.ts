import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { athenaQueryCostUsd } from '@lineage/plugin-dynamodb-lineage-common';
import request from 'supertest';
import {
  PAYMENTS,
  PAYMENTS_EU_TABLE,
  demoEntities,
} from '../__testUtils__/demoCatalog';
import { restrictedCatalogFactory } from '../__testUtils__/restrictedCatalog';
import { dynamoDbLineagePlugin } from '../plugin';

jest.setTimeout(120_000);

/*
 * The forensics routes over the emulator's demo world, answered by the
 * log-direct engine (no Athena configured): what an incident responder asks,
 * who may ask it, and what is refused before any AWS call.
 */

const base = '/api/dynamodb-lineage/forensics/queries';
const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const mallory = mockCredentials.user.header('user:default/mallory');
const HOUR = 3_600_000;

let emulator: RunningEmulator;

function config(forensics?: object) {
  return mockServices.rootConfig.factory({
    data: {
      aws: {
        accounts: ['111111111111'].map(accountId => ({
          accountId,
          accessKeyId: accountId,
          secretAccessKey: 'emulator',
        })),
      },
      dynamodbLineage: {
        aws: { endpoint: emulator.url, maxAttempts: 1 },
        regions: ['us-east-1'],
        // No scheduled refresh during the tests: AWS calls are counted.
        schedule: {
          frequency: { hours: 24 },
          timeout: { minutes: 4 },
          initialDelay: { hours: 1 },
        },
        ...(forensics ? { forensics } : {}),
      },
    },
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'demo' });
});

afterAll(async () => {
  await emulator?.stop();
});

/** The emulator's time: the demo world's logs end there. */
function range(hours: number) {
  const now = emulator.clock.now();
  return {
    from: new Date(now - hours * HOUR).toISOString(),
    to: new Date(now).toISOString(),
  };
}

describe('with the permission', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        dynamoDbLineagePlugin,
        config(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        restrictedCatalogFactory({
          entities: demoEntities(),
          user: 'user:default/mallory',
          hiddenTeam: PAYMENTS,
        }),
      ],
    }));
    const refresh = await request(server)
      .post('/api/dynamodb-lineage/refresh')
      .set('Authorization', alice)
      .send({});
    if (refresh.status !== 200) {
      throw new Error(`refresh failed: ${refresh.status} ${refresh.text}`);
    }
  });

  async function finished(id: string, who = alice) {
    for (;;) {
      const res = await request(server)
        .get(`${base}/${id}`)
        .set('Authorization', who);
      expect(res.status).toBe(200);
      if (res.body.status !== 'queued' && res.body.status !== 'running') {
        return res.body;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  it('answers item history of a payments-eu item, with the engine, bytes scanned and cost, paged', async () => {
    const started = await request(server)
      .post(base)
      .set('Authorization', alice)
      .send({
        kind: 'item-history',
        tableArn: PAYMENTS_EU_TABLE,
        key: { id: 'pay-eu-1' },
        ...range(9),
      });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: expect.stringMatching(/^(queued|running|succeeded)$/),
      engine: 'logs',
    });
    const result = await finished(started.body.id);
    expect(result).toMatchObject({
      id: started.body.id,
      status: 'succeeded',
      engine: 'logs',
      truncated: false,
      note: 'read the delivered logs directly: last 24 h only',
      query: { kind: 'item-history', key: { id: 'pay-eu-1' } },
      completedAt: expect.any(String),
    });
    expect(result.bytesScanned).toBeGreaterThan(0);
    expect(result.costUsd).toBeGreaterThan(0);
    // Alice reads the item every fifth tick of the demo workload.
    expect(result.rows.length).toBeGreaterThan(1);
    for (const row of result.rows) {
      expect(row).toMatchObject({
        eventName: 'GetItem',
        kind: 'read',
        principal: 'arn:aws:iam::111111111111:user/alice',
        region: 'eu-west-1',
        tableArn: PAYMENTS_EU_TABLE,
      });
    }

    const first = await request(server)
      .get(`${base}/${started.body.id}?pageSize=1`)
      .set('Authorization', alice);
    expect(first.body.rows).toEqual([result.rows[0]]);
    const second = await request(server)
      .get(`${base}/${started.body.id}`)
      .query({ pageSize: '1', nextToken: first.body.nextToken })
      .set('Authorization', alice);
    expect(second.body.rows).toEqual([result.rows[1]]);
  });

  it("answers what role/reporting-job did, per table and operation, in the account's regions", async () => {
    const started = await request(server)
      .post(base)
      .set('Authorization', alice)
      .send({
        kind: 'principal-activity',
        principal: 'arn:aws:iam::111111111111:role/reporting-job',
        ...range(24),
      });
    expect(started.status).toBe(202);
    const result = await finished(started.body.id);
    expect(result.status).toBe('succeeded');
    // The account's regions (its annotation) fill in the regions searched.
    expect(result.query.regions).toEqual(
      expect.arrayContaining(['us-east-1', 'eu-west-1']),
    );
    expect(
      result.rows.map(
        (r: any) => `${r.tableArn.split(':table/')[1]} ${r.operation}`,
      ),
    ).toEqual(['payments-eu Scan', 'ledger Query', 'payments Scan']);
  });

  it('keeps a query to the caller who started it, and cancels it', async () => {
    const started = await request(server)
      .post(base)
      .set('Authorization', alice)
      .send({
        kind: 'principal-activity',
        principal: 'arn:aws:iam::111111111111:user/alice',
        regions: ['us-east-1'],
        ...range(2),
      });
    expect(started.status).toBe(202);
    const id = started.body.id;
    for (const path of [`${base}/${id}`]) {
      const res = await request(server).get(path).set('Authorization', bob);
      expect(res.status).toBe(404);
    }
    const bobCancels = await request(server)
      .post(`${base}/${id}/cancel`)
      .set('Authorization', bob);
    expect(bobCancels.status).toBe(404);

    const cancelled = await request(server)
      .post(`${base}/${id}/cancel`)
      .set('Authorization', alice);
    expect(cancelled.status).toBe(200);
    // A query that finished before the cancel arrived stays as it finished.
    expect(['cancelled', 'succeeded']).toContain(cancelled.body.status);
    const after = await finished(id);
    expect(after.status).toBe(cancelled.body.status);
  });

  it('hides an account the catalog does not show the caller (404), before reading any log', async () => {
    const before = emulator.calls.list().length;
    const res = await request(server)
      .post(base)
      .set('Authorization', mallory)
      .send({
        kind: 'item-history',
        tableArn: PAYMENTS_EU_TABLE,
        key: { id: 'pay-eu-1' },
        ...range(2),
      });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain(
      'No aws-account resource with account id 111111111111 is visible to you',
    );
    expect(emulator.calls.list().length).toBe(before);
  });

  it.each([
    [{ kind: 'item-history', key: { id: 'x' } }, 'tableArn: is required'],
    [
      {
        kind: 'item-history',
        tableArn: PAYMENTS_EU_TABLE,
        key: { id: { S: 'x' } },
      },
      'key.id: must be a string or a number',
    ],
    [
      { kind: 'principal-activity', principal: 'reporting-job' },
      'principal: must be an IAM role or user ARN',
    ],
    [
      { kind: 'lookup' },
      'kind: must be one of item-history, principal-activity',
    ],
    [
      {
        kind: 'item-history',
        tableArn: PAYMENTS_EU_TABLE,
        key: { id: 'x' },
        from: 'last week',
      },
      'from: must be an ISO-8601 time',
    ],
  ])(
    'refuses %j with 400 naming the field, before any AWS call',
    async (body, message) => {
      const before = emulator.calls.list().length;
      const res = await request(server)
        .post(base)
        .set('Authorization', alice)
        .send({ ...range(2), ...body });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(emulator.calls.list().length).toBe(before);
    },
  );

  it('refuses a range older than the window of the delivered logs with 400, before any AWS call', async () => {
    const before = emulator.calls.list().length;
    const now = emulator.clock.now();
    const res = await request(server)
      .post(base)
      .set('Authorization', alice)
      .send({
        kind: 'item-history',
        tableArn: PAYMENTS_EU_TABLE,
        key: { id: 'pay-eu-1' },
        from: new Date(now - 30 * 24 * HOUR).toISOString(),
        to: new Date(now - 29 * 24 * HOUR).toISOString(),
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/last 24 h only.*configure Athena/);
    expect(emulator.calls.list().length).toBe(before);
  });

  it.each([
    ['/not-an-id', 'id: must be a query id'],
    [
      '/00000000-0000-4000-8000-000000000000?pageSize=0',
      'pageSize: must be from 1 to 1000',
    ],
    [
      '/00000000-0000-4000-8000-000000000000?pageSize=1e2',
      'pageSize: must be a whole number',
    ],
    [
      '/00000000-0000-4000-8000-000000000000?nextToken=%00',
      'nextToken: must be a page token',
    ],
    [
      '/00000000-0000-4000-8000-000000000000?other=1',
      "Unrecognized key(s) in object: 'other'",
    ],
  ])('refuses GET %s with 400', async (path, message) => {
    const res = await request(server)
      .get(`${base}${path}`)
      .set('Authorization', alice);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('answers 404 for a query id it does not know', async () => {
    const res = await request(server)
      .get(`${base}/00000000-0000-4000-8000-000000000000`)
      .set('Authorization', alice);
    expect(res.status).toBe(404);
  });
});

describe('with Athena configured for the account', () => {
  it('runs the query on Athena over the same logs, with its bytes scanned and cost', async () => {
    const bucket = 'athena-results-111111111111';
    const s3 = new S3Client({
      endpoint: emulator.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { server } = await startTestBackend({
      features: [
        dynamoDbLineagePlugin,
        config({
          athena: {
            accounts: [
              {
                accountId: '111111111111',
                outputLocation: `s3://${bucket}/forensics/`,
              },
            ],
          },
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        restrictedCatalogFactory({
          entities: demoEntities(),
          user: 'user:default/mallory',
          hiddenTeam: PAYMENTS,
        }),
      ],
    });
    const refresh = await request(server)
      .post('/api/dynamodb-lineage/refresh')
      .set('Authorization', alice)
      .send({});
    expect(refresh.status).toBe(200);
    const started = await request(server)
      .post(base)
      .set('Authorization', alice)
      .send({
        kind: 'item-history',
        tableArn: PAYMENTS_EU_TABLE,
        key: { id: 'pay-eu-1' },
        ...range(9),
      });
    expect(started.status).toBe(202);
    expect(started.body.engine).toBe('athena');
    let result;
    for (;;) {
      const res = await request(server)
        .get(`${base}/${started.body.id}`)
        .set('Authorization', alice);
      expect(res.status).toBe(200);
      result = res.body;
      if (result.status !== 'queued' && result.status !== 'running') break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(result).toMatchObject({ status: 'succeeded', engine: 'athena' });
    expect(result.bytesScanned).toBeGreaterThan(0);
    expect(result.costUsd).toBeCloseTo(
      athenaQueryCostUsd(result.bytesScanned),
      12,
    );
    expect(result.rows.length).toBeGreaterThan(1);
    for (const row of result.rows) {
      expect(row).toMatchObject({
        eventName: 'GetItem',
        principal: 'arn:aws:iam::111111111111:user/alice',
        tableArn: PAYMENTS_EU_TABLE,
      });
    }
  });
});

describe('without the permission', () => {
  it('answers 403 on every forensics route, naming dynamodb-lineage.forensics.query, while lineage stays readable', async () => {
    const authorize = jest.fn(
      async (requests: Array<{ permission: { name: string } }>) =>
        requests.map(r => ({
          result:
            r.permission.name === 'dynamodb-lineage.forensics.query'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    );
    const { server } = await startTestBackend({
      features: [
        dynamoDbLineagePlugin,
        config(),
        mockServices.permissions.mock({ authorize: authorize as any }).factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        restrictedCatalogFactory({
          entities: demoEntities(),
          user: 'user:default/mallory',
          hiddenTeam: PAYMENTS,
        }),
      ],
    });
    const before = emulator.calls.list().length;
    const id = '00000000-0000-4000-8000-000000000000';
    const answers = await Promise.all([
      request(server)
        .post(base)
        .set('Authorization', alice)
        .send({
          kind: 'item-history',
          tableArn: PAYMENTS_EU_TABLE,
          key: { id: 'pay-eu-1' },
          ...range(2),
        }),
      request(server).get(`${base}/${id}`).set('Authorization', alice),
      request(server).post(`${base}/${id}/cancel`).set('Authorization', alice),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'dynamodb-lineage.forensics.query',
      );
    }
    expect(emulator.calls.list().length).toBe(before);
    const teams = await request(server)
      .get('/api/dynamodb-lineage/teams')
      .set('Authorization', alice);
    expect(teams.status).toBe(200);
  });

  it('answers 401 without credentials', async () => {
    const { server } = await startTestBackend({
      features: [
        dynamoDbLineagePlugin,
        config(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const res = await request(server).post(base).send({});
    expect(res.status).toBe(401);
  });
});
