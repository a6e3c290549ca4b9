import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import { TrailDescription } from '@lineage/plugin-dynamodb-lineage-common';
import {
  CloudTrailRecord,
  DefaultAwsClientFactory,
} from '@lineage/plugin-dynamodb-lineage-node';
import { gzipSync } from 'node:zlib';
import { createBucket } from '../__testUtils__/emulatorCalls';
import { DatabaseLineageEdgeStore } from '../store/DatabaseLineageEdgeStore';
import { StoredAccountRegion, StoredTrail } from '../store/LineageStore';
import { INGEST_TASK_PREFIX, LineageIngestion } from './LineageIngestion';

/*
 * Ingestion over real HTTP against the emulator's S3, with log files placed at
 * known keys so that days, cursors and budgets are exact, into the edge store
 * on each test database.
 */

jest.setTimeout(120_000);

const ACCOUNT = '666666666666';
const BUCKET = `lineage-ingest-${ACCOUNT}`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/orders-api`;
const NOW = new Date('2026-03-10T12:00:00.000Z');

function description(name: string): TrailDescription {
  return {
    name,
    arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`,
    accountId: ACCOUNT,
    homeRegion: 'us-east-1',
    s3BucketName: BUCKET,
    s3KeyPrefix: name,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    isOrganizationTrail: false,
    logFileValidationEnabled: true,
  };
}

function storedTrail(name: string): StoredTrail {
  const trail = description(name);
  return {
    description: trail,
    health: {
      trail: {
        arn: trail.arn,
        name,
        accountId: ACCOUNT,
        homeRegion: 'us-east-1',
        bucket: BUCKET,
      },
      status: 'healthy',
      checks: [],
      checkedAt: NOW.toISOString(),
    },
  };
}

function reached(region: string, trailArns: string[]): StoredAccountRegion {
  return {
    status: {
      accountId: ACCOUNT,
      region,
      status: 'healthy',
      checks: [],
      checkedAt: NOW.toISOString(),
    },
    trails: trailArns.map(arn => ({ arn, status: 'healthy' })),
  };
}

/** `2026-03-10T10:25` → the key CloudTrail gives a file of `prefix` delivered then. */
function keyAt(
  prefix: string,
  minute: string,
  region = 'us-east-1',
  unique = 'u',
) {
  const [day, time] = minute.split('T');
  const [y, m, d] = day.split('-');
  const stamp = `${y}${m}${d}T${time.replace(':', '')}Z`;
  return `${prefix}/AWSLogs/${ACCOUNT}/CloudTrail/${region}/${y}/${m}/${d}/${ACCOUNT}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

let serial = 0;
function event(patch: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  serial += 1;
  return {
    eventID: `ev-${serial}`,
    eventTime: '2026-03-10T10:00:00Z',
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'PutItem',
    eventCategory: 'Data',
    managementEvent: false,
    readOnly: false,
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/orders-api/s-${serial}`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } },
    },
    resources: [{ type: 'AWS::DynamoDB::Table', ARN: TABLE }],
    ...patch,
  };
}

/** A log file of `prefix` delivered at `minute`, holding `records` (or `count` fresh events of that minute). */
function file(
  prefix: string,
  minute: string,
  records: number | CloudTrailRecord[],
  region = 'us-east-1',
) {
  const list =
    typeof records === 'number'
      ? Array.from({ length: records }, () =>
          event({ eventTime: `${minute}:00Z` }),
        )
      : records;
  return {
    key: keyAt(prefix, minute, region),
    body: gzipSync(Buffer.from(JSON.stringify({ Records: list }))),
  };
}

