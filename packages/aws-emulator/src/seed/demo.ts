import type { Delivery } from '../delivery';
import { rootIdentity } from '../identity';
import { callCloudTrail, callDynamoDb, mustSucceed } from '../internalCalls';
import type { Environment, InternalCaller } from '../server';
import { createKey } from '../services/kms/operations';
import {
  ALL_PUBLIC_ACCESS_BLOCKED,
  type Bucket,
  newBucket,
} from '../services/s3/buckets';
import { demoTraffic, randomSource } from './demoTraffic';
import {
  ALICE_ACCESS_KEY,
  ANALYTICS,
  HISTORY_MS,
  HISTORY_STEP_MS,
  INVENTORY,
  INVENTORY_ASSETS_BUCKET,
  INVENTORY_BUCKET,
  INVENTORY_TRAIL,
  MANAGED_BY_TAG,
  ORDERS,
  ORDERS_BUCKET,
  ORDERS_STALE_FOR_MS,
  ORDERS_TRAIL,
  OWNER_TAG,
  PAYMENTS,
  PAYMENTS_BUCKET,
  PAYMENTS_KMS_KEY,
  ANALYTICS_KMS_KEY,
  PAYMENTS_TRAIL,
} from './demoWorld';

/**
 * The `demo` scenario:
 * - payments (111111111111): hardened bucket, multi-region trail with DynamoDB
 *   advanced selectors, logging, fresh log files holding events of several principals:
 *   payments-api writes `payments` and `ledger`, ledger-sync reads `payments` and
 *   writes `ledger`, finance-reports reads `ledger` (and `payments`, undeclared),
 *   reporting-job (no component claims it) and user alice read;
 * - orders (222222222222): healthy trail and bucket, but its workload went quiet
 *   5 hours ago, so the last delivery is 5 hours old;
 * - inventory (333333333333): trail logging only S3 data events, no log file
 *   validation, bucket without Block Public Access, versioning or lifecycle;
 * - analytics (444444444444): DynamoDB tables, no trail.
 */

interface SeedEnvironment extends Environment {
  delivery: Delivery;
}

const trailArn = (accountId: string, name: string) =>
  `arn:aws:cloudtrail:us-east-1:${accountId}:trail/${name}`;

function cloudTrailStatements(
  bucket: string,
  accountId: string,
  sourceArn?: string,
) {
  const condition = (extra: Record<string, string>) => ({
    StringEquals: {
      ...extra,
      ...(sourceArn ? { 'aws:SourceArn': sourceArn } : {}),
    },
  });
  return [
    {
      Sid: 'AWSCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${bucket}`,
      ...(sourceArn ? { Condition: condition({}) } : {}),
    },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${bucket}/AWSLogs/${accountId}/*`,
      Condition: condition({ 's3:x-amz-acl': 'bucket-owner-full-control' }),
    },
  ];
}

const tlsOnly = (bucket: string) => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

const glacierLifecycle = {
  Rule: [
    {
      ID: 'cloudtrail-logs-to-glacier',
      Filter: { Prefix: 'AWSLogs/' },
      Status: 'Enabled',
      Transition: [{ Days: '90', StorageClass: 'GLACIER' }],
      NoncurrentVersionTransition: [
        { NoncurrentDays: '90', StorageClass: 'GLACIER' },
      ],
    },
  ],
};

function hardenedBucket(
  name: string,
  accountId: string,
  trail: string,
  time: number,
  kmsKey?: string,
): Bucket {
  const bucket = newBucket(name, accountId, 'us-east-1', time);
  bucket.policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      ...cloudTrailStatements(name, accountId, trailArn(accountId, trail)),
      tlsOnly(name),
    ],
  });
  if (kmsKey) {
    bucket.encryption = {
      Rule: [
        {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: kmsKey,
          },
          BucketKeyEnabled: 'true',
        },
      ],
    };
  }
  bucket.publicAccessBlock = { ...ALL_PUBLIC_ACCESS_BLOCKED };
  bucket.ownership = 'BucketOwnerEnforced';
  bucket.versioning = 'Enabled';
  bucket.lifecycle = structuredClone(glacierLifecycle);
  return bucket;
}

/** A customer managed key with the key policy CloudTrail documents. */
function createTrailKey(
  env: SeedEnvironment,
  time: number,
  keyArn: string,
  description: string,
  sourceArn: { StringEquals: string } | { StringLike: string },
): void {
  const accountId = keyArn.split(':')[4];
  createKey(
    env.world,
    { accountId, region: keyArn.split(':')[3] },
    {
      keyId: keyArn.slice(keyArn.indexOf('key/') + 4),
      description,
      time,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Enable IAM User Permissions',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'AllowCloudTrailToEncryptLogs',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: {
              ...('StringEquals' in sourceArn
                ? {
                    StringEquals: { 'aws:SourceArn': sourceArn.StringEquals },
                  }
                : {}),
              StringLike: {
                ...('StringLike' in sourceArn
                  ? { 'aws:SourceArn': sourceArn.StringLike }
                  : {}),
                'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${accountId}:trail/*`,
              },
            },
          },
        ],
      }),
    },
  );
}

