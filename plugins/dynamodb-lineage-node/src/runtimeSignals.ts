import {
  CanarySighting,
  LogObjectsSignal,
  Probe,
  RuntimeSignals,
  TrailDescription,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients } from './clients';
import { canarySightingOf, isCanaryRecord } from './canary';
import { isDynamoDbDataEvent } from './dynamodbEvents';
import { LogLocation, deliveryMinuteOf, logPrefix, utcDay } from './logKeys';
import {
  LogObject,
  listLogObjectsAfter,
  newestFirst,
  readLogRecords,
  resolveLogLocation,
} from './logReader';
import {
  LogFileSummary,
  deliveryTimeOf,
  previousDeliveries,
  signalOfWindow,
} from './logWindow';
import { failed } from './probe';

export interface RuntimeSignalsOptions {
  now?: Date;
  /** Newest files to open looking for DynamoDB events. Default 3. */
  maxFiles?: number;
  /** Compressed bytes those files may add up to. Default 8 MB. */
  byteBudget?: number;
  /** Whose logs to look at; default the trail's account (an organization trail's member otherwise). */
  accountId?: string;
  /** Default the trail's home region. */
  region?: string;
}

/**
 * Where a trail's log reading stopped, carried from one refresh to the next
 * so that only objects delivered since are listed and read.
 */
