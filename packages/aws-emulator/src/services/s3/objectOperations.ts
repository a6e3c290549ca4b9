import { AwsError } from '../../errors';
import type { HttpResult } from '../../http';
import { canonicalUserId } from '../../ids';
import { s3Empty, s3Headers, s3Xml } from '../../protocols/restXml';
import { type XmlValue, parseXml } from '../../xml';
import { malformedXml } from './bucketOperations';
import {
  type Bucket,
  type PastVersion,
  type StoredObject,
  deleteCurrent,
  deleteVersion,
  findVersion,
  storeObject,
} from './buckets';
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

/** What PutObject and CreateMultipartUpload check about the new object, and its metadata. */
export function checkNewObject(
  ctx: ResolvedS3Context,
  key: string,
): Record<string, string> {
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
  return metadata;
}

/** The headers S3 answers a write with. */
export function writtenHeaders(object: StoredObject): Record<string, string> {
  const headers: Record<string, string> = {};
  if (object.versionId) headers['x-amz-version-id'] = object.versionId;
  if (object.serverSideEncryption) {
    headers['x-amz-server-side-encryption'] = object.serverSideEncryption;
  }
  if (object.kmsKeyId)
    headers['x-amz-server-side-encryption-aws-kms-key-id'] = object.kmsKeyId;
  return headers;
}

export function putObject(ctx: ResolvedS3Context, key: string): HttpResult {
  const metadata = checkNewObject(ctx, key);
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
    },
  );
  return s3Empty(ctx.requestId, 200, {
    etag: object.etag,
    ...writtenHeaders(object),
  });
}

const versionHeader = (versionId: string | undefined) => ({
  'x-amz-version-id': versionId ?? 'null',
});

