import {
  DynamoDbEventsSignal,
  LogObjectsSignal,
  Probe,
  RuntimeSignals,
  TrailDescription,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients } from './clients';
import { isDynamoDbDataEvent } from './dynamodbEvents';
import { logPrefix, utcDay } from './logKeys';
import {
  LogObject,
  listLogObjects,
  newestFirst,
  readLogRecords,
  resolveLogLocation,
} from './logReader';
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

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What the delivered logs say: the newest object under today's date prefix (or
 * yesterday's when today has none yet) — never a listing of the whole bucket — and
 * whether the newest files hold DynamoDB data events. Typically one or two list
 * calls and `maxFiles` reads.
 */
export async function readRuntimeSignals(
  clients: AwsClients,
  trail: TrailDescription,
  options: RuntimeSignalsOptions = {},
): Promise<RuntimeSignals> {
  const now = options.now ?? new Date();
  const accountId = options.accountId ?? trail.accountId;
  const region = options.region ?? trail.homeRegion;
  const bucket = trail.s3BucketName;
  const prefixesListed: string[] = [];

  let candidates: LogObject[];
  try {
    const location = await resolveLogLocation(clients.s3, trail);
    candidates = [];
    for (const day of [now, new Date(now.getTime() - DAY_MS)]) {
      const prefix = logPrefix(location, accountId, region, day);
      prefixesListed.push(prefix);
      candidates = (await listLogObjects(clients.s3, bucket, prefix)).filter(
        o => o.key.endsWith('.json.gz'),
      );
      if (candidates.length > 0) break;
    }
  } catch (error) {
    const reason = failed(error);
    return { logObjects: reason, dynamodbEvents: reason };
  }

  const ordered = newestFirst(candidates);
  const newest = ordered[0];
  const logObjects: Probe<LogObjectsSignal> = {
    ok: true,
    value: {
      ...(newest ? { newestKey: newest.key } : {}),
      ...(newest?.lastModified
        ? { newestLastModified: newest.lastModified }
        : {}),
      prefixesListed,
    },
  };

  const dynamodbEvents = await countDynamoDbEvents(
    clients,
    bucket,
    ordered.slice(0, options.maxFiles ?? 3),
    options.byteBudget ?? 8 * 1024 * 1024,
  );
  return { logObjects, dynamodbEvents };
}

async function countDynamoDbEvents(
  clients: AwsClients,
  bucket: string,
  files: LogObject[],
  byteBudget: number,
): Promise<Probe<DynamoDbEventsSignal>> {
  const seen = new Set<string>();
  const eventsPerDay: Record<string, number> = {};
  let newestEventTime: string | undefined;
  let dynamodbEvents = 0;
  try {
    const stats = await readLogRecords(clients.s3, bucket, files, {
      byteBudget,
      visit(record) {
        if (!isDynamoDbDataEvent(record)) return;
        // CloudTrail may deliver a record twice.
        if (record.eventID) {
          if (seen.has(record.eventID)) return;
          seen.add(record.eventID);
        }
        dynamodbEvents += 1;
        const time = record.eventTime ? new Date(record.eventTime) : undefined;
        if (time && !Number.isNaN(time.getTime())) {
          const day = utcDay(time);
          eventsPerDay[day] = (eventsPerDay[day] ?? 0) + 1;
          const iso = time.toISOString();
          if (!newestEventTime || iso > newestEventTime) newestEventTime = iso;
        }
      },
    });
    return {
      ok: true,
      value: {
        filesRead: stats.filesRead,
        bytesRead: stats.bytesRead,
        dynamodbEvents,
        ...(newestEventTime ? { newestEventTime } : {}),
        eventsPerDay,
      },
    };
  } catch (error) {
    return failed(error);
  }
}
