import {
  LineageRelation,
  LineageRelations,
  LineageWindow,
} from '@lineage/plugin-dynamodb-lineage-common';
import type { LineageEdgeTotal } from '../store/LineageEdgeStore';
import { LineageDirectory } from './directory';
import { LinkIndex, RefVisibility, compare } from './links';

/**
 * The data flow the catalog can draw: which mapped entity read or wrote which
 * table over the window. Failed calls alone make no relation; principals no
 * visible entity claims make none.
 */
export function buildLineageRelations(input: {
  /** Daily, or summed over the window. */
  edges: Iterable<LineageEdgeTotal>;
  directory: LineageDirectory;
  visible: RefVisibility;
  window: LineageWindow;
}): LineageRelations {
  const { directory, visible } = input;
  const index = new LinkIndex(input.edges, directory, visible);
  const relations: LineageRelation[] = [];
  for (const [callerId, links] of index.byCaller) {
    if (index.callers.get(callerId)?.kind !== 'entity') continue;
    for (const link of links) {
      if (link.calls === 0) continue;
      const table = directory.tables.get(link.tableArn);
      relations.push({
        entityRef: callerId,
        tableArn: link.tableArn,
        ...(table && visible(table.entityRef)
          ? { tableEntityRef: table.entityRef }
          : {}),
        access: link.kind,
        calls: link.calls,
        lastSeen: link.lastSeen,
      });
    }
  }
  relations.sort(
    (a, b) =>
      compare(a.entityRef, b.entityRef) ||
      compare(a.tableArn, b.tableArn) ||
      compare(a.access, b.access),
  );
  return { window: input.window, relations };
}
