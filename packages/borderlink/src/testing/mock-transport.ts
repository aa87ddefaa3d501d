// The gateway in-process: a Transport that calls the handler directly, with no sockets, honouring the transport
// contract (timeouts, abort, connection failures) so the client's resilience layer sees what it would on a network.
import {
  AbortError,
  ConfigError,
  ConnectionError,
  TimeoutError,
  type StreamedResponse,
  type StreamRequest,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from 'borderlink';
import { z } from 'zod';
import { parseOptions } from '../protocol/index';
import type { Dataset } from './dataset';
import type { FaultPlan } from './faults';
import type { SecondLineOptions } from './second-line';
import { SHARED_GATEWAY_OPTIONS, createGatewayHandler, type GatewayHandler, type GatewayResponse, type RecordedRequest, type StoredReport } from './handler';

/** Options of {@link mockTransport}. Unknown options are refused. */
export interface MockTransportOptions {
  /** The records checks answer from. @default demoDataset */
  dataset?: Dataset | undefined;
  /** Added to every request. @unit milliseconds @default 0 */
  latencyMs?: number | undefined;
  /** Faults to inject; see {@link FaultPlan}. @default none */
  faults?: FaultPlan | undefined;
  /** When set, requests need `authorization: Bearer <token>`. @default no check */
  token?: string | undefined;
  /** Full records and confirmations; see {@link SecondLineOptions}. @default the demo's owners */
  secondLine?: SecondLineOptions | undefined;
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
  /** See {@link GatewayHandler.upsertRecord}. */
  upsertRecord: GatewayHandler['upsertRecord'];
  /** See {@link GatewayHandler.removeRecord}. */
  removeRecord: GatewayHandler['removeRecord'];
  /** See {@link Transport.stream}: a snapshot's answer part by part, as the in-process gateway makes it. */
  stream(request: StreamRequest): Promise<StreamedResponse>;
}

/**
 * A transport that answers from an in-process mock gateway: no sockets, no ports. `reset` and `lost-response` faults
 * reject with a {@link ConnectionError}; `timeoutMs` rejects with a {@link TimeoutError} (`scope: 'attempt'`); the
 * signal rejects with its reason (or an {@link AbortError}). `stream` hands a snapshot's answer over part by part, as
 * the gateway makes it: `timeoutMs` bounds the time to its headers, the signal stops it mid-body, and a `truncated`
 * fault makes its body throw a {@link ConnectionError} where the answer is cut (`idleTimeoutMs` has nothing to wait
 * for in-process). `send` reads a streamed answer whole.
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

  /** The gateway's answer within the attempt's time, or its failure as a transport gives it. */
  function attempt(request: TransportRequest, read: (res: GatewayResponse) => Promise<TransportResponse | StreamedResponse> | TransportResponse | StreamedResponse) {
    const { signal } = request;
    if (closed) return Promise.reject(new ConnectionError('The mock transport is closed'));
    if (signal?.aborted) return Promise.reject(signal.reason ?? new AbortError());
    if (!(request.timeoutMs >= 0)) return Promise.reject(new ConfigError('timeoutMs must be a number of milliseconds'));
    return new Promise<TransportResponse | StreamedResponse>((resolve, reject) => {
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
      const failed = (err: unknown) => finish(() => reject(new ConnectionError('The mock gateway failed', { cause: err })));
      handle({ method: request.method, path: request.path, headers: request.headers, body: request.body ?? '', signal: gone.signal }).then((res) => {
        if (res.disconnect === 'before-answer') {
          finish(() => reject(new ConnectionError('The connection was reset before the answer')));
          return;
        }
        const answer = read(res);
        // A streamed answer read whole (send) takes its time within the attempt; any other is handed over at once.
        if (answer instanceof Promise) answer.then((a) => finish(() => resolve(a)), failed);
        else finish(() => resolve(answer));
      }, failed);
    });
  }

  function send(request: TransportRequest): Promise<TransportResponse> {
    return attempt(request, (res) => (res.stream === undefined ? { status: res.status, headers: res.headers, body: res.body } : readWhole(res, res.stream))) as Promise<TransportResponse>;
  }

  function stream(request: StreamRequest): Promise<StreamedResponse> {
    return attempt(request, (res) => ({
      status: res.status,
      headers: res.headers,
      body: res.stream === undefined ? whole(res.body) : parts(res.stream, res.disconnect === 'mid-body', request.signal),
    })) as Promise<StreamedResponse>;
  }

  return {
    endpoint: 'mock://gateway',
    send,
    stream,
    requests: handle.requests,
    reports: handle.reports,
    setFaults: handle.setFaults,
    upsertRecord: handle.upsertRecord,
    removeRecord: handle.removeRecord,
    async close() {
      closed = true;
    },
  };
}

/** A streamed answer read whole, as an HTTP transport's send reads it; a cut one is what arrived before the cut. */
async function readWhole(res: GatewayResponse, stream: AsyncIterable<string>): Promise<TransportResponse> {
  let body = '';
  for await (const part of stream) body += part;
  return { status: res.status, headers: res.headers, body };
}

async function* whole(body: string): AsyncGenerator<Uint8Array, void, undefined> {
  if (body !== '') yield Buffer.from(body, 'utf8');
}

/** A streamed answer's parts as bytes; `cut`: the connection breaks after the last one. The signal stops it. */
async function* parts(stream: AsyncIterable<string>, cut: boolean, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const part of stream) {
    if (signal?.aborted) throw signal.reason ?? new AbortError();
    yield Buffer.from(part, 'utf8');
  }
  if (signal?.aborted) throw signal.reason ?? new AbortError();
  if (cut) throw new ConnectionError('The connection was cut before the answer was complete');
}