describe('LineageIngestion', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let emulator: RunningEmulator;
  let aws: DefaultAwsClientFactory;
  let trailNo = 0;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'none' });
    aws = DefaultAwsClientFactory.fromCredentials(
      accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
      { endpoint: emulator.url, maxAttempts: 1 },
    );
    await createBucket(emulator.url, ACCOUNT, BUCKET);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  /** A fresh trail (its own key prefix), the edge store on `databaseId` and an ingestion over both. */
  async function setup(
    databaseId: TestDatabaseId,
    settings: Partial<{
      backfillDays: number;
      retentionDays: number;
      byteBudgetBytes: number;
      timeBudgetMs: number;
    }> = {},
    regions = ['us-east-1'],
  ) {
    trailNo += 1;
    const name = `trail-${trailNo}`;
    const trail = storedTrail(name);
    const trails = [trail];
    const knex = await databases.init(databaseId);
    const edges = await DatabaseLineageEdgeStore.create({
      database: { getClient: async () => knex },
    });
    const scheduler = { scheduleTask: jest.fn(async () => {}) };
    const ingestion = new LineageIngestion({
      store: {
        getTrail: async arn =>
          arn === trail.description.arn ? trail : undefined,
        listTrails: async () => trails,
        listAccountRegions: async () =>
          regions.map(region => reached(region, [trail.description.arn])),
      },
      edges,
      aws,
      scheduler,
      logger: mockServices.logger.mock(),
      settings: {
        backfillDays: 7,
        retentionDays: 400,
        byteBudgetBytes: 64 * 1024 * 1024,
        timeBudgetMs: 60_000,
        ...settings,
      },
      now: () => NOW,
    });
    const load = (files: { key: string; body: Buffer }[]) =>
      emulator.loadObjects(BUCKET, files);
    const run = async () => {
      emulator.calls.clear();
      const result = await ingestion.ingestTrail(trail.description.arn);
      const reads = emulator.calls
        .list({ service: 's3' })
        .filter(c => c.operation === 'GetObject').length;
      return { ...result!, reads };
    };
    const total = async () =>
      (await edges.readEdges({ from: '2000-01-01' })).reduce(
        (sum, e) => sum + e.calls + e.errors,
        0,
      );
    return {
      name,
      trail,
      trails,
      edges,
      ingestion,
      scheduler,
      load,
      run,
      total,
    };
  }

  it.each(databases.eachSupportedId())(
    'reads each delivered file once: a second run reads only the files delivered since, on %p',
    async databaseId => {
      const t = await setup(databaseId);
      await t.load([
        file(t.name, '2026-03-10T10:05', 3),
        file(t.name, '2026-03-10T10:10', 2),
      ]);
      expect(await t.run()).toMatchObject({
        filesRead: 2,
        events: 5,
        reads: 2,
        truncated: false,
      });
      await t.load([file(t.name, '2026-03-10T10:15', 4)]);
      expect(await t.run()).toMatchObject({ filesRead: 1, reads: 1 });
      expect(await t.run()).toMatchObject({ filesRead: 0, reads: 0 });

      expect(await t.edges.readEdges({ from: '2026-03-10' })).toEqual([
        {
          accountId: ACCOUNT,
          region: 'us-east-1',
          tableArn: TABLE,
          principal: ROLE,
          principalType: 'AssumedRole',
          principalAccountId: ACCOUNT,
          operation: 'PutItem',
          kind: 'write',
          day: '2026-03-10',
          calls: 9,
          errors: 0,
          firstSeen: '2026-03-10T10:05:00.000Z',
          lastSeen: '2026-03-10T10:15:00.000Z',
        },
      ]);
      const [state] = await t.edges.ingestionState();
      expect(state).toMatchObject({
        trailArn: t.trail.description.arn,
        ingestedThrough: '2026-03-10T10:15:00.000Z',
        newestDelivered: '2026-03-10T10:15:00.000Z',
        lagMinutes: 0,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'reads a file that lands after the cursor in the same minute though its name sorts before, on %p',
    async databaseId => {
      const t = await setup(databaseId);
      await t.load([file(t.name, '2026-03-10T10:05', 2)]);
      expect(await t.run()).toMatchObject({ filesRead: 1 });
      await t.load([
        {
          ...file(t.name, '2026-03-10T10:05', 3),
          key: keyAt(t.name, '2026-03-10T10:05', 'us-east-1', 'a'),
        },
      ]);
      expect(await t.run()).toMatchObject({ filesRead: 1, reads: 1 });
      expect(await t.run()).toMatchObject({ filesRead: 0, reads: 0 });
      expect(await t.total()).toBe(5);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts an event delivered in two files once, errors apart, on %p',
    async databaseId => {
      const t = await setup(databaseId);
      const twice = event({ eventTime: '2026-03-10T10:01:00Z' });
      const failed = event({
        eventTime: '2026-03-10T10:02:00Z',
        errorCode: 'ConditionalCheckFailedException',
      });
      await t.load([
        file(t.name, '2026-03-10T10:05', [twice, failed, event()]),
        file(t.name, '2026-03-10T10:10', [twice, failed]),
      ]);
      await t.run();
      await t.load([file(t.name, '2026-03-10T10:15', [twice, event()])]);
      await t.run();
      const [edge] = await t.edges.readEdges({ from: '2026-03-10' });
      expect(edge).toMatchObject({ calls: 3, errors: 1 });
    },
  );

  it.each(databases.eachSupportedId())(
    'resumes after a crash between batches without counting a file twice, on %p',
    async databaseId => {
      const t = await setup(databaseId);
      // 40 files: three batches of at most 16.
      const files = Array.from({ length: 40 }, (_, i) =>
        file(
          t.name,
          `2026-03-10T${String(8 + Math.floor(i / 12)).padStart(
            2,
            '0',
          )}:${String((i % 12) * 5).padStart(2, '0')}`,
          2,
        ),
      );
      await t.load(files);
      const commit = t.edges.commitIngestBatch.bind(t.edges);
      let commits = 0;
      const crashing = jest
        .spyOn(t.edges, 'commitIngestBatch')
        .mockImplementation(batch => {
          commits += 1;
          if (commits === 2) throw new Error('process killed');
          return commit(batch);
        });
      await expect(t.run()).rejects.toThrow('process killed');
      crashing.mockRestore();
      expect(await t.total()).toBe(32);

      const resumed = await t.run();
      // The first batch is not read again; the lost one is.
      expect(resumed.reads).toBe(24);
      expect(await t.total()).toBe(80);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts nothing twice when a replica re-reads files it holds an old cursor for, on %p',
    async databaseId => {
      const t = await setup(databaseId);
      await t.load([
        file(t.name, '2026-03-10T10:05', 3),
        file(t.name, '2026-03-10T10:10', 2),
      ]);
      const before = await t.edges.getCursors(t.trail.description.arn);
      await t.run();
      // The other replica read its cursors before this run committed.
      jest.spyOn(t.edges, 'getCursors').mockResolvedValueOnce(before);
      expect(await t.run()).toMatchObject({ reads: 2 });
      expect(await t.total()).toBe(5);
    },
  );

  it.each(databases.eachSupportedId())(
    'backfills at most the configured days of a trail seen for the first time, on %p',
    async databaseId => {
      const t = await setup(databaseId, { backfillDays: 7 });
      await t.load([
        file(t.name, '2026-03-01T10:00', 1),
        file(t.name, '2026-03-02T10:00', 1),
        file(t.name, '2026-03-03T00:05', 1),
        file(t.name, '2026-03-09T23:55', 1),
      ]);
      expect(await t.run()).toMatchObject({ filesRead: 2, reads: 2 });
      expect(
        (await t.edges.readEdges({ from: '2000-01-01' })).map(e => e.day),
      ).toEqual(['2026-03-03', '2026-03-09']);
    },
  );

  it.each(databases.eachSupportedId())(
    'stops at the byte budget and resumes with the next run, reporting the lag, on %p',
    async databaseId => {
      const size = file('sample', '2026-03-10T10:05', 50).body.length;
      const t = await setup(databaseId, {
        byteBudgetBytes: Math.floor(size * 2.5),
      });
      await t.load(
        Array.from({ length: 6 }, (_, i) =>
          file(t.name, `2026-03-10T10:${i}5`, 50),
        ),
      );
      const first = await t.run();
      expect(first).toMatchObject({ truncated: true });
      expect(first.filesRead).toBeGreaterThan(0);
      expect(first.filesRead).toBeLessThan(6);
      const [behind] = await t.edges.ingestionState();
      expect(behind.lagMinutes).toBeGreaterThan(0);
      expect(behind.newestDelivered).toBe('2026-03-10T10:55:00.000Z');

      let runs = 1;
      let read = first.filesRead;
      while (read < 6 && runs < 10) {
        const next = await t.run();
        read += next.filesRead;
        runs += 1;
      }
      expect(read).toBe(6);
      expect(await t.total()).toBe(300);
      const [caughtUp] = await t.edges.ingestionState();
      expect(caughtUp.lagMinutes).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'reads every account-region the trail reaches, each with its own cursor, on %p',
    async databaseId => {
      const t = await setup(databaseId, {}, ['us-east-1', 'eu-west-1']);
      const euTable = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders-eu`;
      await t.load([
        file(t.name, '2026-03-10T10:05', 2),
        file(
          t.name,
          '2026-03-10T10:05',
          [event({ resources: [{ ARN: euTable }], awsRegion: 'eu-west-1' })],
          'eu-west-1',
        ),
      ]);
      await t.run();
      expect(
        (await t.edges.readEdges({ from: '2026-03-10' })).map(
          e => `${e.region} ${e.tableArn} ${e.calls}`,
        ),
      ).toEqual([`eu-west-1 ${euTable} 1`, `us-east-1 ${TABLE} 2`]);
      expect(
        (await t.edges.getCursors(t.trail.description.arn)).map(c => c.region),
      ).toEqual(['eu-west-1', 'us-east-1']);
    },
  );

  it.each(databases.eachSupportedId())(
    'does not read a trail whose selectors capture no DynamoDB data events, on %p',
    async databaseId => {
      const t = await setup(databaseId);
      await t.load([file(t.name, '2026-03-10T10:05', 2)]);
      t.trail.selectors = {
        advanced: [
          {
            Name: 'Management events',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
            ],
          },
        ],
      };
      expect(await t.ingestion.ingestTrail(t.trail.description.arn)).toBe(
        undefined,
      );
      t.trail.selectors = {
        advanced: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
            ],
          },
        ],
      };
      expect(await t.run()).toMatchObject({ filesRead: 1 });
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes edges older than the retention after a run, on %p',
    async databaseId => {
      const t = await setup(databaseId, { retentionDays: 30 });
      const old = {
        accountId: ACCOUNT,
        region: 'us-east-1',
        tableArn: TABLE,
        principal: ROLE,
        principalType: 'AssumedRole',
        operation: 'PutItem',
        kind: 'write' as const,
        calls: 1,
        errors: 0,
      };
      await t.edges.commitIngestBatch({
        edges: [
          {
            ...old,
            day: '2026-02-07',
            firstSeen: '2026-02-07T10:00:00.000Z',
            lastSeen: '2026-02-07T10:00:00.000Z',
          },
          {
            ...old,
            day: '2026-02-08',
            firstSeen: '2026-02-08T10:00:00.000Z',
            lastSeen: '2026-02-08T10:00:00.000Z',
          },
        ],
        events: [],
        cursors: [],
      });
      await t.run();
      expect(
        (await t.edges.readEdges({ from: '2000-01-01' })).map(e => e.day),
      ).toEqual(['2026-02-08']);
    },
  );

  it.each(databases.eachSupportedId())(
    'schedules one global task per trail, and trails found later on a later pass, on %p',
    async databaseId => {
      const t = await setup(databaseId);
      expect(await t.ingestion.scheduleTrails()).toEqual([
        `${INGEST_TASK_PREFIX}${t.trail.description.arn}`,
      ]);
      expect(await t.ingestion.scheduleTrails()).toEqual([]);
      t.trails.push(storedTrail(`${t.name}-later`));
      expect(await t.ingestion.scheduleTrails()).toEqual([
        `${INGEST_TASK_PREFIX}${t.trail.description.arn}-later`,
      ]);
      expect(t.scheduler.scheduleTask).toHaveBeenCalledTimes(2);
      expect(t.scheduler.scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: `dynamodb-lineage-ingest:${t.trail.description.arn}`,
          scope: 'global',
        }),
      );
    },
  );
});
