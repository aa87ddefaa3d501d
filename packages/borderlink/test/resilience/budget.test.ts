import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/resilience/index';
import { ManualClock, connectionReset, ok, options, scriptedTransport, spec, type Step } from './fakes';

describe('the retry budget', () => {
  it('stops retries under sustained failure, while first attempts still go, and refills on success', async () => {
    const clock = new ManualClock();
    let failing = true;
    const transport = scriptedTransport((): Step => (failing ? connectionReset() : ok()), clock);
    const executor = createExecutor(
      transport,
      options(clock, { breaker: false, retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 }, retryBudget: { capacity: 20, retryCost: 5, successRefund: 1 } }),
    );
    const run = async () => {
      const before = transport.requests.length;
      const p = executor.execute(spec()).catch(() => undefined);
      await clock.advance(10);
      await p;
      return transport.requests.length - before;
    };
    // 20 tokens: four retries in all, then every call is a single attempt.
    expect(await run()).toBe(3);
    expect(await run()).toBe(3);
    expect(executor.budget.tokens).toBe(0);
    expect(await run()).toBe(1);
    expect(await run()).toBe(1);
    failing = false;
    for (let i = 0; i < 5; i++) expect(await run()).toBe(1);
    expect(executor.budget.tokens).toBe(5);
    failing = true;
    expect(await run()).toBe(2);
  });

  it('refunds what the last retry took when the call succeeds after it', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([connectionReset(), ok()], clock);
    const executor = createExecutor(transport, options(clock, { breaker: false, retryBudget: { capacity: 100, retryCost: 5 } }));
    const p = executor.execute(spec());
    await clock.advance(1000);
    await p;
    expect(executor.budget.tokens).toBe(100);
  });

  it('charges timeoutCost for a retry after a timeout', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ hang: true }], clock);
    const executor = createExecutor(
      transport,
      options(clock, { breaker: false, retry: { retries: 1 }, retryBudget: { capacity: 100, retryCost: 5, timeoutCost: 10 } }),
    );
    const p = executor.execute(spec({ timeoutMs: 3000 })).catch(() => undefined);
    await clock.advance(4000);
    await p;
    expect(executor.budget.tokens).toBe(90);
  });
});
