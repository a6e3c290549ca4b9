import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { AwsClients } from '../clients';
import { CloudTrailRecord } from '../dynamodbEvents';

/** Real SDK clients; tests mock their classes with aws-sdk-client-mock. */
export function testClients(region = 'us-east-1'): AwsClients {
  const config = {
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return {
    cloudTrail: new CloudTrailClient(config),
    s3: new S3Client(config),
    dynamodb: new DynamoDBClient(config),
    kms: new KMSClient(config),
    athena: new AthenaClient(config),
    cloudWatch: new CloudWatchClient(config),
  };
}

/** An error shaped like the SDK's service exceptions (name = AWS error code). */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

export function gzippedLog(records: CloudTrailRecord[]): Buffer {
  return gzipSync(Buffer.from(JSON.stringify({ Records: records })));
}

/** A GetObject answer for the mock: a fresh stream each call. */
export function body(buffer: Buffer) {
  return {
    Body: Readable.from([buffer]) as never,
    ContentLength: buffer.length,
  };
}

let eventCounter = 0;

export function dynamoDbEvent(
  patch: Partial<CloudTrailRecord> & { table?: string; role?: string } = {},
): CloudTrailRecord {
  const { table, role, ...rest } = patch;
  eventCounter += 1;
  const roleArn = role ?? 'arn:aws:iam::111111111111:role/payments-api';
  return {
    eventID: `event-${eventCounter}`,
    eventTime: '2025-03-08T10:00:00Z',
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'GetItem',
    eventCategory: 'Data',
    managementEvent: false,
    readOnly: true,
    userIdentity: {
      type: 'AssumedRole',
      arn: `${roleArn
        .replace(':iam::', ':sts::')
        .replace(':role/', ':assumed-role/')}/session`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn } },
    },
    resources: [
      {
        type: 'AWS::DynamoDB::Table',
        accountId: '111111111111',
        ARN: table ?? 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
      },
    ],
    ...rest,
  };
}
