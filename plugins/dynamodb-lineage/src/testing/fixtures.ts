/*
 * Test data shaped like the backend's answers for the demo world (the README's
 * demo table). Tests only: nothing here ships in the UI.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  ANNOTATION_TABLE_ARNS,
  ANNOTATION_TRAIL_ARN,
  ANNOTATION_TRAIL_BUCKET,
  ANNOTATION_TRAIL_HOME_REGION,
  RESOURCE_TYPE_AWS_ACCOUNT,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
  buildCostForecast,
  buildTeamsOverview,
  cloudTrailBucketPolicyStatements,
  projectMonthlyDataEventCostUsd,
  summarizeTeam,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  S3_ONLY_SELECTORS,
  judgedAccountRegion,
  uncoveredAccountRegion,
} from './evidence';
import type {
  AccountRegionStatus,
  EntityStatus,
  OverallStatus,
  OwnedAccount,
  Plan,
  TableLineage,
  TeamsOverview,
  TeamStatus,
  TeamSummary,
  TrailHealth,
  TrailHistoryPoint,
  TrailRef,
} from '@lineage/plugin-dynamodb-lineage-common';

/** The instant every fixture is relative to; tests freeze the clock here. */
export const NOW = new Date('2026-03-02T12:00:00.000Z');

export function minutesAgo(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

/* ------------------------------- entities ------------------------------- */

export const paymentsGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export const analyticsGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-analytics', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export const paymentsComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-service',
    namespace: 'default',
    annotations: {
      [ANNOTATION_TABLE_ARNS]:
        'arn:aws:dynamodb:us-east-1:111111111111:table/payments,arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

export const componentWithoutTables: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: { type: 'website', lifecycle: 'production', owner: 'team-payments' },
};

export const paymentsAccount: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'aws-payments-prod',
    namespace: 'default',
    annotations: {
      [ANNOTATION_AWS_ACCOUNT_ID]: '111111111111',
      [ANNOTATION_REGIONS]: 'us-east-1,eu-west-1',
    },
  },
  spec: { type: RESOURCE_TYPE_AWS_ACCOUNT, owner: 'team-payments' },
};

export const accountWithoutId: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'aws-sandbox', namespace: 'default' },
  spec: { type: RESOURCE_TYPE_AWS_ACCOUNT, owner: 'team-payments' },
};

export const PAYMENTS_TRAIL_ARN =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';

export const paymentsTrailEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'trail-111111111111-dynamodb-lineage',
    namespace: 'default',
    annotations: {
      [ANNOTATION_TRAIL_ARN]: PAYMENTS_TRAIL_ARN,
      [ANNOTATION_TRAIL_BUCKET]: 'dynamodb-lineage-111111111111',
      [ANNOTATION_TRAIL_HOME_REGION]: 'us-east-1',
    },
  },
  spec: { type: RESOURCE_TYPE_CLOUDTRAIL_TRAIL, owner: 'team-payments' },
};

export const unrelatedResource: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'orders-db', namespace: 'default' },
  spec: { type: 'database', owner: 'team-orders' },
};

/* -------------------------------- trails -------------------------------- */

export const paymentsTrail: TrailRef = {
  arn: PAYMENTS_TRAIL_ARN,
  name: 'dynamodb-lineage',
  accountId: '111111111111',
  homeRegion: 'us-east-1',
  bucket: 'dynamodb-lineage-111111111111',
};

export const ordersTrail: TrailRef = {
  arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/dynamodb-lineage',
  name: 'dynamodb-lineage',
  accountId: '222222222222',
  homeRegion: 'us-east-1',
  bucket: 'dynamodb-lineage-222222222222',
};

export const inventoryTrail: TrailRef = {
  arn: 'arn:aws:cloudtrail:us-east-1:333333333333:trail/s3-audit',
  name: 's3-audit',
  accountId: '333333333333',
  homeRegion: 'us-east-1',
  bucket: 'inventory-audit-logs',
};

/* ---------------------------- account-regions ---------------------------- */

/*
 * Judged from AWS-shaped evidence by the common package's checks and status
 * rules (see ./evidence): the texts are the backend's.
 */

export const paymentsUsEast1: AccountRegionStatus = judgedAccountRegion(
  {
    trail: paymentsTrail,
    owner: 'group:default/team-payments',
    now: NOW,
    deliveredMinutesAgo: 3,
  },
  {
    region: 'us-east-1',
    accountEntityRef: 'resource:default/aws-payments-prod',
  },
);