/** The object a GET or HEAD names: the current one, or `?versionId=`. */
function readObject(ctx: ResolvedS3Context, key: string): StoredObject {
  const versionId = ctx.query.get('versionId');
  if (versionId === null) {
    const object = ctx.bucket.objects.get(key);
    if (object) return object;
    const latest = ctx.bucket.history.get(key)?.at(-1);
    if (latest && !latest.object) {
      throw new AwsError(
        'NoSuchKey',
        'The specified key does not exist.',
        404,
        { Key: key },
        { 'x-amz-delete-marker': 'true', ...versionHeader(latest.versionId) },
      );
    }
    throw noSuchKey(key);
  }
  const version = findVersion(ctx.bucket, key, versionId);
  if (!version) {
    throw new AwsError(
      'NoSuchVersion',
      'The specified version does not exist.',
      404,
      { Key: key, VersionId: versionId },
    );
  }
  if (!version.object) {
    throw new AwsError(
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      405,
      { Method: ctx.method, ResourceType: 'DeleteMarker' },
      {
        'x-amz-delete-marker': 'true',
        ...versionHeader(version.versionId),
        allow: 'DELETE',
      },
    );
  }
  return version.object;
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

/** What deleting one key (or one version of it) did, as S3 reports it. */
interface Deletion {
  versionId?: string;
  deleteMarker: boolean;
}

function deleteOne(
  bucket: Bucket,
  key: string,
  versionId: string | undefined,
  time: number,
): Deletion {
  if (versionId === undefined) {
    const marker = deleteCurrent(bucket, key, time);
    return marker
      ? { versionId: marker.versionId ?? 'null', deleteMarker: true }
      : { deleteMarker: false };
  }
  const removed: PastVersion | undefined = deleteVersion(
    bucket,
    key,
    versionId,
  );
  return { versionId, deleteMarker: removed !== undefined && !removed.object };
}

export function deleteObject(ctx: ResolvedS3Context, key: string): HttpResult {
  const deletion = deleteOne(
    ctx.bucket,
    key,
    ctx.query.get('versionId') ?? undefined,
    ctx.time,
  );
  const headers: Record<string, string> = {};
  if (deletion.versionId) headers['x-amz-version-id'] = deletion.versionId;
  if (deletion.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  return s3Empty(ctx.requestId, 204, headers);
}

const MAX_DELETE_OBJECTS = 1000;

const hasChecksumHeader = (headers: ResolvedS3Context['headers']) =>
  Object.keys(headers).some(name => name.startsWith('x-amz-checksum-'));

/** DeleteObjects (`POST ?delete`): up to 1000 keys or versions in one call. */
export function deleteObjects(ctx: ResolvedS3Context): HttpResult {
  if (!ctx.headers['content-md5'] && !hasChecksumHeader(ctx.headers)) {
    throw new AwsError(
      'InvalidRequest',
      'Missing required header for this request: Content-Md5.',
    );
  }
  const request = parseXml(ctx.body)?.Delete;
  const objects: unknown[] | undefined = request?.Object;
  if (
    !Array.isArray(objects) ||
    objects.length === 0 ||
    objects.length > MAX_DELETE_OBJECTS ||
    objects.some(o => typeof (o as any)?.Key !== 'string' || !(o as any).Key)
  ) {
    throw malformedXml();
  }
  const quiet = String(request.Quiet) === 'true';
  const deleted = (objects as Array<{ Key: string; VersionId?: string }>).map(
    ({ Key, VersionId }) => {
      const deletion = deleteOne(
        ctx.bucket,
        Key,
        VersionId || undefined,
        ctx.time,
      );
      return {
        Key,
        VersionId: VersionId || undefined,
        DeleteMarker: deletion.deleteMarker || undefined,
        DeleteMarkerVersionId:
          deletion.deleteMarker && !VersionId ? deletion.versionId : undefined,
      };
    },
  );
  return s3Xml(ctx.requestId, 'DeleteResult', {
    Deleted: quiet ? [] : deleted,
  });
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

/**
 * ListObjectVersions (`GET ?versions`): every version and delete marker, keys
 * in byte order and each key's versions newest first, with prefix, delimiter,
 * max-keys and the key/version-id markers.
 */
export function listObjectVersions(ctx: ResolvedS3Context): HttpResult {
  const { query, bucket } = ctx;
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') || undefined;
  const keyMarker = query.get('key-marker') || undefined;
  const versionIdMarker = query.get('version-id-marker') || undefined;
  const limit = maxKeys(query);
  const encode = listingEncoder(query);
  if (versionIdMarker && !keyMarker) {
    throw new AwsError(
      'InvalidArgument',
      'A version-id marker cannot be specified without a key marker.',
      400,
      { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker },
    );
  }
  const compare = bucket.objects.comparator();
  const keys = [
    ...new Set([
      ...bucket.objects.keys().filter(k => k.startsWith(prefix)),
      ...[...bucket.history.keys()].filter(k => k.startsWith(prefix)),
    ]),
  ].sort(compare);
  const owner = { ID: canonicalUserId(bucket.ownerAccountId) };
  const versions: XmlValue[] = [];
  const markers: XmlValue[] = [];
  const commonPrefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let next: { key: string; versionId?: string } | undefined;
  for (const key of keys) {
    if (keyMarker !== undefined && compare(key, keyMarker) < 0) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter!.length);
      if (
        commonPrefixes.at(-1) === common ||
        (keyMarker !== undefined && keyMarker.startsWith(common))
      )
        continue;
      if (count >= limit) {
        truncated = true;
        break;
      }
      commonPrefixes.push(common);
      next = { key: common };
      count++;
      continue;
    }
    const current = bucket.objects.get(key);
    const all: PastVersion[] = [...(bucket.history.get(key) ?? [])];
    if (current) {
      all.push({
        versionId: current.versionId,
        lastModified: current.lastModified,
        object: current,
      });
    }
    all.reverse();
    let start = 0;
    if (keyMarker === key) {
      if (!versionIdMarker) continue;
      start =
        all.findIndex(v => (v.versionId ?? 'null') === versionIdMarker) + 1;
      if (start === 0) continue;
    }
    for (let i = start; i < all.length; i++) {
      if (count >= limit) {
        truncated = true;
        break;
      }
      const version = all[i];
      const common = {
        Key: encode(key),
        VersionId: version.versionId ?? 'null',
        IsLatest: i === 0,
        LastModified: new Date(version.lastModified).toISOString(),
      };
      if (version.object) {
        versions.push({
          ...common,
          ETag: version.object.etag,
          Size: version.object.body.length,
          StorageClass: 'STANDARD',
          Owner: owner,
        });
      } else {
        markers.push({ Owner: owner, ...common });
      }
      next = { key, versionId: version.versionId ?? 'null' };
      count++;
    }
    if (truncated) break;
  }
  return s3Xml(ctx.requestId, 'ListVersionsResult', {
    IsTruncated: truncated,
    KeyMarker: encode(keyMarker ?? ''),
    VersionIdMarker: versionIdMarker ?? '',
    NextKeyMarker: truncated && next ? encode(next.key) : undefined,
    NextVersionIdMarker: truncated && next ? next.versionId : undefined,
    Version: versions,
    DeleteMarker: markers,
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: delimiter !== undefined ? encode(delimiter) : undefined,
    MaxKeys: limit,
    CommonPrefixes: commonPrefixes.map(p => ({ Prefix: encode(p) })),
    EncodingType: query.get('encoding-type') ?? undefined,
  });
}
