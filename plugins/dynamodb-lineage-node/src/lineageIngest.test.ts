import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudTrailRecord } from './dynamodbEvents';
import { LineageIngestBatch } from './lineageBatch';
import { ingestTrailLineage, LineageEdgeAggregator } from './lineageIngest';
import {
  awsError,
  body,
  dynamoDbEvent,
  gzippedLog,
  testClients,
} from './__fixtures__/aws';

const s3 = mockClient(S3Client);
const table = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const ledger = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
const trail = {
  arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
  s3BucketName: 'logs',
  s3KeyPrefix: 'ct',
  isOrganizationTrail: false,
};
const regionPrefix = 'ct/AWSLogs/111111111111/CloudTrail/us-east-1/';
const key = (day: string, time: string) =>
  `${regionPrefix}2025/03/${day}/111111111111_CloudTrail_us-east-1_202503${day}T${time}Z_x.json.gz`;

beforeEach(() => s3.reset());

function options(
  commits: LineageIngestBatch[],
  patch: Partial<Parameters<typeof ingestTrailLineage>[1]> = {},
) {
  return {
    trail,
    accountRegions: [{ accountId: '111111111111', region: 'us-east-1' }],
    cursors: [],
    now: new Date('2025-03-08T12:00:00Z'),
    backfillDays: 2,
    byteBudget: 1024 * 1024,
    timeBudgetMs: 60_000,
    commit: async (batch: LineageIngestBatch) => {
      commits.push(batch);
    },
    ...patch,
  };
}

describe('ingestTrailLineage, as the S3 API sees it', () => {
  it('lists the region after the backfill start, then after its cursor, and reads the listed log files', async () => {
    const files = {
      [key('07', '2355')]: [
        dynamoDbEvent({ eventTime: '2025-03-07T23:51:00Z' }),
      ],
      [key('08', '0005')]: [
        dynamoDbEvent({ eventTime: '2025-03-08T00:01:00Z' }),
      ],
    };
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        ...Object.entries(files).map(([Key, records]) => ({
          Key,
          Size: gzippedLog(records).length,
        })),
        // Not a log file: CloudTrail's own marker object.
        { Key: `${regionPrefix}2025/03/08/`, Size: 0 },
      ],
    });
    s3.on(GetObjectCommand).callsFake(input =>
      body(gzippedLog(files[input.Key as string])),
    );
    const commits: LineageIngestBatch[] = [];
    const result = await ingestTrailLineage(testClients().s3, options(commits));

    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'logs',
      Prefix: regionPrefix,
      StartAfter: `${regionPrefix}2025/03/06/`,
    });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
    expect(result).toMatchObject({ filesRead: 2, events: 2, batches: 1 });
    expect(commits[0].cursors).toEqual([
      {
        trailArn: trail.arn,
        accountId: '111111111111',
        region: 'us-east-1',
        afterKey: key('08', '0005'),
        minuteKeys: [key('08', '0005')],
        ingestedThrough: '2025-03-08T00:05:00.000Z',
        newestDelivered: '2025-03-08T00:05:00.000Z',
        updatedAt: '2025-03-08T12:00:00.000Z',
      },
    ]);
    expect(commits[0].edges.map(e => e.day)).toEqual([
      '2025-03-07',
      '2025-03-08',
    ]);

    s3.resetHistory();
    // The minute's file read before is listed again and passed over.
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: key('08', '0005'), Size: 10 }],
    });
    const again: LineageIngestBatch[] = [];
    await ingestTrailLineage(
      testClients().s3,
      options(again, { cursors: commits[0].cursors }),
    );
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: regionPrefix,
      // The start of the cursor's delivery minute.
      StartAfter: `${regionPrefix}2025/03/08/111111111111_CloudTrail_us-east-1_20250308T0005Z`,
    });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    // Nothing new still records that the region was looked at.
    expect(again).toEqual([
      { edges: [], events: [], cursors: [commits[0].cursors[0]] },
    ]);
  });

  it('starts no batch once the time budget is spent, leaving the cursor where the last commit put it', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => key('08', `100${i}`));
    s3.on(ListObjectsV2Command).resolves({
      Contents: keys.map(Key => ({ Key, Size: 100 })),
    });
    s3.on(GetObjectCommand).callsFake(() =>
      body(gzippedLog([dynamoDbEvent({ eventTime: '2025-03-08T10:00:00Z' })])),
    );
    let elapsed = 0;
    const commits: LineageIngestBatch[] = [];
    const result = await ingestTrailLineage(
      testClients().s3,
      options(commits, {
        filesPerBatch: 2,
        timeBudgetMs: 1000,
        clock: () => elapsed,
        commit: async batch => {
          commits.push(batch);
          elapsed += 600;
        },
      }),
    );
    expect(result).toMatchObject({ batches: 2, filesRead: 4, truncated: true });
    expect(commits.map(c => c.cursors[0].afterKey)).toEqual([keys[1], keys[3]]);
  });
});

