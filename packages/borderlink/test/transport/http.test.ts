import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { getGlobalDispatcher, setGlobalDispatcher, Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError, ConfigError, ConnectionError, ProtocolError, TimeoutError } from 'borderlink';
import { httpTransport } from 'borderlink';
import type { HttpTransportOptions, Transport } from 'borderlink';
import { makeCertificates } from '../helpers/certs';
import { get, rejection } from '../helpers/requests';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  server: Server;
  url: string;
  /** Requests the server received, as it received them. */
  seen: Seen[];
  /** Sockets the server accepted. */
  connections: number;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Respond = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

const echo: Respond = (_req, res, seen) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(seen));
};

function track(server: Server, respond: Respond, scheme: 'http' | 'https'): Promise<TestServer> {
  const state: TestServer = { server, url: '', seen: [], connections: 0 };
  const sockets = new Set<import('node:net').Socket>();
  server.on(scheme === 'https' ? 'secureConnection' : 'connection', (socket: import('node:net').Socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const seen = { method: req.method, url: req.url, headers: req.headers, body };
      state.seen.push(seen);
      respond(req, res, seen);
    });
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.url = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve(state);
    });
  });
}

function startServer(respond: Respond = echo): Promise<TestServer> {
  return track(createServer(), respond, 'http');
}

function transportFor(options: HttpTransportOptions): Transport {
  const transport = httpTransport(options);
  cleanups.push(() => transport.close());
  return transport;
}


/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('httpTransport: what goes on the wire', () => {
  it('sends method, path, body, bearer token, static headers and a JSON content-type', async () => {
    const gw = await startServer();
    const transport = transportFor({ baseUrl: gw.url, token: 'tok-123', headers: { 'X-Border-Post': 'FRA-T1' } });

    const response = await transport.send({
      method: 'POST',
      path: '/v1/checks?sync=1',
      headers: { 'x-request-id': 'req-1' },
      body: '{"documentNumber":"X"}',
      timeoutMs: 5000,
    });

    expect(response.status).toBe(200);
    const seen = JSON.parse(response.body) as Seen;
    expect(seen).toMatchObject({ method: 'POST', url: '/v1/checks?sync=1', body: '{"documentNumber":"X"}' });
    expect(seen.headers).toMatchObject({
      authorization: 'Bearer tok-123',
      'x-border-post': 'FRA-T1',
      'x-request-id': 'req-1',
      'content-type': 'application/json',
      'content-length': '22',
    });
  });

  it("leaves the request's headers object as it was given (attempts share it without a copy)", async () => {
    const server = await startServer();
    const transport = transportFor({ baseUrl: server.url, token: 't0k3n', headers: { 'x-static': 's' } });
    const headers = Object.freeze({ 'x-request-id': 'r1' });
    const response = await transport.send({ method: 'POST', path: '/v1/checks', headers, body: '{}', timeoutMs: 5000 });
    expect(response.status).toBe(200);
    expect(headers).toEqual({ 'x-request-id': 'r1' });
    expect(server.seen[0]!.headers['content-type']).toBe('application/json');
    expect(server.seen[0]!.headers.authorization).toBe('Bearer t0k3n');
  });

  it("hands its own pool the request's headers as they are when it adds none, and they arrive unchanged", async () => {
    const server = await startServer();
    const transport = transportFor({ baseUrl: server.url });
    // Frozen: undici runs in strict mode, so a write to them would throw rather than pass unseen.
    const headers = Object.freeze({ 'content-type': 'application/json', 'x-request-id': 'r2' });
    for (let i = 0; i < 2; i++) {
      const response = await transport.send({ method: 'POST', path: '/v1/checks', headers, body: '{}', timeoutMs: 5000 });
      expect(response.status).toBe(200);
    }
    expect(server.seen.map((s) => [s.headers['content-type'], s.headers['x-request-id'], s.headers.authorization])).toEqual([
      ['application/json', 'r2', undefined],
      ['application/json', 'r2', undefined],
    ]);
  });

  it('prefixes every path with the path of baseUrl', async () => {
    const gw = await startServer();
    const transport = transportFor({ baseUrl: `${gw.url}/national/api/` });

    await transport.send(get('/v1/checks/abc'));

    expect(gw.seen[0]?.url).toBe('/national/api/v1/checks/abc');
    expect(transport.endpoint).toBe(`${gw.url}/national/api`);
  });

  it("lets the request's headers win over static ones, except authorization", async () => {
    const gw = await startServer();
    const transport = transportFor({ baseUrl: gw.url, token: 'tok', headers: { 'x-border-post': 'static' } });

    await transport.send(get('/v1/status', { headers: { 'x-border-post': 'per-call', authorization: 'Bearer other' } }));

    expect(gw.seen[0]?.headers['x-border-post']).toBe('per-call');
    expect(gw.seen[0]?.headers.authorization).toBe('Bearer tok');
  });

  it('sends no authorization and no content-type on a GET without token', async () => {
    const gw = await startServer();
    const transport = transportFor({ baseUrl: gw.url });

    await transport.send(get());

    expect(gw.seen[0]?.headers.authorization).toBeUndefined();
    expect(gw.seen[0]?.headers['content-type']).toBeUndefined();
  });

  it('reuses one keep-alive connection for sequential calls', async () => {
    const gw = await startServer();
    const transport = transportFor({ baseUrl: gw.url, connections: 1 });

    for (let i = 0; i < 20; i++) await transport.send(get());

    expect(gw.seen).toHaveLength(20);
    expect(gw.connections).toBe(1);
  });

  it('keeps sequential calls on at most two connections with the default pool', async () => {
    const gw = await startServer();
    const transport = transportFor({ baseUrl: gw.url });

    for (let i = 0; i < 20; i++) await transport.send(get());

    // The second call is dispatched in the tick the first one finished, before undici's pool sees the first
    // connection as free, so it opens one more; bare `Pool.request` does the same. After that, both are reused.
    expect(gw.connections).toBeLessThanOrEqual(2);
  });

  it('does not go through the global dispatcher', async () => {
    const gw = await startServer();
    const original = getGlobalDispatcher();
    const refusing = new Agent();
    refusing.dispatch = (_opts: Dispatcher.DispatchOptions, _handler: Dispatcher.DispatchHandler) => {
      throw new Error('the global dispatcher was used');
    };
    setGlobalDispatcher(refusing);
    try {
      const transport = transportFor({ baseUrl: gw.url });
      await expect(transport.send(get())).resolves.toMatchObject({ status: 200 });
    } finally {
      setGlobalDispatcher(original);
      await refusing.close();
    }
  });
});

