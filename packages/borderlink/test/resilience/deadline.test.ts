import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AbortError, BorderlinkError, TimeoutError } from 'borderlink';
import { createExecutor, resolveResilienceOptions, systemClock } from '../../src/resilience/index';
import { ManualClock, connectionReset, ok, options, scriptedTransport, spec } from './fakes';

describe('the call deadline', () => {
  it('is never exceeded by more than 50 ms, back-off included, on real time', async () => {
    const transport = scriptedTransport([{ status: 503, after: 70 }], systemClock);
    const executor = createExecutor(
      transport,
      resolveResilienceOptions({ breaker: false, retry: { retries: 10, minDelayMs: 40, maxDelayMs: 40, jitter: 'none' } }),
    );
    for (const timeoutMs of [100, 250, 400]) {
      const started = performance.now();
      const error = (await executor.execute(spec({ timeoutMs })).catch((e: unknown) => e)) as BorderlinkError;
      const took = performance.now() - started;
      expect(error).toBeInstanceOf(BorderlinkError);
      expect(took).toBeLessThanOrEqual(timeoutMs + 50);
      expect(error.durationMs).toBeLessThanOrEqual(timeoutMs + 50);
    }
  });

  it('rejects with TimeoutError at the deadline even when the transport ignores timeoutMs', async () => {
    const transport = scriptedTransport([{ hang: true }], systemClock, { honourTimeout: false });
    const executor = createExecutor(transport, resolveResilienceOptions({ breaker: false }));
    const started = performance.now();
    const error = (await executor.execute(spec({ timeoutMs: 150, requestId: 'r-d' })).catch((e: unknown) => e)) as TimeoutError;
    expect(performance.now() - started).toBeLessThanOrEqual(150 + 50);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.scope).toBe('call');
    expect(error.requestId).toBe('r-d');
    expect(error.attempts).toBe(1);
    expect(error.durationMs).toBeGreaterThanOrEqual(149);
    await executor.close();
  });

  it('gives each attempt min(attemptTimeoutMs, time left), so a hung first attempt leaves time for a second', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ hang: true }, ok()], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false, retry: { jitter: 'none' } }));
    const pending = executor.execute(spec({ timeoutMs: 3000 }));
    await clock.advance(3000);
    const outcome = await pending;
    expect(outcome.attempts).toBe(2);
    expect(transport.requests.map((r) => r.timeoutMs)).toEqual([1500, 1450]);
    expect(outcome.durationMs).toBe(1550);
  });

  it('takes a per-call attemptTimeoutMs over the client one', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ hang: true }, ok()], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false, attemptTimeoutMs: 2000 }));
    const pending = executor.execute(spec({ timeoutMs: 3000, attemptTimeoutMs: 500 }));
    await clock.advance(3000);
    await pending;
    expect(transport.requests[0]?.timeoutMs).toBe(500);
  });

  it('ends a call whose attempts all time out with TimeoutError scope call', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ hang: true }], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false, retry: { retries: 10 } }));
    const pending = executor.execute(spec({ timeoutMs: 1000 })).catch((e: unknown) => e);
    await clock.advance(2000);
    const error = (await pending) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.scope).toBe('call');
    expect(error.durationMs).toBeLessThanOrEqual(1000);
  });
});

describe("the caller's signal", () => {
  it('rejects promptly with AbortError, releases the listener and aborts the attempt', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ hang: true }], clock);
    const executor = createExecutor(transport, options(clock));
    const controller = new AbortController();
    const pending = executor.execute(spec({ signal: controller.signal, requestId: 'r-a' })).catch((e: unknown) => e);
    await clock.advance(5);
    controller.abort();
    const error = (await pending) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.requestId).toBe('r-a');
    expect(error.attempts).toBe(1);
    expect(transport.aborted).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('passes a BorderlinkError reason through and wraps any other reason as the cause', async () => {
    const clock = new ManualClock();
    const executor = createExecutor(scriptedTransport([{ hang: true }], clock), options(clock));
    const own = new TimeoutError('client gave up', { scope: 'call' });
    const a = new AbortController();
    a.abort(own);
    expect(await executor.execute(spec({ signal: a.signal })).catch((e: unknown) => e)).toBe(own);
    const b = new AbortController();
    b.abort('why');
    const error = (await executor.execute(spec({ signal: b.signal })).catch((e: unknown) => e)) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.cause).toBe('why');
  });

  it('interrupts a back-off wait', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([connectionReset()], clock);
    const executor = createExecutor(transport, options(clock, { retry: { minDelayMs: 500, jitter: 'none' } }));
    const controller = new AbortController();
    const pending = executor.execute(spec({ signal: controller.signal })).catch((e: unknown) => e);
    await clock.advance(100);
    controller.abort();
    expect(await pending).toBeInstanceOf(AbortError);
    await clock.advance(0);
    expect(clock.timers.size).toBeLessThanOrEqual(1); // the shared deadline watchdog only
    expect(transport.requests).toHaveLength(1);
  });
});