describe('ingestTrailLineage when AWS refuses a region', () => {
  it('goes on with the other regions, reports the refused one and commits nothing of its half-read batch', async () => {
    const euPrefix = 'ct/AWSLogs/111111111111/CloudTrail/eu-west-1/';
    const euRead = `${euPrefix}2025/03/08/111111111111_CloudTrail_eu-west-1_20250308T0955Z_x.json.gz`;
    const euKey = `${euPrefix}2025/03/08/111111111111_CloudTrail_eu-west-1_20250308T1000Z_x.json.gz`;
    const usKeys = [key('08', '1000'), key('08', '1005')];
    s3.on(ListObjectsV2Command, { Prefix: euPrefix }).resolves({
      Contents: [
        { Key: euRead, Size: 100 },
        { Key: euKey, Size: 100 },
      ],
    });
    s3.on(GetObjectCommand, { Key: euRead }).callsFake(() =>
      body(
        gzippedLog([
          dynamoDbEvent({
            eventTime: '2025-03-08T09:54:00Z',
            table: 'arn:aws:dynamodb:eu-west-1:111111111111:table/payments',
          }),
        ]),
      ),
    );
    s3.on(ListObjectsV2Command, { Prefix: regionPrefix }).resolves({
      Contents: usKeys.map(Key => ({ Key, Size: 100 })),
    });
    s3.on(GetObjectCommand, { Key: euKey }).rejects(
      awsError('AccessDenied', 'Access Denied'),
    );
    s3.on(GetObjectCommand, { Key: usKeys[0] }).callsFake(() =>
      body(gzippedLog([dynamoDbEvent({ eventTime: '2025-03-08T09:59:00Z' })])),
    );
    s3.on(GetObjectCommand, { Key: usKeys[1] }).callsFake(() =>
      body(gzippedLog([dynamoDbEvent({ eventTime: '2025-03-08T10:04:00Z' })])),
    );
    const commits: LineageIngestBatch[] = [];
    const result = await ingestTrailLineage(
      testClients().s3,
      options(commits, {
        accountRegions: [
          { accountId: '111111111111', region: 'eu-west-1' },
          { accountId: '111111111111', region: 'us-east-1' },
        ],
      }),
    );
    expect(result.failures).toEqual([
      {
        accountId: '111111111111',
        region: 'eu-west-1',
        error: 'Access Denied',
      },
    ]);
    expect(result).toMatchObject({ filesRead: 2, events: 2 });
    expect(commits.flatMap(c => c.cursors.map(k => k.region))).toEqual([
      'us-east-1',
    ]);
    expect(commits.flatMap(c => c.edges).reduce((n, e) => n + e.calls, 0)).toBe(
      2,
    );
  });

  it('stops the run when the store refuses a batch', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: key('08', '1000'), Size: 100 }],
    });
    s3.on(GetObjectCommand).callsFake(() =>
      body(gzippedLog([dynamoDbEvent({ eventTime: '2025-03-08T09:59:00Z' })])),
    );
    await expect(
      ingestTrailLineage(
        testClients().s3,
        options([], {
          commit: async () => {
            throw new Error('database gone');
          },
        }),
      ),
    ).rejects.toThrow('database gone');
  });
});

describe('LineageEdgeAggregator', () => {
  it('counts a call naming two tables once per table under distinct ids, and leaves out the canary and non-DynamoDB events', () => {
    const aggregator = new LineageEdgeAggregator();
    const transact: CloudTrailRecord = dynamoDbEvent({
      eventID: 'tx-1',
      eventName: 'TransactWriteItems',
      readOnly: false,
      resources: [
        { type: 'AWS::DynamoDB::Table', ARN: ledger },
        { type: 'AWS::DynamoDB::Table', ARN: table },
      ],
    });
    aggregator.add(transact);
    aggregator.add(
      dynamoDbEvent({
        table:
          'arn:aws:dynamodb:us-east-1:111111111111:table/dynamodb-lineage-canary',
      }),
    );
    aggregator.add({ ...dynamoDbEvent(), eventSource: 's3.amazonaws.com' });
    aggregator.add(dynamoDbEvent({ eventTime: 'not a time' }));
    aggregator.add(dynamoDbEvent({ table: 'not-an-arn' }));

    const { edges, events } = aggregator.take();
    expect(edges.map(e => [e.tableArn, e.operation, e.kind, e.calls])).toEqual([
      [ledger, 'TransactWriteItems', 'write', 1],
      [table, 'TransactWriteItems', 'write', 1],
    ]);
    expect(events.map(e => e.eventId)).toEqual(['tx-1#0', 'tx-1#1']);
    expect(aggregator.take()).toEqual({ edges: [], events: [] });
  });
});
