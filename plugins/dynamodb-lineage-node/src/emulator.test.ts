import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import {
  CreateTrailCommand,
  GetEventSelectorsCommand,
  PutEventSelectorsCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import { GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  buildSpec,
  LineageSpecInput,
} from '@lineage/plugin-dynamodb-lineage-common';
import { applyPlan } from './apply';
import { AwsClients, DefaultAwsClientFactory } from './clients';
import { desiredBucketPolicy, desiredEventSelectors } from './desiredState';
import { inspectBucket } from './inspectBucket';
import { inspectTrails } from './inspectTrails';
import { planLineage } from './plan';
import { readRuntimeSignals } from './runtimeSignals';
import { readTableLineage } from './tableLineage';

/*
 * Behaviour over real HTTP with the real SDK, against the dev emulator.
 */

const MUTATING = /^(Create|Put|Update|Start|Stop|Add|Delete|Remove)/;

let emulator: RunningEmulator;
let factory: DefaultAwsClientFactory;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  factory = DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 1 },
  );
});

afterAll(async () => {
  await emulator?.stop();
});

beforeEach(async () => {
  await emulator.reset();
});

const instant = { sleep: async () => {} };

function spec(patch: Partial<LineageSpecInput> = {}) {
  return buildSpec({
    accountId: '444444444444',
    region: 'us-east-1',
    owner: 'group:default/team-analytics',
    createdBy: 'user:default/jane',
    ...patch,
  });
}

/**
 * Where the call log stands now. Not an emulated time: a call answered in the
 * same millisecond as a later mark would count as after it on a fast machine.
 */
function callMark(): number {
  return emulator.calls.list().length;
}

function callsSince(mark: number) {
  return emulator.calls.list().slice(mark);
}

function mutatingCallsSince(mark: number) {
  return callsSince(mark)
    .filter(call => MUTATING.test(call.operation))
    .map(call => call.operation);
}

async function converge(clients: AwsClients, wanted = spec()) {
  const { plan } = await planLineage(clients, wanted);
  const applied = await applyPlan(clients, plan, instant);
  return { plan, applied };
}

async function expectConverged(clients: AwsClients, wanted = spec()) {
  const since = callMark();
  const { plan } = await planLineage(clients, wanted);
  expect(plan.changes.map(c => c.key)).toEqual([]);
  expect(await applyPlan(clients, plan, instant)).toEqual([]);
  expect(mutatingCallsSince(since)).toEqual([]);
}

