/**
 * "3 min ago" style age of an ISO timestamp. Coarse on purpose: delivery is
 * only about every 5 minutes, so seconds would suggest false precision.
 */
export function formatAge(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'at an unknown time';
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/**
 * The wall-clock time of an ISO timestamp in UTC: "11:28 UTC" today,
 * "30 Nov 11:28 UTC" on another day. UTC because CloudTrail's log keys and
 * the AWS console's API answers are in UTC.
 */
export function formatClock(iso: string, now: number = Date.now()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  const time = then.toISOString().slice(11, 16);
  const sameDay =
    then.toISOString().slice(0, 10) ===
    new Date(now).toISOString().slice(0, 10);
  if (sameDay) return `${time} UTC`;
  const day = then.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  return `${day} ${time} UTC`;
}

/** "5 h ago (11:28 UTC)": the age first, the clock time for checking. */
export function formatWhen(iso: string, now: number = Date.now()): string {
  if (Number.isNaN(Date.parse(iso))) return 'at an unknown time';
  return `${formatAge(iso, now)} (${formatClock(iso, now)})`;
}

/** How fresh the logs of a trail are: "Last delivery 5 h ago (11:28 UTC)". */
export function lastLogText(latestDeliveryTime?: string, now?: number): string {
  return latestDeliveryTime
    ? `Last delivery ${formatWhen(latestDeliveryTime, now)}`
    : 'No log delivered yet';
}
