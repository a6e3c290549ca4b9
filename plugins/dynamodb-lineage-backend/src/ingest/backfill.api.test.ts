import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import request from 'supertest';
import {
  PAYMENTS,
  PAYMENTS_TABLE,
  demoEntities,
} from '../__testUtils__/demoCatalog';
import { restrictedCatalogFactory } from '../__testUtils__/restrictedCatalog';
import { dynamoDbLineagePlugin } from '../plugin';

jest.setTimeout(180_000);

/*
 * POST /lineage/backfill over the emulator's demo world, seeded days in the
 * past so that the days backfilled are whole past days whatever the time of
 * day, and ingestion (which reads from today on) never writes them.
 */

const path = '/api/dynamodb-lineage/lineage/backfill';
const alice = mockCredentials.user.header('user:default/alice');
const DAY = 86_400_000;
const RESULTS_BUCKET = 'athena-results-111111111111';

let emulator: RunningEmulator;
/** The days the demo world's logs fall on. */
let from: string;
let to: string;

function config(athena: boolean) {
  return mockServices.rootConfig.factory({
    data: {
      aws: {
        accounts: [
          {
            accountId: '111111111111',
            accessKeyId: '111111111111',
            secretAccessKey: 'emulator',
          },
        ],
      },
      dynamodbLineage: {
        aws: { endpoint: emulator.url, maxAttempts: 1 },
        regions: ['us-east-1'],
        lineage: { backfillDays: 0 },
        schedule: {
          frequency: { hours: 24 },
          timeout: { minutes: 4 },
          initialDelay: { hours: 1 },
        },
        ...(athena
          ? {
              forensics: {
                athena: {
                  accounts: [
                    {
                      accountId: '111111111111',
                      outputLocation: `s3://${RESULTS_BUCKET}/backfill/`,
                    },
                  ],
                },
              },
            }
          : {}),
      },
    },
  });
}

async function backend(options: { athena: boolean; deny?: string }) {
  const authorize = jest.fn(
    async (requests: Array<{ permission: { name: string } }>) =>
      requests.map(r => ({
        result:
          r.permission.name === options.deny
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
  );
  const { server } = await startTestBackend({
    features: [
      dynamoDbLineagePlugin,
      config(options.athena),
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
  return server;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  // Noon UTC three days ago: the world's logs cover that day and the one before.
  const today = Date.UTC(
    new Date().getUTCFullYear(),
    new Date().getUTCMonth(),
    new Date().getUTCDate(),
  );
  const at = today - 3 * DAY + 12 * 3_600_000;
  await emulator.seed('demo', { at });
  from = new Date(at - DAY).toISOString().slice(0, 10);
  to = new Date(at).toISOString().slice(0, 10);
  await new S3Client({
    endpoint: emulator.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' },
  }).send(new CreateBucketCommand({ Bucket: RESULTS_BUCKET }));
});

afterAll(async () => {
  await emulator?.stop();
});

it('backfills past days through Athena into the store, seen in GET /lineage/graph, and refuses them twice', async () => {
  const server = await backend({ athena: true });
  const refresh = await request(server)
    .post('/api/dynamodb-lineage/refresh')
    .set('Authorization', alice)
    .send({});
  expect(refresh.status).toBe(200);

  const graph = () =>
    request(server)
      .get('/api/dynamodb-lineage/lineage/graph')
      .query({ tableArn: PAYMENTS_TABLE, days: '7' })
      .set('Authorization', alice);
  const before = await graph();
  expect(before.status).toBe(200);

  const res = await request(server)
    .post(path)
    .set('Authorization', alice)
    .send({ accountId: '111111111111', from, to });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ accountId: '111111111111', from, to });
  expect(res.body.edgesWritten).toBeGreaterThan(0);
  expect(res.body.bytesScanned).toBeGreaterThan(0);
  expect(res.body.costUsd).toBeGreaterThan(0);

  const after = await graph();
  expect(after.status).toBe(200);
  expect(after.body.edges.length).toBeGreaterThan(before.body.edges.length);
  expect(JSON.stringify(after.body)).toContain('payments-api');

  const again = await request(server)
    .post(path)
    .set('Authorization', alice)
    .send({ accountId: '111111111111', from, to });
  expect(again.status).toBe(400);
  expect(again.body.error.message).toContain(
    'Account 111111111111 already has lineage edges',
  );
});

it('answers 409 when Athena is not configured for the account, before any AWS call', async () => {
  const server = await backend({ athena: false });
  const calls = emulator.calls.list().length;
  const res = await request(server)
    .post(path)
    .set('Authorization', alice)
    .send({ accountId: '111111111111', from, to });
  expect(res.status).toBe(409);
  expect(res.body.error.message).toContain(
    'Athena is not configured for account 111111111111',
  );
  expect(emulator.calls.list().length).toBe(calls);
});

it('answers 400 on bad input and 403 without the platform administrators permission, before any AWS call', async () => {
  const server = await backend({ athena: true });
  const calls = emulator.calls.list().length;
  const today = new Date().toISOString().slice(0, 10);
  const bad: Array<[object, string]> = [
    [{ accountId: '12', from, to }, 'accountId'],
    [{ accountId: '111111111111', from: '2026-02-30', to }, 'calendar day'],
    [{ accountId: '111111111111', from: to, to: from }, 'must not be after to'],
    [{ accountId: '111111111111', from, to: today }, 'before today'],
    [
      { accountId: '111111111111', from: '2020-01-01', to: '2021-06-01' },
      'at most 366 days',
    ],
    [{ accountId: '111111111111', from, to, regions: ['mars-1'] }, 'regions'],
    [{ accountId: '111111111111', from, to, extra: 1 }, 'extra'],
  ];
  for (const [body, message] of bad) {
    const res = await request(server)
      .post(path)
      .set('Authorization', alice)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  }

  const denied = await backend({
    athena: true,
    deny: 'dynamodb-lineage.trail.provision-any-owner',
  });
  const res = await request(denied)
    .post(path)
    .set('Authorization', alice)
    .send({ accountId: '111111111111', from, to });
  expect(res.status).toBe(403);
  expect(res.body.error.message).toContain(
    'dynamodb-lineage.trail.provision-any-owner',
  );
  expect(emulator.calls.list().length).toBe(calls);
});
