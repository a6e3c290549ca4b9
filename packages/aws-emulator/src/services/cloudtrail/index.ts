import { AwsError } from '../../errors';
import { type EventDraft, camelCaseKeys } from '../../events/record';
import type { HttpResult } from '../../http';
import { uuid } from '../../ids';
import {
  jsonAuthRefusal,
  jsonError,
  jsonOk,
  targetOperation,
} from '../../protocols/json';
import type { Identity } from '../../identity';
import {
  type CallContext,
  type IncomingCall,
  type ParsedCall,
  type RefusalKind,
  type ServiceHandler,
  accessDeniedMessage,
} from '../types';
import { OPERATIONS } from './operations';
import { trailArn } from './model';

export const CLOUDTRAIL_TARGET_PREFIXES = [
  'CloudTrail_20131101.',
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.',
];

interface CloudTrailCall extends ParsedCall {
  input: Record<string, any>;
}

const READ_ONLY = /^(Describe|Get|List|Lookup)/;

/** Parameter naming the trail of an operation, for IAM resource ARNs. */
function trailParameter(input: Record<string, any>): unknown {
  return (
    input.Name ??
    input.TrailName ??
    input.ResourceId ??
    (Array.isArray(input.ResourceIdList) ? input.ResourceIdList[0] : undefined)
  );
}

/** Operations whose answer CloudTrail logs as `responseElements`. */
const LOGS_RESPONSE = [
  'CreateTrail',
  'UpdateTrail',
  'PutEventSelectors',
  'PutInsightSelectors',
];

export const cloudTrailService: ServiceHandler<CloudTrailCall> = {
  service: 'cloudtrail',
  newRequestId: uuid,

  parse(incoming: IncomingCall): CloudTrailCall {
    const operation = targetOperation(
      incoming.headers['x-amz-target'] as string,
    );
    if (!operation) {
      throw new AwsError(
        'UnknownOperationException',
        'Missing X-Amz-Target header.',
      );
    }
    let input: Record<string, any>;
    try {
      input = incoming.body.length
        ? JSON.parse(incoming.body.toString('utf8'))
        : {};
    } catch {
      throw new AwsError(
        'SerializationException',
        'Request body is not valid JSON.',
      );
    }
    if (!OPERATIONS[operation]) {
      throw new AwsError(
        'UnsupportedOperationException',
        `The emulator does not implement cloudtrail:${operation}.`,
      );
    }
    const named = trailParameter(input);
    return {
      operation,
      action: `cloudtrail:${operation}`,
      resource:
        typeof named === 'string' && named.startsWith('arn:')
          ? named
          : undefined,
      input: input ?? {},
    };
  },

  resourceArn(call, { region, accountId }) {
    const named = trailParameter(call.input);
    if (typeof named !== 'string' || named === '') return '*';
    return named.startsWith('arn:')
      ? named
      : trailArn(region, accountId, named);
  },

  refusal(
    kind: RefusalKind,
    call: CloudTrailCall | undefined,
    identity?: Identity,
  ) {
    const authRefusal = jsonAuthRefusal(kind);
    if (authRefusal) return authRefusal;
    switch (kind) {
      case 'throttled':
        return new AwsError('ThrottlingException', 'Rate exceeded', 400);
      default: {
        const named = call ? trailParameter(call.input) : undefined;
        const resource =
          call?.resource ??
          (typeof named === 'string' && identity
            ? trailArn('*', identity.accountId, named)
            : undefined);
        return new AwsError(
          'AccessDeniedException',
          accessDeniedMessage(
            identity,
            call?.action ?? 'cloudtrail:*',
            resource,
          ),
          400,
        );
      }
    }
  },

  events(call: CloudTrailCall, ctx: CallContext): EventDraft[] {
    return [
      {
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: call.operation,
        awsRegion: ctx.region,
        readOnly: READ_ONLY.test(call.operation),
        category: 'Management',
        requestParameters: camelCaseKeys(call.input),
        recipientAccountId: ctx.identity.accountId,
      },
    ];
  },

  handle(call: CloudTrailCall, ctx: CallContext) {
    return jsonOk(
      '1.1',
      ctx.requestId,
      OPERATIONS[call.operation](call.input, ctx),
    );
  },

  responseElements(call: CloudTrailCall, result: HttpResult) {
    return LOGS_RESPONSE.includes(call.operation)
      ? camelCaseKeys(JSON.parse(String(result.body)))
      : null;
  },

  errorResult(error: AwsError, requestId: string) {
    return jsonError('1.1', requestId, error);
  },
};
