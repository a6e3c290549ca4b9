/** DynamoDB's typed attribute values (the wire form: `{ "S": "x" }`). */
export type AttributeValue = {
  S?: string;
  N?: string;
  B?: string;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
};

export type Item = Record<string, AttributeValue>;

export const typeOf = (value: AttributeValue): string => Object.keys(value)[0];

export function isValidAttributeValue(value: unknown): value is AttributeValue {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const [type] = keys;
  const inner = (value as Record<string, unknown>)[type];
  switch (type) {
    case 'S':
    case 'B':
      return typeof inner === 'string';
    case 'N':
      return (
        typeof inner === 'string' &&
        inner.trim() !== '' &&
        Number.isFinite(Number(inner))
      );
    case 'SS':
    case 'NS':
    case 'BS':
      return (
        Array.isArray(inner) &&
        inner.length > 0 &&
        inner.every(v => typeof v === 'string') &&
        new Set(inner).size === inner.length
      );
    case 'BOOL':
      return typeof inner === 'boolean';
    case 'NULL':
      return inner === true;
    case 'L':
      return Array.isArray(inner) && inner.every(isValidAttributeValue);
    case 'M':
      return (
        !!inner &&
        typeof inner === 'object' &&
        !Array.isArray(inner) &&
        Object.values(inner as object).every(isValidAttributeValue)
      );
    default:
      return false;
  }
}

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/** Order of two scalar values of the same type (S, N or B); undefined otherwise. */
export function compareScalars(
  a: AttributeValue,
  b: AttributeValue,
): number | undefined {
  if (a.S !== undefined && b.S !== undefined) {
    return compareBytes(Buffer.from(a.S), Buffer.from(b.S));
  }
  if (a.N !== undefined && b.N !== undefined) {
    return Number(a.N) - Number(b.N);
  }
  if (a.B !== undefined && b.B !== undefined) {
    return compareBytes(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'));
  }
  return undefined;
}

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'N':
      return Number(a.N) === Number(b.N);
    case 'SS':
    case 'BS': {
      const left = new Set((a as any)[type] as string[]);
      const right = (b as any)[type] as string[];
      return left.size === right.length && right.every(v => left.has(v));
    }
    case 'NS': {
      const left = new Set(a.NS!.map(Number));
      return (
        left.size === b.NS!.length && b.NS!.every(v => left.has(Number(v)))
      );
    }
    case 'L':
      return (
        a.L!.length === b.L!.length &&
        a.L!.every((v, i) => valuesEqual(v, b.L![i]))
      );
    case 'M': {
      const keys = Object.keys(a.M!);
      return (
        keys.length === Object.keys(b.M!).length &&
        keys.every(k => b.M![k] !== undefined && valuesEqual(a.M![k], b.M![k]))
      );
    }
    default:
      return JSON.stringify(a) === JSON.stringify(b);
  }
}

/** The plain JSON value CloudTrail shows for a key attribute (`"key": {"id": "42"}`). */
export function plainValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return value.N;
  if (value.B !== undefined) return value.B;
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.SS) return value.SS;
  if (value.NS) return value.NS;
  if (value.BS) return value.BS;
  if (value.L) return value.L.map(plainValue);
  if (value.M) {
    return Object.fromEntries(
      Object.entries(value.M).map(([k, v]) => [k, plainValue(v)]),
    );
  }
  return undefined;
}

/** Rough item size in bytes, for the 400 KB limit. */
export function itemSize(item: Item): number {
  return Buffer.byteLength(JSON.stringify(item));
}

export const clone = <T>(value: T): T => structuredClone(value);
