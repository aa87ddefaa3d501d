// The cache of complete check answers. The client keys it by a keyed hash of the canonical query (never the query
// itself), so the map never holds a document number, name or plate as a key. Entries go in and come out as copies: a
// caller that edits its result must not change what the next caller is served. What may be stored, and for how long,
// is the verdict rule's to say (queries/results.ts cacheTtlOf): the layer is given it, and knows no query type.
import { LRUCache } from 'lru-cache';
import type { ResolvedResilience } from './options';

/** What the cache stores: a JSON-shaped answer. */
export type CacheableResult = object;

/** A cached answer, as a fresh copy. */
export type CachedEntry<R extends CacheableResult = CacheableResult> = R;

/** @internal */
export interface CheckCache<R extends CacheableResult = CacheableResult> {
  /** A copy of the answer stored under `key`, when there is one and its TTL has not passed. */
  get(key: string): CachedEntry<R> | undefined;
  /**
   * Stores a copy of the answer for as long as the cache's `ttlOf` says; 0 stores nothing.
   * @returns whether it was stored.
   */
  set(key: string, result: R): boolean;
  clear(): void;
  readonly size: number;
}

/** Deep copy of JSON-shaped data. Hand-written because structuredClone is several times slower on this hot path. */
function copyPlain<V>(value: V): V {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyPlain(value[i]);
    return out as V;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = copyPlain((value as Record<string, unknown>)[k]);
  return out as V;
}

/**
 * The client's answer cache, or undefined when both TTLs are 0 (the default). `ttlOf` says how long an answer may be
 * served again (0: never).
 */
export function createCheckCache<R extends CacheableResult = CacheableResult>(
  resolved: ResolvedResilience,
  ttlOf: (result: R) => number,
): CheckCache<R> | undefined {
  const options = resolved.cache;
  if (options.hitTtlMs <= 0 && options.noHitTtlMs <= 0) return undefined;
  const clock = resolved.clock;
  // ttlResolution 0: read the clock on every get, with no timer of lru-cache's own (and the injected clock is obeyed).
  const lru = new LRUCache<string, R>({ max: options.max, ttlResolution: 0, perf: { now: () => clock.now() } });
  return {
    get(key) {
      const stored = lru.get(key);
      return stored === undefined ? undefined : copyPlain(stored);
    },
    set(key, result) {
      const ttl = ttlOf(result);
      if (ttl <= 0) return false;
      lru.set(key, copyPlain(result), { ttl });
      return true;
    },
    clear: () => lru.clear(),
    get size() {
      return lru.size;
    },
  };
}
