import { createHash } from 'crypto';

/** Backstage's limit for `metadata.name`. */
const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;
const VALID_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * The entity name of a trail: `<account>-<home region>-<trail name>`, lowercased.
 *
 * A short hash of the trail ARN is appended whenever the readable form had to be
 * altered (too long, characters outside the entity-name alphabet, or upper case):
 * the catalog compares names case-insensitively, so `Audit` and `audit` in one
 * account-region would otherwise collide, and truncation could make two long
 * names equal.
 */
export function trailEntityName(trail: {
  arn: string;
  accountId: string;
  homeRegion: string;
  name: string;
}): string {
  const readable = `${trail.accountId}-${trail.homeRegion}-${trail.name}`;
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
  const suffix = shortHash(trail.arn);
  const room = MAX_NAME_LENGTH - HASH_LENGTH - 1;
  const stem = sanitized.slice(0, room).replace(/[^a-z0-9]+$/, '');
  return stem ? `${stem}-${suffix}` : suffix;
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, HASH_LENGTH);
}