describe('httpTransport: answers', () => {
  it('resolves non-2xx statuses with lower-case header names instead of throwing', async () => {
    const gw = await startServer((_req, res) => {
      res.writeHead(503, [['Retry-After', '2'], ['X-Trace', 'a'], ['X-Trace', 'b'], ['Content-Type', 'application/json']]);
      res.end('{"error":{"code":"UPSTREAM_UNAVAILABLE"}}');
    });
    const transport = transportFor({ baseUrl: gw.url });

    const response = await transport.send(get());

    expect(response.status).toBe(503);
    expect(response.body).toBe('{"error":{"code":"UPSTREAM_UNAVAILABLE"}}');
    expect(response.headers['retry-after']).toBe('2');
    expect(response.headers['x-trace']).toBe('a, b');
    expect(response.headers['Retry-After']).toBeUndefined();
  });

  it('joins a repeated answer header into one value, as send and stream read it', async () => {
    const gw = await startServer((_req, res) => {
      res.setHeader('x-multi', ['a', 'b']);
      res.end('{}');
    });
    const transport = transportFor({ baseUrl: gw.url });
    expect((await transport.send(get())).headers['x-multi']).toBe('a, b');
    expect((await transport.stream!(get())).headers['x-multi']).toBe('a, b');
  });

  it('resolves an empty body as the empty string', async () => {
    const gw = await startServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const transport = transportFor({ baseUrl: gw.url });

    await expect(transport.send(get())).resolves.toMatchObject({ status: 204, body: '' });
  });

  it('decodes UTF-8 once, so a character split across chunks survives', async () => {
    const text = JSON.stringify({ name: 'Müller Ødegård 李' });
    const bytes = Buffer.from(text, 'utf8');
    const split = bytes.indexOf(Buffer.from('ü', 'utf8')) + 1;
    const gw = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, split));
      setTimeout(() => res.end(bytes.subarray(split)), 20);
    });
    const transport = transportFor({ baseUrl: gw.url });

    await expect(transport.send(get())).resolves.toMatchObject({ body: text });
  });
});

