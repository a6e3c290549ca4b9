/*
 * Athena partition projection: the partitions of a table are computed from its
 * TBLPROPERTIES (`projection.<key>.type` enum / date / integer / injected and
 * `storage.location.template`) instead of being read from the catalog, and the
 * query's WHERE clause prunes them before any object is listed.
 */

import type { GlueTable } from '../glue/catalog';

export class ProjectionError extends Error {}

/** What the WHERE clause says about one partition key. */
export interface KeyConstraint {
  /** Values from `key = 'v'` and `key IN ('a', 'b')`; intersected. */
  equals?: Set<string>;
  /** Lower bound from `>=`, `>` or BETWEEN. */
  min?: { value: string; inclusive: boolean };
  /** Upper bound from `<=`, `<` or BETWEEN. */
  max?: { value: string; inclusive: boolean };
}

export interface Partition {
  values: Record<string, string>;
  /** `s3://bucket/prefix/` the partition's objects live under. */
  location: string;
}

const LITERAL = `'((?:[^']|'')*)'`;
const unquote = (text: string) => text.replace(/''/g, "'");

function columnReference(key: string): string {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The column, bare or quoted, maybe qualified by a table alias; never the tail of another name.
  return `(?<![A-Za-z0-9_."])(?:(?:[A-Za-z_][A-Za-z0-9_]*|"[^"]+")\\.)?(?:${escaped}|"${escaped}")(?![A-Za-z0-9_"])`;
}

function tighten(
  bound: KeyConstraint['min'],
  candidate: NonNullable<KeyConstraint['min']>,
  direction: 'min' | 'max',
) {
  if (!bound) return candidate;
  if (candidate.value === bound.value) {
    return {
      value: bound.value,
      inclusive: bound.inclusive && candidate.inclusive,
    };
  }
  const tighter =
    direction === 'min'
      ? candidate.value > bound.value
      : candidate.value < bound.value;
  return tighter ? candidate : bound;
}

/**
 * Reads the constraints on a partition key from the WHERE clause, with every
 * parameter already a literal. Like Athena, only conditions that compare the
 * column with constants prune; the emulator treats them as conjuncts, which
 * is what the product's queries send (each one ANDs its partition filters).
 */
export function constraintsOf(sql: string, key: string): KeyConstraint {
  const where = /\bWHERE\b([\s\S]*)$/i.exec(sql)?.[1] ?? '';
  const column = columnReference(key);
  const out: KeyConstraint = {};
  const intersect = (values: string[]) => {
    const set = new Set(values);
    out.equals = out.equals
      ? new Set([...out.equals].filter(v => set.has(v)))
      : set;
  };
  for (const m of where.matchAll(
    new RegExp(`${column}\\s*=\\s*${LITERAL}`, 'gi'),
  )) {
    intersect([unquote(m[1])]);
  }
  for (const m of where.matchAll(
    new RegExp(`${column}\\s+IN\\s*\\(((?:\\s*${LITERAL}\\s*,?)+)\\)`, 'gi'),
  )) {
    intersect(
      [...m[1].matchAll(new RegExp(LITERAL, 'g'))].map(v => unquote(v[1])),
    );
  }
  for (const m of where.matchAll(
    new RegExp(`${column}\\s+BETWEEN\\s+${LITERAL}\\s+AND\\s+${LITERAL}`, 'gi'),
  )) {
    out.min = tighten(
      out.min,
      { value: unquote(m[1]), inclusive: true },
      'min',
    );
    out.max = tighten(
      out.max,
      { value: unquote(m[2]), inclusive: true },
      'max',
    );
  }
  for (const m of where.matchAll(
    new RegExp(`${column}\\s*(>=|<=|>|<)\\s*${LITERAL}`, 'gi'),
  )) {
    const bound = { value: unquote(m[2]), inclusive: m[1].length === 2 };
    if (m[1].startsWith('>')) out.min = tighten(out.min, bound, 'min');
    else out.max = tighten(out.max, bound, 'max');
  }
  return out;
}

function admits(constraint: KeyConstraint, value: string): boolean {
  if (constraint.equals && !constraint.equals.has(value)) return false;
  const { min, max } = constraint;
  if (min && (value < min.value || (value === min.value && !min.inclusive)))
    return false;
  if (max && (value > max.value || (value === max.value && !max.inclusive)))
    return false;
  return true;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Java date patterns Athena's projection formats use: yyyy, MM, dd, HH, mm. */
export function formatDate(ms: number, format: string): string {
  const d = new Date(ms);
  return format
    .replace(/yyyy/g, String(d.getUTCFullYear()))
    .replace(/MM/g, pad(d.getUTCMonth() + 1))
    .replace(/dd/g, pad(d.getUTCDate()))
    .replace(/HH/g, pad(d.getUTCHours()))
    .replace(/mm/g, pad(d.getUTCMinutes()));
}

export function parseDate(text: string, format: string): number | undefined {
  const fields: string[] = [];
  const pattern = format
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/yyyy|MM|dd|HH|mm/g, token => {
      fields.push(token);
      return token === 'yyyy' ? '(\\d{4})' : '(\\d{2})';
    });
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return undefined;
  const part = (token: string, fallback: number) => {
    const i = fields.indexOf(token);
    return i < 0 ? fallback : Number(match[i + 1]);
  };
  return Date.UTC(
    part('yyyy', 1970),
    part('MM', 1) - 1,
    part('dd', 1),
    part('HH', 0),
    part('mm', 0),
  );
}

