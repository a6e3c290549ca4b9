import { accountOfArn, parseArn } from './arns';

describe('parseArn', () => {
  it('splits an ARN into its parts, keeping colons of the resource', () => {
    expect(
      parseArn('arn:aws-cn:cloudtrail:cn-north-1:111111111111:trail/a:b'),
    ).toEqual({
      partition: 'aws-cn',
      service: 'cloudtrail',
      region: 'cn-north-1',
      accountId: '111111111111',
      resource: 'trail/a:b',
    });
    expect(accountOfArn('arn:aws:s3:::bucket')).toBeUndefined();
    expect(
      accountOfArn('arn:aws:cloudtrail:us-east-1:222222222222:trail/t'),
    ).toBe('222222222222');
  });

  it('answers undefined for what is not an ARN', () => {
    expect(parseArn(undefined)).toBeUndefined();
    expect(parseArn('trail/t')).toBeUndefined();
    expect(parseArn('arn:aws:cloudtrail:us-east-1')).toBeUndefined();
  });
});
