import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CreateTrailCommand,
  GetTrailStatusCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createHash, createPublicKey, createVerify } from 'node:crypto';
import { ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { runAwsCli } from './awsCliRunner';
import type { CloudTrailRecord } from './events/record';
import { type RunningEmulator, startEmulator } from './index';
import {
  type Clients,
  cloudTrailBucketPolicy,
  createTrailBucket,
  sdkClients,
} from './__testUtils__/clients';

const ACCOUNT = '111111111111';
const BUCKET = 'lineage-logs-111111111111';
const TRAIL = 'dynamodb-lineage';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`;
const INTERVAL = 60_000;

const LOG_KEY =
  /^AWSLogs\/111111111111\/CloudTrail\/(us-east-1|eu-west-1)\/(\d{4})\/(\d{2})\/(\d{2})\/111111111111_CloudTrail_(us-east-1|eu-west-1)_(\d{8})T(\d{4})Z_[A-Za-z0-9]{16}\.json\.gz$/;

async function listAll(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    keys.push(...(page.Contents ?? []).map(c => c.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

async function readRecords(
  s3: S3Client,
  bucket: string,
  keys: string[],
): Promise<CloudTrailRecord[]> {
  const records: CloudTrailRecord[] = [];
  for (const key of keys) {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
    );
    const body = gunzipSync(
      Buffer.from(await object.Body!.transformToByteArray()),
    );
    records.push(...JSON.parse(body.toString('utf8')).Records);
  }
  return records;
}

async function createTable(clients: Clients, name: string, key = 'id') {
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
    }),
  );
}

describe('log delivery', () => {
  let emulator: RunningEmulator;
  let root: Clients;
  let rootWest: Clients;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      deliveryIntervalMs: INTERVAL,
      organizations: [
        {
          id: 'o-exampleorg1',
          managementAccountId: ACCOUNT,
          memberAccountIds: ['555555555555'],
        },
      ],
    });
    root = sdkClients(emulator.url);
    rootWest = sdkClients(emulator.url, { region: 'eu-west-1' });
  });

  afterAll(() => emulator.stop());

  beforeEach(async () => {
    await emulator.reset();
    await createTrailBucket(root.s3, BUCKET, ACCOUNT, { sourceArn: TRAIL_ARN });
  });

  async function createLoggingTrail(
    selectors: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) {
    await root.cloudtrail.send(
      new CreateTrailCommand({
        Name: TRAIL,
        S3BucketName: BUCKET,
        IsMultiRegionTrail: true,
        ...extra,
      }),
    );
    await root.cloudtrail.send(
      new PutEventSelectorsCommand({ TrailName: TRAIL, ...selectors }),
    );
    await root.cloudtrail.send(new StartLoggingCommand({ Name: TRAIL }));
  }

  const dynamoDbSelectors = {
    AdvancedEventSelectors: [
      {
        Name: 'DynamoDB data events',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
        ],
      },
    ],
  };

  it('delivers DynamoDB data events after one interval, at AWS key layout and record format', async () => {
    await createLoggingTrail(dynamoDbSelectors);
    await createTable(root, 'payments');
    await createTable(root, 'ledger');
    await createTable(rootWest, 'payments-eu');

    const assumed = await root.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/payments-api`,
        RoleSessionName: 'payments-api-task',
      }),
    );
    const role = sdkClients(emulator.url, {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      sessionToken: assumed.Credentials!.SessionToken,
    });
    const roleWest = sdkClients(emulator.url, {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      region: 'eu-west-1',
    });

    await role.dynamodb.send(
      new PutItemCommand({
        TableName: 'payments',
        Item: {
          id: { S: 'p1' },
          amount: { N: '12.5' },
          secret: { S: 'do-not-log' },
        },
      }),
    );
    await role.dynamodb.send(
      new GetItemCommand({ TableName: 'payments', Key: { id: { S: 'p1' } } }),
    );
    await role.dynamodb
      .send(
        new UpdateItemCommand({
          TableName: 'payments',
          Key: { id: { S: 'p1' } },
          UpdateExpression: 'SET amount = :a',
          ConditionExpression: 'attribute_not_exists(id)',
          ExpressionAttributeValues: { ':a': { N: '1' } },
        }),
      )
      .catch(() => undefined);
    await role.dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'payments', Item: { id: { S: 'p2' } } } },
          { Put: { TableName: 'ledger', Item: { id: { S: 'l2' } } } },
        ],
      }),
    );
    await root.dynamodb.send(
      new ExecuteStatementCommand({
        Statement: "SELECT * FROM payments WHERE id = 'p1' AND amount = 12.5",
      }),
    );
    await roleWest.dynamodb.send(
      new GetItemCommand({
        TableName: 'payments-eu',
        Key: { id: { S: 'e1' } },
      }),
    );

    // Nothing is delivered before the interval has passed.
    expect(await listAll(root.s3, BUCKET, 'AWSLogs/')).toEqual([]);
    expect(
      (await root.cloudtrail.send(new GetTrailStatusCommand({ Name: TRAIL })))
        .LatestDeliveryTime,
    ).toBeUndefined();

    const report = await emulator.advance(INTERVAL);
    expect(report.logFiles).toBe(2);
    const keys = await listAll(root.s3, BUCKET, 'AWSLogs/');
    expect(keys).toHaveLength(2);
    const deliveredAt = new Date(emulator.clock.now());
    for (const key of keys) {
      const match = LOG_KEY.exec(key);
      expect(match).not.toBeNull();
      const [, pathRegion, year, month, day, nameRegion, stamp] = match!;
      expect(pathRegion).toBe(nameRegion);
      expect(`${year}${month}${day}`).toBe(stamp);
      expect(
        Math.abs(
          Date.UTC(+year, +month - 1, +day) -
            Date.UTC(
              deliveredAt.getUTCFullYear(),
              deliveredAt.getUTCMonth(),
              deliveredAt.getUTCDate(),
            ),
        ),
      ).toBeLessThanOrEqual(86_400_000);
    }
    const head = await root.s3.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: keys[0] }),
    );
    expect(head.ContentType).toBe('application/json');

    const records = await readRecords(root.s3, BUCKET, keys);
    const byName = (name: string) => records.filter(r => r.eventName === name);
    // CreateTable and AssumeRole are management events: the selectors leave them out.
    expect(new Set(records.map(r => r.eventName))).toEqual(
      new Set([
        'PutItem',
        'GetItem',
        'UpdateItem',
        'TransactWriteItems',
        'ExecuteStatement',
      ]),
    );
    for (const record of records) {
      expect(record).toMatchObject({
        eventVersion: '1.11',
        eventSource: 'dynamodb.amazonaws.com',
        eventType: 'AwsApiCall',
        eventCategory: 'Data',
        managementEvent: false,
        recipientAccountId: ACCOUNT,
        responseElements: null,
        apiVersion: '2012-08-10',
        sourceIPAddress: '127.0.0.1',
        userAgent: expect.stringContaining('aws-sdk-js'),
        eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        eventID: expect.stringMatching(/^[0-9a-f-]{36}$/),
        requestID: expect.stringMatching(/^[A-Z0-9]{52}$/),
        tlsDetails: {
          tlsVersion: 'TLSv1.3',
          cipherSuite: expect.any(String),
          clientProvidedHostHeader: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        },
      });
      expect(record.resources).toEqual([
        {
          accountId: ACCOUNT,
          type: 'AWS::DynamoDB::Table',
          ARN: expect.stringMatching(
            /^arn:aws:dynamodb:(us-east-1|eu-west-1):111111111111:table\//,
          ),
        },
      ]);
      expect(JSON.stringify(record)).not.toContain('do-not-log');
    }

    const [put] = byName('PutItem');
    expect(put).toMatchObject({
      readOnly: false,
      awsRegion: 'us-east-1',
      requestParameters: {
        tableName: 'payments',
        key: { id: 'p1' },
        item: ['id', 'amount', 'secret'],
      },
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/payments-api/payments-api-task`,
        accountId: ACCOUNT,
        accessKeyId: assumed.Credentials!.AccessKeyId,
        principalId: expect.stringMatching(/^AROA\w+:payments-api-task$/),
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: `arn:aws:iam::${ACCOUNT}:role/payments-api`,
            accountId: ACCOUNT,
            userName: 'payments-api',
          },
          attributes: {
            mfaAuthenticated: 'false',
            creationDate: expect.any(String),
          },
        },
      },
    });
    expect(put.errorCode).toBeUndefined();

    const gets = byName('GetItem');
    expect(
      gets.map(g => [g.awsRegion, g.readOnly, g.resources![0].ARN]).sort(),
    ).toEqual([
      [
        'eu-west-1',
        true,
        `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/payments-eu`,
      ],
      [
        'us-east-1',
        true,
        `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`,
      ],
    ]);

    const [failed] = byName('UpdateItem');
    expect(failed).toMatchObject({
      errorCode: 'ConditionalCheckFailedException',
      errorMessage: 'The conditional request failed',
      requestParameters: {
        tableName: 'payments',
        key: { id: 'p1' },
        conditionExpression: 'attribute_not_exists(id)',
      },
    });
    expect(failed.requestParameters).not.toHaveProperty(
      'expressionAttributeValues',
    );

    const transactions = byName('TransactWriteItems');
    expect(transactions.map(t => t.resources![0].ARN).sort()).toEqual([
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/ledger`,
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`,
    ]);
    for (const transaction of transactions) {
      expect(transaction.requestParameters).not.toHaveProperty('tableName');
      const items = transaction.requestParameters!.requestItems as Array<
        Record<string, unknown>
      >;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        operation: 'Put',
        tableName: transaction.resources![0].ARN!.split('/')[1],
      });
      expect(transaction.requestID).toBe(transactions[0].requestID);
    }

    const [statement] = byName('ExecuteStatement');
    expect(statement.requestParameters).toEqual({
      statement:
        "SELECT * FROM payments WHERE id = 'p1' AND amount = ***(Redacted)",
    });
    expect(statement.userIdentity).toMatchObject({
      type: 'Root',
      arn: `arn:aws:iam::${ACCOUNT}:root`,
    });

    const status = await root.cloudtrail.send(
      new GetTrailStatusCommand({ Name: TRAIL }),
    );
    expect(
      Math.abs(status.LatestDeliveryTime!.getTime() - emulator.clock.now()),
    ).toBeLessThan(INTERVAL);
    expect(status.LatestDeliveryError).toBeUndefined();
  });

  it('captures only what the selectors, region and logging state select', async () => {
    await root.cloudtrail.send(
      new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET }),
    );
    await root.cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: TRAIL,
        EventSelectors: [
          {
            ReadWriteType: 'ReadOnly',
            IncludeManagementEvents: false,
            DataResources: [
              {
                Type: 'AWS::DynamoDB::Table',
                Values: [
                  `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`,
                ],
              },
            ],
          },
        ],
      }),
    );
    await root.cloudtrail.send(new StartLoggingCommand({ Name: TRAIL }));
    await createTable(root, 'payments');
    await createTable(root, 'other');
    await createTable(rootWest, 'payments');
    await root.dynamodb.send(
      new PutItemCommand({ TableName: 'payments', Item: { id: { S: 'w' } } }),
    );
    await root.dynamodb.send(
      new GetItemCommand({ TableName: 'payments', Key: { id: { S: 'w' } } }),
    );
    await root.dynamodb.send(
      new GetItemCommand({ TableName: 'other', Key: { id: { S: 'w' } } }),
    );
    await rootWest.dynamodb.send(
      new GetItemCommand({ TableName: 'payments', Key: { id: { S: 'w' } } }),
    );
    await root.cloudtrail.send(new StopLoggingCommand({ Name: TRAIL }));
    await root.dynamodb.send(
      new GetItemCommand({
        TableName: 'payments',
        Key: { id: { S: 'after-stop' } },
      }),
    );

    await emulator.advance(INTERVAL);
    const records = await readRecords(
      root.s3,
      BUCKET,
      await listAll(root.s3, BUCKET, 'AWSLogs/'),
    );
    expect(
      records.map(r => [r.eventName, r.awsRegion, r.requestParameters?.key]),
    ).toEqual([['GetItem', 'us-east-1', { id: 'w' }]]);
  });

  it('applies advanced operators, readOnly and eventName filters', async () => {
    await createLoggingTrail({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
            {
              Field: 'resources.ARN',
              StartsWith: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/pay`],
              NotEndsWith: ['-archive'],
            },
            { Field: 'readOnly', Equals: ['false'] },
            { Field: 'eventName', NotEquals: ['DeleteItem'] },
          ],
        },
      ],
    });
    for (const name of ['payments', 'payments-archive', 'ledger'])
      await createTable(root, name);
    for (const name of ['payments', 'payments-archive', 'ledger']) {
      await root.dynamodb.send(
        new PutItemCommand({ TableName: name, Item: { id: { S: 'x' } } }),
      );
      await root.dynamodb.send(
        new GetItemCommand({ TableName: name, Key: { id: { S: 'x' } } }),
      );
    }
    await emulator.advance(INTERVAL);
    const records = await readRecords(
      root.s3,
      BUCKET,
      await listAll(root.s3, BUCKET, 'AWSLogs/'),
    );
    expect(
      records.map(r => `${r.eventName} ${r.requestParameters?.tableName}`),
    ).toEqual(['PutItem payments']);
  });

  it('reports AccessDenied when the bucket policy no longer lets CloudTrail write, and recovers', async () => {
    await createLoggingTrail(dynamoDbSelectors);
    await createTable(root, 'payments');
    await root.dynamodb.send(
      new PutItemCommand({ TableName: 'payments', Item: { id: { S: 'a' } } }),
    );
    await emulator.advance(INTERVAL);
    const first = await root.cloudtrail.send(
      new GetTrailStatusCommand({ Name: TRAIL }),
    );
    expect(first.LatestDeliveryTime).toBeInstanceOf(Date);

    await root.s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    await root.dynamodb.send(
      new PutItemCommand({ TableName: 'payments', Item: { id: { S: 'b' } } }),
    );
    const failed = await emulator.advance(INTERVAL);
    expect(failed.failures).toEqual([
      { trailArn: TRAIL_ARN, error: 'AccessDenied' },
    ]);
    const broken = await root.cloudtrail.send(
      new GetTrailStatusCommand({ Name: TRAIL }),
    );
    expect(broken.LatestDeliveryError).toBe('AccessDenied');
    expect(broken.LatestDeliveryTime).toEqual(first.LatestDeliveryTime);
    expect(broken.IsLogging).toBe(true);
    expect(await listAll(root.s3, BUCKET, 'AWSLogs/')).toHaveLength(1);

    await root.s3.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: cloudTrailBucketPolicy(BUCKET, ACCOUNT, {
          sourceArn: TRAIL_ARN,
        }),
      }),
    );
    await emulator.advance(INTERVAL);
    const healed = await root.cloudtrail.send(
      new GetTrailStatusCommand({ Name: TRAIL }),
    );
    expect(healed.LatestDeliveryError).toBeUndefined();
    expect(healed.LatestDeliveryTime!.getTime()).toBeGreaterThan(
      first.LatestDeliveryTime!.getTime(),
    );
    const keys = await listAll(root.s3, BUCKET, 'AWSLogs/');
    expect(keys).toHaveLength(2);
    const records = await readRecords(root.s3, BUCKET, keys);
    expect(records.map(r => r.requestParameters?.key)).toEqual(
      expect.arrayContaining([{ id: 'a' }, { id: 'b' }]),
    );
  });

  it('stays silent for hours without traffic, taking milliseconds', async () => {
    await createLoggingTrail(dynamoDbSelectors);
    await createTable(root, 'payments');
    await root.dynamodb.send(
      new PutItemCommand({ TableName: 'payments', Item: { id: { S: 'a' } } }),
    );
    await emulator.advance(INTERVAL);
    const before = await root.cloudtrail.send(
      new GetTrailStatusCommand({ Name: TRAIL }),
    );
    const started = Date.now();
    await emulator.advance(3 * 3_600_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    const after = await root.cloudtrail.send(
      new GetTrailStatusCommand({ Name: TRAIL }),
    );
    expect(after.LatestDeliveryTime).toEqual(before.LatestDeliveryTime);
    expect(
      emulator.clock.now() - after.LatestDeliveryTime!.getTime(),
    ).toBeGreaterThanOrEqual(3 * 3_600_000);
    expect(await listAll(root.s3, BUCKET, 'AWSLogs/')).toHaveLength(1);
  });

  it('writes hourly digest files that reference the delivered log files', async () => {
    await createLoggingTrail(dynamoDbSelectors, {
      EnableLogFileValidation: true,
    });
    await createTable(root, 'payments');
    await root.dynamodb.send(
      new PutItemCommand({ TableName: 'payments', Item: { id: { S: 'a' } } }),
    );
    await emulator.advance(INTERVAL);
    const [logKey] = await listAll(
      root.s3,
      BUCKET,
      'AWSLogs/111111111111/CloudTrail/',
    );
    await emulator.advance(2 * 3_600_000);
    const digests = await listAll(
      root.s3,
      BUCKET,
      'AWSLogs/111111111111/CloudTrail-Digest/',
    );
    expect(digests.length).toBeGreaterThanOrEqual(2);
    for (const key of digests) {
      expect(key).toMatch(
        /^AWSLogs\/111111111111\/CloudTrail-Digest\/us-east-1\/\d{4}\/\d{2}\/\d{2}\/111111111111_CloudTrail-Digest_us-east-1_dynamodb-lineage_us-east-1_\d{8}T\d{6}Z\.json\.gz$/,
      );
    }
    const contents = [];
    for (const key of digests) {
      const object = await root.s3.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: key }),
      );
      expect(object.Metadata).toMatchObject({
        'signature-algorithm': 'SHA256withRSA',
        signature: expect.stringMatching(/^[0-9a-f]+$/),
      });
      contents.push(
        JSON.parse(
          gunzipSync(
            Buffer.from(await object.Body!.transformToByteArray()),
          ).toString('utf8'),
        ),
      );
    }
    const withLog = contents.find(d => d.logFiles.length > 0);
    expect(withLog.logFiles).toEqual([
      expect.objectContaining({
        s3Bucket: BUCKET,
        s3Object: logKey,
        hashAlgorithm: 'SHA-256',
        hashValue: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    const chained = contents.find(d => d.previousDigestS3Object !== null);
    expect(digests).toContain(chained.previousDigestS3Object);
    const status = await root.cloudtrail.send(
      new GetTrailStatusCommand({ Name: TRAIL }),
    );
    expect(status.LatestDigestDeliveryTime).toBeInstanceOf(Date);
  });

  it('hashes uncompressed log content and signs digests with the ListPublicKeys key', async () => {
    await createLoggingTrail(dynamoDbSelectors, {
      EnableLogFileValidation: true,
    });
    await createTable(root, 'payments');
    await root.dynamodb.send(
      new PutItemCommand({ TableName: 'payments', Item: { id: { S: 'a' } } }),
    );
    await emulator.advance(INTERVAL);
    const [logKey] = await listAll(
      root.s3,
      BUCKET,
      'AWSLogs/111111111111/CloudTrail/',
    );
    await emulator.advance(3_600_000);
    const [digestKey] = await listAll(
      root.s3,
      BUCKET,
      'AWSLogs/111111111111/CloudTrail-Digest/',
    );
    const digestObject = await root.s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: digestKey }),
    );
    const digestText = gunzipSync(
      Buffer.from(await digestObject.Body!.transformToByteArray()),
    );
    const digest = JSON.parse(digestText.toString('utf8'));
    const log = await root.s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: logKey }),
    );
    const uncompressed = gunzipSync(
      Buffer.from(await log.Body!.transformToByteArray()),
    );
    expect(digest.logFiles[0]).toMatchObject({
      s3Object: logKey,
      hashValue: createHash('sha256').update(uncompressed).digest('hex'),
    });

    const { PublicKeyList } = await root.cloudtrail.send(
      new ListPublicKeysCommand({
        StartTime: new Date(emulator.clock.now() - 3 * 3_600_000),
        EndTime: new Date(emulator.clock.now()),
      }),
    );
    const key = PublicKeyList!.find(
      k => k.Fingerprint === digest.digestPublicKeyFingerprint,
    )!;
    const der = Buffer.from(key.Value!);
    const signed = `${
      digest.digestEndTime
    }\n${BUCKET}/${digestKey}\n${createHash('sha256')
      .update(digestText)
      .digest('hex')}\n${digest.previousDigestSignature ?? 'null'}`;
    expect(
      createVerify('RSA-SHA256')
        .update(signed)
        .verify(
          createPublicKey({ key: der, format: 'der', type: 'spki' }),
          Buffer.from(digestObject.Metadata!.signature, 'hex'),
        ),
    ).toBe(true);
  });

  // Two runs of the Python AWS CLI take seconds each on a loaded machine.
  it('passes `aws cloudtrail validate-logs`, which then names a tampered log file', async () => {
    await createLoggingTrail(dynamoDbSelectors, {
      EnableLogFileValidation: true,
    });
    await createTable(root, 'payments');
    const start = new Date(emulator.clock.now() - 60_000);
    for (let i = 0; i < 3; i++) {
      await root.dynamodb.send(
        new PutItemCommand({
          TableName: 'payments',
          Item: { id: { S: `item-${i}` } },
        }),
      );
      await emulator.advance(INTERVAL);
    }
    await emulator.advance(2 * 3_600_000);
    const validate = () =>
      runAwsCli(emulator.url, [
        'cloudtrail',
        'validate-logs',
        '--trail-arn',
        TRAIL_ARN,
        '--start-time',
        start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        '--end-time',
        new Date(emulator.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        '--verbose',
      ]);
    const valid = await validate();
    expect(valid.stderr).not.toMatch(/INVALID/);
    expect(valid.stdout).toMatch(/\b[1-9]\d*\/[1-9]\d* digest files valid/);
    expect(valid.stdout).toMatch(/3\/3 log files valid/);
    expect(valid.code).toBe(0);

    const [logKey] = await listAll(
      root.s3,
      BUCKET,
      'AWSLogs/111111111111/CloudTrail/',
    );
    await root.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: logKey,
        Body: gzipSync(JSON.stringify({ Records: [] })),
      }),
    );
    const tampered = await validate();
    expect(tampered.stderr).toContain(`s3://${BUCKET}/${logKey}\tINVALID`);
    expect(tampered.code).not.toBe(0);
  }, 120_000);

  it('stops one account-region while paused and delivers what it buffered afterwards', async () => {
    await createLoggingTrail(dynamoDbSelectors);
    await createTable(root, 'payments');
    await createTable(rootWest, 'payments');
    emulator.faults.set({
      deliveryPaused: [{ accountId: ACCOUNT, region: 'eu-west-1' }],
    });
    for (const clients of [root, rootWest]) {
      await clients.dynamodb.send(
        new PutItemCommand({ TableName: 'payments', Item: { id: { S: 'a' } } }),
      );
    }
    await emulator.advance(INTERVAL);
    const delivered = () =>
      listAll(root.s3, BUCKET, 'AWSLogs/111111111111/CloudTrail/');
    const paused = await delivered();
    expect(paused.some(k => k.includes('/us-east-1/'))).toBe(true);
    expect(paused.some(k => k.includes('/eu-west-1/'))).toBe(false);

    emulator.faults.clear();
    await emulator.advance(INTERVAL);
    expect((await delivered()).some(k => k.includes('/eu-west-1/'))).toBe(true);
  });

  it('refuses a malformed deliveryPaused fault', () => {
    expect(() =>
      emulator.faults.set({
        deliveryPaused: [{ accountId: '1', region: 'eu-west-1' }],
      }),
    ).toThrow(/deliveryPaused/);
  });

  it('delivers member account events of an organization trail under the organization path', async () => {
    await root.s3.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: JSON.stringify({
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
              Resource: [
                `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
                `arn:aws:s3:::${BUCKET}/AWSLogs/o-exampleorg1/*`,
              ],
            },
          ],
        }),
      }),
    );
    await createLoggingTrail(dynamoDbSelectors, { IsOrganizationTrail: true });
    const member = sdkClients(emulator.url, { accessKeyId: '555555555555' });
    await createTable(member, 'member-table');
    await member.dynamodb.send(
      new PutItemCommand({
        TableName: 'member-table',
        Item: { id: { S: 'm' } },
      }),
    );
    await emulator.advance(INTERVAL);
    const keys = await listAll(root.s3, BUCKET, 'AWSLogs/');
    expect(keys).toEqual([
      expect.stringMatching(
        /^AWSLogs\/o-exampleorg1\/555555555555\/CloudTrail\/us-east-1\/.*\/555555555555_CloudTrail_us-east-1_/,
      ),
    ]);
    const [record] = await readRecords(root.s3, BUCKET, keys);
    expect(record).toMatchObject({
      recipientAccountId: '555555555555',
      userIdentity: { accountId: '555555555555' },
    });
  });
});
