import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { inspectBucket } from './inspectBucket';
import { awsError, testClients } from './__fixtures__/aws';

const s3 = mockClient(S3Client);
const Bucket = 'logs-bucket';

beforeEach(() => s3.reset());

describe('inspectBucket', () => {
  it('reads every setting, one call each', async () => {
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
    s3.on(GetBucketPolicyCommand).resolves({
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'A', Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ],
      }),
    });
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: 'k',
            },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
      },
    });
    s3.on(GetBucketOwnershipControlsCommand).resolves({
      OwnershipControls: {
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      },
    });
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    const rule = {
      ID: 'r',
      Status: 'Enabled' as const,
      Filter: { Tag: { Key: 'k', Value: 'v' } },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    };
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [rule] });
    s3.on(GetBucketTaggingCommand).resolves({
      TagSet: [{ Key: 'team', Value: 'a' }],
    });

    const state = await inspectBucket(testClients(), Bucket);
    expect(state).toEqual({
      name: Bucket,
      exists: { ok: true, value: true },
      region: { ok: true, value: 'eu-west-1' },
      policy: {
        ok: true,
        value: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'A', Effect: 'Deny', Action: 's3:*', Resource: '*' },
          ],
        },
      },
      encryption: {
        ok: true,
        value: { algorithm: 'aws:kms', kmsKeyId: 'k', bucketKeyEnabled: true },
      },
      publicAccessBlock: {
        ok: true,
        value: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
      },
      ownership: { ok: true, value: 'BucketOwnerEnforced' },
      versioning: { ok: true, value: 'Suspended' },
      // Kept whole: a later put of the rules must not lose their other fields.
      lifecycle: { ok: true, value: [rule] },
      tags: { ok: true, value: { team: 'a' } },
    });
    expect(s3.calls()).toHaveLength(8);
    expect(s3).not.toHaveReceivedCommand(GetBucketLocationCommand);
  });

  it('answers S3’s "not configured" errors as null values', async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketLocationCommand).resolves({});
    s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy'));
    s3.on(GetBucketEncryptionCommand).rejects(
      awsError('ServerSideEncryptionConfigurationNotFoundError'),
    );
    s3.on(GetPublicAccessBlockCommand).rejects(
      awsError('NoSuchPublicAccessBlockConfiguration'),
    );
    s3.on(GetBucketOwnershipControlsCommand).rejects(
      awsError('OwnershipControlsNotFoundError'),
    );
    s3.on(GetBucketVersioningCommand).resolves({});
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(
      awsError('NoSuchLifecycleConfiguration'),
    );
    s3.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet'));

    const state = await inspectBucket(testClients(), Bucket);
    const none = { ok: true, value: null };
    expect(state).toEqual({
      name: Bucket,
      exists: { ok: true, value: true },
      // An empty location constraint is us-east-1.
      region: { ok: true, value: 'us-east-1' },
      policy: none,
      encryption: none,
      publicAccessBlock: none,
      ownership: none,
      versioning: none,
      lifecycle: none,
      tags: none,
    });
  });

  it('asks nothing more about a bucket that does not exist', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('NotFound'));
    const state = await inspectBucket(testClients(), Bucket);
    expect(state.exists).toEqual({ ok: true, value: false });
    expect(state.policy).toEqual({ ok: true, value: null });
    expect(s3.calls()).toHaveLength(1);
  });

  it('turns refusals into failed probes, each on its own', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('Forbidden', 'Forbidden'));
    s3.on(GetBucketLocationCommand).rejects(
      awsError('AccessDenied', 'Access Denied'),
    );
    s3.on(GetBucketPolicyCommand).rejects(
      awsError('AccessDenied', 'Access Denied'),
    );
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    const state = await inspectBucket(testClients(), Bucket);
    expect(state.exists).toEqual({
      ok: false,
      code: 'Forbidden',
      error: 'Forbidden',
    });
    expect(state.policy).toEqual({
      ok: false,
      code: 'AccessDenied',
      error: 'AccessDenied: Access Denied',
    });
    expect(state.versioning).toEqual({ ok: true, value: 'Enabled' });
  });
});
