import { logPrefix, logRoot, parseLogKey } from './logKeys';

describe('log key layout', () => {
  const day = new Date('2025-03-07T23:59:59Z');

  it('builds the date prefix with and without key prefix and organization', () => {
    expect(logPrefix({}, '111111111111', 'us-east-1', day)).toBe(
      'AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/07/',
    );
    expect(
      logPrefix(
        { s3KeyPrefix: 'ct/lineage', organizationId: 'o-abc123def4' },
        '111111111111',
        'eu-west-1',
        day,
      ),
    ).toBe(
      'ct/lineage/AWSLogs/o-abc123def4/111111111111/CloudTrail/eu-west-1/2025/03/07/',
    );
    expect(logRoot({ s3KeyPrefix: 'p' })).toBe('p/AWSLogs/');
  });

  it('parses a log file key back, delivery time from the file name', () => {
    expect(
      parseLogKey(
        'ct/AWSLogs/o-abc123def4/111111111111/CloudTrail/us-east-1/2025/03/08/111111111111_CloudTrail_us-east-1_20250308T0005Z_Ab12Cd34Ef56Gh78.json.gz',
      ),
    ).toEqual({
      s3KeyPrefix: 'ct',
      organizationId: 'o-abc123def4',
      accountId: '111111111111',
      region: 'us-east-1',
      kind: 'log',
      day: '2025-03-08',
      deliveredAt: '2025-03-08T00:05:00.000Z',
    });
  });

  it('recognises digest files and refuses other keys', () => {
    expect(
      parseLogKey(
        'AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2025/03/08/111111111111_CloudTrail-Digest_us-east-1_trail_us-east-1_20250308T010203Z.json.gz',
      ),
    ).toMatchObject({
      kind: 'digest',
      deliveredAt: '2025-03-08T01:02:03.000Z',
    });
    expect(
      parseLogKey('AWSLogs/111111111111/CloudTrail/us-east-1/'),
    ).toBeUndefined();
    expect(parseLogKey('random/file.json.gz')).toBeUndefined();
  });
});
