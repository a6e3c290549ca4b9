import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ForensicsQueryInput,
  parseForensicsQuery,
} from '@lineage/plugin-dynamodb-lineage-common';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailRecord } from '../dynamodbEvents';
import {
  body,
  dynamoDbEvent,
  gzippedLog,
  testClients,
} from '../__fixtures__/aws';
import {
  DEFAULT_LOG_FORENSICS_OPTIONS,
  LogForensicsEngine,
  LogForensicsEngineOptions,
  principalMatches,
  recordNamesItem,
} from './logEngine';

const s3 = mockClient(S3Client);
const NOW = new Date('2025-03-08T12:00:00Z');
const TABLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const DAY_PREFIX = 'AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/08/';
const file = (time: string, suffix = 'a') =>
  `${DAY_PREFIX}111111111111_CloudTrail_us-east-1_2025030${time}Z_${suffix}.json.gz`;

let files: Record<string, Buffer>;

beforeEach(() => {
  s3.reset();
  files = {};
  s3.on(ListObjectsV2Command).callsFake(input => ({
    Contents: Object.keys(files)
      .filter(key => key.startsWith(input.Prefix))
      .sort()
      .map(key => ({ Key: key, Size: files[key].length })),
  }));
  s3.on(GetObjectCommand).callsFake(input => body(files[input.Key]));
});

function engine(patch: Partial<LogForensicsEngineOptions> = {}) {
  return new LogForensicsEngine({
    ...DEFAULT_LOG_FORENSICS_OPTIONS,
    byteBudget: 1e9,
    now: () => NOW,
    locate: async query => ({
      sources: (query.kind === 'principal-activity' && query.regions
        ? query.regions
        : ['us-east-1']
      ).map(region => ({
        accountId: '111111111111',
        region,
        s3: testClients().s3,
        trail: {
          name: 'lineage',
          s3BucketName: 'logs',
          isOrganizationTrail: false,
        },
      })),
      uncovered: [],
    }),
    ...patch,
  });
}

const itemQuery = (patch: Partial<ForensicsQueryInput> = {}) =>
  parseForensicsQuery({
    kind: 'item-history',
    tableArn: TABLE,
    key: { id: 'order#123' },
    from: '2025-03-08T06:00:00Z',
    to: '2025-03-08T12:00:00Z',
    ...patch,
  } as ForensicsQueryInput);

async function settle(subject: LogForensicsEngine, id: string) {
  for (;;) {
    const page = await subject.get(id);
    if (page.status !== 'queued' && page.status !== 'running') return page;
    await new Promise(resolve => setImmediate(resolve));
  }
}

const write = (
  eventID: string,
  eventTime: string,
  patch: Partial<CloudTrailRecord> = {},
) =>
  dynamoDbEvent({
    eventID,
    eventTime,
    eventName: 'UpdateItem',
    readOnly: false,
    requestParameters: {
      tableName: 'payments',
      key: { id: 'order#123' },
    } as never,
    ...patch,
  });

