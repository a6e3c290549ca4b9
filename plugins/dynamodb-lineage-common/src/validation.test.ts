import {
  AWS_REGIONS,
  formatTableArn,
  isValidAccountId,
  parseTableArn,
  tryParseTableArn,
  validateAccountId,
  validateBucketName,
  validateRegion,
  validateS3KeyPrefix,
  validateTableArn,
  validateTrailName,
} from './validation';

describe('regions and accounts', () => {
  it('lists commercial regions only', () => {
    expect(AWS_REGIONS).toEqual(
      expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2']),
    );
    expect(AWS_REGIONS).not.toContain('us-gov-west-1');
    expect(AWS_REGIONS).not.toContain('cn-north-1');
    expect(new Set(AWS_REGIONS).size).toBe(AWS_REGIONS.length);
    expect(validateRegion('eu-west-1')).toBeUndefined();
    expect(validateRegion('eu-west-9')).toContain(
      'not a commercial AWS region',
    );
    expect(validateRegion('')).toBe('Region is required');
  });

  it('accepts exactly 12 digits as an account id', () => {
    expect(isValidAccountId('111111111111')).toBe(true);
    expect(isValidAccountId('11111111111')).toBe(false);
    expect(isValidAccountId('11111111111a')).toBe(false);
    expect(isValidAccountId(111111111111)).toBe(false);
    expect(validateAccountId('123')).toBe(
      'AWS account id "123" must be exactly 12 digits',
    );
  });
});

describe('validateTrailName', () => {
  it.each([
    'dynamodb-lineage',
    'abc',
    'My.Trail_1',
    'a'.repeat(128),
    '1-trail',
  ])('accepts %s', name => {
    expect(validateTrailName(name)).toBeUndefined();
  });

  it.each([
    ['', 'required'],
    ['ab', '3 to 128 characters'],
    ['a'.repeat(129), '3 to 128 characters'],
    ['my trail', 'may contain only'],
    ['my/trail', 'may contain only'],
    ['-trail', 'start with a letter or a digit'],
    ['trail_', 'end with a letter or a digit'],
    ['my--trail', 'adjacent'],
    ['my-_trail', 'adjacent'],
    ['my..trail', 'adjacent'],
    ['192.168.5.4', 'IP address'],
  ])('rejects "%s" (%s)', (name, rule) => {
    expect(validateTrailName(name)).toContain(rule);
  });
});

describe('validateBucketName', () => {
  it.each([
    'dynamodb-lineage-111111111111',
    'abc',
    'logs.example.com',
    'a'.repeat(63),
  ])('accepts %s', name => {
    expect(validateBucketName(name)).toBeUndefined();
  });

  it.each([
    ['', 'required'],
    ['ab', '3 to 63 characters'],
    ['a'.repeat(64), '3 to 63 characters'],
    ['My-Bucket', 'lowercase letters'],
    ['my_bucket', 'lowercase letters'],
    ['-bucket', 'start and end'],
    ['bucket.', 'start and end'],
    ['my..bucket', 'two adjacent periods'],
    ['192.168.5.4', 'IP address'],
    ['xn--bucket', 'reserved prefix "xn--"'],
    ['sthree-bucket', 'reserved prefix "sthree-"'],
    ['amzn-s3-demo-bucket', 'reserved prefix "amzn-s3-demo-"'],
    ['bucket-s3alias', 'reserved suffix "-s3alias"'],
    ['bucket--ol-s3', 'reserved suffix "--ol-s3"'],
    ['bucket.mrap', 'reserved suffix ".mrap"'],
    ['bucket--x-s3', 'reserved suffix "--x-s3"'],
    ['bucket--table-s3', 'reserved suffix "--table-s3"'],
  ])('rejects "%s" (%s)', (name, rule) => {
    expect(validateBucketName(name)).toContain(rule);
  });
});

describe('validateS3KeyPrefix', () => {
  it('accepts none or a plain prefix and rejects slashes at the ends', () => {
    expect(validateS3KeyPrefix(undefined)).toBeUndefined();
    expect(validateS3KeyPrefix('org/lineage')).toBeUndefined();
    expect(validateS3KeyPrefix('lineage/')).toContain('must not start or end');
    expect(validateS3KeyPrefix('a//b')).toContain('empty path segments');
    expect(validateS3KeyPrefix('a'.repeat(201))).toContain('at most 200');
  });
});

describe('table ARNs', () => {
  it('parses a table ARN and formats it back', () => {
    const arn = 'arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu';
    const parts = parseTableArn(arn);
    expect(parts).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '111111111111',
      tableName: 'payments-eu',
    });
    expect(formatTableArn(parts)).toBe(arn);
    expect(
      parseTableArn(
        'arn:aws-us-gov:dynamodb:us-gov-west-1:111111111111:table/T.1_x',
      ).partition,
    ).toBe('aws-us-gov');
  });

  it.each([
    ['', 'required'],
    ['payments', 'six colon-separated parts'],
    ['arn:aws:s3:us-east-1:111111111111:table/x1', 'must be a dynamodb ARN'],
    [
      'arn:azure:dynamodb:us-east-1:111111111111:table/abc',
      'unknown partition',
    ],
    ['arn:aws:dynamodb:useast1:111111111111:table/abc', 'invalid region'],
    ['arn:aws:dynamodb:us-east-1:1111:table/abc', '12-digit account id'],
    [
      'arn:aws:dynamodb:us-east-1:111111111111:global-table/abc',
      'table/<name>',
    ],
    [
      'arn:aws:dynamodb:us-east-1:111111111111:table/abc/stream/2024-01-01T00:00:00.000',
      'not a table',
    ],
    ['arn:aws:dynamodb:us-east-1:111111111111:table/ab', 'invalid table name'],
    ['arn:aws:dynamodb:us-east-1:111111111111:table/a*b', 'invalid table name'],
  ])('rejects "%s" (%s)', (arn, rule) => {
    expect(validateTableArn(arn)).toContain(rule);
    expect(tryParseTableArn(arn)).toBeUndefined();
    expect(() => parseTableArn(arn)).toThrow(rule);
  });
});
