import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  TrailDescription,
  estimateDataEventVolume,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients, DefaultAwsClientFactory } from './clients';
import { LogCursor, readRuntimeSignalsSince } from './runtimeSignals';
import { dynamoDbEvent, gzippedLog } from './__fixtures__/aws';

/*
 * Incremental reading of delivered logs over real HTTP against the emulator,
 * with log files placed at known keys so that rates and days are exact.
 */

const ACCOUNT = '555555555555';
const BUCKET = 'signals-555555555555';

let emulator: RunningEmulator;
let clients: AwsClients;

const trail: TrailDescription = {
  name: 'lineage',
  arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/lineage`,
  accountId: ACCOUNT,
  homeRegion: 'us-east-1',
  s3BucketName: BUCKET,
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  isOrganizationTrail: false,
  logFileValidationEnabled: true,
};

/** `2025-03-08T10:25` → the key CloudTrail gives a file delivered then. */
function keyAt(minute: string, unique = 'a'): string {
  const [day, time] = minute.split('T');
  const [y, m, d] = day.split('-');
  const stamp = `${y}${m}${d}T${time.replace(':', '')}Z`;
  return `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/${y}/${m}/${d}/${ACCOUNT}_CloudTrail_us-east-1_${stamp}_${unique}.json.gz`;
}

let eventSerial = 0;
/** A log file delivered at `minute` holding `count` DynamoDB data events. */
function logFile(minute: string, count: number, unique = 'a') {
  const records = Array.from({ length: count }, () =>
    dynamoDbEvent({
      eventID: `e-${++eventSerial}`,
      eventTime: `${minute}:00Z`,
    }),
  );
  return {
    key: keyAt(minute, unique),
    body: gzippedLog(records),
    lastModified: Date.parse(`${minute}:30Z`),
  };
}

/** One read at `now` (the keys' clock, not the emulator's), with the S3 calls it made. */
async function read(now: string, cursor?: LogCursor, maxFiles = 3) {
  emulator.calls.clear();
  const result = await readRuntimeSignalsSince(clients, trail, cursor, {
    now: new Date(now),
    maxFiles,
  });
  const calls = emulator.calls.list();
  return {
    ...result,
    lists: calls.filter(c => c.operation === 'ListObjectsV2').length,
    reads: calls.filter(c => c.operation === 'GetObject').length,
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  const factory = DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 1 },
  );
  clients = await factory.forAccount(ACCOUNT, 'us-east-1');
});

afterAll(async () => {
  await emulator?.stop();
});

beforeEach(async () => {
  await emulator.reset();
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

describe('readRuntimeSignalsSince', () => {
  it('scales a known rate to a day: 100 events every 5 minutes is 28,800 a day, $0.88 a month', async () => {
    await emulator.loadObjects(
      BUCKET,
      ['10:00', '10:05', '10:10', '10:15', '10:20', '10:25'].map(t =>
        logFile(`2025-03-08T${t}`, 100),
      ),
    );
    const first = await read('2025-03-08T10:30:00Z');
    expect(first.lists).toBe(1);
    expect(first.reads).toBe(3);
    expect(first.signals.dynamodbEvents).toEqual({
      ok: true,
      value: expect.objectContaining({
        filesRead: 3,
        dynamodbEvents: 300,
        sample: {
          events: 300,
          spanMs: 15 * 60_000,
          from: '2025-03-08T10:10:00.000Z',
          to: '2025-03-08T10:25:00.000Z',
        },
      }),
    });
    const signal = first.signals.dynamodbEvents.ok
      ? first.signals.dynamodbEvents.value
      : undefined;
    expect(estimateDataEventVolume(signal!)).toMatchObject({
      eventsPerDay: 28_800,
      projectedMonthlyUsd: 0.88,
    });
  });

  it('lists after the last key seen and reads only files it has not read', async () => {
    await emulator.loadObjects(
      BUCKET,
      ['10:10', '10:15', '10:20', '10:25'].map(t =>
        logFile(`2025-03-08T${t}`, 100),
      ),
    );
    const first = await read('2025-03-08T10:30:00Z');
    expect(first.cursor?.newest?.key).toBe(keyAt('2025-03-08T10:25'));

    // Nothing new: one list call, no read, the same answer from the cursor.
    const idle = await read('2025-03-08T10:32:00Z', first.cursor);
    expect({ lists: idle.lists, reads: idle.reads }).toEqual({
      lists: 1,
      reads: 0,
    });
    expect(idle.signals).toEqual(first.signals);

    // One new delivery, at a doubled rate: one list call, one read.
    await emulator.loadObjects(BUCKET, [logFile('2025-03-08T10:30', 200)]);
    const next = await read('2025-03-08T10:34:00Z', idle.cursor);
    expect({ lists: next.lists, reads: next.reads }).toEqual({
      lists: 1,
      reads: 1,
    });
    expect(next.signals.logObjects).toMatchObject({
      ok: true,
      value: { newestKey: keyAt('2025-03-08T10:30') },
    });
    // The window is the newest three files: 10:30 (200), 10:25 and 10:20 (100 each) over 15 minutes.
    expect(next.signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: {
        filesRead: 3,
        dynamodbEvents: 400,
        sample: { events: 400, spanMs: 15 * 60_000 },
      },
    });
  });

  it('reads a file of the last minute read that landed later and sorts before the newest key', async () => {
    await emulator.loadObjects(BUCKET, [
      logFile('2025-03-08T10:20', 10),
      logFile('2025-03-08T10:25', 10, 'm'),
    ]);
    const first = await read('2025-03-08T10:26:00Z');
    expect(first.reads).toBe(2);
    // Delivered in the same minute, named before the newest key, landed after the read.
    await emulator.loadObjects(BUCKET, [logFile('2025-03-08T10:25', 5, 'b')]);
    const next = await read('2025-03-08T10:27:00Z', first.cursor);
    expect({ lists: next.lists, reads: next.reads }).toEqual({
      lists: 1,
      reads: 1,
    });
    expect(next.cursor?.newest?.key).toBe(keyAt('2025-03-08T10:25', 'm'));
    expect(next.signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: { filesRead: 3, dynamodbEvents: 25 },
    });
    // And it is not read again.
    const idle = await read('2025-03-08T10:28:00Z', next.cursor);
    expect({ lists: idle.lists, reads: idle.reads }).toEqual({
      lists: 1,
      reads: 0,
    });
  });

  it('counts a delivery split into several files once in the time it covers', async () => {
    await emulator.loadObjects(BUCKET, [
      logFile('2025-03-08T10:15', 50),
      logFile('2025-03-08T10:20', 60, 'a'),
      logFile('2025-03-08T10:20', 40, 'b'),
    ]);
    const { signals } = await read('2025-03-08T10:30:00Z');
    expect(signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: {
        dynamodbEvents: 150,
        // The 10:15 file is the first listed: what came before it is unknown.
        sample: { events: 100, spanMs: 5 * 60_000 },
      },
    });
  });

  it('lists yesterday only when today is empty, and not again once yesterday is over', async () => {
    await emulator.loadObjects(BUCKET, [
      logFile('2025-03-07T23:50', 10),
      logFile('2025-03-07T23:55', 10),
    ]);
    const first = await read('2025-03-08T03:00:00Z');
    expect(first.lists).toBe(2);
    expect(first.signals.logObjects).toMatchObject({
      ok: true,
      value: { newestKey: keyAt('2025-03-07T23:55') },
    });

    const second = await read('2025-03-08T03:05:00Z', first.cursor);
    expect({ lists: second.lists, reads: second.reads }).toEqual({
      lists: 1,
      reads: 0,
    });
    expect(second.signals).toEqual(first.signals);

    // The first file of the day follows yesterday's last one: that gap is its span.
    await emulator.loadObjects(BUCKET, [logFile('2025-03-08T03:05', 19)]);
    const third = await read('2025-03-08T03:10:00Z', second.cursor, 1);
    expect({ lists: third.lists, reads: third.reads }).toEqual({
      lists: 1,
      reads: 1,
    });
    expect(third.signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: {
        filesRead: 1,
        sample: {
          events: 19,
          spanMs: (3 * 60 + 10) * 60_000,
          from: '2025-03-07T23:55:00.000Z',
        },
      },
    });
  });

  it('tops the newest files up from yesterday right after midnight, and reads no file twice', async () => {
    await emulator.loadObjects(BUCKET, [
      logFile('2025-03-07T23:45', 10),
      logFile('2025-03-07T23:50', 10),
      logFile('2025-03-07T23:55', 10),
      logFile('2025-03-08T00:00', 10),
    ]);
    const first = await read('2025-03-08T00:03:00Z');
    expect({ lists: first.lists, reads: first.reads }).toEqual({
      lists: 2,
      reads: 3,
    });
    expect(first.signals.logObjects).toMatchObject({
      ok: true,
      value: { newestKey: keyAt('2025-03-08T00:00') },
    });
    expect(first.signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: {
        filesRead: 3,
        dynamodbEvents: 30,
        // 23:50 follows 23:45, 23:55 follows 23:50, 00:00 follows 23:55.
        sample: { events: 30, spanMs: 15 * 60_000 },
      },
    });

    // The window is full: today's new file is listed and read, yesterday is not.
    await emulator.loadObjects(BUCKET, [logFile('2025-03-08T00:05', 20)]);
    const next = await read('2025-03-08T00:08:00Z', first.cursor);
    expect({ lists: next.lists, reads: next.reads }).toEqual({
      lists: 1,
      reads: 1,
    });
    expect(next.cursor?.window.map(file => file.key)).toEqual([
      keyAt('2025-03-08T00:05'),
      keyAt('2025-03-08T00:00'),
      keyAt('2025-03-07T23:55'),
    ]);
    expect(next.signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: {
        dynamodbEvents: 40,
        sample: { events: 40, spanMs: 15 * 60_000 },
      },
    });
  });

  it('tops up a short window without reading its files again', async () => {
    await emulator.loadObjects(BUCKET, [
      logFile('2025-03-07T23:50', 10),
      logFile('2025-03-08T00:00', 10),
    ]);
    // Read before yesterday's file: the window holds one file.
    const first = await read('2025-03-08T00:02:00Z', undefined, 3);
    emulator.calls.clear();
    await emulator.loadObjects(BUCKET, [logFile('2025-03-07T23:55', 10)]);
    const next = await read('2025-03-08T00:04:00Z', first.cursor);
    // Yesterday is listed again (not settled yet); only the late file is read.
    expect({ lists: next.lists, reads: next.reads }).toEqual({
      lists: 2,
      reads: 1,
    });
    expect(next.cursor?.window.map(file => file.key)).toEqual([
      keyAt('2025-03-08T00:00'),
      keyAt('2025-03-07T23:55'),
      keyAt('2025-03-07T23:50'),
    ]);
  });

  it('lists yesterday again while objects may still land under it', async () => {
    await emulator.loadObjects(BUCKET, [logFile('2025-03-07T23:55', 10)]);
    const first = await read('2025-03-08T00:05:00Z');
    expect(first.cursor?.settledDay).toBeUndefined();
    await emulator.loadObjects(BUCKET, [logFile('2025-03-07T23:59', 5)]);
    const second = await read('2025-03-08T00:10:00Z', first.cursor);
    expect({ lists: second.lists, reads: second.reads }).toEqual({
      lists: 2,
      reads: 1,
    });
    expect(second.signals.logObjects).toMatchObject({
      ok: true,
      value: { newestKey: keyAt('2025-03-07T23:59') },
    });
  });

  it('ignores a cursor of another bucket or region, and keeps its cursor when AWS refuses', async () => {
    await emulator.loadObjects(BUCKET, [
      logFile('2025-03-08T10:20', 1),
      logFile('2025-03-08T10:25', 1),
    ]);
    const first = await read('2025-03-08T10:30:00Z');
    const elsewhere: LogCursor = { ...first.cursor!, stream: 'another' };
    const fresh = await read('2025-03-08T10:31:00Z', elsewhere);
    expect(fresh.reads).toBe(2);

    emulator.faults.set({
      accessDenied: [{ principal: ACCOUNT, action: 's3:ListBucket' }],
    });
    const refused = await read('2025-03-08T10:32:00Z', first.cursor);
    emulator.faults.clear();
    expect(refused.signals.logObjects).toMatchObject({
      ok: false,
      code: 'AccessDenied',
    });
    expect(refused.cursor).toBe(first.cursor);
  });
});
