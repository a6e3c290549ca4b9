/*
 * The canary: a small on-demand DynamoDB table in each covered account-region.
 * Every refresh reads one item that does not exist from it, under a key of its
 * own; finding that call in the delivered logs proves the trail captures
 * DynamoDB data events there, and how long capture takes.
 */

/** Name of the canary table, the same in every account-region. */
export const CANARY_TABLE_NAME = 'dynamodb-lineage-canary';

/** The canary table's only attribute: its partition key, a string. */
export const CANARY_KEY_ATTRIBUTE = 'id';

/** Canary calls and their arrivals are kept this long. */
export const CANARY_RETENTION_MS = 2 * 24 * 60 * 60 * 1000;

/** Latency percentiles are taken over the canaries of this window. */
export const CANARY_LATENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** ARN of the canary table of an account-region. */
export function canaryTableArn(accountId: string, region: string): string {
  return `arn:${partitionOf(
    region,
  )}:dynamodb:${region}:${accountId}:table/${CANARY_TABLE_NAME}`;
}

const CANARY_TABLE_ARN_SHAPE = new RegExp(
  `^arn:[^:]+:dynamodb:[^:]+:\\d{12}:table/${CANARY_TABLE_NAME}$`,
);

/** Whether a table ARN is a canary table (of any account-region). */
export function isCanaryTableArn(arn: string): boolean {
  return CANARY_TABLE_ARN_SHAPE.test(arn);
}

/** A canary call found in a delivered log file. */
export interface CanarySighting {
  /** The record's `requestID`: what the SDK answered as `$metadata.requestId`. */
  requestId: string;
  eventId?: string;
  eventTime: string;
  /** When the file holding it landed in the bucket (its LastModified, else its delivery time). */
  deliveredAt: string;
}

/** One canary call the backend made, and where it was found. */
export interface CanaryCall {
  requestId: string;
  calledAt: string;
  /** Present once the call was found in this trail's delivered logs. */
  eventTime?: string;
  deliveredAt?: string;
}

/** What `trail.canary` judges. */
export interface CanaryEvidence {
  tableArn: string;
  /** False when the account-region has no canary table: the canary is off. */
  enabled: boolean;
  /** This refresh's call, when AWS refused it (the canary then proves nothing new). */
  callError?: string;
  /** Calls of the latency window, newest first, with their arrival in this trail's logs. */
  calls: CanaryCall[];
}
