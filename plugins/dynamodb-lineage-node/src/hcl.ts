/*
 * A minimal HCL writer: blocks, attributes, and values, formatted the way `terraform
 * fmt` does: two-space indent, `=` aligned across consecutive single-line attributes
 * (an attribute whose value spans lines stands alone and ends the run). Strings are
 * escaped, so input can never inject an interpolation; expressions are explicit.
 */

/** A Terraform expression written as is, e.g. `aws_s3_bucket.logs.id`. */
export class HclExpression {
  constructor(readonly text: string) {}
}

export const expr = (text: string) => new HclExpression(text);

export type HclValue =
  | string
  | number
  | boolean
  | null
  | HclExpression
  | HclValue[]
  | { [key: string]: HclValue };

export interface HclBlock {
  type: string;
  labels?: string[];
  body: HclBodyItem[];
}

export type HclBodyItem =
  | { name: string; value: HclValue }
  | { block: HclBlock }
  | { blank: true };

export const attr = (name: string, value: HclValue): HclBodyItem => ({
  name,
  value,
});
export const block = (
  type: string,
  labels: string[],
  body: HclBodyItem[],
): HclBodyItem => ({
  block: { type, labels, body },
});
export const blank: HclBodyItem = { blank: true };

/** Marker strings that render as interpolations; see {@link renderHcl}. */
export type Interpolations = Record<string, string>;

export function renderHcl(
  blocks: HclBlock[],
  interpolations: Interpolations = {},
): string {
  return `${blocks.map(b => renderBlock(b, 0, interpolations)).join('\n\n')}\n`;
}

function renderBlock(b: HclBlock, depth: number, ip: Interpolations): string {
  const pad = '  '.repeat(depth);
  const header = [b.type, ...(b.labels ?? []).map(l => quote(l, {}))].join(' ');
  if (b.body.length === 0) return `${pad}${header} {}`;
  return `${pad}${header} {\n${renderBody(b.body, depth + 1, ip)}\n${pad}}`;
}

function renderBody(
  items: HclBodyItem[],
  depth: number,
  ip: Interpolations,
): string {
  const pad = '  '.repeat(depth);
  const lines: string[] = [];
  const assignments: Assignment[] = [];
  const flush = () => {
    lines.push(...alignAssignments(assignments, pad));
    assignments.length = 0;
  };
  for (const item of items) {
    if ('name' in item) {
      assignments.push({
        key: item.name,
        text: renderValue(item.value, depth, ip),
      });
      continue;
    }
    flush();
    lines.push('blank' in item ? '' : renderBlock(item.block, depth, ip));
  }
  flush();
  return lines.join('\n');
}

interface Assignment {
  key: string;
  text: string;
}

/**
 * `key = value` lines as terraform fmt aligns them: the `=` of consecutive
 * single-line assignments line up; a multi-line value is not part of a run.
 */
function alignAssignments(assignments: Assignment[], pad: string): string[] {
  const lines: string[] = [];
  let run: Assignment[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(a => a.key.length));
    for (const a of run) lines.push(`${pad}${a.key.padEnd(width)} = ${a.text}`);
    run = [];
  };
  for (const a of assignments) {
    if (a.text.includes('\n')) {
      flush();
      lines.push(`${pad}${a.key} = ${a.text}`);
    } else {
      run.push(a);
    }
  }
  flush();
  return lines;
}

/** One value at the indentation of an attribute `depth` levels deep. */
export function renderHclValue(
  value: HclValue,
  depth: number,
  interpolations: Interpolations = {},
): string {
  return renderValue(value, depth, interpolations);
}

function renderValue(
  value: HclValue,
  depth: number,
  ip: Interpolations,
): string {
  if (value instanceof HclExpression) return value.text;
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value, ip);
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  const pad = '  '.repeat(depth);
  const inner = '  '.repeat(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const simple = value.every(
      v => typeof v !== 'object' || v instanceof HclExpression,
    );
    if (simple)
      return `[${value.map(v => renderValue(v, depth, ip)).join(', ')}]`;
    return `[\n${value
      .map(v => `${inner}${renderValue(v, depth + 1, ip)},`)
      .join('\n')}\n${pad}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const assignments = entries.map(([k, v]) => ({
    key: objectKey(k),
    text: renderValue(v, depth + 1, ip),
  }));
  return `{\n${alignAssignments(assignments, inner).join('\n')}\n${pad}}`;
}

const KEYWORDS = ['null', 'true', 'false', 'for', 'if', 'in'];

/** Bare identifiers stay bare, like terraform fmt writes them; anything else is quoted. */
function objectKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && !KEYWORDS.includes(key)
    ? key
    : quote(key, {});
}

/**
 * A quoted HCL string. `${` and `%{` in data are escaped; the interpolation markers
 * (characters no validated input contains) become `${expression}`, and a string that
 * is exactly one marker becomes the bare expression.
 */
function quote(value: string, ip: Interpolations): string {
  const whole = ip[value];
  if (whole) return whole;
  let text = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\$\{/g, '$$$${')
    .replace(/%\{/g, '%%{');
  for (const [marker, expression] of Object.entries(ip)) {
    text = text.split(marker).join(`\${${expression}}`);
  }
  return `"${text}"`;
}
