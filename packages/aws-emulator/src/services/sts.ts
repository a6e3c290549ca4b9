import { AwsError } from '../errors';
import { type EventDraft, camelCaseKeys } from '../events/record';
import type { HttpResult } from '../http';
import { type Identity, parseRoleArn, roleSession } from '../identity';
import { secretKey, sessionAccessKeyId, sessionToken, uuid } from '../ids';
import {
  queryAuthRefusal,
  queryError,
  queryOk,
  queryParameters,
} from '../protocols/query';
import { parseXml } from '../xml';
import {
  type CallContext,
  type IncomingCall,
  type ParsedCall,
  type RefusalKind,
  type ServiceHandler,
  accessDeniedMessage,
} from './types';

interface StsCall extends ParsedCall {
  params: URLSearchParams;
}

const OPERATIONS = ['GetCallerIdentity', 'AssumeRole'];

const validationError = (message: string) =>
  new AwsError('ValidationError', message, 400);

function userId(identity: Identity): string {
  if (identity.type === 'Root') return identity.accountId;
  return identity.principalId;
}

function assumeRole(call: StsCall, ctx: CallContext) {
  const roleArn = call.params.get('RoleArn');
  const sessionName = call.params.get('RoleSessionName');
  if (!roleArn) {
    throw validationError(
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!parseRoleArn(roleArn)) {
    throw validationError(`${roleArn} is invalid`);
  }
  if (!sessionName || !/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw validationError(
      `1 validation error detected: Value '${
        sessionName ?? 'null'
      }' at 'roleSessionName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64',
    );
  }
  const duration = Number(call.params.get('DurationSeconds') ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw validationError(
      `1 validation error detected: Value '${call.params.get(
        'DurationSeconds',
      )}' at 'durationSeconds' failed to satisfy constraint: ` +
        'Member must have value between 900 and 43200',
    );
  }
  if (ctx.faults.isRoleDenied(roleArn)) {
    throw new AwsError(
      'AccessDenied',
      `User: ${ctx.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  }
  const session = roleSession(roleArn, sessionName, ctx.time, duration * 1000);
  const accessKeyId = sessionAccessKeyId();
  ctx.world.sessions.set(accessKeyId, session);
  const accountId = parseRoleArn(roleArn)!.accountId;
  return queryOk(
    'AssumeRole',
    {
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: secretKey(),
        SessionToken: sessionToken(),
        Expiration: new Date(session.expiresAt).toISOString(),
      },
      AssumedRoleUser: {
        AssumedRoleId: `${session.roleId}:${sessionName}`,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${session.roleName}/${sessionName}`,
      },
    },
    ctx.requestId,
  );
}

export const stsService: ServiceHandler<StsCall> = {
  service: 'sts',
  newRequestId: uuid,

  parse(incoming: IncomingCall): StsCall {
    const params = queryParameters(
      incoming.method,
      incoming.body,
      incoming.query,
    );
    const action = params.get('Action');
    if (!action || !OPERATIONS.includes(action)) {
      throw new AwsError(
        'InvalidAction',
        `Could not find operation ${action ?? ''} for version ${
          params.get('Version') ?? 'NO_VERSION_SPECIFIED'
        }`,
        400,
      );
    }
    return {
      operation: action,
      action: `sts:${action}`,
      resource:
        action === 'AssumeRole'
          ? params.get('RoleArn') ?? undefined
          : undefined,
      params,
    };
  },

  resourceArn: call => call.resource ?? '*',

  conditionKeys(call: StsCall): Record<string, string> {
    const externalId = call.params.get('ExternalId');
    return externalId ? { 'sts:ExternalId': externalId } : {};
  },

  refusal(kind: RefusalKind, call: StsCall | undefined, identity?: Identity) {
    return (
      queryAuthRefusal(kind) ??
      new AwsError(
        'AccessDenied',
        accessDeniedMessage(identity, call?.action ?? 'sts:*', call?.resource),
        403,
      )
    );
  },

  events(call: StsCall, ctx: CallContext): EventDraft[] {
    if (call.operation !== 'AssumeRole') return [];
    const roleArn = call.params.get('RoleArn') ?? '';
    const roleAccount =
      parseRoleArn(roleArn)?.accountId ?? ctx.identity.accountId;
    return [
      {
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        awsRegion: ctx.region,
        readOnly: true,
        category: 'Management',
        resources: [
          { accountId: roleAccount, type: 'AWS::IAM::Role', ARN: roleArn },
        ],
        requestParameters: {
          roleArn,
          roleSessionName: call.params.get('RoleSessionName'),
          durationSeconds: Number(call.params.get('DurationSeconds') ?? 3600),
        },
        recipientAccountId: roleAccount,
      },
    ];
  },

  handle(call: StsCall, ctx: CallContext) {
    if (call.operation === 'AssumeRole') return assumeRole(call, ctx);
    return queryOk(
      'GetCallerIdentity',
      {
        UserId: userId(ctx.identity),
        Account: ctx.identity.accountId,
        Arn: ctx.identity.arn,
      },
      ctx.requestId,
    );
  },

  /** AssumeRole's credentials without the secret, as CloudTrail logs them. */
  responseElements(call: StsCall, result: HttpResult) {
    if (call.operation !== 'AssumeRole') return null;
    const answer = parseXml(String(result.body))?.AssumeRoleResponse
      ?.AssumeRoleResult;
    if (!answer) return null;
    const { SecretAccessKey: _secret, ...credentials } = answer.Credentials;
    return camelCaseKeys({
      Credentials: credentials,
      AssumedRoleUser: answer.AssumedRoleUser,
    });
  },

  errorResult(error: AwsError, requestId: string) {
    return queryError(error, requestId);
  },
};
