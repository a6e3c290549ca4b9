import type { IncomingMessage, ServerResponse } from 'node:http';
import { type SignatureScope, readSignatureScope } from './auth';
import type { CallLog } from './callLog';
import { AwsError, toAwsError } from './errors';
import { captureRecord } from './events/capture';
import { type EventOrigin, buildRecord } from './events/record';
import type { Faults } from './faults';
import { type HttpResult, readBody, writeResult } from './http';
import type { Identity } from './identity';
import { uuid } from './ids';
import { jsonError } from './protocols/json';
import { rememberEvent } from './services/cloudtrail/eventHistory';
import {
  CLOUDTRAIL_TARGET_PREFIXES,
  cloudTrailService,
} from './services/cloudtrail';
import { ATHENA_TARGET_PREFIX, athenaService } from './services/athena';
import { DYNAMODB_TARGET_PREFIX, dynamoDbService } from './services/dynamodb';
import { GLUE_TARGET_PREFIX, glueService } from './services/glue';
import { KMS_TARGET_PREFIX, kmsService } from './services/kms';
import {
  CLOUDWATCH_TARGET_PREFIX,
  CLOUDWATCH_VERSION,
  cloudWatchService,
} from './services/cloudwatch';
import { s3Service } from './services/s3';
import { stsService } from './services/sts';
import type {
  CallContext,
  IncomingCall,
  ParsedCall,
  ServiceHandler,
  ServiceName,
} from './services/types';
import type { World } from './world';

export interface Environment {
  world: World;
  faults: Faults;
  calls: CallLog;
}

/** A call made from inside the emulator (seeds, background traffic): no auth, faults or call log. */
export interface InternalCaller {
  identity: Identity;
  region: string;
  time?: number;
}

type AnyHandler = ServiceHandler<ParsedCall>;

function isStsQuery(incoming: IncomingCall): boolean {
  if (incoming.path !== '/' && incoming.path !== '') return false;
  const params =
    incoming.method === 'POST'
      ? new URLSearchParams(incoming.body.toString('utf8'))
      : incoming.query;
  return (
    params.get('Version') === '2011-06-15' ||
    (params.has('Action') && incoming.method === 'POST')
  );
}

function isCloudWatchQuery(incoming: IncomingCall): boolean {
  if (incoming.path !== '/' && incoming.path !== '') return false;
  const params =
    incoming.method === 'POST'
      ? new URLSearchParams(incoming.body.toString('utf8'))
      : incoming.query;
  return params.get('Version') === CLOUDWATCH_VERSION;
}

