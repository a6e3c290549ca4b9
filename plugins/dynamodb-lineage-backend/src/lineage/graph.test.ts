import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  LineageGraph,
  LineageGraphRoot,
  LineagePrincipalNode,
} from '@lineage/plugin-dynamodb-lineage-common';
import { resolveAccounts } from '@lineage/plugin-dynamodb-lineage-node';
import {
  AUDIT,
  LEDGER,
  LINEAGE_NOW,
  PAYMENTS,
  REF,
  ROLE,
  edge,
  lineageEdges,
  lineageEntities,
} from '../__testUtils__/lineageWorld';
import { buildLineageDirectory, principalOfAnnotationValue } from './directory';
import { buildLineageGraph } from './graph';
import { lineageWindow } from './links';
import { buildLineageRelations } from './relations';
import { buildTableActivity } from './tableActivity';

const accounts = resolveAccounts({
  entities: lineageEntities.filter(e => e.spec?.type === 'aws-account'),
  configured: [],
  defaultRegions: ['us-east-1'],
}).accounts;
const directory = buildLineageDirectory({
  entities: lineageEntities,
  accounts,
});
const everything = () => true;
const hidingSecret = (ref: string) => ref !== REF.secret;
const ingestion = { sources: [] };

function graph(
  root: LineageGraphRoot,
  depth: number,
  options: {
    visible?: (ref: string) => boolean;
    edges?: typeof lineageEdges;
    maxNodes?: number;
    days?: number;
  } = {},
): LineageGraph {
  return buildLineageGraph({
    edges: options.edges ?? lineageEdges,
    directory,
    visible: options.visible ?? everything,
    root,
    depth,
    window: lineageWindow(options.days ?? 7, LINEAGE_NOW),
    ingestion,
    ...(options.maxNodes ? { maxNodes: options.maxNodes } : {}),
  });
}

const ids = (g: LineageGraph) => g.nodes.map(n => n.id);
const edgeIds = (g: LineageGraph) => g.edges.map(e => e.id);

describe('principalOfAnnotationValue', () => {
  it('takes role and user ARNs as they are and an assumed-role session as its role', () => {
    expect(principalOfAnnotationValue(ROLE.paymentsApi)).toEqual({
      principal: ROLE.paymentsApi,
    });
    expect(
      principalOfAnnotationValue('arn:aws:iam::111111111111:user/ci'),
    ).toEqual({ principal: 'arn:aws:iam::111111111111:user/ci' });
    expect(
      principalOfAnnotationValue(
        'arn:aws-cn:sts::111111111111:assumed-role/job/session-1',
      ),
    ).toEqual({ principal: 'arn:aws-cn:iam::111111111111:role/job' });
  });

  it.each([
    'not-an-arn',
    'arn:aws:iam::1111:role/short-account',
    'arn:aws:s3:::bucket',
    'arn:aws:iam::111111111111:group/admins',
    'role/payments-api',
  ])('refuses %s with the reason', value => {
    expect(principalOfAnnotationValue(value)).toEqual({
      problem: expect.stringContaining(
        `"${value}" must be an IAM role or user ARN`,
      ),
    });
  });
});

