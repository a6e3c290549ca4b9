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

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/**
 * A time as a reader says it: `11:28 UTC` on the day of `now`, `30 Nov 11:28
 * UTC` on another day of the year, `30 Nov 2025 11:28 UTC` otherwise; the
 * text as given when it is not a time.
 */
export function formatUtcTime(timestamp: string, now: Date): string {
  const time = new Date(timestamp);
  if (Number.isNaN(time.getTime())) return timestamp;
  const clock = time.toISOString().slice(11, 16);
  if (time.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) {
    return `${clock} UTC`;
  }
  const day = `${time.getUTCDate()} ${MONTHS[time.getUTCMonth()]}`;
  return time.getUTCFullYear() === now.getUTCFullYear()
    ? `${day} ${clock} UTC`
    : `${day} ${time.getUTCFullYear()} ${clock} UTC`;
}

/** `5 h 6 min ago (11:28 UTC)`; `undefined` when the timestamp is unreadable. */
export function describeWhen(timestamp: string, now: Date): string | undefined {
  const age = ageInMinutes(timestamp, now);
  if (age === undefined) return undefined;
  const ago = age < 1 ? 'just now' : `${formatMinutes(age)} ago`;
  return `${ago} (${formatUtcTime(timestamp, now)})`;
}
