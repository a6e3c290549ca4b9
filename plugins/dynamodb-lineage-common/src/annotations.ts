/**
 * Catalog vocabulary of DynamoDB lineage tracking. Every package reads these
 * constants instead of spelling the keys, so a rename happens in one place.
 */

/** AWS account id (12 digits) on a `Resource` of type `aws-account`. */
export const ANNOTATION_AWS_ACCOUNT_ID = 'aws.amazon.com/account-id';
/** Comma-separated region codes where the owning team runs DynamoDB. */
export const ANNOTATION_REGIONS = 'dynamodb-lineage/regions';
/** Comma-separated DynamoDB table ARNs a component reads or writes. */
export const ANNOTATION_TABLE_ARNS = 'dynamodb-lineage/table-arns';
/**
 * Comma-separated IAM role or user ARNs whose DynamoDB calls are this entity's
 * (a Component or Resource): lineage names the entity instead of the ARN.
 */
export const ANNOTATION_IAM_ROLE_ARNS = 'dynamodb-lineage/iam-role-arns';
/** ARN of the CloudTrail trail a `cloudtrail-trail` resource stands for. */
export const ANNOTATION_TRAIL_ARN = 'dynamodb-lineage/trail-arn';
/** S3 bucket the trail delivers to. */
export const ANNOTATION_TRAIL_BUCKET = 'dynamodb-lineage/bucket';
/** Home region of the trail (where it is created and changed). */
export const ANNOTATION_TRAIL_HOME_REGION = 'dynamodb-lineage/home-region';

/** `spec.type` of the Resource entity that stands for an AWS account. */
export const RESOURCE_TYPE_AWS_ACCOUNT = 'aws-account';
/** `spec.type` of the Resource entity that stands for a CloudTrail trail. */
export const RESOURCE_TYPE_CLOUDTRAIL_TRAIL = 'cloudtrail-trail';

/** `spec.type` of the Resource entity that stands for a DynamoDB table. */
export const RESOURCE_TYPE_DYNAMODB_TABLE = 'dynamodb-table';

/**
 * Catalog relations of observed data flow, each with its inverse: an entity
 * whose principals wrote a table `writesTo` it (the table is `writtenBy` the
 * entity); one that read it `readsFrom` it (the table is `readBy` it).
 */
export const RELATION_WRITES_TO = 'writesTo';
export const RELATION_WRITTEN_BY = 'writtenBy';
export const RELATION_READS_FROM = 'readsFrom';
export const RELATION_READ_BY = 'readBy';

/** Tag keys written on resources we create. */
export const TAG_OWNER = 'backstage:owner';
export const TAG_MANAGED_BY = 'backstage:managed-by';
export const TAG_CREATED_BY = 'backstage:created-by';
/** Value of {@link TAG_MANAGED_BY} on resources this product manages. */
export const MANAGED_BY_VALUE = 'backstage-dynamodb-lineage';

/** Splits a comma-separated annotation value into trimmed, non-empty items. */
export function parseListAnnotation(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map(item => item.trim())
    .filter(item => item.length > 0);
}
