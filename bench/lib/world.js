/*
 * Builds benchmark worlds in an emulator through the real AWS SDK: accounts
 * with log buckets, trails recording DynamoDB data events, tables with a
 * little traffic, and delivered log files — what a refresh inspects.
 */
const pLimit = require('p-limit');
const {
  CreateBucketCommand,
  PutBucketPolicyCommand,
} = require('@aws-sdk/client-s3');
const {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} = require('@aws-sdk/client-cloudtrail');
const {
  CreateTableCommand,
  PutItemCommand,
  GetItemCommand,
} = require('@aws-sdk/client-dynamodb');

/** At most five trails per region and account, as on AWS. */
const TRAILS_PER_REGION = 5;
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
];

function accountId(index) {
  return String(100000000000 + index + 1);
}

function bucketName(account, region) {
  return `bench-logs-${account}-${region}`;
}

function cloudTrailPolicy(bucket, account) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSCloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: `arn:aws:s3:::${bucket}`,
      },
      {
        Sid: 'AWSCloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
        Condition: {
          StringEquals: {
            's3:x-amz-acl': 'bucket-owner-full-control',
            'aws:SourceAccount': account,
          },
        },
      },
    ],
  });
}

/**
 * How `trails` trails spread over `accounts` accounts: the same number per
 * account, at most five per region, so the busiest worlds span regions.
 */
function layout(trails, accounts) {
  if (trails % accounts !== 0) {
    throw new Error(
      `trails (${trails}) must be a multiple of accounts (${accounts})`,
    );
  }
  const perAccount = trails / accounts;
  const regions = REGIONS.slice(
    0,
    Math.max(1, Math.ceil(perAccount / TRAILS_PER_REGION)),
  );
  if (regions.length * TRAILS_PER_REGION < perAccount) {
    throw new Error(
      `${perAccount} trails per account need more than ${REGIONS.length} regions`,
    );
  }
  const accountRegions = [];
  for (let a = 0; a < accounts; a++) {
    const account = accountId(a);
    let left = perAccount;
    for (const region of regions) {
      const here = Math.min(TRAILS_PER_REGION, left);
      left -= here;
      accountRegions.push({ accountId: account, region, trails: here });
    }
  }
  return { perAccount, regions, accountRegions };
}

/** Runs `work` over `items`, `concurrency` at a time. */
function forEachLimited(items, concurrency, work) {
  const limit = pLimit(concurrency);
  return Promise.all(items.map(item => limit(() => work(item))));
}

/** A log bucket CloudTrail may write to, as the account's trails need it. */
async function createLogBucket(
  clients,
  { bucket, accountId: account, region },
) {
  await clients.s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region } }),
    }),
  );
  await clients.s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: cloudTrailPolicy(bucket, account),
    }),
  );
}

/** A logging trail recording the data events of every DynamoDB table (basic selector). */
async function createDynamoDbTrail(clients, { name, bucket, prefix }) {
  await clients.cloudTrail.send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: bucket,
      ...(prefix ? { S3KeyPrefix: prefix } : {}),
      EnableLogFileValidation: true,
    }),
  );
  await clients.cloudTrail.send(
    new PutEventSelectorsCommand({
      TrailName: name,
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: false,
          DataResources: [
            { Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] },
          ],
        },
      ],
    }),
  );
  await clients.cloudTrail.send(new StartLoggingCommand({ Name: name }));
}

async function createTable(clients, TableName) {
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }),
  );
}

/**
 * One PutItem and one GetItem of `item` on the bench table of every
 * account-region: each of its trails gets a log file at the next delivery.
 */
async function tableTraffic(aws, accountRegions, item) {
  await forEachLimited(
    accountRegions,
    16,
    async ({ accountId: account, region }) => {
      const clients = await aws.forAccount(account, region);
      const Key = { id: { S: item } };
      await clients.dynamodb.send(
        new PutItemCommand({ TableName: 'bench', Item: Key }),
      );
      await clients.dynamodb.send(
        new GetItemCommand({ TableName: 'bench', Key }),
      );
    },
  );
}

/**
 * Creates the world: per account-region a bucket, a table and its trails
 * (basic selector on all DynamoDB tables, logging), then `rounds` rounds of
 * traffic, each delivered at once: every trail holds `rounds` fresh log files.
 */
async function buildTrailWorld({ aws, admin, trails, accounts, rounds = 3 }) {
  const plan = layout(trails, accounts);
  await forEachLimited(plan.accountRegions, 16, async target => {
    const { accountId: account, region } = target;
    const clients = await aws.forAccount(account, region);
    const bucket = bucketName(account, region);
    await createLogBucket(clients, { bucket, accountId: account, region });
    await createTable(clients, 'bench');
    for (let t = 0; t < target.trails; t++) {
      const name = `lineage-${t + 1}`;
      await createDynamoDbTrail(clients, { name, bucket, prefix: name });
    }
  });

  for (let round = 0; round < rounds; round++) {
    await tableTraffic(aws, plan.accountRegions, `item-${round}`);
    // Delivered now, not on the emulated schedule.
    await admin.flush();
  }
  return plan;
}

module.exports = {
  buildTrailWorld,
  tableTraffic,
  createLogBucket,
  createDynamoDbTrail,
  createTable,
  layout,
  accountId,
  bucketName,
  forEachLimited,
  REGIONS,
};
