import { createHash } from 'crypto';

/** Backstage's limit for `metadata.name`. */
const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;
const VALID_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * The entity name of an AWS resource: `<account>-<region>-<name>`, lowercased,
 * characters outside the entity-name alphabet replaced by `-`.
 *
 * A short hash of `identity` (the resource's ARN) is appended whenever the
 * readable form had to be altered (too long, other characters, or upper case):
 * the catalog compares names case-insensitively, so `Audit` and `audit` in one
 * account-region would otherwise collide, and truncation could make two long
 * names equal. The same resource always gets the same name.
 */
export function awsResourceEntityName(
  parts: { accountId: string; region: string; name: string },
  identity: string,
): string {
  const readable = `${parts.accountId}-${parts.region}-${parts.name}`;
  const sanitized = readable
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[^a-z0-9]+$/, '');
  if (
    sanitized === readable &&
    sanitized.length <= MAX_NAME_LENGTH &&
    VALID_NAME.test(sanitized)
  ) {
    return sanitized;
  }
  const suffix = shortHash(identity);
  const room = MAX_NAME_LENGTH - HASH_LENGTH - 1;
  const stem = sanitized.slice(0, room).replace(/[^a-z0-9]+$/, '');
  return stem ? `${stem}-${suffix}` : suffix;
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, HASH_LENGTH);
}
