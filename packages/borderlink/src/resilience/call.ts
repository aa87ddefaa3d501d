// The shape every layer shares: a Send takes one call and one attempt's parameters and gives the parsed answer. A
// Layer wraps a Send in another Send, so the order of the layers is written once, in executor.ts.
import type { TransportResponse } from '../transport/types';
import type { CallSpec } from './types';
import { abortErrorFrom, addAbortListener, removeAbortListener } from '../internal/abort';

export { abortErrorFrom };

/** One logical call in flight. @internal */
export interface Call<T> {
  readonly spec: CallSpec<T>;
  readonly startedAt: number;
  readonly deadlineAt: number;
  readonly attemptTimeoutMs: number;
  /** Attempts sent so far, hedged ones included. */
  attempts: number;
  /** Retry-budget tokens the last retry or hedge of this call took (refunded when the call succeeds). */
  lastBudgetCost: number;
  /**
   * Whether some attempt reached the transport and ended without a definite refusal: for a write, the gateway may
   * have stored it.
   */
  reachedGateway: boolean;
  /** Attempts handed to the transport and not settled yet (a call can end while one is still on the wire). */
  pendingAttempts: number;
}

/** One attempt's parameters: set by the layer that owns them, read by the layers below. @internal */
export interface Attempt {
  readonly signal: AbortSignal | undefined;
  /** Set by attemptTimeout. @unit milliseconds */
  readonly timeoutMs?: number;
}

/** @internal */
export interface Answer<T> {
  value: T;
  response: TransportResponse;
}

/** @internal */
export type Send = <T>(call: Call<T>, attempt: Attempt) => Promise<Answer<T>>;
/** @internal */
export type Layer = (next: Send) => Send;

/** Waits `ms` on the clock; rejects early (and releases the timer) when `signal` aborts. */
export function sleep(
  clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void },
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(abortErrorFrom(signal as AbortSignal));
    };
    const handle = clock.setTimeout(() => {
      if (signal !== undefined) removeAbortListener(signal, onAbort);
      resolve();
    }, ms);
    if (signal !== undefined) addAbortListener(signal, onAbort);
  });
}
