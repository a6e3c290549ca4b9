import { mockServices } from '@backstage/backend-test-utils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import { normalizeForensicsPrincipal } from '@lineage/plugin-dynamodb-lineage-common';
import { DefaultAwsClientFactory } from '@lineage/plugin-dynamodb-lineage-node';
import knexFactory, { Knex } from 'knex';
import { demoRefreshService } from '../__testUtils__/demoRefresh';
import { dynamoDbCall } from '../__testUtils__/emulatorCalls';
import { DatabaseLineageEdgeStore } from '../store/DatabaseLineageEdgeStore';
import { LineageIngestion } from './LineageIngestion';

/*
 * The seeded demo world, refreshed as the plugin does, then ingested: the
 * edges are those of the traffic the emulator served, as its own call log
 * (not the delivered logs) tells.
 */

jest.setTimeout(180_000);

const PAYMENTS = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';

describe('LineageIngestion over the demo world', () => {
  let emulator: RunningEmulator;
  let knex: Knex;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });
  afterAll(async () => {
    await knex?.destroy();
    await emulator?.stop();
  });

  it('ingests the seeded history with normalised principals, then exactly the calls made since', async () => {
    const { store, refresher } = await demoRefreshService({
      emulator,
      knex,
      maxAttempts: 1,
    });
    await refresher.refresh();
    const edges = await DatabaseLineageEdgeStore.create({
      database: { getClient: async () => knex },
    });
    const ingestion = new LineageIngestion({
      store,
      edges,
      aws: DefaultAwsClientFactory.fromCredentials(
        accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
        { endpoint: emulator.url, maxAttempts: 1 },
      ),
      scheduler: { scheduleTask: async () => {} },
      logger: mockServices.logger.mock(),
      settings: {
        backfillDays: 2,
        retentionDays: 400,
        byteBudgetBytes: 256 * 1024 * 1024,
        timeBudgetMs: 120_000,
      },
      now: () => new Date(emulator.clock.now()),
    });
    const ingestAll = async () => {
      for (const { description } of await store.listTrails()) {
        await ingestion.ingestTrail(description.arn);
      }
    };

    await ingestAll();
    const seeded = await edges.readEdges({ from: '2000-01-01' });
    expect(seeded.length).toBeGreaterThan(0);
    for (const edge of seeded) {
      expect(edge.principal).not.toMatch(/:sts::|assumed-role/);
      expect(edge.calls + edge.errors).toBeGreaterThan(0);
      expect(edge.tableArn).not.toMatch(/dynamodb-lineage-canary/);
    }
    expect(seeded.map(e => e.tableArn)).toContain(PAYMENTS);
    const states = await edges.ingestionState();
    expect(states.length).toBeGreaterThan(0);
    expect(
      states.every(s => s.lagMinutes === undefined || s.lagMinutes === 0),
    ).toBe(true);

    // New traffic on the payments table, seen by the emulator's call log.
    const since = new Date(emulator.clock.now()).toISOString();
    for (let i = 0; i < 3; i++) {
      await dynamoDbCall(emulator.url, '111111111111', 'PutItem', {
        TableName: 'payments',
        Item: { id: { S: `ingest-${i}` } },
      });
    }
    for (let i = 0; i < 2; i++) {
      await dynamoDbCall(emulator.url, '111111111111', 'GetItem', {
        TableName: 'payments',
        Key: { id: { S: `ingest-${i}` } },
      });
    }
    const served = emulator.calls
      .list({ service: 'dynamodb', since })
      .filter(c => c.resource === PAYMENTS);
    expect(served).toHaveLength(5);
    await emulator.flush();

    const totals = (list: typeof seeded, principal: string) => {
      const byOperation: Record<string, number> = {};
      for (const e of list) {
        if (e.tableArn !== PAYMENTS || e.principal !== principal) continue;
        byOperation[e.operation] =
          (byOperation[e.operation] ?? 0) + e.calls + e.errors;
      }
      return byOperation;
    };
    const principal = normalizeForensicsPrincipal(served[0].principalArn!);
    const before = totals(seeded, principal);
    await ingestAll();
    const after = totals(
      await edges.readEdges({ from: '2000-01-01' }),
      principal,
    );
    expect({
      PutItem: (after.PutItem ?? 0) - (before.PutItem ?? 0),
      GetItem: (after.GetItem ?? 0) - (before.GetItem ?? 0),
    }).toEqual({ PutItem: 3, GetItem: 2 });
  });
});
