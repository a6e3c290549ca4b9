import type { AwsError } from '../errors';
import type { HttpResult } from '../http';
import { xmlDocument, type XmlValue } from '../xml';

/** AWS Query protocol (STS): form-encoded `Action=…&Version=…`, XML answers. */
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function queryOk(
  action: string,
  result: Record<string, XmlValue>,
  requestId: string,
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
      STS_NS,
    ),
  };
}

export function queryError(error: AwsError, requestId: string): HttpResult {
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
      STS_NS,
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