export const paymentsEuWest1: AccountRegionStatus = judgedAccountRegion(
  {
    trail: paymentsTrail,
    owner: 'group:default/team-payments',
    now: NOW,
    deliveredMinutesAgo: 4,
  },
  {
    region: 'eu-west-1',
    accountEntityRef: 'resource:default/aws-payments-prod',
  },
);

/** Healthy but for a warning: logs encrypted with SSE-S3 only. */
export const paymentsWithoutKms: AccountRegionStatus = judgedAccountRegion(
  {
    trail: paymentsTrail,
    owner: 'group:default/team-payments',
    now: NOW,
    deliveredMinutesAgo: 3,
    kms: false,
  },
  {
    region: 'us-east-1',
    accountEntityRef: 'resource:default/aws-payments-prod',
  },
);

/** Delivered last 5 h ago. */
export const ordersUsEast1: AccountRegionStatus = judgedAccountRegion(
  {
    trail: ordersTrail,
    owner: 'group:default/team-orders',
    now: NOW,
    deliveredMinutesAgo: 300,
  },
  { region: 'us-east-1', accountEntityRef: 'resource:default/aws-orders-prod' },
);

/** An S3 audit trail: no DynamoDB data events, no log file validation, no Block Public Access. */
export const inventoryUsEast1: AccountRegionStatus = judgedAccountRegion(
  {
    trail: inventoryTrail,
    owner: 'group:default/team-inventory',
    now: NOW,
    deliveredMinutesAgo: 6,
    selectors: S3_ONLY_SELECTORS,
    logFileValidation: false,
    blockPublicAccess: false,
  },
  {
    region: 'us-east-1',
    accountEntityRef: 'resource:default/aws-inventory-prod',
  },
);

export const analyticsUsEast1: AccountRegionStatus = uncoveredAccountRegion({
  accountId: '444444444444',
  region: 'us-east-1',
  accountEntityRef: 'resource:default/aws-analytics-prod',
  now: NOW,
});

/** The read role may not list trails: what a refresh stores then. */
export const deniedUsEast1: AccountRegionStatus = {
  accountId: '555555555555',
  region: 'us-east-1',
  status: 'unknown',
  checks: [],
  reason:
    'CloudTrail did not list trails: AccessDenied: arn:aws:iam::555555555555:role/backstage-dynamodb-lineage is not authorized to perform cloudtrail:DescribeTrails',
  checkedAt: minutesAgo(1),
};

/* --------------------------------- teams --------------------------------- */

export const paymentsTeam: TeamStatus = {
  team: summarizeTeam('group:default/team-payments', 'Payments', [
    paymentsUsEast1,
    paymentsEuWest1,
  ]),
  accountRegions: [paymentsUsEast1, paymentsEuWest1],
};

export const ordersTeam: TeamStatus = {
  team: summarizeTeam('group:default/team-orders', 'Orders', [ordersUsEast1]),
  accountRegions: [ordersUsEast1],
};

export const inventoryTeam: TeamStatus = {
  team: summarizeTeam('group:default/team-inventory', 'Inventory', [
    inventoryUsEast1,
  ]),
  accountRegions: [inventoryUsEast1],
};

export const analyticsTeam: TeamStatus = {
  team: summarizeTeam('group:default/team-analytics', 'Analytics', [
    analyticsUsEast1,
  ]),
  accountRegions: [analyticsUsEast1],
};

export const deniedTeam: TeamStatus = {
  team: summarizeTeam('group:default/team-search', 'Search', [deniedUsEast1]),
  accountRegions: [deniedUsEast1],
};

export const teamWithoutAccounts: TeamStatus = {
  team: summarizeTeam('group:default/platform', 'Platform', []),
  accountRegions: [],
};

export const demoTeams = [
  paymentsTeam,
  ordersTeam,
  inventoryTeam,
  analyticsTeam,
  deniedTeam,
];

function overviewOf(teams: TeamSummary[]): TeamsOverview {
  return buildTeamsOverview(teams, minutesAgo(2));
}

export const demoOverview: TeamsOverview = overviewOf(
  demoTeams.map(t => t.team),
);

const STATUS_CYCLE: OverallStatus[] = [
  'healthy',
  'healthy',
  'degraded',
  'failing',
  'unknown',
  'not-enabled',
];