export interface LogCursor {
  /** The bucket, key layout, account and region the cursor belongs to. */
  stream: string;
  /** Where the files start; an organization trail's `o-` folder is found once. */
  location: LogLocation;
  /** Newest log object a listing saw. */
  newest?: LogObject;
  /**
   * A UTC day (YYYY-MM-DD) listed after it was over: no object can appear
   * under its date prefix any more, so it is not listed again.
   */
  settledDay?: string;
  /** The newest files read, newest first, at most `maxFiles`. */
  window: LogFileSummary[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * A file's date path is its delivery time; the object lands moments later.
 * A day's prefix is taken as complete this long after midnight UTC.
 */
const DAY_SETTLES_AFTER_MS = 15 * 60 * 1000;
const DEFAULT_MAX_FILES = 3;
const DEFAULT_BYTE_BUDGET = 8 * 1024 * 1024;

/**
 * What the delivered logs say: the newest object under today's date prefix (and
 * yesterday's while today has fewer than `maxFiles` files) — never a listing of
 * the whole bucket — and
 * whether the newest files hold DynamoDB data events, with the time they cover.
 * One or two list calls and up to `maxFiles` reads.
 */
export async function readRuntimeSignals(
  clients: AwsClients,
  trail: TrailDescription,
  options: RuntimeSignalsOptions = {},
): Promise<RuntimeSignals> {
  return (await readRuntimeSignalsSince(clients, trail, undefined, options))
    .signals;
}

/**
 * {@link readRuntimeSignals} continuing from where an earlier read stopped:
 * today's prefix is listed only after the last key seen, yesterday's not at
 * all once it is complete, and only files not read before are downloaded —
 * the counts of the newest files already read come from the cursor. In
 * steady state that is one list call and one read per new delivery. Returns
 * the cursor for the next read (the previous one when the listing failed).
 * A cursor of another bucket, key layout, account or region is ignored.
 */
export async function readRuntimeSignalsSince(
  clients: AwsClients,
  trail: TrailDescription,
  previous: LogCursor | undefined,
  options: RuntimeSignalsOptions = {},
): Promise<{ signals: RuntimeSignals; cursor?: LogCursor }> {
  const now = options.now ?? new Date();
  const accountId = options.accountId ?? trail.accountId;
  const region = options.region ?? trail.homeRegion;
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const bucket = trail.s3BucketName;
  const stream = streamOf(trail, accountId, region);
  const cursor = previous?.stream === stream ? previous : undefined;

  let listing: Listing;
  try {
    // An organization trail whose o- folder was not there yet looks again.
    const location =
      cursor && (!trail.isOrganizationTrail || cursor.location.organizationId)
        ? cursor.location
        : await resolveLogLocation(clients.s3, trail);
    listing = await listNewObjects(clients, bucket, {
      stream,
      location,
      accountId,
      region,
      now,
      cursor,
      maxFiles,
    });
  } catch (error) {
    const reason = failed(error);
    return {
      signals: { logObjects: reason, dynamodbEvents: reason },
      ...(previous ? { cursor: previous } : {}),
    };
  }

  const { newest } = listing;
  const logObjects: Probe<LogObjectsSignal> = {
    ok: true,
    value: {
      ...(newest ? { newestKey: newest.key } : {}),
      ...(newest?.lastModified
        ? { newestLastModified: newest.lastModified }
        : {}),
      prefixesListed: listing.prefixesListed,
    },
  };

  // The newest object seen before takes its place in the delivery sequence:
  // a top-up from the previous day lists files older than it.
  const sequence = [
    ...(cursor?.newest ? [cursor.newest] : []),
    ...listing.added,
  ].sort(byKey);
  const read = await summarizeFiles(
    clients,
    bucket,
    newestFirst(listing.added).slice(0, maxFiles),
    previousDeliveries(sequence),
    options.byteBudget ?? DEFAULT_BYTE_BUDGET,
  );
  if (!read.ok) {
    // The next read starts again from where the last good one stopped.
    return {
      signals: { logObjects, dynamodbEvents: read },
      ...(previous ? { cursor: previous } : {}),
    };
  }
  // Keep the newest files, whether just read or read before.
  const window = [...read.value, ...(cursor?.window ?? [])]
    .sort((a, b) => byKey(b, a))
    .slice(0, maxFiles);
  return {
    signals: {
      logObjects,
      dynamodbEvents: { ok: true, value: signalOfWindow(window) },
    },
    cursor: { ...listing.cursor, window },
  };
}

interface Listing {
  /** Newest object under today's or yesterday's prefix, listed now or before. */
  newest?: LogObject;
  /** Objects not seen by an earlier listing, in key order. */
  added: LogObject[];
  prefixesListed: string[];
  cursor: Omit<LogCursor, 'window'>;
}

/**
 * Today's prefix from the newest key's delivery minute on, without the files
 * already read (everything in it when that key is from an earlier day).
 * Yesterday's as well while today's files and the files read before are
 * fewer than `maxFiles` (today has nothing, or only its first deliveries
 * right after midnight UTC), the same way; and not at all once an earlier
 * listing found yesterday complete.
 */
async function listNewObjects(
  clients: AwsClients,
  bucket: string,
  request: {
    stream: string;
    location: LogLocation;
    accountId: string;
    region: string;
    now: Date;
    cursor?: LogCursor;
    maxFiles: number;
  },
): Promise<Listing> {
  const { stream, location, accountId, region, now, cursor, maxFiles } =
    request;
  const yesterdayDate = new Date(now.getTime() - DAY_MS);
  const days = [
    { day: utcDay(now), prefix: logPrefix(location, accountId, region, now) },
    {
      day: utcDay(yesterdayDate),
      prefix: logPrefix(location, accountId, region, yesterdayDate),
    },
  ];
  const known = cursor?.newest;
  const prefixesListed: string[] = [];
  const added: LogObject[] = [];
  let newest: LogObject | undefined;
  let settledDay = cursor?.settledDay;

  const read = new Set((cursor?.window ?? []).map(file => file.key));

  for (const { day, prefix } of days) {
    const knownHere = known?.key.startsWith(prefix) ? known : undefined;
    prefixesListed.push(prefix);
    if (day === settledDay) {
      // Complete since an earlier listing: what was newest there still is.
      newest = newest ?? knownHere;
      break;
    }
    // From the start of the newest key's delivery minute: a file of that
    // minute may land after it and still sort before it.
    const listed = await listLogObjectsAfter(
      clients.s3,
      bucket,
      prefix,
      knownHere ? deliveryMinuteOf(knownHere.key) : undefined,
    );
    const logs = listed.objects.filter(
      o =>
        o.key.endsWith('.json.gz') && !read.has(o.key) && o.key !== known?.key,
    );
    added.push(...logs);
    newest =
      newest ?? newestFirst([...logs, ...(knownHere ? [knownHere] : [])])[0];
    if (
      day !== utcDay(now) &&
      listed.complete &&
      now.getTime() - Date.parse(`${day}T00:00:00.000Z`) >=
        DAY_MS + DAY_SETTLES_AFTER_MS
    ) {
      settledDay = day;
    }
    if (newest && read.size + added.length >= maxFiles) break;
  }
  added.sort(byKey);

  return {
    ...(newest ? { newest } : {}),
    added,
    prefixesListed,
    cursor: {
      stream,
      location,
      ...(newest ?? known ? { newest: newest ?? known } : {}),
      ...(settledDay ? { settledDay } : {}),
    },
  };
}

/** Ascending key order, which is delivery-time order across date prefixes. */
function byKey(a: LogObject, b: LogObject): number {
  if (a.key === b.key) return 0;
  return a.key < b.key ? -1 : 1;
}

/** Reads files newest first within the budget; one summary per file read. */
async function summarizeFiles(
  clients: AwsClients,
  bucket: string,
  files: LogObject[],
  previous: Map<string, string | undefined>,
  byteBudget: number,
): Promise<Probe<LogFileSummary[]>> {
  const seen = new Set<string>();
  const summaries: LogFileSummary[] = [];
  let remaining = byteBudget;
  try {
    for (const file of files) {
      if (remaining <= 0) break;
      const summary = emptySummary(file, previous.get(file.key));
      // Capture latency ends when the file holding the call lands in the bucket.
      const landedAt = file.lastModified ?? summary.deliveredAt;
      const stats = await readLogRecords(clients.s3, bucket, [file], {
        byteBudget: remaining,
        visit(record) {
          if (!isDynamoDbDataEvent(record)) return;
          // CloudTrail may deliver a record twice.
          if (record.eventID) {
            if (seen.has(record.eventID)) return;
            seen.add(record.eventID);
          }
          // The canary is the backend's own traffic: proof of capture, not table activity.
          if (isCanaryRecord(record)) {
            const sighting = canarySightingOf(record, landedAt);
            if (sighting) summary.canaryCalls.push(sighting);
            return;
          }
          count(summary, record.eventTime);
        },
      });
      remaining -= stats.bytesRead;
      summary.bytes = stats.bytesRead;
      if (stats.filesRead === 1) summaries.push(summary);
      // Nothing downloaded: the file would not fit the budget.
      else if (stats.bytesRead === 0) break;
    }
  } catch (error) {
    return failed(error);
  }
  return { ok: true, value: summaries };
}

function emptySummary(
  file: LogObject,
  previousDeliveredAt: string | undefined,
): LogFileSummary & { canaryCalls: CanarySighting[] } {
  return {
    key: file.key,
    bytes: 0,
    deliveredAt: deliveryTimeOf(file) ?? '',
    ...(previousDeliveredAt ? { previousDeliveredAt } : {}),
    dynamodbEvents: 0,
    canaryCalls: [],
    eventsPerDay: {},
  };
}

function count(summary: LogFileSummary, eventTime: string | undefined) {
  summary.dynamodbEvents += 1;
  const time = eventTime ? new Date(eventTime) : undefined;
  if (!time || Number.isNaN(time.getTime())) return;
  const day = utcDay(time);
  summary.eventsPerDay[day] = (summary.eventsPerDay[day] ?? 0) + 1;
  const iso = time.toISOString();
  if (!summary.newestEventTime || iso > summary.newestEventTime) {
    summary.newestEventTime = iso;
  }
  if (!summary.oldestEventTime || iso < summary.oldestEventTime) {
    summary.oldestEventTime = iso;
  }
}

/** Identifies a trail's log stream before its organization folder is known. */
function streamOf(
  trail: TrailDescription,
  accountId: string,
  region: string,
): string {
  return JSON.stringify([
    trail.s3BucketName,
    trail.s3KeyPrefix ?? '',
    trail.isOrganizationTrail,
    accountId,
    region,
  ]);
}
