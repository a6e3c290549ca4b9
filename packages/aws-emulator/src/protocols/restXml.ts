import { randomBytes } from 'node:crypto';
import type { AwsError } from '../errors';
import type { HttpResult } from '../http';
import { xmlDocument, type XmlValue } from '../xml';

/** S3's REST-XML protocol. */
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function s3Headers(requestId: string): Record<string, string> {
  return {
    'x-amz-request-id': requestId,
    'x-amz-id-2': randomBytes(24).toString('base64'),
  };
}

export function s3Xml(
  requestId: string,
  root: string,
  value: Record<string, XmlValue>,
  extraHeaders: Record<string, string> = {},
): HttpResult {
  return {
    status: 200,
    headers: {
      ...s3Headers(requestId),
      'content-type': 'application/xml',
      ...extraHeaders,
    },
    body: xmlDocument(root, value, S3_NS),
  };
}

export function s3Empty(
  requestId: string,
  status = 200,
  extraHeaders: Record<string, string> = {},
): HttpResult {
  return { status, headers: { ...s3Headers(requestId), ...extraHeaders } };
}

/** `<Error><Code>…` — HEAD answers carry only the status, as on AWS. */
export function s3Error(
  error: AwsError,
  requestId: string,
  isHead: boolean,
): HttpResult {
  const headers = { ...s3Headers(requestId), ...error.headers };
  if (isHead) return { status: error.status, headers };
  const fields: Record<string, XmlValue> = {};
  for (const [key, value] of Object.entries(error.fields)) {
    fields[key] = value as XmlValue;
  }
  const hostId = headers['x-amz-id-2'];
  return {
    status: error.status,
    headers: { ...headers, 'content-type': 'application/xml' },
    body: xmlDocument('Error', {
      Code: error.code,
      Message: error.message,
      ...fields,
      RequestId: requestId,
      HostId: hostId,
    }),
  };
}
