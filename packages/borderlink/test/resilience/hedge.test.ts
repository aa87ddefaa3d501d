import { describe, expect, it } from 'vitest';
import { InputError } from 'borderlink';
import { createExecutor, type ResilienceEvent } from '../../src/resilience/index';
import { ManualClock, ok, options, scriptedTransport, spec, type Step } from './fakes';

describe('hedged reads', () => {
  it('races a second attempt after hedgeAfterMs; the first answer wins and the loser is aborted', async () => {
    const clock = new ManualClock();
    const events: ResilienceEvent[] = [];
    const transport = scriptedTransport([{ status: 200, body: '"slow"', after: 1000 }, { status: 200, body: '"fast"', after: 50 }], clock);
    const executor = createExecutor(transport, options(clock, { hedgeAfterMs: 200, retryBudget: { capacity: 100, retryCost: 5 } }), {
      emit: (e) => events.push(e),
    });
    const pending = executor.execute(spec({ requestId: 'r-h' }));
    await clock.advance(2000);
    const outcome = await pending;
    expect(outcome.value).toBe('fast');
    expect(outcome.attempts).toBe(2);
    expect(outcome.durationMs).toBe(250);
    expect(transport.aborted).toBe(1);
    expect(transport.requests[1]?.signal?.aborted).toBe(false);
    expect(transport.requests[0]?.signal?.aborted).toBe(true);
    expect(events.find((e) => e.type === 'hedge')).toEqual({ type: 'hedge', requestId: 'r-h', attempt: 2, afterMs: 200 });
    // The hedge took 5 tokens; it won, so the call refunds them.
    expect(executor.budget.tokens).toBe(100);
  });

  it('spends the retry budget: a hedge takes retryCost, and there is no hedge when the budget cannot pay', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ status: 200, body: '"one"', after: 500 }], clock);
    const executor = createExecutor(transport, options(clock, { hedgeAfterMs: 100, retryBudget: { capacity: 7, retryCost: 5 } }));
    const first = executor.execute(spec());
    await clock.advance(150);
    expect(transport.requests).toHaveLength(2);
    expect(executor.budget.tokens).toBe(2);
    await clock.advance(1000);
    await first;

    const poor = scriptedTransport([{ status: 200, body: '"one"', after: 500 }], clock);
    const stingy = createExecutor(poor, options(clock, { hedgeAfterMs: 100, retryBudget: { capacity: 4, retryCost: 5 } }));
    const second = stingy.execute(spec());
    await clock.advance(1000);
    expect((await second).attempts).toBe(1);
    expect(poor.requests).toHaveLength(1);
  });

  it('keeps the other attempt running when one fails retryably, and ends the race on a 4xx', async () => {
    const clock = new ManualClock();
    const script = (_r: unknown, n: number): Step => (n === 1 ? { status: 503, after: 300 } : { status: 200, body: '"second"', after: 200 });
    const transport = scriptedTransport(script, clock);
    const executor = createExecutor(transport, options(clock, { hedgeAfterMs: 100, retry: false }));
    const pending = executor.execute(spec());
    await clock.advance(1000);
    expect((await pending).value).toBe('second');

    const clock2 = new ManualClock();
    const t2 = scriptedTransport((_r, n): Step => (n === 1 ? { status: 400, after: 150 } : { status: 200, body: '"x"', after: 500 }), clock2);
    const e2 = createExecutor(t2, options(clock2, { hedgeAfterMs: 100 }));
    const p2 = e2.execute(spec()).catch((e: unknown) => e);
    await clock2.advance(1000);
    expect(await p2).toBeInstanceOf(InputError);
    expect(t2.aborted).toBe(1);
  });

  it('never hedges a write', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([{ status: 200, body: '{}', after: 500 }], clock);
    const executor = createExecutor(transport, options(clock, { hedgeAfterMs: 100 }));
    const p = executor.execute(spec({ kind: 'write' }));
    await clock.advance(1000);
    await p;
    expect(transport.requests).toHaveLength(1);
    expect(transport.requests[0]?.signal).toBeUndefined();
  });

  it('passes no signal and creates no controller when hedging is off', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([ok()], clock);
    const executor = createExecutor(transport, options(clock));
    const p = executor.execute(spec());
    await clock.advance(1);
    await p;
    expect(transport.requests[0]?.signal).toBeUndefined();
  });
});
