import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
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
const gunzipAsync = promisify(gunzip);
/** Files downloading and decompressing while the current one is parsed. */
const READ_AHEAD = 2;
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
 * Hands the records of each file to `visit`, in the order given. Stops before a
 * file that would exceed the byte budget. While one file is parsed the next
 * ones (at most {@link READ_AHEAD}, and only those the budget can hold by their
 * listed size) download and decompress off the main thread, so memory holds a
 * few files at a time, never the whole window.
 */
export async function readLogRecords(
  s3: S3Client,
  bucket: string,
  objects: LogObject[],
  options: ReadLogRecordsOptions,
): Promise<LogReadStats> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const stats: LogReadStats = { filesRead: 0, bytesRead: 0, truncated: false };
  const pending: Array<Promise<FetchedLogFile>> = [];
  // Listed bytes of the files started ahead, beyond those already read.
  let plannedBytes = 0;
  let next = 0;
  const readAhead = () => {
    while (pending.length < READ_AHEAD + 1 && next < objects.length) {
      const size = objects[next].size;
      const known = size !== undefined;
      // Only a file the budget surely holds starts before its turn.
      if (
        pending.length > 0 &&
        (!known || stats.bytesRead + plannedBytes + size > options.byteBudget)
      ) {
        return;
      }
      const fetched = fetchLogFile(s3, bucket, objects[next].key, maxFileBytes);
      // Awaited in turn; a file never reached must not reject unobserved.
      fetched.catch(() => undefined);
      pending.push(fetched);
      plannedBytes += size ?? 0;
      next += 1;
    }
  };

  for (let i = 0; i < objects.length; i++) {
    const object = objects[i];
    if (
      stats.bytesRead >= options.byteBudget ||
      (object.size !== undefined &&
        stats.bytesRead + object.size > options.byteBudget)
    ) {
      stats.truncated = true;
      break;
    }
    if (pending.length === 0) readAhead();
    const file = await pending.shift()!;
    plannedBytes -= object.size ?? 0;
    stats.bytesRead += file.compressedBytes;
    readAhead();
    if (!file.content) {
      stats.truncated = true;
      continue;
    }
    const parsed = (
      file.content.length ? JSON.parse(file.content.toString('utf8')) : {}
    ) as { Records?: CloudTrailRecord[] };
    stats.filesRead += 1;
    const records = parsed.Records ?? [];
    for (let r = 0; r < records.length; r++) {
      options.visit(records[r], object.key);
    }
  }
  return stats;
}

/** One object as CloudTrail wrote it, decompressed. */
export interface FetchedLogFile {
  compressedBytes: number;
  /** The uncompressed bytes; absent when larger than allowed. */
  content?: Buffer;
  /** The object's user metadata (`x-amz-meta-*`, without that prefix). */
  metadata: Record<string, string>;
}

/**
 * Downloads one log or digest file and gunzips it (`.gz` keys) on zlib's
 * thread pool, the output capped at `maxFileBytes`: the main thread stays
 * free, and a file larger than that comes back without content.
 */
export async function fetchLogFile(
  s3: S3Client,
  bucket: string,
  key: string,
  maxFileBytes: number = DEFAULT_MAX_FILE_BYTES,
): Promise<FetchedLogFile> {
  const output = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key }),
  );
  const metadata = output.Metadata ?? {};
  const body = output.Body as Readable | undefined;
  if (!body) return { compressedBytes: 0, content: Buffer.alloc(0), metadata };

  const chunks: Buffer[] = [];
  let compressedBytes = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    compressedBytes += buffer.length;
    // Without gzip the download is the file: stop as soon as it is too large.
    if (!key.endsWith('.gz') && compressedBytes > maxFileBytes) {
      body.destroy();
      return { compressedBytes, metadata };
    }
    chunks.push(buffer);
  }
  const compressed = Buffer.concat(chunks, compressedBytes);
  if (!key.endsWith('.gz')) {
    return { compressedBytes, content: compressed, metadata };
  }
  try {
    const content = await gunzipAsync(compressed, {
      maxOutputLength: maxFileBytes,
    });
    return { compressedBytes, content, metadata };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return { compressedBytes, metadata };
    }
    throw error;
  }
}