describe('against the emulator', () => {
  it("refuses a KMS key CloudTrail may not use with 0 mutating calls, then provisions once the plan's statement is added", async () => {
    const clients = await factory.forAccount('444444444444', 'us-east-1');
    const rootOnly = {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444444444444:root' },
      Action: 'kms:*',
      Resource: '*',
    };
    const key = await clients.kms.send(
      new CreateKeyCommand({
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [rootOnly],
        }),
      }),
    );
    await clients.kms.send(
      new CreateAliasCommand({
        AliasName: 'alias/lineage-logs',
        TargetKeyId: key.KeyMetadata!.KeyId,
      }),
    );
    const wanted = spec({ kmsKeyId: 'alias/lineage-logs' });

    const since = callMark();
    const { plan } = await planLineage(clients, wanted);
    expect(plan.blockers).toEqual([
      expect.stringContaining('does not let CloudTrail encrypt for this trail'),
    ]);
    expect(plan.kmsPolicyStatement).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
    });
    await expect(applyPlan(clients, plan, instant)).rejects.toThrow(
      /Refusing to apply/,
    );
    expect(mutatingCallsSince(since)).toEqual([]);
    const reads = callsSince(since)
      .filter(call => call.service === 'kms')
      .map(call => call.operation);
    expect(reads).toEqual(['DescribeKey', 'GetKeyPolicy']);

    await clients.kms.send(
      new PutKeyPolicyCommand({
        KeyId: key.KeyMetadata!.Arn,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [rootOnly, plan.kmsPolicyStatement],
        }),
      }),
    );
    const { plan: fixed } = await converge(clients, wanted);
    expect(fixed.blockers).toBeUndefined();
    await expectConverged(clients, wanted);

    // CloudTrail encrypts with the key: delivery works until the key is disabled.
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const write = (pk: string) =>
      clients.dynamodb.send(
        new PutItemCommand({ TableName: 'orders', Item: { pk: { S: pk } } }),
      );
    const trailName = { Name: 'dynamodb-lineage' };
    await write('a');
    expect((await emulator.flush()).logFiles).toBeGreaterThan(0);
    expect(
      (await clients.cloudTrail.send(new GetTrailStatusCommand(trailName)))
        .LatestDeliveryError,
    ).toBeUndefined();
    await clients.kms.send(
      new DisableKeyCommand({ KeyId: key.KeyMetadata!.KeyId }),
    );
    await write('b');
    expect((await emulator.flush()).logFiles).toBe(0);
    expect(
      (await clients.cloudTrail.send(new GetTrailStatusCommand(trailName)))
        .LatestDeliveryError,
    ).toBe('KMS.DisabledException');
    const { plan: afterDisable } = await planLineage(clients, wanted);
    expect(afterDisable.blockers).toEqual([
      expect.stringContaining('the key is disabled'),
    ]);
  });

  it('provisions a fresh account, then finds nothing left to do', async () => {
    const clients = await factory.forAccount('444444444444', 'us-east-1');
    const wanted = spec();
    const { plan, applied } = await converge(clients, wanted);
    expect(applied.map(a => a.key)).toEqual(plan.changes.map(c => c.key));
    expect(applied.map(a => a.key)).toContain('logging:start');

    const trails = await inspectTrails(clients, {
      accountId: '444444444444',
      region: 'us-east-1',
    });
    expect(trails.ok).toBe(true);
    const [trail] = trails.ok ? trails.value : [];
    expect(trail.trail).toMatchObject({
      name: 'dynamodb-lineage',
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      logFileValidationEnabled: true,
      s3BucketName: 'dynamodb-lineage-444444444444-us-east-1',
    });
    expect(trail.status).toMatchObject({
      ok: true,
      value: { isLogging: true },
    });
    expect(trail.eventSelectors).toEqual({
      ok: true,
      value: { advanced: desiredEventSelectors(wanted) },
    });

    const bucket = await inspectBucket(clients, wanted.bucketName);
    expect(bucket).toMatchObject({
      exists: { ok: true, value: true },
      publicAccessBlock: {
        ok: true,
        value: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
      ownership: { ok: true, value: 'BucketOwnerEnforced' },
      versioning: { ok: true, value: 'Enabled' },
      encryption: { ok: true, value: { algorithm: 'AES256' } },
    });

    await expectConverged(clients, wanted);
  });

  it('creates the bucket in its region outside us-east-1', async () => {
    const clients = await factory.forAccount('444444444444', 'eu-west-1');
    const wanted = spec({ region: 'eu-west-1' });
    await converge(clients, wanted);
    const bucket = await inspectBucket(clients, wanted.bucketName);
    expect(bucket.region).toEqual({ ok: true, value: 'eu-west-1' });
    await expectConverged(clients, wanted);
  });

  it('makes no mutating call on a dry run', async () => {
    const clients = await factory.forAccount('444444444444', 'us-east-1');
    const since = callMark();
    const { plan } = await planLineage(clients, spec());
    expect(plan.changes.length).toBeGreaterThan(5);
    expect(mutatingCallsSince(since)).toEqual([]);
    expect(callsSince(since).length).toBeGreaterThan(0);
  });

  it('converges partial states: bucket only, no selectors, logging stopped, policy removed', async () => {
    const clients = await factory.forAccount('444444444444', 'us-east-1');
    const wanted = spec();

    await clients.s3.send(
      new CreateBucketCommand({ Bucket: wanted.bucketName }),
    );
    const bucketOnly = await converge(clients, wanted);
    expect(bucketOnly.plan.changes.map(c => c.key)).not.toContain(
      'bucket:create',
    );
    await expectConverged(clients, wanted);

    await clients.cloudTrail.send(
      new PutEventSelectorsCommand({
        TrailName: wanted.trailName,
        EventSelectors: [
          { ReadWriteType: 'All', IncludeManagementEvents: true },
        ],
      }),
    );
    await clients.cloudTrail.send(
      new StopLoggingCommand({ Name: wanted.trailName }),
    );
    await clients.s3.send(
      new DeleteBucketPolicyCommand({ Bucket: wanted.bucketName }),
    );
    const repaired = await converge(clients, wanted);
    expect(repaired.plan.changes.map(c => c.key)).toEqual([
      'bucket-policy:update',
      'event-selectors:update',
      'logging:start',
    ]);
    await expectConverged(clients, wanted);
  });

  it('keeps the S3 selectors of a shared trail and adds ours', async () => {
    const clients = await factory.forAccount('444444444444', 'us-east-1');
    const wanted = spec({
      trailName: 'shared-audit',
      bucketName: 'shared-audit-444444444444',
    });
    await clients.s3.send(
      new CreateBucketCommand({ Bucket: wanted.bucketName }),
    );
    await clients.s3.send(
      new PutBucketPolicyCommand({
        Bucket: wanted.bucketName,
        Policy: JSON.stringify(desiredBucketPolicy(wanted)),
      }),
    );
    await clients.cloudTrail.send(
      new CreateTrailCommand({
        Name: 'shared-audit',
        S3BucketName: wanted.bucketName,
      }),
    );
    await clients.cloudTrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'shared-audit',
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            DataResources: [
              { Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] },
            ],
          },
        ],
      }),
    );

    const { plan } = await converge(clients, wanted);
    expect(plan.notes).toContainEqual(
      expect.stringMatching(/^Kept 2 selector\(s\) already on the trail/),
    );
    const selectors = await clients.cloudTrail.send(
      new GetEventSelectorsCommand({ TrailName: 'shared-audit' }),
    );
    expect(selectors.AdvancedEventSelectors?.map(s => s.Name)).toEqual([
      'Management events (basic selector 1)',
      'AWS::S3::Object data events (basic selector 1)',
      'dynamodb-lineage: DynamoDB tables',
    ]);
    await expectConverged(clients, wanted);
  });

  it('hardens the misconfigured demo account, keeping its S3 selectors', async () => {
    await emulator.seed('demo');
    const clients = await factory.forAccount('333333333333', 'us-east-1');
    const wanted = spec({
      accountId: '333333333333',
      owner: 'group:default/team-inventory',
      trailName: 'inventory-trail',
      bucketName: 'inventory-cloudtrail-logs-333333333333',
    });
    const { plan } = await converge(clients, wanted);
    expect(plan.changes.map(c => c.key)).toEqual([
      'canary-table:create',
      'bucket-policy:update',
      'bucket-public-access-block:update',
      'bucket-ownership:update',
      'bucket-versioning:update',
      'bucket-lifecycle:update',
      'trail:update',
      'event-selectors:update',
      'bucket-tags:update',
      'trail-tags:update',
    ]);
    const selectors = await clients.cloudTrail.send(
      new GetEventSelectorsCommand({ TrailName: 'inventory-trail' }),
    );
    expect(selectors.AdvancedEventSelectors?.map(s => s.Name)).toEqual([
      'AWS::S3::Object data events (basic selector 1)',
      'dynamodb-lineage: DynamoDB tables',
    ]);
    await expectConverged(clients, wanted);
  });

  it('leaves the healthy demo account’s trail alone', async () => {
    await emulator.seed('demo');
    const clients = await factory.forAccount('111111111111', 'us-east-1');
    const { plan } = await planLineage(
      clients,
      spec({
        accountId: '111111111111',
        owner: 'group:default/team-payments',
        createdBy: undefined,
        bucketName: 'payments-cloudtrail-logs-111111111111',
        kmsKeyId:
          'arn:aws:kms:us-east-1:111111111111:key/6f1c2a9e-4b7d-4e2a-9c3f-8d5e7a1b2c3d',
      }),
    );
    // Its selector says what ours says under another name; its lifecycle is stricter.
    expect(plan.changes.map(c => c.resource)).not.toContain('event-selectors');
    expect(plan.changes.map(c => c.resource)).not.toContain('trail');
    expect(plan.notes).toContainEqual(
      expect.stringMatching(/^Kept lifecycle rule/),
    );
  });

  it('sees a DynamoDB call made after provisioning in a delivered log object', async () => {
    const clients = await factory.forAccount('444444444444', 'us-east-1');
    const wanted = spec();
    await converge(clients, wanted);

    const tableArn = (
      await clients.dynamodb.send(
        new CreateTableCommand({
          TableName: 'events',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      )
    ).TableDescription?.TableArn;
    expect(tableArn).toBe(
      'arn:aws:dynamodb:us-east-1:444444444444:table/events',
    );
    const from = new Date(emulator.clock.now() - 60_000);
    await clients.dynamodb.send(
      new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'a' } } }),
    );
    await clients.dynamodb.send(
      new GetItemCommand({ TableName: 'events', Key: { pk: { S: 'a' } } }),
    );
    await emulator.flush();
    const now = new Date(emulator.clock.now());

    const trails = await inspectTrails(clients, {
      accountId: '444444444444',
      region: 'us-east-1',
    });
    const trail = trails.ok ? trails.value[0].trail : undefined;
    expect(trail).toBeDefined();

    const signals = await readRuntimeSignals(clients, trail!, { now });
    expect(signals.logObjects).toMatchObject({
      ok: true,
      value: { newestKey: expect.any(String) },
    });
    expect(signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: { dynamodbEvents: 2, filesRead: expect.any(Number) },
    });

    const lineage = await readTableLineage(clients, trail!, tableArn!, {
      from,
      to: new Date(now.getTime() + 60_000),
      now,
      byteBudget: 1024 * 1024,
    });
    expect(lineage.truncated).toBe(false);
    expect(lineage.principals).toEqual([
      expect.objectContaining({
        principal: 'arn:aws:iam::444444444444:root',
        reads: 1,
        writes: 1,
        errors: 0,
      }),
    ]);
  });
});
