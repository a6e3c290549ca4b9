import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { planLineage } from './plan';
import { awsError, testClients } from './__fixtures__/aws';
import { BUCKET, TRAIL_ARN, makeSpec } from './__fixtures__/specs';

const s3 = mockClient(S3Client);
const cloudTrail = mockClient(CloudTrailClient);
const dynamodb = mockClient(DynamoDBClient);

/** Every command these tests let through is a read: anything else is a mutation. */
const READS = new Set([
  'GetTrailCommand',
  'GetTrailStatusCommand',
  'GetEventSelectorsCommand',
  'GetInsightSelectorsCommand',
  'ListTagsCommand',
  'HeadBucketCommand',
  'GetBucketLocationCommand',
  'GetBucketPolicyCommand',
  'GetBucketEncryptionCommand',
  'GetPublicAccessBlockCommand',
  'GetBucketOwnershipControlsCommand',
  'GetBucketVersioningCommand',
  'GetBucketLifecycleConfigurationCommand',
  'GetBucketTaggingCommand',
  'DescribeTableCommand',
]);
const commandNames = () =>
  [...s3.calls(), ...cloudTrail.calls(), ...dynamodb.calls()].map(
    c => (c.args[0] as object).constructor.name,
  );

beforeEach(() => {
  s3.reset();
  cloudTrail.reset();
  dynamodb.reset();
});

describe('planLineage', () => {
  it('plans a fresh account from read calls only', async () => {
    cloudTrail.on(GetTrailCommand).rejects(awsError('TrailNotFoundException'));
    s3.on(HeadBucketCommand).rejects(awsError('NotFound'));
    dynamodb
      .on(DescribeTableCommand)
      .rejects(awsError('ResourceNotFoundException'));
    const { plan, live } = await planLineage(testClients(), makeSpec());
    expect(live.trail).toEqual({ ok: true, value: null });
    expect(live.canaryTable).toEqual({ ok: true, value: false });
    expect(plan.changes.map(c => c.key).slice(0, 2)).toEqual([
      'canary-table:create',
      'bucket:create',
    ]);
    expect(dynamodb).toHaveReceivedCommandWith(DescribeTableCommand, {
      TableName: 'dynamodb-lineage-canary',
    });
    expect(commandNames().sort()).toEqual([
      'DescribeTableCommand',
      'GetTrailCommand',
      'HeadBucketCommand',
    ]);
  });

  it('inspects a live trail and bucket by name, with no mutating call', async () => {
    cloudTrail.on(GetTrailCommand).resolves({
      Trail: {
        Name: 'dynamodb-lineage',
        TrailARN: TRAIL_ARN,
        HomeRegion: 'us-east-1',
        S3BucketName: BUCKET,
        IsMultiRegionTrail: false,
        IncludeGlobalServiceEvents: true,
        LogFileValidationEnabled: false,
        HasInsightSelectors: false,
      },
    });
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
    cloudTrail.on(GetEventSelectorsCommand).resolves({
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: false,
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
        },
      ],
    });
    cloudTrail.on(ListTagsCommand).resolves({ ResourceTagList: [] });
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'us-east-1' });
    s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy'));
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [
          { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
    });
    s3.on(GetPublicAccessBlockCommand).rejects(
      awsError('NoSuchPublicAccessBlockConfiguration'),
    );
    s3.on(GetBucketOwnershipControlsCommand).resolves({
      OwnershipControls: {
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      },
    });
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(
      awsError('NoSuchLifecycleConfiguration'),
    );
    s3.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet'));
    dynamodb.on(DescribeTableCommand).resolves({
      Table: { TableName: 'dynamodb-lineage-canary', TableStatus: 'ACTIVE' },
    });

    const { plan } = await planLineage(testClients(), makeSpec());

    expect(commandNames().every(name => READS.has(name))).toBe(true);
    expect(cloudTrail).not.toHaveReceivedCommand(GetInsightSelectorsCommand);
    expect(cloudTrail).toHaveReceivedCommandWith(GetTrailCommand, {
      Name: 'dynamodb-lineage',
    });
    expect(plan.changes.map(c => c.key)).toEqual([
      'bucket-policy:update',
      'bucket-public-access-block:update',
      'bucket-lifecycle:update',
      'trail:update',
      'event-selectors:update',
      'bucket-tags:update',
      'trail-tags:update',
      'logging:start',
    ]);
    const selectors = plan.changes.find(
      c => c.key === 'event-selectors:update',
    )!.request.input as { AdvancedEventSelectors: { Name: string }[] };
    expect(selectors.AdvancedEventSelectors.map(s => s.Name)).toEqual([
      'AWS::S3::Object data events (basic selector 1)',
      'dynamodb-lineage: DynamoDB tables',
    ]);
  });

  it('throws instead of guessing when AWS refuses a question', async () => {
    cloudTrail
      .on(GetTrailCommand)
      .rejects(awsError('AccessDeniedException', 'denied'));
    s3.on(HeadBucketCommand).rejects(awsError('NotFound'));
    await expect(planLineage(testClients(), makeSpec())).rejects.toThrow(
      /AWS did not answer GetTrail \(AccessDeniedException: denied\)/,
    );
  });
});
