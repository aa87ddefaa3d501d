// The call's deadline and the caller's signal, outermost. Attempts already stop at the deadline (the transport
// enforces each attempt's timeoutMs), so this layer is the backstop for a transport that does not: one shared
// watchdog timer per executor, armed for the earliest deadline in flight, instead of a timer per call.
import { TimeoutError } from '../errors/index';
import { abortErrorFrom, type Answer, type Attempt, type Call, type Layer } from './call';
import type { Clock } from './options';

interface Watched {
  readonly deadlineAt: number;
  expire(): void;
}

/** @internal */
export interface DeadlineWatch {
  watch(entry: Watched): void;
  unwatch(entry: Watched): void;
  /** Calls in flight. */
  readonly size: number;
  close(): void;
}

/**
 * One timer for all calls in flight. A call that ends does not clear it (that would cost a timer per call on the
 * hot path); the timer fires at most once per deadline, re-arms for the next deadline in flight, and stops when none
 * is left. So after the last call, at most one timer remains, until that call's deadline.
 */
export function createDeadlineWatch(clock: Clock): DeadlineWatch {
  const inFlight = new Set<Watched>();
  let timer: unknown;
  let armedFor = Number.POSITIVE_INFINITY;

  const arm = (at: number): void => {
    if (at >= armedFor) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    armedFor = at;
    timer = clock.setTimeout(fire, Math.max(0, at - clock.now()));
    (timer as { unref?: () => void } | undefined)?.unref?.();
  };
  function fire(): void {
    timer = undefined;
    armedFor = Number.POSITIVE_INFINITY;
    const now = clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of inFlight) {
      if (entry.deadlineAt <= now) {
        inFlight.delete(entry);
        entry.expire();
      } else if (entry.deadlineAt < next) next = entry.deadlineAt;
    }
    if (next !== Number.POSITIVE_INFINITY) arm(next);
  }

  return {
    watch(entry) {
      inFlight.add(entry);
      arm(entry.deadlineAt);
    },
    unwatch(entry) {
      inFlight.delete(entry);
    },
    get size() {
      return inFlight.size;
    },
    close() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      armedFor = Number.POSITIVE_INFINITY;
    },
  };
}

/** Rejects with TimeoutError (scope 'call') at the deadline and with AbortError when the caller aborts. */
export function deadline(watch: DeadlineWatch): Layer {
  return (next) =>
    <T>(call: Call<T>, attempt: Attempt): Promise<Answer<T>> => {
      const signal = call.spec.signal;
      if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
      return new Promise<Answer<T>>((resolve, reject) => {
        let done = false;
        const end = (): boolean => {
          if (done) return false;
          done = true;
          watch.unwatch(entry);
          signal?.removeEventListener('abort', onAbort);
          return true;
        };
        const entry: Watched = {
          deadlineAt: call.deadlineAt,
          expire: () => {
            if (end()) reject(new TimeoutError('The call did not complete within its deadline', { scope: 'call' }));
          },
        };
        const onAbort = (): void => {
          if (end()) reject(abortErrorFrom(signal as AbortSignal));
        };
        watch.watch(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
        let pending: Promise<Answer<T>>;
        try {
          pending = next(call, attempt);
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(
          (answer) => {
            if (end()) resolve(answer);
          },
          (error: unknown) => {
            if (end()) reject(error);
          },
        );
      });
    };
}
