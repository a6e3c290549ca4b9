import {
  CanarySighting,
  DataEventSample,
  DynamoDbEventsSignal,
} from '@lineage/plugin-dynamodb-lineage-common';
import { parseLogKey } from './logKeys';
import { LogObject } from './logReader';

/*
 * The newest log files read for a trail, summarised so that a later refresh
 * can answer from them without downloading them again, and so that event
 * counts come with the stretch of time they stand for.
 *
 * CloudTrail delivers a file about every 5 minutes when there are events, and
 * none when there are none: the events of a file delivered at T happened
 * since the delivery before it. So the time a set of files covers is the sum,
 * over their delivery times, of the gap to the delivery before each.
 */

/** What one log file held, kept so the file is not read again. */
export interface LogFileSummary {
  key: string;
  /** Compressed bytes downloaded. */
  bytes: number;
  /** Delivery time, from the file name (else its LastModified). */
  deliveredAt: string;
  /** The latest earlier delivery seen in the listing; absent when none was seen. */
  previousDeliveredAt?: string;
  /** DynamoDB data events in the file, deduplicated by eventID within the read, canary calls aside. */
  dynamodbEvents: number;
  /** Canary calls in the file; absent in summaries kept from before canaries were looked for. */
  canaryCalls?: CanarySighting[];
  eventsPerDay: Record<string, number>;
  oldestEventTime?: string;
  newestEventTime?: string;
}

/** A log file name with its delivery time: `…_20250308T1025Z_…`. */
const NAMED_DELIVERY = /_\d{8}T\d{4}(\d{2})?Z_[^/]*$/;

/** Delivery time of a listed log object: the file name's, else S3's LastModified. */
export function deliveryTimeOf(object: LogObject): string | undefined {
  const parsed = parseLogKey(object.key);
  if (parsed?.kind === 'log' && NAMED_DELIVERY.test(object.key)) {
    return parsed.deliveredAt;
  }
  return object.lastModified;
}

/**
 * For each object of an ascending listing, the latest delivery strictly
 * before its own (one delivery may be split into several files). `before`
 * is the newest object an earlier listing saw.
 */
export function previousDeliveries(
  ascending: LogObject[],
  before?: LogObject,
): Map<string, string | undefined> {
  const result = new Map<string, string | undefined>();
  let previous = before ? deliveryTimeOf(before) : undefined;
  let current: string | undefined;
  for (const object of ascending) {
    const time = deliveryTimeOf(object);
    if (time === undefined) {
      result.set(object.key, undefined);
      continue;
    }
    if (current === undefined || time > current) {
      if (current !== undefined) previous = current;
      current = time;
    }
    result.set(
      object.key,
      previous !== undefined && previous < time ? previous : undefined,
    );
  }
  return result;
}

/**
 * The signal of a set of summarised files: totals for the freshness check,
 * and the sample behind an events-per-day rate — the events of the files
 * whose previous delivery is known, over the time those deliveries cover.
 */
export function signalOfWindow(files: LogFileSummary[]): DynamoDbEventsSignal {
  const eventsPerDay: Record<string, number> = {};
  let oldestEventTime: string | undefined;
  let newestEventTime: string | undefined;
  for (const file of files) {
    for (const [day, count] of Object.entries(file.eventsPerDay)) {
      eventsPerDay[day] = (eventsPerDay[day] ?? 0) + count;
    }
    if (
      file.oldestEventTime &&
      (!oldestEventTime || file.oldestEventTime < oldestEventTime)
    ) {
      oldestEventTime = file.oldestEventTime;
    }
    if (
      file.newestEventTime &&
      (!newestEventTime || file.newestEventTime > newestEventTime)
    ) {
      newestEventTime = file.newestEventTime;
    }
  }
  const sample = sampleOf(files);
  const canaryCalls = files.flatMap(file => file.canaryCalls ?? []);
  return {
    filesRead: files.length,
    bytesRead: files.reduce((sum, f) => sum + f.bytes, 0),
    dynamodbEvents: files.reduce((sum, f) => sum + f.dynamodbEvents, 0),
    ...(oldestEventTime ? { oldestEventTime } : {}),
    ...(newestEventTime ? { newestEventTime } : {}),
    eventsPerDay,
    ...(sample ? { sample } : {}),
    ...(canaryCalls.length ? { canaryCalls } : {}),
  };
}

function sampleOf(files: LogFileSummary[]): DataEventSample | undefined {
  // One interval per delivery time, however many files it was split into.
  const deliveries = new Map<string, { previous: string; events: number }>();
  for (const file of files) {
    if (!file.previousDeliveredAt) continue;
    const entry = deliveries.get(file.deliveredAt) ?? {
      previous: file.previousDeliveredAt,
      events: 0,
    };
    entry.events += file.dynamodbEvents;
    deliveries.set(file.deliveredAt, entry);
  }
  let spanMs = 0;
  let events = 0;
  let from: string | undefined;
  let to: string | undefined;
  for (const [deliveredAt, { previous, events: count }] of deliveries) {
    const gap = Date.parse(deliveredAt) - Date.parse(previous);
    if (!(gap > 0)) continue;
    spanMs += gap;
    events += count;
    if (!from || previous < from) from = previous;
    if (!to || deliveredAt > to) to = deliveredAt;
  }
  if (!from || !to || spanMs <= 0) return undefined;
  return { events, spanMs, from, to };
}
