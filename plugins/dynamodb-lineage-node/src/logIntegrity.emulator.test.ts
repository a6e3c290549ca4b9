import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  buildSpec,
  TrailDescription,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  awsCliVersion,
  RunningEmulator,
  runAwsCli,
  startEmulator,
} from '@lineage/aws-emulator';
import { gzipSync } from 'node:zlib';
import { applyPlan } from './apply';
import { AwsClients, DefaultAwsClientFactory } from './clients';
import { inspectTrails } from './inspectTrails';
import { verifyLogIntegrity } from './logIntegrity';
import { planLineage } from './plan';

/*
 * The digest chain the emulator delivers, verified over real HTTP with the
 * real SDK; the AWS CLI v2's `validate-logs` judges the same bucket.
 */

const ACCOUNT = '444444444444';
const HOUR = 3_600_000;
const INTERVAL = 5 * 60_000;

let emulator: RunningEmulator;
let clients: AwsClients;
let trail: TrailDescription;
let latestDigestDeliveryTime: string | undefined;

const version = awsCliVersion();
const cliAvailable = version?.startsWith('aws-cli/2.') ?? false;
if (!cliAvailable) {
  // eslint-disable-next-line no-console
  console.log(
    `validate-logs comparison SKIPPED: /usr/bin/aws is ${
      version ? `"${version}", not the AWS CLI v2` : 'missing'
    }.`,
  );
}

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    seed: 'none',
    deliveryIntervalMs: INTERVAL,
  });
  clients = await DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 1 },
  ).forAccount(ACCOUNT, 'us-east-1');
});

afterAll(async () => {
  await emulator?.stop();
});

/** A trail with log file validation, three hours of deliveries with DynamoDB traffic, digests for each hour. */
beforeEach(async () => {
  await emulator.reset();
  const spec = buildSpec({
    accountId: ACCOUNT,
    region: 'us-east-1',
    owner: 'group:default/team-analytics',
    createdBy: 'user:default/jane',
  });
  const { plan } = await planLineage(clients, spec);
  await applyPlan(clients, plan, { sleep: async () => {} });
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: 'events',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  for (let i = 0; i < 6; i++) {
    await clients.dynamodb.send(
      new PutItemCommand({ TableName: 'events', Item: { pk: { S: `${i}` } } }),
    );
    await emulator.advance(30 * 60_000);
  }
  await emulator.advance(HOUR);
  const trails = await inspectTrails(clients, {
    accountId: ACCOUNT,
    region: 'us-east-1',
  });
  if (!trails.ok || !trails.value[0]?.trail.logFileValidationEnabled) {
    throw new Error('no trail with log file validation inspected');
  }
  trail = trails.value[0].trail;
  const status = trails.value[0].status;
  latestDigestDeliveryTime = status.ok
    ? status.value.latestDigestDeliveryTime
    : undefined;
});

const now = () => new Date(emulator.clock.now());

async function keys(folder: 'CloudTrail' | 'CloudTrail-Digest') {
  const listed = await clients.s3.send(
    new ListObjectsV2Command({
      Bucket: trail.s3BucketName,
      Prefix: `AWSLogs/${ACCOUNT}/${folder}/us-east-1/`,
    }),
  );
  return (listed.Contents ?? []).map(o => o.Key!).sort();
}

function validateLogs() {
  const iso = (ms: number) =>
    new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return runAwsCli(
    emulator.url,
    [
      'cloudtrail',
      'validate-logs',
      '--trail-arn',
      trail.arn,
      '--start-time',
      iso(emulator.clock.now() - 6 * HOUR),
      '--end-time',
      iso(emulator.clock.now()),
      '--verbose',
    ],
    { accountId: ACCOUNT },
  );
}

describe('verifyLogIntegrity against the emulator', () => {
  it('verifies every digest and log file of the window', async () => {
    const result = await verifyLogIntegrity(clients, trail, { now: now() });
    const digests = await keys('CloudTrail-Digest');
    const logs = await keys('CloudTrail');
    expect(digests.length).toBeGreaterThanOrEqual(3);
    expect(logs.length).toBe(6);
    expect(result).toMatchObject({
      status: 'verified',
      digestFiles: digests.length,
      logFiles: logs.length,
    });
  });

  it('names a log file overwritten with PutObject, as `aws cloudtrail validate-logs` does', async () => {
    const logs = await keys('CloudTrail');
    const tampered = logs[2];
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: trail.s3BucketName,
        Key: tampered,
        Body: gzipSync(JSON.stringify({ Records: [] })),
      }),
    );
    const result = await verifyLogIntegrity(clients, trail, { now: now() });
    expect(result).toMatchObject({
      status: 'failed',
      problem: 'log-changed',
      bucket: trail.s3BucketName,
      key: tampered,
    });

    if (!cliAvailable) return;
    const cli = await validateLogs();
    expect(cli.code).not.toBe(0);
    const invalid = cli.stderr
      .split('\n')
      .filter(line => line.includes('INVALID'));
    expect(invalid[0]).toContain(`s3://${trail.s3BucketName}/${tampered}`);
  }, 180_000);

  it('names a deleted digest, as `aws cloudtrail validate-logs` does', async () => {
    const digests = await keys('CloudTrail-Digest');
    const deleted = digests[1];
    await clients.s3.send(
      new DeleteObjectCommand({ Bucket: trail.s3BucketName, Key: deleted }),
    );
    const result = await verifyLogIntegrity(clients, trail, { now: now() });
    expect(result).toMatchObject({
      status: 'failed',
      problem: 'digest-missing',
      key: deleted,
    });

    if (!cliAvailable) return;
    const cli = await validateLogs();
    expect(cli.code).not.toBe(0);
    const invalid = cli.stderr
      .split('\n')
      .filter(line => line.includes('INVALID'));
    expect(invalid).toEqual([
      `Digest file\ts3://${trail.s3BucketName}/${deleted}\tINVALID: not found`,
    ]);
  }, 180_000);

  it('names the newest digest gone, which no later digest names, from the trail status', async () => {
    const digests = await keys('CloudTrail-Digest');
    const newest = digests[digests.length - 1];
    await clients.s3.send(
      new DeleteObjectCommand({ Bucket: trail.s3BucketName, Key: newest }),
    );
    expect(latestDigestDeliveryTime).toBeDefined();
    const withoutStatus = await verifyLogIntegrity(clients, trail, {
      now: now(),
    });
    expect(withoutStatus.status).toBe('verified');
    const result = await verifyLogIntegrity(clients, trail, {
      now: now(),
      latestDigestDeliveryTime,
    });
    expect(result).toMatchObject({
      status: 'failed',
      problem: 'digest-missing',
      key: newest.slice(0, newest.lastIndexOf('_') + 1),
    });
  });

  it('agrees with `aws cloudtrail validate-logs` on an untouched bucket', async () => {
    if (!cliAvailable) return;
    const result = await verifyLogIntegrity(clients, trail, { now: now() });
    const cli = await validateLogs();
    expect(cli.stderr).not.toMatch(/INVALID/);
    expect(cli.code).toBe(0);
    expect(result.status).toBe('verified');
    if (result.status !== 'verified') return;
    expect(cli.stdout).toContain(
      `${result.logFiles}/${result.logFiles} log files valid`,
    );
  }, 180_000);
});
