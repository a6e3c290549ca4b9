/** Milliseconds since the epoch and a way to wait; the system clock unless a test brings its own. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
};

/** Runs `task` when the rate allows; a failed task counts like any other. */
export type RateLimit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * At most `perSecond` tasks in any one-second window, in the order they were
 * queued: the first `perSecond` start at once, each later one when the task
 * `perSecond` places before it has been finished for a second. Counting from
 * the end, not the start, holds the rate for whoever sees the tasks at any
 * moment between their start and their end (a server receiving calls),
 * however long each spends in flight or waiting for the event loop.
 */
export function createRateLimit(
  perSecond: number,
  clock: Clock = systemClock,
): RateLimit {
  checkPerSecond(perSecond);
  /** When each of the latest `perSecond` started tasks finishes, oldest first. */
  const ends: Promise<number>[] = [];
  let turns: Promise<void> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    let finished: (at: number) => void = () => {};
    const end = new Promise<number>(resolve => {
      finished = resolve;
    });
    const turn = turns.then(async () => {
      if (ends.length === perSecond) {
        const until = (await ends.shift()!) + 1000;
        // Timers may fire a millisecond before the wall clock says they are due.
        while (clock.now() < until) await clock.sleep(until - clock.now());
      }
      ends.push(end);
    });
    turns = turn;
    return turn.then(task).finally(() => finished(clock.now()));
  };
}

/**
 * One {@link RateLimit} per account and region, made on first use: every
 * caller that asks for the same account-region shares it.
 */
export class AccountRegionRateLimits {
  private readonly limits = new Map<string, RateLimit>();

  constructor(
    readonly perSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    checkPerSecond(perSecond);
  }

  of(accountId: string, region: string): RateLimit {
    const key = `${accountId}/${region}`;
    let limit = this.limits.get(key);
    if (!limit) {
      limit = createRateLimit(this.perSecond, this.clock);
      this.limits.set(key, limit);
    }
    return limit;
  }
}

function checkPerSecond(perSecond: number): void {
  if (!Number.isInteger(perSecond) || perSecond < 1) {
    throw new RangeError(
      `perSecond must be a whole number of at least 1, got ${perSecond}`,
    );
  }
}
