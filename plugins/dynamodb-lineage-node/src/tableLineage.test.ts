import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { InputError } from '@backstage/errors';
import { TrailDescription } from '@lineage/plugin-dynamodb-lineage-common';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readTableLineage } from './tableLineage';
import {
  body,
  dynamoDbEvent,
  gzippedLog,
  testClients,
} from './__fixtures__/aws';

const s3 = mockClient(S3Client);
const table = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const ledger = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
const api = 'arn:aws:iam::111111111111:role/payments-api';
const batch = 'arn:aws:iam::111111111111:role/nightly-batch';
const trail: TrailDescription = {
  name: 'dynamodb-lineage',
  arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
  accountId: '111111111111',
  homeRegion: 'us-east-1',
  s3BucketName: 'logs',
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  isOrganizationTrail: false,
  logFileValidationEnabled: true,
};
const prefix = (day: string) =>
  `AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/${day}/`;
const key = (day: string, time: string) =>
  `${prefix(
    day,
  )}111111111111_CloudTrail_us-east-1_202503${day}T${time}Z_x.json.gz`;

const window = {
  from: new Date('2025-03-07T12:00:00Z'),
  to: new Date('2025-03-08T12:00:00Z'),
  now: new Date('2025-03-08T12:00:00Z'),
  byteBudget: 10 * 1024 * 1024,
};

beforeEach(() => s3.reset());

describe('readTableLineage', () => {
  it('counts principals × operations, reads and writes apart, errors aside, each event once', async () => {
    const duplicated = dynamoDbEvent({
      role: api,
      eventTime: '2025-03-08T09:00:00Z',
    });
    const files: Record<string, ReturnType<typeof dynamoDbEvent>[]> = {
      [key('08', '0905')]: [
        duplicated,
        dynamoDbEvent({
          role: api,
          eventName: 'Query',
          eventTime: '2025-03-08T09:01:00Z',
        }),
        dynamoDbEvent({
          role: batch,
          eventName: 'BatchWriteItem',
          readOnly: false,
          eventTime: '2025-03-08T02:00:00Z',
        }),
        dynamoDbEvent({
          role: api,
          table: ledger,
          eventTime: '2025-03-08T09:02:00Z',
        }),
      ],
      [key('08', '0010')]: [
        duplicated,
        dynamoDbEvent({
          role: batch,
          eventName: 'PutItem',
          readOnly: false,
          errorCode: 'ConditionalCheckFailedException',
          eventTime: '2025-03-08T00:05:00Z',
        }),
      ],
      [key('07', '1300')]: [
        dynamoDbEvent({ role: api, eventTime: '2025-03-07T12:55:00Z' }),
        // Before the window.
        dynamoDbEvent({ role: api, eventTime: '2025-03-07T11:55:00Z' }),
      ],
      // Delivered before `from`: never read.
      [key('07', '1155')]: [
        dynamoDbEvent({ role: api, eventTime: '2025-03-07T11:50:00Z' }),
      ],
    };
    s3.on(ListObjectsV2Command, { Prefix: prefix('08') }).resolves({
      Contents: [key('08', '0010'), key('08', '0905')].map(Key => ({
        Key,
        Size: 500,
      })),
    });
    s3.on(ListObjectsV2Command, { Prefix: prefix('07') }).resolves({
      Contents: [key('07', '1155'), key('07', '1300')].map(Key => ({
        Key,
        Size: 500,
      })),
    });
    s3.on(GetObjectCommand).callsFake(input =>
      body(gzippedLog(files[input.Key])),
    );

    const lineage = await readTableLineage(testClients(), trail, table, window);

    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, {
      Key: key('07', '1155'),
    });
    // Newest files first.
    expect(
      s3.commandCalls(GetObjectCommand).map(c => c.args[0].input.Key),
    ).toEqual([key('08', '0905'), key('08', '0010'), key('07', '1300')]);
    expect(lineage).toEqual({
      tableArn: table,
      from: '2025-03-07T12:00:00.000Z',
      to: '2025-03-08T12:00:00.000Z',
      filesRead: 3,
      bytesRead: expect.any(Number),
      truncated: false,
      principals: [
        {
          principal: api,
          principalType: 'AssumedRole',
          reads: 3,
          writes: 0,
          errors: 0,
          lastSeen: '2025-03-08T09:01:00.000Z',
          operations: [
            {
              operation: 'GetItem',
              kind: 'read',
              count: 2,
              lastSeen: '2025-03-08T09:00:00.000Z',
            },
            {
              operation: 'Query',
              kind: 'read',
              count: 1,
              lastSeen: '2025-03-08T09:01:00.000Z',
            },
          ],
        },
        {
          principal: batch,
          principalType: 'AssumedRole',
          reads: 0,
          writes: 1,
          errors: 1,
          lastSeen: '2025-03-08T02:00:00.000Z',
          operations: [
            {
              operation: 'BatchWriteItem',
              kind: 'write',
              count: 1,
              lastSeen: '2025-03-08T02:00:00.000Z',
            },
          ],
        },
      ],
    });
    // The day after `to` is not listed when it is in the future.
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
  });

  it('says truncated when the byte budget stops it before the window is covered', async () => {
    const file = gzippedLog([dynamoDbEvent()]);
    s3.on(ListObjectsV2Command, { Prefix: prefix('08') }).resolves({
      Contents: [key('08', '0905'), key('08', '0010')].map(Key => ({
        Key,
        Size: file.length,
      })),
    });
    s3.on(GetObjectCommand).callsFake(() => body(file));
    const lineage = await readTableLineage(testClients(), trail, table, {
      ...window,
      byteBudget: Math.round(file.length * 1.5),
    });
    expect(lineage.truncated).toBe(true);
    expect(lineage.filesRead).toBe(1);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 1);
  });

  it('refuses a bad table ARN or window', async () => {
    await expect(
      readTableLineage(testClients(), trail, 'payments', window),
    ).rejects.toThrow(InputError);
    await expect(
      readTableLineage(testClients(), trail, table, {
        ...window,
        from: window.to,
      }),
    ).rejects.toThrow(/from must be before to/);
    expect(s3.calls()).toHaveLength(0);
  });
});
