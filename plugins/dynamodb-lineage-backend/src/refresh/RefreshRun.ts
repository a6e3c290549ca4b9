import { LoggerService } from '@backstage/backend-plugin-api';
import pLimit from 'p-limit';
import {
  AccountRegionStatus,
  BucketState,
  CANARY_LATENCY_WINDOW_MS,
  CanaryEvidence,
  CoverageScope,
  FreshnessThresholds,
  HealthCheckResult,
  KmsKeyFacts,
  LogIntegrity,
  Probe,
  RuntimeSignals,
  TrailDescription,
  TrailRef,
  TrailState,
  deriveAccountRegionStatus,
  DEFAULT_FIRST_DELIVERY_WINDOW_MINUTES,
  deriveTrailStatus,
  canaryTableArn,
  pendingFirstDelivery,
  estimateDataEventVolume,
  runChecks,
  trailReachesAccountRegion,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsClientFactory,
  CachedInspector,
  CanaryCallResult,
  callCanary,
} from '@lineage/plugin-dynamodb-lineage-node';
import { ScopedAccountRegion } from '../status/accountRegions';
import {
  CanaryLedger,
  StoredAccountRegion,
  StoredTrail,
  TrailObservation,
} from '../store/LineageStore';

/**
 * The bucket and the KMS key of a trail (the same from every region) and the
 * logs it holds for one account-region: each account-region is judged by its
 * own delivery prefix, so one region that stops delivering is not hidden by
 * another.
 */
interface DeliveryEvidence {
  bucket: BucketState;
  signals: RuntimeSignals;
  /** The trail's KMS key, when it has one. */
  kmsKey?: Probe<KmsKeyFacts>;
  /** The account-region's digest chain, when the trail has log file validation. */
  logIntegrity?: LogIntegrity;
}

interface JudgedTrail extends TrailObservation {
  trail: TrailRef;
  reason: string;
  checks: HealthCheckResult[];
}

export interface RefreshRunOptions {
  aws: AwsClientFactory;
  thresholds: FreshnessThresholds;
  now: Date;
  /** Accounts this refresh holds credentials for; a trail's bucket is read with its owner's. */
  knownAccounts: Set<string>;
  logger: LoggerService;
  /** Asks AWS, reusing what earlier refreshes learned that cannot have changed cheaply. */
  inspector: CachedInspector;
  /** Where canary calls and their arrivals are kept between refreshes. */
  canaries: CanaryLedger;
  /** Hours of digest files each verification of a digest chain covers. Default 6. */
  logIntegrityWindowHours?: number;
  /**
   * Trails of one account-region judged at the same time: each reads its
   * bucket (S3), its key (KMS) and its newest logs. CloudTrail calls are
   * rate-limited per account-region by the AWS clients. Default 5.
   */
  trailConcurrency?: number;
}

export const DEFAULT_TRAIL_CONCURRENCY = 5;

/**
 * One refresh: inspects account-regions and remembers what it learned about
 * each trail, so a multi-region or organization trail seen from many
 * account-regions has its bucket and logs read once.
 */
export class RefreshRun {
  private readonly buckets = new Map<string, Promise<BucketState>>();
  private readonly trails = new Map<
    string,
    StoredTrail & { atHome: boolean }
  >();

  constructor(private readonly options: RefreshRunOptions) {}

  /** Never throws: whatever AWS does not answer makes the account-region unknown. */
  async inspect(target: ScopedAccountRegion): Promise<StoredAccountRegion> {
    try {
      return await this.inspectOrThrow(target);
    } catch (error) {
      const reason = `inspection failed: ${messageOf(error)}`;
      this.options.logger.warn(
        `DynamoDB lineage refresh of ${target.accountId}/${target.region}: ${reason}`,
      );
      return { status: this.unknown(target, reason), trails: [] };
    }
  }

  /** The latest health of every trail seen, judged from its home account-region when seen there. */
  storedTrails(): StoredTrail[] {
    return [...this.trails.values()].map(
      ({ atHome: _atHome, ...trail }) => trail,
    );
  }