describe('httpTransport: failures', () => {
  it('settles with a retryable ProtocolError when the answer cannot be decoded, and clears its timer', async () => {
    // What V8 throws for a string past its length limit; planted on one marked answer, so nothing else is affected.
    const marker = 'undecodable-answer';
    const toString = Buffer.prototype.toString;
    const spy = vi.spyOn(Buffer.prototype, 'toString').mockImplementation(function (this: Buffer, ...args: unknown[]) {
      if (this.includes(marker)) {
        throw Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), { code: 'ERR_STRING_TOO_LONG' });
      }
      return (toString as (...a: unknown[]) => string).apply(this, args);
    });
    cleanups.push(() => spy.mockRestore());
    const gw = await startServer((_req, res) => {
      res.writeHead(200);
      res.write(`{"a":"${marker}`);
      setTimeout(() => res.end('"}'), 10);
    });
    const transport = transportFor({ baseUrl: gw.url });
    await transport.send(get('/v1/warm-up')).catch(() => undefined);
    const baseline = activeTimeouts();

    const err = await rejection(transport.send(get('/v1/status', { timeoutMs: 10_000 })));

    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).retryable).toBe(true);
    expect((err as ProtocolError).message).toMatch(/could not be decoded/);
    expect((err as ProtocolError).message).not.toContain(marker);
    expect(activeTimeouts()).toBeLessThanOrEqual(baseline);
  });

  it('rejects with an attempt TimeoutError when timeoutMs passes, after the gateway saw the request', async () => {
    const gw = await startServer(() => {
      /* never answers */
    });
    const transport = transportFor({ baseUrl: gw.url });

    const started = performance.now();
    const err = await rejection(transport.send(get('/v1/slow', { timeoutMs: 200 })));
    const elapsed = performance.now() - started;

    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).scope).toBe('attempt');
    expect(gw.seen.map((s) => s.url)).toEqual(['/v1/slow']);
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(5000);
  });

  it('times out an attempt still queued behind a busy connection, and never sends it later', async () => {
    const gw = await startServer((req, res, seen) => {
      if (seen.url !== '/v1/slow') echo(req, res, seen);
    });
    const transport = transportFor({ baseUrl: gw.url, connections: 1 });

    const busy = rejection(transport.send(get('/v1/slow', { timeoutMs: 300 })));
    const queued = await rejection(transport.send(get('/v1/queued', { timeoutMs: 50 })));

    expect(queued).toBeInstanceOf(TimeoutError);
    expect(await busy).toBeInstanceOf(TimeoutError);
    await expect(transport.send(get('/v1/after'))).resolves.toMatchObject({ status: 200 });
    expect(gw.seen.map((s) => s.url)).toEqual(['/v1/slow', '/v1/after']);
  });

  it("rejects with the signal's reason when the caller aborts mid-flight", async () => {
    const gw = await startServer(() => {
      /* never answers */
    });
    const transport = transportFor({ baseUrl: gw.url });
    const controller = new AbortController();
    const reason = new Error('hedged attempt won');

    const pending = transport.send(get('/v1/slow', { signal: controller.signal, timeoutMs: 10_000 }));
    while (gw.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(reason);

    expect(await rejection(pending)).toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with AbortError when the reason is not an Error, and at once for an aborted signal', async () => {
    const gw = await startServer();
    const transport = transportFor({ baseUrl: gw.url });
    const controller = new AbortController();
    controller.abort('stop');

    const err = await rejection(transport.send(get('/v1/status', { signal: controller.signal })));

    expect(err).toBeInstanceOf(AbortError);
    expect(gw.seen).toHaveLength(0);
  });

  it('rejects with ConnectionError when the connection is refused', async () => {
    const port = await closedPort();
    const transport = transportFor({ baseUrl: `http://127.0.0.1:${port}` });

    const err = await rejection(transport.send(get()));

    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).message).toMatch(/connection refused/);
    expect((err as ConnectionError).cause).toBeInstanceOf(Error);
  });

  it('rejects with ConnectionError when the gateway destroys the socket', async () => {
    const gw = await startServer((req) => req.socket.destroy());
    const transport = transportFor({ baseUrl: gw.url });

    const err = await rejection(transport.send(get()));

    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).retryable).toBe(true);
  });

  it('rejects with ConnectionError when the body is cut off before content-length', async () => {
    const gw = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"result":"cle');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const transport = transportFor({ baseUrl: gw.url });

    const err = await rejection(transport.send(get()));

    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).message).toMatch(/before the response body was complete|cut off/);
  });

  it('leaves no timer and no abort listener behind, whichever way calls settle', async () => {
    let n = 0;
    const gw = await startServer((req, res, seen) => {
      n += 1;
      if (n % 3 === 0) return req.socket.destroy();
      if (seen.url === '/v1/slow') return; // never answers
      echo(req, res, seen);
    });
    const transport = transportFor({ baseUrl: gw.url, connections: 4 });
    const signal = new AbortController().signal;
    await transport.send(get());
    const baseline = activeTimeouts();

    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        transport.send(get(i % 5 === 0 ? '/v1/slow' : '/v1/status', { signal, timeoutMs: i % 5 === 0 ? 50 : 60_000 })),
      ),
    );

    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
    expect(outcomes.some((o) => o.status === 'rejected' && o.reason instanceof TimeoutError)).toBe(true);
    expect(outcomes.some((o) => o.status === 'rejected' && o.reason instanceof ConnectionError)).toBe(true);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(activeTimeouts()).toBeLessThanOrEqual(baseline);
  });
});

