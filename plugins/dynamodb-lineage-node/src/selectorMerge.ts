import {
  ADVANCED_FIELD_OPERATORS,
  AdvancedEventSelector,
  AdvancedFieldSelector,
  BasicEventSelector,
  EventSelectors,
} from '@lineage/plugin-dynamodb-lineage-common';
import { OUR_SELECTOR_NAME_PREFIX } from './desiredState';
import { canonicalJson, compact } from './objects';

/*
 * PutEventSelectors replaces a trail's whole selector set, and a trail has basic XOR
 * advanced selectors. To add ours to a shared trail we send theirs (converted to
 * advanced when they were basic) together with ours.
 */

/** CloudTrail's limit on condition values across all advanced selectors of a trail. */
export const MAX_CONDITION_VALUES = 500;

const OPERATORS = ADVANCED_FIELD_OPERATORS;

export function isOurSelector(selector: AdvancedEventSelector): boolean {
  return selector.Name?.startsWith(OUR_SELECTOR_NAME_PREFIX) ?? false;
}

/**
 * The same events in advanced form. Basic values are prefixes for S3 objects and exact
 * ARNs for other types; a bare `arn:<partition>:<service>` (or `arn:aws:s3:::`) means
 * every resource of the type.
 */
export function basicToAdvanced(
  selectors: BasicEventSelector[],
): AdvancedEventSelector[] {
  return selectors.flatMap((selector, index) => {
    const readOnly = readOnlyFields(selector.ReadWriteType);
    const converted: AdvancedEventSelector[] = [];
    if (selector.IncludeManagementEvents !== false) {
      const excluded = selector.ExcludeManagementEventSources ?? [];
      converted.push({
        Name: `Management events (basic selector ${index + 1})`,
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          ...readOnly,
          ...(excluded.length
            ? [{ Field: 'eventSource', NotEquals: excluded }]
            : []),
        ],
      });
    }
    for (const resource of selector.DataResources ?? []) {
      if (!resource.Type) continue;
      const values = resource.Values ?? [];
      const everything =
        values.length === 0 || values.some(isAllResourcesValue);
      const arnField: AdvancedFieldSelector[] = everything
        ? []
        : [
            resource.Type === 'AWS::S3::Object'
              ? { Field: 'resources.ARN', StartsWith: values }
              : { Field: 'resources.ARN', Equals: values },
          ];
      converted.push({
        Name: `${resource.Type} data events (basic selector ${index + 1})`,
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: [resource.Type] },
          ...readOnly,
          ...arnField,
        ],
      });
    }
    return converted;
  });
}

function isAllResourcesValue(value: string): boolean {
  return (
    /^arn:[a-z-]+:[a-z0-9-]+$/.test(value) || /^arn:[a-z-]+:s3:::$/.test(value)
  );
}

function readOnlyFields(
  type: BasicEventSelector['ReadWriteType'],
): AdvancedFieldSelector[] {
  if (type === 'ReadOnly') return [{ Field: 'readOnly', Equals: ['true'] }];
  if (type === 'WriteOnly') return [{ Field: 'readOnly', Equals: ['false'] }];
  return [];
}

export interface SelectorMerge {
  /** What PutEventSelectors must receive. */
  merged: AdvancedEventSelector[];
  /** Selectors of others that are kept. */
  kept: AdvancedEventSelector[];
  /** True when the live selectors were basic and got converted. */
  converted: boolean;
  /** True when `merged` says the same as the live selectors (nothing to send). */
  unchanged: boolean;
}

/**
 * Ours replace any earlier version of ours; the others are kept as they are, and one of
 * ours that an existing selector already says (same fields, another name) is not added
 * twice. On a trail we manage, CreateTrail's default basic selector (every management
 * event) is dropped, since management events stay off there; any other basic selector
 * is someone's choice and is kept, converted.
 */
export function mergeSelectors(
  live: EventSelectors | undefined,
  ours: AdvancedEventSelector[],
  options: { trailIsOurs: boolean },
): SelectorMerge {
  const liveAdvanced = live?.advanced ?? [];
  const liveBasic = live?.basic ?? [];
  const converted = liveAdvanced.length === 0 && liveBasic.length > 0;
  let theirs: AdvancedEventSelector[];
  if (!converted) {
    theirs = liveAdvanced.filter(s => !isOurSelector(s));
  } else if (options.trailIsOurs && isCreateTrailDefault(liveBasic)) {
    theirs = [];
  } else {
    theirs = basicToAdvanced(liveBasic);
  }
  const missing = ours.filter(
    selector => !theirs.some(t => sameFieldSelectors(t, selector)),
  );
  const merged = [...theirs, ...missing];
  // Basic selectors that already say everything ours say need no rewrite.
  const unchanged = converted
    ? missing.length === 0
    : sameSelectorSet(liveAdvanced, merged);
  return { merged, kept: theirs, converted, unchanged };
}

/** What a trail logs before anyone sets selectors: all management events, no data events. */
function isCreateTrailDefault(selectors: BasicEventSelector[]): boolean {
  if (selectors.length !== 1) return false;
  const [only] = selectors;
  return (
    (only.ReadWriteType ?? 'All') === 'All' &&
    only.IncludeManagementEvents !== false &&
    !only.DataResources?.length &&
    !only.ExcludeManagementEventSources?.length
  );
}

function sameFieldSelectors(
  a: AdvancedEventSelector,
  b: AdvancedEventSelector,
): boolean {
  const fields = (s: AdvancedEventSelector) =>
    canonicalJson(normalizeSelector({ FieldSelectors: s.FieldSelectors }));
  return fields(a) === fields(b);
}

export function hasManagementSelector(
  selectors: AdvancedEventSelector[],
): boolean {
  return selectors.some(s =>
    s.FieldSelectors.some(
      f =>
        f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management'),
    ),
  );
}

export function countConditionValues(
  selectors: AdvancedEventSelector[],
): number {
  return selectors.reduce(
    (total, s) =>
      total +
      s.FieldSelectors.reduce(
        (sum, f) =>
          sum + OPERATORS.reduce((n, op) => n + (f[op]?.length ?? 0), 0),
        0,
      ),
    0,
  );
}

/** Field order and value order carry no meaning; AWS may return them reordered. */
export function normalizeSelector(
  selector: AdvancedEventSelector,
): AdvancedEventSelector {
  return compact({
    Name: selector.Name,
    FieldSelectors: [...selector.FieldSelectors]
      .map(field => {
        const normalized: AdvancedFieldSelector = { Field: field.Field };
        for (const op of OPERATORS) {
          const values = field[op];
          if (values && values.length) normalized[op] = [...values].sort();
        }
        return normalized;
      })
      .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b))),
  });
}

export function sameSelectorSet(
  a: AdvancedEventSelector[],
  b: AdvancedEventSelector[],
): boolean {
  const key = (list: AdvancedEventSelector[]) =>
    list.map(s => canonicalJson(normalizeSelector(s))).sort();
  const [left, right] = [key(a), key(b)];
  return left.length === right.length && left.every((v, i) => v === right[i]);
}
