import type { KeyIndex } from './keyIndex';

export interface ListRequest {
  prefix: string;
  delimiter?: string;
  /** Listing starts strictly after this key. */
  after?: string;
  /** Resume strictly after every key under this common prefix. */
  afterCommonPrefix?: string;
  maxKeys: number;
}

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned, for the next page's marker. */
  last?: { value: string; isCommonPrefix: boolean };
}

/**
 * One page of a listing, in byte-wise key order. Keys and common prefixes both
 * count against maxKeys; a common prefix rolls up every key below it by jumping
 * past them with a binary search instead of visiting them.
 */
export function listPage<T>(
  index: KeyIndex<T>,
  request: ListRequest,
): ListPage {
  const keys = index.keys();
  const compare = index.comparator();
  const { prefix, delimiter, maxKeys } = request;
  let position: number;
  if (request.afterCommonPrefix !== undefined) {
    position = index.afterPrefix(request.afterCommonPrefix);
  } else {
    const after = request.after;
    const start =
      after !== undefined && compare(after, prefix) > 0 ? after : prefix;
    position = index.lowerBound(start);
    if (after !== undefined && keys[position] === after) position++;
  }

  const page: ListPage = { keys: [], commonPrefixes: [], isTruncated: false };
  let count = 0;
  while (position < keys.length) {
    const key = keys[position];
    if (!key.startsWith(prefix)) break;
    if (count >= maxKeys) {
      page.isTruncated = maxKeys > 0;
      break;
    }
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const commonPrefix = key.slice(0, cut + delimiter!.length);
      position = index.afterPrefix(commonPrefix);
      // A marker inside a common prefix means that prefix was already returned.
      if (request.after?.startsWith(commonPrefix)) continue;
      page.commonPrefixes.push(commonPrefix);
      page.last = { value: commonPrefix, isCommonPrefix: true };
    } else {
      page.keys.push(key);
      page.last = { value: key, isCommonPrefix: false };
      position++;
    }
    count++;
  }
  return page;
}

/** Continuation tokens are opaque to clients; ours encode where to resume. */
export function encodeContinuationToken(
  last: NonNullable<ListPage['last']>,
): string {
  return Buffer.from(
    JSON.stringify({ v: last.value, p: last.isCommonPrefix }),
  ).toString('base64url');
}

export function decodeContinuationToken(
  token: string,
): { value: string; isCommonPrefix: boolean } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed?.v !== 'string' || typeof parsed?.p !== 'boolean') {
      return undefined;
    }
    return { value: parsed.v, isCommonPrefix: parsed.p };
  } catch {
    return undefined;
  }
}
