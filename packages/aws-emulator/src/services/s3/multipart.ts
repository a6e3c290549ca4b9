import { createHash } from 'node:crypto';
import { AwsError } from '../../errors';
import type { HttpResult } from '../../http';
import { md5Hex } from '../../ids';
import { s3Empty, s3Xml } from '../../protocols/restXml';
import { parseXml } from '../../xml';
import { type MultipartUpload, newVersionId, storeObject } from './buckets';
import { malformedXml } from './bucketOperations';
import { checkNewObject, writtenHeaders } from './objectOperations';
import { type ResolvedS3Context, decodeBody } from './request';

/** Multipart uploads: create, upload parts, complete, abort. */

const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

function findUpload(ctx: ResolvedS3Context, key: string): MultipartUpload {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = ctx.bucket.uploads.get(uploadId);
  if (!upload || upload.key !== key) {
    throw new AwsError(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      404,
      { UploadId: uploadId },
    );
  }
  return upload;
}

export function createMultipartUpload(
  ctx: ResolvedS3Context,
  key: string,
): HttpResult {
  const metadata = checkNewObject(ctx, key);
  const uploadId = newVersionId() + newVersionId();
  ctx.bucket.uploads.set(uploadId, {
    key,
    initiated: ctx.time,
    contentType:
      (ctx.headers['content-type'] as string | undefined) ?? undefined,
    metadata,
    parts: new Map(),
  });
  return s3Xml(ctx.requestId, 'InitiateMultipartUploadResult', {
    Bucket: ctx.bucket.name,
    Key: key,
    UploadId: uploadId,
  });
}

export function uploadPart(ctx: ResolvedS3Context, key: string): HttpResult {
  const raw = ctx.query.get('partNumber') ?? '';
  const partNumber = Number(raw);
  if (!/^\d+$/.test(raw) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new AwsError(
      'InvalidArgument',
      `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
      400,
      { ArgumentName: 'partNumber', ArgumentValue: raw },
    );
  }
  const upload = findUpload(ctx, key);
  const body = decodeBody(ctx.headers, ctx.body);
  const etag = `"${md5Hex(body)}"`;
  upload.parts.set(partNumber, { body, etag });
  return s3Empty(ctx.requestId, 200, { etag });
}

const invalidPart = () =>
  new AwsError(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  );

export function completeMultipartUpload(
  ctx: ResolvedS3Context,
  key: string,
): HttpResult {
  const upload = findUpload(ctx, key);
  const listed = parseXml(ctx.body)?.CompleteMultipartUpload?.Part;
  if (!Array.isArray(listed) || listed.length === 0) throw malformedXml();
  const parts = listed.map((entry: any) => {
    const number = Number(entry?.PartNumber);
    const part = upload.parts.get(number);
    const etag = String(entry?.ETag ?? '').replace(/^"?(.*?)"?$/, '"$1"');
    if (!part || part.etag !== etag) throw invalidPart();
    return { number, ...part };
  });
  if (parts.some((part, i) => i > 0 && part.number <= parts[i - 1].number)) {
    throw new AwsError(
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
    );
  }
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.body.length < MIN_PART_BYTES) {
      throw new AwsError(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size',
        400,
        { ProposedSize: part.body.length, MinSizeAllowed: MIN_PART_BYTES },
      );
    }
  });
  const digests = Buffer.concat(
    parts.map(part => Buffer.from(part.etag.slice(1, -1), 'hex')),
  );
  const etag = `"${createHash('md5').update(digests).digest('hex')}-${
    parts.length
  }"`;
  const object = storeObject(
    ctx.bucket,
    key,
    Buffer.concat(parts.map(part => part.body)),
    ctx.time,
    { contentType: upload.contentType, metadata: upload.metadata, etag },
  );
  ctx.bucket.uploads.delete(ctx.query.get('uploadId')!);
  return s3Xml(
    ctx.requestId,
    'CompleteMultipartUploadResult',
    {
      Location: `http://${ctx.bucket.name}.s3.${
        ctx.bucket.region
      }.amazonaws.com/${key.split('/').map(encodeURIComponent).join('/')}`,
      Bucket: ctx.bucket.name,
      Key: key,
      ETag: etag,
    },
    writtenHeaders(object),
  );
}

export function abortMultipartUpload(
  ctx: ResolvedS3Context,
  key: string,
): HttpResult {
  findUpload(ctx, key);
  ctx.bucket.uploads.delete(ctx.query.get('uploadId')!);
  return s3Empty(ctx.requestId, 204);
}
