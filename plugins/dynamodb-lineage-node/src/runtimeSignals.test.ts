import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { TrailDescription } from '@lineage/plugin-dynamodb-lineage-common';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readRuntimeSignals } from './runtimeSignals';
import {
  awsError,
  body,
  dynamoDbEvent,
  gzippedLog,
  testClients,
} from './__fixtures__/aws';

const s3 = mockClient(S3Client);
const now = new Date('2025-03-08T10:30:00Z');
const trail: TrailDescription = {
  name: 'dynamodb-lineage',
  arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
  accountId: '111111111111',
  homeRegion: 'us-east-1',
  s3BucketName: 'logs',
  s3KeyPrefix: 'ct',
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  isOrganizationTrail: false,
  logFileValidationEnabled: true,
};
const today = 'ct/AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/08/';
const yesterday = 'ct/AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/07/';
const key = (prefix: string, time: string, id = 'a') =>
  `${prefix}111111111111_CloudTrail_us-east-1_${time}Z_${id}.json.gz`;

beforeEach(() => s3.reset());

describe('readRuntimeSignals', () => {
  it('lists only today’s prefix and counts DynamoDB events of the newest files, once each', async () => {
    const newest = key(today, '20250308T1025');
    const middle = key(today, '20250308T1020');
    const oldest = key(today, '20250308T1015');
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        {
          Key: oldest,
          Size: 100,
          LastModified: new Date('2025-03-08T10:15:30Z'),
        },
        {
          Key: newest,
          Size: 100,
          LastModified: new Date('2025-03-08T10:25:30Z'),
        },
        {
          Key: middle,
          Size: 100,
          LastModified: new Date('2025-03-08T10:20:30Z'),
        },
      ],
    });
    const shared = dynamoDbEvent({ eventTime: '2025-03-08T10:19:00Z' });
    s3.on(GetObjectCommand, { Key: newest }).callsFake(() =>
      body(
        gzippedLog([
          dynamoDbEvent({ eventTime: '2025-03-08T10:24:00Z' }),
          shared,
          {
            eventSource: 's3.amazonaws.com',
            eventCategory: 'Data',
            eventID: 's3',
          },
        ]),
      ),
    );
    s3.on(GetObjectCommand, { Key: middle }).callsFake(() =>
      body(
        gzippedLog([
          shared,
          dynamoDbEvent({ eventTime: '2025-03-07T23:59:00Z' }),
        ]),
      ),
    );

    const signals = await readRuntimeSignals(testClients(), trail, {
      now,
      maxFiles: 2,
    });

    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 1);
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'logs',
      Prefix: today,
    });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Key: oldest });
    expect(signals.logObjects).toEqual({
      ok: true,
      value: {
        newestKey: newest,
        newestLastModified: '2025-03-08T10:25:30.000Z',
        prefixesListed: [today],
      },
    });
    expect(signals.dynamodbEvents).toEqual({
      ok: true,
      value: {
        filesRead: 2,
        bytesRead: expect.any(Number),
        dynamodbEvents: 3,
        oldestEventTime: '2025-03-07T23:59:00.000Z',
        newestEventTime: '2025-03-08T10:24:00.000Z',
        eventsPerDay: { '2025-03-08': 2, '2025-03-07': 1 },
        // The two files read stand for the deliveries since 10:15, the one before them.
        sample: {
          events: 3,
          spanMs: 10 * 60_000,
          from: '2025-03-08T10:15:00.000Z',
          to: '2025-03-08T10:25:00.000Z',
        },
      },
    });
  });

  it('falls back to yesterday’s prefix when today has no object yet', async () => {
    s3.on(ListObjectsV2Command, { Prefix: today }).resolves({ Contents: [] });
    s3.on(ListObjectsV2Command, { Prefix: yesterday }).resolves({
      Contents: [{ Key: key(yesterday, '20250307T2355'), Size: 10 }],
    });
    s3.on(GetObjectCommand).callsFake(() => body(gzippedLog([])));
    const signals = await readRuntimeSignals(testClients(), trail, { now });
    expect(signals.logObjects).toMatchObject({
      ok: true,
      value: {
        newestKey: key(yesterday, '20250307T2355'),
        prefixesListed: [today, yesterday],
      },
    });
    expect(signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: { dynamodbEvents: 0, filesRead: 1 },
    });
  });

  it('reports no object when neither day has one, after two list calls', async () => {
    s3.on(ListObjectsV2Command).resolves({});
    const signals = await readRuntimeSignals(testClients(), trail, { now });
    expect(s3.calls()).toHaveLength(2);
    expect(signals.logObjects).toEqual({
      ok: true,
      value: { prefixesListed: [today, yesterday] },
    });
    expect(signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: { filesRead: 0 },
    });
  });

  it('finds an organization trail’s o- folder with one delimiter listing', async () => {
    const orgToday =
      'AWSLogs/o-abc123def4/111111111111/CloudTrail/us-east-1/2025/03/08/';
    s3.on(ListObjectsV2Command, { Delimiter: '/' }).resolves({
      CommonPrefixes: [{ Prefix: 'AWSLogs/o-abc123def4/' }],
    });
    // One file today: yesterday's prefix tops the newest files up.
    const orgYesterday =
      'AWSLogs/o-abc123def4/111111111111/CloudTrail/us-east-1/2025/03/07/';
    s3.on(ListObjectsV2Command, { Prefix: orgToday }).resolves({
      Contents: [{ Key: key(orgToday, '20250308T1000'), Size: 10 }],
    });
    s3.on(ListObjectsV2Command, { Prefix: orgYesterday }).resolves({});
    s3.on(GetObjectCommand).callsFake(() =>
      body(gzippedLog([dynamoDbEvent()])),
    );
    const signals = await readRuntimeSignals(
      testClients(),
      { ...trail, s3KeyPrefix: undefined, isOrganizationTrail: true },
      { now },
    );
    expect(signals.logObjects).toMatchObject({
      ok: true,
      value: { prefixesListed: [orgToday, orgYesterday] },
    });
  });

  it('stops at the byte budget', async () => {
    const file = gzippedLog([dynamoDbEvent()]);
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: key(today, '20250308T1025'), Size: file.length },
        { Key: key(today, '20250308T1020'), Size: file.length },
      ],
    });
    s3.on(GetObjectCommand).callsFake(() => body(file));
    const signals = await readRuntimeSignals(testClients(), trail, {
      now,
      byteBudget: Math.round(file.length * 1.5),
    });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(signals.dynamodbEvents).toMatchObject({
      ok: true,
      value: { filesRead: 1 },
    });
  });

  it('reports a refused listing on both signals', async () => {
    s3.on(ListObjectsV2Command).rejects(
      awsError('AccessDenied', 'Access Denied'),
    );
    const signals = await readRuntimeSignals(testClients(), trail, { now });
    const denied = {
      ok: false,
      code: 'AccessDenied',
      error: 'AccessDenied: Access Denied',
    };
    expect(signals).toEqual({ logObjects: denied, dynamodbEvents: denied });
  });
});