describe('httpTransport: one timer for every attempt', () => {
  it('times out each attempt at its own deadline: a short one sent after a long one, and a long one after a short', async () => {
    const gw = await startServer((req, res, seen) => {
      if (seen.url === '/v1/fast') echo(req, res, seen);
      // anything else: never answers
    });
    const transport = transportFor({ baseUrl: gw.url, connections: 4 });
    const baseline = activeTimeouts();

    // The transport is idle with its timer set for a deadline of 60 s: a later attempt of 50 ms must not wait for it.
    await transport.send(get('/v1/fast', { timeoutMs: 60_000 }));
    const started = performance.now();
    let longEnded = false;
    const long = rejection(transport.send(get('/v1/long', { timeoutMs: 1500 }))).finally(() => (longEnded = true));
    const short = await rejection(transport.send(get('/v1/short', { timeoutMs: 50 })));
    expect(short).toBeInstanceOf(TimeoutError);
    expect(longEnded).toBe(false);
    // The timer was set for the short deadline, which has passed: the long attempt still ends at its own.
    expect(await long).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1500);
    // Nothing left to time out: no timer holds the process open.
    expect(activeTimeouts()).toBeLessThanOrEqual(baseline);
  });

  it('times out many attempts of different timeouts, each at its own and none before, while a longer one waits on', async () => {
    const gw = await startServer(() => {
      /* never answers */
    });
    const transport = transportFor({ baseUrl: gw.url, connections: 8 });
    await until(() => true);
    const baseline = activeTimeouts();

    const waiting = new AbortController();
    let waitingEnded = false;
    const longer = rejection(transport.send(get('/v1/longer', { timeoutMs: 60_000, signal: waiting.signal }))).finally(() => (waitingEnded = true));
    const timeouts = [250, 50, 200, 100, 300, 150];
    const ended = await Promise.all(
      timeouts.map(async (timeoutMs) => {
        const started = performance.now();
        const err = await rejection(transport.send(get(`/v1/t${timeoutMs}`, { timeoutMs })));
        return { timeoutMs, err, elapsed: performance.now() - started };
      }),
    );

    for (const { timeoutMs, err, elapsed } of ended) {
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as TimeoutError).message).toBe(`The attempt timed out after ${timeoutMs} ms`);
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs);
    }
    expect(waitingEnded).toBe(false);
    // Aborted, the longer attempt leaves the timer's watch: the timer, still armed for its deadline, holds nothing open.
    const reason = new Error('not needed any more');
    waiting.abort(reason);
    expect(await longer).toBe(reason);
    expect(activeTimeouts()).toBeLessThanOrEqual(baseline);
    expect(gw.seen).toHaveLength(timeouts.length + 1);
  });

  it('keeps nothing of an attempt once it has settled, whichever way it settled', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const gw = await startServer((req, res, seen) => {
      if (seen.url === '/v1/reset') return req.socket.destroy();
      if (seen.url === '/v1/slow') return; // never answers
      echo(req, res, seen);
    });
    const transport = transportFor({ baseUrl: gw.url, connections: 2 });
    await transport.send(get());

    // Each attempt's signal is reachable from the attempt only: a list that kept a settled attempt would keep it.
    const signals: WeakRef<AbortSignal>[] = [];
    const settle = async (): Promise<void> => {
      const send = (path: string, timeoutMs: number, controller = new AbortController()) => {
        signals.push(new WeakRef(controller.signal));
        return { controller, sent: transport.send(get(path, { timeoutMs, signal: controller.signal })).catch((err: unknown) => err) };
      };
      const answered = send('/v1/status', 60_000);
      const slow = send('/v1/slow', 100);
      const reset = send('/v1/reset', 60_000);
      // Both connections busy: these wait in the queue.
      const queuedTimeout = send('/v1/queued-timeout', 30);
      const queuedAbort = send('/v1/queued-abort', 60_000);
      queuedAbort.controller.abort();
      await Promise.all([answered.sent, slow.sent, reset.sent, queuedTimeout.sent, queuedAbort.sent]);
      const inFlight = send('/v1/slow', 60_000);
      await until(() => gw.seen.filter((s) => s.url === '/v1/slow').length === 2);
      inFlight.controller.abort();
      await inFlight.sent;
    };
    await settle();
    await transport.send(get());

    for (let i = 0; i < 5 && signals.some((r) => r.deref() !== undefined); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(signals.map((r) => r.deref() === undefined)).toEqual(signals.map(() => true));
  });
});

