/**
 * Input rules shared by the backend, the scaffolder action and the form. The
 * `validate*` functions return a message naming the rule that is broken, or
 * `undefined` when the value is acceptable.
 */

/**
 * Region codes of the commercial `aws` partition, as listed by the AWS SDK's
 * partition metadata (China, GovCloud, ISO and European Sovereign Cloud
 * partitions excluded).
 */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'me-west-1',
  'mx-central-1',
  'sa-east-1',
  'sa-west-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
];
const IPV4_SHAPE = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isAwsRegion(region: string): boolean {
  return AWS_REGIONS.includes(region);
}

export function validateRegion(region: string | undefined): string | undefined {
  if (!region) return 'Region is required';
  if (!isAwsRegion(region)) {
    return `Region "${region}" is not a commercial AWS region code (for example us-east-1)`;
  }
  return undefined;
}

export function isValidAccountId(accountId: unknown): accountId is string {
  return typeof accountId === 'string' && /^\d{12}$/.test(accountId);
}

export function validateAccountId(
  accountId: string | undefined,
): string | undefined {
  if (!accountId) return 'AWS account id is required';
  if (!isValidAccountId(accountId)) {
    return `AWS account id "${accountId}" must be exactly 12 digits`;
  }
  return undefined;
}

/** CloudTrail trail name rules (CreateTrail `Name`). */
export function validateTrailName(
  name: string | undefined,
): string | undefined {
  if (!name) return 'Trail name is required';
  if (name.length < 3 || name.length > 128) {
    return `Trail name must be 3 to 128 characters long (it has ${name.length})`;
  }
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    return 'Trail name may contain only ASCII letters, digits, periods (.), underscores (_) and dashes (-)';
  }
  if (!/^[A-Za-z0-9]/.test(name)) {
    return 'Trail name must start with a letter or a digit';
  }
  if (!/[A-Za-z0-9]$/.test(name)) {
    return 'Trail name must end with a letter or a digit';
  }
  if (/[._-]{2}/.test(name)) {
    return 'Trail name must not have adjacent periods, underscores or dashes (like "my-_trail" or "my--trail")';
  }
  if (IPV4_SHAPE.test(name)) {
    return 'Trail name must not be formatted as an IP address';
  }
  return undefined;
}

const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = [
  '-s3alias',
  '--ol-s3',
  '.mrap',
  '--x-s3',
  '--table-s3',
];

/** S3 general purpose bucket name rules. */
export function validateBucketName(
  name: string | undefined,
): string | undefined {
  if (!name) return 'Bucket name is required';
  if (name.length < 3 || name.length > 63) {
    return `Bucket name must be 3 to 63 characters long (it has ${name.length})`;
  }
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return 'Bucket name may contain only lowercase letters, digits, periods (.) and hyphens (-)';
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return 'Bucket name must start and end with a lowercase letter or a digit';
  }
  if (name.includes('..')) {
    return 'Bucket name must not contain two adjacent periods';
  }
  if (IPV4_SHAPE.test(name)) {
    return 'Bucket name must not be formatted as an IP address';
  }
  const prefix = RESERVED_BUCKET_PREFIXES.find(p => name.startsWith(p));
  if (prefix) {
    return `Bucket name must not start with the reserved prefix "${prefix}"`;
  }
  const suffix = RESERVED_BUCKET_SUFFIXES.find(s => name.endsWith(s));
  if (suffix) {
    return `Bucket name must not end with the reserved suffix "${suffix}"`;
  }
  return undefined;
}

/**
 * CloudTrail `S3KeyPrefix`: at most 200 characters (AWS rule). We also refuse
 * a leading or trailing slash and empty segments: CloudTrail inserts the
 * slash itself, so they would yield keys like `logs//AWSLogs/...`.
 */
export function validateS3KeyPrefix(
  prefix: string | undefined,
): string | undefined {
  if (prefix === undefined || prefix === '') return undefined;
  if (prefix.length > 200) {
    return `S3 key prefix must be at most 200 characters (it has ${prefix.length})`;
  }
  if (prefix.startsWith('/') || prefix.endsWith('/')) {
    return 'S3 key prefix must not start or end with "/" (CloudTrail adds the separator)';
  }
  if (prefix.includes('//')) {
    return 'S3 key prefix must not contain empty path segments ("//")';
  }
  return undefined;
}

/* ------------------------------------------------------------------ */
/* DynamoDB table ARNs                                                 */
/* ------------------------------------------------------------------ */

export interface TableArnParts {
  partition: string;
  region: string;
  accountId: string;
  tableName: string;
}

const TABLE_NAME_SHAPE = /^[A-Za-z0-9_.-]{3,255}$/;

/** DynamoDB table name rules: 3–255 of `[A-Za-z0-9_.-]`. */
export function isValidTableName(name: string): boolean {
  return TABLE_NAME_SHAPE.test(name);
}

const ARN_EXAMPLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/my-table';

/** Returns why `arn` is not a DynamoDB table ARN, or `undefined`. */
export function validateTableArn(arn: string | undefined): string | undefined {
  if (!arn) return 'Table ARN is required';
  // The resource may hold colons itself (a stream label is a timestamp).
  const [scheme, partition, service, region, accountId, ...rest] =
    arn.split(':');
  const resource = rest.join(':');
  if (scheme !== 'arn' || rest.length === 0) {
    return `Table ARN "${arn}" must have six colon-separated parts, like ${ARN_EXAMPLE}`;
  }
  if (!PARTITIONS.includes(partition)) {
    return `Table ARN "${arn}" has unknown partition "${partition}"`;
  }
  if (service !== 'dynamodb') {
    return `Table ARN "${arn}" must be a dynamodb ARN (service is "${service}")`;
  }
  if (!REGION_SHAPE.test(region)) {
    return `Table ARN "${arn}" has an invalid region "${region}"`;
  }
  if (!isValidAccountId(accountId)) {
    return `Table ARN "${arn}" must name a 12-digit account id (has "${accountId}")`;
  }
  if (!resource.startsWith('table/')) {
    return `Table ARN "${arn}" must have a resource of the form table/<name>`;
  }
  const tableName = resource.slice('table/'.length);
  if (tableName.includes('/')) {
    return `Table ARN "${arn}" names an index, stream or backup, not a table`;
  }
  if (!isValidTableName(tableName)) {
    return `Table ARN "${arn}" has an invalid table name: 3 to 255 of letters, digits, "_", "-" and "."`;
  }
  return undefined;
}

/** Parses a table ARN; throws an `Error` naming the broken rule. */
export function parseTableArn(arn: string): TableArnParts {
  const problem = validateTableArn(arn);
  if (problem) throw new Error(problem);
  const [, partition, , region, accountId, resource] = arn.split(':');
  return {
    partition,
    region,
    accountId,
    tableName: resource.slice('table/'.length),
  };
}

/** Like {@link parseTableArn}, but `undefined` instead of throwing. */
export function tryParseTableArn(arn: string): TableArnParts | undefined {
  return validateTableArn(arn) ? undefined : parseTableArn(arn);
}

export function formatTableArn(parts: TableArnParts): string {
  return `arn:${parts.partition}:dynamodb:${parts.region}:${parts.accountId}:table/${parts.tableName}`;
}
