import {
  DailyLineageEdge,
  LineageIngestionLag,
  LineageWindow,
  TableActivity,
  TableActivityPoint,
  TableActivitySeries,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { LineageDirectory } from './directory';
import { LinkIndex, NodeNamer, RefVisibility, compare, daysOf } from './links';

/**
 * A table's calls per caller and day over the window, each caller named as
 * in the graph; days without calls are zeros so every series has every day.
 */
export function buildTableActivity(input: {
  tableArn: string;
  /** The window's edges of this table. */
  edges: Iterable<DailyLineageEdge>;
  directory: LineageDirectory;
  visible: RefVisibility;
  window: LineageWindow;
  ingestion: LineageIngestionLag;
}): TableActivity {
  const { tableArn, directory, visible, window } = input;
  const days = daysOf(window);
  const dayIndex = new Map(days.map((day, i) => [day, i]));
  const index = new LinkIndex([], directory, visible);
  const namer = new NodeNamer(directory, visible);
  const tableAccount = tryParseTableArn(tableArn)?.accountId;

  const series = new Map<string, TableActivitySeries>();
  for (const edge of input.edges) {
    const i = dayIndex.get(edge.day);
    if (edge.tableArn !== tableArn || i === undefined) continue;
    const caller = index.callerOf(edge);
    let entry = series.get(caller.id);
    if (!entry) {
      entry = {
        caller: namer.caller(caller),
        reads: 0,
        writes: 0,
        errors: 0,
        lastSeen: edge.lastSeen,
        points: days.map(
          (day): TableActivityPoint => ({
            day,
            reads: 0,
            writes: 0,
            errors: 0,
          }),
        ),
      };
      series.set(caller.id, entry);
    }
    const point = entry.points[i];
    if (edge.kind === 'read') {
      point.reads += edge.calls;
      entry.reads += edge.calls;
    } else {
      point.writes += edge.calls;
      entry.writes += edge.calls;
    }
    point.errors += edge.errors;
    entry.errors += edge.errors;
    if (edge.lastSeen > entry.lastSeen) entry.lastSeen = edge.lastSeen;
  }

  // Callers are named once all their principals are known.
  for (const [id, entry] of series) {
    const caller = index.callers.get(id)!;
    entry.caller = namer.caller(caller, tableAccount ? [tableAccount] : []);
  }
  const total = (s: TableActivitySeries) => s.reads + s.writes + s.errors;
  return {
    table: namer.table(tableArn),
    window,
    days,
    series: [...series.values()].sort(
      (a, b) =>
        total(b) - total(a) ||
        a.caller.title.localeCompare(b.caller.title) ||
        compare(a.caller.id, b.caller.id),
    ),
    ingestion: input.ingestion,
  };
}
