// The cache of complete check answers. The client keys it by a keyed hash of the canonical query (never the query
// itself), so the map never holds a document number, name or plate as a key. Entries go in and come out as copies: a
// caller that edits its result must not change what the next caller is served. The layer knows a result only by the
// fields it judges, so it depends on no query type.
import { LRUCache } from 'lru-cache';
import type { ResolvedResilience } from './options';

/** What the cache stores: at least a verdict, one outcome per source, the hits and the request id. */
export interface CacheableResult {
  verdict: string;
  outcomes: ReadonlyArray<{ status: string }>;
  hits: readonly unknown[];
  requestId: string;
}

/** A cached answer, as a fresh copy. */
export type CachedEntry<R extends CacheableResult = CacheableResult> = R;

/** @internal */
export interface CheckCache<R extends CacheableResult = CacheableResult> {
  /** A copy of the answer stored under `key`, when there is one and its TTL has not passed. */
  get(key: string): CachedEntry<R> | undefined;
  /**
   * Stores a copy of a complete answer: never `INCOMPLETE`, and only when every outcome is HIT, POSSIBLE_HIT or
   * NO_HIT. TTL by verdict: `hitTtlMs` for HIT and POSSIBLE_HIT, `noHitTtlMs` for NO_HIT; 0 stores nothing.
   * @returns whether it was stored.
   */
  set(key: string, result: R): boolean;
  clear(): void;
  readonly size: number;
}

/** The outcome statuses that are answers: a result with any other is not complete. */
const COMPLETE: ReadonlySet<string> = new Set(['HIT', 'POSSIBLE_HIT', 'NO_HIT']);

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

function ttlFor(result: CacheableResult, ttl: ResolvedResilience['cache']): number {
  const { verdict, outcomes } = result;
  if (verdict === 'INCOMPLETE' || outcomes.length === 0) return 0;
  for (const o of outcomes) {
    if (!COMPLETE.has(o.status)) return 0;
    // A NO_HIT verdict with a hit among the outcomes is inconsistent: never store what could become a false clear.
    if (verdict === 'NO_HIT' && o.status !== 'NO_HIT') return 0;
  }
  if (verdict === 'NO_HIT') return result.hits.length === 0 ? ttl.noHitTtlMs : 0;
  return ttl.hitTtlMs;
}

/** The client's answer cache, or undefined when both TTLs are 0 (the default). */
export function createCheckCache<R extends CacheableResult = CacheableResult>(resolved: ResolvedResilience): CheckCache<R> | undefined {
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
      const ttl = ttlFor(result, options);
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
