import { LifecycleRule } from '@lineage/plugin-dynamodb-lineage-common';
import { LIFECYCLE_RULE_ID } from './desiredState';
import { sameJson } from './objects';

/*
 * PutBucketLifecycleConfiguration replaces every rule: other rules are sent back as S3
 * returned them. A live rule that already archives at least as soon and keeps objects
 * at least as long as asked is "as strict" and is kept, unless weakening is allowed.
 */

const ARCHIVE_CLASSES = ['GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'];

export interface LifecycleMerge {
  /** Rules to send, or undefined when nothing needs to change. */
  rules?: LifecycleRule[];
  /** The live rule kept in place of ours, when one was. */
  keptRule?: LifecycleRule;
  reason?: string;
}

export function mergeLifecycle(
  live: LifecycleRule[] | null,
  desired: LifecycleRule,
  options: { allowWeakening?: boolean; logPrefix?: string },
): LifecycleMerge {
  const rules = live ?? [];
  const ours = rules.find(r => r.ID === LIFECYCLE_RULE_ID);
  if (ours && sameJson(comparable(ours), comparable(desired))) {
    return {};
  }
  if (!options.allowWeakening) {
    const strict = rules.find(r =>
      isAtLeastAsStrict(r, desired, options.logPrefix ?? ''),
    );
    if (strict) {
      return { keptRule: strict };
    }
  }
  return {
    rules: [...rules.filter(r => r.ID !== LIFECYCLE_RULE_ID), desired],
    reason: ours
      ? `rule ${LIFECYCLE_RULE_ID} differs from the spec`
      : `no enabled rule archives the logs to GLACIER within ${transitionDays(
          desired,
        )} days`,
  };
}

function comparable(rule: LifecycleRule) {
  return {
    Status: rule.Status,
    Prefix: filterPrefix(rule) ?? '',
    Transitions: rule.Transitions ?? [],
    NoncurrentVersionTransitions: rule.NoncurrentVersionTransitions ?? [],
    Expiration: rule.Expiration?.Days,
    NoncurrentVersionExpiration:
      rule.NoncurrentVersionExpiration?.NoncurrentDays,
  };
}

/** Legacy rules carry `Prefix` on the rule; tag or size filters do not cover every log. */
function filterPrefix(rule: LifecycleRule): string | undefined {
  const raw = rule as LifecycleRule & {
    Prefix?: string;
    Filter?: { Prefix?: string; Tag?: unknown; And?: unknown };
  };
  if (raw.Filter?.Tag || raw.Filter?.And) return undefined;
  return raw.Filter?.Prefix ?? raw.Prefix ?? '';
}

export function isAtLeastAsStrict(
  rule: LifecycleRule,
  desired: LifecycleRule,
  logPrefix: string,
): boolean {
  if (rule.Status !== 'Enabled') return false;
  const prefix = filterPrefix(rule);
  if (prefix === undefined || !logPrefix.startsWith(prefix)) return false;
  const current = archiveDays(
    rule.Transitions?.map(t => [t.StorageClass, t.Days]),
  );
  const noncurrent = archiveDays(
    rule.NoncurrentVersionTransitions?.map(t => [
      t.StorageClass,
      t.NoncurrentDays,
    ]),
  );
  const wanted = transitionDays(desired);
  return (
    current <= wanted &&
    noncurrent <= wanted &&
    (rule.Expiration?.Days ?? Infinity) >=
      (desired.Expiration?.Days ?? Infinity) &&
    (rule.NoncurrentVersionExpiration?.NoncurrentDays ?? Infinity) >=
      (desired.NoncurrentVersionExpiration?.NoncurrentDays ?? Infinity)
  );
}

function archiveDays(
  transitions: [string | undefined, number | undefined][] = [],
): number {
  const days = transitions
    .filter(
      ([storageClass, d]) =>
        ARCHIVE_CLASSES.includes(storageClass ?? '') && d !== undefined,
    )
    .map(([, d]) => d as number);
  return days.length ? Math.min(...days) : Infinity;
}

function transitionDays(rule: LifecycleRule): number {
  return rule.Transitions?.[0]?.Days ?? Infinity;
}
