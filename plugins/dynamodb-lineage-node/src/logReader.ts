import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CloudTrailRecord } from './dynamodbEvents';
import { LogLocation, logRoot } from './logKeys';

export interface LogObject {
  key: string;
  /** Compressed size, from the listing. */
  size?: number;
  lastModified?: string;
}

export interface LogReadStats {
  filesRead: number;
  /** Compressed bytes downloaded. */
  bytesRead: number;
  /** True when the budget (or an oversized file) left some of the given files unread. */
  truncated: boolean;
}

export interface ReadLogRecordsOptions {
  /** Compressed bytes this read may download; a file that would exceed it is not started. */
  byteBudget: number;
  /** A single file larger than this once decompressed is skipped (and the read marked truncated). */
  maxFileBytes?: number;
  visit(record: CloudTrailRecord, key: string): void;
}

const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_LIST_PAGES = 20;

/** Objects under one prefix, following pagination up to a bound. */
export async function listLogObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<LogObject[]> {
  return (await listLogObjectsAfter(s3, bucket, prefix)).objects;
}

/**
 * Objects under one prefix, in key order, after `startAfter` when given (keys
 * carry the delivery time, so that skips everything already seen), following
 * pagination up to a bound. `complete` is false when the bound cut the listing.
 */
export async function listLogObjectsAfter(
  s3: S3Client,
  bucket: string,
  prefix: string,
  startAfter?: string,
): Promise<{ objects: LogObject[]; complete: boolean }> {
  const objects: LogObject[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const output = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
        ...(startAfter && !token ? { StartAfter: startAfter } : {}),
      }),
    );
    for (const item of output.Contents ?? []) {
      if (!item.Key) continue;
      objects.push({
        key: item.Key,
        ...(item.Size !== undefined ? { size: item.Size } : {}),
        ...(item.LastModified
          ? { lastModified: item.LastModified.toISOString() }
          : {}),
      });
    }
    token = output.IsTruncated ? output.NextContinuationToken : undefined;
    if (!token) return { objects, complete: true };
  }
  return { objects, complete: false };
}

/** Newest first: file names carry the delivery time, so key order is time order within a prefix. */
export function newestFirst(objects: LogObject[]): LogObject[] {
  return [...objects].sort((a, b) => {
    if (a.key === b.key) return 0;
    return a.key < b.key ? 1 : -1;
  });
}

/**
 * Where a trail's files start. An organization trail writes under `o-<id>/`, which
 * DescribeTrails does not tell: one delimiter listing finds it.
 */
export async function resolveLogLocation(
  s3: S3Client,
  trail: {
    s3BucketName: string;
    s3KeyPrefix?: string;
    isOrganizationTrail: boolean;
  },
): Promise<LogLocation> {
  const location: LogLocation = trail.s3KeyPrefix
    ? { s3KeyPrefix: trail.s3KeyPrefix }
    : {};
  if (!trail.isOrganizationTrail) return location;
  const root = logRoot(location);
  const output = await s3.send(
    new ListObjectsV2Command({
      Bucket: trail.s3BucketName,
      Prefix: root,
      Delimiter: '/',
    }),
  );
  const org = (output.CommonPrefixes ?? [])
    .map(p => p.Prefix?.slice(root.length).replace(/\/$/, ''))
    .find(name => name?.startsWith('o-'));
  return org ? { ...location, organizationId: org } : location;
}

/**
 * Streams each file through gunzip and hands its records to `visit`, one file in
 * memory at a time, in the order given. Stops before a file that would exceed the
 * byte budget.
 */
export async function readLogRecords(
  s3: S3Client,
  bucket: string,
  objects: LogObject[],
  options: ReadLogRecordsOptions,
): Promise<LogReadStats> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const stats: LogReadStats = { filesRead: 0, bytesRead: 0, truncated: false };
  for (const object of objects) {
    if (
      stats.bytesRead >= options.byteBudget ||
      (object.size !== undefined &&
        stats.bytesRead + object.size > options.byteBudget)
    ) {
      stats.truncated = true;
      break;
    }
    const file = await readLogFile(s3, bucket, object.key, maxFileBytes);
    stats.bytesRead += file.compressedBytes;
    if (!file.records) {
      stats.truncated = true;
      continue;
    }
    stats.filesRead += 1;
    for (const record of file.records) {
      options.visit(record, object.key);
    }
  }
  return stats;
}

async function readLogFile(
  s3: S3Client,
  bucket: string,
  key: string,
  maxFileBytes: number,
): Promise<{ compressedBytes: number; records?: CloudTrailRecord[] }> {
  const output = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key }),
  );
  const body = output.Body as Readable | undefined;
  if (!body) return { compressedBytes: 0, records: [] };

  let compressedBytes = 0;
  const countCompressed = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      compressedBytes += chunk.length;
      done(null, chunk);
    },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  let oversized = false;
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxFileBytes) {
        oversized = true;
        done(new Error(`${key} exceeds ${maxFileBytes} bytes decompressed`));
        return;
      }
      chunks.push(chunk);
      done();
    },
  });
  const stages = key.endsWith('.gz')
    ? [body, countCompressed, createGunzip(), collect]
    : [body, countCompressed, collect];
  try {
    await pipeline(stages as [Readable, Transform, Writable]);
  } catch (error) {
    if (oversized) return { compressedBytes };
    throw error;
  }
  const parsed = JSON.parse(Buffer.concat(chunks, size).toString('utf8')) as {
    Records?: CloudTrailRecord[];
  };
  return { compressedBytes, records: parsed.Records ?? [] };
}
