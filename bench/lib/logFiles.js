/*
 * CloudTrail log files for the benchmarks that need many of them: real
 * DynamoDB data events delivered by the emulator serve as templates, copied
 * as other principals, tables, times and event ids, gzipped at CloudTrail's
 * key layout (the node library's logPrefix, then CloudTrail's file name).
 */
const crypto = require('node:crypto');
const zlib = require('node:zlib');
const {
  ListObjectsV2Command,
  GetObjectCommand,
} = require('@aws-sdk/client-s3');
const {
  PutItemCommand,
  GetItemCommand,
  UpdateItemCommand,
  QueryCommand,
  ScanCommand,
  DeleteItemCommand,
} = require('@aws-sdk/client-dynamodb');
const {
  createLogBucket,
  createDynamoDbTrail,
  createTable,
} = require('./world');

const TABLES = ['orders', 'payments', 'ledger', 'inventory', 'events'];
const PRINCIPALS = 25;

/** CloudTrail's key of a file delivered at `time`: the product's date prefix, then the file name. */
function logKey(logPrefix, { accountId, region }, time, unique) {
  const stamp = new Date(time).toISOString().replace(/[-:]/g, '').slice(0, 13);
  return `${logPrefix(
    {},
    accountId,
    region,
    new Date(time),
  )}${accountId}_CloudTrail_${region}_${stamp}Z_${unique}.json.gz`;
}

/**
 * Real data events: a trail on a new bucket records calls of several kinds
 * on a table; `flush` makes the emulator deliver them, then they are read back.
 */
async function realDataEvents(
  clients,
  { bucket, trail, accountId, region, flush },
) {
  const { s3, dynamodb } = clients;
  await createLogBucket(clients, { bucket, accountId, region });
  await createDynamoDbTrail(clients, { name: trail, bucket });
  const TableName = 'template';
  await createTable(clients, TableName);
  for (let i = 0; i < 10; i++) {
    const Key = { id: { S: `item-${i}` } };
    await dynamodb.send(
      new PutItemCommand({ TableName, Item: { ...Key, n: { N: String(i) } } }),
    );
    await dynamodb.send(new GetItemCommand({ TableName, Key }));
    await dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET n = n + :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    await dynamodb.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': Key.id },
      }),
    );
  }
  await dynamodb.send(new ScanCommand({ TableName }));
  await dynamodb.send(
    new DeleteItemCommand({ TableName, Key: { id: { S: 'item-0' } } }),
  );
  await flush();

  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: 'AWSLogs/' }),
  );
  const records = [];
  for (const item of listed.Contents ?? []) {
    if (!item.Key.endsWith('.json.gz') || item.Key.includes('Digest')) continue;
    const output = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: item.Key }),
    );
    const body = Buffer.from(await output.Body.transformToByteArray());
    records.push(...JSON.parse(zlib.gunzipSync(body).toString('utf8')).Records);
  }
  const data = records.filter(r => r.eventSource === 'dynamodb.amazonaws.com');
  if (data.length === 0)
    throw new Error('the emulator delivered no DynamoDB data events');
  return data;
}

/** A copy of a real record as another principal, table, time and event id. */
function variant(template, i, time, { accountId, region }) {
  const record = structuredClone(template);
  const table = TABLES[i % TABLES.length];
  const role = `arn:aws:iam::${accountId}:role/service-${i % PRINCIPALS}`;
  const roleId = `AROA${String(i % PRINCIPALS).padStart(17, '0')}`;
  record.eventID = crypto.randomUUID();
  record.requestID = crypto.randomUUID();
  record.eventTime = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  record.awsRegion = region;
  record.recipientAccountId = accountId;
  record.userIdentity = {
    type: 'AssumedRole',
    principalId: `${roleId}:session-${i % 7}`,
    arn: `arn:aws:sts::${accountId}:assumed-role/service-${
      i % PRINCIPALS
    }/session-${i % 7}`,
    accountId,
    accessKeyId: `ASIA${String(i).padStart(16, '0')}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: role,
        accountId,
        userName: `service-${i % PRINCIPALS}`,
      },
      attributes: { creationDate: record.eventTime, mfaAuthenticated: 'false' },
    },
  };
  if (record.requestParameters?.tableName)
    record.requestParameters.tableName = table;
  record.resources = [
    {
      accountId,
      type: 'AWS::DynamoDB::Table',
      ARN: `arn:aws:dynamodb:${region}:${accountId}:table/${table}`,
    },
  ];
  return record;
}

/**
 * One delivered file of `records` records spread over the five minutes
 * before `deliveredAt`, numbered from `first` (principal, table, template).
 */
function logFile(
  templates,
  { first, records, deliveredAt, accountId, region },
) {
  const json = Buffer.from(
    JSON.stringify({
      Records: Array.from({ length: records }, (_, r) =>
        variant(
          templates[(first + r) % templates.length],
          first + r,
          deliveredAt - 5 * 60000 + (r * 300000) / records,
          { accountId, region },
        ),
      ),
    }),
  );
  return { json, body: zlib.gzipSync(json) };
}

module.exports = { logKey, realDataEvents, logFile, TABLES };