  private async inspectOrThrow(
    target: ScopedAccountRegion,
  ): Promise<StoredAccountRegion> {
    const { accountId, region } = target;
    const clients = await this.options.aws.forAccount(accountId, region);
    const described = await this.options.inspector.inspectTrails(clients, {
      accountId,
      region,
    });
    if (!described.ok) {
      return {
        status: this.unknown(
          target,
          `CloudTrail did not list trails: ${described.error}`,
        ),
        trails: [],
      };
    }

    const scope: CoverageScope = {
      accountId,
      region,
      ...(target.tableArns.length ? { tableArns: target.tableArns } : {}),
    };
    // A limiter of its own per account-region: the global limit bounds
    // account-regions, this one the trails of each.
    const limit = pLimit(
      this.options.trailConcurrency ?? DEFAULT_TRAIL_CONCURRENCY,
    );
    const reaching = uniqueByArn(described.value).filter(state =>
      trailReachesAccountRegion(state.trail, accountId, region),
    );
    // One canary call per covered account-region, whatever the number of trails.
    const canary = reaching.length
      ? await this.callCanary(clients, target)
      : undefined;
    const judged = await Promise.all(
      reaching.map(state =>
        limit(() =>
          this.judge(
            state,
            target,
            scope,
            canary,
            // Each trail is judged knowing the others that log here: a second capture bills again.
            reaching.filter(other => other.trail.arn !== state.trail.arn),
          ),
        ),
      ),
    );

    const verdict = deriveAccountRegionStatus(accountId, region, judged);
    const best = verdict.best;
    return {
      status: {
        accountId,
        region,
        ...(target.accountEntityRef
          ? { accountEntityRef: target.accountEntityRef }
          : {}),
        status: verdict.status,
        ...(best ? { coveringTrail: best.trail } : {}),
        checks: best?.checks ?? [],
        ...(best?.latestDeliveryTime
          ? { latestDeliveryTime: best.latestDeliveryTime }
          : {}),
        reason: verdict.reason,
        checkedAt: this.options.now.toISOString(),
      },
      trails: judged.map(t => ({
        arn: t.arn,
        status: t.status,
        ...(t.latestDeliveryTime
          ? { latestDeliveryTime: t.latestDeliveryTime }
          : {}),
      })),
    };
  }

  /** The refresh's canary call in the account-region, recorded before any log is read. */
  private async callCanary(
    clients: Awaited<ReturnType<AwsClientFactory['forAccount']>>,
    target: ScopedAccountRegion,
  ): Promise<CanaryCallResult> {
    const result = await callCanary(clients, () => this.options.now);
    if (result.kind === 'called') {
      await this.options.canaries.recordCanaryCall({
        accountId: target.accountId,
        region: target.region,
        requestId: result.requestId,
        calledAt: result.calledAt,
      });
    }
    return result;
  }

  /**
   * The canary calls of the last day with their arrival in this trail's logs,
   * after recording the ones its newest files hold. Absent when no call was
   * attempted (the account-region has no trail).
   */
  private async canaryEvidence(
    trail: TrailDescription,
    target: ScopedAccountRegion,
    signals: RuntimeSignals,
    call: CanaryCallResult | undefined,
  ): Promise<Probe<CanaryEvidence> | undefined> {
    if (!call) return undefined;
    const { canaries, now } = this.options;
    const sightings = signals.dynamodbEvents.ok
      ? signals.dynamodbEvents.value.canaryCalls ?? []
      : [];
    if (sightings.length) {
      await canaries.recordCanaryArrivals(trail.arn, sightings);
    }
    const calls = await canaries.getCanaryCalls({
      accountId: target.accountId,
      region: target.region,
      trailArn: trail.arn,
      since: new Date(now.getTime() - CANARY_LATENCY_WINDOW_MS).toISOString(),
    });
    return {
      ok: true,
      value: {
        tableArn: canaryTableArn(target.accountId, target.region),
        enabled: call.kind !== 'absent',
        ...(call.kind === 'failed' ? { callError: call.error } : {}),
        calls,
      },
    };
  }

  private async judge(
    state: TrailState,
    target: ScopedAccountRegion,
    scope: CoverageScope,
    call: CanaryCallResult | undefined,
    otherTrails: TrailState[],
  ): Promise<JudgedTrail> {
    const { bucket, signals, kmsKey, logIntegrity } = await this.deliveryOf(
      state,
      target,
      // A failing delivery is the symptom of a changed bucket or key: do not judge it on remembered settings.
      state.status.ok && Boolean(state.status.value.latestDeliveryError),
    );
    const canary = await this.canaryEvidence(
      state.trail,
      target,
      signals,
      call,
    );
    const checks = runChecks(
      {
        trail: state,
        bucket,
        signals,
        ...(kmsKey ? { kmsKey } : {}),
        ...(canary ? { canary } : {}),
        ...(logIntegrity ? { logIntegrity } : {}),
        otherTrails,
      },
      { scope, thresholds: this.options.thresholds, now: this.options.now },
    );
    const { thresholds, now } = this.options;
    const verdict = deriveTrailStatus(
      checks,
      state.status.ok
        ? pendingFirstDelivery(
            state.status.value,
            now,
            thresholds.firstDeliveryWindowMinutes ??
              DEFAULT_FIRST_DELIVERY_WINDOW_MINUTES,
          )
        : undefined,
    );
    const latestDeliveryTime = state.status.ok
      ? state.status.value.latestDeliveryTime
      : undefined;
    const judged: JudgedTrail = {
      arn: state.trail.arn,
      trail: trailRef(state.trail),
      status: verdict.status,
      reason: verdict.reason,
      checks,
      ...(latestDeliveryTime ? { latestDeliveryTime } : {}),
    };
    this.remember(state, target, judged, signals);
    return judged;
  }