describe('buildLineageDirectory', () => {
  it('maps annotated principals to their entities and tables to their Resources', () => {
    expect(directory.entityOfPrincipal.get(ROLE.paymentsApi)).toBe(
      REF.paymentsApi,
    );
    expect(directory.entityOfPrincipal.get(ROLE.settlement)).toBe(
      REF.settlement,
    );
    expect(directory.tables.get(PAYMENTS)?.entityRef).toBe(REF.paymentsTable);
    // A table Resource's own ARN is not a declaration.
    expect(directory.entities.has(REF.paymentsTable)).toBe(false);
    expect([...directory.entities.get(REF.reporting)!.declaredTables!]).toEqual(
      [LEDGER, AUDIT],
    );
  });

  it('reports bad values instead of failing, and keeps the good ones', () => {
    expect(directory.problems).toEqual([
      expect.objectContaining({
        kind: 'invalid-annotation',
        entityRef: REF.paymentsApi,
        annotation: 'dynamodb-lineage/iam-role-arns',
        value: 'not-an-arn',
      }),
    ]);
  });

  it('gives a principal two entities claim to the first by ref and reports the other', () => {
    const claim = (name: string) => ({
      ...lineageEntities[3],
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'dynamodb-lineage/iam-role-arns': ROLE.paymentsApi,
          'dynamodb-lineage/table-arns': 'arn:aws:dynamodb:us-east-1:1:table/x',
        },
      },
    });
    const d = buildLineageDirectory({
      entities: [claim('zeta'), claim('alpha')],
      accounts: [],
    });
    expect(d.entityOfPrincipal.get(ROLE.paymentsApi)).toBe(
      'component:default/alpha',
    );
    expect(d.problems.map(p => [p.entityRef, p.annotation])).toEqual([
      ['component:default/alpha', 'dynamodb-lineage/table-arns'],
      ['component:default/zeta', 'dynamodb-lineage/table-arns'],
      ['component:default/zeta', 'dynamodb-lineage/iam-role-arns'],
    ]);
  });
});

