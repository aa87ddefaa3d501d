// The innermost layers: one attempt's timeout, and the transport itself. What an answer means (its status, its body)
// is the call's own decode function: this layer knows only which statuses refuse a write before it is stored.
import { BorderlinkError, ConnectionError, ProtocolError, TimeoutError } from '../errors/index';
import { KEEPS_HEADERS, type Transport, type TransportRequest, type TransportResponse } from '../transport/types';
import { abortErrorFrom, type Answer, type Call, type Layer, type Send } from './call';
import type { Emitter } from './events';
import type { Clock } from './options';

/**
 * Gives each attempt min(attemptTimeoutMs, time left) as `timeoutMs`: the transport enforces it, so the hot path
 * needs no timer of its own and an attempt never outlives the call's deadline.
 */
export function attemptTimeout(clock: Clock): Layer {
  return (next) => (call, attempt) => {
    const left = call.deadlineAt - clock.now();
    if (left < 1) {
      return Promise.reject(new TimeoutError('The call did not complete within its deadline', { scope: 'call' }));
    }
    return next(call, { signal: attempt.signal, timeoutMs: Math.floor(Math.min(call.attemptTimeoutMs, left)) });
  };
}

function failedTransport(error: unknown, signal: AbortSignal | undefined): BorderlinkError {
  if (signal?.aborted) return abortErrorFrom(signal);
  if (error instanceof BorderlinkError) return error;
  return new ConnectionError('The transport failed without an answer', { cause: error });
}

function decoded<T>(call: Call<T>, response: TransportResponse): Answer<T> {
  try {
    return { value: call.spec.decode(response), response };
  } catch (error) {
    if (error instanceof BorderlinkError) throw error;
    // A decoder bug must fail the call, never pass as an answer: never a false clear.
    throw new ProtocolError('The answer could not be read', { retryable: false, cause: error });
  }
}

/** Statuses that refuse a request before it is acted on: a write answered with one of these was not stored. */
const REFUSED_UNSTORED: ReadonlySet<number> = new Set([400, 401, 403, 404, 409, 413, 422, 429]);

/** Sends one attempt and turns its answer into the decoded value or the error the decoder gives for it. */
export function fromTransport(transport: Transport, clock: Clock, emitter: Emitter, route: (path: string) => string = (path) => path): Send {
  const keepsHeaders = KEEPS_HEADERS.has(transport);
  return <T>(call: Call<T>, attempt: { signal: AbortSignal | undefined; timeoutMs?: number }) => {
    const n = ++call.attempts;
    const spec = call.spec;
    const base = spec.request;
    // Built field by field rather than spread: this runs once per attempt on the hot path, and a literal of one
    // shape is several times cheaper. Each attempt gets its own headers: a transport that edits them must not change
    // the next attempt's (httpTransport never edits them, so it needs no copy).
    const request: TransportRequest = {
      method: base.method,
      path: base.path,
      headers: keepsHeaders ? base.headers : Object.assign({}, base.headers),
      timeoutMs: attempt.timeoutMs ?? Math.max(1, Math.floor(call.deadlineAt - clock.now())),
    };
    if (base.body !== undefined) request.body = base.body;
    if (attempt.signal !== undefined) request.signal = attempt.signal;
    const timed = emitter.wants('response');
    const sentAt = timed ? clock.now() : 0;
    if (emitter.wants('request')) {
      emitter.emit({ type: 'request', requestId: spec.requestId, attempt: n, method: request.method, path: route(request.path) });
    }
    let pending: Promise<TransportResponse>;
    call.pendingAttempts++;
    try {
      pending = transport.send(request);
    } catch (error) {
      pending = Promise.reject(error);
    }
    return pending.then(
      (answered) => {
        if (typeof answered !== 'object' || answered === null || typeof answered.status !== 'number') {
          throw new ConnectionError('The transport resolved without an answer');
        }
        // An answer without headers is still the gateway's answer: a stored write must not read as failed.
        const response =
          typeof answered.headers === 'object' && answered.headers !== null ? answered : { ...answered, headers: {} };
        if (timed) {
          emitter.emit({ type: 'response', requestId: spec.requestId, attempt: n, status: response.status, durationMs: clock.now() - sentAt });
        }
        call.pendingAttempts--;
        if (!REFUSED_UNSTORED.has(response.status)) call.reachedGateway = true;
        return decoded(call, response);
      },
      (error: unknown) => {
        // Sent, and no answer: the gateway may have acted on it.
        call.pendingAttempts--;
        call.reachedGateway = true;
        throw failedTransport(error, attempt.signal);
      },
    );
  };
}
