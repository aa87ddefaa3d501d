import { describe, expect, it } from 'vitest';
import {
  AbortError,
  BorderlinkError,
  ConnectionError,
  GatewayError,
  ProtocolError,
  RateLimitError,
  TimeoutError,
} from 'borderlink';
import { createExecutor, type ResilienceEvent } from '../../src/resilience/index';
import { backoffDelay } from '../../src/resilience/retry';
import { ManualClock, connectionReset, ok, options, scriptedTransport, spec, type Step } from './fakes';

async function attemptsFor(step: Step, kind: 'read' | 'write') {
  const clock = new ManualClock();
  const transport = scriptedTransport([step, ok()], clock);
  const executor = createExecutor(transport, options(clock, { breaker: false }));
  const pending = executor.execute(spec({ kind })).then(
    (o) => ({ ok: true as const, attempts: o.attempts }),
    (e: BorderlinkError) => ({ ok: false as const, attempts: e.attempts, error: e }),
  );
  await clock.advance(5000);
  return pending;
}

describe('retry classification', () => {
  // status → retried for reads, retried for writes
  const table: Array<[number, boolean, boolean]> = [
    [400, false, false],
    [401, false, false],
    [403, false, false],
    [404, false, false],
    [409, false, false],
    [413, false, false],
    [422, false, false],
    [408, true, true],
    [429, true, true],
    [500, true, false],
    [502, true, true],
    [503, true, true],
    [504, true, true],
    [418, false, false],
  ];
  for (const [status, read, write] of table) {
    it(`${read ? 'retries' : 'does not retry'} a ${status} on a read and ${write ? 'retries' : 'does not retry'} it on a write`, async () => {
      const r = await attemptsFor({ status, body: '{"error":{"code":"X","message":"m"}}' }, 'read');
      expect(r.attempts).toBe(read ? 2 : 1);
      expect(r.ok).toBe(read);
      const w = await attemptsFor({ status, body: '' }, 'write');
      expect(w.attempts).toBe(write ? 2 : 1);
    });
  }

  it('retries a reset connection and an attempt timeout', async () => {
    expect((await attemptsFor(connectionReset(), 'read')).attempts).toBe(2);
    expect((await attemptsFor({ reject: new TimeoutError('t', { scope: 'attempt' }) }, 'write')).attempts).toBe(2);
  });

  it('turns a rejection that is not a BorderlinkError into a retried ConnectionError with its cause', async () => {
    const clock = new ManualClock();
    const boom = new TypeError('socket hang up');
    const transport = scriptedTransport([{ reject: boom }], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false }));
    const pending = executor.execute(spec()).catch((e: unknown) => e);
    await clock.advance(5000);
    const error = (await pending) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.cause).toBe(boom);
    expect(error.attempts).toBe(3);
  });

  it('retries a cut-off body but not a well-formed body off the schema', async () => {
    for (const [retryable, expected] of [
      [true, 3],
      [false, 1],
    ] as const) {
      const clock = new ManualClock();
      const transport = scriptedTransport([ok()], clock);
      const executor = createExecutor(transport, options(clock, { breaker: false }));
      const pending = executor
        .execute(
          spec({
            parse: () => {
              throw new ProtocolError('bad body', { retryable });
            },
          }),
        )
        .catch((e: unknown) => e);
      await clock.advance(5000);
      const error = (await pending) as ProtocolError;
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.attempts).toBe(expected);
    }
  });

  it('never retries a caller abort', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ hang: true }], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false }));
    const controller = new AbortController();
    const pending = executor.execute(spec({ signal: controller.signal })).catch((e: unknown) => e);
    await clock.advance(10);
    controller.abort();
    const error = (await pending) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    await clock.advance(5000);
    expect(transport.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('sends the same headers (x-request-id, idempotency-key) on every attempt of a write', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([connectionReset(), { status: 503 }, ok()], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false }));
    const headers = { 'content-type': 'application/json', 'x-request-id': 'rid-1', 'idempotency-key': 'idem-1' };
    const pending = executor.execute(
      spec({ kind: 'write', requestId: 'rid-1', request: { method: 'POST', path: '/v1/reports/documents', headers, body: '{}' } }),
    );
    await clock.advance(5000);
    expect((await pending).attempts).toBe(3);
    expect(transport.requests).toHaveLength(3);
    for (const r of transport.requests) {
      expect(r.headers['x-request-id']).toBe('rid-1');
      expect(r.headers['idempotency-key']).toBe('idem-1');
      expect(r.body).toBe('{}');
    }
  });

  it('waits with full jitter: random × min(maxDelayMs, minDelayMs × 2^retry)', () => {
    const policy = { retries: 5, minDelayMs: 50, maxDelayMs: 1000, jitter: 'full' as const };
    expect(backoffDelay(policy, 0, () => 0.5)).toBe(25);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelay(policy, 6, () => 0.5)).toBe(500);
    expect(backoffDelay(policy, 2, () => 0)).toBe(0);
    expect(backoffDelay({ ...policy, jitter: 'none' }, 2, () => 0)).toBe(200);
  });

  it('reports each retry with its delay and error code, and no body or header', async () => {
    const clock = new ManualClock();
    const events: ResilienceEvent[] = [];
    const transport = scriptedTransport([{ status: 503 }, ok()], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false, random: () => 0.5 }), { emit: (e) => events.push(e) });
    const pending = executor.execute(spec({ requestId: 'r-ev' }));
    await clock.advance(5000);
    await pending;
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'retry', 'request', 'response']);
    expect(events[2]).toEqual({ type: 'retry', requestId: 'r-ev', attempt: 1, delayMs: 25, errorCode: 'UPSTREAM_UNAVAILABLE' });
    expect(JSON.stringify(events)).not.toMatch(/content-type|"body"|headers/);
  });
});

