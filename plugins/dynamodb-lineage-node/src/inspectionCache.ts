import {
  BucketState,
  EventSelectors,
  KmsKeyFacts,
  LogIntegrity,
  Probe,
  RuntimeSignals,
  TrailDescription,
  TrailState,
  TrailStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { BoundedMap } from './boundedMap';
import { AwsClients } from './clients';
import { inspectBucket } from './inspectBucket';
import { inspectKmsKey } from './inspectKmsKey';
import {
  InspectTarget,
  KnownTrailAnswers,
  askEventSelectors,
  askInsightTypes,
  getTrailStatus,
  inspectTrails,
} from './inspectTrails';
import { LogIntegrityOptions, verifyLogIntegrity } from './logIntegrity';
import { probeValue } from './probe';
import {
  LogCursor,
  RuntimeSignalsOptions,
  readRuntimeSignalsSince,
} from './runtimeSignals';

export interface InspectionCacheOptions {
  /** How long a bucket's settings, and a trail's KMS key and key policy, are reused. Default 1 hour. */
  bucketSettingsTtlMs?: number;
  /** How long a trail's selectors, Insights selectors and tags are reused. Default 15 minutes. */
  trailSettingsTtlMs?: number;
  /**
   * How long a verification of a trail's digest chain for one account-region
   * stands before it is done again. Default 1 hour: digests are hourly.
   */
  logIntegrityTtlMs?: number;
  /** Entries kept of each kind; the least recently stored go first. Default 10,000. */
  maxEntries?: number;
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_BUCKET_SETTINGS_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_TRAIL_SETTINGS_TTL_MS = 15 * 60 * 1000;
export const DEFAULT_LOG_INTEGRITY_TTL_MS = 60 * 60 * 1000;
const DEFAULT_MAX_ENTRIES = 10_000;

interface TrailSettings {
  /** The trail configuration they were read with: a change there re-reads them. */
  fingerprint: string;
  eventSelectors?: Probe<EventSelectors>;
  insightTypes?: Probe<string[]>;
  tags?: Probe<Record<string, string>>;
}

/**
 * {@link inspectTrails}, {@link inspectBucket} and {@link readRuntimeSignals}
 * for one refresh, answering from an {@link InspectionCache} what it holds.
 */
export class CachedInspector {
  /** Answers of this refresh by trail ARN, shared by the regions that see the trail. */
  private readonly asked = new Map<string, RefreshAnswers>();
  /**
   * Buckets read from AWS in this refresh, by name, shared while in flight:
   * trails judged at the same time that write to one bucket read it once.
   */
  private readonly bucketReads = new Map<string, Promise<BucketState>>();
  /** KMS keys read from AWS in this refresh, by account, region and key. */
  private readonly kmsKeyReads = new Map<string, Promise<Probe<KmsKeyFacts>>>();

  constructor(private readonly cache: InspectionCache) {}

  async inspectTrails(
    clients: AwsClients,
    target: InspectTarget,
  ): Promise<Probe<TrailState[]>> {
    const result = await inspectTrails(clients, target, {
      known: trail => this.known(clients, trail),
    });
    if (result.ok)
      result.value.forEach(state => this.cache.rememberTrail(state));
    return result;
  }

  /**
   * `revalidate` re-reads settings cached by an earlier refresh, e.g. when the
   * trail reports a delivery error; a read of this refresh is fresh enough.
   */
  async inspectBucket(
    clients: AwsClients,
    bucketName: string,
    options: { revalidate?: boolean } = {},
  ): Promise<BucketState> {
    let read = this.bucketReads.get(bucketName);
    if (!read) {
      const cached = options.revalidate
        ? undefined
        : this.cache.bucket(bucketName);
      if (cached) return cached;
      read = inspectBucket(clients, bucketName).then(state => {
        this.cache.rememberBucket(state);
        return state;
      });
      this.bucketReads.set(bucketName, read);
    }
    return read;
  }

  /**
   * The trail's KMS key (DescribeKey, GetKeyPolicy) in its home region, read
   * once per refresh and reused like bucket settings; `revalidate` re-reads it.
   */
  async inspectKmsKey(
    clients: AwsClients,
    trail: TrailDescription,
    options: { revalidate?: boolean } = {},
  ): Promise<Probe<KmsKeyFacts> | undefined> {
    if (!trail.kmsKeyId) return undefined;
    const id = kmsKeyCacheKey(trail);
    let read = this.kmsKeyReads.get(id);
    if (!read) {
      const cached = options.revalidate ? undefined : this.cache.kmsKey(id);
      if (cached) return cached;
      read = inspectKmsKey(clients, trail.kmsKeyId).then(state => {
        this.cache.rememberKmsKey(id, state);
        return state;
      });
      this.kmsKeyReads.set(id, read);
    }
    return read;
  }

  async readRuntimeSignals(
    clients: AwsClients,
    trail: TrailDescription,
    options: RuntimeSignalsOptions = {},
  ): Promise<RuntimeSignals> {
    // One cursor per account-region a trail delivers for.
    const stream = [
      trail.arn,
      options.accountId ?? trail.accountId,
      options.region ?? trail.homeRegion,
    ].join(' ');
    const { signals, cursor } = await readRuntimeSignalsSince(
      clients,
      trail,
      this.cache.cursor(stream),
      options,
    );
    this.cache.rememberCursor(stream, cursor);
    return signals;
  }

  /**
   * {@link verifyLogIntegrity} for one account-region of a trail with log
   * file validation, at most once per `logIntegrityTtlMs`: a verified or
   * failed chain stands that long (per trail configuration); a verification
   * AWS did not answer is tried again on the next refresh. Undefined when
   * validation is off.
   */
  async verifyLogIntegrity(
    clients: Pick<AwsClients, 'cloudTrail' | 's3'>,
    trail: TrailDescription,
    options: LogIntegrityOptions = {},
  ): Promise<LogIntegrity | undefined> {
    if (!trail.logFileValidationEnabled) return undefined;
    const stream = [
      trail.arn,
      options.accountId ?? trail.accountId,
      options.region ?? trail.homeRegion,
      fingerprintOf(trail),
    ].join(' ');
    const cached = this.cache.logIntegrity(stream);
    if (cached) return cached;
    const result = await verifyLogIntegrity(clients, trail, options);
    this.cache.rememberLogIntegrity(stream, result);
    return result;
  }

  private known(
    clients: AwsClients,
    trail: TrailDescription,
  ): KnownTrailAnswers {
    let answers = this.asked.get(trail.arn);
    if (!answers) {
      // Status is asked every refresh; settings only when not remembered.
      const settings = this.cache.trailSettings(trail);
      // A trail without custom selectors or Insights is answered without a call anyway.
      answers = {
        status: probeValue(() => getTrailStatus(clients, trail.arn)),
        eventSelectors:
          (trail.hasCustomEventSelectors !== false &&
            settings?.eventSelectors) ||
          askEventSelectors(clients, trail),
        insightTypes:
          (trail.hasInsightSelectors !== false && settings?.insightTypes) ||
          askInsightTypes(clients, trail),
        ...(settings?.tags ? { tags: settings.tags } : {}),
      };
      this.asked.set(trail.arn, answers);
    }
    return answers;
  }
}

interface RefreshAnswers extends KnownTrailAnswers {
  status: Promise<Probe<TrailStatus>>;
}

/**
 * What refreshes may reuse from earlier ones, so that steady state asks AWS
 * only what can have changed cheaply:
 * - a bucket's settings, for `bucketSettingsTtlMs` (only when every question
 *   was answered; a caller that sees a reason to doubt them revalidates);
 * - a trail's selectors, Insights selectors and tags, for `trailSettingsTtlMs`
 *   and as long as DescribeTrails describes the trail the same way (selectors
 *   put on a trail that had none show there as `HasCustomEventSelectors`);
 * - where each trail's log reading stopped and what its newest files held.
 * - each account-region's verified (or failed) digest chain, for
 *   `logIntegrityTtlMs`, as long as the trail is configured the same way.
 * Trail status (logging, delivery time and errors) is never reused across
 * refreshes: freshness and delivery are judged on a fresh GetTrailStatus.
 * Memory is bounded by `maxEntries` per kind.
 */
export class InspectionCache {
  private readonly buckets: BoundedMap<{ state: BucketState; at: number }>;
  private readonly trails: BoundedMap<{ settings: TrailSettings; at: number }>;
  private readonly cursors: BoundedMap<LogCursor>;
  private readonly integrity: BoundedMap<{ result: LogIntegrity; at: number }>;
  private readonly kmsKeys: BoundedMap<{
    state: Probe<KmsKeyFacts>;
    at: number;
  }>;
  private readonly now: () => number;
  readonly bucketSettingsTtlMs: number;
  readonly trailSettingsTtlMs: number;
  readonly logIntegrityTtlMs: number;

  constructor(options: InspectionCacheOptions = {}) {
    this.bucketSettingsTtlMs =
      options.bucketSettingsTtlMs ?? DEFAULT_BUCKET_SETTINGS_TTL_MS;
    this.trailSettingsTtlMs =
      options.trailSettingsTtlMs ?? DEFAULT_TRAIL_SETTINGS_TTL_MS;
    this.logIntegrityTtlMs =
      options.logIntegrityTtlMs ?? DEFAULT_LOG_INTEGRITY_TTL_MS;
    for (const [name, value] of Object.entries({
      bucketSettingsTtlMs: this.bucketSettingsTtlMs,
      trailSettingsTtlMs: this.trailSettingsTtlMs,
      logIntegrityTtlMs: this.logIntegrityTtlMs,
    })) {
      if (!Number.isFinite(value) || value < 0) {
        throw new TypeError(
          `${name} must be a finite number of milliseconds ≥ 0 (got ${value})`,
        );
      }
    }
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.buckets = new BoundedMap(maxEntries);
    this.trails = new BoundedMap(maxEntries);
    this.cursors = new BoundedMap(maxEntries);
    this.kmsKeys = new BoundedMap(maxEntries);
    this.integrity = new BoundedMap(maxEntries);
    this.now = options.now ?? Date.now;
  }

  /**
   * The view of one refresh: cached settings and cursors, and each trail's
   * status asked once however many regions see the trail.
   */
  beginRefresh(): CachedInspector {
    return new CachedInspector(this);
  }

  clear(): void {
    this.buckets.clear();
    this.trails.clear();
    this.cursors.clear();
    this.kmsKeys.clear();
    this.integrity.clear();
  }

  /** @internal */
  bucket(name: string): BucketState | undefined {
    const entry = this.buckets.get(name);
    return entry && this.fresh(entry.at, this.bucketSettingsTtlMs)
      ? entry.state
      : undefined;
  }

  /** @internal */
  rememberBucket(state: BucketState): void {
    if (!fullyAnswered(state)) {
      this.buckets.delete(state.name);
      return;
    }
    this.buckets.set(state.name, { state, at: this.now() });
  }

  /** @internal */
  trailSettings(trail: TrailDescription): TrailSettings | undefined {
    const entry = this.trails.get(trail.arn);
    if (!entry || !this.fresh(entry.at, this.trailSettingsTtlMs)) {
      return undefined;
    }
    return entry.settings.fingerprint === fingerprintOf(trail)
      ? entry.settings
      : undefined;
  }

  /** @internal */
  rememberTrail(state: TrailState): void {
    const { trail } = state;
    const fingerprint = fingerprintOf(trail);
    const entry = this.trails.get(trail.arn);
    // Answers read earlier in the same lifetime stay; only refused ones are not kept.
    const kept =
      entry?.settings.fingerprint === fingerprint &&
      this.fresh(entry.at, this.trailSettingsTtlMs)
        ? entry
        : undefined;
    // Answers AWS was not asked for (no custom selectors, no Insights) are not
    // remembered: when that changes, DescribeTrails says so and they are asked.
    const settings: TrailSettings = {
      fingerprint,
      ...(trail.hasCustomEventSelectors === false
        ? {}
        : okOnly('eventSelectors', state.eventSelectors)),
      ...(trail.hasInsightSelectors === false
        ? {}
        : okOnly('insightTypes', state.insightTypes)),
      ...okOnly('tags', state.tags),
    };
    this.trails.set(trail.arn, {
      settings: { ...kept?.settings, ...settings },
      at: kept?.at ?? this.now(),
    });
  }

  /** @internal */
  kmsKey(id: string): Probe<KmsKeyFacts> | undefined {
    const entry = this.kmsKeys.get(id);
    return entry && this.fresh(entry.at, this.bucketSettingsTtlMs)
      ? entry.state
      : undefined;
  }

  /** @internal Only a key whose every question was answered is kept. */
  rememberKmsKey(id: string, state: Probe<KmsKeyFacts>): void {
    if (!state.ok || (state.value.policy && !state.value.policy.ok)) {
      this.kmsKeys.delete(id);
      return;
    }
    this.kmsKeys.set(id, { state, at: this.now() });
  }

  /** @internal */
  logIntegrity(stream: string): LogIntegrity | undefined {
    const entry = this.integrity.get(stream);
    return entry && this.fresh(entry.at, this.logIntegrityTtlMs)
      ? entry.result
      : undefined;
  }

  /** @internal Only an answered verification is kept. */
  rememberLogIntegrity(stream: string, result: LogIntegrity): void {
    if (result.status === 'unknown') {
      this.integrity.delete(stream);
      return;
    }
    this.integrity.set(stream, { result, at: this.now() });
  }

  /** @internal */
  /** Where the reading of one trail's logs for one account-region stopped. */
  cursor(stream: string): LogCursor | undefined {
    return this.cursors.get(stream);
  }

  /** @internal */
  rememberCursor(stream: string, cursor: LogCursor | undefined): void {
    if (cursor) this.cursors.set(stream, cursor);
    else this.cursors.delete(stream);
  }

  private fresh(at: number, ttlMs: number): boolean {
    return this.now() - at < ttlMs;
  }
}

/**
 * The trail's own configuration as DescribeTrails gives it, alike from its
 * home region and as a shadow trail: an UpdateTrail shows here.
 */
function fingerprintOf(trail: TrailDescription): string {
  return JSON.stringify([
    trail.homeRegion,
    trail.s3BucketName,
    trail.s3KeyPrefix ?? null,
    trail.isMultiRegionTrail,
    trail.isOrganizationTrail,
    trail.includeGlobalServiceEvents,
    trail.logFileValidationEnabled,
    trail.kmsKeyId ?? null,
  ]);
}

/** A key reference means one key per account and region (aliases and ids are regional). */
function kmsKeyCacheKey(trail: TrailDescription): string {
  return `${trail.accountId}/${trail.homeRegion}/${trail.kmsKeyId}`;
}

function fullyAnswered(state: BucketState): boolean {
  return [
    state.exists,
    state.region,
    state.policy,
    state.encryption,
    state.publicAccessBlock,
    state.ownership,
    state.versioning,
    state.lifecycle,
    state.tags,
  ].every(probe => probe.ok);
}

function okOnly<K extends string, T>(
  key: K,
  probe: Probe<T>,
): Partial<Record<K, Probe<T>>> {
  return probe.ok ? ({ [key]: probe } as Record<K, Probe<T>>) : {};
}
