import { AwsError } from '../../errors';
import { type EventDraft, camelCaseKeys } from '../../events/record';
import type { Identity } from '../../identity';
import { uuid } from '../../ids';
import {
  jsonAuthRefusal,
  jsonError,
  jsonOk,
  readJsonCall,
} from '../../protocols/json';
import {
  type CallContext,
  type IncomingCall,
  type ParsedCall,
  type RefusalKind,
  type ServiceHandler,
  accessDeniedMessage,
} from '../types';
import { findTrailKey } from './model';
import { OPERATIONS } from './operations';

/** Operations whose IAM resource is the alias itself (and its target key). */
const ALIAS_OPERATIONS = new Set(['CreateAlias', 'DeleteAlias', 'UpdateAlias']);

export const KMS_TARGET_PREFIX = 'TrentService.';

interface KmsCall extends ParsedCall {
  input: Record<string, any>;
}

const READ_ONLY = /^(Describe|Get|List)/;

/** AWS KMS (JSON 1.1, `X-Amz-Target: TrentService.<Operation>`). */
export const kmsService: ServiceHandler<KmsCall> = {
  service: 'kms',
  newRequestId: uuid,

  parse(incoming: IncomingCall): KmsCall {
    const { operation, input } = readJsonCall(incoming);
    if (!OPERATIONS[operation]) {
      throw new AwsError(
        'UnsupportedOperationException',
        `The emulator does not implement kms:${operation}.`,
      );
    }
    const keyId = input.KeyId ?? input.TargetKeyId;
    return {
      operation,
      action: `kms:${operation}`,
      resource:
        typeof keyId === 'string' && keyId.startsWith('arn:')
          ? keyId
          : undefined,
      input,
    };
  },

  resourceArn(call, { region, accountId, world }) {
    const keyId = call.input.KeyId ?? call.input.TargetKeyId;
    // IAM judges the key an alias points to, except for the alias operations.
    if (
      world &&
      typeof keyId === 'string' &&
      /^(?:arn:[^:]+:kms:[^:]*:\d{12}:)?alias\//.test(keyId) &&
      !ALIAS_OPERATIONS.has(call.operation)
    ) {
      const key = findTrailKey(world, keyId, { region, accountId });
      if (key) return key.arn;
    }
    if (call.resource) return call.resource;
    if (typeof keyId !== 'string') return '*';
    // An alias names the key it points to; IAM judges the alias itself only
    // for the alias operations.
    const kind = keyId.startsWith('alias/') ? '' : 'key/';
    return `arn:aws:kms:${region}:${accountId}:${kind}${keyId}`;
  },

  /** `aws:RequestTag/<key>` of the tags a call puts on a key. */
  conditionKeys(call: KmsCall): Record<string, string> {
    const tags = call.input.Tags;
    if (!Array.isArray(tags)) return {};
    return Object.fromEntries(
      tags
        .filter(
          tag =>
            typeof tag?.TagKey === 'string' &&
            typeof tag?.TagValue === 'string',
        )
        .map(tag => [`aws:RequestTag/${tag.TagKey}`, tag.TagValue]),
    );
  },

  refusal(kind: RefusalKind, call: KmsCall | undefined, identity?: Identity) {
    const authRefusal = jsonAuthRefusal(kind);
    if (authRefusal) return authRefusal;
    if (kind === 'throttled') {
      return new AwsError('ThrottlingException', 'Rate exceeded', 400);
    }
    return new AwsError(
      'AccessDeniedException',
      accessDeniedMessage(identity, call?.action ?? 'kms:*', call?.resource),
      400,
    );
  },

  events(call: KmsCall, ctx: CallContext): EventDraft[] {
    const { Policy: _policy, ...parameters } = call.input;
    return [
      {
        eventSource: 'kms.amazonaws.com',
        eventName: call.operation,
        awsRegion: ctx.region,
        readOnly: READ_ONLY.test(call.operation),
        category: 'Management',
        requestParameters: camelCaseKeys(parameters),
        recipientAccountId: ctx.identity.accountId,
      },
    ];
  },

  handle(call: KmsCall, ctx: CallContext) {
    return jsonOk(
      '1.1',
      ctx.requestId,
      OPERATIONS[call.operation](call.input, ctx),
    );
  },

  errorResult(error: AwsError, requestId: string) {
    return jsonError('1.1', requestId, error);
  },
};
