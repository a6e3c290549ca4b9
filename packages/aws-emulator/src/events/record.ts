import { isoSeconds } from '../clock';
import type { AwsError } from '../errors';
import type { Identity } from '../identity';
import { uuid } from '../ids';

export interface EventResource {
  accountId?: string;
  type: string;
  ARN?: string;
  ARNPrefix?: string;
}

/**
 * What a service says about one event of a call before it runs, so that the
 * record exists whether the call succeeds or is refused.
 */
export interface EventDraft {
  eventSource: string;
  eventName: string;
  awsRegion: string;
  readOnly: boolean;
  category: 'Data' | 'Management';
  resources?: EventResource[];
  requestParameters: Record<string, unknown> | null;
  /** The account that owns the resource and receives the event. */
  recipientAccountId: string;
  apiVersion?: string;
}

/** The caller side of an event, and what the call answered. */
export interface EventOrigin {
  identity: Identity;
  time: number;
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** The Host header the client sent. */
  host: string;
  /** What AWS logs of a successful answer; null for most calls. */
  responseElements?: Record<string, unknown> | null;
}

/** CloudTrail's spelling of API members in records: `TrailARN` → `trailARN`, at every depth. */
export function camelCaseKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key[0].toLowerCase() + key.slice(1),
      camelCaseKeys(member),
    ]),
  );
}

/** CloudTrail's record version, and the TLS session it reports for every call (all four services are TLS-only). */
export const EVENT_VERSION = '1.11';
const TLS = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' };

/** One entry of a CloudTrail log file's `Records` array. */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: EventResource[];
  eventType: 'AwsApiCall';
  apiVersion?: string;
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Data' | 'Management';
  tlsDetails: {
    tlsVersion: string;
    cipherSuite: string;
    clientProvidedHostHeader: string;
  };
}

export function userIdentityOf(identity: Identity): Record<string, unknown> {
  const base: Record<string, unknown> = {
    type: identity.type,
    principalId: identity.principalId,
    arn: identity.arn,
    accountId: identity.accountId,
    accessKeyId: identity.accessKeyId,
  };
  if (identity.userName) base.userName = identity.userName;
  if (identity.session) {
    base.sessionContext = {
      sessionIssuer: {
        type: 'Role',
        principalId: identity.session.roleId,
        arn: identity.session.roleArn,
        accountId: identity.accountId,
        userName: identity.session.roleName,
      },
      attributes: {
        creationDate: isoSeconds(identity.session.issuedAt),
        mfaAuthenticated: 'false',
      },
    };
  }
  return base;
}

export function buildRecord(
  draft: EventDraft,
  origin: EventOrigin,
  error?: AwsError,
): CloudTrailRecord {
  // Member order follows AWS's log files, which helps humans diff them.
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentityOf(origin.identity),
    eventTime: isoSeconds(origin.time),
    eventSource: draft.eventSource,
    eventName: draft.eventName,
    awsRegion: draft.awsRegion,
    sourceIPAddress: origin.sourceIp,
    userAgent: origin.userAgent,
    ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
    requestParameters: draft.requestParameters,
    responseElements: error ? null : origin.responseElements ?? null,
    requestID: origin.requestId,
    eventID: uuid(),
    readOnly: draft.readOnly,
    ...(draft.resources ? { resources: draft.resources } : {}),
    eventType: 'AwsApiCall',
    ...(draft.apiVersion ? { apiVersion: draft.apiVersion } : {}),
    managementEvent: draft.category === 'Management',
    recipientAccountId: draft.recipientAccountId,
    eventCategory: draft.category,
    tlsDetails: { ...TLS, clientProvidedHostHeader: origin.host },
  };
  return record;
}
