/** Milliseconds since the epoch and a way to wait; the system clock unless a test brings its own. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
};

/** Runs `task` when the rate allows; a failed task counts like any other start. */
export type RateLimit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Starts at most `perSecond` tasks in any one-second window, in the order
 * they were queued: the first `perSecond` start at once, each later one
 * waits until the start `perSecond` places before it is a second old.
 */
export function createRateLimit(
  perSecond: number,
  clock: Clock = systemClock,
): RateLimit {
  if (!Number.isInteger(perSecond) || perSecond < 1) {
    throw new RangeError(
      `perSecond must be a whole number of at least 1, got ${perSecond}`,
    );
  }
  /** Start times of the latest `perSecond` tasks, oldest first. */
  const starts: number[] = [];
  let turns: Promise<void> = Promise.resolve();
  return task => {
    const turn = turns.then(async () => {
      if (starts.length === perSecond) {
        const wait = starts[0] + 1000 - clock.now();
        if (wait > 0) await clock.sleep(wait);
        starts.shift();
      }
      starts.push(clock.now());
    });
    turns = turn;
    return turn.then(task);
  };
}
