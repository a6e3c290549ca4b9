import { InputError } from '@backstage/errors';
import {
  TableLineage,
  TrailDescription,
  tryParseTableArn,
  validateTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients } from './clients';
import { LineageAggregate } from './lineageAggregate';
import { logPrefix, parseLogKey } from './logKeys';
import {
  listLogObjects,
  newestFirst,
  readLogRecords,
  resolveLogLocation,
} from './logReader';

export interface TableLineageOptions {
  from: Date;
  to: Date;
  /** Compressed bytes of log files to read at most. */
  byteBudget: number;
  /** Upper bound for the day prefixes listed; default the current time. */
  now?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Who read and wrote one table in a time window: principals × operations × counts ×
 * last seen, from the trail's delivered logs, newest files first, deduplicated by
 * eventID. Failed calls are counted as errors, not as reads or writes. When the byte
 * budget runs out before the window is covered the answer says `truncated`.
 */
export async function readTableLineage(
  clients: AwsClients,
  trail: TrailDescription,
  tableArn: string,
  options: TableLineageOptions,
): Promise<TableLineage> {
  const table = tryParseTableArn(tableArn);
  if (!table) {
    throw new InputError(`tableArn: ${validateTableArn(tableArn)}`);
  }
  const { from, to } = options;
  if (!(from.getTime() < to.getTime())) {
    throw new InputError('from must be before to');
  }

  const aggregate = new LineageAggregate(tableArn, from, to);
  const location = await resolveLogLocation(clients.s3, trail);
  const now = options.now ?? new Date();
  // Delivery lags the event by minutes, so the day after `to` may hold its last records.
  const lastDay = Math.min(to.getTime() + DAY_MS, now.getTime());
  let budget = options.byteBudget;
  let filesRead = 0;
  let bytesRead = 0;
  let truncated = false;

  for (
    let day = lastDay;
    dayStart(day) >= dayStart(from.getTime());
    day -= DAY_MS
  ) {
    const prefix = logPrefix(
      location,
      table.accountId,
      table.region,
      new Date(day),
    );
    const listed = newestFirst(
      await listLogObjects(clients.s3, trail.s3BucketName, prefix),
    );
    // A file delivered before `from` holds only older records, and so do all after it.
    const cutoff = listed.findIndex(o => {
      const parsed = parseLogKey(o.key);
      return parsed !== undefined && parsed.deliveredAt < from.toISOString();
    });
    const files = (cutoff === -1 ? listed : listed.slice(0, cutoff)).filter(o =>
      o.key.endsWith('.json.gz'),
    );
    const stats = await readLogRecords(clients.s3, trail.s3BucketName, files, {
      byteBudget: budget,
      visit: record => aggregate.add(record),
    });
    filesRead += stats.filesRead;
    bytesRead += stats.bytesRead;
    budget -= stats.bytesRead;
    if (stats.truncated) {
      truncated = true;
      break;
    }
    if (cutoff !== -1) break;
  }

  return {
    tableArn,
    from: from.toISOString(),
    to: to.toISOString(),
    principals: aggregate.principals(),
    filesRead,
    bytesRead,
    truncated,
  };
}

function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
