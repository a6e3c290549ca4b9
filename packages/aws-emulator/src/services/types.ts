import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from '../errors';
import type { EventDraft } from '../events/record';
import type { HttpResult } from '../http';
import type { Faults } from '../faults';
import type { Identity } from '../identity';
import type { World } from '../world';

export type ServiceName =
  | 'cloudtrail'
  | 's3'
  | 'sts'
  | 'dynamodb'
  | 'kms'
  | 'cloudwatch'
  | 'athena'
  | 'glue';

/** A request as it came off the wire, before the service is known to like it. */
export interface IncomingCall {
  method: string;
  /** Path as sent, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  userAgent: string;
}

/** A request the service understood: which API, and which IAM action it needs. */
export interface ParsedCall {
  operation: string;
  /** IAM-style action, e.g. `cloudtrail:DescribeTrails`. */
  action: string;
  /** ARN of the resource acted on, when there is one (for AccessDenied messages). */
  resource?: string;
}

export interface CallContext {
  requestId: string;
  region: string;
  identity: Identity;
  /** Emulated time of the call. */
  time: number;
  incoming: IncomingCall;
  world: World;
  faults: Faults;
  /**
   * Records a call the service makes with the caller's permissions after
   * answering (Athena reading the Glue catalog and S3 while a query runs), so
   * the call log shows what the caller's policy must allow.
   */
  onBehalf?(action: string, resource: string): void;
}

export type RefusalKind =
  | 'missingAuth'
  | 'malformedAuth'
  | 'expiredToken'
  | 'accessDenied'
  | 'throttled';

export interface ServiceHandler<C extends ParsedCall = ParsedCall> {
  readonly service: ServiceName;
  newRequestId(): string;
  /** Names the operation; throws an AwsError for requests the service cannot read. */
  parse(incoming: IncomingCall): C;
  /** The error AWS answers with when it refuses before running the operation. */
  refusal(
    kind: RefusalKind,
    call: C | undefined,
    identity?: Identity,
  ): AwsError;
  /**
   * The IAM resource the call acts on, as an identity policy's `Resource`
   * must name it; `*` for actions that take no resource (e.g. ListTables).
   */
  resourceArn(
    call: C,
    where: { region: string; accountId: string; world?: World },
  ): string;
  /** Request-specific IAM condition keys of the call, e.g. `sts:ExternalId`. */
  conditionKeys?(call: C): Record<string, string>;
  /**
   * Calls the service makes to another one with the caller's permissions
   * while answering (e.g. S3 asks KMS to decrypt an SSE-KMS object), which
   * the caller's policy must therefore allow too.
   */
  callsOnBehalf?(
    call: C,
    result: HttpResult,
    where: { region: string; accountId: string },
  ): { action: string; resource: string }[];
  /** CloudTrail events of the call, known before it runs so refusals are recorded too. */
  events?(call: C, ctx: CallContext): EventDraft[];
  handle(call: C, ctx: CallContext): Promise<HttpResult> | HttpResult;
  /**
   * What the service publishes to CloudWatch about a call it served (its
   * events, its outcome and how long it took), internal calls included.
   */
  publishMetrics?(
    call: C,
    ctx: CallContext,
    served: { events: EventDraft[]; error?: AwsError; latencyMs: number },
  ): void;
  /** What CloudTrail logs of a successful answer (`responseElements`); none means null. */
  responseElements?(
    call: C,
    result: HttpResult,
  ): Record<string, unknown> | null;
  errorResult(
    error: AwsError,
    requestId: string,
    incoming: IncomingCall,
  ): HttpResult;
}

export function accessDeniedMessage(
  identity: Identity | undefined,
  action: string,
  resource: string | undefined,
): string {
  const who = identity ? identity.arn : 'anonymous';
  const on = resource ? ` on resource: ${resource}` : '';
  return `User: ${who} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`;
}
