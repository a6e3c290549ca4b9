/*
 * CloudTrail's S3 key layout, as AWS documents it:
 *   [prefix/]AWSLogs/[o-ORGID/]ACCT/CloudTrail/REGION/YYYY/MM/DD/
 *     ACCT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
 * The date is the delivery time, so a file may hold records from before it.
 */

export interface LogLocation {
  s3KeyPrefix?: string;
  /** Organization trails put `o-<id>/` between `AWSLogs/` and the account. */
  organizationId?: string;
}

export interface ParsedLogKey {
  s3KeyPrefix?: string;
  organizationId?: string;
  accountId: string;
  region: string;
  kind: 'log' | 'digest';
  /** UTC day of the date path, YYYY-MM-DD. */
  day: string;
  /** Delivery time from the file name (ISO-8601), or the day's start when the name has none. */
  deliveredAt: string;
}

/** `[prefix/]AWSLogs/[o-ORGID/]`: where a trail's files start. */
export function logRoot(location: LogLocation): string {
  const prefix = location.s3KeyPrefix ? `${location.s3KeyPrefix}/` : '';
  const org = location.organizationId ? `${location.organizationId}/` : '';
  return `${prefix}AWSLogs/${org}`;
}

/** The date prefix of one account, region and UTC day. */
export function logPrefix(
  location: LogLocation,
  accountId: string,
  region: string,
  date: Date,
): string {
  const [y, m, d] = utcDay(date).split('-');
  return `${logRoot(
    location,
  )}${accountId}/CloudTrail/${region}/${y}/${m}/${d}/`;
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const KEY =
  /^(?:(.+)\/)?AWSLogs\/(?:(o-[a-z0-9]+)\/)?(\d{12})\/(CloudTrail|CloudTrail-Digest)\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)$/;
const FILE_TIME = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z/;

export function parseLogKey(key: string): ParsedLogKey | undefined {
  const match = KEY.exec(key);
  if (!match) return undefined;
  const [
    ,
    s3KeyPrefix,
    organizationId,
    accountId,
    folder,
    region,
    y,
    m,
    d,
    file,
  ] = match;
  const time = FILE_TIME.exec(file);
  const deliveredAt = time
    ? `${time[1]}-${time[2]}-${time[3]}T${time[4]}:${time[5]}:${
        time[6] ?? '00'
      }.000Z`
    : `${y}-${m}-${d}T00:00:00.000Z`;
  return {
    ...(s3KeyPrefix ? { s3KeyPrefix } : {}),
    ...(organizationId ? { organizationId } : {}),
    accountId,
    region,
    kind: folder === 'CloudTrail' ? 'log' : 'digest',
    day: `${y}-${m}-${d}`,
    deliveredAt,
  };
}
