import { LifecycleRule } from '@lineage/plugin-dynamodb-lineage-common';
import { desiredLifecycleRule } from './desiredState';
import { mergeLifecycle } from './lifecycleMerge';
import { makeSpec } from './__fixtures__/specs';

const desired = desiredLifecycleRule(makeSpec());
const options = { logPrefix: 'AWSLogs/' };

const archive = (
  days: number,
  extra: Partial<LifecycleRule> = {},
): LifecycleRule => ({
  ID: 'team-archive',
  Status: 'Enabled',
  Filter: { Prefix: '' },
  Transitions: [{ Days: days, StorageClass: 'DEEP_ARCHIVE' }],
  NoncurrentVersionTransitions: [
    { NoncurrentDays: days, StorageClass: 'GLACIER' },
  ],
  ...extra,
});

describe('mergeLifecycle', () => {
  it('adds our rule when there is none', () => {
    expect(mergeLifecycle(null, desired, options)).toEqual({
      rules: [desired],
      reason: 'no enabled rule archives the logs to GLACIER within 90 days',
    });
  });

  it('does nothing when our rule is there', () => {
    expect(
      mergeLifecycle([archive(400), { ...desired }], desired, options),
    ).toEqual({});
  });

  it('keeps a stricter rule: archives sooner and keeps as long', () => {
    const strict = archive(30);
    expect(mergeLifecycle([strict], desired, options)).toEqual({
      keptRule: strict,
    });
  });

  it('does not count a rule that expires logs sooner than asked as stricter', () => {
    const spec = makeSpec({
      lifecycle: { glacierAfterDays: 90, expireAfterDays: 365 },
    });
    const wanted = desiredLifecycleRule(spec);
    const rule = archive(30, { Expiration: { Days: 180 } });
    expect(mergeLifecycle([rule], wanted, options).rules).toEqual([
      rule,
      wanted,
    ]);
  });

  it.each<[string, LifecycleRule]>([
    ['disabled', archive(30, { Status: 'Disabled' })],
    ['other prefix', archive(30, { Filter: { Prefix: 'athena-results/' } })],
    [
      'tag filter',
      archive(30, { Filter: { Tag: { Key: 'a', Value: 'b' } } } as never),
    ],
    ['late archive', archive(180)],
    [
      'no noncurrent archive',
      archive(30, { NoncurrentVersionTransitions: [] }),
    ],
  ])('adds ours beside a %s rule, keeping it as S3 returned it', (_, rule) => {
    expect(mergeLifecycle([rule], desired, options).rules).toEqual([
      rule,
      desired,
    ]);
  });

  it('replaces a stricter rule of ours only when weakening is allowed', () => {
    const oursStricter = {
      ...desired,
      Transitions: [{ Days: 7, StorageClass: 'GLACIER' }],
    };
    expect(mergeLifecycle([oursStricter], desired, options).keptRule).toBe(
      oursStricter,
    );
    expect(
      mergeLifecycle([oursStricter], desired, {
        ...options,
        allowWeakening: true,
      }),
    ).toEqual({
      rules: [desired],
      reason: 'rule dynamodb-lineage-archive differs from the spec',
    });
  });
});
