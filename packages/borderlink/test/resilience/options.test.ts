import { describe, expect, it } from 'vitest';
import { ConfigError } from 'borderlink';
import { resolveCallOptions, resolveResilienceOptions, type ResilienceOptions } from '../../src/resilience/index';

describe('resolveResilienceOptions', () => {
  it('fills in the documented defaults', () => {
    const r = resolveResilienceOptions({});
    expect(r.timeoutMs).toBe(3000);
    expect(r.attemptTimeoutMs).toBeUndefined();
    expect(r.retry).toEqual({ retries: 2, minDelayMs: 50, maxDelayMs: 1000, jitter: 'full' });
    expect(r.retryBudget).toEqual({ capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(r.breaker).toEqual({ failureThreshold: 5, openMs: 5000, halfOpenProbes: 1 });
    expect(r.hedgeAfterMs).toBeUndefined();
    expect(r.cache).toEqual({ max: 10_000, hitTtlMs: 0, noHitTtlMs: 0 });
    expect(r.dedupe).toBe(true);
    expect(resolveCallOptions(undefined, r)).toEqual({ timeoutMs: 3000, attemptTimeoutMs: 1500 });
    expect(resolveCallOptions({ timeoutMs: 800 }, r)).toEqual({ timeoutMs: 800, attemptTimeoutMs: 400 });
  });

  it('turns retry, budget and breaker off with false, and merges partial groups', () => {
    const r = resolveResilienceOptions({ retry: false, retryBudget: false, breaker: { openMs: 100 } });
    expect(r.retry).toBe(false);
    expect(r.retryBudget).toBe(false);
    expect(r.breaker).toEqual({ failureThreshold: 5, openMs: 100, halfOpenProbes: 1 });
  });

  const bad: Array<[string, unknown]> = [
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: Number.POSITIVE_INFINITY }],
    ['timeoutMs', { timeoutMs: '3000' }],
    ['attemptTimeoutMs', { attemptTimeoutMs: -1 }],
    ['attemptTimeoutMs', { timeoutMs: 1000, attemptTimeoutMs: 2000 }],
    ['retry.retries', { retry: { retries: 1.5 } }],
    ['retry.maxDelayMs', { retry: { minDelayMs: 500, maxDelayMs: 100 } }],
    ['retry.jitter', { retry: { jitter: 'half' } }],
    ['retry.backoff', { retry: { backoff: 2 } }],
    ['retryBudget.capacity', { retryBudget: { capacity: 0 } }],
    ['breaker.failureThreshold', { breaker: { failureThreshold: 0 } }],
    ['breaker.openMs', { breaker: { openMs: NaN } }],
    ['hedgeAfterMs', { hedgeAfterMs: 0 }],
    ['cache.noHitTtlMs', { cache: { noHitTtlMs: -5 } }],
    ['cache.ttl', { cache: { ttl: 5 } }],
    ['dedupe', { dedupe: 'yes' }],
    ['clock', { clock: { now: () => 0 } }],
    ['random', { random: 0.5 }],
    ['retries', { retries: 3 }],
  ];
  for (const [name, input] of bad) {
    it(`refuses a bad or unknown ${name} with a ConfigError that names it`, () => {
      let error: unknown;
      try {
        resolveResilienceOptions(input as ResilienceOptions);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(name);
    });
  }
});
