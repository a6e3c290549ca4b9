import { AwsError } from '../errors';
import type { HttpResult } from '../http';
import type { RefusalKind } from '../services/types';

/** AWS JSON 1.0 (DynamoDB) and 1.1 (CloudTrail): POST /, X-Amz-Target names the operation. */
export type JsonVersion = '1.0' | '1.1';

export function jsonOk(
  version: JsonVersion,
  requestId: string,
  body: unknown,
): HttpResult {
  return {
    status: 200,
    headers: {
      'content-type': `application/x-amz-json-${version}`,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify(body ?? {}),
  };
}

/**
 * The error body AWS JSON services send. `typeName` may carry a namespace
 * (`com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`); the SDK keeps
 * the part after `#` and raises the class of that name.
 */
export function jsonError(
  version: JsonVersion,
  requestId: string,
  error: AwsError,
  typeName: string = error.code,
): HttpResult {
  return {
    status: error.status,
    headers: {
      'content-type': `application/x-amz-json-${version}`,
      'x-amzn-requestid': requestId,
      ...error.headers,
    },
    body: JSON.stringify({
      __type: typeName,
      message: error.message,
      ...error.fields,
    }),
  };
}

/** The operation named by `X-Amz-Target: <Prefix>.<Operation>`. */
export function targetOperation(
  target: string | undefined,
): string | undefined {
  if (!target) return undefined;
  const dot = target.lastIndexOf('.');
  return dot >= 0 ? target.slice(dot + 1) : undefined;
}

/**
 * How the JSON-protocol services (CloudTrail, DynamoDB) refuse a request whose
 * credentials they cannot accept; undefined for refusals each service words
 * itself (throttling, access denied).
 */
export function jsonAuthRefusal(kind: RefusalKind): AwsError | undefined {
  switch (kind) {
    case 'missingAuth':
      return new AwsError(
        'MissingAuthenticationTokenException',
        'Request is missing Authentication Token',
        403,
      );
    case 'malformedAuth':
      return new AwsError(
        'IncompleteSignatureException',
        'Authorization header is malformed.',
        400,
      );
    case 'expiredToken':
      return new AwsError(
        'ExpiredTokenException',
        'The security token included in the request is expired',
        400,
      );
    default:
      return undefined;
  }
}

/**
 * The operation named by `X-Amz-Target` and the JSON object body of a call;
 * throws the errors JSON services answer for a missing target or a body that
 * is not a JSON object.
 */
export function readJsonCall(incoming: {
  headers: Record<string, unknown>;
  body: Buffer;
}): { operation: string; input: Record<string, any> } {
  const operation = targetOperation(incoming.headers['x-amz-target'] as string);
  if (!operation) {
    throw new AwsError(
      'UnknownOperationException',
      'Missing X-Amz-Target header.',
    );
  }
  let input: unknown;
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
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new AwsError('SerializationException', 'Expected a JSON object.');
  }
  return { operation, input: input as Record<string, any> };
}
