/**
 * Splits a check's evidence or remediation into what the card renders
 * differently: shell commands (in backticks) as copyable code, a trailing
 * JSON document behind a disclosure, ARNs as identifiers and ISO timestamps
 * as plain-words times. The rest stays text.
 */
export type CheckTextSegment =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string; block: boolean }
  | { kind: 'json'; text: string; items?: number }
  | { kind: 'arn'; text: string }
  | { kind: 'time'; iso: string };

const BACKTICKS = /`([^`]+)`/g;
/** An ARN up to the first character that cannot be in one in prose. */
const ARN = /arn:aws[a-z-]*:[^\s,;()'"`<>]+/g;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z/g;
/** Commands and anything long read better on lines of their own. */
const BLOCK_CODE_MIN_LENGTH = 40;

/** A JSON document that ends the text after a colon, as policies are given. */
function splitTrailingJson(
  text: string,
): { before: string; json: string; parsed: unknown } | undefined {
  const start = text.search(/:\s*[[{]/);
  if (start < 0) return undefined;
  const candidate = text.slice(text.indexOf(':', start) + 1).trim();
  try {
    const parsed = JSON.parse(candidate);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    return { before: text.slice(0, start + 1), json: candidate, parsed };
  } catch {
    return undefined;
  }
}

function splitProse(text: string): CheckTextSegment[] {
  const segments: CheckTextSegment[] = [];
  const matches = [
    ...[...text.matchAll(ARN)].map(m => ({
      index: m.index ?? 0,
      // A sentence's full stop is not part of the ARN.
      raw: m[0].replace(/[.:]+$/, ''),
      kind: 'arn' as const,
    })),
    ...[...text.matchAll(ISO_TIME)].map(m => ({
      index: m.index ?? 0,
      raw: m[0],
      kind: 'time' as const,
    })),
  ].sort((a, b) => a.index - b.index);
  let at = 0;
  for (const match of matches) {
    if (match.index < at) continue;
    if (match.index > at) {
      segments.push({ kind: 'text', text: text.slice(at, match.index) });
    }
    segments.push(
      match.kind === 'arn'
        ? { kind: 'arn', text: match.raw }
        : { kind: 'time', iso: match.raw },
    );
    at = match.index + match.raw.length;
  }
  if (at < text.length) segments.push({ kind: 'text', text: text.slice(at) });
  return segments;
}

export function parseCheckText(text: string): CheckTextSegment[] {
  const segments: CheckTextSegment[] = [];
  const pushProse = (prose: string) => {
    if (!prose) return;
    const trailing = splitTrailingJson(prose);
    if (!trailing) {
      segments.push(...splitProse(prose));
      return;
    }
    segments.push(...splitProse(trailing.before));
    segments.push({
      kind: 'json',
      text: JSON.stringify(trailing.parsed, null, 2),
      items: Array.isArray(trailing.parsed)
        ? trailing.parsed.length
        : undefined,
    });
  };
  let at = 0;
  for (const match of text.matchAll(BACKTICKS)) {
    const index = match.index ?? 0;
    pushProse(text.slice(at, index));
    const code = match[1].trim();
    segments.push({
      kind: 'code',
      text: code,
      block: code.length >= BLOCK_CODE_MIN_LENGTH,
    });
    at = index + match[0].length;
  }
  pushProse(text.slice(at));
  return segments;
}