/** JSON protocols name the service in X-Amz-Target; Query and S3 are told apart by shape. */
function pickService(
  incoming: IncomingCall,
  scope: SignatureScope | undefined,
): AnyHandler | undefined {
  const target = incoming.headers['x-amz-target'];
  if (typeof target === 'string') {
    if (target.startsWith(DYNAMODB_TARGET_PREFIX))
      return dynamoDbService as AnyHandler;
    if (CLOUDTRAIL_TARGET_PREFIXES.some(prefix => target.startsWith(prefix))) {
      return cloudTrailService as AnyHandler;
    }
    if (target.startsWith(KMS_TARGET_PREFIX)) return kmsService as AnyHandler;
    if (target.startsWith(CLOUDWATCH_TARGET_PREFIX))
      return cloudWatchService as AnyHandler;
    if (target.startsWith(ATHENA_TARGET_PREFIX))
      return athenaService as AnyHandler;
    if (target.startsWith(GLUE_TARGET_PREFIX)) return glueService as AnyHandler;
    return undefined;
  }
  if (scope?.service === 'monitoring' || isCloudWatchQuery(incoming))
    return cloudWatchService as AnyHandler;
  if (scope?.service === 'sts' || isStsQuery(incoming))
    return stsService as AnyHandler;
  if (scope?.service === 'cloudtrail') return cloudTrailService as AnyHandler;
  if (scope?.service === 'dynamodb') return dynamoDbService as AnyHandler;
  return s3Service as AnyHandler;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Runs one AWS call through the pipeline AWS applies: route by protocol,
 * authenticate, apply injected faults, run the operation, then record the
 * CloudTrail events of the call (success or failure) and log the call.
 */
export async function dispatch(
  env: Environment,
  incoming: IncomingCall,
  internal?: InternalCaller,
): Promise<HttpResult> {
  const scopeOrProblem = internal
    ? undefined
    : readSignatureScope(incoming.headers, incoming.query);
  const scope = typeof scopeOrProblem === 'object' ? scopeOrProblem : undefined;
  const handler = pickService(incoming, scope);
  if (!handler) {
    const error = new AwsError(
      'UnknownOperationException',
      `The emulator does not serve ${String(
        incoming.headers['x-amz-target'],
      )}.`,
    );
    return jsonError('1.1', uuid(), error);
  }
  const requestId = handler.newRequestId();
  const time = internal?.time ?? env.world.clock.now();
  const log = (
    call: ParsedCall | undefined,
    result: HttpResult,
    outcome: string,
    identity?: Identity,
    region?: string,
  ) => {
    if (internal) return;
    env.calls.add({
      time,
      accountId: identity?.accountId,
      principalArn: identity?.arn,
      region: region ?? scope?.region,
      service: handler.service,
      action: call?.action ?? `${handler.service}:Unknown`,
      operation: call?.operation ?? 'Unknown',
      ...(call && handler.conditionKeys
        ? { conditionKeys: handler.conditionKeys(call) }
        : {}),
      resource:
        call && identity
          ? handler.resourceArn(call, {
              region: region ?? scope?.region ?? '',
              accountId: identity.accountId,
              world: env.world,
            })
          : call?.resource,
      outcome,
      httpStatus: result.status,
      requestId,
    });
  };
  const refuse = (error: AwsError, call?: ParsedCall, identity?: Identity) => {
    const result = handler.errorResult(error, requestId, incoming);
    log(call, result, error.code, identity);
    return result;
  };

  let call: ParsedCall;
  try {
    call = handler.parse(incoming);
  } catch (error) {
    return refuse(toAwsError(error));
  }

  let identity: Identity;
  let region: string;
  if (internal) {
    identity = internal.identity;
    region = internal.region;
  } else {
    if (scopeOrProblem === undefined)
      return refuse(handler.refusal('missingAuth', call), call);
    if (scopeOrProblem === 'malformed')
      return refuse(handler.refusal('malformedAuth', call), call);
    const resolved = env.world.resolveAccessKey(scopeOrProblem.accessKeyId);
    if (resolved === 'expired')
      return refuse(handler.refusal('expiredToken', call), call);
    identity = resolved;
    region = scopeOrProblem.region;
  }

  const ctx: CallContext = {
    requestId,
    region,
    identity,
    time,
    incoming,
    world: env.world,
    faults: env.faults,
    ...(internal
      ? {}
      : {
          onBehalf: (action: string, resource: string) =>
            env.calls.add({
              time: env.world.clock.now(),
              accountId: identity.accountId,
              principalArn: identity.arn,
              region,
              service: action.split(':')[0] as ServiceName,
              action,
              operation: action.split(':')[1],
              resource,
              invokedBy: `${handler.service}.amazonaws.com`,
              outcome: 'success',
              httpStatus: 200,
              requestId,
            }),
        }),
  };
  const drafts = handler.events?.(call, ctx) ?? [];
  let result: HttpResult;
  let error: AwsError | undefined;
  const started = performance.now();
  try {
    if (!internal) {
      const latency = env.faults.latencyFor(call.action);
      if (latency > 0) await sleep(latency);
      if (env.faults.isDenied(identity, call.action)) {
        throw handler.refusal('accessDenied', call, identity);
      }
      if (env.faults.shouldThrottle(call.action)) {
        throw handler.refusal('throttled', call, identity);
      }
    }
    result = await handler.handle(call, ctx);
  } catch (thrown) {
    error = toAwsError(thrown);
    result = handler.errorResult(error, requestId, incoming);
  }
  handler.publishMetrics?.(call, ctx, {
    events: drafts,
    error,
    latencyMs: performance.now() - started,
  });
  const origin: EventOrigin = {
    identity,
    time,
    requestId,
    sourceIp: incoming.sourceIp,
    userAgent: incoming.userAgent,
    host: String(
      incoming.headers.host ?? `${handler.service}.${region}.amazonaws.com`,
    ),
    responseElements: error
      ? null
      : handler.responseElements?.(call, result) ?? null,
  };
  for (const draft of drafts) {
    const record = buildRecord(draft, origin, error);
    captureRecord(env.world, record);
    rememberEvent(env.world, record);
  }
  log(call, result, error ? error.code : 'success', identity, region);
  if (!internal && !error) {
    const where = { region, accountId: identity.accountId };
    for (const onBehalf of handler.callsOnBehalf?.(call, result, where) ?? []) {
      const [service, operation] = onBehalf.action.split(':');
      env.calls.add({
        time,
        accountId: identity.accountId,
        principalArn: identity.arn,
        region,
        service: service as ServiceName,
        action: onBehalf.action,
        operation,
        resource: onBehalf.resource,
        invokedBy: `${handler.service}.amazonaws.com`,
        outcome: 'success',
        httpStatus: 200,
        requestId,
      });
    }
  }
  return result;
}

/** Splits `req.url` by hand: WHATWG URL parsing would rewrite S3 keys holding `.` segments. */
export function toIncomingCall(
  req: IncomingMessage,
  body: Buffer,
): IncomingCall {
  const raw = req.url ?? '/';
  const mark = raw.indexOf('?');
  const remote = req.socket.remoteAddress ?? '127.0.0.1';
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: mark < 0 ? raw : raw.slice(0, mark),
    query: new URLSearchParams(mark < 0 ? '' : raw.slice(mark + 1)),
    headers: req.headers,
    body,
    sourceIp: remote.replace(/^::ffff:/, ''),
    userAgent: String(req.headers['user-agent'] ?? ''),
  };
}

export type AdminHandler = (
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
) => Promise<HttpResult>;

export function createRequestListener(env: Environment, admin: AdminHandler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const respond = async () => {
      const body = await readBody(req);
      const incoming = toIncomingCall(req, body);
      const result = incoming.path.startsWith('/_emulator/')
        ? await admin(incoming.method, incoming.path, incoming.query, body)
        : await dispatch(env, incoming);
      writeResult(res, result, incoming.method === 'HEAD');
    };
    respond().catch(error => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
      }
      res.end(String(error?.stack ?? error));
    });
  };
}
