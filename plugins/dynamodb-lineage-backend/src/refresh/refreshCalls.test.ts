import {
  CallRecord,
  RunningEmulator,
  startEmulator,
} from '@lineage/aws-emulator';
import knexFactory, { Knex } from 'knex';
import { demoRefreshService } from '../__testUtils__/demoRefresh';

jest.setTimeout(60_000);

/** The demo seed's three trails (analytics has none). */
const DEMO_TRAILS = 3;

describe('AWS calls of a refresh of the demo world', () => {
  let emulator: RunningEmulator;
  let knex: Knex;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    await emulator.seed('demo');
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });
  afterEach(async () => {
    await knex.destroy();
  });

  async function refresher() {
    const { refresher: subject } = await demoRefreshService({
      emulator,
      knex,
      maxAttempts: 1,
    });
    return subject;
  }

  /** The AWS calls the emulator answered during `refresh`. */
  async function callsOf(refresh: () => Promise<unknown>) {
    emulator.calls.clear();
    await refresh();
    return emulator.calls.list();
  }

  const perTrail = (calls: CallRecord[]) => calls.length / DEMO_TRAILS;
  const count = (calls: CallRecord[], operation: string) =>
    calls.filter(c => c.operation === operation).length;

  /** Account-regions a demo trail reaches: one canary call each per refresh. */
  const COVERED = [
    '111111111111/eu-west-1',
    '111111111111/us-east-1',
    '222222222222/us-east-1',
    '333333333333/us-east-1',
  ];
  const inspection = (calls: CallRecord[]) =>
    calls.filter(c => c.operation !== 'GetItem');

  it('makes at most 4 AWS calls per trail in the second of two consecutive refreshes, besides the canary', async () => {
    const subject = await refresher();
    const first = await callsOf(() => subject.refresh());
    const second = await callsOf(() => subject.refresh());

    // Measured when written: 50 calls (16.7 per trail) in the first refresh, 11 (3.7) in the second;
    // 52 (17.3) in both before the cache.
    expect(perTrail(inspection(first))).toBeGreaterThan(4);
    // An account-region whose newest log file predates UTC midnight (after
    // midnight, or a stale trail) also lists the previous day's prefix: at
    // most one more list call each, not counted in the 4.
    const dayBefore = Math.max(
      0,
      count(second, 'ListObjectsV2') - COVERED.length,
    );
    expect(dayBefore).toBeLessThanOrEqual(COVERED.length);
    expect(
      (inspection(second).length - dayBefore) / DEMO_TRAILS,
    ).toBeLessThanOrEqual(4);
    // Freshness and delivery are still judged on a fresh status of every trail.
    expect(count(second, 'GetTrailStatus')).toBe(DEMO_TRAILS);
    // Nothing new was delivered between the two: no log file is read again.
    expect(count(second, 'GetObject')).toBe(0);
  });

  it('makes exactly one canary GetItem per covered account-region in every refresh, and none elsewhere', async () => {
    const subject = await refresher();
    for (const calls of [
      await callsOf(() => subject.refresh()),
      await callsOf(() => subject.refresh()),
    ]) {
      const canaryCalls = calls
        .filter(c => c.operation === 'GetItem')
        .map(c => {
          expect(c.resource).toBe(
            `arn:aws:dynamodb:${c.region}:${c.accountId}:table/dynamodb-lineage-canary`,
          );
          return `${c.accountId}/${c.region}`;
        })
        .sort();
      expect(canaryCalls).toEqual(COVERED);
    }
  });

  it('lists at most 2 log prefixes per trail, in the first refresh and the next, and the digest prefixes of the window once an hour', async () => {
    const subject = await refresher();
    const now = emulator.clock.now();
    // The 6-hour digest window touches one UTC day, or two across midnight:
    // one digest listing per day and verified account-region.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const digestDays = day(now - 6 * 60 * 60 * 1000) === day(now) ? 1 : 2;
    const first = await callsOf(() => subject.refresh());
    const second = await callsOf(() => subject.refresh());
    for (const [calls, verified] of [
      [first, true],
      [second, false],
    ] as const) {
      const byAccount = (operation: string) =>
        calls
          .filter(c => c.operation === operation)
          .reduce<Record<string, number>>((counts, call) => {
            const account = call.accountId ?? '?';
            counts[account] = (counts[account] ?? 0) + 1;
            return counts;
          }, {});
      // Each demo trail is the only one of its account, and its bucket is read as the account.
      const lists = byAccount('ListObjectsV2');
      const verifications = byAccount('ListPublicKeys');
      expect(Object.keys(lists).sort()).toEqual([
        '111111111111',
        '222222222222',
        '333333333333',
      ]);
      // Payments and orders validate their logs, inventory does not; a
      // verified chain stands for an hour, so the second refresh verifies none.
      expect(Object.keys(verifications).sort()).toEqual(
        verified ? ['111111111111', '222222222222'] : [],
      );
      for (const [account, listCalls] of Object.entries(lists)) {
        expect(listCalls).toBeLessThanOrEqual(
          2 + digestDays * (verifications[account] ?? 0),
        );
      }
    }
  });

  it('re-reads bucket settings once their lifetime is over', async () => {
    const subject = await refresher();
    await subject.refresh();
    await emulator.advance(60 * 60 * 1000);
    const later = await callsOf(() => subject.refresh());
    expect(count(later, 'GetBucketPolicy')).toBe(DEMO_TRAILS);
    expect(count(later, 'GetEventSelectors')).toBe(DEMO_TRAILS);
  });
});