const UNIT_MS: Record<string, number> = {
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

function rangeEnd(text: string, format: string, now: number): number {
  const relative =
    /^NOW(?:([+-])(\d+)(MINUTES?|HOURS?|DAYS?|WEEKS?|MONTHS?|YEARS?))?$/i.exec(
      text.trim(),
    );
  if (relative) {
    if (!relative[1]) return now;
    const n = Number(relative[2]) * (relative[1] === '-' ? -1 : 1);
    const unit = relative[3].toUpperCase().replace(/S$/, '');
    const d = new Date(now);
    if (unit === 'YEAR') d.setUTCFullYear(d.getUTCFullYear() + n);
    else if (unit === 'MONTH') d.setUTCMonth(d.getUTCMonth() + n);
    else if (unit === 'WEEK') d.setUTCDate(d.getUTCDate() + 7 * n);
    else return now + n * UNIT_MS[`${unit}S`];
    return d.getTime();
  }
  const parsed = parseDate(text.trim(), format);
  if (parsed === undefined) {
    throw new ProjectionError(
      `HIVE_METASTORE_ERROR: projection range '${text}' does not match format '${format}'`,
    );
  }
  return parsed;
}

/** Athena refuses a query whose projection would yield more partitions than this. */
const MAX_PARTITIONS = 1_000_000;

function keyValues(
  table: GlueTable,
  key: string,
  constraint: KeyConstraint,
  now: number,
): string[] {
  const p = (name: string) => table.parameters[`projection.${key}.${name}`];
  const type = p('type');
  switch (type) {
    case 'enum':
      return (p('values') ?? '')
        .split(',')
        .map(v => v.trim())
        .filter(v => v && admits(constraint, v));
    case 'injected':
      if (!constraint.equals) {
        throw new ProjectionError(
          `CONSTRAINT_VIOLATION: For the injected projected partition column ${key}, the WHERE clause must contain only static equality conditions, and at least one such condition must be present.`,
        );
      }
      return [...constraint.equals];
    case 'integer': {
      const [low, high] = (p('range') ?? '').split(',').map(Number);
      const step = Number(p('interval') ?? 1);
      if (!Number.isFinite(low) || !Number.isFinite(high) || !(step > 0)) {
        throw new ProjectionError(
          `HIVE_METASTORE_ERROR: bad projection.${key}.range`,
        );
      }
      const out: string[] = [];
      for (let v = low; v <= high && out.length <= MAX_PARTITIONS; v += step) {
        const digits = Number(p('digits') ?? 0);
        const text = digits ? String(v).padStart(digits, '0') : String(v);
        if (admits(constraint, text)) out.push(text);
      }
      return out;
    }
    case 'date': {
      const format = p('format');
      const range = (p('range') ?? '').split(',');
      if (!format || range.length !== 2) {
        throw new ProjectionError(
          `HIVE_METASTORE_ERROR: projection.${key} of type date needs a format and a range`,
        );
      }
      const start = rangeEnd(range[0], format, now);
      const end = rangeEnd(range[1], format, now);
      const unit = (p('interval.unit') ?? 'DAYS').toUpperCase();
      const step = Number(p('interval') ?? 1) * (UNIT_MS[unit] ?? NaN);
      if (!(step > 0)) {
        throw new ProjectionError(
          `HIVE_METASTORE_ERROR: projection.${key}.interval.unit ${unit} is not supported by the emulator`,
        );
      }
      const out: string[] = [];
      for (let t = start; t <= end; t += step) {
        const text = formatDate(t, format);
        if (admits(constraint, text)) out.push(text);
        if (out.length > MAX_PARTITIONS) break;
      }
      return out;
    }
    default:
      throw new ProjectionError(
        `HIVE_METASTORE_ERROR: projection.${key}.type '${type}' is not supported`,
      );
  }
}

/**
 * The partitions a query reads: the projection's partitions the WHERE clause
 * admits. A table without projection and without partition keys is one
 * partition, its location.
 */
export function projectPartitions(
  table: GlueTable,
  sql: string,
  now: number,
): Partition[] {
  const location = table.location ?? '';
  if (table.partitionKeys.length === 0) return [{ values: {}, location }];
  if (table.parameters['projection.enabled'] !== 'true') {
    // Partitions would have to be registered in the catalog; the emulator has none.
    return [];
  }
  let combos: Record<string, string>[] = [{}];
  for (const { Name: key } of table.partitionKeys) {
    const values = keyValues(table, key, constraintsOf(sql, key), now);
    combos = combos.flatMap(combo => values.map(v => ({ ...combo, [key]: v })));
    if (combos.length > MAX_PARTITIONS) {
      throw new ProjectionError(
        `HIVE_EXCEEDED_PARTITION_LIMIT: the query would read more than ${MAX_PARTITIONS} partitions`,
      );
    }
  }
  const template = table.parameters['storage.location.template'];
  return combos.map(values => ({
    values,
    location: template
      ? template.replace(/\$\{([^}]+)\}/g, (_, k) => values[k] ?? '')
      : `${location.replace(/\/?$/, '/')}${Object.entries(values)
          .map(([k, v]) => `${k}=${v}`)
          .join('/')}`,
  }));
}

/** `s3://bucket/some/prefix` → bucket and key prefix (ending in `/` unless empty). */
export function parseS3Url(
  url: string,
): { bucket: string; prefix: string } | undefined {
  const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) return undefined;
  const prefix =
    match[2] && !match[2].endsWith('/') ? `${match[2]}/` : match[2];
  return { bucket: match[1], prefix };
}
