import type {
  LineageGraph,
  TableActivity,
} from '@lineage/plugin-dynamodb-lineage-common';
import { minutesAgo } from './fixtures';

const PAYMENTS_TABLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const LEDGER_TABLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
const REPORTING_ROLE = 'arn:aws:iam::222222222222:role/reporting-job';

const paymentsAccount = {
  accountId: '111111111111',
  title: 'payments-prod',
  entityRef: 'resource:default/payments-prod',
  ownerRef: 'group:default/team-payments',
};

/**
 * Two hops around payments-api as `GET /lineage/graph` answers them:
 * payments-api writes payments, settlement-job reads it and writes ledger,
 * and an unmapped role from another account reads ledger.
 */
export const paymentsGraph: LineageGraph = {
  root: { entityRef: 'component:default/payments-api' },
  rootNodeId: 'component:default/payments-api',
  window: { days: 7, from: '2026-02-24', to: '2026-03-02' },
  depth: 2,
  nodes: [
    {
      id: 'component:default/payments-api',
      kind: 'entity',
      title: 'Payments API',
      entityRef: 'component:default/payments-api',
      principals: ['arn:aws:iam::111111111111:role/payments-api'],
      account: paymentsAccount,
    },
    {
      id: 'component:default/settlement-job',
      kind: 'entity',
      title: 'settlement-job',
      entityRef: 'component:default/settlement-job',
      principals: ['arn:aws:iam::111111111111:role/settlement-job'],
      account: paymentsAccount,
    },
    {
      id: LEDGER_TABLE,
      kind: 'table',
      title: 'ledger',
      tableArn: LEDGER_TABLE,
      region: 'us-east-1',
      account: paymentsAccount,
    },
    {
      id: PAYMENTS_TABLE,
      kind: 'table',
      title: 'payments',
      tableArn: PAYMENTS_TABLE,
      entityRef: 'resource:default/111111111111-us-east-1-payments',
      region: 'us-east-1',
      account: paymentsAccount,
    },
    {
      id: REPORTING_ROLE,
      kind: 'principal',
      title: 'role/reporting-job',
      principal: REPORTING_ROLE,
      principalType: 'AssumedRole',
      mapping: 'unmapped',
      hint: 'who owns role/reporting-job? annotate its component with dynamodb-lineage/iam-role-arns',
      account: {
        accountId: '222222222222',
        title: '222222222222',
        foreign: true,
      },
    },
  ],
  edges: [
    {
      id: `component:default/payments-api→${PAYMENTS_TABLE}`,
      kind: 'write',
      source: 'component:default/payments-api',
      target: PAYMENTS_TABLE,
      reads: 0,
      writes: 310,
      errors: 2,
      lastSeen: minutesAgo(8),
      operations: [{ operation: 'PutItem', calls: 310, errors: 2 }],
    },
    {
      id: `component:default/settlement-job→${LEDGER_TABLE}`,
      kind: 'write',
      source: 'component:default/settlement-job',
      target: LEDGER_TABLE,
      reads: 0,
      writes: 42,
      errors: 0,
      lastSeen: minutesAgo(60),
      operations: [{ operation: 'BatchWriteItem', calls: 42, errors: 0 }],
    },
    {
      id: `${LEDGER_TABLE}→${REPORTING_ROLE}`,
      kind: 'read',
      source: LEDGER_TABLE,
      target: REPORTING_ROLE,
      reads: 12,
      writes: 0,
      errors: 0,
      lastSeen: minutesAgo(120),
      operations: [{ operation: 'Scan', calls: 12, errors: 0 }],
    },
    {
      id: `${PAYMENTS_TABLE}→component:default/settlement-job`,
      kind: 'read',
      source: PAYMENTS_TABLE,
      target: 'component:default/settlement-job',
      reads: 900,
      writes: 0,
      errors: 0,
      lastSeen: minutesAgo(60),
      operations: [{ operation: 'Query', calls: 900, errors: 0 }],
    },
  ],
  findings: [
    {
      kind: 'undeclared-access',
      entityRef: 'component:default/settlement-job',
      tableArn: LEDGER_TABLE,
      access: ['write'],
      calls: 42,
      lastSeen: minutesAgo(60),
      message:
        'component:default/settlement-job wrote ledger without declaring it in dynamodb-lineage/table-arns',
    },
    {
      kind: 'unmapped-principal',
      principal: REPORTING_ROLE,
      tableArns: [LEDGER_TABLE],
      calls: 12,
      lastSeen: minutesAgo(120),
      message:
        'who owns role/reporting-job? annotate its component with dynamodb-lineage/iam-role-arns',
    },
  ],
  ingestion: {
    ingestedThrough: minutesAgo(4),
    lagMinutes: 4,
    sources: [
      {
        trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/lineage',
        accountId: '111111111111',
        region: 'us-east-1',
        ingestedThrough: minutesAgo(4),
        newestDelivered: minutesAgo(0),
        lagMinutes: 4,
      },
    ],
  },
  truncated: false,
};

/** payments' daily activity over three days, as `GET /lineage/table` answers it. */
export const paymentsTableActivity: TableActivity = {
  table: paymentsGraph.nodes[3] as TableActivity['table'],
  window: { days: 3, from: '2026-02-28', to: '2026-03-02' },
  days: ['2026-02-28', '2026-03-01', '2026-03-02'],
  series: [
    {
      caller: paymentsGraph.nodes[1] as TableActivity['series'][0]['caller'],
      reads: 900,
      writes: 0,
      errors: 0,
      lastSeen: minutesAgo(60),
      points: [
        { day: '2026-02-28', reads: 300, writes: 0, errors: 0 },
        { day: '2026-03-01', reads: 400, writes: 0, errors: 0 },
        { day: '2026-03-02', reads: 200, writes: 0, errors: 0 },
      ],
    },
    {
      caller: paymentsGraph.nodes[0] as TableActivity['series'][0]['caller'],
      reads: 0,
      writes: 310,
      errors: 2,
      lastSeen: minutesAgo(8),
      points: [
        { day: '2026-02-28', reads: 0, writes: 100, errors: 0 },
        { day: '2026-03-01', reads: 0, writes: 110, errors: 2 },
        { day: '2026-03-02', reads: 0, writes: 100, errors: 0 },
      ],
    },
  ],
  ingestion: paymentsGraph.ingestion,
};
