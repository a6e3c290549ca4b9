/*
 * What a DynamoDB data event looks like in a CloudTrail record, as AWS documents it.
 * The table identity is `resources[].ARN`: `requestParameters.tableName` is absent for
 * Transact* calls and PartiQL statements are redacted.
 */

import {
  DYNAMODB_EVENT_SOURCE,
  DYNAMODB_TABLE_RESOURCE_TYPE,
  dynamoDbAccessKind,
  normalizeForensicsPrincipal,
  principalAccountId,
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
    accountId?: string;
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

/** CloudTrail's own format, whole seconds in UTC. */
const CLOUDTRAIL_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/** An event time as `toISOString` writes it, so that times compare as strings; undefined when unreadable. */
export function eventTimeIso(eventTime: string): string | undefined {
  if (CLOUDTRAIL_TIME.test(eventTime)) return `${eventTime.slice(0, 19)}.000Z`;
  const time = new Date(eventTime);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

export function isDynamoDbDataEvent(record: CloudTrailRecord): boolean {
  return (
    record.eventSource === DYNAMODB_EVENT_SOURCE &&
    (record.eventCategory === 'Data' || record.managementEvent === false)
  );
}

export function tableArnsOf(record: CloudTrailRecord): string[] {
  const arns: string[] = [];
  const resources = record.resources;
  if (!resources) return arns;
  for (let i = 0; i < resources.length; i++) {
    const resource = resources[i];
    if (
      resource.ARN &&
      (resource.type === DYNAMODB_TABLE_RESOURCE_TYPE ||
        resource.type === undefined)
    ) {
      arns.push(resource.ARN);
    }
  }
  return arns;
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

/** A caller as lineage counts it. */
export interface NormalisedPrincipal {
  /**
   * A role or user ARN (sessions stand for the role or user that issued
   * them), an account root ARN, or an AWS service name such as
   * `events.amazonaws.com`.
   */
  principal: string;
  /** CloudTrail's `userIdentity.type`, `Unknown` when absent. */
  principalType: string;
  /** The account the principal belongs to, when the record tells. */
  principalAccountId?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Who made the call, in the form lineage keeps: an assumed-role session is its
 * role (the session issuer, which carries the role's path; from the session
 * ARN alone `arn:PARTITION:iam::ACCT:role/NAME`), a federated user session is
 * the IAM user that issued it, an IAM user or the account root is its ARN, and
 * an AWS service calling on its own behalf is the service name (`invokedBy`).
 * The account is the one the principal's ARN names, so a caller from another
 * account than the table's is told by it.
 */
export function principalOf(record: CloudTrailRecord): NormalisedPrincipal {
  const identity = record.userIdentity ?? {};
  const principalType = identity.type ?? 'Unknown';
  const principal = normalisedPrincipal(identity);
  const accountId =
    principalAccountId(principal) ??
    (identity.accountId && ACCOUNT_ID.test(identity.accountId)
      ? identity.accountId
      : undefined);
  return {
    principal,
    principalType,
    ...(accountId ? { principalAccountId: accountId } : {}),
  };
}

interface CachedPrincipal {
  type?: string;
  invokedBy?: string;
  issuerArn?: string;
  accountId?: string;
  principal: NormalisedPrincipal;
}

/**
 * {@link principalOf} with the answer kept per caller ARN: a log file's
 * records come from few callers, and the same identity gives the same
 * principal. An entry is used only when every identity field the answer
 * depends on matches the record's.
 */
export class PrincipalCache {
  private readonly byArn = new Map<string, CachedPrincipal>();

  constructor(private readonly maxEntries = 10_000) {}

  of(record: CloudTrailRecord): NormalisedPrincipal {
    const identity = record.userIdentity;
    const arn = identity?.arn;
    if (!identity || arn === undefined) return principalOf(record);
    const issuerArn = identity.sessionContext?.sessionIssuer?.arn;
    const cached = this.byArn.get(arn);
    if (
      cached &&
      cached.type === identity.type &&
      cached.invokedBy === identity.invokedBy &&
      cached.issuerArn === issuerArn &&
      cached.accountId === identity.accountId
    ) {
      return cached.principal;
    }
    const principal = principalOf(record);
    if (this.byArn.size >= this.maxEntries) this.byArn.clear();
    this.byArn.set(arn, {
      type: identity.type,
      invokedBy: identity.invokedBy,
      issuerArn,
      accountId: identity.accountId,
      principal,
    });
    return principal;
  }
}

function normalisedPrincipal(
  identity: NonNullable<CloudTrailRecord['userIdentity']>,
): string {
  const issuer = identity.sessionContext?.sessionIssuer;
  if (identity.type === 'AWSService' && identity.invokedBy) {
    return identity.invokedBy;
  }
  if (
    issuer?.arn &&
    (identity.type === 'AssumedRole' || identity.type === 'FederatedUser')
  ) {
    return issuer.arn;
  }
  if (identity.arn) return normalizeForensicsPrincipal(identity.arn);
  return (
    identity.invokedBy ??
    identity.accountId ??
    identity.principalId ??
    'unknown'
  );
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
