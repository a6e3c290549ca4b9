/*
 * (c) Lineage parsing throughput. Real DynamoDB data events are produced by
 * the emulator (a child process) for a trail; they are the templates of
 * FILES log files of RECORDS records each (fresh event ids, times within the
 * window, 25 principals, 5 tables, the emulator's operations), stored in the
 * trail's bucket at CloudTrail's keys. Then, each in a fresh process:
 * - product: readTableLineage for one table over the window (GET /lineage's path);
 * - fetched: GetObject + gunzip + JSON.parse of the same files;
 * - bare:    gunzip + JSON.parse of the same files from memory.
 * Throughput is uncompressed MB/s and records/s; the ratio is product ÷ bare
 * (the headline ratio) and product ÷ fetched (same I/O, so parsing and
 * aggregation alone). Best of five runs each; peak RSS of each process.
 */
const crypto = require('node:crypto');
const path = require('node:path');
const zlib = require('node:zlib');
const { fork } = require('node:child_process');
const { registerTypeScript } = require('../lib/typescript');
const { startEmulatorProcess } = require('../lib/emulatorProcess');
const { round } = require('../lib/stats');

const ACCOUNT = '666666666666';
const REGION = 'us-east-1';
const BUCKET = 'bench-lineage-logs-666666666666';
const TRAIL = 'lineage-bench';
const TABLES = ['orders', 'payments', 'ledger', 'inventory', 'events'];
const FILES = 40;
const RECORDS = 2500;
const PRINCIPALS = 25;

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