describe('buildLineageGraph', () => {
  it('at depth 1 shows what a component writes and who reads it, by name', () => {
    const g = graph({ entityRef: REF.paymentsApi }, 1);
    expect(g.rootNodeId).toBe(REF.paymentsApi);
    expect(ids(g)).toEqual([
      REF.paymentsApi,
      REF.secret,
      REF.settlement,
      PAYMENTS,
    ]);
    expect(edgeIds(g)).toEqual([
      `${PAYMENTS}→${REF.secret}`,
      `${PAYMENTS}→${REF.settlement}`,
      `${REF.paymentsApi}→${PAYMENTS}`,
    ]);
    expect(g.nodes[0]).toMatchObject({
      kind: 'entity',
      title: 'Payments API',
      principals: [ROLE.paymentsApi],
    });
    expect(g.nodes.find(n => n.id === PAYMENTS)).toMatchObject({
      kind: 'table',
      title: '111111111111-us-east-1-payments',
      entityRef: REF.paymentsTable,
      account: {
        accountId: '111111111111',
        title: 'payments-prod',
        entityRef: REF.account,
        ownerRef: 'group:default/team-payments',
      },
    });
    expect(g.truncated).toBe(false);
  });

  it('sums the window’s days and operations onto one edge per caller, table and direction', () => {
    const g = graph({ entityRef: REF.paymentsApi }, 1);
    expect(g.edges[2]).toEqual({
      id: `${REF.paymentsApi}→${PAYMENTS}`,
      kind: 'write',
      source: REF.paymentsApi,
      target: PAYMENTS,
      reads: 0,
      writes: 305,
      errors: 2,
      lastSeen: '2026-03-02T02:00:00.000Z',
      operations: [
        { operation: 'PutItem', calls: 300, errors: 2 },
        { operation: 'UpdateItem', calls: 5, errors: 0 },
      ],
    });
    // Days before the window are left to the caller's query; a one-day window drops 03-01.
    const oneDay = graph({ entityRef: REF.paymentsApi }, 1, {
      edges: lineageEdges.filter(e => e.day === '2026-03-02'),
      days: 1,
    });
    expect(oneDay.edges[2].writes).toBe(300);
  });

  it('follows the data two tables downstream at depth 2', () => {
    const g = graph({ entityRef: REF.paymentsApi }, 2);
    expect(ids(g)).toEqual([
      REF.paymentsApi,
      REF.reporting,
      REF.secret,
      REF.settlement,
      PAYMENTS,
      LEDGER,
      ROLE.adhoc,
    ]);
    expect(edgeIds(g)).toContain(`${REF.settlement}→${LEDGER}`);
    expect(edgeIds(g)).toContain(`${LEDGER}→${REF.reporting}`);
    expect(edgeIds(g)).toContain(`${LEDGER}→${ROLE.adhoc}`);
    // Deeper than the data goes changes nothing.
    expect(graph({ entityRef: REF.paymentsApi }, 5)).toEqual({
      ...g,
      depth: 5,
    });
  });

  it('walks upstream from a reader: the tables it reads and who writes them', () => {
    const g = graph({ entityRef: REF.reporting }, 1);
    expect(ids(g)).toEqual([REF.reporting, REF.settlement, LEDGER]);
    expect(edgeIds(g)).toEqual([
      `${LEDGER}→${REF.reporting}`,
      `${REF.settlement}→${LEDGER}`,
    ]);
    const deeper = graph({ entityRef: REF.reporting }, 2);
    expect(ids(deeper)).toEqual([
      REF.paymentsApi,
      REF.reporting,
      REF.settlement,
      PAYMENTS,
      LEDGER,
    ]);
    // Upstream does not turn downstream: payments' other readers are not on reporting's path.
    expect(ids(deeper)).not.toContain(REF.secret);
  });

  it('starts at a table: writers → table → readers, then one table further each way', () => {
    const g = graph({ tableArn: LEDGER }, 1);
    expect(g.rootNodeId).toBe(LEDGER);
    expect(ids(g)).toEqual([
      REF.paymentsApi,
      REF.reporting,
      REF.settlement,
      PAYMENTS,
      LEDGER,
      ROLE.adhoc,
    ]);
  });

  it('names no entity the caller may not see: its principal stands alone, without a hint', () => {
    const g = graph({ entityRef: REF.paymentsApi }, 1, {
      visible: hidingSecret,
    });
    expect(JSON.stringify(g)).not.toContain(REF.secret);
    const node = g.nodes.find(
      n => n.id === ROLE.secret,
    ) as LineagePrincipalNode;
    expect(node).toMatchObject({
      kind: 'principal',
      mapping: 'not-visible',
      title: 'role/secret-svc',
    });
    expect(node.hint).toBeUndefined();
    expect(g.findings.map(f => f.kind)).not.toContain('unmapped-principal');
  });

  it('labels a principal of another account with that account', () => {
    const g = graph({ tableArn: LEDGER }, 1);
    const adhoc = g.nodes.find(
      n => n.id === ROLE.adhoc,
    ) as LineagePrincipalNode;
    expect(adhoc).toMatchObject({
      mapping: 'unmapped',
      title: 'role/adhoc-export',
      account: {
        accountId: '333333333333',
        title: '333333333333',
        foreign: true,
      },
      hint: `who owns role/adhoc-export? annotate its component with dynamodb-lineage/iam-role-arns: ${ROLE.adhoc}`,
    });
  });

  it('reports undeclared access, unused declarations, unmapped principals and bad annotations of the graph’s entities', () => {
    const g = graph({ tableArn: LEDGER }, 1);
    expect(
      g.findings.map(f => [
        f.kind,
        'entityRef' in f ? f.entityRef : f.principal,
        'tableArn' in f ? f.tableArn : undefined,
      ]),
    ).toEqual([
      ['invalid-annotation', REF.paymentsApi, undefined],
      ['unused-declaration', REF.reporting, AUDIT],
      ['undeclared-access', REF.settlement, LEDGER],
      ['unmapped-principal', ROLE.adhoc, undefined],
    ]);
    expect(g.findings[2]).toMatchObject({
      access: ['write'],
      calls: 42,
      lastSeen: '2026-03-02T03:00:00.000Z',
      message: expect.stringContaining(
        'settlement-job wrote ledger (arn:aws:dynamodb:us-east-1:111111111111:table/ledger) without declaring it',
      ),
    });
    expect(g.findings[3]).toMatchObject({ tableArns: [LEDGER], calls: 3 });
  });

  it('is the same whatever order the edges come in', () => {
    const reversed = [...lineageEdges].reverse();
    expect(graph({ tableArn: LEDGER }, 2, { edges: reversed })).toEqual(
      graph({ tableArn: LEDGER }, 2),
    );
  });

  it('stops at the node limit and says so', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      edge(`arn:aws:iam::111111111111:role/reader-${i}`, PAYMENTS, 'read'),
    );
    const g = graph({ tableArn: PAYMENTS }, 1, {
      edges: many,
      maxNodes: 10,
    });
    expect(g.nodes).toHaveLength(10);
    expect(g.truncated).toBe(true);
    expect(g.edges).toHaveLength(9);
  });

  it('answers an entity without traffic with its own node only', () => {
    const g = buildLineageGraph({
      edges: lineageEdges,
      directory,
      visible: everything,
      root: { entityRef: 'component:default/quiet' },
      rootTitle: 'Quiet',
      depth: 2,
      window: lineageWindow(7, LINEAGE_NOW),
      ingestion,
    });
    expect(g.nodes).toEqual([
      {
        id: 'component:default/quiet',
        kind: 'entity',
        title: 'Quiet',
        entityRef: 'component:default/quiet',
        principals: [],
      },
    ]);
    expect(g.edges).toEqual([]);
  });
});

