import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DailyLineageEdge } from '@lineage/plugin-dynamodb-lineage-common';
import { LineageIngestBatch } from '@lineage/plugin-dynamodb-lineage-node';
import { DatabaseLineageEdgeStore } from './DatabaseLineageEdgeStore';

jest.setTimeout(60_000);

const trailArn =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';
const orders = 'arn:aws:dynamodb:us-east-1:111111111111:table/orders';
const payments = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const api = 'arn:aws:iam::111111111111:role/payments-api';
const reporting = 'arn:aws:iam::222222222222:role/reporting-job';

function edge(
  overrides: Partial<DailyLineageEdge> & Pick<DailyLineageEdge, 'day'>,
): DailyLineageEdge {
  return {
    accountId: '111111111111',
    region: 'us-east-1',
    tableArn: orders,
    principal: api,
    principalType: 'AssumedRole',
    principalAccountId: '111111111111',
    operation: 'PutItem',
    kind: 'write',
    calls: 1,
    errors: 0,
    firstSeen: `${overrides.day}T10:00:00.000Z`,
    lastSeen: `${overrides.day}T10:00:00.000Z`,
    ...overrides,
  };
}

/** One edge per call, each call with its own event id. */
function callsBatch(
  calls: { id: string; edge: DailyLineageEdge; error?: boolean }[],
  cursorKey?: string,
): LineageIngestBatch {
  return {
    edges: calls.map(c => c.edge),
    events: calls.map((c, i) => ({
      eventId: c.id,
      eventTime: c.edge.firstSeen,
      edge: i,
      error: c.error ?? false,
    })),
    cursors: cursorKey
      ? [
          {
            trailArn,
            accountId: '111111111111',
            region: 'us-east-1',
            afterKey: cursorKey,
            ingestedThrough: '2026-03-02T10:05:00.000Z',
            newestDelivered: '2026-03-02T10:09:00.000Z',
            updatedAt: '2026-03-02T10:10:00.000Z',
          },
        ]
      : [],
  };
}

describe('DatabaseLineageEdgeStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    return DatabaseLineageEdgeStore.create({
      database: { getClient: async () => knex },
    });
  }

  it.each(databases.eachSupportedId())(
    'adds calls of the same day, table, principal and operation, keeping the first and last seen, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.commitIngestBatch({
        edges: [
          edge({
            day: '2026-03-02',
            calls: 3,
            errors: 1,
            firstSeen: '2026-03-02T09:00:00.000Z',
            lastSeen: '2026-03-02T11:00:00.000Z',
          }),
        ],
        events: [],
        cursors: [],
      });
      const result = await store.commitIngestBatch({
        edges: [
          edge({
            day: '2026-03-02',
            calls: 2,
            errors: 0,
            firstSeen: '2026-03-02T08:00:00.000Z',
            lastSeen: '2026-03-02T10:00:00.000Z',
          }),
          edge({
            day: '2026-03-02',
            operation: 'GetItem',
            kind: 'read',
            principal: reporting,
            principalAccountId: '222222222222',
          }),
        ],
        events: [],
        cursors: [],
      });
      expect(result).toEqual({ duplicates: 0, edgesWritten: 2 });

      expect(await store.readEdges({ from: '2026-03-02' })).toEqual([
        edge({
          day: '2026-03-02',
          calls: 5,
          errors: 1,
          firstSeen: '2026-03-02T08:00:00.000Z',
          lastSeen: '2026-03-02T11:00:00.000Z',
        }),
        edge({
          day: '2026-03-02',
          operation: 'GetItem',
          kind: 'read',
          principal: reporting,
          principalAccountId: '222222222222',
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts an event id once across batches and within one, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const day = '2026-03-02';
      const first = await store.commitIngestBatch(
        callsBatch([
          { id: 'e1', edge: edge({ day }) },
          { id: 'e2', edge: edge({ day, calls: 0, errors: 1 }), error: true },
        ]),
      );
      expect(first.duplicates).toBe(0);
      // The overlapping delivery repeats e1 and e2 and brings e3, which it also repeats.
      const second = await store.commitIngestBatch(
        callsBatch([
          { id: 'e1', edge: edge({ day }) },
          { id: 'e2', edge: edge({ day, calls: 0, errors: 1 }), error: true },
          { id: 'e3', edge: edge({ day }) },
          { id: 'e3', edge: edge({ day }) },
        ]),
      );
      expect(second).toEqual({ duplicates: 3, edgesWritten: 1 });
      const [stored] = await store.readEdges({ from: day, to: day });
      expect(stored).toMatchObject({ calls: 2, errors: 1 });
    },
  );

  it.each(databases.eachSupportedId())(
    'does not count a batch twice when it is committed again after a crash, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const day = '2026-03-02';
      const batch = callsBatch(
        [
          { id: 'a', edge: edge({ day }) },
          { id: 'b', edge: edge({ day, operation: 'GetItem', kind: 'read' }) },
        ],
        'AWSLogs/111111111111/CloudTrail/us-east-1/2026/03/02/f1.json.gz',
      );
      await store.commitIngestBatch(batch);
      // The cursor advanced with the edges; a replica that re-read the same file counts nothing.
      const again = await store.commitIngestBatch(batch);
      expect(again).toEqual({ duplicates: 2, edgesWritten: 0 });
      expect((await store.readEdges({ from: day })).map(e => e.calls)).toEqual([
        1, 1,
      ]);
      expect(
        await store.getCursor({
          trailArn,
          accountId: '111111111111',
          region: 'us-east-1',
        }),
      ).toMatchObject({
        afterKey:
          'AWSLogs/111111111111/CloudTrail/us-east-1/2026/03/02/f1.json.gz',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'writes nothing of a batch whose commit fails after its edges, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const day = '2026-03-02';
      const batch = callsBatch([{ id: 'a', edge: edge({ day }) }], 'k1');
      // The cursor is written last; a cursor refused there fails the whole commit.
      const broken = {
        ...batch,
        cursors: [
          {
            ...batch.cursors[0],
            updatedAt: null as unknown as string,
          },
        ],
      };
      await expect(store.commitIngestBatch(broken)).rejects.toThrow(
        /updatedAt must be an ISO-8601 time/,
      );
      expect(await store.readEdges({ from: day })).toEqual([]);
      expect(await store.getCursors(trailArn)).toEqual([]);
      // The same batch counts in full afterwards: its ids were not kept either.
      expect(await store.commitIngestBatch(batch)).toEqual({
        duplicates: 0,
        edgesWritten: 1,
      });
      expect(await store.readEdges({ from: day })).toMatchObject([
        { calls: 1 },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses an event that names no edge of its batch, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const batch = callsBatch([
        { id: 'a', edge: edge({ day: '2026-03-02' }) },
      ]);
      batch.events[0].edge = 7;
      await expect(store.commitIngestBatch(batch)).rejects.toThrow(/edge 7/);
    },
  );

  it.each(databases.eachSupportedId())(
    'reads edges by day range, tables and principals, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.commitIngestBatch({
        edges: [
          edge({ day: '2026-03-01' }),
          edge({ day: '2026-03-02' }),
          edge({ day: '2026-03-03' }),
          edge({ day: '2026-03-02', tableArn: payments }),
          edge({ day: '2026-03-02', principal: reporting }),
        ],
        events: [],
        cursors: [],
      });
      const days = (edges: DailyLineageEdge[]) =>
        edges.map(e => `${e.day} ${e.tableArn.split('/')[1]} ${e.principal}`);

      expect(
        days(await store.readEdges({ from: '2026-03-02', to: '2026-03-02' })),
      ).toEqual([
        `2026-03-02 orders ${api}`,
        `2026-03-02 orders ${reporting}`,
        `2026-03-02 payments ${api}`,
      ]);
      expect(
        days(
          await store.readEdges({ from: '2026-03-02', tableArns: [orders] }),
        ),
      ).toEqual([
        `2026-03-02 orders ${api}`,
        `2026-03-02 orders ${reporting}`,
        `2026-03-03 orders ${api}`,
      ]);
      expect(
        days(
          await store.readEdges({
            from: '2026-03-01',
            tableArns: [orders, payments],
            principals: [reporting],
          }),
        ),
      ).toEqual([`2026-03-02 orders ${reporting}`]);
      expect(
        await store.readEdges({ from: '2026-03-01', tableArns: [] }),
      ).toEqual([]);
      const many = Array.from({ length: 1200 }, (_, i) => `${orders}-${i}`);
      expect(
        days(
          await store.readEdges({
            from: '2026-03-01',
            tableArns: [...many, payments],
          }),
        ),
      ).toEqual([`2026-03-02 payments ${api}`]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a cursor per trail-region and reports the lag behind delivery, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const base = {
        trailArn,
        accountId: '111111111111',
        updatedAt: '2026-03-02T10:10:00.000Z',
      };
      await store.commitIngestBatch({
        edges: [],
        events: [],
        cursors: [
          {
            ...base,
            region: 'us-east-1',
            afterKey: 'k-east',
            ingestedThrough: '2026-03-02T10:05:00.000Z',
            newestDelivered: '2026-03-02T10:09:00.000Z',
          },
          {
            ...base,
            region: 'eu-west-1',
            afterKey: 'k-west',
            ingestedThrough: '2026-03-02T10:05:00.000Z',
            newestDelivered: '2026-03-02T10:05:00.000Z',
          },
          { ...base, region: 'ap-south-1' },
        ],
      });
      expect(await store.ingestionState()).toEqual([
        { ...base, region: 'ap-south-1' },
        {
          ...base,
          region: 'eu-west-1',
          ingestedThrough: '2026-03-02T10:05:00.000Z',
          newestDelivered: '2026-03-02T10:05:00.000Z',
          lagMinutes: 0,
        },
        {
          ...base,
          region: 'us-east-1',
          ingestedThrough: '2026-03-02T10:05:00.000Z',
          newestDelivered: '2026-03-02T10:09:00.000Z',
          lagMinutes: 4,
        },
      ]);
      // A later commit moves one region's cursor only.
      await store.commitIngestBatch({
        edges: [],
        events: [],
        cursors: [
          {
            ...base,
            region: 'us-east-1',
            afterKey: 'k-east-2',
            ingestedThrough: '2026-03-02T10:09:00.000Z',
            newestDelivered: '2026-03-02T10:09:00.000Z',
            updatedAt: '2026-03-02T10:15:00.000Z',
          },
        ],
      });
      expect(
        (await store.getCursors(trailArn)).map(c => [c.region, c.afterKey]),
      ).toEqual([
        ['ap-south-1', undefined],
        ['eu-west-1', 'k-west'],
        ['us-east-1', 'k-east-2'],
      ]);
      expect(
        await store.getCursor({
          trailArn: `${trailArn}-other`,
          accountId: '111111111111',
          region: 'us-east-1',
        }),
      ).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes edges before a day and event ids before a time, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.commitIngestBatch(
        callsBatch([
          { id: 'old', edge: edge({ day: '2026-03-01' }) },
          { id: 'new', edge: edge({ day: '2026-03-03' }) },
        ]),
      );
      expect(await store.pruneEdges('2026-03-02')).toBe(1);
      expect(
        (await store.readEdges({ from: '2000-01-01' })).map(e => e.day),
      ).toEqual(['2026-03-03']);
      expect(await store.pruneSeenEvents('2026-03-02T00:00:00.000Z')).toBe(1);
      // The forgotten id counts again; the kept one still does not.
      const again = await store.commitIngestBatch(
        callsBatch([
          { id: 'old', edge: edge({ day: '2026-03-01' }) },
          { id: 'new', edge: edge({ day: '2026-03-03' }) },
        ]),
      );
      expect(again.duplicates).toBe(1);
    },
  );
});
