import { evaluatePolicy } from '../../policy';
import type { Bucket } from '../s3/buckets';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

/** Where a trail writes the logs of one account: `[prefix/]AWSLogs/[o-id/]ACCT/`. */
export function logRoot(
  prefix: string | undefined,
  accountId: string,
  organizationId?: string,
): string {
  const head = prefix ? `${prefix.replace(/\/+$/, '')}/` : '';
  return `${head}AWSLogs/${
    organizationId ? `${organizationId}/` : ''
  }${accountId}/`;
}

export interface CloudTrailWrite {
  bucket: Bucket;
  key: string;
  trailArn: string;
  /** Account of the trail (the management account for organization trails). */
  trailAccountId: string;
}

function decision(
  bucket: Bucket,
  action: string,
  resource: string,
  write: CloudTrailWrite,
) {
  return evaluatePolicy(bucket.policy, {
    service: CLOUDTRAIL,
    action,
    resource,
    context: {
      'aws:SourceArn': write.trailArn,
      'aws:SourceAccount': write.trailAccountId,
      's3:x-amz-acl': 'bucket-owner-full-control',
      'aws:SecureTransport': true,
    },
  });
}

/**
 * Whether the bucket policy lets CloudTrail check the bucket ACL and put this
 * object, with the request context CloudTrail sends (ACL
 * bucket-owner-full-control, TLS, the trail as aws:SourceArn).
 */
export function cloudTrailMayWrite(write: CloudTrailWrite): boolean {
  const bucketArn = `arn:aws:s3:::${write.bucket.name}`;
  return (
    decision(write.bucket, 's3:GetBucketAcl', bucketArn, write) === 'Allow' &&
    decision(
      write.bucket,
      's3:PutObject',
      `${bucketArn}/${write.key}`,
      write,
    ) === 'Allow'
  );
}
