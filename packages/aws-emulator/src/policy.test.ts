import { evaluatePolicy, isPublicPolicy } from './policy';

const policy = JSON.stringify({
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::logs/AWSLogs/111111111111/*',
      Condition: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnLike: {
          'aws:SourceArn': 'arn:aws:cloudtrail:*:111111111111:trail/*',
        },
      },
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

const write = (
  context: Record<string, string | boolean>,
  resource = 'arn:aws:s3:::logs/AWSLogs/111111111111/x',
) =>
  evaluatePolicy(policy, {
    service: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource,
    context,
  });

describe('evaluatePolicy', () => {
  const good = {
    's3:x-amz-acl': 'bucket-owner-full-control',
    'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111111111111:trail/lineage',
    'aws:SecureTransport': true,
  };

  it('allows a request that satisfies every condition', () => {
    expect(write(good)).toBe('Allow');
  });

  it('says nothing when a condition, the resource or the principal does not match', () => {
    expect(write({ ...good, 's3:x-amz-acl': 'private' })).toBe('None');
    expect(
      write({
        ...good,
        'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:222222222222:trail/x',
      }),
    ).toBe('None');
    expect(write(good, 'arn:aws:s3:::logs/AWSLogs/222222222222/x')).toBe(
      'None',
    );
    expect(
      evaluatePolicy(policy, {
        aws: ['111111111111'],
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::logs/AWSLogs/111111111111/x',
        context: good,
      }),
    ).toBe('None');
  });

  it('lets an explicit deny win', () => {
    expect(write({ ...good, 'aws:SecureTransport': false })).toBe('Deny');
  });

  it('recognises public policies', () => {
    expect(isPublicPolicy(policy)).toBe(false);
    expect(
      isPublicPolicy(
        JSON.stringify({
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: 's3:GetObject',
              Resource: '*',
            },
          ],
        }),
      ),
    ).toBe(true);
  });
});
