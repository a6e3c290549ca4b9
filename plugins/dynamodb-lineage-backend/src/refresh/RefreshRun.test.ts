import { mockServices } from '@backstage/backend-test-utils';
import {
  BucketState,
  DEFAULT_FRESHNESS,
  Probe,
  RuntimeSignals,
  TrailDescription,
  TrailState,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsClientFactory,
  CachedInspector,
} from '@lineage/plugin-dynamodb-lineage-node';
import { CanaryLedger } from '../store/LineageStore';
import { DEFAULT_TRAIL_CONCURRENCY, RefreshRun } from './RefreshRun';

const REGION = 'us-east-1';
const ACCOUNTS = ['111111111111', '222222222222'];
const TRAILS_PER_ACCOUNT = 12;
const SHARED_BUCKET = 'shared-cloudtrail-logs';

const refused: Probe<never> = { ok: false, error: 'not asked in this test' };

/** No canary call is ever recorded: the clients here answer nothing. */
const noCanaries: CanaryLedger = {
  recordCanaryCall: async () => {},
  recordCanaryArrivals: async () => {},
  getCanaryCalls: async () => [],
  pruneCanaryCalls: async () => {},
};

function trail(accountId: string, index: number): TrailDescription {
  return {
    name: `trail-${index}`,
    arn: `arn:aws:cloudtrail:${REGION}:${accountId}:trail/trail-${index}`,
    accountId,
    homeRegion: REGION,
    s3BucketName: SHARED_BUCKET,
    isMultiRegionTrail: false,
    includeGlobalServiceEvents: true,
    isOrganizationTrail: false,
    logFileValidationEnabled: true,
  };
}

function stateOf(description: TrailDescription): TrailState {
  return {
    trail: description,
    observedFrom: { accountId: description.accountId, region: REGION },
    status: refused,
    eventSelectors: refused,
    insightTypes: refused,
    tags: refused,
  };
}

/**
 * An inspector whose log reading takes a while and records how many reads of
 * each account-region are in flight at once.
 */
function slowInspector() {
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
  const inspector = {
    async inspectTrails(
      _clients: unknown,
      target: { accountId: string; region: string },
    ) {
      const states = Array.from({ length: TRAILS_PER_ACCOUNT }, (_, i) =>
        stateOf(trail(target.accountId, i)),
      );
      return { ok: true, value: states };
    },
    // The trails here have no KMS key: nothing to read.
    async inspectKmsKey() {
      return undefined;
    },
    // Log integrity is judged elsewhere; here it is not verified.
    async verifyLogIntegrity() {
      return undefined;
    },
    async inspectBucket(_clients: unknown, name: string): Promise<BucketState> {
      await sleep(5);
      return {
        name,
        exists: refused,
        region: refused,
        policy: refused,
        encryption: refused,
        publicAccessBlock: refused,
        ownership: refused,
        versioning: refused,
        lifecycle: refused,
        tags: refused,
      };
    },
    async readRuntimeSignals(
      _clients: unknown,
      description: TrailDescription,
    ): Promise<RuntimeSignals> {
      const key = description.accountId;
      const now = (inFlight.get(key) ?? 0) + 1;
      inFlight.set(key, now);
      peak.set(key, Math.max(peak.get(key) ?? 0, now));
      await sleep(20);
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      return { logObjects: refused, dynamodbEvents: refused };
    },
  };
  return {
    inspector: inspector as unknown as CachedInspector,
    peak,
  };
}

describe('RefreshRun', () => {
  it('judges the trails of one account-region at the same time, at most five at once', async () => {
    const { inspector, peak } = slowInspector();
    const aws = {
      forAccount: async () => ({}),
    } as unknown as AwsClientFactory;
    const run = new RefreshRun({
      aws,
      thresholds: DEFAULT_FRESHNESS,
      now: new Date('2026-01-01T00:00:00Z'),
      knownAccounts: new Set(ACCOUNTS),
      logger: mockServices.logger.mock(),
      inspector,
      canaries: noCanaries,
    });

    const results = await Promise.all(
      ACCOUNTS.map(accountId =>
        run.inspect({ accountId, region: REGION, tableArns: [] }),
      ),
    );

    for (const [i, accountId] of ACCOUNTS.entries()) {
      expect(results[i].trails).toHaveLength(TRAILS_PER_ACCOUNT);
      // Overlapping, yet bounded per account-region whatever the others do.
      expect(peak.get(accountId)).toBe(DEFAULT_TRAIL_CONCURRENCY);
    }
    expect(DEFAULT_TRAIL_CONCURRENCY).toBeGreaterThan(1);
    expect(run.storedTrails()).toHaveLength(
      ACCOUNTS.length * TRAILS_PER_ACCOUNT,
    );
  });

  it('honours a smaller per-account-region bound', async () => {
    const { inspector, peak } = slowInspector();
    const run = new RefreshRun({
      aws: { forAccount: async () => ({}) } as unknown as AwsClientFactory,
      thresholds: DEFAULT_FRESHNESS,
      now: new Date('2026-01-01T00:00:00Z'),
      knownAccounts: new Set(ACCOUNTS),
      logger: mockServices.logger.mock(),
      inspector,
      canaries: noCanaries,
      trailConcurrency: 2,
    });
    const result = await run.inspect({
      accountId: ACCOUNTS[0],
      region: REGION,
      tableArns: [],
    });
    expect(result.trails).toHaveLength(TRAILS_PER_ACCOUNT);
    expect(peak.get(ACCOUNTS[0])).toBe(2);
  });
});
