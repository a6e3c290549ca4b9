import {
  analyzeCloudTrailBucketPolicy,
  CloudTrailBucketTarget,
  cloudTrailBucketPolicyStatements,
  iamGlobMatches,
  isPublicStatement,
  logKeyPrefixOf,
} from './bucketPolicy';

const target: CloudTrailBucketTarget = {
  bucket: 'logs',
  partition: 'aws',
  accountId: '111111111111',
  trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t',
  keyPrefix: 'org',
};

describe('cloudTrailBucketPolicyStatements', () => {
  it('scopes both CloudTrail statements to the trail and denies plain HTTP', () => {
    const [acl, write, tls] = cloudTrailBucketPolicyStatements(target);
    expect(acl).toMatchObject({
      Action: 's3:GetBucketAcl',
      Resource: 'arn:aws:s3:::logs',
    });
    expect(write.Resource).toBe('arn:aws:s3:::logs/org/AWSLogs/111111111111/*');
    expect(write.Condition).toEqual({
      StringEquals: {
        's3:x-amz-acl': 'bucket-owner-full-control',
        'aws:SourceArn': target.trailArn,
      },
    });
    expect(tls).toMatchObject({ Effect: 'Deny', Principal: '*' });
  });

  it('passes its own analysis', () => {
    const analysis = analyzeCloudTrailBucketPolicy(
      {
        Version: '2012-10-17',
        Statement: cloudTrailBucketPolicyStatements(target),
      },
      target,
    );
    expect(analysis).toEqual({
      aclCheckAllowed: true,
      writeAllowed: true,
      writeScopedToTrail: true,
      writeScopedToAccountOnly: false,
      writeRequiresOwnerFullControl: true,
      writesForOtherTrails: [],
      tlsOnly: true,
      publicStatements: [],
    });
  });

  it('uses the partition of the trail', () => {
    const [acl] = cloudTrailBucketPolicyStatements({
      ...target,
      partition: 'aws-cn',
    });
    expect(acl.Resource).toBe('arn:aws-cn:s3:::logs');
  });
});

describe('analyzeCloudTrailBucketPolicy', () => {
  it('finds nothing in an absent policy', () => {
    const analysis = analyzeCloudTrailBucketPolicy(null, target);
    expect(analysis.writeAllowed).toBe(false);
    expect(analysis.aclCheckAllowed).toBe(false);
    expect(analysis.tlsOnly).toBe(false);
  });

  it('prefers the best of several write statements', () => {
    const [acl, write] = cloudTrailBucketPolicyStatements(target);
    const loose = { ...write, Sid: 'Loose', Condition: undefined };
    const analysis = analyzeCloudTrailBucketPolicy(
      { Version: '2012-10-17', Statement: [acl, loose, write] },
      target,
    );
    expect(analysis.writeScopedToTrail).toBe(true);
    expect(analysis.writeRequiresOwnerFullControl).toBe(true);
  });

  it('accepts a wildcard action and a bucket-wide resource', () => {
    const analysis = analyzeCloudTrailBucketPolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: ['cloudtrail.amazonaws.com'] },
            Action: ['S3:*'],
            Resource: ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'],
          },
        ],
      },
      target,
    );
    expect(analysis.aclCheckAllowed).toBe(true);
    expect(analysis.writeAllowed).toBe(true);
    expect(analysis.writeScopedToTrail).toBe(false);
  });
});

describe('policy helpers', () => {
  it('matches IAM globs', () => {
    expect(iamGlobMatches('arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b.json')).toBe(
      true,
    );
    expect(iamGlobMatches('arn:aws:s3:::b/?', 'arn:aws:s3:::b/ab')).toBe(false);
    expect(iamGlobMatches('s3:Put*', 's3:putobject', true)).toBe(true);
    expect(iamGlobMatches('arn:aws:s3:::b.c', 'arn:aws:s3:::bxc')).toBe(false);
  });

  it('tells public statements from pinned ones', () => {
    const base = {
      Effect: 'Allow' as const,
      Action: 's3:GetObject',
      Resource: '*',
    };
    expect(isPublicStatement({ ...base, Principal: '*' })).toBe(true);
    expect(isPublicStatement({ ...base, Principal: { AWS: ['*'] } })).toBe(
      true,
    );
    expect(
      isPublicStatement({ ...base, Principal: { AWS: 'arn:aws:iam::1:root' } }),
    ).toBe(false);
    expect(isPublicStatement({ ...base, Effect: 'Deny', Principal: '*' })).toBe(
      false,
    );
    expect(
      isPublicStatement({
        ...base,
        Principal: '*',
        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
      }),
    ).toBe(false);
    expect(
      isPublicStatement({
        ...base,
        Principal: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
      }),
    ).toBe(true);
    expect(
      isPublicStatement({
        ...base,
        Principal: '*',
        Condition: { StringLike: { 'aws:PrincipalArn': '*' } },
      }),
    ).toBe(true);
  });

  it('builds the log key prefix', () => {
    expect(logKeyPrefixOf({ accountId: '1', keyPrefix: undefined })).toBe(
      'AWSLogs/1/',
    );
    expect(logKeyPrefixOf({ accountId: '1', keyPrefix: 'a/b' })).toBe(
      'a/b/AWSLogs/1/',
    );
  });
});
