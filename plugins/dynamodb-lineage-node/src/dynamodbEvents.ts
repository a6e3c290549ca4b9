/*
 * What a DynamoDB data event looks like in a CloudTrail record, as AWS documents it.
 * The table identity is `resources[].ARN`: `requestParameters.tableName` is absent for
 * Transact* calls and PartiQL statements are redacted.
 */

import {
  DYNAMODB_EVENT_SOURCE,
  DYNAMODB_TABLE_RESOURCE_TYPE,
  dynamoDbAccessKind,
} from '@lineage/plugin-dynamodb-lineage-common';

export interface CloudTrailRecord {
  eventID?: string;
  /** The request id AWS answered the caller with. */
  requestID?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  eventCategory?: string;
  managementEvent?: boolean;
  readOnly?: boolean;
  errorCode?: string;
  awsRegion?: string;
  recipientAccountId?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    principalId?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { type?: string; arn?: string } };
  };
  resources?: { ARN?: string; accountId?: string; type?: string }[];
  requestParameters?: {
    statement?: string;
    statements?: { statement?: string }[];
    requestItems?: { statement?: string }[];
    transactStatements?: { statement?: string }[];
  } | null;
}

export function isDynamoDbDataEvent(record: CloudTrailRecord): boolean {
  return (
    record.eventSource === DYNAMODB_EVENT_SOURCE &&
    (record.eventCategory === 'Data' || record.managementEvent === false)
  );
}

export function tableArnsOf(record: CloudTrailRecord): string[] {
  return (record.resources ?? []).flatMap(resource =>
    resource.ARN &&
    (resource.type === DYNAMODB_TABLE_RESOURCE_TYPE ||
      resource.type === undefined)
      ? [resource.ARN]
      : [],
  );
}

/** Whether one of the record's table resources is `tableArn`; {@link tableArnsOf} without the array. */
export function namesTable(
  record: CloudTrailRecord,
  tableArn: string,
): boolean {
  const resources = record.resources;
  if (!resources) return false;
  for (let i = 0; i < resources.length; i++) {
    const resource = resources[i];
    if (
      resource.ARN === tableArn &&
      (resource.type === DYNAMODB_TABLE_RESOURCE_TYPE ||
        resource.type === undefined)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Who made the call: for an assumed role the role (session issuer), since session
 * names change with every session; else the identity itself.
 */
export function principalOf(record: CloudTrailRecord): {
  principal: string;
  principalType: string;
} {
  const identity = record.userIdentity ?? {};
  const principalType = identity.type ?? 'Unknown';
  const issuer = identity.sessionContext?.sessionIssuer?.arn;
  const principal =
    (principalType === 'AssumedRole' && issuer) ||
    identity.arn ||
    identity.invokedBy ||
    identity.principalId ||
    'unknown';
  return { principal, principalType };
}

/**
 * Read or write, for lineage. PartiQL calls are logged `readOnly: false` even for
 * SELECTs, so their statement text (values are redacted, verbs are not) decides.
 */
export function operationKind(record: CloudTrailRecord): 'read' | 'write' {
  const params = record.requestParameters;
  if (
    !params ||
    (params.statement === undefined &&
      params.statements === undefined &&
      params.requestItems === undefined &&
      params.transactStatements === undefined)
  ) {
    return (
      dynamoDbAccessKind(record.eventName ?? '') ??
      (record.readOnly ? 'read' : 'write')
    );
  }
  const statements = [
    params.statement,
    ...(params.statements ?? []).map(s => s.statement),
    ...(params.requestItems ?? []).map(s => s.statement),
    ...(params.transactStatements ?? []).map(s => s.statement),
  ].filter((statement): statement is string => typeof statement === 'string');
  const known = dynamoDbAccessKind(record.eventName ?? '', statements);
  if (known) return known;
  return record.readOnly ? 'read' : 'write';
}
