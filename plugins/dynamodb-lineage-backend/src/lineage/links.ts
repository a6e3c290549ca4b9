import {
  ANNOTATION_IAM_ROLE_ARNS,
  LineageAccountLabel,
  LineageEntityNode,
  LineagePrincipalNode,
  LineageTableNode,
  LineageWindow,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import type { LineageEdgeTotal } from '../store/LineageEdgeStore';
import { LineageDirectory } from './directory';

/** Whether the caller may read an entity ref in the catalog. */
export type RefVisibility = (entityRef: string) => boolean;

/** One caller's calls of one kind on one table, summed over the window. */
export interface Link {
  callerId: string;
  tableArn: string;
  kind: 'read' | 'write';
  calls: number;
  errors: number;
  lastSeen: string;
  operations: Map<string, { calls: number; errors: number }>;
}

/** Who made a call, as lineage may show it to the caller. */
export type Caller =
  | { kind: 'entity'; id: string; entityRef: string; principals: Set<string> }
  | {
      kind: 'principal';
      id: string;
      principal: string;
      principalType: string;
      principalAccountId?: string;
      mapping: 'unmapped' | 'not-visible';
    };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `days` UTC days ending with today's. */
export function lineageWindow(days: number, now: Date): LineageWindow {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS)
    .toISOString()
    .slice(0, 10);
  return { days, from, to };
}

/** Every day of the window, in order. */
export function daysOf(window: LineageWindow): string[] {
  const first = Date.parse(`${window.from}T00:00:00Z`);
  return Array.from({ length: window.days }, (_, i) =>
    new Date(first + i * DAY_MS).toISOString().slice(0, 10),
  );
}

/** `role/payments-api` for a role ARN, the service name for a service. */
export function shortPrincipal(principal: string): string {
  const match = /^arn:[^:]+:(?:iam|sts)::\d{12}:(.+)$/.exec(principal);
  return match ? match[1] : principal;
}

/**
 * Resolves principals to callers and sums edges into links. A principal an
 * entity the caller may see claims becomes that entity; one a hidden entity
 * claims stays a principal marked `not-visible`; the rest are `unmapped`.
 */
export class LinkIndex {
  readonly callers = new Map<string, Caller>();
  readonly byCaller = new Map<string, Link[]>();
  readonly byTable = new Map<string, Link[]>();
  private readonly links = new Map<string, Link>();

  constructor(
    edges: Iterable<LineageEdgeTotal>,
    private readonly directory: LineageDirectory,
    private readonly visible: RefVisibility,
  ) {
    for (const edge of edges) this.add(edge);
  }

  callerOf(edge: LineageEdgeTotal): Caller {
    const ref = this.directory.entityOfPrincipal.get(edge.principal);
    if (ref && this.visible(ref)) {
      let caller = this.callers.get(ref);
      if (!caller) {
        caller = {
          kind: 'entity',
          id: ref,
          entityRef: ref,
          principals: new Set(),
        };
        this.callers.set(ref, caller);
      }
      if (caller.kind === 'entity') caller.principals.add(edge.principal);
      return caller;
    }
    let caller = this.callers.get(edge.principal);
    if (!caller) {
      caller = {
        kind: 'principal',
        id: edge.principal,
        principal: edge.principal,
        principalType: edge.principalType,
        ...(edge.principalAccountId
          ? { principalAccountId: edge.principalAccountId }
          : {}),
        mapping: ref ? 'not-visible' : 'unmapped',
      };
      this.callers.set(edge.principal, caller);
    }
    return caller;
  }

  private add(edge: LineageEdgeTotal) {
    const caller = this.callerOf(edge);
    const key = `${caller.id}\u0000${edge.tableArn}\u0000${edge.kind}`;
    let link = this.links.get(key);
    if (!link) {
      link = {
        callerId: caller.id,
        tableArn: edge.tableArn,
        kind: edge.kind,
        calls: 0,
        errors: 0,
        lastSeen: edge.lastSeen,
        operations: new Map(),
      };
      this.links.set(key, link);
      push(this.byCaller, caller.id, link);
      push(this.byTable, edge.tableArn, link);
    }
    link.calls += edge.calls;
    link.errors += edge.errors;
    if (edge.lastSeen > link.lastSeen) link.lastSeen = edge.lastSeen;
    const op = link.operations.get(edge.operation) ?? { calls: 0, errors: 0 };
    op.calls += edge.calls;
    op.errors += edge.errors;
    link.operations.set(edge.operation, op);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Names nodes for one answer: entities by title, tables by their Resource or
 * table name, principals by their short form, accounts by their entity, each
 * only when the caller may see the entity.
 */
export class NodeNamer {
  constructor(
    private readonly directory: LineageDirectory,
    private readonly visible: RefVisibility,
  ) {}

  account(accountId: string | undefined): LineageAccountLabel | undefined {
    if (!accountId) return undefined;
    const account = this.directory.accounts.get(accountId);
    const entityVisible =
      account?.entityRef !== undefined && this.visible(account.entityRef);
    const ownerVisible =
      account?.owner !== undefined && this.visible(account.owner);
    return {
      accountId,
      title:
        entityVisible || (account && !account.entityRef)
          ? account!.title
          : accountId,
      ...(entityVisible ? { entityRef: account!.entityRef } : {}),
      ...(ownerVisible ? { ownerRef: account!.owner } : {}),
    };
  }

  table(tableArn: string): LineageTableNode {
    const parts = tryParseTableArn(tableArn);
    const entity = this.directory.tables.get(tableArn);
    const named = entity && this.visible(entity.entityRef) ? entity : undefined;
    const account = this.account(parts?.accountId);
    return {
      id: tableArn,
      kind: 'table',
      title: named?.title ?? parts?.tableName ?? tableArn,
      tableArn,
      ...(named ? { entityRef: named.entityRef } : {}),
      region: parts?.region ?? '',
      ...(account ? { account } : {}),
    };
  }

  entity(
    entityRef: string,
    principals: Iterable<string>,
    fallbackTitle?: string,
  ): LineageEntityNode {
    const known = this.directory.entities.get(entityRef);
    return {
      id: entityRef,
      kind: 'entity',
      title: known?.title ?? fallbackTitle ?? entityRef,
      entityRef,
      principals: [...principals].sort(),
    };
  }

  caller(
    caller: Caller,
    tableAccounts: Iterable<string> = [],
  ): LineageEntityNode | LineagePrincipalNode {
    if (caller.kind === 'entity') {
      return this.entity(caller.entityRef, caller.principals);
    }
    const account = this.account(caller.principalAccountId);
    if (account) {
      const own = new Set(tableAccounts);
      if (own.size > 0 && !own.has(account.accountId)) account.foreign = true;
    }
    const short = shortPrincipal(caller.principal);
    return {
      id: caller.id,
      kind: 'principal',
      title: short,
      principal: caller.principal,
      principalType: caller.principalType,
      mapping: caller.mapping,
      ...(caller.mapping === 'unmapped'
        ? { hint: unmappedHint(caller.principal, caller.principalType) }
        : {}),
      ...(account ? { account } : {}),
    };
  }
}

/** What would give an unmapped principal a name. */
export function unmappedHint(principal: string, principalType: string): string {
  if (principalType === 'AWSService' || !principal.startsWith('arn:')) {
    return `${principal} is not an IAM role or user; the entity that makes it call DynamoDB cannot be named from the logs`;
  }
  return `who owns ${shortPrincipal(
    principal,
  )}? annotate its component with ${ANNOTATION_IAM_ROLE_ARNS}: ${principal}`;
}

/** Code-unit order: the same in every locale and runtime. */
export function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