/** `count` generated teams, for the "smooth with 1,000 teams" tests. */
export function manyTeamsOverview(count: number): TeamsOverview {
  const teams: TeamSummary[] = [];
  for (let i = 0; i < count; i++) {
    const status = STATUS_CYCLE[i % STATUS_CYCLE.length];
    const accountId = String(100000000000 + i);
    const covered = status === 'healthy' || status === 'degraded' ? 1 : 0;
    teams.push({
      entityRef: `group:default/team-${String(i).padStart(4, '0')}`,
      title: `Team ${String(i).padStart(4, '0')}`,
      status,
      accountRegions: 1,
      coveredAccountRegions: covered,
      accounts: [accountId],
      regions: [i % 2 === 0 ? 'us-east-1' : 'eu-west-1'],
      latestDeliveryTime: covered ? minutesAgo(i % 50) : undefined,
      reason: covered ? undefined : `Reason ${i}`,
    });
  }
  return overviewOf(teams);
}

/* ------------------------------ entity status ------------------------------ */

export const componentStatus: EntityStatus = {
  kind: 'component',
  status: 'healthy',
  tables: [
    {
      tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
      covered: true,
      coveringTrail: paymentsTrail,
      latestDeliveryTime: minutesAgo(3),
      status: 'healthy',
    },
    {
      tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
      covered: false,
      status: 'not-enabled',
    },
  ],
};

export const accountStatus: EntityStatus = {
  kind: 'aws-account',
  accountId: '111111111111',
  status: 'healthy',
  regions: [paymentsUsEast1, paymentsEuWest1],
};

/**
 * The Payments trail's page with a bucket policy that lets any trail write
 * and does not require TLS, and no KMS key: a failing and a warning check.
 */
const paymentsWeakPolicy = judgedAccountRegion(
  {
    trail: paymentsTrail,
    owner: 'group:default/team-payments',
    now: NOW,
    deliveredMinutesAgo: 3,
    kms: false,
    bucketPolicy: cloudTrailBucketPolicyStatements({
      bucket: paymentsTrail.bucket,
      partition: 'aws',
      accountId: paymentsTrail.accountId,
      trailArn: paymentsTrail.arn,
    })
      .filter(statement => statement.Effect === 'Allow')
      .map(({ Condition: _condition, ...statement }) => statement),
  },
  {
    region: 'us-east-1',
    accountEntityRef: 'resource:default/aws-payments-prod',
  },
);

export const trailHealth: TrailHealth = {
  trail: paymentsTrail,
  status: paymentsWeakPolicy.status,
  checks: paymentsWeakPolicy.checks,
  checkedAt: minutesAgo(1),
  latestDeliveryTime: paymentsWeakPolicy.latestDeliveryTime,
  volume: {
    eventsPerDay: 2_000_000,
    projectedMonthlyUsd: projectMonthlyDataEventCostUsd(2_000_000),
    days: { '2026-02-28': 1_900_000, '2026-03-01': 2_100_000 },
  },
};

export const trailHistory: TrailHistoryPoint[] = [
  { checkedAt: minutesAgo(20), status: 'healthy', deliveryAgeMinutes: 4 },
  { checkedAt: minutesAgo(15), status: 'healthy', deliveryAgeMinutes: 9 },
  { checkedAt: minutesAgo(10), status: 'degraded', deliveryAgeMinutes: 41 },
  { checkedAt: minutesAgo(5), status: 'healthy', deliveryAgeMinutes: 3 },
];

export const trailStatus: Extract<EntityStatus, { kind: 'trail' }> = {
  kind: 'trail',
  health: trailHealth,
  history: trailHistory,
};

export const paymentsLineage: TableLineage = {
  tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
  from: minutesAgo(24 * 60),
  to: minutesAgo(0),
  principals: [
    {
      principal: 'arn:aws:iam::111111111111:role/payments-api',
      principalType: 'AssumedRole',
      reads: 1520,
      writes: 310,
      errors: 2,
      lastSeen: minutesAgo(7),
      operations: [
        {
          operation: 'GetItem',
          kind: 'read',
          count: 1500,
          lastSeen: minutesAgo(7),
        },
        {
          operation: 'Query',
          kind: 'read',
          count: 20,
          lastSeen: minutesAgo(30),
        },
        {
          operation: 'PutItem',
          kind: 'write',
          count: 310,
          lastSeen: minutesAgo(8),
        },
      ],
    },
    {
      principal: 'arn:aws:iam::111111111111:role/ledger-reconciler',
      principalType: 'AssumedRole',
      reads: 0,
      writes: 45,
      errors: 0,
      lastSeen: minutesAgo(95),
      operations: [
        {
          operation: 'TransactWriteItems',
          kind: 'write',
          count: 45,
          lastSeen: minutesAgo(95),
        },
      ],
    },
  ],
  filesRead: 288,
  bytesRead: 12_582_912,
  truncated: false,
};

