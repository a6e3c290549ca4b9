import { AccountRegionRateLimits, createRateLimit } from './rateLimit';
import { peakPerSecond, virtualClock } from './__testUtils__/virtualClock';

describe('createRateLimit', () => {
  it('starts at most the limit in any second, the first ones at once, in queue order', async () => {
    const { clock, runAll } = virtualClock();
    const limit = createRateLimit(10, clock);
    const started: { index: number; at: number }[] = [];
    const results = Promise.all(
      Array.from({ length: 35 }, (_, index) =>
        limit(async () => {
          started.push({ index, at: clock.now() });
          return index;
        }),
      ),
    );
    await runAll();
    expect(await results).toEqual(Array.from({ length: 35 }, (_, i) => i));
    expect(started.map(s => s.index)).toEqual(
      Array.from({ length: 35 }, (_, i) => i),
    );
    expect(peakPerSecond(started.map(s => s.at))).toBe(10);
    // A burst of 10 at once, then 10 more each second: 35 starts span 3 seconds.
    expect(started.filter(s => s.at === 0)).toHaveLength(10);
    expect(Math.max(...started.map(s => s.at))).toBe(3000);
  });

  it('does not wait when the calls are already spread out', async () => {
    const { clock, runAll } = virtualClock();
    const sleep = jest.spyOn(clock, 'sleep');
    const limit = createRateLimit(2, clock);
    await Promise.all([limit(async () => 1), limit(async () => 2)]);
    await runAll();
    expect(sleep).not.toHaveBeenCalled();
  });

  it('keeps going after a failed task', async () => {
    const { clock, runAll } = virtualClock();
    const limit = createRateLimit(1, clock);
    const failed = limit(async () => {
      throw new Error('boom');
    });
    const next = limit(async () => 'next');
    const settled = Promise.allSettled([failed, next]);
    await runAll();
    const [first, second] = await settled;
    expect(first).toMatchObject({
      status: 'rejected',
      reason: { message: 'boom' },
    });
    expect(second).toEqual({ status: 'fulfilled', value: 'next' });
    expect(clock.now()).toBe(1000);
  });

  it('counts the second from the end of a task, however long it took', async () => {
    const { clock, runAll } = virtualClock();
    const limit = createRateLimit(1, clock);
    const started: number[] = [];
    const slow = limit(async () => {
      started.push(clock.now());
      await clock.sleep(700);
    });
    const next = limit(async () => {
      started.push(clock.now());
    });
    await runAll();
    await Promise.all([slow, next]);
    // A start-based limit would start the second task at 1000, 300 ms after the first ended.
    expect(started).toEqual([0, 1700]);
  });

  it('refuses a rate below one', () => {
    expect(() => createRateLimit(0)).toThrow(/at least 1/);
    expect(() => new AccountRegionRateLimits(0)).toThrow(/at least 1/);
  });
});

describe('AccountRegionRateLimits', () => {
  it('gives every caller of one account-region the same limit, and other account-regions their own', async () => {
    const { clock, runAll } = virtualClock();
    const limits = new AccountRegionRateLimits(1, clock);
    const started: Record<string, number> = {};
    const run = (name: string, accountId: string, region: string) =>
      limits.of(
        accountId,
        region,
      )(async () => {
        started[name] = clock.now();
      });
    const all = Promise.all([
      run('first', '111111111111', 'us-east-1'),
      run('same account-region', '111111111111', 'us-east-1'),
      run('other region', '111111111111', 'eu-west-1'),
      run('other account', '222222222222', 'us-east-1'),
    ]);
    await runAll();
    await all;
    expect(started).toEqual({
      first: 0,
      'same account-region': 1000,
      'other region': 0,
      'other account': 0,
    });
  });
});