describe('retry-after', () => {
  async function waitBeforeSecondAttempt(headers: Record<string, string>, timeoutMs = 60_000) {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ status: 429, headers }, ok()], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false, retry: { jitter: 'none' } }));
    const sentAt: number[] = [];
    const original = transport.send.bind(transport);
    transport.send = (r) => {
      sentAt.push(clock.now());
      return original(r);
    };
    const pending = executor.execute(spec({ timeoutMs })).then(
      (o) => o,
      (e: unknown) => e,
    );
    await clock.advance(timeoutMs + 1000);
    return { result: await pending, waits: sentAt.slice(1).map((t, i) => t - (sentAt[i] as number)), sentAt };
  }

  it('honours retry-after in seconds', async () => {
    const { waits } = await waitBeforeSecondAttempt({ 'retry-after': '2' });
    expect(waits).toEqual([2000]);
  });

  it('honours retry-after-ms', async () => {
    const { waits } = await waitBeforeSecondAttempt({ 'retry-after-ms': '750' });
    expect(waits).toEqual([750]);
  });

  it('honours retry-after as an HTTP date', async () => {
    const at = new Date(Date.now() + 3000).toUTCString();
    const { waits } = await waitBeforeSecondAttempt({ 'retry-after': at });
    expect(waits[0]).toBeGreaterThan(1500);
    expect(waits[0]).toBeLessThanOrEqual(3000);
  });

  it('fails now with the RateLimitError when retry-after would pass the deadline, instead of sleeping past it', async () => {
    const { result, sentAt } = await waitBeforeSecondAttempt({ 'retry-after': '30' }, 3000);
    expect(result).toBeInstanceOf(RateLimitError);
    expect((result as RateLimitError).retryAfterMs).toBe(30_000);
    expect((result as RateLimitError).durationMs).toBe(0);
    expect(sentAt).toHaveLength(1);
  });

  it('clamps back-off to the deadline: a 503 whose back-off would pass it ends the call with the 503', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ status: 503, after: 600 }], clock);
    const executor = createExecutor(
      transport,
      options(clock, { breaker: false, retry: { retries: 5, minDelayMs: 400, maxDelayMs: 400, jitter: 'none' } }),
    );
    const pending = executor.execute(spec({ timeoutMs: 2000 })).catch((e: unknown) => e);
    await clock.advance(5000);
    const error = (await pending) as GatewayError;
    expect(error).toBeInstanceOf(GatewayError);
    // 600 + 400 + 600 = 1600; a second back-off of 400 would reach the deadline (2000): refused, the call ends now.
    expect(transport.requests).toHaveLength(2);
    expect(error.durationMs).toBe(1600);
    expect(error.attempts).toBe(2);
  });
});
