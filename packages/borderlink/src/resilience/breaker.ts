// The circuit breaker: one state per gateway endpoint. It sits outside the retries, so it counts calls, not attempts:
// a call that failed three attempts is one failure. It needs no timer: `open` turns `half-open` when a call arrives
// after `openMs`.
import { CircuitOpenError } from '../errors/index';
import { breakerVerdict } from './classify';
import type { Layer } from './call';
import type { Emitter } from './events';
import type { Clock, ResolvedResilience } from './options';

/** @internal */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** @internal */
export interface CircuitBreaker {
  readonly state: BreakerState;
  /** Lets a call through (`true` when it is a half-open probe) or throws CircuitOpenError. */
  admit(deadlineAt: number): boolean;
  /** Whether {@link CircuitBreaker.admit} would refuse a call now. Changes nothing: no probe is let through. */
  refuses(): boolean;
  /** Records how an admitted call ended. */
  record(probe: boolean, outcome: 'failure' | 'success' | 'neutral'): void;
}

export function createCircuitBreaker(
  options: Exclude<ResolvedResilience['breaker'], false>,
  endpoint: string,
  clock: Clock,
  emitter: Emitter,
): CircuitBreaker {
  let state: BreakerState = 'closed';
  let failures = 0;
  let openUntil = 0;
  let probes = 0;
  let probesEndAt = 0;

  const moveTo = (next: BreakerState, now: number): void => {
    state = next;
    if (next === 'open') openUntil = now + options.openMs;
    if (next === 'closed') failures = 0;
    if (next === 'half-open') probes = 0;
    if (emitter.wants('breaker')) {
      emitter.emit(next === 'open' ? { type: 'breaker', endpoint, state: next, retryAt: openUntil } : { type: 'breaker', endpoint, state: next });
    }
  };

  const refuse = (retryAt: number): never => {
    throw new CircuitOpenError('The gateway is failing; calls fail fast until the circuit breaker lets a probe through', {
      retryAt,
    });
  };

  return {
    get state() {
      return state;
    },
    admit(deadlineAt) {
      if (state === 'closed') return false;
      const now = clock.now();
      if (state === 'open') {
        if (now < openUntil) refuse(openUntil);
        moveTo('half-open', now);
      }
      // Half-open: a few probes at a time; the others are told to come back when the probes' deadlines have passed.
      if (probes >= options.halfOpenProbes) refuse(Math.max(probesEndAt, now));
      probes++;
      probesEndAt = Math.max(probesEndAt, deadlineAt);
      return true;
    },
    refuses() {
      if (state === 'closed') return false;
      // Open past `openUntil`, the next call is a probe of a half-open breaker whose probes are all free.
      if (state === 'open') return clock.now() < openUntil;
      return probes >= options.halfOpenProbes;
    },
    record(probe, outcome) {
      if (!probe) {
        // A call admitted before the breaker opened may end after; only calls made while closed count.
        if (state !== 'closed' || outcome === 'neutral') return;
        if (outcome === 'success') failures = 0;
        else if (++failures >= options.failureThreshold) moveTo('open', clock.now());
        return;
      }
      probes--;
      if (state !== 'half-open' || outcome === 'neutral') return;
      moveTo(outcome === 'success' ? 'closed' : 'open', clock.now());
    },
  };
}

/** Fails fast while the breaker is open; records how each admitted call ended. Never turns an open breaker into a result. */
export function breaker(circuit: CircuitBreaker | undefined): Layer {
  if (circuit === undefined) return (next) => next;
  return (next) => (call, attempt) => {
    let probe: boolean;
    try {
      probe = circuit.admit(call.deadlineAt);
    } catch (error) {
      return Promise.reject(error);
    }
    return next(call, attempt).then(
      (answer) => {
        circuit.record(probe, 'success');
        return answer;
      },
      (error: unknown) => {
        circuit.record(probe, breakerVerdict(error));
        throw error;
      },
    );
  };
}
