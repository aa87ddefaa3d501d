import { describe, expect, it } from 'vitest';
import type { CheckResult } from 'borderlink';
import { createHash } from 'node:crypto';
import { keyedHasher, memoryKey, memoryKeySecret } from '../../src/internal/hash';
import { cacheTtlOf } from '../../src/queries/results';
import { createCheckCache } from '../../src/resilience/index';
import { ManualClock, options } from './fakes';

const secret = new Uint8Array(32).fill(7);

/** The options, with the verdict rule's TTL as the client gives it. */
function withRule(resolved: ReturnType<typeof options>): [ReturnType<typeof options>, (r: CheckResult) => number] {
  return [resolved, (r) => cacheTtlOf(r, resolved.cache)];
}

function result(verdict: CheckResult['verdict'], statuses: CheckResult['outcomes'][number]['status'][] = ['NO_HIT']): CheckResult {
  return {
    verdict,
    hits: [],
    outcomes: statuses.map((status) => ({ source: 'SLTD', status })),
    requestId: 'r-1',
    warnings: [],
    attempts: 1,
    durationMs: 12,
    servedFrom: 'network',
  };
}

function setup(hitTtlMs: number, noHitTtlMs: number) {
  const clock = new ManualClock();
  const cache = createCheckCache<CheckResult>(...withRule(options(clock, { cache: { hitTtlMs, noHitTtlMs } })));
  if (cache === undefined) throw new Error('cache off');
  return { clock, cache };
}

describe('the check cache', () => {
  it('is off unless a TTL is above 0', () => {
    expect(createCheckCache(...withRule(options(new ManualClock())))).toBeUndefined();
  });

  it('never stores INCOMPLETE, nor an answer with a source that did not answer', () => {
    const { cache } = setup(60_000, 60_000);
    expect(cache.set('k1', result('INCOMPLETE', ['NO_HIT', 'TIMEOUT']))).toBe(false);
    for (const s of ['UNAVAILABLE', 'TIMEOUT', 'NOT_AUTHORISED', 'ERROR'] as const) {
      expect(cache.set(`k-${s}`, result('NO_HIT', ['NO_HIT', s]))).toBe(false);
    }
    expect(cache.set('k-empty', result('NO_HIT', []))).toBe(false);
    expect(cache.set('k-odd', result('NO_HIT', ['HIT']))).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('keeps HIT and POSSIBLE_HIT for hitTtlMs and NO_HIT for noHitTtlMs; 0 stores nothing', async () => {
    const { clock, cache } = setup(10_000, 1_000);
    cache.set('hit', result('HIT', ['HIT', 'NO_HIT']));
    cache.set('possible', result('POSSIBLE_HIT', ['POSSIBLE_HIT']));
    cache.set('clear', result('NO_HIT'));
    await clock.advance(999);
    expect(cache.get('clear')?.verdict).toBe('NO_HIT');
    await clock.advance(2);
    expect(cache.get('clear')).toBeUndefined();
    expect(cache.get('hit')?.verdict).toBe('HIT');
    await clock.advance(9_000);
    expect(cache.get('hit')).toBeUndefined();
    expect(cache.get('possible')).toBeUndefined();

    const hitsOnly = setup(10_000, 0).cache;
    expect(hitsOnly.set('clear', result('NO_HIT'))).toBe(false);
    expect(hitsOnly.set('hit', result('HIT', ['HIT']))).toBe(true);
  });

  it('hands out copies: editing a stored or returned result does not change the cache', () => {
    const { cache } = setup(10_000, 10_000);
    const original = result('NO_HIT');
    cache.set('k', original);
    original.outcomes[0]!.status = 'HIT';
    const first = cache.get('k')!;
    expect(first.outcomes[0]?.status).toBe('NO_HIT');
    first.verdict = 'HIT';
    first.outcomes.push({ source: 'NOMINAL', status: 'HIT' });
    const second = cache.get('k')!;
    expect(second.verdict).toBe('NO_HIT');
    expect(second.outcomes).toHaveLength(1);
    expect(second).not.toBe(first);
  });

  // Audit hashes (client/audit.ts) are keyed hashes too; the cache itself holds whatever key it is given.
  it('keys by a keyed hash that holds no raw value, stable per secret', () => {
    const canonical = '{"documentNumber":"L898902C3","issuingState":"UTO"}';
    const key = keyedHasher(secret)(canonical);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).not.toContain('L898902C3');
    expect(keyedHasher(secret)(canonical)).toBe(key);
    expect(keyedHasher(new Uint8Array(32).fill(8))(canonical)).not.toBe(key);
  });

  // The client keys its cache with memoryKey (client/read.ts): a keyed SHA-256, compared for equality in memory only.
  it('keys the client cache by a keyed hash that holds no raw value, equal for equal text and different per secret', () => {
    const canonical = '{"documentNumber":"L898902C3","issuingState":"UTO"}';
    const key = memoryKey(memoryKeySecret(secret), canonical);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).not.toContain('L898902C3');
    expect(memoryKey(memoryKeySecret(secret), canonical)).toBe(key);
    expect(memoryKey(memoryKeySecret(new Uint8Array(32).fill(8)), canonical)).not.toBe(key);
    expect(memoryKey(memoryKeySecret(secret), canonical.replace('C3', 'C4'))).not.toBe(key);
    // Without the secret, the key is not the plain hash of the text: a search over likely values cannot recompute it.
    expect(createHash('sha256').update(canonical).digest('hex').slice(0, 32)).not.toBe(key);
  });

  it('clears, and evicts the least recently used beyond max', () => {
    const clock = new ManualClock();
    const cache = createCheckCache<CheckResult>(...withRule(options(clock, { cache: { max: 2, noHitTtlMs: 60_000 } })))!;
    cache.set('a', result('NO_HIT'));
    cache.set('b', result('NO_HIT'));
    cache.get('a');
    cache.set('c', result('NO_HIT'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
