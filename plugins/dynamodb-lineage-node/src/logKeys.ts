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

/** The date prefix of one account, region and UTC day, of log files or of digest files. */
export function logPrefix(
  location: LogLocation,
  accountId: string,
  region: string,
  date: Date,
  kind: 'log' | 'digest' = 'log',
): string {
  const [y, m, d] = utcDay(date).split('-');
  return `${regionLogPrefix(location, accountId, region, kind)}${y}/${m}/${d}/`;
}

/** Every day of one account and region: keys under it sort by delivery time. */
export function regionLogPrefix(
  location: LogLocation,
  accountId: string,
  region: string,
  kind: 'log' | 'digest' = 'log',
): string {
  const folder = kind === 'log' ? 'CloudTrail' : 'CloudTrail-Digest';
  return `${logRoot(location)}${accountId}/${folder}/${region}/`;
}

/**
 * Where one trail's digest files of an account, region and UTC day start:
 * `ACCT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHmmssZ[_backfill].json.gz`
 * under the digest date prefix. Several trails may share a bucket and prefix;
 * the name tells them apart.
 */
export function digestFilePrefix(
  location: LogLocation,
  trail: { name: string; homeRegion: string },
  accountId: string,
  region: string,
  date: Date,
): string {
  return `${logPrefix(
    location,
    accountId,
    region,
    date,
    'digest',
  )}${accountId}_CloudTrail-Digest_${region}_${trail.name}_${
    trail.homeRegion
  }_`;
}

/** `YYYYMMDDTHHmmss`, the time stamp of CloudTrail file names without its `Z`. */
export function fileTimeStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '');
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

/**
 * The key up to its delivery minute: CloudTrail names files
 * `..._YYYYMMDDTHHmmZ_UNIQUE.json.gz`, so every file of that minute sorts
 * after it whatever its random suffix. A file delivered in the same minute as
 * the last one read may land later and sort before it: listings resume here.
 */
export function deliveryMinuteOf(key: string): string {
  return key.replace(/_[^_/]*$/, '');
}
