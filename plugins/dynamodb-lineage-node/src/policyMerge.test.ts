import {
  PolicyDocument,
  analyzeCloudTrailBucketPolicy,
} from '@lineage/plugin-dynamodb-lineage-common';
import { desiredBucketPolicy } from './desiredState';
import { mergeBucketPolicy } from './policyMerge';
import { BUCKET, TRAIL_ARN, makeSpec } from './__fixtures__/specs';

const desired = desiredBucketPolicy(makeSpec()).Statement;
const otherTrail = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-audit';

describe('mergeBucketPolicy', () => {
  it('writes the whole hardened policy on a bucket without one', () => {
    const merge = mergeBucketPolicy(null, desired);
    expect(merge.merged.Statement).toEqual(desired);
    expect(merge.differences.map(d => d.reason)).toEqual([
      'statement AWSCloudTrailAclCheck is missing',
      'statement AWSCloudTrailWrite is missing',
      'statement DenyInsecureTransport is missing',
    ]);
    const analysis = analyzeCloudTrailBucketPolicy(merge.merged, {
      bucket: BUCKET,
      partition: 'aws',
      accountId: '111111111111',
      trailArn: TRAIL_ARN,
    });
    expect(analysis).toMatchObject({
      aclCheckAllowed: true,
      writeAllowed: true,
      writeScopedToTrail: true,
      writeRequiresOwnerFullControl: true,
      tlsOnly: true,
      publicStatements: [],
    });
  });

  it('finds nothing to do when the live policy is ours with values as lists', () => {
    const live: PolicyDocument = JSON.parse(
      JSON.stringify({ Version: '2012-10-17', Statement: desired }),
    );
    live.Statement[0].Action = ['s3:GetBucketAcl'];
    live.Statement[2].Resource = [
      ...(live.Statement[2].Resource as string[]),
    ].reverse();
    expect(mergeBucketPolicy(live, desired).differences).toEqual([]);
  });

  it('keeps foreign statements and other trails allowed to write', () => {
    const foreign = {
      Sid: 'ReadForAthena',
      Effect: 'Allow' as const,
      Principal: { AWS: 'arn:aws:iam::111111111111:role/athena' },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    };
    const live: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        foreign,
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/999999999999/*`,
          Condition: {
            StringEquals: {
              's3:x-amz-acl': 'bucket-owner-full-control',
              'aws:SourceArn': otherTrail,
            },
          },
        },
        {
          Sid: 'AllowSSLRequestsOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ],
    };
    const merge = mergeBucketPolicy(live, desired);
    const write = merge.merged.Statement.find(
      s => s.Sid === 'AWSCloudTrailWrite',
    );
    expect(write?.Condition?.StringEquals?.['aws:SourceArn']).toEqual([
      otherTrail,
      TRAIL_ARN,
    ]);
    expect(write?.Resource).toEqual([
      `arn:aws:s3:::${BUCKET}/AWSLogs/999999999999/*`,
      `arn:aws:s3:::${BUCKET}/AWSLogs/111111111111/*`,
    ]);
    expect(merge.merged.Statement[0]).toEqual(foreign);
    expect(merge.merged.Statement.map(s => s.Sid)).toEqual([
      'ReadForAthena',
      'AWSCloudTrailWrite',
      'AllowSSLRequestsOnly',
      'AWSCloudTrailAclCheck',
    ]);
    expect(merge.notes).toEqual([
      "Kept the bucket's existing TLS-only deny (AllowSSLRequestsOnly) instead of adding DenyInsecureTransport",
    ]);
    expect(merge.differences.map(d => d.sid)).toEqual([
      'AWSCloudTrailAclCheck',
      'AWSCloudTrailWrite',
    ]);
    expect(merge.differences[1].reason).toMatch(/Resource, Condition differ/);
  });

  it('scopes an unscoped CloudTrail write statement and says so', () => {
    const live: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/111111111111/*`,
          Condition: {
            StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
          },
        },
      ],
    };
    const merge = mergeBucketPolicy(live, desired);
    expect(merge.notes).toContainEqual(
      expect.stringMatching(
        /AWSCloudTrailWrite becomes scoped to aws:SourceArn/,
      ),
    );
    expect(merge.merged.Statement[0]).toEqual(desired[1]);
  });
});
