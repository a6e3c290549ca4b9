import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  ANNOTATION_TABLE_ARNS,
} from '@lineage/plugin-dynamodb-lineage-common';

/*
 * The demo world (examples/*.yaml) as the catalog serves it:
 * with the ownedBy relations the catalog computes from spec.owner.
 */

export function owned(entity: Entity, owner: string): Entity {
  return {
    ...entity,
    spec: { ...entity.spec, owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

function group(name: string, title: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', title },
    spec: { type: 'team', children: [] },
  };
}

function account(
  name: string,
  accountId: string,
  regions: string,
  owner: string,
): Entity {
  return owned(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: 'default',
        title: `${name.replace(/^aws-/, '')} (${accountId})`,
        annotations: {
          'aws.amazon.com/account-id': accountId,
          'dynamodb-lineage/regions': regions,
        },
      },
      spec: { type: 'aws-account' },
    },
    owner,
  );
}

function component(
  name: string,
  tableArns: string[],
  owner: string,
  roleArn: string,
): Entity {
  return owned(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          [ANNOTATION_TABLE_ARNS]: tableArns.join(','),
          [ANNOTATION_IAM_ROLE_ARNS]: roleArn,
        },
      },
      spec: { type: 'service', lifecycle: 'production' },
    },
    owner,
  );
}

export const PAYMENTS = 'group:default/team-payments';
export const ORDERS = 'group:default/team-orders';
export const INVENTORY = 'group:default/team-inventory';
export const ANALYTICS = 'group:default/team-analytics';

/** Payments' multi-region trail in the emulator's demo world. */
export const PAYMENTS_TRAIL =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';
export const PAYMENTS_TABLE =
  'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
export const LEDGER_TABLE =
  'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
export const PAYMENTS_EU_TABLE =
  'arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu';
export const ORDERS_TABLE =
  'arn:aws:dynamodb:us-east-1:222222222222:table/orders';
export const INVENTORY_TABLE =
  'arn:aws:dynamodb:us-east-1:333333333333:table/inventory';
export const EVENTS_TABLE =
  'arn:aws:dynamodb:us-east-1:444444444444:table/events';

const roleArn = (accountId: string, name: string) =>
  `arn:aws:iam::${accountId}:role/${name}`;

export function demoEntities(): Entity[] {
  return [
    group('team-payments', 'Payments'),
    group('team-orders', 'Orders'),
    group('team-inventory', 'Inventory'),
    group('team-analytics', 'Analytics'),
    group('platform', 'Platform'),
    account(
      'aws-payments-prod',
      '111111111111',
      'us-east-1,eu-west-1',
      PAYMENTS,
    ),
    account('aws-orders-prod', '222222222222', 'us-east-1', ORDERS),
    account('aws-inventory-prod', '333333333333', 'us-east-1', INVENTORY),
    account('aws-analytics-prod', '444444444444', 'us-east-1', ANALYTICS),
    component(
      'payments-api',
      [PAYMENTS_TABLE, LEDGER_TABLE, PAYMENTS_EU_TABLE],
      PAYMENTS,
      roleArn('111111111111', 'payments-api'),
    ),
    component(
      'ledger-sync',
      [PAYMENTS_TABLE, LEDGER_TABLE],
      PAYMENTS,
      roleArn('111111111111', 'ledger-sync'),
    ),
    // Also scans the payments table, which it does not declare.
    component(
      'finance-reports',
      [LEDGER_TABLE],
      PAYMENTS,
      roleArn('111111111111', 'finance-reports'),
    ),
    component(
      'orders-service',
      [ORDERS_TABLE],
      ORDERS,
      roleArn('222222222222', 'orders-api'),
    ),
    component(
      'inventory-service',
      [INVENTORY_TABLE],
      INVENTORY,
      roleArn('333333333333', 'inventory-service'),
    ),
    component(
      'analytics-etl',
      [EVENTS_TABLE],
      ANALYTICS,
      roleArn('444444444444', 'analytics-etl'),
    ),
    owned(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'storefront', namespace: 'default' },
        spec: { type: 'website', lifecycle: 'production' },
      },
      ORDERS,
    ),
  ];
}
