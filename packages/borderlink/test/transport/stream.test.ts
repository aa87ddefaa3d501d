// httpTransport.stream over real sockets: snapshots from the mock gateway (plain and mutual TLS, 100 MB-class with
// memory bounded), flow control against a gateway that writes as fast as it may, and each way a stream can end early.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ConfigError,
  ConnectionError,
  GatewayError,
  ProtocolError,
  TimeoutError,
  httpTransport,
  type HttpTransportOptions,
  type StreamedResponse,
  type StreamRequest,
  type Transport,
} from 'borderlink';
import { createMockGateway, syntheticDataset, type MockGateway } from 'borderlink/testing';
import { fetchSnapshot } from '../../src/protocol/snapshot';
import type { SnapshotEnd } from '../../src/stores/types';
import { makeCertificates } from '../helpers/certs';
import { get } from '../helpers/requests';
import { context, failure, readAll } from '../helpers/snapshots';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gatewayOf(options: Parameters<typeof createMockGateway>[0] = {}): Promise<MockGateway> {
  const gateway = await createMockGateway(options);
  cleanups.push(() => gateway.close());
  return gateway;
}

function transportOf(options: HttpTransportOptions): Transport {
  const transport = httpTransport(options);
  cleanups.push(() => transport.close());
  return transport;
}

/** A server the test writes every answer of; `written` counts the body bytes it handed to its socket. */
async function serverOf(respond: (req: IncomingMessage, res: ServerResponse, server: { written: number }) => void) {
  const state = { written: 0, closed: 0 };
  const server: Server = createServer((req, res) => {
    res.on('close', () => state.closed++);
    req.resume();
    req.on('end', () => respond(req, res, state));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return Object.assign(state, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/** Reads a snapshot of SLTD through the transport; every line, and the parts the body came in. */
async function syncSltd(transport: Transport, onLine?: (n: number) => void) {
  const fetched = await fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 10_000 });
  if (fetched.kind !== 'snapshot') throw new Error('expected a snapshot');
  let n = 0;
  let end: SnapshotEnd | undefined;
  for await (const line of fetched.lines) {
    n++;
    if (line.op === 'end') end = line;
    onLine?.(n);
  }
  return { lines: n, end: end! };
}

const part = (res: StreamedResponse) => res.body[Symbol.asyncIterator]();

describe('httpTransport.stream against the mock gateway', () => {
  it('streams a full snapshot and a delta over plain HTTP', async () => {
    const gateway = await gatewayOf({ dataset: syntheticDataset({ documents: 3000 }) });
    const transport = transportOf({ baseUrl: gateway.url });
    const full = await syncSltd(transport);
    expect(full).toMatchObject({ lines: 3001, end: { full: true, recordCount: 3000 } });
    gateway.removeRecord('SLTD', 'SYN-SLTD-7');
    const delta = await fetchSnapshot(transport, { source: 'SLTD', since: full.end.cursor, context, timeoutMs: 5000 });
    if (delta.kind !== 'snapshot') throw new Error('expected a delta');
    expect(await readAll(delta.lines)).toEqual([{ op: 'delete', source: 'SLTD', recordId: 'SYN-SLTD-7' }, expect.objectContaining({ op: 'end', recordCount: 2999 })]);
  });

  it('streams a snapshot over mutual TLS', async () => {
    const certs = makeCertificates();
    const gateway = await gatewayOf({
      dataset: syntheticDataset({ documents: 3000 }),
      tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true },
    });
    const transport = transportOf({ baseUrl: gateway.url, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    expect(await syncSltd(transport)).toMatchObject({ lines: 3001, end: { full: true } });
    const withoutCertificate = transportOf({ baseUrl: gateway.url, tls: { ca: certs.ca } });
    expect(await failure(fetchSnapshot(withoutCertificate, { source: 'SLTD', context, timeoutMs: 5000 }))).toBeInstanceOf(ConnectionError);
  });

  it('reads a 100 MB-class snapshot in many parts, holding no more of it than a few MB at any time', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const records = 360_000;
    const gateway = await gatewayOf({ dataset: syntheticDataset({ documents: records }) });
    // Counts the parts and bytes the transport hands over, on their way to the reader.
    let bytes = 0;
    let parts = 0;
    const inner = transportOf({ baseUrl: gateway.url });
    const transport: Transport = {
      ...inner,
      stream: async (request) => {
        const res = await inner.stream!(request);
        return {
          ...res,
          body: (async function* () {
            for await (const chunk of res.body) {
              bytes += chunk.length;
              parts++;
              yield chunk;
            }
          })(),
        };
      },
    };
    // Opens the connection and runs the code paths once, on a small source.
    const warm = await fetchSnapshot(transport, { source: 'TDAWN', context, timeoutMs: 10_000 });
    if (warm.kind === 'snapshot') await readAll(warm.lines);
    bytes = 0;
    parts = 0;
    const held = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    gc();
    const baseline = held();
    let most = 0;
    const { lines, end } = await syncSltd(transport, (n) => {
      // After a collection, what is still held: a transport or reader that kept what it read would hold it all.
      if (n % 40_000 === 0) {
        gc();
        most = Math.max(most, held() - baseline);
      }
    });
    expect(lines).toBe(records + 1);
    expect(end).toMatchObject({ full: true, recordCount: records, contentHash: expect.stringMatching(/^sha256:/) });
    expect(bytes).toBeGreaterThan(100_000_000);
    expect(parts).toBeGreaterThan(1000);
    expect(most).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);

  it('a snapshot cut mid-stream (truncated) ends the body with a ConnectionError, never with an end line', async () => {
    for (const documents of [2, 3000]) {
      const gateway = await gatewayOf({ dataset: syntheticDataset({ documents }), faults: [{ type: 'truncated' }] });
      const transport = transportOf({ baseUrl: gateway.url });
      const given: string[] = [];
      const err = await failure(syncSltd(transport, () => given.push('line')));
      expect(err, String(documents)).toBeInstanceOf(ConnectionError);
      expect(given.length, String(documents)).toBeLessThanOrEqual(documents);
    }
  });

  it('bounds the time to the headers by timeoutMs', async () => {
    const gateway = await gatewayOf({ faults: [{ type: 'delay', ms: 5000 }] });
    const transport = transportOf({ baseUrl: gateway.url });
    const err = await failure(fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 150 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ scope: 'attempt' });
  });

  it('gives a non-2xx answer whole, as one part, for the error it is', async () => {
    const gateway = await gatewayOf({ faults: [{ type: 'status', status: 503, retryAfterMs: 250 }] });
    const transport = transportOf({ baseUrl: gateway.url });
    const err = await failure(fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 5000 }));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterMs: 250 });
  });
});

