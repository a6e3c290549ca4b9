import {
  ANNOTATION_TABLE_ARNS,
  LineageFinding,
  LineageGraph,
  LineageGraphEdge,
  LineageGraphNode,
  LineageGraphRoot,
  LineageIngestionLag,
  LineageWindow,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import type { LineageEdgeTotal } from '../store/LineageEdgeStore';
import { LineageDirectory } from './directory';
import {
  Caller,
  Link,
  LinkIndex,
  NodeNamer,
  RefVisibility,
  compare,
  unmappedHint,
} from './links';

/** Past this many nodes the walk stops and the graph says it is truncated. */
export const MAX_GRAPH_NODES = 500;

export interface LineageGraphInput {
  /** The window's edges, daily or summed over the window; edges outside it must already be left out. */
  edges: Iterable<LineageEdgeTotal>;
  directory: LineageDirectory;
  visible: RefVisibility;
  root: LineageGraphRoot;
  /** The root entity's title, when it is not in the directory. */
  rootTitle?: string;
  depth: number;
  window: LineageWindow;
  ingestion: LineageIngestionLag;
  maxNodes?: number;
}

type Direction = 'down' | 'up';

/**
 * The lineage around an entity or a table. From a caller, downstream follows
 * the tables it writes and then their readers; upstream follows the tables
 * it reads and then their writers. `depth` is the number of tables a path may
 * cross, a root table not counted: from a component at depth 1 you see the
 * tables it writes with their readers and the tables it reads with their
 * writers; at depth 2 also what those readers write and who reads that.
 */
export function buildLineageGraph(input: LineageGraphInput): LineageGraph {
  const { directory, visible, root, depth, window } = input;
  const maxNodes = input.maxNodes ?? MAX_GRAPH_NODES;
  const index = new LinkIndex(input.edges, directory, visible);
  const namer = new NodeNamer(directory, visible);

  const nodeIds = new Set<string>();
  const tableIds = new Set<string>();
  const callerIds = new Set<string>();
  const links = new Set<Link>();
  let truncated = false;

  const rootNodeId = 'entityRef' in root ? root.entityRef : root.tableArn;
  nodeIds.add(rootNodeId);
  if ('tableArn' in root) tableIds.add(rootNodeId);
  else callerIds.add(rootNodeId);

  /** Adds a node; false when the node limit refuses it. */
  const admit = (id: string, isTable: boolean) => {
    if (nodeIds.has(id)) return true;
    if (nodeIds.size >= maxNodes) {
      truncated = true;
      return false;
    }
    nodeIds.add(id);
    (isTable ? tableIds : callerIds).add(id);
    return true;
  };

  // Level by level, so every node is first reached across its fewest tables.
  type Step = { id: string; dir: Direction };
  const seen = new Set<string>();
  const firstVisit = (id: string, isTable: boolean, dir: Direction) => {
    const key = `${dir}\u0000${isTable ? 't' : 'c'}\u0000${id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const isTableRoot = 'tableArn' in root;
  const rootSteps: Step[] = (['down', 'up'] as const).map(dir => {
    firstVisit(rootNodeId, isTableRoot, dir);
    return { id: rootNodeId, dir };
  });
  let tables: Step[] = isTableRoot ? rootSteps : [];
  let callers: Step[] = isTableRoot ? [] : rootSteps;
  for (let crossed = 0; ; crossed++) {
    // Downstream a table leads to its readers, upstream to its writers.
    for (const step of tables) {
      for (const link of index.byTable.get(step.id) ?? []) {
        if ((step.dir === 'down') !== (link.kind === 'read')) continue;
        if (!admit(link.callerId, false)) continue;
        links.add(link);
        if (firstVisit(link.callerId, false, step.dir)) {
          callers.push({ id: link.callerId, dir: step.dir });
        }
      }
    }
    if (crossed >= depth) break;
    // Downstream a caller leads to the tables it writes, upstream to those it reads.
    const nextTables: Step[] = [];
    for (const step of callers) {
      for (const link of index.byCaller.get(step.id) ?? []) {
        if ((step.dir === 'down') !== (link.kind === 'write')) continue;
        if (!admit(link.tableArn, true)) continue;
        links.add(link);
        if (firstVisit(link.tableArn, true, step.dir)) {
          nextTables.push({ id: link.tableArn, dir: step.dir });
        }
      }
    }
    if (nextTables.length === 0) break;
    tables = nextTables;
    callers = [];
  }

  return {
    root,
    rootNodeId,
    window,
    depth,
    nodes: graphNodes(),
    edges: graphEdges(),
    findings: findingsOf(),
    ingestion: input.ingestion,
    truncated,
  };

  function graphNodes(): LineageGraphNode[] {
    const tableAccountsOf = (callerId: string) =>
      (index.byCaller.get(callerId) ?? []).flatMap(link => {
        const account = tryParseTableArn(link.tableArn)?.accountId;
        return account ? [account] : [];
      });
    const nodes: LineageGraphNode[] = [];
    for (const id of callerIds) {
      const caller = index.callers.get(id);
      nodes.push(
        caller
          ? namer.caller(caller, tableAccountsOf(id))
          : namer.entity(id, [], input.rootTitle),
      );
    }
    for (const id of tableIds) nodes.push(namer.table(id));
    const order = { entity: 0, table: 1, principal: 2 };
    return nodes.sort(
      (a, b) =>
        order[a.kind] - order[b.kind] ||
        a.title.localeCompare(b.title) ||
        compare(a.id, b.id),
    );
  }

  function graphEdges(): LineageGraphEdge[] {
    return [...links]
      .map(link => {
        const [source, target] =
          link.kind === 'write'
            ? [link.callerId, link.tableArn]
            : [link.tableArn, link.callerId];
        return {
          id: `${source}→${target}`,
          kind: link.kind,
          source,
          target,
          reads: link.kind === 'read' ? link.calls : 0,
          writes: link.kind === 'write' ? link.calls : 0,
          errors: link.errors,
          lastSeen: link.lastSeen,
          operations: [...link.operations]
            .map(([operation, c]) => ({ operation, ...c }))
            .sort((a, b) => compare(a.operation, b.operation)),
        };
      })
      .sort(
        (a, b) => compare(a.source, b.source) || compare(a.target, b.target),
      );
  }

  function findingsOf(): LineageFinding[] {
    const findings: LineageFinding[] = [];
    const entityRefs = [...callerIds].filter(
      id => index.callers.get(id)?.kind !== 'principal',
    );
    for (const ref of entityRefs.sort(compare)) {
      findings.push(...declarationFindings(ref, index, directory, namer));
      findings.push(...directory.problems.filter(p => p.entityRef === ref));
    }
    for (const id of [...callerIds].sort(compare)) {
      const caller = index.callers.get(id);
      if (caller?.kind !== 'principal' || caller.mapping !== 'unmapped') {
        continue;
      }
      findings.push(unmappedFinding(caller, index.byCaller.get(id) ?? []));
    }
    return findings;
  }
}

/** Undeclared access and unused declarations of one entity over the window. */
export function declarationFindings(
  entityRef: string,
  index: LinkIndex,
  directory: LineageDirectory,
  namer: NodeNamer,
): LineageFinding[] {
  const declared = directory.entities.get(entityRef)?.declaredTables;
  if (!declared) return [];
  const title = directory.entities.get(entityRef)?.title ?? entityRef;
  const touched = new Map<string, Link[]>();
  for (const link of index.byCaller.get(entityRef) ?? []) {
    const list = touched.get(link.tableArn) ?? [];
    list.push(link);
    touched.set(link.tableArn, list);
  }
  const findings: LineageFinding[] = [];
  for (const [tableArn, tableLinks] of [...touched].sort(([a], [b]) =>
    compare(a, b),
  )) {
    if (declared.has(tableArn)) continue;
    const access = tableLinks
      .map(l => l.kind)
      .sort()
      .filter((k, i, all) => all.indexOf(k) === i);
    const verbs = access
      .map(k => (k === 'read' ? 'read' : 'wrote'))
      .join(' and ');
    findings.push({
      kind: 'undeclared-access',
      entityRef,
      tableArn,
      access,
      calls: tableLinks.reduce((sum, l) => sum + l.calls + l.errors, 0),
      lastSeen: tableLinks
        .map(l => l.lastSeen)
        .sort()
        .pop()!,
      message: `${title} ${verbs} ${
        namer.table(tableArn).title
      } (${tableArn}) without declaring it in ${ANNOTATION_TABLE_ARNS}`,
    });
  }
  for (const tableArn of [...declared].sort(compare)) {
    if (touched.has(tableArn)) continue;
    findings.push({
      kind: 'unused-declaration',
      entityRef,
      tableArn,
      message: `${title} declares ${
        namer.table(tableArn).title
      } (${tableArn}) but did not read or write it in the window`,
    });
  }
  return findings;
}

function unmappedFinding(
  caller: Extract<Caller, { kind: 'principal' }>,
  links: Link[],
): LineageFinding {
  return {
    kind: 'unmapped-principal',
    principal: caller.principal,
    tableArns: [...new Set(links.map(l => l.tableArn))].sort(compare),
    calls: links.reduce((sum, l) => sum + l.calls + l.errors, 0),
    lastSeen:
      links
        .map(l => l.lastSeen)
        .sort()
        .pop() ?? '',
    message: unmappedHint(caller.principal, caller.principalType),
  };
}