describe('httpTransport: close', () => {
  it('aborts a call in flight, is idempotent, and refuses later sends with ConfigError', async () => {
    const gw = await startServer((req, res, seen) => setTimeout(() => echo(req, res, seen), 100));
    const transport = httpTransport({ baseUrl: gw.url });

    const inFlight = transport.send(get());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = transport.close();

    expect(transport.close()).toBe(closed);
    await expect(inFlight).rejects.toBeInstanceOf(ConfigError);
    await closed;
    const err = await rejection(transport.send(get()));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/after close/);
  });
});

describe('httpTransport: close before undici has loaded', () => {
  it('fails a send and a stream given before its pool was opened with a ConfigError, and sends neither', async () => {
    const gw = await startServer();
    const transport = httpTransport({ baseUrl: gw.url });
    // undici is loaded (by an import that settles later) on the transport's first request: both wait for it.
    const sent = rejection(transport.send(get()));
    const streamed = rejection(transport.stream!(get()));
    await transport.close();

    for (const err of await Promise.all([sent, streamed])) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(/after close/);
    }
    expect(gw.seen).toHaveLength(0);
  });
});

describe('httpTransport: mutual TLS', () => {
  const certs = makeCertificates();

  async function startTlsServer(): Promise<TestServer & { clientNames: Array<string | undefined> }> {
    const clientNames: Array<string | undefined> = [];
    const server = createHttpsServer({
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: certs.ca,
      requestCert: true,
      rejectUnauthorized: true,
    });
    const state = await track(
      server,
      (req, res, seen) => {
        const name = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
        clientNames.push(Array.isArray(name) ? name.join(',') : name);
        echo(req, res, seen);
      },
      'https',
    );
    return { ...state, clientNames };
  }

  it('succeeds with the client certificate', async () => {
    const gw = await startTlsServer();
    const transport = transportFor({
      baseUrl: `${gw.url}/national`,
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
    });

    const response = await transport.send(get());

    expect(response.status).toBe(200);
    expect(gw.seen[0]?.url).toBe('/national/v1/status');
    expect(gw.clientNames).toEqual(['borderlink-test-client']);
  });

  it('verifies the gateway certificate by the name given in servername', async () => {
    const gw = await startTlsServer();
    const port = new URL(gw.url).port;
    const transport = transportFor({
      baseUrl: `https://localhost:${port}`,
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey, servername: 'localhost' },
    });

    await expect(transport.send(get())).resolves.toMatchObject({ status: 200 });
  });

  it('fails with ConnectionError without a client certificate', async () => {
    const gw = await startTlsServer();
    const transport = transportFor({ baseUrl: gw.url, tls: { ca: certs.ca } });

    const err = await rejection(transport.send(get()));

    expect(err).toBeInstanceOf(ConnectionError);
    expect(gw.seen).toHaveLength(0);
  });

  it('fails with a TLS ConnectionError when the gateway certificate is not trusted', async () => {
    const gw = await startTlsServer();
    const transport = transportFor({ baseUrl: gw.url, tls: { cert: certs.clientCert, key: certs.clientKey } });

    const err = await rejection(transport.send(get()));

    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).message).toMatch(/TLS/);
  });
});