describe('httpTransport.stream: flow control and early ends', () => {
  /** Writes `total` bytes of lines as fast as the socket takes them, counting what it wrote. */
  const flood = (total: number) => (_req: IncomingMessage, res: ServerResponse, server: { written: number }) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = Buffer.from(`${'x'.repeat(1023)}\n`);
    const block = Buffer.concat(Array.from({ length: 64 }, () => line));
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += block.length;
        server.written += block.length;
        if (!res.write(block)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };

  it('holds the gateway back while its reader is behind: what was written and not read stays bounded', async () => {
    const server = await serverOf(flood(512 * 1024 * 1024));
    const transport = transportOf({ baseUrl: server.url });
    const res = await transport.stream!(get('/v1/snapshots/SLTD'));
    const body = part(res);
    let read = ((await body.next()).value as Uint8Array).length;
    // Let the gateway write until it cannot: the transport has stopped reading, and TCP holds it back.
    for (let last = -1; server.written !== last; ) {
      last = server.written;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(server.written - read).toBeLessThan(96 * 1024 * 1024);
    // And reading resumes it.
    const stalled = server.written;
    for (let i = 0; i < 2000; i++) read += ((await body.next()).value as Uint8Array).length;
    expect(server.written).toBeGreaterThan(stalled);
    await body.return?.();
  });

  it('leaving the loop early closes the answer and frees its connection', async () => {
    const server = await serverOf((req, res, state) => {
      if (req.url === '/v1/status') return void res.end('{}');
      flood(64 * 1024 * 1024)(req, res, state);
    });
    const transport = transportOf({ baseUrl: server.url, connections: 1 });
    const res = await transport.stream!(get('/v1/snapshots/SLTD'));
    for await (const _ of res.body) break;
    // The one connection is free again: the next request gets through.
    expect((await transport.send(get('/v1/status'))).status).toBe(200);
    expect(server.closed).toBeGreaterThanOrEqual(1);
  });

  it('ends the body with the signal’s reason when it aborts mid-body, and frees the connection', async () => {
    const server = await serverOf((req, res, state) => {
      if (req.url === '/v1/status') return void res.end('{}');
      flood(64 * 1024 * 1024)(req, res, state);
    });
    const transport = transportOf({ baseUrl: server.url, connections: 1 });
    const controller = new AbortController();
    const res = await transport.stream!(get('/v1/snapshots/SLTD', { signal: controller.signal }));
    const body = part(res);
    await body.next();
    controller.abort(new AbortError('the lane screen closed'));
    const err = await failure((async () => {
      for (;;) if ((await body.next()).done) return;
    })());
    expect(err).toBe(controller.signal.reason);
    expect((await transport.send(get('/v1/status'))).status).toBe(200);
  });

  it('ends the body with a TimeoutError when the gateway goes silent mid-body', async () => {
    const server = await serverOf((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"op":"upsert"');
    });
    const transport = transportOf({ baseUrl: server.url });
    const err = await failure(fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 5000, idleTimeoutMs: 300 }).then((f) => readAll((f as { lines: AsyncIterable<unknown> }).lines)));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ scope: 'attempt' });
  });

  it('refuses an idle timeout that is not a positive number', async () => {
    const transport = transportOf({ baseUrl: 'http://127.0.0.1:9' });
    for (const idleTimeoutMs of [0, -1, Number.NaN]) {
      expect(await failure(transport.stream!({ ...get(), idleTimeoutMs })), String(idleTimeoutMs)).toBeInstanceOf(ConfigError);
    }
  });

  it('reads a non-2xx answer whole, within maxResponseBytes', async () => {
    const server = await serverOf((req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(req.url === '/big' ? 'x'.repeat(10_000) : '{"error":{"code":"UPSTREAM_UNAVAILABLE","message":"x"}}');
    });
    const transport = transportOf({ baseUrl: server.url, maxResponseBytes: 5000 });
    const res = await transport.stream!(get('/v1/snapshots/SLTD'));
    expect(res.status).toBe(503);
    expect(Buffer.concat(await readAll(res.body)).toString()).toContain('UPSTREAM_UNAVAILABLE');
    const err = await failure(transport.stream!(get('/big')));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toContain('maxResponseBytes');
  });

  it('rejects with a ConnectionError when the gateway cannot be reached', async () => {
    const server = await serverOf((_req, res) => res.end());
    const url = server.url;
    await cleanups.pop()!();
    const transport = transportOf({ baseUrl: url });
    expect(await failure(transport.stream!(get('/v1/snapshots/SLTD')))).toBeInstanceOf(ConnectionError);
  });

  it('ends a body still streaming when the transport closes, with a ConfigError', async () => {
    const server = await serverOf(flood(64 * 1024 * 1024));
    const transport = httpTransport({ baseUrl: server.url });
    const res = await transport.stream!(get('/v1/snapshots/SLTD'));
    const body = part(res);
    await body.next();
    await transport.close();
    const err = await failure((async () => {
      for (;;) if ((await body.next()).done) return;
    })());
    expect(err).toBeInstanceOf(ConfigError);
    expect(await failure(transport.stream!(get()))).toBeInstanceOf(ConfigError);
  });

  it('waits in the queue for a connection like send, and streams once one is free', async () => {
    const server = await serverOf((req, res, state) => {
      if (req.url === '/v1/status') return void res.end('{}');
      flood(4 * 1024 * 1024)(req, res, state);
    });
    const transport = transportOf({ baseUrl: server.url, connections: 1 });
    const first = await transport.stream!(get('/v1/snapshots/SLTD'));
    const second = transport.stream!(get('/v1/snapshots/TDAWN'));
    let bytes = 0;
    for await (const chunk of first.body) bytes += chunk.length;
    for await (const chunk of (await second).body) bytes += chunk.length;
    expect(bytes).toBe(2 * 4 * 1024 * 1024);
  });
});