/**
 * The payments trail's key, and the key Analytics has ready for the trail the
 * template creates (any trail of the account may use it).
 */
function createKmsKeys(env: SeedEnvironment, time: number): void {
  createTrailKey(env, time, PAYMENTS_KMS_KEY, 'payments CloudTrail logs', {
    StringEquals: trailArn(PAYMENTS, PAYMENTS_TRAIL),
  });
  createTrailKey(env, time, ANALYTICS_KMS_KEY, 'analytics CloudTrail logs', {
    StringLike: `arn:aws:cloudtrail:*:${ANALYTICS}:trail/*`,
  });
}

function createBuckets(env: SeedEnvironment, time: number): void {
  const buckets = env.world.buckets;
  const payments = hardenedBucket(
    PAYMENTS_BUCKET,
    PAYMENTS,
    PAYMENTS_TRAIL,
    time,
    PAYMENTS_KMS_KEY,
  );
  payments.tags = [{ Key: OWNER_TAG, Value: 'group:default/team-payments' }];
  buckets.set(payments.name, payments);

  const orders = hardenedBucket(ORDERS_BUCKET, ORDERS, ORDERS_TRAIL, time);
  orders.tags = [{ Key: OWNER_TAG, Value: 'group:default/team-orders' }];
  buckets.set(orders.name, orders);

  // Inventory: writable by CloudTrail but with none of the hardening.
  const inventory = newBucket(INVENTORY_BUCKET, INVENTORY, 'us-east-1', time);
  inventory.policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: cloudTrailStatements(INVENTORY_BUCKET, INVENTORY),
  });
  inventory.publicAccessBlock = undefined;
  inventory.ownership = 'BucketOwnerPreferred';
  buckets.set(inventory.name, inventory);
  buckets.set(
    INVENTORY_ASSETS_BUCKET,
    newBucket(INVENTORY_ASSETS_BUCKET, INVENTORY, 'us-east-1', time),
  );
}

const TABLES: Array<{
  accountId: string;
  region: string;
  name: string;
  key: Array<[string, 'S' | 'N', 'HASH' | 'RANGE']>;
}> = [
  {
    accountId: PAYMENTS,
    region: 'us-east-1',
    name: 'payments',
    key: [['id', 'S', 'HASH']],
  },
  {
    accountId: PAYMENTS,
    region: 'us-east-1',
    name: 'ledger',
    key: [
      ['accountId', 'S', 'HASH'],
      ['entryId', 'S', 'RANGE'],
    ],
  },
  {
    accountId: PAYMENTS,
    region: 'eu-west-1',
    name: 'payments-eu',
    key: [['id', 'S', 'HASH']],
  },
  // Payments turned the canary on (as the template does by default) in both its regions.
  ...['us-east-1', 'eu-west-1'].map(region => ({
    accountId: PAYMENTS,
    region,
    name: 'dynamodb-lineage-canary',
    key: [['id', 'S', 'HASH']] as Array<[string, 'S' | 'N', 'HASH' | 'RANGE']>,
  })),
  {
    accountId: ORDERS,
    region: 'us-east-1',
    name: 'orders',
    key: [['orderId', 'S', 'HASH']],
  },
  {
    accountId: INVENTORY,
    region: 'us-east-1',
    name: 'inventory',
    key: [['sku', 'S', 'HASH']],
  },
  {
    accountId: ANALYTICS,
    region: 'us-east-1',
    name: 'events',
    key: [
      ['eventId', 'S', 'HASH'],
      ['ts', 'N', 'RANGE'],
    ],
  },
];

const admin = (
  accountId: string,
  time: number,
  region = 'us-east-1',
): InternalCaller => ({
  identity: rootIdentity(accountId, accountId),
  region,
  time,
});

