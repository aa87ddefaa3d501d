// One real 'abort' listener per signal, however many calls wait on it. A caller may hand one signal to many
// concurrent checks (a screen closing cancels them all); each call adds listeners in several layers, and Node warns
// past ten listeners on one EventTarget.
import { AbortError, BorderlinkError } from '../errors/index';

/**
 * The one abort → error rule: a reason that is already one of ours (the client may abort with a TimeoutError of its
 * own) is kept, anything else becomes an AbortError with the reason as cause. A DOMException must not leave the SDK.
 */
export function toAbortError(reason: unknown): BorderlinkError {
  return reason instanceof BorderlinkError ? reason : new AbortError(undefined, { cause: reason });
}

/** The error for an aborted signal: {@link toAbortError} of its reason. */
export function abortErrorFrom(signal: AbortSignal): BorderlinkError {
  return toAbortError(signal.reason);
}

const abortedOf = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;

/**
 * Whether `value` is a real AbortSignal. `instanceof` alone passes `Object.create(AbortSignal.prototype)`, whose
 * `aborted` then throws a TypeError deep inside a call; the platform's own getter tells the two apart.
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (!(value instanceof AbortSignal)) return false;
  try {
    abortedOf.call(value);
    return true;
  } catch {
    return false;
  }
}

/** A function, or an object with `handleEvent` (so hot paths need not make a closure per call). */
export type AbortListener = { handleEvent(): void } | (() => void);

interface Entry {
  readonly listeners: Set<AbortListener>;
  readonly dispatch: () => void;
}

const entries = new WeakMap<AbortSignal, Entry>();

/** Calls `listener` once when `signal` aborts, unless removed first. Adding the same listener twice adds it once. */
export function addAbortListener(signal: AbortSignal, listener: AbortListener): void {
  let entry = entries.get(signal);
  if (entry === undefined) {
    const listeners = new Set<AbortListener>();
    const dispatch = (): void => {
      if (entries.get(signal) === entry) entries.delete(signal);
      for (const l of listeners) {
        if (typeof l === 'function') l();
        else l.handleEvent();
      }
    };
    entry = { listeners, dispatch };
    entries.set(signal, entry);
    // A signal that has already aborted fires no event: call the listener soon instead (it may be removed first).
    if (signal.aborted) queueMicrotask(dispatch);
    else signal.addEventListener('abort', dispatch, { once: true });
  }
  entry.listeners.add(listener);
}

/** Removes a listener; the signal's own listener goes when the last one does. */
export function removeAbortListener(signal: AbortSignal, listener: AbortListener): void {
  const entry = entries.get(signal);
  if (entry === undefined) return;
  entry.listeners.delete(listener);
  if (entry.listeners.size === 0) {
    entries.delete(signal);
    signal.removeEventListener('abort', entry.dispatch);
  }
}
