import {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DisableKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  DEFAULT_FRESHNESS,
  LogIntegrity,
  TrailEvidence,
  TrailState,
  runCheck,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients, DefaultAwsClientFactory } from './clients';
import { CachedInspector, InspectionCache } from './inspectionCache';

/*
 * What a refresh reuses from earlier ones, over real HTTP against the
 * emulator's demo world: the payments trail is multi-region (seen from
 * us-east-1 at home and eu-west-1 as a shadow) with custom selectors.
 */

const PAYMENTS = '111111111111';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${PAYMENTS}:trail/dynamodb-lineage`;
const BUCKET = `payments-cloudtrail-logs-${PAYMENTS}`;
const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const DAY = 24 * HOUR;

const checkKms = (evidence: TrailEvidence) =>
  runCheck('trail.kms', evidence, {
    scope: { accountId: PAYMENTS, region: 'us-east-1' },
    thresholds: DEFAULT_FRESHNESS,
    now: new Date(),
  });

let emulator: RunningEmulator;
let east: AwsClients;
let west: AwsClients;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  const factory = DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 1 },
  );
  east = await factory.forAccount(PAYMENTS, 'us-east-1');
  west = await factory.forAccount(PAYMENTS, 'eu-west-1');
});

afterAll(async () => {
  await emulator?.stop();
});

beforeEach(async () => {
  await emulator.seed('demo');
});

function newCache() {
  return new InspectionCache({ now: () => emulator.clock.now() });
}

/** Operation → calls, of what `work` asked the emulator. */
async function operationsOf(work: () => Promise<unknown>) {
  emulator.calls.clear();
  await work();
  return emulator.calls
    .list()
    .reduce<Record<string, number>>((counts, { operation }) => {
      counts[operation] = (counts[operation] ?? 0) + 1;
      return counts;
    }, {});
}

/** Both regions of the payments account, at the same time, as a refresh does. */
async function inspectBothRegions(inspector: CachedInspector) {
  const answers = await Promise.all([
    inspector.inspectTrails(east, { accountId: PAYMENTS, region: 'us-east-1' }),
    inspector.inspectTrails(west, { accountId: PAYMENTS, region: 'eu-west-1' }),
  ]);
  return answers.map(answer => {
    if (!answer.ok) throw new Error(answer.error);
    return answer.value.find(state => state.trail.arn === TRAIL) as TrailState;
  });
}

describe('InspectionCache', () => {
  it('asks a multi-region trail’s status and selectors once per refresh, and only its status afterwards', async () => {
    const cache = newCache();
    const first = await operationsOf(() =>
      inspectBothRegions(cache.beginRefresh()),
    );
    expect(first).toEqual({
      DescribeTrails: 2,
      GetTrailStatus: 1,
      GetEventSelectors: 1,
      ListTags: 1,
    });

    let states: TrailState[] = [];
    const second = await operationsOf(async () => {
      states = await inspectBothRegions(cache.beginRefresh());
    });
    expect(second).toEqual({ DescribeTrails: 2, GetTrailStatus: 1 });
    expect(states[0]).toMatchObject({
      status: { ok: true, value: { isLogging: true } },
      eventSelectors: { ok: true, value: { advanced: expect.any(Array) } },
      tags: {
        ok: true,
        value: { 'backstage:owner': 'group:default/team-payments' },
      },
    });
  });

  it('never reuses a trail’s status: a stopped trail is seen at the next refresh', async () => {
    const cache = newCache();
    await inspectBothRegions(cache.beginRefresh());
    await east.cloudTrail.send(new StopLoggingCommand({ Name: TRAIL }));
    const [home] = await inspectBothRegions(cache.beginRefresh());
    expect(home.status).toMatchObject({
      ok: true,
      value: { isLogging: false },
    });
  });

  it('re-reads trail settings when their lifetime is over or DescribeTrails shows a change', async () => {
    const cache = newCache();
    await inspectBothRegions(cache.beginRefresh());

    await emulator.advance(cache.trailSettingsTtlMs);
    const expired = await operationsOf(() =>
      inspectBothRegions(cache.beginRefresh()),
    );
    expect(expired).toMatchObject({ GetEventSelectors: 1, ListTags: 1 });

    await east.cloudTrail.send(
      new UpdateTrailCommand({ Name: TRAIL, EnableLogFileValidation: false }),
    );
    const changed = await operationsOf(() =>
      inspectBothRegions(cache.beginRefresh()),
    );
    expect(changed).toMatchObject({ GetEventSelectors: 1, ListTags: 1 });
  });

  it('asks nothing about the selectors of a trail without custom ones, until some are put', async () => {
    const inventory = '333333333333';
    const factory = DefaultAwsClientFactory.fromCredentials(
      accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
      { endpoint: emulator.url, maxAttempts: 1 },
    );
    const clients = await factory.forAccount(inventory, 'us-east-1');
    await clients.cloudTrail.send(
      new CreateTrailCommand({
        Name: 'plain',
        S3BucketName: `inventory-cloudtrail-logs-${inventory}`,
      }),
    );
    const cache = newCache();
    const inspect = () =>
      cache
        .beginRefresh()
        .inspectTrails(clients, { accountId: inventory, region: 'us-east-1' });
    const selectorCalls = async () =>
      (await operationsOf(inspect)).GetEventSelectors ?? 0;

    // inventory-trail has custom selectors (asked once, then remembered); plain has none.
    expect(await selectorCalls()).toBe(1);
    expect(await selectorCalls()).toBe(0);
    await clients.cloudTrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'plain',
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
            ],
          },
        ],
      }),
    );
    expect(await selectorCalls()).toBe(1);
    const answer = await inspect();
    const plain = answer.ok
      ? answer.value.find(state => state.trail.name === 'plain')
      : undefined;
    expect(plain?.eventSelectors).toMatchObject({
      ok: true,
      value: { advanced: [{ FieldSelectors: expect.any(Array) }] },
    });
  });

  it('reuses bucket settings for an hour unless told to revalidate', async () => {
    const cache = newCache();
    const read = (options?: { revalidate?: boolean }) =>
      cache.beginRefresh().inspectBucket(east, BUCKET, options);

    const first = await operationsOf(() => read());
    expect(first).toEqual({
      HeadBucket: 1,
      GetBucketPolicy: 1,
      GetBucketEncryption: 1,
      GetPublicAccessBlock: 1,
      GetBucketOwnershipControls: 1,
      GetBucketVersioning: 1,
      GetBucketLifecycleConfiguration: 1,
      GetBucketTagging: 1,
    });
    expect(await operationsOf(() => read())).toEqual({});

    await east.s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    // Remembered until revalidated…
    expect((await read()).policy).toMatchObject({
      ok: true,
      value: { Statement: expect.any(Array) },
    });
    // …which a trail reporting a delivery error asks for.
    expect((await read({ revalidate: true })).policy).toEqual({
      ok: true,
      value: null,
    });

    await emulator.advance(HOUR);
    expect(await operationsOf(() => read())).toHaveProperty(
      'GetBucketPolicy',
      1,
    );
  });

  it('reads a bucket once when trails of one refresh ask at the same time', async () => {
    const inspector = newCache().beginRefresh();
    const calls = await operationsOf(() =>
      Promise.all([
        inspector.inspectBucket(east, BUCKET),
        inspector.inspectBucket(east, BUCKET),
        // Revalidation asks for a read of this refresh, which the first one is.
        inspector.inspectBucket(east, BUCKET, { revalidate: true }),
      ]),
    );
    expect(calls).toHaveProperty('GetBucketPolicy', 1);
    expect(calls).toHaveProperty('HeadBucket', 1);
  });

  it('does not remember a bucket AWS did not fully describe', async () => {
    const cache = newCache();
    emulator.faults.set({
      accessDenied: [{ principal: PAYMENTS, action: 's3:GetBucketPolicy' }],
    });
    const refused = await cache.beginRefresh().inspectBucket(east, BUCKET);
    emulator.faults.clear();
    expect(refused.policy).toMatchObject({ ok: false, code: 'AccessDenied' });
    const again = await operationsOf(() =>
      cache.beginRefresh().inspectBucket(east, BUCKET),
    );
    expect(again).toHaveProperty('GetBucketPolicy', 1);
  });

  it('lists only new log objects and reads no file twice', async () => {
    const cache = newCache();
    const [home] = await inspectBothRegions(cache.beginRefresh());
    const now = new Date(emulator.clock.now());
    const read = () =>
      cache.beginRefresh().readRuntimeSignals(east, home.trail, { now });

    const first = await read();
    expect(first.dynamodbEvents).toMatchObject({
      ok: true,
      value: { filesRead: 3 },
    });
    let second = first;
    const calls = await operationsOf(async () => {
      second = await read();
    });
    expect(calls).toEqual({ ListObjectsV2: 1 });
    expect(second).toEqual(first);
  });

  it('right after midnight UTC, tops the newest files up from the day before and reads no file twice', async () => {
    // Three minutes into a UTC day: today's prefix holds one delivery.
    const nextMidnight = Math.ceil(Date.now() / DAY) * DAY;
    await emulator.seed('demo', { at: nextMidnight + 3 * MINUTE });
    const cache = newCache();
    const [home] = await inspectBothRegions(cache.beginRefresh());
    const now = new Date(emulator.clock.now());
    const read = () =>
      cache.beginRefresh().readRuntimeSignals(east, home.trail, { now });

    const first = await read();
    expect(first.logObjects).toMatchObject({
      ok: true,
      value: { prefixesListed: [expect.any(String), expect.any(String)] },
    });
    expect(first.dynamodbEvents).toMatchObject({
      ok: true,
      value: { filesRead: 3 },
    });
    let second = first;
    const calls = await operationsOf(async () => {
      second = await read();
    });
    expect(calls).toEqual({ ListObjectsV2: 1 });
    // The window is full: only today's prefix is listed, and the answer holds.
    expect(second.dynamodbEvents).toEqual(first.dynamodbEvents);
    expect(second.logObjects).toEqual({
      ok: true,
      value: {
        ...(first.logObjects.ok ? first.logObjects.value : {}),
        prefixesListed: [expect.stringMatching(/\/$/)],
      },
    });
  });

  it('verifies an account-region’s digest chain at most once an hour, and again when AWS did not answer', async () => {
    const cache = newCache();
    const [home] = await inspectBothRegions(cache.beginRefresh());
    expect(home.trail.logFileValidationEnabled).toBe(true);
    await emulator.advance(2 * HOUR);
    const verify = () =>
      cache.beginRefresh().verifyLogIntegrity(east, home.trail, {
        now: new Date(emulator.clock.now()),
      });

    emulator.faults.set({
      accessDenied: [{ principal: '*', action: 'cloudtrail:ListPublicKeys' }],
    });
    await expect(verify()).resolves.toMatchObject({ status: 'unknown' });

    emulator.faults.clear();
    let first: LogIntegrity | undefined;
    expect(
      await operationsOf(async () => {
        first = await verify();
      }),
    ).toHaveProperty('ListPublicKeys', 1);
    expect(first).toMatchObject({ status: 'verified' });
    expect(first?.status === 'verified' && first.digestFiles).toBeGreaterThan(
      0,
    );
    expect(await operationsOf(verify)).toEqual({});

    await emulator.advance(HOUR);
    expect(await operationsOf(verify)).toHaveProperty('ListPublicKeys', 1);
  });

  it('validates its lifetimes and forgets the oldest entries beyond its bound', async () => {
    expect(() => new InspectionCache({ bucketSettingsTtlMs: -1 })).toThrow(
      'bucketSettingsTtlMs must be a finite number of milliseconds ≥ 0 (got -1)',
    );
    const cache = new InspectionCache({
      maxEntries: 1,
      now: () => emulator.clock.now(),
    });
    const other = `other-${PAYMENTS}`;
    await east.s3.send(new CreateBucketCommand({ Bucket: other }));
    await cache.beginRefresh().inspectBucket(east, BUCKET);
    await cache.beginRefresh().inspectBucket(east, other);
    expect(
      await operationsOf(() => cache.beginRefresh().inspectBucket(east, other)),
    ).toEqual({});
    const calls = await operationsOf(() =>
      cache.beginRefresh().inspectBucket(east, BUCKET),
    );
    expect(calls).toHaveProperty('HeadBucket', 1);
  });

  describe("the trail's KMS key", () => {
    it('reads DescribeKey and GetKeyPolicy once, reuses them like bucket settings, and passes trail.kms', async () => {
      const cache = newCache();
      const [home] = await inspectBothRegions(cache.beginRefresh());
      let key: Awaited<ReturnType<CachedInspector['inspectKmsKey']>>;
      const first = await operationsOf(async () => {
        const inspector = cache.beginRefresh();
        [key] = await Promise.all([
          inspector.inspectKmsKey(east, home.trail),
          inspector.inspectKmsKey(west, home.trail),
        ]);
      });
      expect(first).toEqual({ DescribeKey: 1, GetKeyPolicy: 1 });
      expect(key!).toMatchObject({
        ok: true,
        value: { exists: true, keyState: 'Enabled' },
      });
      expect(checkKms({ trail: home, kmsKey: key! }).status).toBe('pass');

      const again = await operationsOf(() =>
        cache.beginRefresh().inspectKmsKey(east, home.trail),
      );
      expect(again).toEqual({});
    });

    it('fails trail.kms once the key is disabled or its policy drops CloudTrail, and delivery stops', async () => {
      const cache = newCache();
      const [home] = await inspectBothRegions(cache.beginRefresh());
      const keyArn = home.trail.kmsKeyId!;
      await cache.beginRefresh().inspectKmsKey(east, home.trail);

      await east.kms.send(
        new PutKeyPolicyCommand({
          KeyId: keyArn,
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${PAYMENTS}:root` },
                Action: 'kms:*',
                Resource: '*',
              },
            ],
          }),
        }),
      );
      const withoutCloudTrail = await cache
        .beginRefresh()
        .inspectKmsKey(east, home.trail, { revalidate: true });
      const policyResult = checkKms({ trail: home, kmsKey: withoutCloudTrail });
      expect(policyResult.status).toBe('fail');
      expect(policyResult.evidence).toContain(
        "the key's policy does not let CloudTrail encrypt for this trail",
      );
      await east.dynamodb.send(
        new PutItemCommand({
          TableName: 'payments',
          Item: { id: { S: 'kms-check' } },
        }),
      );
      expect((await emulator.flush()).logFiles).toBe(0);
      const [stopped] = await inspectBothRegions(cache.beginRefresh());
      expect(stopped.status).toMatchObject({
        ok: true,
        value: { latestDeliveryError: 'KMS.AccessDeniedException' },
      });

      await east.kms.send(new DisableKeyCommand({ KeyId: keyArn }));
      const disabled = await cache
        .beginRefresh()
        .inspectKmsKey(east, home.trail, { revalidate: true });
      expect(checkKms({ trail: home, kmsKey: disabled })).toMatchObject({
        status: 'fail',
        evidence: expect.stringContaining('the key is disabled'),
      });
    });

    it('is unknown with the reason, and not remembered, when KMS refuses', async () => {
      const cache = newCache();
      const [home] = await inspectBothRegions(cache.beginRefresh());
      emulator.faults.set({
        accessDenied: [{ principal: PAYMENTS, action: 'kms:DescribeKey' }],
      });
      const refused = await cache
        .beginRefresh()
        .inspectKmsKey(east, home.trail);
      emulator.faults.set({
        accessDenied: [{ principal: PAYMENTS, action: 'kms:GetKeyPolicy' }],
      });
      const policyRefused = await cache
        .beginRefresh()
        .inspectKmsKey(east, home.trail);
      emulator.faults.clear();

      const result = checkKms({ trail: home, kmsKey: refused! });
      expect(result.status).toBe('unknown');
      expect(result.evidence).toBe(
        "Not checked: AWS did not show the trail's KMS key (AccessDeniedException).",
      );
      expect(checkKms({ trail: home, kmsKey: policyRefused! }).status).toBe(
        'unknown',
      );
      const again = await operationsOf(() =>
        cache.beginRefresh().inspectKmsKey(east, home.trail),
      );
      expect(again).toEqual({ DescribeKey: 1, GetKeyPolicy: 1 });
    });
  });
});
