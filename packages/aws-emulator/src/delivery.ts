import { gzipSync } from 'node:zlib';
import { isoSeconds } from './clock';
import { logFileSuffix, sha256Hex } from './ids';
import { streamOf } from './events/capture';
import { digestSigningKey, signDigest } from './services/cloudtrail/digestKeys';
import {
  cloudTrailMayWrite,
  logRoot,
} from './services/cloudtrail/bucketAccess';
import type { DeliveryStream, Trail } from './services/cloudtrail/model';
import { trailKeyError } from './services/kms/cloudTrailUse';
import { storeObject } from './services/s3/buckets';
import type { World } from './world';

const HOUR = 3_600_000;
/** Upper bound of due ticks run at once, so a jump of months stays quick. */
const MAX_TICKS_PER_RUN = 20_000;

export interface DeliveryReport {
  logFiles: number;
  digestFiles: number;
  failures: Array<{ trailArn: string; error: string }>;
}

const emptyReport = (): DeliveryReport => ({
  logFiles: 0,
  digestFiles: 0,
  failures: [],
});

function merge(into: DeliveryReport, from: DeliveryReport): DeliveryReport {
  into.logFiles += from.logFiles;
  into.digestFiles += from.digestFiles;
  into.failures.push(...from.failures);
  return into;
}

/** `YYYY/MM/DD` and the compact UTC stamp used in CloudTrail file names. */
function dateParts(ms: number) {
  const iso = new Date(ms).toISOString();
  const [date, time] = iso.split('T');
  const [year, month, day] = date.split('-');
  const compact = `${year}${month}${day}T${time.slice(0, 2)}${time.slice(
    3,
    5,
  )}`;
  return {
    path: `${year}/${month}/${day}`,
    minute: `${compact}Z`,
    second: `${compact}${time.slice(6, 8)}Z`,
  };
}

/**
 * Delivers buffered records as gzipped log files and, for trails with log file
 * validation, hourly digest files, at AWS's key layout. Deliveries happen on
 * ticks of the emulated clock; a trail's status reflects only real attempts.
 */
export class Delivery {
  private nextDueAt: number;

  /**
   * `paused` tells which account-regions do not get deliveries now (a fault):
   * their records and digest hours wait for the next delivery after it.
   */
  constructor(
    private readonly world: World,
    private intervalMs: number,
    private readonly paused: (
      accountId: string,
      region: string,
    ) => boolean = () => false,
  ) {
    this.nextDueAt = world.clock.now() + intervalMs;
  }

  get interval(): number {
    return this.intervalMs;
  }

  get nextDue(): number {
    return this.nextDueAt;
  }

  reset(): void {
    this.nextDueAt = this.world.clock.now() + this.intervalMs;
  }

  /** Runs every delivery tick that is due by `now`, each at its own time. */
  runDue(now: number = this.world.clock.now()): DeliveryReport {
    const report = emptyReport();
    let ticks = 0;
    while (this.nextDueAt <= now) {
      merge(report, this.deliverAt(this.nextDueAt));
      this.nextDueAt += this.intervalMs;
      if (++ticks >= MAX_TICKS_PER_RUN) {
        this.nextDueAt = now + this.intervalMs;
        merge(report, this.deliverAt(now));
      }
    }
    return report;
  }

  /** Delivers everything buffered, now. */
  flush(): DeliveryReport {
    return this.deliverAt(this.world.clock.now());
  }

  /** Lets seeds write history at past times and realign the schedule afterwards. */
  scheduleNextAfter(time: number): void {
    this.nextDueAt = time + this.intervalMs;
  }

  deliverAt(time: number): DeliveryReport {
    const report = emptyReport();
    for (const trail of this.world.trails.values()) {
      // Digests first: files delivered now belong to the hour that starts now.
      merge(report, this.deliverDigests(trail, time));
      for (const stream of trail.streams.values()) {
        if (stream.buffer.length > 0 && !this.isPaused(stream))
          merge(report, this.deliverLogFile(trail, stream, time));
      }
    }
    return report;
  }

  private isPaused(stream: DeliveryStream): boolean {
    return this.paused(stream.accountId, stream.region);
  }

  private root(trail: Trail, accountId: string): string {
    const organization = trail.isOrganizationTrail
      ? this.world.organizationOf(trail.accountId)
      : undefined;
    return logRoot(trail.s3KeyPrefix, accountId, organization?.id);
  }

  /** Writes an object as CloudTrail would; returns the S3 error code on refusal. */
  private write(
    trail: Trail,
    key: string,
    body: Buffer,
    metadata: Record<string, string>,
    time: number,
  ): string | undefined {
    const bucket = this.world.buckets.get(trail.s3BucketName);
    if (!bucket) return 'NoSuchBucket';
    // SSE-KMS trails encrypt every file with the trail's key first.
    const keyError = trailKeyError(this.world, trail);
    if (keyError) return keyError;
    if (
      !cloudTrailMayWrite({
        bucket,
        key,
        trailArn: trail.arn,
        trailAccountId: trail.accountId,
      })
    ) {
      return 'AccessDenied';
    }
    storeObject(bucket, key, body, time, {
      contentType: 'application/json',
      metadata,
      versionId: bucket.versioning === 'Enabled' ? logFileSuffix() : undefined,
    });
    return undefined;
  }

