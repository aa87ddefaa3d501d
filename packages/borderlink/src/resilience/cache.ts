// The cache of complete check answers. The client keys it by a keyed hash of the canonical query (never the query
// itself), so the map never holds a document number, name or plate as a key. What may be stored, and for how long,
// is the verdict rule's to say (queries/results.ts cacheTtlOf): the layer is given it, and knows no query type.
//
// A stored answer is a deep copy, made once when it is stored, whose parts are frozen; a hit hands out a shallow
// wrapper over it: an object and lists of its own (a caller may set a field, or push to a list, without touching the
// cache) whose elements are the frozen parts, shared by every hit. A deep copy per hit was most of the cost of a cached check
// (bench/cache.ts), and a frozen part cannot be edited through one caller's result into the next caller's.
import { LRUCache } from 'lru-cache';
import type { ResolvedResilience } from './options';

/** What the cache stores: a JSON-shaped answer. */
export type CacheableResult = object;

/** A cached answer: its own object and lists, over frozen elements shared with the cache. */
export type CachedEntry<R extends CacheableResult = CacheableResult> = R;

/** @internal */
export interface CheckCache<R extends CacheableResult = CacheableResult> {
  /** The answer stored under `key` (see above for what is shared), when there is one and its TTL has not passed. */
  get(key: string): CachedEntry<R> | undefined;
  /**
   * Stores a frozen copy of the answer for as long as the cache's `ttlOf` says; 0 stores nothing.
   * @returns whether it was stored.
   */
  set(key: string, result: R): boolean;
  clear(): void;
  readonly size: number;
}

/** A deep, frozen copy of JSON-shaped data: the caller keeps its own value, and nobody can edit the copy. */
function frozenCopy<V>(value: V): V {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = frozenCopy(value[i]);
    return Object.freeze(out) as V;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = frozenCopy((value as Record<string, unknown>)[k]);
  return Object.freeze(out) as V;
}

/** A stored answer and which of its fields are lists (found once, when it is stored). */
interface Stored<R> {
  readonly value: R;
  readonly lists: readonly string[];
}

// The stored object and its top-level lists are never handed out (every hit gets its own), so only what lies inside
// them is frozen: V8 keeps a frozen array in a slow representation that made each hit's copy of a list several times
// dearer than the copy of a plain one.
function storedOf<R extends object>(result: R): Stored<R> {
  const value: Record<string, unknown> = {};
  const lists: string[] = [];
  for (const k of Object.keys(result)) {
    const v = (result as Record<string, unknown>)[k];
    if (Array.isArray(v)) {
      lists.push(k);
      value[k] = v.map(frozenCopy);
    } else value[k] = frozenCopy(v);
  }
  return { value: value as R, lists };
}

/** One hit's own object and lists over the stored, frozen elements. */
function wrapperOf<R extends object>({ value, lists }: Stored<R>): R {
  const out = { ...value } as Record<string, unknown>;
  for (let i = 0; i < lists.length; i++) out[lists[i]!] = (out[lists[i]!] as unknown[]).slice();
  return out as R;
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
  const lru = new LRUCache<string, Stored<R>>({ max: options.max, ttlResolution: 0, perf: { now: () => clock.now() } });
  return {
    get(key) {
      const stored = lru.get(key);
      return stored === undefined ? undefined : wrapperOf(stored);
    },
    set(key, result) {
      const ttl = ttlOf(result);
      if (ttl <= 0) return false;
      lru.set(key, storedOf(result), { ttl });
      return true;
    },
    clear: () => lru.clear(),
    get size() {
      return lru.size;
    },
  };
}
