import type { Identity } from '../../identity';
import type { World } from '../../world';
import type { Bucket } from './buckets';

/** An S3 call after routing: which bucket and key, and what the caller wants. */
export interface S3Call {
  operation: string;
  action: string;
  resource?: string;
  bucketName?: string;
  key?: string;
}

export interface S3Context {
  world: World;
  identity: Identity;
  region: string;
  requestId: string;
  time: number;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  body: Buffer;
}

export interface ResolvedS3Context extends S3Context {
  bucket: Bucket;
}

/**
 * Decodes `aws-chunked` bodies (`<hex size>[;chunk-signature=…]\r\n<data>\r\n…0\r\n`)
 * that the SDK sends for streamed uploads with trailing checksums.
 */
export function decodeBody(
  headers: S3Context['headers'],
  body: Buffer,
): Buffer {
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  const encoding = String(headers['content-encoding'] ?? '');
  if (!sha.startsWith('STREAMING-') && !encoding.includes('aws-chunked'))
    return body;
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(
      body.subarray(offset, lineEnd).toString('latin1').split(';')[0],
      16,
    );
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
