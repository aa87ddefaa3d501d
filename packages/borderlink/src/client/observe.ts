// The seam telemetry builds on: the table of the client's logical calls, and the wrapping of those methods when the
// client is given a `telemetry` observer. Without one nothing here runs: the methods are the class's own. The observer
// hears each call begin and end (with what it answered) and, through `client.on`, the very events the client gives
// its listeners and diagnostics channels, so spans, metrics and events cannot tell different stories.
import { ConfigError } from '../errors/index';
import type { BorderlinkClient, ClientEvent, ClientEventType } from './types';

/**
 * The kinds of logical call: `check` (one check, MRZ included), `batch` (`checkMany`), `report` (writes), `record` (a
 * full record read) and `confirmation` (a confirmation requested or resumed).
 */
export type CallKind = 'check' | 'batch' | 'report' | 'record' | 'confirmation';

/** Each public method that makes a logical call, and its kind: a new call is one line here. */
export const CALL_KINDS = Object.freeze({
  checkDocument: 'check',
  checkPerson: 'check',
  checkVehicle: 'check',
  check: 'check',
  checkMrz: 'check',
  checkMany: 'batch',
  checkManyMrz: 'batch',
  reportDocument: 'report',
  withdrawReport: 'report',
  fetchRecord: 'record',
  requestConfirmation: 'confirmation',
  resumeConfirmation: 'confirmation',
} as const) satisfies Readonly<Partial<Record<keyof BorderlinkClient<boolean>, CallKind>>>;

/** The kinds whose methods return an `AsyncIterable` of rows rather than a promise: the call lasts its iteration. */
const STREAMING: ReadonlySet<CallKind> = new Set<CallKind>(['batch']);

/** A client method that makes a logical call (a key of the table of calls). */
export type CallMethod = keyof typeof CALL_KINDS;

/**
 * The methods of a confirmation handle (from `requestConfirmation` or `resumeConfirmation`) that make a logical call of
 * their own, kind `confirmation`: each looks at the gateway.
 */
const HANDLE_CALLS: Readonly<Record<'refresh' | 'wait', HandleCallMethod>> = Object.freeze({ refresh: 'confirmation.refresh', wait: 'confirmation.wait' });

/** A logical call of a confirmation handle (its `refresh()` or `wait()`), of kind `confirmation`. */
export type HandleCallMethod = 'confirmation.refresh' | 'confirmation.wait';

/** A logical call as it starts. */
export interface CallStart {
  readonly kind: CallKind;
  readonly method: CallMethod | HandleCallMethod;
}

/** What an observer keeps of one call it watches. Its failures are ignored: they never fail the call. */
export interface ObservedCall {
  /** Runs the call's own synchronous part (where its first request is sent): e.g. inside a tracing context. */
  run?<T>(work: () => T): T;
  /** What the call answered: its result, or, for a batch, each row as it comes out. */
  answer?(answer: unknown): void;
  /** The call ended: with the error it rejected with, or (none given) its answer. A batch ends with its iteration. */
  end(error?: unknown): void;
}

/** What an observer does for one client. */
export interface ClientObservation {
  /** The client events it wants, delivered to {@link ClientObservation.event} as `client.on` listeners get them. */
  readonly events?: readonly ClientEventType[];
  event?(event: ClientEvent): void;
  /** A logical call starts (in the caller's own async context): what watches it, or undefined to leave it alone. */
  call(call: CallStart): ObservedCall | undefined;
}

/**
 * Watches a client's logical calls and events: `openTelemetry()` from `borderlink/telemetry` is one; any object with
 * this shape is another. `attach` is called once, by `createClient`.
 * @example
 * ```ts
 * const counting: ClientObserver = {
 *   attach: () => ({ call: ({ kind }) => ({ end: (error) => console.log(kind, error === undefined ? 'ok' : 'failed') }) }),
 * };
 * ```
 */
export interface ClientObserver {
  /** `endpoint` is the transport's: it identifies the gateway, and holds no credential. */
  attach(client: { readonly endpoint: string }): ClientObservation;
}

/**
 * Wraps `client`'s call methods for `observer`, and hands it the events it asks for; gives the observation, which the
 * clients derived from it (withOptions) are wrapped for too (their events are the client's own). @internal
 */
export function observeClient(client: BorderlinkClient<boolean>, observer: ClientObserver, endpoint: string): ClientObservation {
  const observation = observer.attach({ endpoint });
  if (typeof observation !== 'object' || observation === null || typeof observation.call !== 'function') {
    throw new ConfigError('createClient: option `telemetry` must give, from attach(), an object with a call function');
  }
  for (const type of observation.events ?? []) client.on(type, (event) => observation.event?.(event));
  observeCalls(client, observation);
  return observation;
}