describe('httpTransport: configuration', () => {
  const secret = 'sEcReT-t0ken';
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown option', { baseUrl: 'http://gw.example', retries: 3 }, '`retries`'],
    ['an unknown tls option', { baseUrl: 'https://gw.example', tls: { pfx: 'x' } }, '`tls.pfx`'],
    ['a missing baseUrl', {}, '`baseUrl`'],
    ['a baseUrl that is not a URL', { baseUrl: 'gw.example/api' }, '`baseUrl`'],
    ['a baseUrl that is not http(s)', { baseUrl: 'ftp://gw.example' }, '`baseUrl`'],
    ['a baseUrl with credentials', { baseUrl: `https://user:${secret}@gw.example` }, '`baseUrl`'],
    ['a baseUrl with a query', { baseUrl: `https://gw.example/api?key=${secret}` }, '`baseUrl`'],
    ['a token with a line break', { baseUrl: 'https://gw.example', token: `${secret}\r\nx-evil: 1` }, '`token`'],
    ['a token with a non-printable character', { baseUrl: 'https://gw.example', token: `${secret}\u0000` }, '`token`'],
    ['an empty token', { baseUrl: 'https://gw.example', token: '' }, '`token`'],
    ['tls on an http URL', { baseUrl: 'http://gw.example', tls: { ca: 'pem' } }, '`tls`'],
    ['a cert without its key', { baseUrl: 'https://gw.example', tls: { cert: 'pem' } }, '`tls.cert`'],
    ['zero connections', { baseUrl: 'https://gw.example', connections: 0 }, '`connections`'],
    ['a fractional connection count', { baseUrl: 'https://gw.example', connections: 1.5 }, '`connections`'],
    ['an infinite keep-alive', { baseUrl: 'https://gw.example', keepAliveTimeoutMs: Infinity }, '`keepAliveTimeoutMs`'],
    ['a negative connect timeout', { baseUrl: 'https://gw.example', connectTimeoutMs: -1 }, '`connectTimeoutMs`'],
    ['a zero response cap', { baseUrl: 'https://gw.example', maxResponseBytes: 0 }, '`maxResponseBytes`'],
    ['a fractional response cap', { baseUrl: 'https://gw.example', maxResponseBytes: 1024.5 }, '`maxResponseBytes`'],
    ['a response cap above 256 MiB', { baseUrl: 'https://gw.example', maxResponseBytes: 256 * 1024 * 1024 + 1 }, '`maxResponseBytes`'],
    ['a response cap given as text', { baseUrl: 'https://gw.example', maxResponseBytes: '4MB' }, '`maxResponseBytes`'],
    ['a header value with a line break', { baseUrl: 'https://gw.example', headers: { 'x-key': `${secret}\n` } }, '`headers.x-key`'],
    ['a framing header', { baseUrl: 'https://gw.example', headers: { Connection: 'close' } }, '`headers.connection`'],
    ['authorization next to token', { baseUrl: 'https://gw.example', token: secret, headers: { authorization: 'x' } }, '`token`'],
  ];

  it.each(cases)('refuses %s with a ConfigError naming the option, never the value', (_name, options, named) => {
    let err: unknown;
    try {
      httpTransport(options as unknown as HttpTransportOptions);
    } catch (caught) {
      err = caught;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const configError = err as ConfigError;
    expect(configError.message).toContain(named);
    expect(configError.message).not.toContain(secret);
    expect(JSON.stringify(configError)).not.toContain(secret);
  });

  it('keeps credentials out of the endpoint', () => {
    const transport = httpTransport({ baseUrl: 'https://GW.example:443/national/api/', token: secret });
    expect(transport.endpoint).toBe('https://gw.example/national/api');
    expect(JSON.stringify(transport)).not.toContain(secret);
    void transport.close();
  });
});

const MiB = 1024 * 1024;

