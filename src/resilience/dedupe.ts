// Identical read checks in flight at the same time share one gateway request. Each caller gets its own promise and
// its own abort: the shared request is aborted only when every caller has left.
import { abortErrorFrom } from './call';
import { addAbortListener, removeAbortListener } from '../internal/abort';

/** @internal */
export interface Deduper {
  /**
   * Joins the request in flight under `key`, or starts one with `start`. The key lives only while the request is
   * in flight, beside the request body it names. The value is shared between callers: clone it before handing it out.
   * `start` gets a signal only when the first caller brought one: a caller without a signal never leaves early, so
   * the shared request can only need aborting when every caller could abort.
   */
  run<T>(key: string, start: (signal: AbortSignal | undefined) => Promise<T>, callerSignal?: AbortSignal): Promise<T>;
  /** Requests in flight. */
  readonly size: number;
}

interface Shared {
  readonly controller: AbortController | undefined;
  readonly promise: Promise<unknown>;
  callers: number;
}

export function createDeduper(): Deduper {
  const inFlight = new Map<string, Shared>();

  const startShared = (key: string, start: (signal: AbortSignal | undefined) => Promise<unknown>, withSignal: boolean): Shared => {
    // An AbortController per call costs a measurable share of a check's CPU: make one only when it can be used.
    const controller = withSignal ? new AbortController() : undefined;
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(start(controller?.signal));
    } catch (error) {
      promise = Promise.reject(error);
    }
    const shared: Shared = { controller, promise, callers: 0 };
    const remove = (): void => {
      if (inFlight.get(key) === shared) inFlight.delete(key);
    };
    promise.then(remove, remove);
    inFlight.set(key, shared);
    return shared;
  };

  return {
    run<T>(key: string, start: (signal: AbortSignal | undefined) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
      if (callerSignal?.aborted) return Promise.reject(abortErrorFrom(callerSignal));
      const shared = inFlight.get(key) ?? startShared(key, start, callerSignal !== undefined);
      shared.callers++;
      if (callerSignal === undefined) return shared.promise as Promise<T>;
      return new Promise<T>((resolve, reject) => {
        let left = false;
        const leave = (): boolean => {
          if (left) return false;
          left = true;
          shared.callers--;
          if (callerSignal !== undefined) removeAbortListener(callerSignal, onAbort);
          return true;
        };
        const onAbort = (): void => {
          if (!leave()) return;
          if (shared.callers === 0) {
            // Nobody waits any more: free the gateway and let the next identical check start afresh.
            if (inFlight.get(key) === shared) inFlight.delete(key);
            shared.controller?.abort(callerSignal?.reason);
          }
          reject(abortErrorFrom(callerSignal as AbortSignal));
        };
        if (callerSignal !== undefined) addAbortListener(callerSignal, onAbort);
        shared.promise.then(
          (value) => {
            if (leave()) resolve(value as T);
          },
          (error: unknown) => {
            if (leave()) reject(error);
          },
        );
      });
    },
    get size() {
      return inFlight.size;
    },
  };
}
