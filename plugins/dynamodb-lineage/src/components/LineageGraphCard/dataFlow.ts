import type {
  LineageGraph,
  LineageGraphEdge,
  LineageGraphNode,
  LineageIngestionLag,
  LineageTableNode,
  TableActivity,
  TableActivityPoint,
} from '@lineage/plugin-dynamodb-lineage-common';

/** A caller of a table with what it did there. */
export interface FlowParty {
  node: Exclude<LineageGraphNode, LineageTableNode>;
  edge: LineageGraphEdge;
}

/** One table of the graph: who wrote it, who read it. */
export interface TableFlow {
  table: LineageTableNode;
  /** Table hops from the root: 0 for the root table or a table the root entity touched. */
  hops: number;
  writers: FlowParty[];
  readers: FlowParty[];
}

function busiestFirst(a: FlowParty, b: FlowParty): number {
  const calls = (p: FlowParty) => p.edge.reads + p.edge.writes + p.edge.errors;
  return calls(b) - calls(a) || a.node.title.localeCompare(b.node.title);
}

/**
 * The graph as the card reads it, table by table: writers → table →
 * readers, the tables nearest the root first (breadth-first over the edges,
 * either way), then by name.
 */
export function tableFlows(graph: LineageGraph): TableFlow[] {
  const nodes = new Map(graph.nodes.map(n => [n.id, n]));
  const flows = new Map<string, TableFlow>();
  for (const node of graph.nodes) {
    if (node.kind === 'table') {
      flows.set(node.id, {
        table: node,
        hops: Number.POSITIVE_INFINITY,
        writers: [],
        readers: [],
      });
    }
  }
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) =>
    neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
  for (const edge of graph.edges) {
    link(edge.source, edge.target);
    link(edge.target, edge.source);
    const tableId = edge.kind === 'write' ? edge.target : edge.source;
    const callerId = edge.kind === 'write' ? edge.source : edge.target;
    const flow = flows.get(tableId);
    const caller = nodes.get(callerId);
    if (!flow || !caller || caller.kind === 'table') continue;
    (edge.kind === 'write' ? flow.writers : flow.readers).push({
      node: caller,
      edge,
    });
  }

  // Distance in nodes from the root; a table next to the root entity is 1
  // node away, the root table itself 0. Table hops count tables passed.
  const distance = new Map<string, number>([[graph.rootNodeId, 0]]);
  const queue = [graph.rootNodeId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const next of neighbours.get(id) ?? []) {
      if (!distance.has(next)) {
        distance.set(next, distance.get(id)! + 1);
        queue.push(next);
      }
    }
  }
  for (const flow of flows.values()) {
    const d = distance.get(flow.table.id);
    if (d !== undefined) flow.hops = Math.floor(d / 2);
  }

  for (const flow of flows.values()) {
    flow.writers.sort(busiestFirst);
    flow.readers.sort(busiestFirst);
  }
  return [...flows.values()]
    .filter(f => f.writers.length > 0 || f.readers.length > 0)
    .sort(
      (a, b) => a.hops - b.hops || a.table.title.localeCompare(b.table.title),
    );
}

/** The table the graph starts at, when its root is a table. */
export function rootTable(graph: LineageGraph): LineageTableNode | undefined {
  const root = graph.nodes.find(n => n.id === graph.rootNodeId);
  return root?.kind === 'table' ? root : undefined;
}

/** "lineage 4 min behind delivery", or why there is no such figure. */
export function ingestionLagText(lag: LineageIngestionLag): string {
  if (lag.sources.length === 0) {
    return 'No trail is ingested for lineage yet';
  }
  if (lag.lagMinutes === undefined) {
    return 'Lineage has not ingested any log yet';
  }
  const minutes = Math.max(0, Math.round(lag.lagMinutes));
  if (minutes < 1) return 'Lineage is up to date with delivery';
  if (minutes < 120) return `Lineage ${minutes} min behind delivery`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `Lineage ${hours} h behind delivery`;
  return `Lineage ${Math.floor(hours / 24)} d behind delivery`;
}

/** Every caller's calls on the table added up per day, in the window's order. */
export function dailyTotals(activity: TableActivity): TableActivityPoint[] {
  const byDay = new Map<string, TableActivityPoint>(
    activity.days.map(day => [day, { day, reads: 0, writes: 0, errors: 0 }]),
  );
  for (const series of activity.series) {
    for (const point of series.points) {
      const total = byDay.get(point.day);
      if (!total) continue;
      total.reads += point.reads;
      total.writes += point.writes;
      total.errors += point.errors;
    }
  }
  return [...byDay.values()];
}
