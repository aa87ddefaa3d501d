/**
 * The transport interface: the wire level, below retries and validation. Write one to reach a national gateway
 * that does not speak HTTP (SOAP, a message queue): map the request to your channel and the answer back.
 * @module
 */

/**
 * One attempt, as the client hands it to the transport. The body is already JSON.
 * @example
 * ```ts
 * { method: 'POST', path: '/v1/checks', headers: { 'content-type': 'application/json', 'x-request-id': '…' }, body: '{…}', timeoutMs: 1500 }
 * ```
 */
export interface TransportRequest {
  method: 'GET' | 'POST';
  /** Path and query under the gateway's base URL, always starting with `/v1/`. */
  path: string;
  /**
   * Lower-case header names: the SDK's own (`x-request-id`, `content-type`, the context of a `GET`, …) and those the
   * integrator gave the call (a trace id, a case reference: `CallOptions.headers`). Send them all; log none of their
   * values.
   */
  headers: Record<string, string>;
  /** JSON text, when the method has a body. */
  body?: string;
  /**
   * Time this attempt may take, from the call's remaining deadline. When it passes, reject with a
   * {@link TimeoutError} (`scope: 'attempt'`) and release the connection.
   * @unit milliseconds
   */
  timeoutMs: number;
  /** Aborts the attempt (the caller aborted, or a hedged attempt won). Reject promptly when it fires. */
  signal?: AbortSignal;
}

/** The gateway's answer to one attempt, whatever its status. Non-2xx answers are resolved, not thrown. */
export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The body as text (empty string when there is none). */
  body: string;
}

/**
 * Sends one attempt to a gateway. Resolve with the answer for every HTTP status; reject only when there is no
 * answer to hand back: with {@link ConnectionError} for a failed or broken connection, {@link TimeoutError} when
 * `timeoutMs` passes, the signal's reason (or an {@link AbortError}) when `signal` aborts, and a retryable
 * {@link ProtocolError} for an answer that cannot be read (`httpTransport` uses it for a body over its
 * `maxResponseBytes` or one that cannot be decoded as text). Any other rejection is treated as a connection failure.
 * @example
 * ```ts
 * const queueTransport: Transport = {
 *   endpoint: 'amqp://gateway.local/checks',
 *   async send(request) {
 *     const reply = await rpc.call(request.path, request.body, { timeout: request.timeoutMs, signal: request.signal });
 *     return { status: reply.status, headers: {}, body: reply.payload };
 *   },
 *   async close() { await rpc.close(); },
 * };
 * ```
 */
export interface Transport {
  /**
   * Identifies the gateway this transport reaches: the circuit breaker keeps one state per endpoint. Must not
   * hold credentials.
   */
  readonly endpoint: string;
  send(request: TransportRequest): Promise<TransportResponse>;
  /**
   * Sends one attempt whose answer may be too large to hold in memory (a snapshot of a source) and hands its body
   * over as it arrives. Optional: the client falls back to {@link Transport.send} when a transport has none (and then
   * holds the whole answer in memory, within whatever limit `send` has). The contract is `send`'s, except that:
   * - `timeoutMs` bounds the time until the answer's status and headers arrive (its time in a queue included), not
   *   the body; `idleTimeoutMs` bounds each wait for the next part of a 2xx body;
   * - a 2xx body is handed over in parts as they arrive, not bounded in size: a failure while it streams (a broken
   *   connection, the idle timeout, the signal) is thrown by the body's iterator, typed as `send` would reject
   *   (`ConnectionError`, `TimeoutError`, the signal's reason);
   * - any other status is read whole and bounded as `send` reads it, before the promise resolves; its body then
   *   yields that one part.
   *
   * Read the body to its end, or leave the loop early (`break`, `return`, a throw), which cancels the rest of the
   * answer and releases the connection.
   * @example
   * ```ts
   * const answer = await transport.stream!({ method: 'GET', path: '/v1/snapshots/SLTD', headers, timeoutMs: 10_000 });
   * let bytes = 0;
   * for await (const part of answer.body) bytes += part.length;
   * ```
   */
  stream?(request: StreamRequest): Promise<StreamedResponse>;
  /** Releases connections and timers. The client calls it from `client.close()`. */
  close(): Promise<void>;
}

/**
 * One streamed attempt: a {@link TransportRequest} whose `timeoutMs` bounds the time to the answer's headers, and
 * whose body may take as long as it keeps coming.
 * @example
 * ```ts
 * { method: 'GET', path: '/v1/snapshots/SLTD?since=djE6…', headers: { 'x-request-id': '…' }, timeoutMs: 10_000, idleTimeoutMs: 30_000 }
 * ```
 */
export interface StreamRequest extends TransportRequest {
  /**
   * Longest wait for the next part of a 2xx body while the reader is ready for it. When it passes, the body's
   * iterator throws a {@link TimeoutError} (`scope: 'attempt'`) and the connection is closed.
   * @unit milliseconds
   * @default 30000
   */
  idleTimeoutMs?: number;
}

/**
 * The gateway's answer to a streamed attempt, whatever its status. Non-2xx answers are resolved, not thrown, as by
 * `send`.
 * @example
 * ```ts
 * const answer = await transport.stream!(request);
 * if (answer.status !== 200) throw new Error(`status ${answer.status}`);
 * for await (const part of answer.body) parser.write(part);
 * ```
 */
export interface StreamedResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /**
   * The body as it arrives, in parts; iterate it once. A 2xx body streams (unbounded; the reader bounds what it
   * keeps); any other status has been read whole, bounded as `send` bounds it, and yields it as one part.
   */
  body: AsyncIterable<Uint8Array>;
}

/**
 * A transport may list secrets (tokens, passwords) under this key: the client's logger replaces them with
 * `[redacted]` wherever they would appear. `httpTransport` lists its token.
 */
export const TRANSPORT_SECRETS: unique symbol = Symbol.for('borderlink.transport.secrets') as never;

/**
 * Transports known never to change a request's headers object (httpTransport copies it, or hands it to its own pool,
 * which only reads it): an attempt hands them the call's headers as they are instead of a copy per attempt. @internal
 */
export const KEEPS_HEADERS: WeakSet<Transport> = new WeakSet<Transport>();
