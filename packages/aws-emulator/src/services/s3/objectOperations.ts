import { AwsError } from '../../errors';
import type { HttpResult } from '../../http';
import { canonicalUserId, uuid } from '../../ids';
import { s3Empty, s3Headers, s3Xml } from '../../protocols/restXml';
import type { XmlValue } from '../../xml';
import { type StoredObject, storeObject } from './buckets';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  listPage,
} from './listing';
import { type ResolvedS3Context, decodeBody } from './request';

/** Object-level S3 operations and listings. */

const MAX_KEY_BYTES = 1024;

function noSuchKey(key: string): AwsError {
  return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, {
    Key: key,
  });
}

function objectHeaders(object: StoredObject): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  if (object.contentEncoding)
    headers['content-encoding'] = object.contentEncoding;
  if (object.versionId) headers['x-amz-version-id'] = object.versionId;
  if (object.serverSideEncryption) {
    headers['x-amz-server-side-encryption'] = object.serverSideEncryption;
  }
  if (object.kmsKeyId)
    headers['x-amz-server-side-encryption-aws-kms-key-id'] = object.kmsKeyId;
  for (const [name, value] of Object.entries(object.metadata)) {
    headers[`x-amz-meta-${name}`] = value;
  }
  return headers;
}

export function putObject(ctx: ResolvedS3Context, key: string): HttpResult {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new AwsError('KeyTooLongError', 'Your key is too long', 400, {
      Size: Buffer.byteLength(key),
    });
  }
  const acl = ctx.headers['x-amz-acl'];
  if (
    ctx.bucket.ownership === 'BucketOwnerEnforced' &&
    acl !== undefined &&
    acl !== 'bucket-owner-full-control'
  ) {
    throw new AwsError(
      'AccessControlListNotSupported',
      'The bucket does not allow ACLs',
    );
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') {
      metadata[name.slice('x-amz-meta-'.length)] = value;
    }
  }
  const object = storeObject(
    ctx.bucket,
    key,
    decodeBody(ctx.headers, ctx.body),
    ctx.time,
    {
      contentType:
        (ctx.headers['content-type'] as string | undefined) ?? undefined,
      contentEncoding:
        (ctx.headers['content-encoding'] as string | undefined)
          ?.split(',')
          .map(s => s.trim())
          .filter(s => s !== 'aws-chunked')
          .join(',') || undefined,
      metadata,
      versionId:
        ctx.bucket.versioning === 'Enabled'
          ? uuid().replace(/-/g, '')
          : undefined,
    },
  );
  const headers: Record<string, string> = { etag: object.etag };
  if (object.versionId) headers['x-amz-version-id'] = object.versionId;
  if (object.serverSideEncryption) {
    headers['x-amz-server-side-encryption'] = object.serverSideEncryption;
  }
  if (object.kmsKeyId)
    headers['x-amz-server-side-encryption-aws-kms-key-id'] = object.kmsKeyId;
  return s3Empty(ctx.requestId, 200, headers);
}

function readObject(ctx: ResolvedS3Context, key: string): StoredObject {
  const object = ctx.bucket.objects.get(key);
  if (!object) throw noSuchKey(key);
  return object;
}

