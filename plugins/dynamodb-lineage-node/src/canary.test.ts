import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  CANARY_KEY_ATTRIBUTE,
  CANARY_TABLE_NAME,
  buildSpec,
  canaryTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { applyPlan } from './apply';
import { callCanary, canarySightingOf } from './canary';
import { AwsClients, DefaultAwsClientFactory } from './clients';
import { inspectTrails } from './inspectTrails';
import { planLineage } from './plan';
import { readRuntimeSignals } from './runtimeSignals';

/*
 * The canary call over real HTTP with the real SDK: the request id the SDK
 * answers is the one CloudTrail's record carries, and the log reader finds it.
 */

const ACCOUNT = '414141414141';
let emulator: RunningEmulator;
let clients: AwsClients;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  const factory = DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 1 },
  );
  clients = await factory.forAccount(ACCOUNT, 'us-east-1');
});

afterAll(async () => {
  await emulator?.stop();
});

beforeEach(async () => {
  await emulator.reset();
});

async function provisionTrail(
  options: Partial<Parameters<typeof buildSpec>[0]> = {},
) {
  const spec = buildSpec({
    accountId: ACCOUNT,
    region: 'us-east-1',
    owner: 'group:default/team-analytics',
    createdBy: 'user:default/jane',
    ...options,
  });
  const { plan } = await planLineage(clients, spec);
  await applyPlan(clients, plan, { sleep: async () => {} });
  const trails = await inspectTrails(clients, {
    accountId: ACCOUNT,
    region: 'us-east-1',
  });
  if (!trails.ok) throw new Error(trails.error);
  return trails.value[0].trail;
}

async function createCanaryTable() {
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: CANARY_TABLE_NAME,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: CANARY_KEY_ATTRIBUTE, AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: CANARY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
    }),
  );
}

describe('callCanary', () => {
  it('says the canary is off when the account-region has no canary table', async () => {
    expect(await callCanary(clients)).toEqual({ kind: 'absent' });
  });

  it('reports a refusal other than a missing table as a failure, not as off', async () => {
    emulator.faults.set({
      accessDenied: [{ principal: ACCOUNT, action: 'dynamodb:GetItem' }],
    });
    await createCanaryTable();
    const result = await callCanary(clients);
    expect(result).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/AccessDenied/),
    });
  });

  it('is found in the delivered logs by the request id the SDK answered, apart from table traffic', async () => {
    // Provisioning with the defaults created the canary table.
    const trail = await provisionTrail();
    const calledAt = new Date(emulator.clock.now());
    const first = await callCanary(clients, () => calledAt);
    const second = await callCanary(clients, () => calledAt);
    expect(first).toMatchObject({
      kind: 'called',
      requestId: expect.any(String),
    });
    expect(second).toMatchObject({
      kind: 'called',
      requestId: expect.any(String),
    });
    if (first.kind !== 'called' || second.kind !== 'called') return;
    // A unique key per call: two calls are two records.
    expect(first.requestId).not.toBe(second.requestId);

    await emulator.flush();
    const signals = await readRuntimeSignals(clients, trail, {
      now: new Date(emulator.clock.now()),
    });
    expect(signals.dynamodbEvents.ok).toBe(true);
    if (!signals.dynamodbEvents.ok) return;
    const sightings = signals.dynamodbEvents.value.canaryCalls ?? [];
    expect(sightings.map(s => s.requestId).sort()).toEqual(
      [first.requestId, second.requestId].sort(),
    );
    for (const sighting of sightings) {
      expect(sighting.eventId).toEqual(expect.any(String));
      expect(Date.parse(sighting.deliveredAt)).toBeGreaterThanOrEqual(
        Date.parse(sighting.eventTime),
      );
    }
    // The canary is the backend's own traffic, not the tables'.
    expect(signals.dynamodbEvents.value.dynamodbEvents).toBe(0);
  });
});

describe('canarySightingOf', () => {
  const record = {
    eventID: 'e-1',
    requestID: 'R1',
    eventName: 'GetItem',
    eventTime: '2026-03-01T10:00:00Z',
    eventSource: 'dynamodb.amazonaws.com',
    eventCategory: 'Data',
    resources: [
      {
        type: 'AWS::DynamoDB::Table',
        ARN: canaryTableArn(ACCOUNT, 'eu-west-1'),
      },
    ],
  };

  it('matches a GetItem on a canary table', () => {
    expect(canarySightingOf(record, '2026-03-01T10:04:00.000Z')).toEqual({
      requestId: 'R1',
      eventId: 'e-1',
      eventTime: '2026-03-01T10:00:00.000Z',
      deliveredAt: '2026-03-01T10:04:00.000Z',
    });
  });

  it('ignores other tables, other operations and records without a request id', () => {
    const at = '2026-03-01T10:04:00.000Z';
    expect(
      canarySightingOf(
        {
          ...record,
          resources: [
            {
              type: 'AWS::DynamoDB::Table',
              ARN: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`,
            },
          ],
        },
        at,
      ),
    ).toBeUndefined();
    expect(
      canarySightingOf({ ...record, eventName: 'PutItem' }, at),
    ).toBeUndefined();
    expect(
      canarySightingOf({ ...record, requestID: undefined }, at),
    ).toBeUndefined();
  });

  it('is captured by a write-only trail scoped to other tables', async () => {
    const trail = await provisionTrail({
      readWriteType: 'WriteOnly',
      scope: { mode: 'prefix', prefixes: ['orders-'] },
    });
    const called = await callCanary(clients, () => new Date());
    expect(called).toMatchObject({ kind: 'called' });
    if (called.kind !== 'called') return;
    await emulator.flush();
    const signals = await readRuntimeSignals(clients, trail, {
      now: new Date(emulator.clock.now()),
    });
    expect(signals.dynamodbEvents.ok).toBe(true);
    if (!signals.dynamodbEvents.ok) return;
    expect(
      (signals.dynamodbEvents.value.canaryCalls ?? []).map(s => s.requestId),
    ).toEqual([called.requestId]);
  });
});
