import {
  LogFileSummary,
  previousDeliveries,
  signalOfWindow,
} from './logWindow';

const key = (time: string, unique = 'a') =>
  `AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/08/111111111111_CloudTrail_us-east-1_20250308T${time}Z_${unique}.json.gz`;

function summary(patch: Partial<LogFileSummary>): LogFileSummary {
  return {
    key: 'k',
    bytes: 100,
    deliveredAt: '2025-03-08T10:00:00.000Z',
    dynamodbEvents: 0,
    eventsPerDay: {},
    ...patch,
  };
}

describe('previousDeliveries', () => {
  it('gives each file the latest earlier delivery, sharing it across a split delivery', () => {
    const previous = previousDeliveries(
      [
        { key: key('1005') },
        { key: key('1010', 'a') },
        { key: key('1010', 'b') },
        { key: key('1015') },
      ],
      { key: key('1000') },
    );
    expect([...previous.values()]).toEqual([
      '2025-03-08T10:00:00.000Z',
      '2025-03-08T10:05:00.000Z',
      '2025-03-08T10:05:00.000Z',
      '2025-03-08T10:10:00.000Z',
    ]);
  });

  it('knows nothing before the first file without an earlier listing, and falls back to LastModified for odd names', () => {
    const previous = previousDeliveries([
      { key: key('1005') },
      { key: 'AWSLogs/odd.json.gz', lastModified: '2025-03-08T10:07:00.000Z' },
    ]);
    expect([...previous.values()]).toEqual([
      undefined,
      '2025-03-08T10:05:00.000Z',
    ]);
  });
});

describe('signalOfWindow', () => {
  it('adds up the files and samples the ones whose previous delivery is known', () => {
    const signal = signalOfWindow([
      summary({
        key: 'c',
        deliveredAt: '2025-03-08T10:10:00.000Z',
        previousDeliveredAt: '2025-03-08T10:05:00.000Z',
        dynamodbEvents: 30,
        eventsPerDay: { '2025-03-08': 30 },
        oldestEventTime: '2025-03-08T10:06:00.000Z',
        newestEventTime: '2025-03-08T10:09:00.000Z',
      }),
      summary({
        key: 'b',
        deliveredAt: '2025-03-08T10:05:00.000Z',
        previousDeliveredAt: '2025-03-08T09:55:00.000Z',
        dynamodbEvents: 20,
        eventsPerDay: { '2025-03-08': 20 },
      }),
      summary({
        key: 'a',
        deliveredAt: '2025-03-08T09:55:00.000Z',
        dynamodbEvents: 7,
        eventsPerDay: { '2025-03-08': 7 },
        oldestEventTime: '2025-03-08T09:50:00.000Z',
      }),
    ]);
    expect(signal).toEqual({
      filesRead: 3,
      bytesRead: 300,
      dynamodbEvents: 57,
      oldestEventTime: '2025-03-08T09:50:00.000Z',
      newestEventTime: '2025-03-08T10:09:00.000Z',
      eventsPerDay: { '2025-03-08': 57 },
      sample: {
        events: 50,
        spanMs: 15 * 60_000,
        from: '2025-03-08T09:55:00.000Z',
        to: '2025-03-08T10:10:00.000Z',
      },
    });
  });

  it('has no sample when no previous delivery is known', () => {
    expect(
      signalOfWindow([summary({ dynamodbEvents: 3 })]).sample,
    ).toBeUndefined();
    expect(signalOfWindow([])).toEqual({
      filesRead: 0,
      bytesRead: 0,
      dynamodbEvents: 0,
      eventsPerDay: {},
    });
  });
});
