import { Clock } from '../rateLimit';

/** A clock that moves only when every task is waiting on it. */
export function virtualClock() {
  let time = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  const clock: Clock = {
    now: () => time,
    sleep: ms =>
      new Promise(resolve => {
        sleepers.push({ until: time + ms, wake: () => resolve() });
      }),
  };
  /** Lets queued promises settle, then jumps to the next sleeper; until none is left. */
  const runAll = async () => {
    for (;;) {
      // A macrotask turn: every pending promise callback has run by then.
      await new Promise(resolve => setImmediate(resolve));
      if (sleepers.length === 0) return;
      sleepers.sort((a, b) => a.until - b.until);
      const next = sleepers.shift()!;
      time = Math.max(time, next.until);
      next.wake();
    }
  };
  return { clock, runAll };
}

/** The most starts that fall in any window [t, t + 1000). */
export function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j] < sorted[i] + 1000) j++;
    peak = Math.max(peak, j - i);
  }
  return peak;
}
