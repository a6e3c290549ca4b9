import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { LEDGER, PAYMENTS, ROLE, edge } from '../__testUtils__/lineageWorld';
import { DatabaseLineageEdgeStore } from './DatabaseLineageEdgeStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('DatabaseLineageEdgeStore.readEdgeTotals', () => {
  it.each(databases.eachSupportedId())(
    'sums the days of each table, principal and operation on %s, as the daily rows add up',
    async id => {
      const store = await DatabaseLineageEdgeStore.create({
        database: mockServices.database({ knex: await databases.init(id) }),
      });
      const daily = [
        edge(ROLE.paymentsApi, PAYMENTS, 'write', {
          day: '2026-02-27',
          calls: 4,
          errors: 1,
          firstSeen: '2026-02-27T05:00:00.000Z',
          lastSeen: '2026-02-27T06:00:00.000Z',
        }),
        edge(ROLE.paymentsApi, PAYMENTS, 'write', {
          day: '2026-03-01',
          calls: 6,
          firstSeen: '2026-03-01T01:00:00.000Z',
          lastSeen: '2026-03-01T09:00:00.000Z',
        }),
        edge(ROLE.paymentsApi, PAYMENTS, 'write', { operation: 'UpdateItem' }),
        edge(ROLE.adhoc, LEDGER, 'read', { calls: 3 }),
        // Outside the window asked for.
        edge(ROLE.paymentsApi, PAYMENTS, 'write', {
          day: '2026-02-20',
          calls: 100,
        }),
      ];
      await store.commitIngestBatch({ edges: daily, events: [], cursors: [] });

      const query = { from: '2026-02-24', to: '2026-03-02' };
      const totals = await store.readEdgeTotals(query);
      expect(totals).toEqual([
        {
          accountId: '111111111111',
          region: 'us-east-1',
          tableArn: LEDGER,
          principal: ROLE.adhoc,
          principalType: 'AssumedRole',
          principalAccountId: '333333333333',
          operation: 'Query',
          kind: 'read',
          calls: 3,
          errors: 0,
          firstSeen: '2026-03-02T01:00:00.000Z',
          lastSeen: '2026-03-02T02:00:00.000Z',
        },
        expect.objectContaining({
          tableArn: PAYMENTS,
          operation: 'PutItem',
          calls: 10,
          errors: 1,
          firstSeen: '2026-02-27T05:00:00.000Z',
          lastSeen: '2026-03-01T09:00:00.000Z',
        }),
        expect.objectContaining({
          tableArn: PAYMENTS,
          operation: 'UpdateItem',
          calls: 10,
        }),
      ]);

      // The same as summing the daily rows.
      const rows = await store.readEdges(query);
      expect(totals.reduce((n, t) => n + t.calls, 0)).toBe(
        rows.reduce((n, r) => n + r.calls, 0),
      );
      expect(
        await store.readEdgeTotals({ ...query, principals: [ROLE.adhoc] }),
      ).toEqual([totals[0]]);
      expect(await store.readEdgeTotals({ ...query, tableArns: [] })).toEqual(
        [],
      );
      // A window reaching past the oldest stored day takes every row.
      const everything = await store.readEdgeTotals({ from: '2026-01-01' });
      expect(everything.map(t => [t.operation, t.calls])).toEqual([
        ['Query', 3],
        ['PutItem', 110],
        ['UpdateItem', 10],
      ]);
      expect(everything[1].firstSeen).toBe('2026-02-20T01:00:00.000Z');
    },
  );
});