describe('buildTableActivity', () => {
  it('gives each caller every day of the window, busiest first, named as in the graph', () => {
    const activity = buildTableActivity({
      tableArn: PAYMENTS,
      edges: lineageEdges,
      directory,
      visible: hidingSecret,
      window: lineageWindow(3, LINEAGE_NOW),
      ingestion,
    });
    expect(activity.days).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(activity.table.entityRef).toBe(REF.paymentsTable);
    expect(activity.series.map(s => [s.caller.id, s.reads, s.writes])).toEqual([
      [REF.settlement, 900, 0],
      [REF.paymentsApi, 0, 305],
      [ROLE.secret, 7, 0],
    ]);
    expect(activity.series[1].points).toEqual([
      { day: '2026-02-28', reads: 0, writes: 0, errors: 0 },
      { day: '2026-03-01', reads: 0, writes: 5, errors: 0 },
      { day: '2026-03-02', reads: 0, writes: 300, errors: 2 },
    ]);
    expect(activity.series[2].caller).toMatchObject({ mapping: 'not-visible' });
  });
});

describe('buildLineageRelations', () => {
  it('relates mapped entities to the tables they read or wrote, never a principal', () => {
    const { relations } = buildLineageRelations({
      edges: lineageEdges,
      directory,
      visible: everything,
      window: lineageWindow(30, LINEAGE_NOW),
    });
    expect(
      relations.map(r => [r.entityRef, r.tableArn, r.access, r.calls]),
    ).toEqual([
      [REF.paymentsApi, PAYMENTS, 'write', 305],
      [REF.reporting, LEDGER, 'read', 12],
      [REF.secret, PAYMENTS, 'read', 7],
      [REF.settlement, LEDGER, 'write', 42],
      [REF.settlement, PAYMENTS, 'read', 900],
    ]);
    expect(relations[0].tableEntityRef).toBe(REF.paymentsTable);
    expect(relations[1].tableEntityRef).toBeUndefined();
  });

  it('makes no relation from failed calls alone', () => {
    const { relations } = buildLineageRelations({
      edges: [edge(ROLE.reporting, AUDIT, 'write', { calls: 0, errors: 4 })],
      directory,
      visible: everything,
      window: lineageWindow(30, LINEAGE_NOW),
    });
    expect(relations).toEqual([]);
  });
});

// Keeps the world honest: every entity ref the tests name exists in it.
it('names only entities of the world', () => {
  const refs = new Set(lineageEntities.map(e => stringifyEntityRef(e)));
  for (const ref of Object.values(REF)) expect(refs).toContain(ref);
});
