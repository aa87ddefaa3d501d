// The contract between the client and the resilience layer. The client builds a CallSpec; the layer runs it through
// deadline ⊃ breaker ⊃ retry with budget ⊃ per-attempt timeout ⊃ transport and returns the decoded value.
import type { TransportRequest, TransportResponse } from '../transport/types';
import type { ResolvedResilience } from './options';

/** One logical call: the same request (same x-request-id, same idempotency key) on every attempt. @internal */
export interface CallSpec<T> {
  /** `read` for checks; `write` for reports and withdrawals (retried only because they carry an idempotency key). */
  kind: 'read' | 'write';
  request: Omit<TransportRequest, 'timeoutMs' | 'signal'>;
  /** The x-request-id of the call, already in `request.headers`. */
  requestId: string;
  /**
   * Turns the gateway's answer into the value, or throws the typed error for it: the error for its status, or a
   * ProtocolError for a 2xx body that cannot be read (retryable when it is cut off or not JSON). Runs inside the
   * attempt, so a truncated body on a poor link is retried like a reset.
   */
  decode(response: TransportResponse): T;
  /** The whole call's deadline, retries and back-off included. @unit milliseconds */
  timeoutMs: number;
  /**
   * The longest one attempt may take (each attempt gets the smaller of this and the time left). Overrides the
   * client's `attemptTimeoutMs`; when neither is set, half of `timeoutMs`.
   * @unit milliseconds
   */
  attemptTimeoutMs?: number | undefined;
  /** The caller's signal. */
  signal?: AbortSignal | undefined;
  /**
   * When the call started, on the executor's clock, when the caller has just read it (so the clock is read once per
   * call, not twice): the deadline counts from there. @default the time `execute` is called
   */
  startedAt?: number | undefined;
  /** This call's retry policy, when it is not the executor's own (a client made by `withOptions`). */
  retry?: ResolvedResilience['retry'] | undefined;
}

/** What a successful call gives back. @internal */
export interface CallOutcome<T> {
  value: T;
  response: TransportResponse;
  attempts: number;
  durationMs: number;
}

/** Runs calls. Rejects with a BorderlinkError carrying requestId, attempts and durationMs. @internal */
export interface Executor {
  execute<T>(spec: CallSpec<T>): Promise<CallOutcome<T>>;
  /**
   * Whether a call made now would fail at once with a CircuitOpenError, sending nothing (the breaker open, or its
   * probes all out). For a caller with an answer of its own for that case (the offline copy): it need not build the
   * call to hear it. Changes nothing. An executor without a breaker has none.
   */
  refusesNow?(): boolean;
  /**
   * Whether several calls made now would all be sent: the breaker closed (or none). While it is half-open only its
   * probes go, and the others fail at once. Changes nothing.
   */
  admitsMany?(): boolean;
  /** Releases the layer's timers; the client then closes the transport. */
  close(): Promise<void>;
}
