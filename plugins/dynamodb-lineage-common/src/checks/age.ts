import type { CheckStatus, FreshnessThresholds } from '../types';

/** Minutes from `timestamp` to `now`; `undefined` if the timestamp is unreadable. Clock skew counts as 0. */
export function ageInMinutes(timestamp: string, now: Date): number | undefined {
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return undefined;
  return Math.max(0, (now.getTime() - time) / 60_000);
}

/** `45 min`, `5 h 2 min`, `3 d 4 h`. */
export function formatMinutes(minutes: number): string {
  const whole = Math.floor(minutes);
  if (whole < 60) return `${whole} min`;
  const hours = Math.floor(whole / 60);
  if (hours < 24) {
    const rest = whole % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${days} d ${restHours} h` : `${days} d`;
}

/** `pass` under the warn threshold, `warn` under the fail threshold, else `fail`. */
export function freshnessStatus(
  minutes: number,
  thresholds: FreshnessThresholds,
): CheckStatus {
  if (minutes >= thresholds.failAfterMinutes) return 'fail';
  if (minutes >= thresholds.warnAfterMinutes) return 'warn';
  return 'pass';
}

export function describeThresholds(thresholds: FreshnessThresholds): string {
  return `warn after ${formatMinutes(
    thresholds.warnAfterMinutes,
  )}, fail after ${formatMinutes(thresholds.failAfterMinutes)}`;
}
