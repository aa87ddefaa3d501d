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
  /** Lower-case header names. */
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
  /** Releases connections and timers. The client calls it from `client.close()`. */
  close(): Promise<void>;
}

/**
 * A transport may list secrets (tokens, passwords) under this key: the client's logger replaces them with
 * `[redacted]` wherever they would appear. `httpTransport` lists its token.
 */
export const TRANSPORT_SECRETS: unique symbol = Symbol.for('borderlink.transport.secrets') as never;

/**
 * Transports known never to change a request's headers object (httpTransport builds its own from it): an attempt
 * hands them the call's headers as they are instead of a copy per attempt. @internal
 */
export const KEEPS_HEADERS: WeakSet<Transport> = new WeakSet<Transport>();
