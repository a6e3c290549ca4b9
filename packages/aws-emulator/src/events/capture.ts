import { isVisible, appliesInRegion } from '../services/cloudtrail/lookup';
import type { DeliveryStream, Trail } from '../services/cloudtrail/model';
import { selectorsCapture } from '../services/cloudtrail/selectors';
import type { World } from '../world';
import type { CloudTrailRecord } from './record';

/** Records kept per stream while deliveries fail, oldest dropped first. */
const MAX_BUFFERED_RECORDS = 100_000;

export function streamOf(
  trail: Trail,
  accountId: string,
  region: string,
): DeliveryStream {
  const id = `${accountId}/${region}`;
  let stream = trail.streams.get(id);
  if (!stream) {
    stream = { accountId, region, buffer: [], hourFiles: [] };
    trail.streams.set(id, stream);
  }
  return stream;
}

/**
 * Hands a record to every logging trail that covers its account (own trail, or
 * an organization trail of the account's organization) and region, and whose
 * selectors match. Returns how many trails took it.
 */
export function captureRecord(world: World, record: CloudTrailRecord): number {
  let taken = 0;
  for (const trail of world.trails.values()) {
    if (!trail.status.isLogging) continue;
    if (!isVisible(world, trail, record.recipientAccountId)) continue;
    if (!appliesInRegion(trail, record.awsRegion)) continue;
    if (!selectorsCapture(trail, record)) continue;
    const stream = streamOf(trail, record.recipientAccountId, record.awsRegion);
    stream.buffer.push(record);
    if (stream.buffer.length > MAX_BUFFERED_RECORDS) stream.buffer.shift();
    taken++;
  }
  return taken;
}
