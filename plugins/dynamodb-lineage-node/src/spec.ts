import { InputError } from '@backstage/errors';
import {
  LineageSpec,
  ReadWriteType,
  TableScope,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  dedicatedKeyAlias,
  tryParseTableArn,
  validateAccountId,
  validateBucketName,
  validateRegion,
  validateS3KeyPrefix,
  validateTableArn,
  validateTrailName,
} from '@lineage/plugin-dynamodb-lineage-common';
import { partitionOf } from './arns';

/**
 * What a caller may say about the trail it wants; everything but the account,
 * region and owner has a default (see `buildSpec`).
 */
export interface LineageSpecInput {
  accountId: string;
  region: string;
  owner: string;
  trailName?: string;
  bucketName?: string;
  s3KeyPrefix?: string;
  /**
   * `prefix` accepts table-name prefixes (`orders-`) or ARN prefixes. A name prefix is
   * expanded to an ARN prefix in each of `regions` (default: the home region), because
   * CloudTrail matches `resources.ARN` and allows no wildcards.
   */
  scope?:
    | { mode: 'all' }
    | { mode: 'tables'; tableArns: string[] }
    | { mode: 'prefix'; prefixes: string[]; regions?: string[] };
  readWriteType?: ReadWriteType;
  includeStreams?: boolean;
  kmsKeyId?: string;
  /** Encrypt with a key created for this trail (found by its alias on later runs). */
  createKmsKey?: boolean;
  lifecycle?: { glacierAfterDays?: number; expireAfterDays?: number };
  insights?: boolean;
  createdBy?: string;
  allowWeakening?: boolean;
}

export const DEFAULT_TRAIL_NAME = 'dynamodb-lineage';
export const DEFAULT_GLACIER_AFTER_DAYS = 90;
const MAX_DAYS = 36500;
/** CloudTrail allows 500 condition values per trail; keep room for a shared trail's own. */
const MAX_SCOPE_VALUES = 200;

export function defaultBucketName(accountId: string, region: string): string {
  return `dynamodb-lineage-${accountId}-${region}`;
}

const READ_WRITE_TYPES: ReadWriteType[] = ['All', 'ReadOnly', 'WriteOnly'];
const ENTITY_REF =
  /^([A-Za-z0-9_-]+):(?:([A-Za-z0-9_.-]+)\/)?([A-Za-z0-9_.-]+)$/;
const KEY_ID =
  '(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})';
const ALIAS_NAME = 'alias/[A-Za-z0-9/_-]{1,250}';
const KMS_KEY_ID = new RegExp(`^(?:${KEY_ID}|${ALIAS_NAME})$`);
const KMS_KEY_ARN = new RegExp(
  `^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\\d{12}):(?:key/${KEY_ID}|${ALIAS_NAME})$`,
);
const TABLE_NAME_PREFIX = /^[A-Za-z0-9_.-]{1,255}$/;
const KEY_PREFIX = /^[A-Za-z0-9!_.*'()-]+(?:\/[A-Za-z0-9!_.*'()-]+)*$/;

/**
 * Applies the defaults and checks every field, so nothing reaches AWS that AWS
 * would refuse. Throws `InputError` naming the field and the rule.
 */