async function createTables(env: SeedEnvironment, time: number): Promise<void> {
  for (const table of TABLES) {
    await mustSucceed(
      callDynamoDb(
        env,
        admin(table.accountId, time, table.region),
        'CreateTable',
        {
          TableName: table.name,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: table.key.map(([AttributeName, , KeyType]) => ({
            AttributeName,
            KeyType,
          })),
          AttributeDefinitions: table.key.map(
            ([AttributeName, AttributeType]) => ({
              AttributeName,
              AttributeType,
            }),
          ),
        },
      ),
      `CreateTable ${table.name}`,
    );
  }
  const setup = admin(PAYMENTS, time);
  for (let i = 0; i < 5; i++) {
    await mustSucceed(
      callDynamoDb(env, setup, 'PutItem', {
        TableName: 'ledger',
        Item: {
          accountId: { S: `acct-${i}` },
          entryId: { S: 'opening-balance' },
          amount: { N: '1000' },
        },
      }),
      'PutItem ledger',
    );
  }
  await mustSucceed(
    callDynamoDb(env, admin(PAYMENTS, time, 'eu-west-1'), 'PutItem', {
      TableName: 'payments-eu',
      Item: {
        id: { S: 'pay-eu-1' },
        amount: { N: '42.50' },
        currency: { S: 'EUR' },
      },
    }),
    'PutItem payments-eu',
  );
}

async function createTrail(
  env: SeedEnvironment,
  accountId: string,
  time: number,
  settings: Record<string, unknown>,
  selectors: Record<string, unknown>,
  owner: string,
): Promise<void> {
  const caller = admin(accountId, time);
  await mustSucceed(
    callCloudTrail(env, caller, 'CreateTrail', {
      ...settings,
      TagsList: [
        { Key: OWNER_TAG, Value: owner },
        { Key: MANAGED_BY_TAG, Value: 'backstage-dynamodb-lineage' },
      ],
    }),
    `CreateTrail ${String(settings.Name)}`,
  );
  await mustSucceed(
    callCloudTrail(env, caller, 'PutEventSelectors', {
      TrailName: settings.Name,
      ...selectors,
    }),
    `PutEventSelectors ${String(settings.Name)}`,
  );
  await mustSucceed(
    callCloudTrail(env, caller, 'StartLogging', { Name: settings.Name }),
    'StartLogging',
  );
}

async function createTrails(env: SeedEnvironment, time: number): Promise<void> {
  await createTrail(
    env,
    PAYMENTS,
    time,
    {
      Name: PAYMENTS_TRAIL,
      S3BucketName: PAYMENTS_BUCKET,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KmsKeyId: PAYMENTS_KMS_KEY,
    },
    {
      AdvancedEventSelectors: [
        {
          Name: 'DynamoDB data events for lineage',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          ],
        },
      ],
    },
    'group:default/team-payments',
  );
  await createTrail(
    env,
    ORDERS,
    time,
    {
      Name: ORDERS_TRAIL,
      S3BucketName: ORDERS_BUCKET,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
    },
    {
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: false,
          DataResources: [
            {
              Type: 'AWS::DynamoDB::Table',
              Values: ['arn:aws:dynamodb:us-east-1:222222222222:table/orders'],
            },
          ],
        },
      ],
    },
    'group:default/team-orders',
  );
  await createTrail(
    env,
    INVENTORY,
    time,
    { Name: INVENTORY_TRAIL, S3BucketName: INVENTORY_BUCKET },
    {
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: false,
          DataResources: [
            {
              Type: 'AWS::S3::Object',
              Values: [`arn:aws:s3:::${INVENTORY_ASSETS_BUCKET}/`],
            },
          ],
        },
      ],
    },
    'group:default/team-inventory',
  );
}

/** Returns the background traffic of the scenario, run by the traffic generator. */
export async function seedDemo(
  env: SeedEnvironment,
): Promise<(time: number) => Promise<void>> {
  const now = env.world.clock.now();
  const start = now - HISTORY_MS;
  env.world.keys.set(ALICE_ACCESS_KEY, {
    accountId: PAYMENTS,
    userName: 'alice',
  });
  createKmsKeys(env, start - HISTORY_STEP_MS);
  createBuckets(env, start - HISTORY_STEP_MS);
  await createTables(env, start - HISTORY_STEP_MS);
  await createTrails(env, start - HISTORY_STEP_MS);

  const random = randomSource(20240611);
  let tick = 0;
  let last = start;
  for (let time = start; time <= now; time += HISTORY_STEP_MS) {
    await demoTraffic(env, {
      time: time - Math.floor(random() * HISTORY_STEP_MS * 0.8),
      teams: {
        payments: true,
        orders: time <= now - ORDERS_STALE_FOR_MS,
        inventory: true,
        analytics: true,
      },
      random,
      tick: tick++,
    });
    env.delivery.deliverAt(time);
    last = time;
  }
  env.delivery.scheduleNextAfter(last);

  return async (time: number) => {
    await demoTraffic(env, {
      time,
      teams: {
        payments: true,
        orders: false,
        inventory: true,
        analytics: true,
      },
      random,
      tick: tick++,
    });
  };
}
