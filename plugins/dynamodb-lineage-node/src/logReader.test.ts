import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { readLogRecords } from './logReader';
import {
  body,
  dynamoDbEvent,
  gzippedLog,
  testClients,
} from './__fixtures__/aws';

const s3 = mockClient(S3Client);

beforeEach(() => s3.reset());

describe('readLogRecords', () => {
  it('visits every record of each file in the order given', async () => {
    const files: Record<string, Buffer> = {
      'b.json.gz': gzippedLog([
        dynamoDbEvent({ eventID: 'b1' }),
        dynamoDbEvent({ eventID: 'b2' }),
      ]),
      'a.json.gz': gzippedLog([dynamoDbEvent({ eventID: 'a1' })]),
    };
    s3.on(GetObjectCommand).callsFake(input => body(files[input.Key]));
    const seen: string[] = [];
    const stats = await readLogRecords(
      testClients().s3,
      'logs',
      [{ key: 'b.json.gz' }, { key: 'a.json.gz' }],
      {
        byteBudget: 1e6,
        visit: (record, key) => seen.push(`${key}:${record.eventID}`),
      },
    );
    expect(seen).toEqual(['b.json.gz:b1', 'b.json.gz:b2', 'a.json.gz:a1']);
    expect(stats).toEqual({
      filesRead: 2,
      bytesRead: files['a.json.gz'].length + files['b.json.gz'].length,
      truncated: false,
    });
  });

  it('skips a file too large once decompressed and says the read is truncated', async () => {
    const big = gzippedLog(
      Array.from({ length: 2000 }, (_, i) =>
        dynamoDbEvent({ eventID: `e${i}` }),
      ),
    );
    s3.on(GetObjectCommand).callsFake(() => body(big));
    const visit = jest.fn();
    const stats = await readLogRecords(
      testClients().s3,
      'logs',
      [{ key: 'big.json.gz' }],
      {
        byteBudget: 1e9,
        maxFileBytes: 64 * 1024,
        visit,
      },
    );
    expect(visit).not.toHaveBeenCalled();
    expect(stats).toMatchObject({ filesRead: 0, truncated: true });
  });

  it('does not start a file the budget cannot hold', async () => {
    s3.on(GetObjectCommand).callsFake(() => body(gzippedLog([])));
    const stats = await readLogRecords(
      testClients().s3,
      'logs',
      [{ key: 'x.json.gz', size: 2000 }],
      { byteBudget: 1000, visit: jest.fn() },
    );
    expect(s3.calls()).toHaveLength(0);
    expect(stats).toEqual({ filesRead: 0, bytesRead: 0, truncated: true });
  });
});