/** Wraps `client`'s call methods for an observation already attached. @internal */
export function observeCalls(client: BorderlinkClient<boolean>, observation: ClientObservation): void {
  const target = client as unknown as Record<string, unknown>;
  for (const method of Object.keys(CALL_KINDS) as CallMethod[]) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    const start: CallStart = Object.freeze({ kind: CALL_KINDS[method], method });
    const call = (args: unknown[]) => () => (original as (...a: unknown[]) => unknown).apply(client, args);
    const wrapped = STREAMING.has(start.kind)
      ? (...args: unknown[]) => observedStream(observation, start, call(args))
      : start.kind === 'confirmation'
        ? (...args: unknown[]) => Promise.resolve(observedPromise(observation, start, call(args))).then((handle) => observedHandle(observation, handle))
        : (...args: unknown[]) => observedPromise(observation, start, call(args));
    Object.defineProperty(client, method, { value: wrapped, writable: true, configurable: true });
  }
}

const HANDLE_STARTS = Object.entries(HANDLE_CALLS).map(([name, method]) => [name, Object.freeze({ kind: 'confirmation', method }) as CallStart] as const);

/** Wraps a confirmation handle's own calls (`refresh`, `wait`) as the client's are; gives the handle. */
function observedHandle(observation: ClientObservation, handle: unknown): unknown {
  if (typeof handle !== 'object' || handle === null) return handle;
  const target = handle as Record<string, unknown>;
  for (const [name, start] of HANDLE_STARTS) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    // Called on whatever `this` the caller gives, as the method itself is.
    const wrapped = function (this: unknown, ...args: unknown[]) {
      return observedPromise(observation, start, () => (original as (...a: unknown[]) => unknown).apply(this, args));
    };
    quietly(() => Object.defineProperty(handle, name, { value: wrapped, writable: true, configurable: true }));
  }
  return handle;
}

function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // An observer's failure must not fail a border check.
  }
}

function begin(observation: ClientObservation, start: CallStart): ObservedCall | undefined {
  try {
    const observed = observation.call(start);
    return typeof observed === 'object' && observed !== null && typeof observed.end === 'function' ? observed : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `work` through the observer's `run`, or alone when the observer's `run` fails without running it. */
function within<T>(observed: ObservedCall, work: () => T): T {
  if (observed.run === undefined) return work();
  let ran = false;
  let value: T | undefined;
  let failed = false;
  let error: unknown;
  try {
    observed.run(() => {
      ran = true;
      try {
        value = work();
      } catch (err) {
        failed = true;
        error = err;
      }
      return value;
    });
  } catch {
    // The observer's own failure: the call's outcome is what `work` did.
  }
  if (!ran) return work();
  if (failed) throw error;
  return value as T;
}

function observedPromise(observation: ClientObservation, start: CallStart, work: () => unknown): unknown {
  const observed = begin(observation, start);
  if (observed === undefined) return work();
  let pending: unknown;
  try {
    pending = within(observed, work);
  } catch (err) {
    quietly(() => observed.end(err));
    throw err;
  }
  // The client's own methods answer with a native promise: chained as it is, without one more around it.
  return (pending instanceof Promise ? pending : Promise.resolve(pending)).then(
    (value) => {
      quietly(() => observed.answer?.(value));
      quietly(() => observed.end());
      return value;
    },
    (err: unknown) => {
      quietly(() => observed.end(err));
      throw err;
    },
  );
}

/** A batch: the call lasts from `checkMany` to the end of its iteration (its end, an error, or a `break`). */
function observedStream(observation: ClientObservation, start: CallStart, work: () => unknown): unknown {
  const observed = begin(observation, start);
  if (observed === undefined) return work();
  let iterable: AsyncIterable<unknown>;
  try {
    iterable = within(observed, work) as AsyncIterable<unknown>;
  } catch (err) {
    quietly(() => observed.end(err));
    throw err;
  }
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    quietly(() => observed.end(error));
  };
  const settle = (step: Promise<IteratorResult<unknown>>, last: boolean) =>
    step.then(
      (r) => {
        if (r.done === true || last) end();
        else quietly(() => observed.answer?.(r.value));
        return r;
      },
      (err: unknown) => {
        end(err);
        throw err;
      },
    );
  return {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      const it = within(observed, () => iterable[Symbol.asyncIterator]());
      return {
        next: (...args: [] | [unknown]) => settle(within(observed, () => it.next(...args)), false),
        return: (value?: unknown) =>
          settle(it.return === undefined ? Promise.resolve({ done: true as const, value }) : within(observed, () => it.return!(value)), true),
        throw: (err?: unknown) =>
          settle(it.throw === undefined ? Promise.reject(err) : within(observed, () => it.throw!(err)), true),
      };
    },
  };
}
