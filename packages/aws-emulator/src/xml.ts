import { XMLParser } from 'fast-xml-parser';

/**
 * Plain-object XML used by the S3 and STS protocols. Arrays repeat their
 * element; `@` holds attributes; `undefined` members are left out.
 */
export type XmlValue =
  | string
  | number
  | boolean
  | undefined
  | null
  | XmlValue[]
  | { [name: string]: XmlValue | Record<string, string> };

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(attrs: unknown): string {
  if (!attrs || typeof attrs !== 'object') return '';
  return Object.entries(attrs as Record<string, string>)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
}

export function toXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return value.map(item => toXml(name, item)).join('');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, XmlValue>;
    const inner = Object.entries(record)
      .filter(([key]) => key !== '@')
      .map(([key, child]) => toXml(key, child))
      .join('');
    return `<${name}${attributes(record['@'])}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function xmlDocument(
  root: string,
  value: Record<string, XmlValue>,
  xmlns?: string,
): string {
  const withNs = xmlns
    ? {
        '@': { xmlns, ...((value['@'] as Record<string, string>) ?? {}) },
        ...value,
      }
    : value;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(root, withNs)}`;
}

/** Elements that are lists in the S3 request shapes we accept. */
const LIST_ELEMENTS = new Set([
  'Rule',
  'Transition',
  'NoncurrentVersionTransition',
  'Tag',
  'Object',
  'Part',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  isArray: (tagName: string) => LIST_ELEMENTS.has(tagName),
});

/** Parses an XML request body; returns undefined when it is not well formed. */
export function parseXml(
  body: Buffer | string,
): Record<string, any> | undefined {
  const text = body.toString();
  if (!text.trim().startsWith('<')) return undefined;
  try {
    const parsed = parser.parse(text, true);
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
