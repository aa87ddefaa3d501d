// The cache of complete check answers. Keys are keyed hashes of the canonical query, so the map never holds a
// document number, name or plate as a key. Entries go in and come out as copies: a caller that edits its result must
// not change what the next caller is served.
import { createHmac } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { ConfigError } from '../errors/index';
import type { CheckResult, OutcomeStatus, Verdict } from '../queries/types';
import type { ResolvedResilience } from './options';

/** What the cache stores: at least a verdict, one outcome per source, the hits and the request id. */
export interface CacheableResult {
  verdict: Verdict;
  outcomes: ReadonlyArray<{ status: OutcomeStatus }>;
  hits: readonly unknown[];
  requestId: string;
}

/** A cached answer, as a fresh copy. */
export type CachedEntry<R extends CacheableResult = CheckResult> = R;

/** @internal */
export interface CheckCache<R extends CacheableResult = CheckResult> {
  /** The cache key of a canonical query: HMAC-SHA256 under the client's key, base64url. Never the query itself. */
  key(canonical: string): string;
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

const COMPLETE: ReadonlySet<string> = new Set<OutcomeStatus>(['HIT', 'POSSIBLE_HIT', 'NO_HIT']);

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

/**
 * The client's answer cache, or undefined when both TTLs are 0 (the default).
 * @param hashKey secret of at least 16 bytes for the HMAC; a random one per client is right.
 */
export function createCheckCache<R extends CacheableResult = CheckResult>(
  resolved: ResolvedResilience,
  hashKey: Uint8Array,
): CheckCache<R> | undefined {
  const options = resolved.cache;
  if (options.hitTtlMs <= 0 && options.noHitTtlMs <= 0) return undefined;
  if (!(hashKey instanceof Uint8Array) || hashKey.length < 16) throw new ConfigError('The cache key secret must be at least 16 bytes');
  const secret = Buffer.from(hashKey);
  const clock = resolved.clock;
  // ttlResolution 0: read the clock on every get, with no timer of lru-cache's own (and the injected clock is obeyed).
  const lru = new LRUCache<string, R>({ max: options.max, ttlResolution: 0, perf: { now: () => clock.now() } });
  return {
    key: (canonical) => createHmac('sha256', secret).update(canonical).digest('base64url'),
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