function logKey(time, unique) {
  const d = new Date(time);
  const ymd = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(
    d.getUTCDate(),
  )}`;
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(
    d.getUTCDate(),
  )}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  return `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${ymd}/${ACCOUNT}_CloudTrail_${REGION}_${stamp}_${unique}.json.gz`;
}

/** Real data events from the emulator: a trail, tables, and calls of several kinds. */
async function realRecords(emulator, clients, sdk) {
  const { s3, cloudTrail, dynamodb } = clients;
  await s3.send(new sdk.CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new sdk.PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:GetBucketAcl',
            Resource: `arn:aws:s3:::${BUCKET}`,
          },
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
            Condition: {
              StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
            },
          },
        ],
      }),
    }),
  );
  await cloudTrail.send(
    new sdk.CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET }),
  );
  await cloudTrail.send(
    new sdk.PutEventSelectorsCommand({
      TrailName: TRAIL,
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
  await cloudTrail.send(new sdk.StartLoggingCommand({ Name: TRAIL }));
  await dynamodb.send(
    new sdk.CreateTableCommand({
      TableName: 'template',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }),
  );
  for (let i = 0; i < 10; i++) {
    const Key = { id: { S: `item-${i}` } };
    await dynamodb.send(
      new sdk.PutItemCommand({
        TableName: 'template',
        Item: { ...Key, n: { N: String(i) } },
      }),
    );
    await dynamodb.send(new sdk.GetItemCommand({ TableName: 'template', Key }));
    await dynamodb.send(
      new sdk.UpdateItemCommand({
        TableName: 'template',
        Key,
        UpdateExpression: 'SET n = n + :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    await dynamodb.send(
      new sdk.QueryCommand({
        TableName: 'template',
        KeyConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': Key.id },
      }),
    );
  }
  await dynamodb.send(new sdk.ScanCommand({ TableName: 'template' }));
  await dynamodb.send(
    new sdk.DeleteItemCommand({
      TableName: 'template',
      Key: { id: { S: 'item-0' } },
    }),
  );
  await emulator.admin.flush();

  const listed = await s3.send(
    new sdk.ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'AWSLogs/' }),
  );
  const records = [];
  for (const item of listed.Contents ?? []) {
    if (!item.Key.endsWith('.json.gz') || item.Key.includes('Digest')) continue;
    const output = await s3.send(
      new sdk.GetObjectCommand({ Bucket: BUCKET, Key: item.Key }),
    );
    const body = Buffer.from(await output.Body.transformToByteArray());
    records.push(...JSON.parse(zlib.gunzipSync(body).toString('utf8')).Records);
  }
  const data = records.filter(r => r.eventSource === 'dynamodb.amazonaws.com');
  if (data.length === 0)
    throw new Error(
      'the emulator delivered no DynamoDB data events to the bench trail',
    );
  return data;
}

/** A copy of a real record as another principal, table, time and event id. */
function variant(template, i, time) {
  const record = structuredClone(template);
  const table = TABLES[i % TABLES.length];
  const tableArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;
  const role = `arn:aws:iam::${ACCOUNT}:role/service-${i % PRINCIPALS}`;
  record.eventID = crypto.randomUUID();
  record.requestID = crypto.randomUUID();
  record.eventTime = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  record.userIdentity = {
    type: 'AssumedRole',
    principalId: `AROA${String(i % PRINCIPALS).padStart(17, '0')}:session-${
      i % 7
    }`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/service-${
      i % PRINCIPALS
    }/session-${i % 7}`,
    accountId: ACCOUNT,
    accessKeyId: `ASIA${String(i).padStart(16, '0')}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: `AROA${String(i % PRINCIPALS).padStart(17, '0')}`,
        arn: role,
        accountId: ACCOUNT,
        userName: `service-${i % PRINCIPALS}`,
      },
      attributes: { creationDate: record.eventTime, mfaAuthenticated: 'false' },
    },
  };
  if (record.requestParameters?.tableName)
    record.requestParameters.tableName = table;
  record.resources = [
    { accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: tableArn },
  ];
  return record;
}

function runWorker(task) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'parsingWorker.js'), [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // The TypeScript hook also talks over IPC ({ type: 'watch' }): wait for the answer.
    child.on('message', message => {
      if (message?.ok === true) resolve(message.result);
      else if (message?.ok === false)
        reject(new Error(`${task.mode}: ${message.error}`));
    });
    child.once('exit', code => {
      if (code !== 0)
        reject(new Error(`${task.mode} worker exited with ${code}`));
    });
    child.send(task);
  });
}

async function run({ log }) {
  registerTypeScript();
  const {
    DefaultAwsClientFactory,
  } = require('@lineage/plugin-dynamodb-lineage-node');
  const sdk = {
    ...require('@aws-sdk/client-s3'),
    ...require('@aws-sdk/client-cloudtrail'),
    ...require('@aws-sdk/client-dynamodb'),
  };
  const emulator = await startEmulatorProcess('bench-emulator-parsing');
  try {
    const aws = DefaultAwsClientFactory.fromCredentials(
      id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
      { endpoint: emulator.url },
    );
    const clients = await aws.forAccount(ACCOUNT, REGION);
    const templates = await realRecords(emulator, clients, sdk);
    const { nowMs } = await emulator.admin.clock();

    // Files five minutes apart, the newest 10 minutes old, each spanning its five minutes.
    const keys = [];
    let uncompressed = 0;
    let compressed = 0;
    const from = nowMs - 24 * 3600 * 1000;
    for (let f = 0; f < FILES; f++) {
      const delivered = nowMs - 10 * 60000 - (FILES - 1 - f) * 5 * 60000;
      const records = Array.from({ length: RECORDS }, (_, r) =>
        variant(
          templates[(f * RECORDS + r) % templates.length],
          f * RECORDS + r,
          delivered - 5 * 60000 + (r * 300000) / RECORDS,
        ),
      );
      const json = Buffer.from(JSON.stringify({ Records: records }));
      const body = zlib.gzipSync(json);
      const key = logKey(delivered, `bench${pad(f, 4)}`);
      await clients.s3.send(
        new sdk.PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }),
      );
      keys.push(key);
      uncompressed += json.length;
      compressed += body.length;
    }
    const records = FILES * RECORDS;
    log(
      `  ${FILES} files, ${records} records from ${templates.length} real templates: ` +
        `${round(uncompressed / 2 ** 20, 1)} MiB (${round(
          compressed / 2 ** 20,
          1,
        )} MiB gzipped)`,
    );

    const trail = {
      name: TRAIL,
      arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}`,
      accountId: ACCOUNT,
      homeRegion: REGION,
      s3BucketName: BUCKET,
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: true,
      isOrganizationTrail: false,
      logFileValidationEnabled: false,
    };
    const task = {
      endpoint: emulator.url,
      trail,
      keys,
      tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      from,
      to: nowMs,
    };
    const product = await runWorker({ ...task, mode: 'product' });
    const fetched = await runWorker({ ...task, mode: 'fetched' });
    const bare = await runWorker({ ...task, mode: 'bare' });
    if (product.evidence.filesRead < FILES || product.evidence.truncated) {
      throw new Error(
        `readTableLineage read ${product.evidence.filesRead} of ${FILES} files (truncated: ${product.evidence.truncated})`,
      );
    }

    const mib = uncompressed / 2 ** 20;
    const best = r => Math.min(...r.times);
    const rate = r => ({
      mibPerS: round(mib / (best(r) / 1000), 1),
      eventsPerS: Math.round(records / (best(r) / 1000)),
      bestMs: round(best(r), 0),
      runsMs: r.times.map(t => round(t, 0)),
      maxRssMiB: round(r.maxRssMiB, 0),
    });
    const details = {
      files: FILES,
      records,
      uncompressedMiB: round(mib, 1),
      compressedMiB: round(compressed / 2 ** 20, 1),
      product: { ...rate(product), ...product.evidence },
      fetched: rate(fetched),
      bare: rate(bare),
    };
    const vsBare = round(details.product.mibPerS / details.bare.mibPerS, 2);
    const vsFetched = round(
      details.product.mibPerS / details.fetched.mibPerS,
      2,
    );
    details.ratioVsBare = vsBare;
    details.ratioVsFetched = vsFetched;
    return {
      details,
      rows: [
        {
          part: 'c',
          metric: `lineage parsing (${round(
            mib,
            0,
          )} MiB, ${records} events): readTableLineage ÷ bare gunzip+JSON.parse`,
          value: vsBare,
          baseline: `${details.product.mibPerS} vs ${details.bare.mibPerS} MiB/s; ${details.product.eventsPerS} vs ${details.bare.eventsPerS} events/s`,
          target: '≥ 0.7',
          met: vsBare >= 0.7,
        },
        {
          part: 'c',
          metric: 'lineage parsing ÷ GetObject+gunzip+JSON.parse (same I/O)',
          value: vsFetched,
          baseline: `${details.fetched.mibPerS} MiB/s, ${details.fetched.eventsPerS} events/s`,
        },
        {
          part: 'c',
          metric: 'lineage parsing: peak RSS of the process',
          value: `${details.product.maxRssMiB} MiB`,
          baseline: `fetched ${details.fetched.maxRssMiB} MiB, bare ${details.bare.maxRssMiB} MiB (holds all files)`,
        },
      ],
    };
  } finally {
    await emulator.stop();
  }
}

module.exports = { run };
