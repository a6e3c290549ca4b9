import { gunzipSync } from 'node:zlib';
import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { Faults } from './faults';
import { type RunningEmulator, startEmulator } from './index';
import {
  createTrailBucket,
  rejection,
  sdkClients,
} from './__testUtils__/clients';

describe('faults and the call log', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, deliveryIntervalMs: 60_000 });
  });

  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  it('throttles each service the way it throttles', async () => {
    const clients = sdkClients(emulator.url);
    await createTrailBucket(clients.s3, 'throttled-bucket', '111111111111');
    emulator.faults.set({
      throttleRate: {
        'cloudtrail:DescribeTrails': 1,
        's3:ListBucket': 1,
        'dynamodb:GetItem': 1,
        'dynamodb:ListTables': 1,
        'sts:GetCallerIdentity': 1,
      },
    });
    const cloudtrail = await rejection(
      clients.cloudtrail.send(new DescribeTrailsCommand({})),
    );
    expect([cloudtrail.name, cloudtrail.$metadata.httpStatusCode]).toEqual([
      'ThrottlingException',
      400,
    ]);
    const s3 = await rejection(
      clients.s3.send(new ListObjectsV2Command({ Bucket: 'throttled-bucket' })),
    );
    expect([s3.name, s3.$metadata.httpStatusCode]).toEqual(['SlowDown', 503]);
    const data = await rejection(
      clients.dynamodb.send(
        new GetItemCommand({ TableName: 't', Key: { id: { S: '1' } } }),
      ),
    );
    expect(data.name).toBe('ProvisionedThroughputExceededException');
    const control = await rejection(
      clients.dynamodb.send(new ListTablesCommand({})),
    );
    expect(control.name).toBe('ThrottlingException');
    const sts = await rejection(
      clients.sts.send(new GetCallerIdentityCommand({})),
    );
    expect(sts.name).toBe('Throttling');
    // Other operations are untouched.
    await expect(
      clients.s3.send(
        new GetObjectCommand({ Bucket: 'throttled-bucket', Key: 'x' }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('lets the SDK retry through a partial throttling rate', async () => {
    const retrying = new CloudTrailClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' },
      maxAttempts: 10,
    });
    emulator.faults.set({ throttleRate: { 'cloudtrail:*': 0.3 } });
    for (let i = 0; i < 3; i++) {
      await expect(
        retrying.send(new DescribeTrailsCommand({})),
      ).resolves.toMatchObject({ trailList: [] });
    }
    expect(
      emulator.calls.list({
        action: 'cloudtrail:DescribeTrails',
        outcome: 'success',
      }),
    ).toHaveLength(3);
  });

  it('denies chosen principal and action pairs', async () => {
    const payments = sdkClients(emulator.url);
    const orders = sdkClients(emulator.url, { accessKeyId: '222222222222' });
    for (const [clients, account] of [
      [payments, '111111111111'],
      [orders, '222222222222'],
    ] as const) {
      await createTrailBucket(clients.s3, `logs-${account}`, account);
      await clients.cloudtrail.send(
        new CreateTrailCommand({
          Name: 'lineage',
          S3BucketName: `logs-${account}`,
        }),
      );
    }
    emulator.faults.set({
      accessDenied: [
        { principal: '111111111111', action: 'cloudtrail:GetEventSelectors' },
      ],
    });
    const denied = await rejection(
      payments.cloudtrail.send(
        new GetEventSelectorsCommand({ TrailName: 'lineage' }),
      ),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('cloudtrail:GetEventSelectors');
    await expect(
      orders.cloudtrail.send(
        new GetEventSelectorsCommand({ TrailName: 'lineage' }),
      ),
    ).resolves.toBeDefined();
    await expect(
      payments.cloudtrail.send(new DescribeTrailsCommand({})),
    ).resolves.toBeDefined();
  });

  it('denies by role ARN, and records denied DynamoDB data calls in CloudTrail', async () => {
    const root = sdkClients(emulator.url);
    const sourceArn = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/lineage';
    await createTrailBucket(root.s3, 'logs-111111111111', '111111111111', {
      sourceArn,
    });
    await root.cloudtrail.send(
      new CreateTrailCommand({
        Name: 'lineage',
        S3BucketName: 'logs-111111111111',
      }),
    );
    await root.cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'lineage',
        EventSelectors: [
          {
            IncludeManagementEvents: false,
            DataResources: [
              { Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] },
            ],
          },
        ],
      }),
    );
    await root.cloudtrail.send(new StartLoggingCommand({ Name: 'lineage' }));
    await root.dynamodb.send(
      new CreateTableCommand({
        TableName: 'payments',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }),
    );
    const { Credentials } = await root.sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::111111111111:role/intruder',
        RoleSessionName: 'probe',
      }),
    );
    const intruder = sdkClients(emulator.url, {
      accessKeyId: Credentials!.AccessKeyId!,
    });
    emulator.faults.set({
      accessDenied: [
        {
          principal: 'arn:aws:iam::111111111111:role/intruder',
          action: 'dynamodb:*',
        },
      ],
    });
    const denied = await rejection(
      intruder.dynamodb.send(
        new GetItemCommand({ TableName: 'payments', Key: { id: { S: '1' } } }),
      ),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(
      'arn:aws:dynamodb:*:111111111111:table/payments',
    );

    await emulator.advance(60_000);
    const { Contents } = await root.s3.send(
      new ListObjectsV2Command({ Bucket: 'logs-111111111111' }),
    );
    const object = await root.s3.send(
      new GetObjectCommand({
        Bucket: 'logs-111111111111',
        Key: Contents![0].Key,
      }),
    );
    const { Records } = JSON.parse(
      gunzipSync(
        Buffer.from(await object.Body!.transformToByteArray()),
      ).toString(),
    );
    expect(Records).toEqual([
      expect.objectContaining({
        eventName: 'GetItem',
        errorCode: 'AccessDeniedException',
        userIdentity: expect.objectContaining({ type: 'AssumedRole' }),
      }),
    ]);
  });

  it('adds latency per action', async () => {
    const { sts } = sdkClients(emulator.url);
    emulator.faults.set({ latencyMs: { 'sts:GetCallerIdentity': 200 } });
    const started = Date.now();
    await sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('throttles the same calls again for the same random seed', () => {
    const faults = new Faults();
    const draws = (seed: number) => {
      faults.set({
        throttleRate: { 'sts:GetCallerIdentity': 0.5 },
        randomSeed: seed,
      });
      return Array.from({ length: 64 }, () =>
        faults.shouldThrottle('sts:GetCallerIdentity'),
      );
    };
    const first = draws(7);
    expect(draws(7)).toEqual(first);
    expect(draws(8)).not.toEqual(first);
    // A rate of one half throttles some calls and lets others through.
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(() => faults.set({ randomSeed: -1 })).toThrow(
      'randomSeed must be an integer ≥ 0, got -1',
    );
  });

  it('refuses fault settings it does not understand, naming the field', () => {
    expect(() => emulator.faults.set({ throttleRate: { '*': 2 } })).toThrow(
      'throttleRate.* must be between 0 and 1',
    );
    expect(() => emulator.faults.set({ slowness: 1 } as any)).toThrow(
      'unknown fault setting slowness',
    );
    expect(() =>
      emulator.faults.set({ accessDenied: [{ action: 'x' }] } as any),
    ).toThrow('accessDenied');
  });

  it('logs every call with principal, account, region, service, IAM action and outcome', async () => {
    const west = sdkClients(emulator.url, { region: 'eu-west-1' });
    await west.sts.send(new GetCallerIdentityCommand({}));
    await west.cloudtrail.send(new DescribeTrailsCommand({}));
    await rejection(
      west.dynamodb.send(
        new GetItemCommand({ TableName: 'missing', Key: { id: { S: '1' } } }),
      ),
    );
    await rejection(
      sdkClients(emulator.url, { accessKeyId: 'AKIANOBODY0000000000' }).s3.send(
        new ListObjectsV2Command({ Bucket: 'b-b-b' }),
      ),
    );
    const calls = emulator.calls.list();
    expect(calls.map(c => [c.service, c.action, c.outcome])).toEqual([
      ['sts', 'sts:GetCallerIdentity', 'success'],
      ['cloudtrail', 'cloudtrail:DescribeTrails', 'success'],
      ['dynamodb', 'dynamodb:GetItem', 'ResourceNotFoundException'],
      ['s3', 's3:ListBucket', 'NoSuchBucket'],
    ]);
    expect(calls[1]).toMatchObject({
      accountId: '111111111111',
      principalArn: 'arn:aws:iam::111111111111:root',
      region: 'eu-west-1',
      operation: 'DescribeTrails',
      httpStatus: 200,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(emulator.calls.list({ service: 'dynamodb' })).toHaveLength(1);
    emulator.calls.clear();
    expect(emulator.calls.list()).toEqual([]);
  });
});
