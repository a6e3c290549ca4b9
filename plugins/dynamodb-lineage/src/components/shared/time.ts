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

/** How fresh the logs of a trail are, in the words the card uses. */
export function lastLogText(latestDeliveryTime?: string, now?: number): string {
  return latestDeliveryTime
    ? `last log ${formatAge(latestDeliveryTime, now)}`
    : 'no log delivered yet';
}
