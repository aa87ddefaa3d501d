import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BorderlinkError } from 'borderlink';
import { createExecutor, resolveResilienceOptions, systemClock, type Clock } from '../../src/resilience/index';
import { connectionReset, ok, scriptedTransport, spec, type Step } from './fakes';

/** The system clock, counting the timers it holds. */
function countingClock(): Clock & { readonly live: number; readonly which: string[] } {
  const live = new Map<unknown, string>();
  return {
    now: systemClock.now,
    setTimeout(fn, ms) {
      const h = systemClock.setTimeout(() => {
        live.delete(h);
        fn();
      }, ms);
      live.set(h, `${ms} ${new Error().stack?.split('\n').slice(2, 5).join(' | ')}`);
      return h;
    },
    clearTimeout(h) {
      live.delete(h);
      systemClock.clearTimeout(h);
    },
    get which() {
      return [...live.values()];
    },
    get live() {
      return live.size;
    },
  };
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('resource hygiene', () => {
  it('leaves no timer or abort listener behind after 10,000 calls (successes, retries, failures, aborts, hedges)', async () => {
    const clock = countingClock();
    const script = (_r: unknown, n: number): Step =>
      n % 7 === 0 ? connectionReset() : n % 11 === 0 ? { status: 400 } : n % 13 === 0 ? { status: 200, body: '{}', after: 3 } : ok();
    const transport = scriptedTransport(script, clock);
    const executor = createExecutor(
      transport,
      resolveResilienceOptions({ clock, timeoutMs: 200, hedgeAfterMs: 2, retry: { minDelayMs: 0, maxDelayMs: 1 }, breaker: false }),
    );
    const before = timers();
    const signal = new AbortController().signal;
    const aborted: AbortController[] = [];
    for (let batch = 0; batch < 100; batch++) {
      const calls = Array.from({ length: 100 }, (_, i) => {
        if (i === 99) {
          const c = new AbortController();
          aborted.push(c);
          const p = executor.execute(spec({ timeoutMs: 200, signal: c.signal, kind: 'write' }));
          c.abort();
          return p.catch((e: unknown) => e);
        }
        return executor.execute(spec({ timeoutMs: 200, signal, kind: i % 2 === 0 ? 'read' : 'write' })).catch((e: unknown) => e);
      });
      for (const r of await Promise.all(calls)) {
        if (!(r instanceof BorderlinkError)) expect(r).toHaveProperty('value');
      }
    }
    expect(executor.inFlight).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    for (const c of aborted) expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
    // At most the shared deadline watchdog remains, and only until the last call's deadline.
    expect(clock.live).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 250));
    expect(clock.which).toEqual([]);
    expect(timers()).toBeLessThanOrEqual(before);
    await executor.close();
  });
});