  private remember(
    state: TrailState,
    target: ScopedAccountRegion,
    judged: JudgedTrail,
    signals: RuntimeSignals,
  ) {
    const atHome =
      state.trail.accountId === target.accountId &&
      state.trail.homeRegion === target.region;
    const previous = this.trails.get(judged.arn);
    if (previous && (previous.atHome || !atHome)) return;
    const volume = signals.dynamodbEvents.ok
      ? estimateDataEventVolume(signals.dynamodbEvents.value)
      : undefined;
    this.trails.set(judged.arn, {
      atHome,
      health: {
        trail: judged.trail,
        status: judged.status,
        checks: judged.checks,
        checkedAt: this.options.now.toISOString(),
        ...(judged.latestDeliveryTime
          ? { latestDeliveryTime: judged.latestDeliveryTime }
          : {}),
        ...(volume ? { volume } : {}),
      },
      description: state.trail,
      ...(state.eventSelectors.ok
        ? { selectors: state.eventSelectors.value }
        : {}),
    });
  }

  /**
   * The trail's owner holds the bucket. An organization trail seen from a
   * member account may belong to an account we hold no credentials for: the
   * member's own credentials then ask, and AWS's refusal becomes `unknown`.
   * The bucket's settings are read once per trail; the logs once per
   * account-region, under that account-region's own prefix. The digest
   * chain of the account-region is verified at most once an hour (the
   * inspector's cache), with the public keys of the account-region's own
   * region: CloudTrail signs each region's digests with a key of its own.
   */
  private async deliveryOf(
    state: TrailState,
    target: ScopedAccountRegion,
    revalidateBucket: boolean,
  ): Promise<DeliveryEvidence> {
    const { trail } = state;
    const account = this.options.knownAccounts.has(trail.accountId)
      ? trail.accountId
      : target.accountId;
    const clients = await this.options.aws.forAccount(
      account,
      trail.homeRegion,
    );
    const { inspector, now } = this.options;
    let bucket = this.buckets.get(trail.arn);
    if (!bucket) {
      bucket = inspector.inspectBucket(clients, trail.s3BucketName, {
        revalidate: revalidateBucket,
      });
      this.buckets.set(trail.arn, bucket);
    }
    const latestDigestDeliveryTime = state.status.ok
      ? state.status.value.latestDigestDeliveryTime
      : undefined;
    const [bucketState, signals, kmsKey, logIntegrity] = await Promise.all([
      bucket,
      inspector.readRuntimeSignals(clients, trail, {
        now,
        accountId: target.accountId,
        region: target.region,
      }),
      // Read once per refresh by the inspector, however many regions see the trail.
      inspector.inspectKmsKey(clients, trail, {
        revalidate: revalidateBucket,
      }),
      // Keys are the account-region's own; the bucket is read like the logs.
      this.options.aws.forAccount(account, target.region).then(regional =>
        inspector.verifyLogIntegrity(
          { cloudTrail: regional.cloudTrail, s3: clients.s3 },
          trail,
          {
            now,
            accountId: target.accountId,
            region: target.region,
            ...(this.options.logIntegrityWindowHours
              ? { windowHours: this.options.logIntegrityWindowHours }
              : {}),
            ...(latestDigestDeliveryTime ? { latestDigestDeliveryTime } : {}),
          },
        ),
      ),
    ]);
    return {
      bucket: bucketState,
      signals,
      ...(kmsKey ? { kmsKey } : {}),
      ...(logIntegrity ? { logIntegrity } : {}),
    };
  }

  private unknown(
    target: ScopedAccountRegion,
    reason: string,
  ): AccountRegionStatus {
    return {
      accountId: target.accountId,
      region: target.region,
      ...(target.accountEntityRef
        ? { accountEntityRef: target.accountEntityRef }
        : {}),
      status: 'unknown',
      checks: [],
      reason,
      checkedAt: this.options.now.toISOString(),
    };
  }
}

export function trailRef(trail: TrailDescription): TrailRef {
  return {
    arn: trail.arn,
    name: trail.name,
    accountId: trail.accountId,
    homeRegion: trail.homeRegion,
    bucket: trail.s3BucketName,
  };
}

/** DescribeTrails may list a trail more than once (home and shadow); judge it once per account-region. */
function uniqueByArn(states: TrailState[]): TrailState[] {
  const seen = new Map<string, TrailState>();
  for (const state of states) {
    if (!seen.has(state.trail.arn)) seen.set(state.trail.arn, state);
  }
  return [...seen.values()];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
