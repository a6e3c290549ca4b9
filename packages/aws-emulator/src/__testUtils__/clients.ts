import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * Test helpers: real SDK v3 clients pointed at an emulator, the way the
 * plugins configure them (path-style S3, explicit endpoint and credentials).
 */

export interface Clients {
  cloudtrail: CloudTrailClient;
  s3: S3Client;
  sts: STSClient;
  dynamodb: DynamoDBClient;
  kms: KMSClient;
  cloudwatch: CloudWatchClient;
}

export function sdkClients(
  endpoint: string,
  options: {
    accessKeyId?: string;
    region?: string;
    sessionToken?: string;
  } = {},
): Clients {
  const config = {
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: {
      accessKeyId: options.accessKeyId ?? '111111111111',
      secretAccessKey: 'x',
      sessionToken: options.sessionToken,
    },
    // Refusals are what we assert; retries would only slow the tests down.
    maxAttempts: 1,
  };
  return {
    cloudtrail: new CloudTrailClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sts: new STSClient(config),
    dynamodb: new DynamoDBClient(config),
    kms: new KMSClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
}

/** The bucket policy CloudTrail documents, optionally scoped to one trail. */
export function cloudTrailBucketPolicy(
  bucket: string,
  accountId: string,
  options: { sourceArn?: string; prefix?: string } = {},
): string {
  const sourceArn = options.sourceArn
    ? { 'aws:SourceArn': options.sourceArn }
    : {};
  const root = options.prefix ? `${options.prefix}/AWSLogs` : 'AWSLogs';
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSCloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: `arn:aws:s3:::${bucket}`,
        ...(options.sourceArn
          ? { Condition: { StringEquals: sourceArn } }
          : {}),
      },
      {
        Sid: 'AWSCloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${bucket}/${root}/${accountId}/*`,
        Condition: {
          StringEquals: {
            's3:x-amz-acl': 'bucket-owner-full-control',
            ...sourceArn,
          },
        },
      },
    ],
  });
}

/** Creates a us-east-1 bucket that CloudTrail may deliver to. */
export async function createTrailBucket(
  s3: S3Client,
  bucket: string,
  accountId: string,
  options: { sourceArn?: string; prefix?: string } = {},
): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: cloudTrailBucketPolicy(bucket, accountId, options),
    }),
  );
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & Record<string, any>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, any>;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}
