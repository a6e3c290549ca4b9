/**
 * The demo world: four teams' AWS accounts, matching the examples/ catalog.
 * Names here are the contract with the catalog and the dev app.
 */

export const PAYMENTS = '111111111111';
export const ORDERS = '222222222222';
export const INVENTORY = '333333333333';
export const ANALYTICS = '444444444444';

/** Tag keys the product writes on what it manages (see the common package's annotations). */
export const OWNER_TAG = 'backstage:owner';
export const MANAGED_BY_TAG = 'backstage:managed-by';

export const PAYMENTS_KMS_KEY =
  'arn:aws:kms:us-east-1:111111111111:key/6f1c2a9e-4b7d-4e2a-9c3f-8d5e7a1b2c3d';
/** A key Analytics keeps ready for CloudTrail, before it has a trail. */
export const ANALYTICS_KMS_KEY =
  'arn:aws:kms:us-east-1:444444444444:key/7c1e3f0a-5b2d-4c8e-9f61-2a4b6d8e0c13';

export const PAYMENTS_BUCKET = 'payments-cloudtrail-logs-111111111111';
export const ORDERS_BUCKET = 'orders-cloudtrail-logs-222222222222';
export const INVENTORY_BUCKET = 'inventory-cloudtrail-logs-333333333333';
export const INVENTORY_ASSETS_BUCKET = 'inventory-app-assets-333333333333';

export const PAYMENTS_TRAIL = 'dynamodb-lineage';
export const ORDERS_TRAIL = 'orders-trail';
export const INVENTORY_TRAIL = 'inventory-trail';

/** Access key of the IAM user `alice` in the payments account. */
export const ALICE_ACCESS_KEY = 'AKIA1111ALICEDEMO001';

/** Orders stopped delivering this long before the seed ran. */
export const ORDERS_STALE_FOR_MS = 5 * 3_600_000;
/** How much history the seed writes. */
export const HISTORY_MS = 10 * 3_600_000;
/** Cadence of the seeded history (AWS delivers about every 5 minutes). */
export const HISTORY_STEP_MS = 5 * 60_000;