/** Resolves when `predicate` holds, polling; the test's own timeout bounds it. */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('httpTransport: response size', () => {
  it('fails an answer streamed past maxResponseBytes with a retryable ProtocolError and cuts the connection', async () => {
    const total = 64 * MiB;
    const piece = Buffer.alloc(64 * 1024, 0x61);
    let written = 0;
    let finished = false;
    let socketClosed = false;
    const gw = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.socket?.on('close', () => (socketClosed = true));
      const pump = (): void => {
        while (written < total && !res.destroyed) {
          written += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        if (written >= total && !res.destroyed) {
          finished = true;
          res.end();
        }
      };
      pump();
    });
    const transport = transportFor({ baseUrl: gw.url, maxResponseBytes: MiB });

    const err = await rejection(transport.send(get('/v1/status', { timeoutMs: 20_000 })));

    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).retryable).toBe(true);
    expect((err as ProtocolError).message).toContain('maxResponseBytes');
    expect((err as ProtocolError).message).not.toContain('aaaa');
    await until(() => socketClosed);
    expect(finished).toBe(false);
    expect(written).toBeLessThan(total);
  });

  it('refuses an answer whose content-length is over maxResponseBytes before reading its body', async () => {
    let socketClosed = false;
    const gw = await startServer((_req, res) => {
      res.socket?.on('close', () => (socketClosed = true));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * MiB) });
      res.flushHeaders(); // headers only: the body never comes, so only the declared length can refuse it
    });
    const transport = transportFor({ baseUrl: gw.url, maxResponseBytes: MiB });

    const err = await rejection(transport.send(get('/v1/status', { timeoutMs: 20_000 })));

    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).retryable).toBe(true);
    expect((err as ProtocolError).message).toContain('maxResponseBytes');
    await until(() => socketClosed);
  });

  it('accepts an answer of exactly maxResponseBytes, in many chunks', async () => {
    const body = 'x'.repeat(256 * 1024);
    const gw = await startServer((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < body.length; i += 1000) res.write(body.slice(i, i + 1000));
      res.end();
    });
    const transport = transportFor({ baseUrl: gw.url, maxResponseBytes: body.length });

    const response = await transport.send(get());

    expect(response.body).toBe(body);
  });

  it('caps answers at 4 MiB by default', async () => {
    const gw = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(4 * MiB + 1) });
      res.flushHeaders();
    });
    const transport = transportFor({ baseUrl: gw.url });

    const err = await rejection(transport.send(get('/v1/status', { timeoutMs: 20_000 })));

    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toContain('4194304');
  });
});

