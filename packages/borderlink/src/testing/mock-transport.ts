// The gateway in-process: a Transport that calls the handler directly, with no sockets, honouring the transport
// contract (timeouts, abort, connection failures) so the client's resilience layer sees what it would on a network.
import { AbortError, ConfigError, ConnectionError, TimeoutError, type Transport, type TransportRequest, type TransportResponse } from 'borderlink';
import { z } from 'zod';
import { parseOptions } from '../protocol/index';
import type { Dataset } from './dataset';
import type { FaultPlan } from './faults';
import { SHARED_GATEWAY_OPTIONS, createGatewayHandler, type RecordedRequest, type StoredReport } from './handler';

/** Options of {@link mockTransport}. Unknown options are refused. */
export interface MockTransportOptions {
  /** The records checks answer from. @default demoDataset */
  dataset?: Dataset;
  /** Added to every request. @unit milliseconds @default 0 */
  latencyMs?: number;
  /** Faults to inject; see {@link FaultPlan}. @default none */
  faults?: FaultPlan;
  /** When set, requests need `authorization: Bearer <token>`. @default no check */
  token?: string;
}

const mockTransportOptionsSchema = z.strictObject(SHARED_GATEWAY_OPTIONS satisfies Record<keyof MockTransportOptions, z.ZodType>);

/** A {@link Transport} served by an in-process mock gateway, with what it recorded. */
export interface MockTransport extends Transport {
  readonly endpoint: 'mock://gateway';
  /** Requests received, oldest first; `body` is the parsed JSON. */
  readonly requests: RecordedRequest[];
  /** Document reports stored, oldest first. */
  readonly reports: StoredReport[];
  /** Replaces the fault plan; its sequence and random draws start afresh. Call with nothing to stop faults. */
  setFaults(plan?: FaultPlan): void;
}

/**
 * A transport that answers from an in-process mock gateway: no sockets, no ports. `reset` and `lost-response` faults
 * reject with a {@link ConnectionError}; `timeoutMs` rejects with a {@link TimeoutError} (`scope: 'attempt'`); the
 * signal rejects with its reason (or an {@link AbortError}).
 * @throws {ConfigError} naming the first option that is unknown or wrong, a fault plan's fields included.
 * @example
 * ```ts
 * const transport = mockTransport({ faults: [{ type: 'status', status: 503 }] });
 * const client = createClient({ transport, context });
 * ```
 */
export function mockTransport(options: MockTransportOptions = {}): MockTransport {
  parseOptions('mockTransport', mockTransportOptionsSchema, options);
  const handle = createGatewayHandler(options);
  let closed = false;

  function send(request: TransportRequest): Promise<TransportResponse> {
    const { signal } = request;
    if (closed) return Promise.reject(new ConnectionError('The mock transport is closed'));
    if (signal?.aborted) return Promise.reject(signal.reason ?? new AbortError());
    if (!(request.timeoutMs >= 0)) return Promise.reject(new ConfigError('timeoutMs must be a number of milliseconds'));
    return new Promise<TransportResponse>((resolve, reject) => {
      // The handler's own signal: when the attempt ends early, a pending delay stops and the request is not processed.
      const gone = new AbortController();
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const timer = setTimeout(() => {
        finish(() => reject(new TimeoutError(`The attempt took longer than ${request.timeoutMs} ms`, { scope: 'attempt' })));
        gone.abort();
      }, request.timeoutMs);
      const onAbort = () => {
        finish(() => reject(signal?.reason ?? new AbortError()));
        gone.abort();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      handle({ method: request.method, path: request.path, headers: request.headers, body: request.body ?? '', signal: gone.signal }).then(
        (res) => {
          if (res.disconnect === 'before-answer') {
            finish(() => reject(new ConnectionError('The connection was reset before the answer')));
          } else {
            finish(() => resolve({ status: res.status, headers: res.headers, body: res.body }));
          }
        },
        (err: unknown) => finish(() => reject(new ConnectionError('The mock gateway failed', { cause: err }))),
      );
    });
  }

  return {
    endpoint: 'mock://gateway',
    send,
    requests: handle.requests,
    reports: handle.reports,
    setFaults: handle.setFaults,
    async close() {
      closed = true;
    },
  };
}
