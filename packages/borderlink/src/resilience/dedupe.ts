// Identical read checks in flight at the same time share one gateway request. Each caller keeps its own deadline and
// its own abort: a caller joins a request only when that request may run at least as long as the caller's own
// deadline, leaves it (with its own TimeoutError) when its own deadline comes first, and the shared request is aborted
// only when every caller has left.
import { TimeoutError } from '../errors/index';
import { abortErrorFrom } from './call';
import { addAbortListener, removeAbortListener } from '../internal/abort';
import { systemClock, type Clock } from './options';

/** @internal */
export interface Deduper {
  /**
   * Joins the request in flight under `key`, or starts one with `start`. The key lives only while the request is
   * in flight, beside the request body it names. The value is shared between callers: clone it before handing it out.
   * `start` gets a signal only when the first caller brought one: a caller without a signal never leaves early, so
   * the shared request can only need aborting when every caller could abort.
   * @param deadlineAt the caller's own deadline on the deduper's clock. A request in flight with an earlier deadline
   * is not joined (it would fail this caller early): a new one is started and takes its place for later callers.
   */
  run<T>(key: string, start: (signal: AbortSignal | undefined) => Promise<T>, callerSignal?: AbortSignal, deadlineAt?: number): Promise<T>;
  /**
   * Whether `value`, as run gave it out, went to more than one caller (so each must copy it before changing it). A
   * value nobody joined is the caller's alone and needs no copy. Read it once the value is in hand: no caller can join
   * after that.
   */
  isShared(value: unknown): boolean;
  /** Requests in flight. */
  readonly size: number;
}

interface Shared {
  readonly controller: AbortController | undefined;
  readonly promise: Promise<unknown>;
  readonly deadlineAt: number;
  callers: number;
  /** A second caller joined: the value goes to more than one caller. */
  joined: boolean;
}

/**
 * A copy of an error with its class, brand and every own property (a shared failure must not be edited through one
 * caller). Automatic batching gives the calls of a failed request the same copies. @internal
 */
export function copyError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  return Object.defineProperties(Object.create(Object.getPrototypeOf(error) as object) as object, Object.getOwnPropertyDescriptors(error));
}

/** The most a joiner's deadline may lie past the shared request's. @unit milliseconds */
const JOIN_SLACK_MS = 250;

/**
 * Whether a caller whose own deadline is `deadlineAt` may join a request in flight that runs to `requestDeadlineAt`:
 * identical checks a few milliseconds apart share a request, and the joiner may end up to a tenth of its time (at
 * most JOIN_SLACK_MS) before its own deadline, never more. The in-flight table and automatic batching join by this one
 * rule. The clock is read only when the request would end first. @internal
 */
export function mayJoin(requestDeadlineAt: number, deadlineAt: number, clock: Clock): boolean {
  if (requestDeadlineAt >= deadlineAt) return true;
  const slack = Number.isFinite(deadlineAt) ? Math.min(JOIN_SLACK_MS, Math.max(0, deadlineAt - clock.now()) / 10) : 0;
  return requestDeadlineAt + slack >= deadlineAt;
}

export function createDeduper(clock: Clock = systemClock): Deduper {
  const inFlight = new Map<string, Shared>();
  // The values of joined requests. Marked when the request settles, before any caller's own continuation runs (that
  // reaction was registered first), and no caller can join after it, since the entry leaves the table then too.
  const sharedValues = new WeakSet<object>();

  const startShared = (
    key: string,
    start: (signal: AbortSignal | undefined) => Promise<unknown>,
    withSignal: boolean,
    deadlineAt: number,
  ): Shared => {
    // An AbortController per call costs a measurable share of a check's CPU: make one only when it can be used.
    const controller = withSignal ? new AbortController() : undefined;
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(start(controller?.signal));
    } catch (error) {
      promise = Promise.reject(error);
    }
    const shared: Shared = { controller, promise, deadlineAt, callers: 0, joined: false };
    const remove = (): void => {
      if (inFlight.get(key) === shared) inFlight.delete(key);
    };
    promise.then((value) => {
      if (shared.joined && typeof value === 'object' && value !== null) sharedValues.add(value);
      remove();
    }, remove);
    inFlight.set(key, shared);
    return shared;
  };

  return {
    run<T>(
      key: string,
      start: (signal: AbortSignal | undefined) => Promise<T>,
      callerSignal?: AbortSignal,
      deadlineAt: number = Number.POSITIVE_INFINITY,
    ): Promise<T> {
      if (callerSignal?.aborted) return Promise.reject(abortErrorFrom(callerSignal));
      const existing = inFlight.get(key);
      // Nearly every check finds nothing to join, and then needs neither the slack nor the clock.
      const joined = existing !== undefined && mayJoin(existing.deadlineAt, deadlineAt, clock);
      const shared = joined ? existing : startShared(key, start, callerSignal !== undefined, deadlineAt);
      shared.callers++;
      if (joined) shared.joined = true;
      // The caller that started the request, with no signal: nothing can make it leave before the request ends.
      if (!joined && callerSignal === undefined) return shared.promise as Promise<T>;
      // The caller that started the request has its deadline enforced by the request itself; a joiner whose
      // deadline comes before the shared one needs its own.
      const ownDeadline = joined && deadlineAt < shared.deadlineAt && Number.isFinite(deadlineAt);
      // The caller that started the request gets its error itself; each joiner gets its own copy, since the client
      // writes the call's request id and duration onto it.
      const failure = joined ? (error: unknown) => copyError(error) : (error: unknown) => error;
      if (callerSignal === undefined && !ownDeadline) {
        return joined ? (shared.promise.catch((error: unknown) => Promise.reject(failure(error))) as Promise<T>) : (shared.promise as Promise<T>);
      }
      return new Promise<T>((resolve, reject) => {
        let left = false;
        let timer: unknown;
        const leave = (): boolean => {
          if (left) return false;
          left = true;
          shared.callers--;
          if (timer !== undefined) clock.clearTimeout(timer);
          if (callerSignal !== undefined) removeAbortListener(callerSignal, onAbort);
          return true;
        };
        const leaveEarly = (error: unknown): void => {
          if (!leave()) return;
          if (shared.callers === 0) {
            // Nobody waits any more: free the gateway and let the next identical check start afresh.
            if (inFlight.get(key) === shared) inFlight.delete(key);
            shared.controller?.abort(error);
          }
          reject(error);
        };
        const onAbort = (): void => leaveEarly(abortErrorFrom(callerSignal as AbortSignal));
        if (callerSignal !== undefined) addAbortListener(callerSignal, onAbort);
        if (ownDeadline) {
          timer = clock.setTimeout(
            () => leaveEarly(new TimeoutError('The call did not complete within its deadline', { scope: 'call' })),
            Math.max(0, deadlineAt - clock.now()),
          );
          (timer as { unref?: () => void } | undefined)?.unref?.();
        }
        shared.promise.then(
          (value) => {
            if (leave()) resolve(value as T);
          },
          (error: unknown) => {
            if (leave()) reject(failure(error));
          },
        );
      });
    },
    isShared(value: unknown): boolean {
      return typeof value === 'object' && value !== null && sharedValues.has(value);
    },
    get size() {
      return inFlight.size;
    },
  };
}
