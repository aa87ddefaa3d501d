// Assembles the layers, in the order of the diagram in docs/resilience.md:
//
//   deadline ⊃ breaker ⊃ retry (with budget) ⊃ hedge (reads) ⊃ attempt timeout ⊃ transport
import { AbortError, BorderlinkError, ConfigError, ConnectionError } from '../errors/index';
import type { Transport } from '../transport/types';
import { attemptTimeout, fromTransport } from './attempt';
import { breaker, createCircuitBreaker, type CircuitBreaker } from './breaker';
import { createRetryBudget, unlimitedBudget, type RetryBudget } from './budget';
import type { Answer, Call } from './call';
import { createDeadlineWatch, deadline, type CallEnd } from './deadline';
import { createEmitter, type ResilienceEvent } from './events';
import { hedge } from './hedge';
import type { ResolvedResilience } from './options';
import { retry } from './retry';
import type { CallOutcome, CallSpec, Executor } from './types';

/** Where the executor reports what happens. */
export interface ExecutorHooks {
  /** Receives every event; must not throw (a throw is ignored). */
  emit?(event: ResilienceEvent): void;
  /**
   * What a request event says of a path: the caller's name for it (the client gives protocol v1's template, so no
   * event, on the hook or on the diagnostics channel, carries an id a path holds). @default the path as sent
   */
  route?(path: string): string;
}

/** The executor, with read access to its state for tests and diagnostics. @internal */
export interface InspectableExecutor extends Executor {
  readonly breaker: Pick<CircuitBreaker, 'state'> | undefined;
  readonly budget: Pick<RetryBudget, 'tokens'>;
  /** Calls in flight. */
  readonly inFlight: number;
  refusesNow(): boolean;
}

function succeeded<T>(answer: Answer<T>, call: Call<T>, now: number): CallOutcome<T> {
  return { value: answer.value, response: answer.response, attempts: call.attempts, durationMs: now - call.startedAt };
}

function finished(error: unknown, call: Call<unknown>, now: number): BorderlinkError {
  const e = error instanceof BorderlinkError ? error : new ConnectionError('The call failed without an answer', { cause: error });
  e.requestId ??= call.spec.requestId;
  e.attempts = call.attempts;
  e.durationMs = now - call.startedAt;
  if (call.spec.kind === 'write') e.mayHaveBeenStored = call.reachedGateway || call.pendingAttempts > 0;
  return e;
}

/** Runs calls through the resilience layers to `transport`. */
export function createExecutor(transport: Transport, resolved: ResolvedResilience, hooks: ExecutorHooks = {}): InspectableExecutor {
  const { clock } = resolved;
  const emitter = createEmitter(hooks.emit?.bind(hooks));
  const budget = resolved.retryBudget === false ? unlimitedBudget : createRetryBudget(resolved.retryBudget);
  const circuit =
    resolved.breaker === false ? undefined : createCircuitBreaker(resolved.breaker, transport.endpoint, clock, emitter);
  const watch = createDeadlineWatch(clock);
  const end: CallEnd = {
    succeeded: (answer, call) => succeeded(answer, call, clock.now()),
    failed: (error, call) => finished(error, call, clock.now()),
  };

  const send = deadline(watch, end)(
    breaker(circuit)(
      retry(resolved.retry, { clock, random: resolved.random, budget, emitter })(
        hedge(resolved.hedgeAfterMs, { clock, budget, emitter })(
          attemptTimeout(clock)(
            fromTransport(transport, clock, emitter, hooks.route?.bind(hooks)),
          ),
        ),
      ),
    ),
  );

  let closed = false;
  return {
    execute<T>(spec: CallSpec<T>): Promise<CallOutcome<T>> {
      if (closed) return Promise.reject(new ConfigError('The client is closed', { requestId: spec.requestId, attempts: 0, durationMs: 0 }));
      const startedAt = spec.startedAt ?? clock.now();
      const timeoutMs = spec.timeoutMs;
      const attemptMs = spec.attemptTimeoutMs ?? resolved.attemptTimeoutMs ?? timeoutMs / 2;
      if (!(timeoutMs > 0 && Number.isFinite(timeoutMs)) || !(attemptMs > 0 && Number.isFinite(attemptMs))) {
        return Promise.reject(
          new ConfigError('Option timeoutMs and attemptTimeoutMs must be finite numbers above 0', { requestId: spec.requestId, attempts: 0, durationMs: 0 }),
        );
      }
      const call: Call<T> = {
        spec,
        startedAt,
        deadlineAt: startedAt + timeoutMs,
        attemptTimeoutMs: Math.min(attemptMs, timeoutMs),
        attempts: 0,
        lastBudgetCost: 0,
        reachedGateway: false,
        pendingAttempts: 0,
      };
      return send(call, { signal: spec.signal });
    },
    refusesNow() {
      return !closed && circuit !== undefined && circuit.refuses();
    },
    close() {
      closed = true;
      // Every call in flight is settled now, with a typed error: a caller must not wait on a closed client until
      // some attempt times out. The watchdog stays armed until they have all ended.
      watch.endAll(() => new AbortError('The client was closed while the call was in flight'));
      watch.close();
      return Promise.resolve();
    },
    admitsMany() {
      return !closed && (circuit === undefined || circuit.state === 'closed');
    },
    get breaker() {
      return circuit;
    },
    get budget() {
      return budget;
    },
    get inFlight() {
      return watch.size;
    },
  };
}
