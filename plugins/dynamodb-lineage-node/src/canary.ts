import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CANARY_KEY_ATTRIBUTE,
  CANARY_TABLE_NAME,
  CanarySighting,
  isCanaryTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { randomUUID } from 'node:crypto';
import { AwsClients } from './clients';
import { CloudTrailRecord } from './dynamodbEvents';
import { failed, isAwsError } from './probe';

/** The canary call of one refresh, as AWS answered it. */
export type CanaryCallResult =
  /** No canary table in the account-region: the canary is off. */
  | { kind: 'absent' }
  | { kind: 'called'; requestId: string; calledAt: string }
  | { kind: 'failed'; error: string };

/**
 * Reads one item that never exists from the account-region's canary table,
 * under a key no other call uses, and returns the request id AWS answered: the
 * `requestID` the call's CloudTrail record will carry. The clients must be
 * bound to the account-region. ResourceNotFoundException means the canary is
 * off; any other refusal is reported, never thrown.
 */
export async function callCanary(
  clients: AwsClients,
  now: () => Date = () => new Date(),
): Promise<CanaryCallResult> {
  const calledAt = now().toISOString();
  try {
    const output = await clients.dynamodb.send(
      new GetItemCommand({
        TableName: CANARY_TABLE_NAME,
        Key: { [CANARY_KEY_ATTRIBUTE]: { S: `probe-${randomUUID()}` } },
      }),
    );
    const requestId = output.$metadata.requestId;
    if (!requestId) {
      return {
        kind: 'failed',
        error: 'GetItem on the canary table answered without a request id',
      };
    }
    return { kind: 'called', requestId, calledAt };
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException'))
      return { kind: 'absent' };
    return { kind: 'failed', error: failed(error).error };
  }
}

/**
 * The canary call a log record stands for, when it is one: a GetItem on a
 * canary table, with the request id to match it by.
 */
export function canarySightingOf(
  record: CloudTrailRecord,
  deliveredAt: string,
): CanarySighting | undefined {
  if (
    record.eventName !== 'GetItem' ||
    !record.requestID ||
    !record.eventTime
  ) {
    return undefined;
  }
  if (!(record.resources ?? []).some(r => r.ARN && isCanaryTableArn(r.ARN))) {
    return undefined;
  }
  const eventTime = new Date(record.eventTime);
  if (Number.isNaN(eventTime.getTime())) return undefined;
  return {
    requestId: record.requestID,
    ...(record.eventID ? { eventId: record.eventID } : {}),
    eventTime: eventTime.toISOString(),
    deliveredAt,
  };
}

/** Whether a record is a call on a canary table: the backend's own traffic, not the tables'. */
export function isCanaryRecord(record: CloudTrailRecord): boolean {
  return (record.resources ?? []).some(r => r.ARN && isCanaryTableArn(r.ARN));
}