describe('httpTransport.stream on the timer it shares with send', () => {
  /**
   * `/v1/slow` never answers; `/v1/drip` sends a 200 and `parts` parts 40 ms apart; `/v1/silent` a 200 and one part;
   * `/v1/stall` a 503 and part of its body; `/v1/refused` a whole 503.
   */
  async function drippingServer(parts: number) {
    return serverOf((req, res) => {
      if (req.url === '/v1/slow') return;
      if (req.url === '/v1/stall') {
        res.writeHead(503, { 'content-type': 'application/json', 'content-length': '100' });
        return void res.write('{"error":');
      }
      if (req.url === '/v1/status') return void res.end('{}');
      if (req.url === '/v1/refused') return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{}}');
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      if (req.url === '/v1/silent') return void res.write('{"op":');
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(`${'x'.repeat(99)}\n`);
        if (++sent === parts) {
          clearInterval(timer);
          res.end();
        }
      }, 40);
    });
  }

  it('streams a 2xx body past its timeoutMs while parts keep coming, as send attempts beside it time out', async () => {
    const server = await drippingServer(12);
    const transport = transportOf({ baseUrl: server.url, connections: 4 });
    // undici loads on a transport's first request, and its load would count against the stream's 100 ms.
    await transport.send(get('/v1/status'));
    const res = await transport.stream!({ ...get('/v1/drip', { timeoutMs: 100 }), idleTimeoutMs: 2000 });
    // Attempts beside it keep the timer firing while the body streams, well past the stream's own 100 ms.
    const sends = [60, 150, 250].map((timeoutMs) => failure(transport.send(get('/v1/slow', { timeoutMs }))));
    const started = performance.now();
    const parts = await readAll(res.body);
    expect(performance.now() - started).toBeGreaterThan(100);
    expect(Buffer.concat(parts).length).toBe(12 * 100);
    for (const err of await Promise.all(sends)) expect(err).toBeInstanceOf(TimeoutError);
  });

  it('times out a stream waiting for its headers at its own timeoutMs, while a longer send attempt waits on', async () => {
    const server = await drippingServer(1);
    const transport = transportOf({ baseUrl: server.url, connections: 4 });
    const controller = new AbortController();
    let sendEnded = false;
    const send = failure(transport.send(get('/v1/slow', { timeoutMs: 60_000, signal: controller.signal }))).finally(() => (sendEnded = true));
    const started = performance.now();
    const err = await failure(transport.stream!(get('/v1/slow', { timeoutMs: 150 })));
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).message).toBe('The attempt timed out after 150 ms');
    expect(sendEnded).toBe(false);
    controller.abort(new AbortError('done'));
    expect(await send).toBeInstanceOf(AbortError);
  });

  it('times out a non-2xx answer whose body stops coming at the attempt’s timeoutMs, as send does', async () => {
    const server = await drippingServer(1);
    const transport = transportOf({ baseUrl: server.url });
    const started = performance.now();
    const err = await failure(transport.stream!({ ...get('/v1/stall', { timeoutMs: 200 }), idleTimeoutMs: 60_000 }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).message).toBe('The attempt timed out after 200 ms');
  });

  it('keeps nothing of a streamed attempt once it has ended, whichever way it ended', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const server = await drippingServer(3);
    const transport = transportOf({ baseUrl: server.url, connections: 2 });
    await transport.send(get('/v1/status'));
    // Each attempt's signal is reachable from the attempt only: a list that kept an ended attempt would keep it.
    const signals: WeakRef<AbortSignal>[] = [];
    const run = async (): Promise<void> => {
      const open = (path: string, extra: Partial<StreamRequest> = {}, controller = new AbortController()) => {
        signals.push(new WeakRef(controller.signal));
        return { controller, answer: transport.stream!({ ...get(path, { signal: controller.signal }), ...extra }) };
      };
      await readAll((await open('/v1/drip').answer).body);
      await readAll((await open('/v1/status').answer).body);
      await readAll((await open('/v1/refused').answer).body);
      for await (const _ of (await open('/v1/drip').answer).body) break;
      await failure(open('/v1/slow', { timeoutMs: 50 }).answer);
      await failure(open('/v1/stall', { timeoutMs: 50 }).answer);
      await failure(readAll((await open('/v1/silent', { idleTimeoutMs: 100 }).answer).body));
      const aborted = open('/v1/drip');
      const body = (await aborted.answer).body[Symbol.asyncIterator]();
      await body.next();
      aborted.controller.abort();
      await failure((async () => {
        for (;;) if ((await body.next()).done) return;
      })());
    };
    await run();
    await transport.send(get('/v1/status'));
    for (let i = 0; i < 5 && signals.some((r) => r.deref() !== undefined); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(signals.map((r) => r.deref() === undefined)).toEqual(signals.map(() => true));
  });
});
