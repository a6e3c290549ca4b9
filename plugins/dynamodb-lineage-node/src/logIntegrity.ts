import { ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import {
  LogIntegrity,
  LogIntegrityProblem,
  TrailDescription,
} from '@lineage/plugin-dynamodb-lineage-common';
import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';
import { AwsClients } from './clients';
import { DEFAULT_INTEGRITY_WINDOW_HOURS } from './config';
import {
  digestFilePrefix,
  fileTimeStamp,
  LogLocation,
  parseLogKey,
  utcDay,
} from './logKeys';
import {
  FetchedLogFile,
  fetchLogFile,
  listLogObjectsAfter,
  resolveLogLocation,
} from './logReader';
import { failed, isAwsError } from './probe';

/*
 * CloudTrail log file integrity, checked the way `aws cloudtrail
 * validate-logs` checks it. Each hourly digest file is signed (SHA256withRSA,
 * hex in the object's `signature` metadata) over
 *   digestEndTime \n digestS3Bucket/digestS3Object \n
 *   hex SHA-256 of the uncompressed digest \n previousDigestSignature ("null" for the first)
 * with a regional key that ListPublicKeys returns by fingerprint. The digest
 * lists each log file delivered in its hour with the hex SHA-256 of the
 * uncompressed log file, and names the digest before it with that digest's
 * hash and signature, so the digests form a chain: a deleted digest shows as
 * a link to an object that is not there.
 */

/** Compressed log bytes one verification may download. */
export const DEFAULT_INTEGRITY_BYTE_BUDGET = 256 * 1024 * 1024;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Log files downloaded at once. */
const PARALLEL_READS = 4;

/** A public key from ListPublicKeys: its fingerprint and DER value. */
export interface DigestPublicKey {
  fingerprint: string;
  /** DER, SubjectPublicKeyInfo or PKCS#1 RSAPublicKey. */
  value: Uint8Array;
}

/** The fields of a digest file the verification reads. */
interface DigestFile {
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm?: string;
  previousDigestS3Bucket?: string | null;
  previousDigestS3Object?: string | null;
  previousDigestHashValue?: string | null;
  previousDigestSignature?: string | null;
  logFiles?: Array<{ s3Bucket: string; s3Object: string; hashValue: string }>;
}

/** An object's uncompressed bytes and metadata, or `missing` when the bucket does not have it. */
export type ObjectFetcher = (
  bucket: string,
  key: string,
) => Promise<FetchedLogFile | 'missing'>;

export interface DigestChainInput {
  bucket: string;
  /** Digest keys of one trail, account and region whose end time falls in the window, in any order. */
  digestKeys: string[];
  publicKeys: DigestPublicKey[];
  /** Start of the window: a missing predecessor older than this is not looked for. */
  from: Date;
  to: Date;
  fetch: ObjectFetcher;
  /** Compressed log bytes to download; listed files beyond it are counted unread. */
  byteBudget?: number;
}

/** The string CloudTrail signs for a digest file. */
export function digestStringToSign(
  digest: Pick<
    DigestFile,
    | 'digestEndTime'
    | 'digestS3Bucket'
    | 'digestS3Object'
    | 'previousDigestSignature'
  >,
  uncompressedDigest: Buffer,
): string {
  return [
    digest.digestEndTime,
    `${digest.digestS3Bucket}/${digest.digestS3Object}`,
    sha256Hex(uncompressedDigest),
    digest.previousDigestSignature ?? 'null',
  ].join('\n');
}

export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A DER public key as ListPublicKeys gives it: SubjectPublicKeyInfo, else PKCS#1. */
export function parsePublicKey(der: Uint8Array): KeyObject {
  const key = Buffer.from(der);
  try {
    return createPublicKey({ key, format: 'der', type: 'spki' });
  } catch {
    return createPublicKey({ key, format: 'der', type: 'pkcs1' });
  }
}

/**
 * Verifies the digests of one account-region and the log files they list,
 * oldest first, and stops at the first object that does not verify: a log
 * file changed or gone, a digest changed, moved or gone, a broken link. A
 * digest's predecessor is looked for only when it ends inside the window.
 * AWS errors other than a missing object are thrown.
 */
export async function verifyDigestChain(
  input: DigestChainInput,
): Promise<LogIntegrity> {
  const { bucket, from, to } = input;
  const window = { from: from.toISOString(), to: to.toISOString() };
  const keys = new Map<string, KeyObject | undefined>();
  for (const key of input.publicKeys) {
    let parsed: KeyObject | undefined;
    try {
      parsed = parsePublicKey(key.value);
    } catch {
      parsed = undefined;
    }
    keys.set(key.fingerprint, parsed);
  }
  const budget = input.byteBudget ?? DEFAULT_INTEGRITY_BYTE_BUDGET;
  const counts = { digestFiles: 0, logFiles: 0 };
  let logFilesUnread = 0;
  let bytesRead = 0;
  const fail = (
    problem: LogIntegrityProblem,
    object: { bucket: string; key: string },
    detail: string,
  ): LogIntegrity => ({
    status: 'failed',
    ...window,
    problem,
    bucket: object.bucket,
    key: object.key,
    detail,
    ...counts,
  });

  let previous: { key: string; sha256: string; signature: string } | undefined;
  let newestDigestEnd: string | undefined;
  for (const key of [...input.digestKeys].sort()) {
    const backfill = /_backfill\.json(\.gz)?$/.test(key);
    const here = { bucket, key };
    const fetched = await input.fetch(bucket, key);
    if (fetched === 'missing') {
      return fail('digest-missing', here, 'listed, then gone when read');
    }
    const digest = readDigest(fetched);
    if (typeof digest === 'string') {
      return fail('digest-unreadable', here, digest);
    }
    const { file, content, signature } = digest;
    if (file.digestS3Bucket !== bucket || file.digestS3Object !== key) {
      return fail(
        'digest-moved',
        here,
        `the digest says it is s3://${file.digestS3Bucket}/${file.digestS3Object}`,
      );
    }
    const publicKey = keys.get(file.digestPublicKeyFingerprint);
    if (!publicKey) {
      return fail(
        'digest-key-unknown',
        here,
        `ListPublicKeys returns no usable key with fingerprint ${file.digestPublicKeyFingerprint}`,
      );
    }
    if (!signatureVerifies(file, content, signature, publicKey)) {
      return fail(
        'digest-changed',
        here,
        'its signature does not verify: the digest file or its signature was changed',
      );
    }
    if (!backfill) {
      const link = checkLink(file, previous, bucket, from);
      if (link) return fail(link.problem, link.object, link.detail);
    }
    counts.digestFiles += 1;
    if (!newestDigestEnd || file.digestEndTime > newestDigestEnd) {
      newestDigestEnd = file.digestEndTime;
    }

    const logFiles = file.logFiles ?? [];
    for (let i = 0; i < logFiles.length; i += PARALLEL_READS) {
      if (bytesRead >= budget) {
        logFilesUnread += logFiles.length - i;
        break;
      }
      const batch = logFiles.slice(i, i + PARALLEL_READS);
      const reads = batch.map(log => input.fetch(log.s3Bucket, log.s3Object));
      for (let b = 0; b < batch.length; b++) {
        const log = batch[b];
        const object = { bucket: log.s3Bucket, key: log.s3Object };
        const read = await reads[b];
        if (read === 'missing') {
          return fail('log-missing', object, `listed by ${key}, not found`);
        }
        bytesRead += read.compressedBytes;
        if (!read.content) {
          logFilesUnread += 1;
          continue;
        }
        const actual = sha256Hex(read.content);
        if (actual !== log.hashValue) {
          return fail(
            'log-changed',
            object,
            `SHA-256 of its content is ${actual}; ${key} lists ${log.hashValue}`,
          );
        }
        counts.logFiles += 1;
      }
    }
    if (!backfill) {
      previous = { key, sha256: sha256Hex(content), signature };
    }
  }
  return {
    status: 'verified',
    ...window,
    ...counts,
    ...(logFilesUnread > 0 ? { logFilesUnread } : {}),
    ...(newestDigestEnd ? { newestDigestEnd } : {}),
  };
}

function readDigest(
  fetched: FetchedLogFile,
): { file: DigestFile; content: Buffer; signature: string } | string {
  const signature = fetched.metadata.signature;
  const algorithm = fetched.metadata['signature-algorithm'];
  if (!signature) return 'the object has no signature metadata';
  if (algorithm && algorithm !== 'SHA256withRSA') {
    return `signature algorithm ${algorithm} is not SHA256withRSA`;
  }
  if (!fetched.content) return 'too large to be a digest file';
  let file: DigestFile;
  try {
    file = JSON.parse(fetched.content.toString('utf8'));
  } catch {
    return 'not a JSON document once decompressed';
  }
  if (
    !file ||
    typeof file.digestEndTime !== 'string' ||
    typeof file.digestS3Bucket !== 'string' ||
    typeof file.digestS3Object !== 'string' ||
    typeof file.digestPublicKeyFingerprint !== 'string' ||
    (file.logFiles !== undefined && !Array.isArray(file.logFiles))
  ) {
    return 'not a CloudTrail digest file (fields missing)';
  }
  return { file, content: fetched.content, signature };
}

function signatureVerifies(
  file: DigestFile,
  content: Buffer,
  signatureHex: string,
  publicKey: KeyObject,
): boolean {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  try {
    return verify(
      'RSA-SHA256',
      Buffer.from(digestStringToSign(file, content)),
      publicKey,
      Buffer.from(signatureHex, 'hex'),
    );
  } catch {
    return false;
  }
}

/** What is wrong with a digest's link to the digest verified before it, if anything. */
function checkLink(
  file: DigestFile,
  previous: { key: string; sha256: string; signature: string } | undefined,
  bucket: string,
  from: Date,
):
  | {
      problem: LogIntegrityProblem;
      object: { bucket: string; key: string };
      detail: string;
    }
  | undefined {
  const previousKey = file.previousDigestS3Object;
  // No predecessor: the chain starts here (validation or logging was turned on).
  if (!previousKey) return undefined;
  const here = { bucket, key: file.digestS3Object };
  if (previous && previous.key === previousKey) {
    if (file.previousDigestHashValue !== previous.sha256) {
      return {
        problem: 'chain-broken',
        object: here,
        detail: `it records SHA-256 ${file.previousDigestHashValue} for ${previousKey}, which hashes to ${previous.sha256}`,
      };
    }
    if (file.previousDigestSignature !== previous.signature) {
      return {
        problem: 'chain-broken',
        object: here,
        detail: `it records another signature for ${previousKey} than that digest carries`,
      };
    }
    return undefined;
  }
  // Another bucket (the trail moved) or before the window: not looked for.
  if ((file.previousDigestS3Bucket ?? bucket) !== bucket) return undefined;
  const parsed = parseLogKey(previousKey);
  if (!parsed || Date.parse(parsed.deliveredAt) < from.getTime()) {
    return undefined;
  }
  return {
    problem: 'digest-missing',
    object: { bucket, key: previousKey },
    detail: `${file.digestS3Object} names it as the digest before it; it is not in the bucket`,
  };
}

export interface LogIntegrityOptions {
  now?: Date;
  /** Hours of digests to verify, ending now. Default {@link DEFAULT_INTEGRITY_WINDOW_HOURS}. */
  windowHours?: number;
  /** Whose digests; default the trail's account (an organization trail's member otherwise). */
  accountId?: string;
  /** Default the trail's home region. The clients must be of this region: keys are regional. */
  region?: string;
  /** Where the trail's files start, when already resolved. */
  location?: LogLocation;
  /** Compressed log bytes to download. Default {@link DEFAULT_INTEGRITY_BYTE_BUDGET}. */
  byteBudget?: number;
  /**
   * GetTrailStatus's LatestDigestDeliveryTime. The trail reports one time
   * for all its regions, so it is held against the trail's own account and
   * home region only: a digest delivered then that is not in the bucket was
   * deleted, even when it was the newest and no later digest names it.
   */
  latestDigestDeliveryTime?: string;
}

/** A digest is delivered moments after its end time; this much apart still counts as the same digest. */
const DIGEST_DELIVERY_SLACK_MS = 30 * 60_000;

/**
 * Verifies the digest chain of one account-region of a trail over the last
 * hours: one ListPublicKeys, one list call per UTC day the window touches
 * (only this trail's digests, from the window's start), each digest and each
 * log file it lists read once. `unknown` when AWS does not answer.
 */
export async function verifyLogIntegrity(
  clients: Pick<AwsClients, 'cloudTrail' | 's3'>,
  trail: TrailDescription,
  options: LogIntegrityOptions = {},
): Promise<LogIntegrity> {
  const to = options.now ?? new Date();
  const hours = options.windowHours ?? DEFAULT_INTEGRITY_WINDOW_HOURS;
  const from = new Date(to.getTime() - hours * HOUR_MS);
  const accountId = options.accountId ?? trail.accountId;
  const region = options.region ?? trail.homeRegion;
  const bucket = trail.s3BucketName;
  try {
    const location =
      options.location ?? (await resolveLogLocation(clients.s3, trail));
    // A key signs digests up to an hour after its start: ask from an hour before.
    const publicKeys = await listPublicKeys(
      clients,
      new Date(from.getTime() - HOUR_MS),
      to,
    );
    const digestKeys: string[] = [];
    for (
      let day = Date.parse(utcDay(from));
      day <= to.getTime();
      day += DAY_MS
    ) {
      const prefix = digestFilePrefix(
        location,
        trail,
        accountId,
        region,
        new Date(day),
      );
      const first = day <= from.getTime();
      const { objects } = await listLogObjectsAfter(
        clients.s3,
        bucket,
        prefix,
        first ? `${prefix}${fileTimeStamp(from)}` : undefined,
      );
      digestKeys.push(...objects.map(o => o.key));
    }
    const result = await verifyDigestChain({
      bucket,
      digestKeys,
      publicKeys,
      from,
      to,
      byteBudget: options.byteBudget,
      fetch: async (objectBucket, key) => {
        try {
          return await fetchLogFile(clients.s3, objectBucket, key);
        } catch (error) {
          if (isAwsError(error, 'NoSuchKey', 'NotFound')) return 'missing';
          throw error;
        }
      },
    });
    const latest = options.latestDigestDeliveryTime;
    const atHome = accountId === trail.accountId && region === trail.homeRegion;
    if (
      result.status === 'verified' &&
      atHome &&
      latest &&
      Date.parse(latest) >= from.getTime() &&
      (!result.newestDigestEnd ||
        Date.parse(result.newestDigestEnd) <
          Date.parse(latest) - DIGEST_DELIVERY_SLACK_MS)
    ) {
      const deliveredOn = new Date(latest);
      return {
        status: 'failed',
        from: result.from,
        to: result.to,
        problem: 'digest-missing',
        bucket,
        // The digest's own name holds its end time, which the status does not give.
        key: digestFilePrefix(location, trail, accountId, region, deliveredOn),
        detail: `CloudTrail reports a digest delivered at ${latest}; the newest in the bucket ends ${
          result.newestDigestEnd ?? 'before the window'
        }`,
        digestFiles: result.digestFiles,
        logFiles: result.logFiles,
      };
    }
    return result;
  } catch (error) {
    return {
      status: 'unknown',
      from: from.toISOString(),
      to: to.toISOString(),
      reason: failed(error).error,
    };
  }
}

async function listPublicKeys(
  clients: Pick<AwsClients, 'cloudTrail'>,
  from: Date,
  to: Date,
): Promise<DigestPublicKey[]> {
  const keys: DigestPublicKey[] = [];
  let token: string | undefined;
  do {
    const output = await clients.cloudTrail.send(
      new ListPublicKeysCommand({
        StartTime: from,
        EndTime: to,
        NextToken: token,
      }),
    );
    for (const key of output.PublicKeyList ?? []) {
      if (key.Fingerprint && key.Value) {
        keys.push({ fingerprint: key.Fingerprint, value: key.Value });
      }
    }
    token = output.NextToken;
  } while (token);
  return keys;
}