  private deliverLogFile(
    trail: Trail,
    stream: DeliveryStream,
    time: number,
  ): DeliveryReport {
    const { accountId, region } = stream;
    const parts = dateParts(time);
    const key =
      `${this.root(trail, accountId)}CloudTrail/${region}/${parts.path}/` +
      `${accountId}_CloudTrail_${region}_${
        parts.minute
      }_${logFileSuffix()}.json.gz`;
    const records = stream.buffer;
    const content = JSON.stringify({ Records: records });
    const body = gzipSync(content);
    const status = trail.status;
    status.latestDeliveryAttemptTime = time;
    const error = this.write(trail, key, body, {}, time);
    if (error) {
      status.latestDeliveryError = error;
      return {
        logFiles: 0,
        digestFiles: 0,
        failures: [{ trailArn: trail.arn, error }],
      };
    }
    const times = records.map(r => r.eventTime).sort();
    stream.hourFiles.push({
      key,
      // Digests hash the log file as written before compression.
      sha256: sha256Hex(content),
      oldestEventTime: times[0],
      newestEventTime: times[times.length - 1],
    });
    stream.buffer = [];
    status.latestDeliveryTime = time;
    status.latestDeliveryAttemptSucceeded = time;
    status.latestDeliveryError = undefined;
    return { logFiles: 1, digestFiles: 0, failures: [] };
  }

  private deliverDigests(trail: Trail, time: number): DeliveryReport {
    const report = emptyReport();
    if (!trail.logFileValidationEnabled || !trail.status.isLogging) {
      trail.digestHourStart = Math.floor(time / HOUR) * HOUR;
      for (const stream of trail.streams.values()) stream.hourFiles = [];
      return report;
    }
    streamOf(trail, trail.accountId, trail.homeRegion);
    while (trail.digestHourStart + HOUR <= time) {
      const start = trail.digestHourStart;
      for (const stream of trail.streams.values()) {
        // A paused stream's files join the digest of the hour it resumes in.
        if (this.isPaused(stream)) {
          stream.undigestedSince ??= start;
          continue;
        }
        const from = stream.undigestedSince ?? start;
        stream.undigestedSince = undefined;
        merge(report, this.deliverDigest(trail, stream, from, start + HOUR));
      }
      trail.digestHourStart += HOUR;
    }
    return report;
  }

  private deliverDigest(
    trail: Trail,
    stream: DeliveryStream,
    start: number,
    end: number,
  ): DeliveryReport {
    const { accountId, region } = stream;
    const parts = dateParts(end);
    const key =
      `${this.root(trail, accountId)}CloudTrail-Digest/${region}/${
        parts.path
      }/` +
      `${accountId}_CloudTrail-Digest_${region}_${trail.name}_${trail.homeRegion}_${parts.second}.json.gz`;
    const files = stream.hourFiles;
    const times = files
      .flatMap(f => [f.oldestEventTime, f.newestEventTime])
      .sort();
    const { fingerprint } = digestSigningKey();
    const previous = stream.previousDigest;
    const content = JSON.stringify({
      awsAccountId: accountId,
      digestStartTime: isoSeconds(start),
      digestEndTime: isoSeconds(end),
      digestS3Bucket: trail.s3BucketName,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: times[times.length - 1] ?? null,
      oldestEventTime: times[0] ?? null,
      previousDigestS3Bucket: previous ? trail.s3BucketName : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.sha256 ?? null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles: files.map(file => ({
        s3Bucket: trail.s3BucketName,
        s3Object: file.key,
        hashValue: file.sha256,
        hashAlgorithm: 'SHA-256',
        newestEventTime: file.newestEventTime,
        oldestEventTime: file.oldestEventTime,
      })),
    });
    const contentHash = sha256Hex(content);
    const signature = signDigest(
      `${isoSeconds(end)}\n${trail.s3BucketName}/${key}\n${contentHash}\n${
        previous?.signature ?? 'null'
      }`,
    );
    const error = this.write(
      trail,
      key,
      gzipSync(content),
      { signature, 'signature-algorithm': 'SHA256withRSA' },
      end,
    );
    stream.hourFiles = [];
    if (error) {
      trail.status.latestDigestDeliveryError = error;
      return {
        logFiles: 0,
        digestFiles: 0,
        failures: [{ trailArn: trail.arn, error }],
      };
    }
    stream.previousDigest = { key, sha256: contentHash, signature };
    trail.status.latestDigestDeliveryTime = end;
    trail.status.latestDigestDeliveryError = undefined;
    return { logFiles: 0, digestFiles: 1, failures: [] };
  }
}