export function getObject(ctx: ResolvedS3Context, key: string): HttpResult {
  const object = readObject(ctx, key);
  const headers = { ...s3Headers(ctx.requestId), ...objectHeaders(object) };
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(ctx.headers.range ?? ''));
  if (range && (range[1] || range[2])) {
    const size = object.body.length;
    let start = range[1]
      ? Number(range[1])
      : Math.max(0, size - Number(range[2]));
    let end =
      range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      throw new AwsError(
        'InvalidRange',
        'The requested range is not satisfiable',
        416,
        {
          RangeRequested: String(ctx.headers.range),
          ActualObjectSize: size,
        },
      );
    }
    start = Math.max(0, start);
    end = Math.max(start, end);
    return {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${start}-${end}/${size}` },
      body: object.body.subarray(start, end + 1),
    };
  }
  return { status: 200, headers, body: object.body };
}

export function headObject(ctx: ResolvedS3Context, key: string): HttpResult {
  const object = readObject(ctx, key);
  return {
    status: 200,
    headers: {
      ...s3Headers(ctx.requestId),
      ...objectHeaders(object),
      'content-length': String(object.body.length),
    },
  };
}

export function deleteObject(ctx: ResolvedS3Context, key: string): HttpResult {
  ctx.bucket.objects.delete(key);
  return s3Empty(ctx.requestId, 204);
}

// ------------------------------------------------------------------ listing

function maxKeys(query: URLSearchParams): number {
  const raw = query.get('max-keys');
  if (raw === null || raw === '') return 1000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    throw new AwsError(
      'InvalidArgument',
      'Provided max-keys not an integer or within integer range',
      400,
      {
        ArgumentName: 'max-keys',
        ArgumentValue: raw,
      },
    );
  }
  return Math.min(value, 1000);
}

function listingEncoder(query: URLSearchParams): (value: string) => string {
  const encoding = query.get('encoding-type');
  if (encoding === null) return value => value;
  if (encoding !== 'url') {
    throw new AwsError(
      'InvalidArgument',
      'Invalid Encoding Method specified in Request',
      400,
      {
        ArgumentName: 'encoding-type',
        ArgumentValue: encoding,
      },
    );
  }
  return value => encodeURIComponent(value).replace(/%2F/g, '/');
}

function contents(
  ctx: ResolvedS3Context,
  keys: string[],
  encode: (value: string) => string,
  withOwner: boolean,
): XmlValue[] {
  const owner = withOwner
    ? { ID: canonicalUserId(ctx.bucket.ownerAccountId) }
    : undefined;
  return keys.map(key => {
    const object = ctx.bucket.objects.get(key)!;
    return {
      Key: encode(key),
      LastModified: new Date(object.lastModified).toISOString(),
      ETag: object.etag,
      Size: object.body.length,
      Owner: owner,
      StorageClass: 'STANDARD',
    };
  });
}

export function listObjectsV2(ctx: ResolvedS3Context): HttpResult {
  const { query } = ctx;
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') || undefined;
  const startAfter = query.get('start-after') || undefined;
  const token = query.get('continuation-token');
  const limit = maxKeys(query);
  const encode = listingEncoder(query);
  let resume: ReturnType<typeof decodeContinuationToken>;
  if (token !== null) {
    resume = decodeContinuationToken(token);
    if (!resume) {
      throw new AwsError(
        'InvalidArgument',
        'The continuation token provided is incorrect',
        400,
        {
          ArgumentName: 'continuation-token',
          ArgumentValue: token,
        },
      );
    }
  }
  const page = listPage(ctx.bucket.objects, {
    prefix,
    delimiter,
    maxKeys: limit,
    after: resume && !resume.isCommonPrefix ? resume.value : startAfter,
    afterCommonPrefix: resume?.isCommonPrefix ? resume.value : undefined,
  });
  return s3Xml(ctx.requestId, 'ListBucketResult', {
    Name: ctx.bucket.name,
    Prefix: encode(prefix),
    Delimiter: delimiter !== undefined ? encode(delimiter) : undefined,
    MaxKeys: limit,
    EncodingType: query.get('encoding-type') ?? undefined,
    KeyCount: page.keys.length + page.commonPrefixes.length,
    IsTruncated: page.isTruncated,
    ContinuationToken: token ?? undefined,
    NextContinuationToken:
      page.isTruncated && page.last
        ? encodeContinuationToken(page.last)
        : undefined,
    StartAfter: startAfter !== undefined ? encode(startAfter) : undefined,
    Contents: contents(
      ctx,
      page.keys,
      encode,
      query.get('fetch-owner') === 'true',
    ),
    CommonPrefixes: page.commonPrefixes.map(p => ({ Prefix: encode(p) })),
  });
}

export function listObjects(ctx: ResolvedS3Context): HttpResult {
  const { query } = ctx;
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') || undefined;
  const marker = query.get('marker') || undefined;
  const limit = maxKeys(query);
  const encode = listingEncoder(query);
  const page = listPage(ctx.bucket.objects, {
    prefix,
    delimiter,
    maxKeys: limit,
    after: marker,
  });
  return s3Xml(ctx.requestId, 'ListBucketResult', {
    Name: ctx.bucket.name,
    Prefix: encode(prefix),
    Marker: encode(marker ?? ''),
    NextMarker:
      page.isTruncated && delimiter && page.last
        ? encode(page.last.value)
        : undefined,
    MaxKeys: limit,
    Delimiter: delimiter !== undefined ? encode(delimiter) : undefined,
    EncodingType: query.get('encoding-type') ?? undefined,
    IsTruncated: page.isTruncated,
    Contents: contents(ctx, page.keys, encode, true),
    CommonPrefixes: page.commonPrefixes.map(p => ({ Prefix: encode(p) })),
  });
}