describe('item history', () => {
  it('finds the item by requestParameters.key and by requestItems[] of the table, newest first, once per event', async () => {
    const inTransaction = dynamoDbEvent({
      eventID: 'tx',
      eventTime: '2025-03-08T10:30:00Z',
      eventName: 'TransactWriteItems',
      readOnly: false,
      requestParameters: {
        requestItems: [
          { operation: 'Put', tableName: 'payments', key: { id: 'order#123' } },
        ],
      } as never,
    });
    const otherTableSameKey = dynamoDbEvent({
      eventID: 'other-table',
      eventTime: '2025-03-08T10:40:00Z',
      eventName: 'BatchWriteItem',
      readOnly: false,
      requestParameters: {
        requestItems: [
          { operation: 'Put', tableName: 'ledger', key: { id: 'order#123' } },
        ],
      } as never,
    });
    files[file('8T1005')] = gzippedLog([
      write('early', '2025-03-08T10:00:00Z'),
      write('other-item', '2025-03-08T10:01:00Z', {
        requestParameters: { key: { id: 'order#1234' } } as never,
      }),
    ]);
    files[file('8T1105')] = gzippedLog([
      inTransaction,
      otherTableSameKey,
      write('late', '2025-03-08T11:00:00Z'),
      // Delivered twice: counted once.
      write('early', '2025-03-08T10:00:00Z'),
      // Before the range.
      write('too-early', '2025-03-08T05:59:59Z'),
    ]);
    const subject = engine();
    const id = await subject.start(itemQuery());
    const first = await settle(subject, id);
    expect(first).toMatchObject({
      status: 'succeeded',
      engine: 'logs',
      truncated: false,
      bytesScanned: files[file('8T1005')].length + files[file('8T1105')].length,
      note: 'read the delivered logs directly: last 24 h only',
    });
    expect(first.costUsd).toBeCloseTo((2 * 0.0004 + 1 * 0.005) / 1000, 12);
    expect(first.rows.map(r => (r as { eventId: string }).eventId)).toEqual([
      'late',
      'tx',
      'early',
    ]);
    expect(first.rows[0]).toMatchObject({
      eventName: 'UpdateItem',
      kind: 'write',
      principal: 'arn:aws:iam::111111111111:role/payments-api',
      principalType: 'AssumedRole',
      identityArn:
        'arn:aws:sts::111111111111:assumed-role/payments-api/session',
      tableArn: TABLE,
    });
    // One listing of the day prefix: the range is within one UTC day.
    expect(
      s3.commandCalls(ListObjectsV2Command).map(c => c.args[0].input),
    ).toEqual([
      { Bucket: 'logs', Prefix: DAY_PREFIX, ContinuationToken: undefined },
    ]);

    const page1 = await subject.get(id, { pageSize: 2 });
    expect(page1.rows).toHaveLength(2);
    const page2 = await subject.get(id, {
      pageSize: 2,
      nextToken: page1.nextToken,
    });
    expect(page2.rows.map(r => (r as { eventId: string }).eventId)).toEqual([
      'early',
    ]);
    expect(page2.nextToken).toBeUndefined();
    await expect(subject.get(id, { nextToken: 'bogus' })).rejects.toThrow(
      InputError,
    );
    await expect(subject.get(id, { pageSize: 0 })).rejects.toThrow(InputError);
  });

  it('keeps calls of the same second in the order they were logged, the later first', async () => {
    files[file('8T1005')] = gzippedLog([
      write('put', '2025-03-08T10:00:00Z', { eventName: 'PutItem' }),
      write('update', '2025-03-08T10:00:00Z'),
    ]);
    files[file('8T1010')] = gzippedLog([
      write('delete', '2025-03-08T10:00:00Z', { eventName: 'DeleteItem' }),
    ]);
    const subject = engine();
    const page = await settle(subject, await subject.start(itemQuery()));
    expect(page.rows.map(r => (r as { eventId: string }).eventId)).toEqual([
      'delete',
      'update',
      'put',
    ]);
  });

  it('matches numbers as their text and needs every key attribute', () => {
    const table = { arn: TABLE, name: 'payments' };
    const record = dynamoDbEvent({
      requestParameters: { key: { pk: 'a', sk: 42 } } as never,
    });
    expect(recordNamesItem(record, table, { pk: 'a', sk: '42' })).toBe(true);
    expect(recordNamesItem(record, table, { pk: 'a' })).toBe(true);
    expect(recordNamesItem(record, table, { pk: 'a', sk: '43' })).toBe(false);
    expect(recordNamesItem(record, table, { pk: 'a', other: '42' })).toBe(
      false,
    );
  });
});