describe('httpTransport: its own queue', () => {
  const certs = makeCertificates();

  /** A gateway that holds `/v1/slow` until `release()` and echoes everything else; counts TCP connections. */
  async function holdingGateway(scheme: 'http' | 'https'): Promise<TestServer & { tcp: () => number; release: () => void }> {
    let held: Array<() => void> = [];
    let released = false;
    const respond: Respond = (req, res, seen) => {
      if (seen.url === '/v1/slow' && !released) held.push(() => echo(req, res, seen));
      else echo(req, res, seen);
    };
    const server =
      scheme === 'https' ? createHttpsServer({ key: certs.serverKey, cert: certs.serverCert }) : createServer();
    let tcp = 0;
    server.on('connection', () => (tcp += 1));
    const state = await track(server, respond, scheme);
    return {
      ...state,
      get connections() {
        return state.connections;
      },
      tcp: () => tcp,
      release: () => {
        released = true;
        for (const answer of held.splice(0)) answer();
        held = [];
      },
    };
  }

  for (const scheme of ['http', 'https'] as const) {
    it(`leaves no trace of hundreds of attempts aborted while queued (${scheme})`, async () => {
      const gw = await holdingGateway(scheme);
      const transport = transportFor({ baseUrl: gw.url, connections: 1, ...(scheme === 'https' ? { tls: { ca: certs.ca } } : {}) });

      const slow = transport.send(get('/v1/slow', { timeoutMs: 20_000 }));
      await until(() => gw.seen.length === 1);
      const controllers = Array.from({ length: 400 }, () => new AbortController());
      const aborted = controllers.map((c, i) => rejection(transport.send(get(`/v1/aborted/${i}`, { signal: c.signal, timeoutMs: 20_000 }))));
      for (const c of controllers) c.abort();
      const errors = await Promise.all(aborted);
      const real = transport.send(get('/v1/real', { timeoutMs: 20_000 }));
      gw.release();

      await expect(slow).resolves.toMatchObject({ status: 200 });
      await expect(real).resolves.toMatchObject({ status: 200 });
      expect(errors.every((e) => (e as Error).name === 'AbortError')).toBe(true);
      expect(gw.seen.map((s) => s.url)).toEqual(['/v1/slow', '/v1/real']);
      expect(gw.tcp()).toBe(1);
      expect(gw.connections).toBe(1);
      for (const c of controllers) expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
    });
  }

  it('times out an attempt while it is queued, never sends it, and keeps the connection', async () => {
    const gw = await holdingGateway('http');
    const transport = transportFor({ baseUrl: gw.url, connections: 1 });

    const slow = transport.send(get('/v1/slow', { timeoutMs: 20_000 }));
    await until(() => gw.seen.length === 1);
    const queued = await rejection(transport.send(get('/v1/queued', { timeoutMs: 30 })));
    gw.release();
    await slow;
    await transport.send(get('/v1/after'));

    expect(queued).toBeInstanceOf(TimeoutError);
    expect((queued as TimeoutError).scope).toBe('attempt');
    expect(gw.seen.map((s) => s.url)).toEqual(['/v1/slow', '/v1/after']);
    expect(gw.tcp()).toBe(1);
  });

  it('counts the time an attempt spent queued against its timeout', async () => {
    const gw = await holdingGateway('http');
    const transport = transportFor({ baseUrl: gw.url, connections: 1 });

    const slow = rejection(transport.send(get('/v1/slow', { timeoutMs: 200 })));
    const queued = rejection(transport.send(get('/v1/queued', { timeoutMs: 100 })));

    expect(await queued).toBeInstanceOf(TimeoutError);
    expect(await slow).toBeInstanceOf(TimeoutError);
    expect(gw.seen.map((s) => s.url)).toEqual(['/v1/slow']);
  });

  it('drops an attempt aborted after it left the queue but before undici wrote it, keeping the connection', async () => {
    const gw = await holdingGateway('http');
    const transport = transportFor({ baseUrl: gw.url, connections: 1 });
    const next = new AbortController();

    // The slow answer frees the connection and hands the queued attempt to undici, which writes it a turn later; the
    // abort lands in between.
    const slow = transport.send(get('/v1/slow', { timeoutMs: 20_000 })).then(() => next.abort());
    await until(() => gw.seen.length === 1);
    const dropped = rejection(transport.send(get('/v1/dropped', { signal: next.signal, timeoutMs: 20_000 })));
    gw.release();
    await slow;
    expect((await dropped as Error).name).toBe('AbortError');
    await transport.send(get('/v1/after'));

    expect(gw.seen.map((s) => s.url)).toEqual(['/v1/slow', '/v1/after']);
    expect(gw.tcp()).toBe(1);
  });

  it('keeps at most `connections` requests at the gateway and answers every one in order of sending', async () => {
    let open = 0;
    let most = 0;
    const order: string[] = [];
    const gw = await startServer((req, res, seen) => {
      open += 1;
      most = Math.max(most, open);
      order.push(seen.url ?? '');
      setTimeout(() => {
        open -= 1;
        echo(req, res, seen);
      }, 2);
    });
    const transport = transportFor({ baseUrl: gw.url, connections: 3 });

    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => transport.send(get(`/v1/n/${i}`))));

    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(most).toBeLessThanOrEqual(3);
    expect(gw.connections).toBeLessThanOrEqual(3);
    expect(order).toEqual(Array.from({ length: 60 }, (_, i) => `/v1/n/${i}`));
  });

  it('rejects queued attempts at close with ConfigError, never sends them, and aborts the one in flight', async () => {
    const gw = await holdingGateway('http');
    const transport = httpTransport({ baseUrl: gw.url, connections: 1 });

    const slow = transport.send(get('/v1/slow', { timeoutMs: 20_000 }));
    await until(() => gw.seen.length === 1);
    const queued = rejection(transport.send(get('/v1/queued', { timeoutMs: 20_000 })));
    const closed = transport.close();
    const err = await queued;
    gw.release();

    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/closed before/);
    await expect(slow).rejects.toBeInstanceOf(ConfigError);
    await closed;
    expect(gw.seen.map((s) => s.url)).toEqual(['/v1/slow']);
  });
});
