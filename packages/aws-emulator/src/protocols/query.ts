import { AwsError } from '../errors';
import type { RefusalKind } from '../services/types';
import type { HttpResult } from '../http';
import { xmlDocument, type XmlValue } from '../xml';

/** AWS Query protocol (STS, CloudWatch): form-encoded `Action=…&Version=…`, XML answers. */
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function queryOk(
  action: string,
  result: Record<string, XmlValue>,
  requestId: string,
  namespace: string = STS_NS,
): HttpResult {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: xmlDocument(
      `${action}Response`,
      {
        [`${action}Result`]: result,
        ResponseMetadata: { RequestId: requestId },
      },
      namespace,
    ),
  };
}

export function queryError(
  error: AwsError,
  requestId: string,
  namespace: string = STS_NS,
): HttpResult {
  return {
    status: error.status,
    headers: {
      'content-type': 'text/xml',
      'x-amzn-requestid': requestId,
      ...error.headers,
    },
    body: xmlDocument(
      'ErrorResponse',
      {
        Error: {
          Type: error.fault,
          Code: error.code,
          Message: error.message,
        },
        RequestId: requestId,
      },
      namespace,
    ),
  };
}

/** Parameters of a Query request: form body for POST, query string for GET. */
export function queryParameters(
  method: string,
  body: Buffer,
  query: URLSearchParams,
): URLSearchParams {
  if (method === 'POST') return new URLSearchParams(body.toString('utf8'));
  return query;
}

/**
 * A Query request's parameters as the structure they flatten: `A.member.1.B`
 * becomes `{ A: [{ B }] }`. Every leaf stays a string; `Action` and `Version`
 * are left out.
 */
export function queryStructure(params: URLSearchParams): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const steps: Array<string | number> = [];
    const parts = key.split('.');
    for (let i = 0; i < parts.length; i++) {
      const index = Number(parts[i + 1]);
      if (parts[i] === 'member' && Number.isInteger(index) && index >= 1) {
        steps.push(index - 1);
        i++;
      } else {
        steps.push(parts[i]);
      }
    }
    let node: any = root;
    steps.forEach((step, i) => {
      if (i === steps.length - 1) {
        node[step] = value;
        return;
      }
      const nextIsIndex = typeof steps[i + 1] === 'number';
      if (node[step] === undefined || typeof node[step] !== 'object') {
        node[step] = nextIsIndex ? [] : {};
      }
      node = node[step];
    });
  }
  return compactLists(root);
}

/** Drops the holes a list numbered from other than 1 would leave. */
function compactLists(value: any): any {
  if (Array.isArray(value))
    return value.filter(v => v !== undefined).map(compactLists);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, compactLists(v)]),
    );
  }
  return value;
}

/**
 * How the Query-protocol services (STS, CloudWatch) refuse a request before
 * running it; undefined for access denied, which each words itself.
 */
export function queryAuthRefusal(kind: RefusalKind): AwsError | undefined {
  switch (kind) {
    case 'missingAuth':
      return new AwsError(
        'MissingAuthenticationToken',
        'Request is missing Authentication Token',
        403,
      );
    case 'malformedAuth':
      return new AwsError(
        'IncompleteSignature',
        'Authorization header is malformed.',
        400,
      );
    case 'expiredToken':
      return new AwsError(
        'ExpiredToken',
        'The security token included in the request is expired',
        403,
      );
    case 'throttled':
      return new AwsError('Throttling', 'Rate exceeded', 400);
    default:
      return undefined;
  }
}
