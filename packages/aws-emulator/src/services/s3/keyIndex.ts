/**
 * Object keys of one bucket in S3's byte-wise (UTF-8) order. Writes only
 * append to a pending list; the sorted array is rebuilt lazily on the next
 * read with one sort of the pending keys and one merge, so bulk loads of
 * hundreds of thousands of keys stay O(n log n) and listings binary-search.
 */

/** Orders UTF-16 strings as their UTF-8 bytes would order. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (astral code points) sort after U+E000..U+FFFF in UTF-8.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

// Below U+D800 UTF-16 code unit order equals UTF-8 byte order, so the native
// comparison (much faster) is exact for such keys.
function compareNative(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const HIGH_CODE_UNIT = /[\ud800-\uffff]/;

export class KeyIndex<T> {
  private readonly entries = new Map<string, T>();
  private sorted: string[] = [];
  private pending: string[] = [];
  private stale = false;
  private compare: (a: string, b: string) => number = compareNative;

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: T): void {
    if (!this.entries.has(key)) {
      this.pending.push(key);
      if (this.compare === compareNative && HIGH_CODE_UNIT.test(key)) {
        this.compare = compareUtf8;
        this.stale = true;
      }
    }
    this.entries.set(key, value);
  }

  delete(key: string): boolean {
    const deleted = this.entries.delete(key);
    if (deleted) this.stale = true;
    return deleted;
  }

  clear(): void {
    this.entries.clear();
    this.sorted = [];
    this.pending = [];
    this.stale = false;
  }

  /** All keys in order; the array is shared, do not mutate it. */
  keys(): readonly string[] {
    this.normalize();
    return this.sorted;
  }

  comparator(): (a: string, b: string) => number {
    return this.compare;
  }

  /** Index of the first key that is >= `target`. */
  lowerBound(target: string): number {
    const keys = this.keys();
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compare(keys[mid], target) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the first key after every key that starts with `prefix`. */
  afterPrefix(prefix: string): number {
    const keys = this.keys();
    let low = this.lowerBound(prefix);
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (keys[mid].startsWith(prefix)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private normalize(): void {
    if (this.pending.length === 0 && !this.stale) return;
    const compare = this.compare;
    if (this.stale) {
      // A deletion or a comparator change: rebuild from the live keys.
      const all = this.sorted
        .concat(this.pending)
        .filter(k => this.entries.has(k));
      all.sort(compare);
      this.sorted = dedupeSorted(all);
    } else {
      const added = dedupeSorted(this.pending.sort(compare));
      this.sorted = mergeSorted(this.sorted, added, compare);
    }
    this.pending = [];
    this.stale = false;
  }
}

function dedupeSorted(keys: string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    if (out.length === 0 || out[out.length - 1] !== key) out.push(key);
  }
  return out;
}

function mergeSorted(
  left: string[],
  right: string[],
  compare: (a: string, b: string) => number,
): string[] {
  if (left.length === 0) return right;
  if (right.length === 0) return left;
  if (compare(left[left.length - 1], right[0]) < 0) return left.concat(right);
  const out = new Array<string>(left.length + right.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < left.length && j < right.length) {
    const order = compare(left[i], right[j]);
    if (order < 0) out[n++] = left[i++];
    else if (order > 0) out[n++] = right[j++];
    else {
      out[n++] = left[i++];
      j++;
    }
  }
  while (i < left.length) out[n++] = left[i++];
  while (j < right.length) out[n++] = right[j++];
  out.length = n;
  return out;
}
