import { createHash } from 'node:crypto';
import {
  AWS_REGIONS,
  LineageSpec,
  PlannedAthenaTable,
} from '@lineage/plugin-dynamodb-lineage-common';
import { LogLocation, logRoot } from '../logKeys';

/*
 * The Athena table over one account's CloudTrail logs in a trail's bucket, as
 * AWS documents it for CloudTrail with partition projection: the JSON SerDe,
 * CloudTrail's input format, and projected partitions `region` (every region
 * a trail can log) and `day` (the `YYYY/MM/DD` of the key path), so a query
 * that names its regions and days reads only those prefixes. Organization
 * trails and key prefixes are part of the location.
 */

/** Where one account's log files of a trail are. */
export interface CloudTrailTableSource extends LogLocation {
  trailName: string;
  accountId: string;
  bucketName: string;
}

export interface CloudTrailTable {
  database: string;
  name: string;
  /** `s3://bucket/[prefix/]AWSLogs/[o-id/]ACCT/CloudTrail/` */
  location: string;
  /** The same with `${region}/${day}`, Athena's storage.location.template. */
  locationTemplate: string;
  columns: Array<{ name: string; type: string }>;
  partitionKeys: Array<{ name: string; type: string }>;
  serde: string;
  inputFormat: string;
  outputFormat: string;
  properties: Record<string, string>;
}

/** Day partitions start at CloudTrail's launch: any earlier day holds no log. */
export const PROJECTION_START_DAY = '2013/11/01';
export const DAY_FORMAT = 'yyyy/MM/dd';

const USER_IDENTITY =
  'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,' +
  'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
  'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,' +
  'sourceidentity:string>>';

/** The CloudTrail record members the table reads (nested objects as JSON text). */
export const CLOUDTRAIL_COLUMNS: ReadonlyArray<{ name: string; type: string }> =
  [
    { name: 'eventversion', type: 'string' },
    { name: 'useridentity', type: USER_IDENTITY },
    { name: 'eventtime', type: 'string' },
    { name: 'eventsource', type: 'string' },
    { name: 'eventname', type: 'string' },
    { name: 'awsregion', type: 'string' },
    { name: 'sourceipaddress', type: 'string' },
    { name: 'useragent', type: 'string' },
    { name: 'errorcode', type: 'string' },
    { name: 'errormessage', type: 'string' },
    { name: 'requestparameters', type: 'string' },
    { name: 'responseelements', type: 'string' },
    { name: 'additionaleventdata', type: 'string' },
    { name: 'requestid', type: 'string' },
    { name: 'eventid', type: 'string' },
    { name: 'readonly', type: 'string' },
    {
      name: 'resources',
      type: 'array<struct<arn:string,accountid:string,type:string>>',
    },
    { name: 'eventtype', type: 'string' },
    { name: 'apiversion', type: 'string' },
    { name: 'managementevent', type: 'string' },
    { name: 'recipientaccountid', type: 'string' },
    { name: 'sharedeventid', type: 'string' },
    { name: 'vpcendpointid', type: 'string' },
    { name: 'eventcategory', type: 'string' },
  ];

const identifier = (text: string) =>
  text.toLowerCase().replace(/[^a-z0-9_]/g, '_');

/**
 * The table of one account's logs of a trail. Its name carries a hash of its
 * definition, so a changed definition (another bucket or prefix) is a new
 * table and `CREATE … IF NOT EXISTS` stays idempotent.
 */
export function cloudTrailTable(
  source: CloudTrailTableSource,
  database: string,
): CloudTrailTable {
  const root = `s3://${source.bucketName}/${logRoot(source)}${
    source.accountId
  }/CloudTrail/`;
  const properties: Record<string, string> = {
    'projection.enabled': 'true',
    'projection.region.type': 'enum',
    'projection.region.values': AWS_REGIONS.join(','),
    'projection.day.type': 'date',
    'projection.day.range': `${PROJECTION_START_DAY},NOW`,
    'projection.day.format': DAY_FORMAT,
    'projection.day.interval': '1',
    'projection.day.interval.unit': 'DAYS',
    'storage.location.template': `${root}\${region}/\${day}`,
    classification: 'cloudtrail',
  };
  const definition = JSON.stringify([CLOUDTRAIL_COLUMNS, root, properties]);
  const hash = createHash('sha256')
    .update(definition)
    .digest('hex')
    .slice(0, 8);
  return {
    database,
    name: identifier(
      `cloudtrail_${source.trailName}_${source.accountId}_${hash}`,
    ).slice(0, 255),
    location: root,
    locationTemplate: properties['storage.location.template'],
    columns: [...CLOUDTRAIL_COLUMNS],
    partitionKeys: [
      { name: 'region', type: 'string' },
      { name: 'day', type: 'string' },
    ],
    serde: 'org.apache.hive.hcatalog.data.JsonSerDe',
    inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    properties,
  };
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Athena DDL that creates the database, if missing. */
export function createDatabaseDdl(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS \`${database}\``;
}

/** Athena DDL that creates the table, if missing (Hive DDL, as Athena runs it). */
export function createTableDdl(table: CloudTrailTable): string {
  const column = (c: { name: string; type: string }) =>
    `  \`${c.name}\` ${c.type}`;
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${table.database}\`.\`${table.name}\` (`,
    table.columns.map(column).join(',\n'),
    ')',
    `COMMENT ${quote(
      `CloudTrail logs under ${table.location}, partitioned by region and day`,
    )}`,
    `PARTITIONED BY (${table.partitionKeys
      .map(k => `\`${k.name}\` ${k.type}`)
      .join(', ')})`,
    `ROW FORMAT SERDE ${quote(table.serde)}`,
    `STORED AS INPUTFORMAT ${quote(table.inputFormat)}`,
    `OUTPUTFORMAT ${quote(table.outputFormat)}`,
    `LOCATION ${quote(table.location)}`,
    'TBLPROPERTIES (',
    Object.entries(table.properties)
      .map(([k, v]) => `  ${quote(k)}=${quote(v)}`)
      .join(',\n'),
    ')',
  ].join('\n');
}

/** Athena's database names: lowercase letters, digits and underscores. */
export const ATHENA_DATABASE_NAME = /^[a-z0-9_]{1,255}$/;

/** Where a spec's trail writes its logs. */
export type TrailSpecLocation = Pick<
  LineageSpec,
  'trailName' | 'accountId' | 'bucketName' | 's3KeyPrefix'
>;

/** The table over the logs of a spec's trail in its own account. */
export function specCloudTrailTable(
  spec: TrailSpecLocation,
  database: string,
): CloudTrailTable {
  return cloudTrailTable(
    {
      trailName: spec.trailName,
      accountId: spec.accountId,
      bucketName: spec.bucketName,
      ...(spec.s3KeyPrefix ? { s3KeyPrefix: spec.s3KeyPrefix } : {}),
    },
    database,
  );
}

/**
 * The Athena table a plan's trail gets with Athena forensics, with the DDL
 * the forensics engine runs on its first query over the account.
 */
export function plannedAthenaTable(
  spec: TrailSpecLocation,
  database: string,
): PlannedAthenaTable {
  const table = specCloudTrailTable(spec, database);
  return {
    database,
    name: table.name,
    location: table.location,
    locationTemplate: table.locationTemplate,
    ddl: createTableDdl(table),
    note: `Not an apply step: created with this DDL by the first Athena forensics query over account ${spec.accountId} (or by the Terraform export's Glue table of the same name).`,
  };
}
