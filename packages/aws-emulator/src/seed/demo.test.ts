import { gunzipSync } from 'node:zlib';
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
} from '@aws-sdk/client-cloudtrail';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CloudTrailRecord } from '../events/record';
import { type RunningEmulator, startEmulator } from '../index';
import { rejection, sdkClients } from '../__testUtils__/clients';

const HOUR = 3_600_000;

async function newestObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  count: number,
) {
  const all = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    all.push(...(page.Contents ?? []));
    token = page.NextContinuationToken;
  } while (token);
  return all
    .sort((a, b) => b.LastModified!.getTime() - a.LastModified!.getTime())
    .slice(0, count);
}

async function records(
  s3: S3Client,
  bucket: string,
  keys: string[],
): Promise<CloudTrailRecord[]> {
  const out: CloudTrailRecord[] = [];
  for (const key of keys) {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
    );
    out.push(
      ...JSON.parse(
        gunzipSync(
          Buffer.from(await object.Body!.transformToByteArray()),
        ).toString(),
      ).Records,
    );
  }
  return out;
}

describe('the demo seed', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  }, 30_000);

  afterAll(() => emulator.stop());

  it('gives payments a hardened bucket and a fresh multi-region DynamoDB trail', async () => {
    const { cloudtrail, s3 } = sdkClients(emulator.url);
    const bucket = 'payments-cloudtrail-logs-111111111111';
    const { trailList } = await cloudtrail.send(new DescribeTrailsCommand({}));
    expect(trailList).toEqual([
      expect.objectContaining({
        Name: 'dynamodb-lineage',
        S3BucketName: bucket,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        LogFileValidationEnabled: true,
        KmsKeyId: expect.stringMatching(/^arn:aws:kms:/),
      }),
    ]);
    const selectors = await cloudtrail.send(
      new GetEventSelectorsCommand({ TrailName: 'dynamodb-lineage' }),
    );
    expect(selectors.AdvancedEventSelectors?.[0].FieldSelectors).toEqual(
      expect.arrayContaining([
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
      ]),
    );
    const status = await cloudtrail.send(
      new GetTrailStatusCommand({ Name: 'dynamodb-lineage' }),
    );
    expect(status.IsLogging).toBe(true);
    expect(status.LatestDeliveryError).toBeUndefined();
    expect(
      emulator.clock.now() - status.LatestDeliveryTime!.getTime(),
    ).toBeLessThan(10 * 60_000);

    const policy = JSON.parse(
      (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!,
    );
    const write = policy.Statement.find(
      (s: any) => s.Action === 's3:PutObject',
    );
    expect(write.Condition.StringEquals['aws:SourceArn']).toBe(
      'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
    );
    expect(policy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    );
    const encryption = await s3.send(
      new GetBucketEncryptionCommand({ Bucket: bucket }),
    );
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0]
        .ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe('aws:kms');
    expect(
      (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))
        .PublicAccessBlockConfiguration,
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(
      (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })))
        .OwnershipControls?.Rules,
    ).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(
      (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket })))
        .Status,
    ).toBe('Enabled');
    const lifecycle = await s3.send(
      new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }),
    );
    expect(lifecycle.Rules?.[0].Transitions?.[0].StorageClass).toBe('GLACIER');
  });

  it('fills the payments logs with DynamoDB events of several principals, in both regions', async () => {
    const { s3 } = sdkClients(emulator.url);
    const bucket = 'payments-cloudtrail-logs-111111111111';
    const east = await newestObjects(
      s3,
      bucket,
      'AWSLogs/111111111111/CloudTrail/us-east-1/',
      24,
    );
    const west = await newestObjects(
      s3,
      bucket,
      'AWSLogs/111111111111/CloudTrail/eu-west-1/',
      1,
    );
    expect(west).toHaveLength(1);
    expect(emulator.clock.now() - east[0].LastModified!.getTime()).toBeLessThan(
      10 * 60_000,
    );
    const found = await records(
      s3,
      bucket,
      [...east, ...west].map(o => o.Key!),
    );
    expect(
      found.every(
        r =>
          r.eventSource === 'dynamodb.amazonaws.com' &&
          r.eventCategory === 'Data',
      ),
    ).toBe(true);
    const principals = new Set(
      found.map(
        r =>
          ((r.userIdentity.sessionContext as any)?.sessionIssuer
            ?.arn as string) ?? (r.userIdentity.arn as string),
      ),
    );
    expect(principals).toEqual(
      new Set([
        'arn:aws:iam::111111111111:role/payments-api',
        'arn:aws:iam::111111111111:role/ledger-sync',
        'arn:aws:iam::111111111111:role/finance-reports',
        'arn:aws:iam::111111111111:role/reporting-job',
        'arn:aws:iam::111111111111:user/alice',
      ]),
    );
    const tables = new Set(
      found.flatMap(r => r.resources!.map(res => res.ARN)),
    );
    expect(tables).toEqual(
      new Set([
        'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
        'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
        'arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu',
      ]),
    );
    expect(
      found.some(r => r.errorCode === 'ConditionalCheckFailedException'),
    ).toBe(true);
  });

  it('leaves orders delivering nothing for 5 hours', async () => {
    const { cloudtrail, s3 } = sdkClients(emulator.url, {
      accessKeyId: '222222222222',
    });
    const status = await cloudtrail.send(
      new GetTrailStatusCommand({ Name: 'orders-trail' }),
    );
    expect(status.IsLogging).toBe(true);
    const age = emulator.clock.now() - status.LatestDeliveryTime!.getTime();
    expect(age).toBeGreaterThanOrEqual(5 * HOUR - 10 * 60_000);
    expect(age).toBeLessThan(5 * HOUR + 10 * 60_000);
    const [newest] = await newestObjects(
      s3,
      'orders-cloudtrail-logs-222222222222',
      'AWSLogs/222222222222/CloudTrail/',
      1,
    );
    expect(newest.LastModified!.getTime()).toBeLessThanOrEqual(
      status.LatestDeliveryTime!.getTime() + 1000,
    );
  });

  it('misconfigures inventory: S3-only selectors, no validation, no Block Public Access', async () => {
    const { cloudtrail, s3 } = sdkClients(emulator.url, {
      accessKeyId: '333333333333',
    });
    const { trailList } = await cloudtrail.send(new DescribeTrailsCommand({}));
    expect(trailList).toEqual([
      expect.objectContaining({
        Name: 'inventory-trail',
        LogFileValidationEnabled: false,
      }),
    ]);
    const { EventSelectors } = await cloudtrail.send(
      new GetEventSelectorsCommand({ TrailName: 'inventory-trail' }),
    );
    expect(
      EventSelectors?.flatMap(s => s.DataResources?.map(d => d.Type)),
    ).toEqual(['AWS::S3::Object']);
    expect(
      (
        await cloudtrail.send(
          new GetTrailStatusCommand({ Name: 'inventory-trail' }),
        )
      ).IsLogging,
    ).toBe(true);
    const error = await rejection(
      s3.send(
        new GetPublicAccessBlockCommand({
          Bucket: 'inventory-cloudtrail-logs-333333333333',
        }),
      ),
    );
    expect(error.name).toBe('NoSuchPublicAccessBlockConfiguration');
    const [newest] = await newestObjects(
      s3,
      'inventory-cloudtrail-logs-333333333333',
      'AWSLogs/',
      1,
    );
    const found = await records(s3, 'inventory-cloudtrail-logs-333333333333', [
      newest.Key!,
    ]);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every(r => r.eventSource === 's3.amazonaws.com')).toBe(true);
  });

  it('gives analytics tables but no trail', async () => {
    const { cloudtrail, dynamodb } = sdkClients(emulator.url, {
      accessKeyId: '444444444444',
    });
    expect((await cloudtrail.send(new ListTrailsCommand({}))).Trails).toEqual(
      [],
    );
    expect((await dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual(
      ['events'],
    );
  });

  it('keeps payments fresh with background traffic while orders stays stale', async () => {
    const payments = sdkClients(emulator.url);
    const orders = sdkClients(emulator.url, { accessKeyId: '222222222222' });
    const ordersBefore = await orders.cloudtrail.send(
      new GetTrailStatusCommand({ Name: 'orders-trail' }),
    );
    await emulator.advance(60 * 60_000);
    await emulator.generateTraffic();
    await emulator.flush();
    const status = await payments.cloudtrail.send(
      new GetTrailStatusCommand({ Name: 'dynamodb-lineage' }),
    );
    expect(
      emulator.clock.now() - status.LatestDeliveryTime!.getTime(),
    ).toBeLessThan(5_000);
    const ordersAfter = await orders.cloudtrail.send(
      new GetTrailStatusCommand({ Name: 'orders-trail' }),
    );
    expect(ordersAfter.LatestDeliveryTime).toEqual(
      ordersBefore.LatestDeliveryTime,
    );
  });

  it('can be aged: its last deliveries hours old while emulated time is real time', async () => {
    await emulator.seed('demo', { ageMs: 3 * HOUR });
    try {
      expect(emulator.clock.offsetMs).toBe(0);
      const { cloudtrail, s3 } = sdkClients(emulator.url);
      const status = await cloudtrail.send(
        new GetTrailStatusCommand({ Name: 'dynamodb-lineage' }),
      );
      const age = Date.now() - status.LatestDeliveryTime!.getTime();
      expect(age).toBeGreaterThanOrEqual(3 * HOUR - 60_000);
      expect(age).toBeLessThan(3 * HOUR + 15 * 60_000);
      const [newest] = await newestObjects(
        s3,
        'payments-cloudtrail-logs-111111111111',
        'AWSLogs/111111111111/CloudTrail/',
        1,
      );
      expect(Date.now() - newest.LastModified!.getTime()).toBeGreaterThan(
        3 * HOUR - 60_000,
      );
      // Nothing is delivered for the skipped hours.
      const report = await emulator.advance(0);
      expect(report.logFiles).toBe(0);
    } finally {
      await emulator.seed('demo');
    }
  });
});
