import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BorderlinkError, ConnectionError, ProtocolError, TimeoutError } from 'borderlink';
import { createExecutor } from '../../src/resilience/index';
import { ManualClock, options, scriptedTransport, spec, type Step } from './fakes';

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504, 599).map(
    (status): Step => ({ status, body: '{"ok":true}' }),
  ),
  fc.record({ status: fc.constant(200), body: fc.constantFrom('', '{"ok":', 'not json', '{"ok":false}', '[]') }),
  fc.record({ status: fc.constantFrom(429, 503), headers: fc.constantFrom<Record<string, string>>({ 'retry-after': '1' }, { 'retry-after-ms': '40' }, { 'retry-after': 'soon' }) }),
  fc.constantFrom<Step>(
    { reject: new ConnectionError('reset') },
    { reject: new TimeoutError('t', { scope: 'attempt' }) },
    { reject: new TypeError('weird') },
    { reject: 'a string' },
    { reject: undefined },
    { hang: true },
  ),
  fc.record({ status: fc.constant(200), body: fc.constant('{"ok":true}'), after: fc.integer({ min: 0, max: 4000 }) }),
);

describe('for any sequence of scripted failures', () => {
  it('execute resolves with a 2xx-parsed value or rejects with a BorderlinkError carrying its metadata, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 6 }),
        fc.constantFrom<'read' | 'write'>('read', 'write'),
        fc.option(fc.integer({ min: 50, max: 500 }), { nil: undefined }),
        fc.integer({ min: 200, max: 5000 }),
        async (script, kind, hedgeAfterMs, timeoutMs) => {
          const clock = new ManualClock();
          const transport = scriptedTransport(script, clock);
          const executor = createExecutor(
            transport,
            options(clock, { retry: { retries: 3 }, ...(hedgeAfterMs === undefined ? {} : { hedgeAfterMs }) }),
          );
          const parse = (r: { body: string }) => {
            let value: unknown;
            try {
              value = JSON.parse(r.body);
            } catch (cause) {
              throw new ProtocolError('not JSON', { retryable: true, cause });
            }
            if (typeof value !== 'object' || value === null || (value as { ok?: unknown }).ok !== true) {
              throw new ProtocolError('off schema', { retryable: false });
            }
            return value as { ok: true };
          };
          const pending = executor.execute(spec({ kind, timeoutMs, requestId: 'r-p', parse })).then(
            (outcome) => ({ outcome }),
            (error: unknown) => ({ error }),
          );
          await clock.advance(timeoutMs + 100);
          const settled = await Promise.race([pending, Promise.resolve(undefined)]);
          expect(settled).toBeDefined();
          if (settled && 'outcome' in settled) {
            expect(settled.outcome.response.status).toBeGreaterThanOrEqual(200);
            expect(settled.outcome.response.status).toBeLessThan(300);
            expect(settled.outcome.value).toEqual({ ok: true });
          } else if (settled) {
            expect(settled.error).toBeInstanceOf(BorderlinkError);
            const e = settled.error as BorderlinkError;
            expect(e.requestId).toBe('r-p');
            expect(e.attempts).toBeGreaterThanOrEqual(0);
            expect(e.durationMs).toBeLessThanOrEqual(timeoutMs);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
