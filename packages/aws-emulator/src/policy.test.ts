import {
  evaluateIdentityPolicy,
  evaluatePolicy,
  evaluateTrustPolicy,
  isPublicPolicy,
} from './policy';

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

describe('evaluateIdentityPolicy', () => {
  const rolePolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadLogs',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:List*'],
        Resource: 'arn:aws:s3:::*-cloudtrail-logs-*/*',
      },
      {
        Sid: 'NoSecrets',
        Effect: 'Deny',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::*/secrets/*',
      },
      {
        Sid: 'TaggedTrails',
        Effect: 'Allow',
        Action: 'cloudtrail:UpdateTrail',
        Resource: 'arn:aws:cloudtrail:*:*:trail/*',
        Condition: {
          StringEquals: { 'aws:ResourceTag/managed-by': 'lineage' },
        },
      },
    ],
  });
  const decide = (
    action: string,
    resource: string,
    context: Record<string, string> = {},
  ) => evaluateIdentityPolicy(rolePolicy, { action, resource, context });

  it('allows by action and resource wildcards and names the statement', () => {
    expect(
      decide('s3:GetObject', 'arn:aws:s3:::a-cloudtrail-logs-1/AWSLogs/x'),
    ).toEqual({ decision: 'Allow', statements: [0] });
    expect(
      decide('S3:ListObjects', 'arn:aws:s3:::a-cloudtrail-logs-1/k'),
    ).toEqual({ decision: 'Allow', statements: [0] });
  });

  it('denies implicitly outside the resource pattern or action list', () => {
    expect(decide('s3:GetObject', 'arn:aws:s3:::other/k').decision).toBe(
      'None',
    );
    expect(
      decide('s3:PutObject', 'arn:aws:s3:::a-cloudtrail-logs-1/k').decision,
    ).toBe('None');
  });

  it('lets an explicit deny win over an allow', () => {
    expect(
      decide('s3:GetObject', 'arn:aws:s3:::a-cloudtrail-logs-1/secrets/k'),
    ).toEqual({ decision: 'Deny', statements: [0, 1] });
  });

  it('applies conditions on the keys given', () => {
    const trail = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t';
    expect(
      decide('cloudtrail:UpdateTrail', trail, {
        'aws:ResourceTag/managed-by': 'lineage',
      }).decision,
    ).toBe('Allow');
    expect(decide('cloudtrail:UpdateTrail', trail).decision).toBe('None');
  });

  it('ignores statements naming a principal, which identity policies cannot', () => {
    const withPrincipal = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      ],
    });
    expect(
      evaluateIdentityPolicy(withPrincipal, {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: {},
      }).decision,
    ).toBe('None');
  });
});

describe('evaluateTrustPolicy', () => {
  const trust = JSON.stringify({
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999999999999:role/backstage' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'secret' } },
      },
    ],
  });
  const assume = (aws: string, externalId?: string) =>
    evaluateTrustPolicy(trust, {
      aws: [aws],
      action: 'sts:AssumeRole',
      context: { 'sts:ExternalId': externalId },
    });

  it('allows the named principal with the external id only', () => {
    expect(assume('arn:aws:iam::999999999999:role/backstage', 'secret')).toBe(
      'Allow',
    );
    expect(assume('arn:aws:iam::999999999999:role/backstage')).toBe('None');
    expect(assume('arn:aws:iam::999999999999:role/other', 'secret')).toBe(
      'None',
    );
  });

  it('does not read trust statements as bucket policies, nor the reverse', () => {
    expect(
      evaluatePolicy(trust, {
        aws: ['arn:aws:iam::999999999999:role/backstage'],
        action: 'sts:AssumeRole',
        resource: 'arn:aws:iam::111111111111:role/r',
        context: { 'sts:ExternalId': 'secret' },
      }),
    ).toBe('None');
  });
});
