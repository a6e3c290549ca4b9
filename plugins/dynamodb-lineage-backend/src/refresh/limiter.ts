/**
 * Runs at most `concurrency` tasks at a time, in the order they were queued.
 * (p-limit would do, but it is ESM-only.)
 */
export function createLimiter(concurrency: number) {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `concurrency must be a whole number of at least 1, got ${concurrency}`,
    );
  }
  let running = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    running -= 1;
    queue.shift()?.();
  };

  return function limit<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        running += 1;
        Promise.resolve().then(task).then(resolve, reject).finally(release);
      };
      if (running < concurrency) start();
      else queue.push(start);
    });
  };
}