export function buildSpec(input: LineageSpecInput): LineageSpec {
  if (!input || typeof input !== 'object') {
    throw new InputError('The lineage input must be an object');
  }
  const accountId = requiredString(input.accountId, 'accountId');
  rule('accountId', accountId, validateAccountId);
  const region = requiredString(input.region, 'region');
  rule('region', region, validateRegion);
  const owner = entityRef(requiredString(input.owner, 'owner'), 'owner');

  const trailName =
    optionalString(input.trailName, 'trailName') ?? DEFAULT_TRAIL_NAME;
  rule('trailName', trailName, validateTrailName);
  const bucketName =
    optionalString(input.bucketName, 'bucketName') ??
    defaultBucketName(accountId, region);
  rule('bucketName', bucketName, validateBucketName);

  const s3KeyPrefix = optionalString(input.s3KeyPrefix, 's3KeyPrefix');
  if (s3KeyPrefix !== undefined) {
    rule('s3KeyPrefix', s3KeyPrefix, validateS3KeyPrefix);
    // S3's "safe characters": nothing that needs escaping in URLs, policies or HCL.
    if (!KEY_PREFIX.test(s3KeyPrefix)) {
      fail(
        's3KeyPrefix',
        "must be path segments of letters, digits and !_.*'()- separated by single slashes, without a leading or trailing slash",
      );
    }
  }

  const readWriteType = input.readWriteType ?? 'All';
  if (!READ_WRITE_TYPES.includes(readWriteType)) {
    fail('readWriteType', `must be one of ${READ_WRITE_TYPES.join(', ')}`);
  }

  const givenKmsKeyId = optionalString(input.kmsKeyId, 'kmsKeyId');
  if (givenKmsKeyId !== undefined) {
    checkKmsKey(givenKmsKeyId, accountId, region);
  }
  const createKmsKey = bool(input.createKmsKey, 'createKmsKey', false);
  if (createKmsKey && givenKmsKeyId !== undefined) {
    fail(
      'createKmsKey',
      'cannot be combined with kmsKeyId: either a key is created for the trail, or the given one is used',
    );
  }
  const kmsKeyId = createKmsKey
    ? `arn:${partitionOf(
        region,
      )}:kms:${region}:${accountId}:${dedicatedKeyAlias(trailName)}`
    : givenKmsKeyId;

  const glacierAfterDays =
    input.lifecycle?.glacierAfterDays ?? DEFAULT_GLACIER_AFTER_DAYS;
  if (!isWholeNumber(glacierAfterDays, 1, MAX_DAYS)) {
    fail(
      'lifecycle.glacierAfterDays',
      `must be a whole number from 1 to ${MAX_DAYS}`,
    );
  }
  const expireAfterDays = input.lifecycle?.expireAfterDays;
  if (
    expireAfterDays !== undefined &&
    !isWholeNumber(expireAfterDays, glacierAfterDays + 1, MAX_DAYS)
  ) {
    fail(
      'lifecycle.expireAfterDays',
      `must be a whole number greater than lifecycle.glacierAfterDays (${glacierAfterDays}) and at most ${MAX_DAYS}`,
    );
  }

  const createdByInput = optionalString(input.createdBy, 'createdBy');
  const createdBy = createdByInput
    ? entityRef(createdByInput, 'createdBy')
    : undefined;

  return {
    accountId,
    region,
    trailName,
    bucketName,
    ...(s3KeyPrefix ? { s3KeyPrefix } : {}),
    scope: buildScope(input.scope, accountId, region),
    readWriteType,
    includeStreams: bool(input.includeStreams, 'includeStreams', false),
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(createKmsKey ? { createKmsKey } : {}),
    lifecycle: {
      glacierAfterDays,
      ...(expireAfterDays !== undefined ? { expireAfterDays } : {}),
    },
    insights: bool(input.insights, 'insights', false),
    owner,
    ...(createdBy ? { createdBy } : {}),
    ...(input.allowWeakening
      ? { allowWeakening: bool(input.allowWeakening, 'allowWeakening', false) }
      : {}),
  };
}

