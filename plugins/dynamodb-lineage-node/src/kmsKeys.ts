/**
 * Whether a live KMS key setting is the key the spec names. AWS reports key ARNs; the
 * spec may name a key id, a key ARN or an alias. `resolvedArn` is the key ARN KMS gave
 * for the spec's key (DescribeKey), when it answered. Without it an alias cannot be
 * resolved, so it is `unverifiable` and treated as the same key (with a note) rather
 * than rewritten on every run.
 */
export function sameKmsKey(
  live: string | undefined,
  desired: string,
  resolvedArn?: string,
): boolean | 'unverifiable' {
  if (!live) return false;
  if (live === desired || (resolvedArn && live === resolvedArn)) return true;
  const keyId = (value: string) =>
    /(?:^|:key\/)([0-9a-f-]{36}|mrk-[0-9a-f]{32})$/.exec(value)?.[1];
  const liveKey = keyId(live);
  const desiredKey = keyId(desired) ?? (resolvedArn && keyId(resolvedArn));
  if (liveKey && desiredKey) return liveKey === desiredKey;
  const alias = (value: string) => /(?:^|:)(alias\/.+)$/.exec(value)?.[1];
  const desiredAlias = alias(desired);
  if (desiredAlias) {
    const liveAlias = alias(live);
    return liveAlias ? liveAlias === desiredAlias : 'unverifiable';
  }
  return false;
}
