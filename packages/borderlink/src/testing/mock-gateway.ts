// The gateway on a real socket (node:http or node:https), for tests of the HTTP transport and for demos.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { parseOptions } from '../protocol/index';
import type { Dataset } from './dataset';
import type { FaultPlan } from './faults';
import type { SecondLineOptions } from './second-line';
import {
  SHARED_GATEWAY_OPTIONS,
  createGatewayHandler,
  type GatewayHandler,
  type GatewayResponse,
  type RecordedRequest,
  type StoredReport,
} from './handler';

/** Options of {@link createMockGateway}. Unknown options are refused. */
export interface MockGatewayOptions {
  /** Port to listen on. @default 0 (a free port; read it from `url`) */
  port?: number | undefined;
  /** Address to listen on. @default '127.0.0.1' */
  host?: string | undefined;
  /** The records checks answer from. @default demoDataset */
  dataset?: Dataset | undefined;
  /**
   * Serve HTTPS with this key and certificate (PEM). With `requestCert`, clients must present a certificate signed by
   * `ca` (mutual TLS).
   * @default plain HTTP
   */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer | undefined; requestCert?: boolean | undefined } | undefined;
  /** Faults to inject; see {@link FaultPlan}. @default none */
  faults?: FaultPlan | undefined;
  /** Added to every request. @unit milliseconds @default 0 */
  latencyMs?: number | undefined;
  /** When set, requests need `authorization: Bearer <token>`. @default no check */
  token?: string | undefined;
  /** Full records and confirmations; see {@link SecondLineOptions}. @default the demo's owners */
  secondLine?: SecondLineOptions | undefined;
}

const pem = z.custom<string | Buffer>((v) => typeof v === 'string' || Buffer.isBuffer(v), { error: 'must be PEM text (string or Buffer)' });
const PORT = 'must be an integer from 0 to 65535';

const mockGatewayOptionsSchema = z.strictObject({
  ...SHARED_GATEWAY_OPTIONS,
  port: z.custom<number>((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535, { error: PORT }).optional(),
  host: z.string({ error: 'must be a string' }).optional(),
  tls: z
    .strictObject(
      { key: pem, cert: pem, ca: pem.optional(), requestCert: z.boolean({ error: 'must be a boolean' }).optional() } satisfies Record<
        keyof NonNullable<MockGatewayOptions['tls']>,
        z.ZodType
      >,
      { error: 'must be an object' },
    )
    .optional(),
} satisfies Record<keyof MockGatewayOptions, z.ZodType>);

/** A running mock gateway. */
export interface MockGateway {
  /** Base URL, e.g. `http://127.0.0.1:53117`. */
  readonly url: string;
  /** Requests received, oldest first; `body` is the parsed JSON. */
  readonly requests: RecordedRequest[];
  /** Document reports stored, oldest first: assert a report exists exactly once after retries. */
  readonly reports: StoredReport[];
  /** The dataset checks answer from. */
  readonly dataset: Dataset;
  /** Replaces the fault plan; its sequence and random draws start afresh. Call with nothing to stop faults. */
  setFaults(plan?: FaultPlan): void;
  /** See {@link GatewayHandler.upsertRecord}. */
  upsertRecord: GatewayHandler['upsertRecord'];
  /** See {@link GatewayHandler.removeRecord}. */
  removeRecord: GatewayHandler['removeRecord'];
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * Starts a protocol v1 mock gateway on a real socket.
 * @throws {ConfigError} naming the first option that is unknown or wrong, a fault plan's fields included.
 * @example
 * ```ts
 * const gateway = await createMockGateway({ faults: parseFaultSpec('503,reset') });
 * try {
 *   const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context });
 *   await client.checkVehicle({ vin: 'WVWZZZ1JZXW000001' }); // two failed attempts, then HIT
 *   await client.close();
 * } finally {
 *   await gateway.close();
 * }
 * ```
 */
export async function createMockGateway(options: MockGatewayOptions = {}): Promise<MockGateway> {
  parseOptions('createMockGateway', mockGatewayOptionsSchema, options);
  const { port = 0, host = '127.0.0.1', tls, ...handlerOptions } = options;
  const handle = createGatewayHandler(handlerOptions);
  const listener = (req: IncomingMessage, res: ServerResponse) => serve(handle, req, res);
  const server: Server = tls
    ? createHttpsServer(
        {
          key: tls.key,
          cert: tls.cert,
          ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
          requestCert: tls.requestCert ?? false,
          rejectUnauthorized: tls.requestCert ?? false,
        },
        listener,
      )
    : createHttpServer({ keepAlive: true }, listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `${tls ? 'https' : 'http'}://${shownHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    requests: handle.requests,
    reports: handle.reports,
    dataset: handle.dataset,
    setFaults: handle.setFaults,
    upsertRecord: handle.upsertRecord,
    removeRecord: handle.removeRecord,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function serve(handle: GatewayHandler, req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('error', () => gone.abort());
  req.on('end', () => {
    handle({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers as Record<string, string | undefined>,
      body: Buffer.concat(chunks).toString('utf8'),
      signal: gone.signal,
    }).then(
      (answer) => {
        if (res.destroyed) return;
        if (answer.disconnect === 'before-answer') {
          req.socket.destroy();
        } else if (answer.stream !== undefined) {
          void writeStream(answer, answer.stream, req, res);
        } else if (answer.disconnect === 'mid-body') {
          res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.declaredLength) });
          res.write(answer.body, () => req.socket.destroy());
        } else {
          res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
          res.end(answer.body);
        }
      },
      () => req.socket.destroy(),
    );
  });
}

/** Resolves once `res` can take more, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes a streamed answer part by part (chunked), each part made only once the connection has taken the one before:
 * a slow client holds the gateway back instead of the answer piling up in memory. A client gone stops it.
 */
async function writeStream(answer: GatewayResponse, parts: AsyncIterable<string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(answer.status, answer.headers);
  let written: Promise<void> = Promise.resolve();
  try {
    for await (const part of parts) {
      if (res.destroyed) return;
      if (part === '') continue;
      let more = true;
      written = new Promise((resolve) => {
        more = res.write(part, () => resolve());
      });
      if (!more) await drained(res);
    }
  } catch {
    req.socket.destroy();
    return;
  }
  if (res.destroyed) return;
  if (answer.disconnect === 'mid-body') {
    await written;
    req.socket.destroy();
  } else res.end();
}
