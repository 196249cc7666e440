import { LRUCache } from "lru-cache";

/** What an entry costs beyond its key and value: the map slot and the LRU's bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * The bytes `value` takes in memory, roughly: 2 per string character (UTF-16), 8 per number,
 * plus 16 per object or array and its keys. A walk, not JSON: bigints, Buffers and cycles are
 * fine. An estimate for bounding a cache, not an accounting.
 */
export const approximateBytes = (value: unknown): number => {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  let bytes = 0;
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") bytes += 2 * item.length;
    else if (typeof item === "number" || typeof item === "bigint") bytes += 8;
    else if (typeof item === "boolean") bytes += 4;
    else if (item instanceof Uint8Array) bytes += item.byteLength;
    else if (item instanceof Date) bytes += 16;
    else if (typeof item === "object" && item !== null && !seen.has(item)) {
      seen.add(item);
      bytes += 16;
      for (const [key, inner] of Object.entries(item)) {
        bytes += 2 * key.length;
        stack.push(inner);
      }
    }
  }
  return bytes;
};

export interface BoundedCacheOptions<K, V> {
  /** The most the entries (keys and values, as `sizeOf` estimates them) may take together. */
  maxBytes: number;
  /** A cap on the number of entries too, where one existed before bytes were counted. */
  maxEntries?: number;
  /** Entries older than this are not returned (and go when next looked at); more than 0. */
  ttlMs?: number;
  sizeOf?: (value: V, key: K) => number;
}

/**
 * An in-process cache bounded by bytes: least recently used entries go first once `maxBytes`
 * is reached, so a cache keyed by input (ids, tokens) cannot grow with it. An entry larger than
 * the whole budget is not stored.
 */
export const createBoundedCache = <K extends NonNullable<unknown>, V extends NonNullable<unknown>>(options: BoundedCacheOptions<K, V>): LRUCache<K, V> => {
  if (options.ttlMs !== undefined && !(options.ttlMs > 0)) throw new RangeError(`ttlMs must be more than 0, got ${options.ttlMs}`);
  const sizeOf = options.sizeOf ?? ((value: V, key: K) => approximateBytes(key) + approximateBytes(value));
  return new LRUCache<K, V>({
    maxSize: options.maxBytes,
    sizeCalculation: (value, key) => Math.max(1, ENTRY_OVERHEAD_BYTES + sizeOf(value, key)),
    ...(options.maxEntries === undefined ? {} : { max: options.maxEntries }),
    ...(options.ttlMs === undefined ? {} : { ttl: options.ttlMs }),
  });
};
