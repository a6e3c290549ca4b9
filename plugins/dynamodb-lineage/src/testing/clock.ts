/**
 * Makes `Date.now()` start at `start` and keep running, so relative times in
 * fixtures read the same in every run while debounced inputs still fire.
 * Undo with `jest.restoreAllMocks()`.
 */
export function runClockFrom(start: Date): void {
  const realStart = performance.now();
  jest
    .spyOn(Date, 'now')
    .mockImplementation(
      () => start.getTime() + Math.floor(performance.now() - realStart),
    );
}