describe('bounds', () => {
  it('refuses a range that ends before the window, before reading anything', async () => {
    await expect(
      engine().start(
        itemQuery({
          from: '2025-03-01T00:00:00Z',
          to: '2025-03-07T11:59:59Z',
        }),
      ),
    ).rejects.toThrow(/last 24 h only .*configure Athena/);
    expect(s3.calls()).toHaveLength(0);
  });

  it('clips a range that starts before the window and says so', async () => {
    const subject = engine();
    const id = await subject.start(itemQuery({ from: '2025-03-01T00:00:00Z' }));
    const page = await settle(subject, id);
    expect(page.note).toBe(
      'read the delivered logs directly: last 24 h only; events before 2025-03-07T12:00:00.000Z were not searched',
    );
    // Today's and yesterday's prefixes, nothing older.
    expect(
      s3.commandCalls(ListObjectsV2Command).map(c => c.args[0].input.Prefix),
    ).toEqual([
      DAY_PREFIX,
      'AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/07/',
    ]);
  });

  it('does not clip "the last 24 hours" computed by a caller whose clock is a little behind', async () => {
    const subject = engine();
    const page = await settle(
      subject,
      await subject.start(
        itemQuery({
          from: '2025-03-07T11:58:00Z',
          to: '2025-03-08T11:58:00Z',
        }),
      ),
    );
    expect(page.note).toBe('read the delivered logs directly: last 24 h only');
  });

  it('stops at the byte budget and says the result is truncated', async () => {
    files[file('8T1005')] = gzippedLog([write('a', '2025-03-08T10:00:00Z')]);
    files[file('8T1105')] = gzippedLog([write('b', '2025-03-08T11:00:00Z')]);
    const subject = engine({ byteBudget: files[file('8T1105')].length });
    const page = await settle(subject, await subject.start(itemQuery()));
    expect(page).toMatchObject({
      status: 'succeeded',
      truncated: true,
      bytesScanned: files[file('8T1105')].length,
    });
    expect(page.note).toMatch(/stopped at the byte budget of .* MB/);
    expect(page.rows.map(r => (r as { eventId: string }).eventId)).toEqual([
      'b',
    ]);
  });

  it('keeps at most maxRows rows and says so', async () => {
    files[file('8T1005')] = gzippedLog(
      Array.from({ length: 5 }, (_, i) =>
        write(`e${i}`, `2025-03-08T10:0${i}:00Z`),
      ),
    );
    const subject = engine({ maxRows: 3 });
    const page = await settle(subject, await subject.start(itemQuery()));
    expect(page.rows).toHaveLength(3);
    expect(page.truncated).toBe(true);
    expect(page.note).toMatch(/only the first 3 rows were kept/);
  });

  it('queues beyond its concurrency, and cancels a running and a queued query', async () => {
    files[file('8T1005')] = gzippedLog([write('a', '2025-03-08T10:00:00Z')]);
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    s3.on(GetObjectCommand).callsFake(async input => {
      await gate;
      return body(files[input.Key]);
    });
    const subject = engine({ concurrency: 1 });
    const running = await subject.start(itemQuery());
    const queued = await subject.start(itemQuery());
    const third = await subject.start(itemQuery());
    await new Promise(resolve => setImmediate(resolve));
    expect((await subject.get(running)).status).toBe('running');
    expect((await subject.get(queued)).status).toBe('queued');

    await subject.cancel(running);
    await subject.cancel(queued);
    expect((await subject.get(running)).status).toBe('cancelled');
    expect((await subject.get(queued)).status).toBe('cancelled');
    release();
    expect((await settle(subject, third)).status).toBe('succeeded');
    expect((await subject.get(running)).status).toBe('cancelled');
    expect((await subject.get(running)).rows).toEqual([]);
    await expect(subject.get('nope')).rejects.toThrow(NotFoundError);
    await expect(subject.cancel('nope')).rejects.toThrow(NotFoundError);
  });

  it('reports a failed read as failed, with the reason', async () => {
    files[file('8T1005')] = gzippedLog([write('a', '2025-03-08T10:00:00Z')]);
    s3.on(GetObjectCommand).rejects(new Error('Access Denied'));
    const subject = engine();
    const page = await settle(subject, await subject.start(itemQuery()));
    expect(page).toMatchObject({
      status: 'failed',
      error: 'Reading the delivered logs failed: Access Denied',
      rows: [],
    });
  });
});

describe('principal activity', () => {
  it('counts calls and errors per table and operation, matching a role named without its path', async () => {
    const role = 'arn:aws:iam::111111111111:role/jobs/reporting-job';
    files[file('8T1005')] = gzippedLog([
      dynamoDbEvent({
        role,
        eventName: 'Scan',
        eventTime: '2025-03-08T09:00:00Z',
      }),
      dynamoDbEvent({
        role,
        eventName: 'Scan',
        eventTime: '2025-03-08T10:00:00Z',
      }),
      dynamoDbEvent({
        role,
        eventName: 'Scan',
        eventTime: '2025-03-08T10:01:00Z',
        errorCode: 'AccessDenied',
      }),
      dynamoDbEvent({
        role,
        eventName: 'Query',
        eventTime: '2025-03-08T10:02:00Z',
        table: 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
      }),
      dynamoDbEvent({ eventName: 'Scan', eventTime: '2025-03-08T10:03:00Z' }),
    ]);
    const subject = engine();
    const id = await subject.start(
      parseForensicsQuery({
        kind: 'principal-activity',
        principal: 'arn:aws:iam::111111111111:role/reporting-job',
        from: '2025-03-08T00:00:00Z',
        to: '2025-03-08T12:00:00Z',
      }),
    );
    const page = await settle(subject, id);
    expect(page.rows).toEqual([
      {
        accountId: '111111111111',
        region: 'us-east-1',
        tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
        operation: 'Query',
        kind: 'read',
        calls: 1,
        errors: 0,
        firstSeen: '2025-03-08T10:02:00Z',
        lastSeen: '2025-03-08T10:02:00Z',
      },
      {
        accountId: '111111111111',
        region: 'us-east-1',
        tableArn: TABLE,
        operation: 'Scan',
        kind: 'read',
        calls: 2,
        errors: 1,
        firstSeen: '2025-03-08T09:00:00Z',
        lastSeen: '2025-03-08T10:01:00Z',
      },
    ]);
  });

  it('matches roles exactly when the query gives a path', () => {
    const withPath = 'arn:aws:iam::111111111111:role/jobs/reporting-job';
    expect(principalMatches(withPath, withPath)).toBe(true);
    expect(
      principalMatches(
        withPath,
        'arn:aws:iam::111111111111:role/other/reporting-job',
      ),
    ).toBe(false);
    expect(
      principalMatches(
        withPath,
        'arn:aws:iam::222222222222:role/reporting-job',
      ),
    ).toBe(false);
    expect(
      principalMatches(
        'arn:aws:iam::111111111111:user/reporting-job',
        'arn:aws:iam::111111111111:role/reporting-job',
      ),
    ).toBe(false);
  });
});
