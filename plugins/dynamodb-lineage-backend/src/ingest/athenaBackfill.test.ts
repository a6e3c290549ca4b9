import { TestDatabases } from '@backstage/backend-test-utils';
import { DailyLineageEdge } from '@lineage/plugin-dynamodb-lineage-common';
import { DatabaseLineageEdgeStore } from '../store/DatabaseLineageEdgeStore';
import { backfillLineageFromAthena } from './athenaBackfill';

jest.setTimeout(60_000);

const edge = (accountId: string, day: string): DailyLineageEdge => ({
  accountId,
  region: 'us-east-1',
  tableArn: `arn:aws:dynamodb:us-east-1:${accountId}:table/payments`,
  principal: `arn:aws:iam::${accountId}:role/payments-api`,
  principalType: 'AssumedRole',
  principalAccountId: accountId,
  operation: 'PutItem',
  kind: 'write',
  day,
  calls: 4,
  errors: 1,
  firstSeen: `${day}T09:00:00.000Z`,
  lastSeen: `${day}T17:00:00.000Z`,
});

describe('backfillLineageFromAthena', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('writes the edges Athena found, and refuses days the account already has edges for', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseLineageEdgeStore.create({
      database: { getClient: async () => knex },
    });
    // Another account's edges in the range do not stand in the way.
    await store.commitIngestBatch({
      edges: [edge('222222222222', '2026-01-02')],
      events: [],
      cursors: [],
    });
    const engine = {
      backfill: jest.fn(async () => ({
        edges: [
          edge('111111111111', '2026-01-01'),
          edge('111111111111', '2026-01-02'),
        ],
        bytesScanned: 2048,
        costUsd: 0.0000476837158203125,
        estimate: { bytes: 2000, objects: 2, prefixesListed: 2, partitions: 2 },
      })),
    };
    const request = {
      accountId: '111111111111',
      from: '2026-01-01',
      to: '2026-01-02',
    };
    await expect(
      backfillLineageFromAthena(engine, store, request),
    ).resolves.toEqual({
      edgesWritten: 2,
      bytesScanned: 2048,
      costUsd: 0.0000476837158203125,
    });
    expect(engine.backfill).toHaveBeenCalledWith(request);
    expect(
      (await store.readEdges({ from: '2026-01-01', to: '2026-01-02' })).filter(
        e => e.accountId === '111111111111',
      ),
    ).toEqual([
      edge('111111111111', '2026-01-01'),
      edge('111111111111', '2026-01-02'),
    ]);

    await expect(
      backfillLineageFromAthena(engine, store, request),
    ).rejects.toThrow(
      'Account 111111111111 already has lineage edges between 2026-01-01 and 2026-01-02',
    );
    expect(engine.backfill).toHaveBeenCalledTimes(1);
  });
});