function buildScope(
  scope: LineageSpecInput['scope'],
  accountId: string,
  region: string,
): TableScope {
  if (scope === undefined || scope.mode === 'all') {
    return { mode: 'all' };
  }
  if (scope.mode === 'tables') {
    const arns = listOf(scope.tableArns, 'scope.tableArns');
    arns.forEach((arn, i) => {
      const field = `scope.tableArns[${i}]`;
      const parsed = tryParseTableArn(arn);
      if (!parsed) {
        fail(field, validateTableArn(arn) ?? 'is not a table ARN');
      }
      if (parsed.accountId !== accountId) {
        fail(
          field,
          `must be a table of account ${accountId}; a trail logs its own account`,
        );
      }
      if (parsed.partition !== partitionOf(region)) {
        fail(
          field,
          `must be in partition ${partitionOf(region)} like the trail`,
        );
      }
    });
    return { mode: 'tables', tableArns: unique(arns) };
  }
  if (scope.mode === 'prefix') {
    const prefixes = listOf(scope.prefixes, 'scope.prefixes');
    const regions = scope.regions?.length ? scope.regions : [region];
    regions.forEach((r, i) => rule(`scope.regions[${i}]`, r, validateRegion));
    const partition = partitionOf(region);
    const arnPrefixes = prefixes.flatMap((prefix, i) => {
      const field = `scope.prefixes[${i}]`;
      if (prefix.startsWith('arn:')) {
        const expected = new RegExp(
          `^arn:${partition}:dynamodb:[a-z0-9-]+:${accountId}:table/[A-Za-z0-9_.-]*$`,
        );
        if (!expected.test(prefix)) {
          fail(
            field,
            `must be a table-name prefix or an ARN prefix arn:${partition}:dynamodb:<region>:${accountId}:table/<name prefix>`,
          );
        }
        return [prefix];
      }
      if (!TABLE_NAME_PREFIX.test(prefix)) {
        fail(field, 'must be 1 to 255 of letters, digits, _ . -');
      }
      return regions.map(
        r => `arn:${partition}:dynamodb:${r}:${accountId}:table/${prefix}`,
      );
    });
    if (arnPrefixes.length > MAX_SCOPE_VALUES) {
      fail(
        'scope.prefixes',
        `must expand to at most ${MAX_SCOPE_VALUES} ARN prefixes`,
      );
    }
    return { mode: 'prefix', prefixes: unique(arnPrefixes) };
  }
  return fail('scope.mode', 'must be one of all, tables, prefix');
}

function listOf(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(field, 'must be a non-empty list');
  }
  if (value.length > MAX_SCOPE_VALUES) {
    fail(field, `must have at most ${MAX_SCOPE_VALUES} items`);
  }
  return value.map((item, i) => requiredString(item, `${field}[${i}]`));
}

function entityRef(value: string, field: string): string {
  const match = ENTITY_REF.exec(value);
  if (!match || value.length > 256) {
    fail(field, 'must be an entity ref such as group:default/team-payments');
  }
  const [, kind, namespace, name] = match;
  // Tags are compared with catalog refs later: store the full form.
  return `${kind.toLocaleLowerCase('en-US')}:${namespace ?? 'default'}/${name}`;
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(field, 'is required and must be a non-empty string');
  }
  return value.trim();
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return requiredString(value, field);
}

function bool(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(field, 'must be true or false');
  return value;
}

function isWholeNumber(value: unknown, min: number, max: number): boolean {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max
  );
}

function rule(
  field: string,
  value: string,
  check: (value: string) => string | undefined,
) {
  const broken = check(value);
  if (broken) fail(field, broken);
}

/**
 * A key id (UUID or `mrk-` multi-Region id), an alias name, or the ARN of
 * either. CloudTrail encrypts with a key of the trail's home region and
 * account, so an ARN naming another region or account is refused.
 */
function checkKmsKey(kmsKeyId: string, accountId: string, region: string) {
  if (KMS_KEY_ID.test(kmsKeyId)) return;
  const arn = KMS_KEY_ARN.exec(kmsKeyId);
  if (!arn) {
    fail(
      'kmsKeyId',
      'must be a key id (UUID or mrk- followed by 32 hex digits), alias/<name>, or the ARN of a key or alias',
    );
  }
  const [, partition, keyRegion, keyAccount] = arn;
  if (keyRegion !== region || keyAccount !== accountId) {
    fail(
      'kmsKeyId',
      `must be a key in the trail's home region and account (${region}, ${accountId}), got ${keyRegion}, ${keyAccount}`,
    );
  }
  if (partition !== partitionOf(region)) {
    fail('kmsKeyId', `must be in partition ${partitionOf(region)}`);
  }
}

function fail(field: string, why: string): never {
  throw new InputError(`${field}: ${why}`);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
