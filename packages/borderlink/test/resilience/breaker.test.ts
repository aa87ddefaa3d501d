import { describe, expect, it } from 'vitest';
import { CircuitOpenError, GatewayError } from 'borderlink';
import { createExecutor, type ResilienceEvent } from '../../src/resilience/index';
import { ManualClock, connectionReset, options, scriptedTransport, spec, type Step } from './fakes';

function setup(first: () => Step) {
  const clock = new ManualClock();
  let answer = first;
  const events: ResilienceEvent[] = [];
  const transport = scriptedTransport(() => answer(), clock, { endpoint: 'https://gw.example' });
  const executor = createExecutor(
    transport,
    options(clock, { retry: false, breaker: { failureThreshold: 3, openMs: 5000, halfOpenProbes: 1 } }),
    { emit: (e) => e.type === 'breaker' && events.push(e) },
  );
  const call = async () => {
    const p = executor.execute(spec()).then(
      () => 'ok',
      (e: unknown) => e,
    );
    await clock.advance(1);
    return p;
  };
  return { clock, transport, executor, events, call, answerWith: (f: () => Step) => (answer = f) };
}

describe('the circuit breaker', () => {
  it('opens after a run of failures, fails fast with a retryable CircuitOpenError carrying retryAt, and sends nothing', async () => {
    const { clock, transport, executor, events, call } = setup(connectionReset);
    for (let i = 0; i < 3; i++) await call();
    expect(executor.breaker?.state).toBe('open');
    const openedAt = clock.now() - 1;
    const error = (await call()) as CircuitOpenError;
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error.retryable).toBe(true);
    expect(error.retryAt).toBe(openedAt + 5000);
    expect(error.attempts).toBe(0);
    expect(transport.requests).toHaveLength(3);
    expect(events).toEqual([{ type: 'breaker', endpoint: 'https://gw.example', state: 'open', retryAt: openedAt + 5000 }]);
  });

  it('half-opens after openMs with one probe; a success closes it', async () => {
    const { clock, executor, events, call, answerWith } = setup(connectionReset);
    for (let i = 0; i < 3; i++) await call();
    await clock.advance(5000);
    answerWith(() => ({ status: 200, body: '{}', after: 100 }));
    const probe = executor.execute(spec());
    // While the probe is in flight, other calls still fail fast.
    expect(await call()).toBeInstanceOf(CircuitOpenError);
    await clock.advance(200);
    expect((await probe).attempts).toBe(1);
    expect(executor.breaker?.state).toBe('closed');
    expect(events.map((e) => e.type === 'breaker' && e.state)).toEqual(['open', 'half-open', 'closed']);
    const after = executor.execute(spec());
    await clock.advance(200);
    expect((await after).attempts).toBe(1);
  });

  it('says whether it would refuse a call now without letting a probe through: refused while open or while its probes are out', async () => {
    const { clock, executor, call, answerWith } = setup(connectionReset);
    expect(executor.refusesNow()).toBe(false);
    for (let i = 0; i < 3; i++) await call();
    expect(executor.refusesNow()).toBe(true);
    await clock.advance(5000);
    // Past openMs the next call is the probe: asking does not take its place.
    expect(executor.refusesNow()).toBe(false);
    expect(executor.refusesNow()).toBe(false);
    expect(executor.breaker?.state).toBe('open');
    answerWith(() => ({ status: 200, body: '{}', after: 100 }));
    const probe = executor.execute(spec());
    expect(executor.refusesNow()).toBe(true);
    await clock.advance(200);
    await probe;
    expect(executor.refusesNow()).toBe(false);
  });

  it('opens again when the probe fails', async () => {
    const { clock, executor, events, call } = setup(() => ({ status: 503 }));
    for (let i = 0; i < 3; i++) await call();
    await clock.advance(5000);
    expect(await call()).toBeInstanceOf(GatewayError);
    expect(executor.breaker?.state).toBe('open');
    expect(await call()).toBeInstanceOf(CircuitOpenError);
    expect(events.map((e) => e.type === 'breaker' && e.state)).toEqual(['open', 'half-open', 'open']);
  });

  it('does not count 4xx answers and 429 as failures: they reset the run', async () => {
    const { executor, call, answerWith } = setup(connectionReset);
    await call();
    await call();
    for (const status of [400, 404, 409, 422, 429]) {
      answerWith(() => ({ status }));
      await call();
      answerWith(connectionReset);
      await call();
      await call();
      expect(executor.breaker?.state).toBe('closed');
    }
  });

  it('counts timeouts, 5xx, 408 and cut-off bodies as failures', async () => {
    for (const step of [{ hang: true } as Step, { status: 500 }, { status: 502 }, { status: 504 }, { status: 408 }]) {
      const { clock, executor, call } = setup(() => step);
      for (let i = 0; i < 3; i++) {
        const p = call();
        await clock.advance(3000);
        await p;
      }
      expect(executor.breaker?.state).toBe('open');
    }
  });

  it('counts a call, not its attempts: three attempts that fail are one failure', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport([connectionReset()], clock);
    const executor = createExecutor(transport, options(clock, { retry: { retries: 2 }, breaker: { failureThreshold: 2 } }));
    const p = executor.execute(spec()).catch(() => undefined);
    await clock.advance(3000);
    await p;
    expect(transport.requests).toHaveLength(3);
    expect(executor.breaker?.state).toBe('closed');
  });

  it('keeps a success from closing a breaker opened while that call was in flight', async () => {
    const { clock, executor, call, answerWith } = setup(() => ({ status: 200, body: '{}', after: 1000 }));
    const slow = call();
    answerWith(connectionReset);
    for (let i = 0; i < 3; i++) await call();
    expect(executor.breaker?.state).toBe('open');
    await clock.advance(1000);
    expect(await slow).toBe('ok');
    expect(executor.breaker?.state).toBe('open');
  });
});
