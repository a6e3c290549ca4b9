import { Entity } from '@backstage/catalog-model';
import { DailyLineageEdge } from '@lineage/plugin-dynamodb-lineage-common';
import { owned } from './demoCatalog';

/*
 * A small lineage world: payments-api writes payments; settlement-job reads
 * payments and writes ledger (undeclared); reporting reads ledger and declares
 * an audit table it never touches; an unmapped role of another account reads
 * ledger; secret-svc, owned by a team one user may not see, reads payments.
 */

export const PAYMENTS_TEAM = 'group:default/team-payments';
export const SECRET_TEAM = 'group:default/team-secret';
export const PAYMENTS =
  'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
export const LEDGER = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
export const AUDIT = 'arn:aws:dynamodb:us-east-1:111111111111:table/audit';
export const ROLE = {
  paymentsApi: 'arn:aws:iam::111111111111:role/payments-api',
  settlement: 'arn:aws:iam::111111111111:role/settlement-job',
  reporting: 'arn:aws:iam::111111111111:role/reporting',
  secret: 'arn:aws:iam::111111111111:role/secret-svc',
  adhoc: 'arn:aws:iam::333333333333:role/adhoc-export',
};
export const REF = {
  paymentsApi: 'component:default/payments-api',
  settlement: 'component:default/settlement-job',
  reporting: 'component:default/reporting',
  secret: 'component:default/secret-svc',
  paymentsTable: 'resource:default/111111111111-us-east-1-payments',
  account: 'resource:default/aws-payments-prod',
};

export function lineageComponent(
  name: string,
  annotations: Record<string, string>,
  owner = PAYMENTS_TEAM,
  title?: string,
): Entity {
  return owned(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        ...(title ? { title } : {}),
        annotations,
      },
      spec: { type: 'service', lifecycle: 'production' },
    },
    owner,
  );
}

export function tableResource(name: string, tableArn: string): Entity {
  return owned(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'dynamodb-lineage/table-arns': tableArn },
      },
      spec: { type: 'dynamodb-table' },
    },
    PAYMENTS_TEAM,
  );
}

export const lineageEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-secret', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  owned(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'aws-payments-prod',
        namespace: 'default',
        title: 'payments-prod',
        annotations: {
          'aws.amazon.com/account-id': '111111111111',
          'dynamodb-lineage/regions': 'us-east-1',
        },
      },
      spec: { type: 'aws-account' },
    },
    PAYMENTS_TEAM,
  ),
  lineageComponent(
    'payments-api',
    {
      'dynamodb-lineage/iam-role-arns': `${ROLE.paymentsApi}, not-an-arn`,
      'dynamodb-lineage/table-arns': PAYMENTS,
    },
    PAYMENTS_TEAM,
    'Payments API',
  ),
  lineageComponent('settlement-job', {
    // The session form names the role it is of.
    'dynamodb-lineage/iam-role-arns':
      'arn:aws:sts::111111111111:assumed-role/settlement-job/nightly',
    'dynamodb-lineage/table-arns': PAYMENTS,
  }),
  lineageComponent('reporting', {
    'dynamodb-lineage/iam-role-arns': ROLE.reporting,
    'dynamodb-lineage/table-arns': `${LEDGER},${AUDIT}`,
  }),
  lineageComponent(
    'secret-svc',
    {
      'dynamodb-lineage/iam-role-arns': ROLE.secret,
      'dynamodb-lineage/table-arns': PAYMENTS,
    },
    SECRET_TEAM,
  ),
  tableResource('111111111111-us-east-1-payments', PAYMENTS),
];

export function edge(
  principal: string,
  tableArn: string,
  kind: 'read' | 'write',
  overrides: Partial<DailyLineageEdge> = {},
): DailyLineageEdge {
  const day = overrides.day ?? '2026-03-02';
  return {
    accountId: '111111111111',
    region: 'us-east-1',
    tableArn,
    principal,
    principalType: 'AssumedRole',
    principalAccountId: principal.split(':')[4],
    operation: kind === 'read' ? 'Query' : 'PutItem',
    kind,
    day,
    calls: 10,
    errors: 0,
    firstSeen: `${day}T01:00:00.000Z`,
    lastSeen: `${day}T02:00:00.000Z`,
    ...overrides,
  };
}

/** Window: 2026-02-24 … 2026-03-02 (7 days, now = 2026-03-02T12:00Z). */
export const LINEAGE_NOW = new Date('2026-03-02T12:00:00.000Z');

export const lineageEdges: DailyLineageEdge[] = [
  edge(ROLE.paymentsApi, PAYMENTS, 'write', { calls: 300, errors: 2 }),
  edge(ROLE.paymentsApi, PAYMENTS, 'write', {
    day: '2026-03-01',
    operation: 'UpdateItem',
    calls: 5,
  }),
  edge(ROLE.settlement, PAYMENTS, 'read', { calls: 900 }),
  edge(ROLE.settlement, LEDGER, 'write', {
    operation: 'BatchWriteItem',
    calls: 42,
    lastSeen: '2026-03-02T03:00:00.000Z',
  }),
  edge(ROLE.reporting, LEDGER, 'read', { operation: 'Scan', calls: 12 }),
  edge(ROLE.adhoc, LEDGER, 'read', {
    operation: 'Scan',
    calls: 3,
    day: '2026-02-28',
  }),
  edge(ROLE.secret, PAYMENTS, 'read', { calls: 7 }),
];
