/*
 * A minimal HCL writer: blocks, attributes, and values, formatted the way `terraform
 * fmt` does (two-space indent, `=` aligned across consecutive attributes). Strings are
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
  let run: { name: string; value: HclValue }[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(a => a.name.length));
    for (const a of run) {
      lines.push(
        `${pad}${a.name.padEnd(width)} = ${renderValue(a.value, depth, ip)}`,
      );
    }
    run = [];
  };
  for (const item of items) {
    if ('name' in item) {
      run.push(item);
      continue;
    }
    flush();
    lines.push('blank' in item ? '' : renderBlock(item.block, depth, ip));
  }
  flush();
  return lines.join('\n');
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
  const width = Math.max(...entries.map(([k]) => objectKey(k).length));
  return `{\n${entries
    .map(
      ([k, v]) =>
        `${inner}${objectKey(k).padEnd(width)} = ${renderValue(
          v,
          depth + 1,
          ip,
        )}`,
    )
    .join('\n')}\n${pad}}`;
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
