import type { LineageGraph } from '@lineage/plugin-dynamodb-lineage-common';
import {
  paymentsGraph,
  paymentsTableActivity,
} from '../../testing/lineageGraphFixtures';
import {
  dailyTotals,
  ingestionLagText,
  rootTable,
  tableFlows,
} from './dataFlow';

const PAYMENTS = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';

describe('tableFlows', () => {
  it('reads the graph table by table, nearest the root first, writers and readers by name', () => {
    const flows = tableFlows(paymentsGraph);
    expect(
      flows.map(f => ({
        table: f.table.title,
        hops: f.hops,
        writers: f.writers.map(w => w.node.title),
        readers: f.readers.map(r => r.node.title),
      })),
    ).toEqual([
      {
        table: 'payments',
        hops: 0,
        writers: ['Payments API'],
        readers: ['settlement-job'],
      },
      {
        table: 'ledger',
        hops: 1,
        writers: ['settlement-job'],
        readers: ['role/reporting-job'],
      },
    ]);
  });

  it('counts hops from a table root and puts the busiest caller first', () => {
    const quiet = {
      ...paymentsGraph.edges[0],
      id: 'quiet→payments',
      source: 'component:default/quiet-job',
      writes: 3,
      errors: 0,
    };
    const graph: LineageGraph = {
      ...paymentsGraph,
      root: { tableArn: PAYMENTS },
      rootNodeId: PAYMENTS,
      nodes: [
        ...paymentsGraph.nodes,
        {
          id: 'component:default/quiet-job',
          kind: 'entity',
          title: 'A quiet job',
          entityRef: 'component:default/quiet-job',
          principals: [],
        },
      ],
      edges: [...paymentsGraph.edges, quiet],
    };
    const flows = tableFlows(graph);
    expect(flows.map(f => [f.table.title, f.hops])).toEqual([
      ['payments', 0],
      ['ledger', 1],
    ]);
    expect(flows[0].writers.map(w => w.node.title)).toEqual([
      'Payments API',
      'A quiet job',
    ]);
    expect(rootTable(graph)?.tableArn).toBe(PAYMENTS);
    expect(rootTable(paymentsGraph)).toBeUndefined();
  });

  it('leaves out tables nobody called and has nothing for an empty graph', () => {
    expect(tableFlows({ ...paymentsGraph, edges: [] })).toEqual([]);
    expect(
      tableFlows({
        ...paymentsGraph,
        nodes: [],
        edges: [],
      }),
    ).toEqual([]);
  });
});

describe('dailyTotals', () => {
  it('adds every caller up per day, in the order of the window', () => {
    expect(dailyTotals(paymentsTableActivity)).toEqual([
      { day: '2026-02-28', reads: 300, writes: 100, errors: 0 },
      { day: '2026-03-01', reads: 400, writes: 110, errors: 2 },
      { day: '2026-03-02', reads: 200, writes: 100, errors: 0 },
    ]);
  });

  it('keeps the days without calls', () => {
    expect(
      dailyTotals({
        ...paymentsTableActivity,
        days: ['2026-03-01', '2026-03-02'],
        series: [],
      }),
    ).toEqual([
      { day: '2026-03-01', reads: 0, writes: 0, errors: 0 },
      { day: '2026-03-02', reads: 0, writes: 0, errors: 0 },
    ]);
  });
});

describe('ingestionLagText', () => {
  const source = {
    trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/lineage',
    accountId: '111111111111',
    region: 'us-east-1',
  };
  it.each([
    [4, 'Lineage 4 min behind delivery'],
    [0.2, 'Lineage is up to date with delivery'],
    [150, 'Lineage 2 h behind delivery'],
    [3 * 24 * 60, 'Lineage 3 d behind delivery'],
  ])('says %s minutes as "%s"', (lagMinutes, text) => {
    expect(
      ingestionLagText({
        lagMinutes,
        ingestedThrough: '2026-03-02T11:56:00.000Z',
        sources: [source],
      }),
    ).toBe(text);
  });

  it('says when nothing is ingested yet, or no trail is', () => {
    expect(ingestionLagText({ sources: [source] })).toBe(
      'Lineage has not ingested any log yet',
    );
    expect(ingestionLagText({ sources: [] })).toBe(
      'No trail is ingested for lineage yet',
    );
  });
});