/* ------------------------------ scaffolder data ------------------------------ */

export const paymentsAccounts: OwnedAccount[] = [
  {
    entityRef: 'resource:default/aws-payments-prod',
    accountId: '111111111111',
    title: 'Payments production',
    regions: ['us-east-1', 'eu-west-1'],
  },
  {
    entityRef: 'resource:default/aws-payments-staging',
    accountId: '121212121212',
    title: 'Payments staging',
    regions: ['eu-central-1'],
  },
];

/** 14 days of hours, ending at the start of 2026-06-01. */
const FORECAST_HOURS = Array.from({ length: 14 * 24 }, (_, i) =>
  new Date(Date.parse('2026-05-18T00:00:00Z') + i * 3_600_000).toISOString(),
);

/**
 * Analytics' two tables as DynamoDB's metrics counted them: `events` 1,000
 * requests an hour (24,000 a day), `sessions` 100 an hour but nothing on
 * the first day.
 */
export const analyticsForecast = buildCostForecast({
  metrics: [
    {
      accountId: '444444444444',
      region: 'us-east-1',
      from: FORECAST_HOURS[0],
      to: '2026-06-01T00:00:00.000Z',
      hours: FORECAST_HOURS,
      tables: [
        {
          tableArn: 'arn:aws:dynamodb:us-east-1:444444444444:table/events',
          perHour: Object.fromEntries(FORECAST_HOURS.map(h => [h, 1000])),
        },
        {
          tableArn: 'arn:aws:dynamodb:us-east-1:444444444444:table/sessions',
          perHour: Object.fromEntries(
            FORECAST_HOURS.slice(24).map(h => [h, 100]),
          ),
        },
      ],
      calls: { listMetrics: 1, getMetricData: 1 },
    },
  ],
  lifecycle: { glacierAfterDays: 90 },
  insights: false,
  createKmsKey: false,
});

export const analyticsPlan: Plan = {
  spec: {
    accountId: '444444444444',
    region: 'us-east-1',
    trailName: 'dynamodb-lineage',
    bucketName: 'dynamodb-lineage-444444444444-us-east-1',
    scope: { mode: 'all' },
    readWriteType: 'All',
    includeStreams: false,
    lifecycle: { glacierAfterDays: 90 },
    insights: false,
    owner: 'group:default/team-analytics',
  },
  trailArn: 'arn:aws:cloudtrail:us-east-1:444444444444:trail/dynamodb-lineage',
  bucketArn: 'arn:aws:s3:::dynamodb-lineage-444444444444-us-east-1',
  changes: [
    {
      key: 'bucket:create',
      resource: 'bucket',
      action: 'create',
      summary: 'Create bucket dynamodb-lineage-444444444444-us-east-1',
      changes: [
        {
          field: 'bucket',
          desired: 'dynamodb-lineage-444444444444-us-east-1',
          reason: 'The bucket does not exist',
        },
      ],
    },
    {
      key: 'trail:create',
      resource: 'trail',
      action: 'create',
      summary: 'Create multi-region trail dynamodb-lineage',
      changes: [
        {
          field: 'IsMultiRegionTrail',
          desired: true,
          reason: 'A table in any region is covered',
        },
      ],
    },
    {
      key: 'logging:start',
      resource: 'logging',
      action: 'start',
      summary: 'Start logging',
      changes: [
        {
          field: 'IsLogging',
          current: false,
          desired: true,
          reason: 'CreateTrail does not start logging',
        },
      ],
    },
  ],
  notes: [],
  costForecast: analyticsForecast,
};

export const convergedPlan: Plan = {
  ...analyticsPlan,
  spec: {
    ...analyticsPlan.spec,
    accountId: '111111111111',
    owner: 'group:default/team-payments',
  },
  changes: [],
  notes: ['Kept SSE-KMS encryption: it is stricter than the requested SSE-S3.'],
};
