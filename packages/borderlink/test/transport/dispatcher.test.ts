// httpTransport({ dispatcher }): through an HTTP proxy (undici's ProxyAgent) to the mock gateway over real sockets, or
// intercepted by undici's MockAgent with no socket at all; and the transport's own rules (maxResponseBytes, its
// queue, timeouts, abort, close, secrets) holding with a dispatcher it does not own.
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { Agent, MockAgent, ProxyAgent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ConfigError,
  ConnectionError,
  ProtocolError,
  TimeoutError,
  createClient,
  httpTransport,
  type BorderlinkClient,
  type HttpTransportOptions,
  type Transport,
} from 'borderlink';
import { createMockGateway, type MockGateway } from 'borderlink/testing';
import { answerEach, hits, item } from '../protocol/answers';
import { makeCertificates } from '../helpers/certs';
import { get, rejection } from '../helpers/requests';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-7', purpose: 'BORDER_CHECK' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

interface Proxy {
  url: string;
  /** What the proxy was asked: `CONNECT host:port` for a tunnel, `METHOD absolute-URI` for a forwarded request. */
  seen: string[];
}

function listen(server: Server): Promise<string> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

const hopByHop = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'upgrade']);

/** A small forward proxy: CONNECT tunnels (for https) and absolute-URI forwarding (for http). */
async function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !hopByHop.has(name)));
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !hopByHop.has(name))));
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  return { url: await listen(server), seen };
}

async function gateway(options: Parameters<typeof createMockGateway>[0] = {}): Promise<MockGateway> {
  const started = await createMockGateway(options);
  cleanups.push(() => started.close());
  return started;
}

function own<T extends { close(): Promise<unknown> }>(dispatcher: T): T {
  cleanups.push(() => dispatcher.close());
  return dispatcher;
}

function clientFor(transport: HttpTransportOptions): BorderlinkClient {
  const client = createClient({ transport: httpTransport(transport), context, retry: false });
  cleanups.push(() => client.close());
  return client;
}

function transportFor(options: HttpTransportOptions): Transport {
  const transport = httpTransport(options);
  cleanups.push(() => transport.close());
  return transport;
}


/** A server that reads each request and never answers it; counts requests. */
async function silentServer(): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const url = await listen(
    createServer(() => {
      requests += 1;
    }),
  );
  return { url, requests: () => requests };
}

describe('httpTransport({ dispatcher }) through a proxy', () => {
  it('checks a document against an http gateway through a proxy that forwards absolute URIs', async () => {
    const mock = await gateway({ token: 'gateway-token' });
    const proxy = await startProxy();
    const client = clientFor({ baseUrl: mock.url, token: 'gateway-token', dispatcher: own(new ProxyAgent({ uri: proxy.url, proxyTunnel: false })) });

    const result = await client.checkDocument(specimen);

    expect(result.verdict).toBe('HIT');
    expect(result.hits.map((h) => h.kind)).toEqual(['document']);
    expect(proxy.seen).toEqual([`POST ${mock.url}/v1/checks`]);
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/checks']);
    expect(mock.requests[0]!.headers.authorization).toBe('Bearer gateway-token');
  });

  it('checks a document against an https gateway through a CONNECT tunnel, the gateway certificate verified', async () => {
    const certs = makeCertificates();
    const mock = await gateway({ tls: { key: certs.serverKey, cert: certs.serverCert } });
    const proxy = await startProxy();
    const client = clientFor({ baseUrl: mock.url, dispatcher: own(new ProxyAgent({ uri: proxy.url, requestTls: { ca: certs.ca } })) });

    const first = await client.checkDocument(specimen);
    const second = await client.checkDocument({ ...specimen, documentNumber: 'X0000001' });

    expect([first.verdict, second.verdict]).toEqual(['HIT', 'NO_HIT']);
    const { port } = new URL(mock.url);
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT 127.0.0.1:${port}`]));
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/checks', '/v1/checks']);
  });

  it('fails with a TLS ConnectionError through the tunnel when the gateway certificate is not trusted', async () => {
    const certs = makeCertificates();
    const mock = await gateway({ tls: { key: certs.serverKey, cert: certs.serverCert } });
    const proxy = await startProxy();
    const transport = transportFor({ baseUrl: mock.url, dispatcher: own(new ProxyAgent({ uri: proxy.url })) });

    const err = await rejection(transport.send(get()));

    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/^TLS handshake failed/);
    expect(mock.requests).toEqual([]);
  });

  it("never puts the proxy's credentials or the token in an error message or a log line", async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const lines: string[] = [];
    const log = (...args: unknown[]) => lines.push(JSON.stringify(args, (_k, v: unknown) => (v instanceof Error ? { message: v.message, cause: String(v.cause) } : v)));
    const client = createClient({
      transport: httpTransport({
        baseUrl: 'http://gateway.police.example',
        token: 'tok-s3cret-value',
        dispatcher: own(new ProxyAgent({ uri: `http://proxyuser:pr0xy-pa55@127.0.0.1:${port}`, proxyTunnel: false })),
      }),
      context,
      retry: false,
      logger: { error: log, warn: log, info: log, debug: log },
    });
    cleanups.push(() => client.close());

    const err = await rejection(client.checkDocument(specimen));

    expect(err).toBeInstanceOf(ConnectionError);
    const shown = [(err as Error).message, JSON.stringify(err), String(err), ...lines].join('\n');
    expect(shown).not.toMatch(/pr0xy-pa55|proxyuser|tok-s3cret-value/);
  });
});

describe('httpTransport({ dispatcher }) with undici MockAgent', () => {
  function mockAgent(): MockAgent {
    const agent = own(new MockAgent());
    agent.disableNetConnect();
    return agent;
  }

  it('intercepts a check without any socket', async () => {
    const agent = mockAgent();
    const answer = answerEach((asked) => item(asked.itemId, asked.sources, [hits.document()]));
    const asked: unknown[] = [];
    agent
      .get('https://gateway.police.example')
      .intercept({ path: '/national/api/v1/checks', method: 'POST' })
      .reply((request) => {
        const body = JSON.parse(String(request.body));
        asked.push(body);
        return { statusCode: 200, data: JSON.stringify(answer({ headers: {}, body }).body), responseOptions: { headers: { 'content-type': 'application/json' } } };
      });
    const client = clientFor({ baseUrl: 'https://gateway.police.example/national/api', dispatcher: agent });

    const result = await client.checkDocument(specimen);

    expect(result.verdict).toBe('HIT');
    expect(result.hits.map((h) => h.kind)).toEqual(['document']);
    expect(asked).toEqual([expect.objectContaining({ context, items: [expect.objectContaining({ subjects: [expect.objectContaining({ documentNumber: 'L898902C3' })] })] })]);
    agent.assertNoPendingInterceptors();
  });

  it('refuses a connection MockAgent does not intercept, as a ConnectionError', async () => {
    const transport = transportFor({ baseUrl: 'https://gateway.police.example', dispatcher: mockAgent() });
    const err = await rejection(transport.send(get()));
    expect(err).toBeInstanceOf(ConnectionError);
  });

  it('fails an answer over maxResponseBytes with a retryable ProtocolError', async () => {
    const agent = mockAgent();
    const pool = agent.get('https://gateway.police.example');
    pool.intercept({ path: '/v1/status', method: 'GET' }).reply(200, 'x'.repeat(2048));
    pool.intercept({ path: '/v1/status', method: 'GET' }).reply(200, 'x'.repeat(1024));
    const transport = transportFor({ baseUrl: 'https://gateway.police.example', dispatcher: agent, maxResponseBytes: 1024 });

    const err = await rejection(transport.send(get()));
    const exact = await transport.send(get());

    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toMatchObject({ retryable: true, message: "The gateway's answer is larger than maxResponseBytes (1024 bytes)" });
    expect(exact.body).toHaveLength(1024);
  });

  it("leaves the request's headers as given when an interceptor of the dispatcher edits the ones it is handed", async () => {
    const agent = mockAgent();
    agent.get('https://gateway.police.example').intercept({ path: '/v1/status', method: 'GET' }).reply(200, '{}').times(2);
    const editing = agent.compose((dispatch) => (options, handler) => {
      (options.headers as Record<string, string>)['x-added-by-interceptor'] = 'yes';
      return dispatch(options, handler);
    });
    const transport = transportFor({ baseUrl: 'https://gateway.police.example', dispatcher: editing });
    const request = get('/v1/status');
    const given = { ...request.headers };

    await transport.send(request);
    await transport.send(request);

    expect(request.headers).toEqual(given);
  });

  it('times out an attempt whose intercepted answer is late', async () => {
    const agent = mockAgent();
    agent.get('https://gateway.police.example').intercept({ path: '/v1/status', method: 'GET' }).reply(200, 'late').delay(2000);
    const transport = transportFor({ baseUrl: 'https://gateway.police.example', dispatcher: agent });

    const err = await rejection(transport.send(get('/v1/status', { timeoutMs: 50 })));

    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ scope: 'attempt' });
  });
});

describe('httpTransport({ dispatcher }) keeps its own rules', () => {
  it('fails an answer streamed past maxResponseBytes over a real socket and keeps nothing past the cap', async () => {
    const url = await listen(
      createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('a'.repeat(600));
        setTimeout(() => res.end('b'.repeat(600)), 20);
      }),
    );
    const transport = transportFor({ baseUrl: url, dispatcher: own(new Agent()), maxResponseBytes: 1000 });

    const err = await rejection(transport.send(get()));

    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).retryable).toBe(true);
  });

  it("rejects with the signal's reason when the caller aborts mid-flight", async () => {
    const server = await silentServer();
    const transport = transportFor({ baseUrl: server.url, dispatcher: own(new Agent()) });
    const controller = new AbortController();
    const reason = new AbortError('lane closed');

    const pending = transport.send(get('/v1/status', { signal: controller.signal }));
    await expect.poll(server.requests).toBe(1);
    controller.abort(reason);

    expect(await rejection(pending)).toBe(reason);
  });

  it('keeps at most `connections` requests on the dispatcher and never sends an attempt aborted while queued', async () => {
    const server = await silentServer();
    const transport = transportFor({ baseUrl: server.url, dispatcher: own(new Agent()), connections: 1 });
    const first = transport.send(get('/v1/status', { timeoutMs: 300 }));
    const controller = new AbortController();
    const queued = transport.send(get('/v1/status', { signal: controller.signal }));

    await expect.poll(server.requests).toBe(1);
    const reason = new AbortError('lane closed');
    controller.abort(reason);

    expect(await rejection(queued)).toBe(reason);
    expect(await rejection(first)).toBeInstanceOf(TimeoutError);
    // The slot freed by the timed-out attempt went to nobody: the aborted one left the queue.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests()).toBe(1);
  });

  it('ends its requests in flight at close() but leaves the dispatcher open for its owner', async () => {
    const server = await silentServer();
    const agent = own(new Agent());
    const transport = httpTransport({ baseUrl: server.url, dispatcher: agent });
    const pending = transport.send(get());
    await expect.poll(server.requests).toBe(1);

    await transport.close();

    expect(await rejection(pending)).toBeInstanceOf(ConfigError);
    expect(await rejection(transport.send(get()))).toBeInstanceOf(ConfigError);
    expect(agent.closed).toBe(false);
    expect(agent.destroyed).toBe(false);
    const mock = await gateway();
    const status = await agent.request({ origin: mock.url, path: '/v1/no-such-path', method: 'GET' });
    // The mock gateway answered through the agent after the transport closed.
    expect(status.statusCode).toBe(404);
    await status.body.dump();
  });
});

describe('httpTransport({ dispatcher }) options', () => {
  const agent = new Agent();
  cleanups.push(() => agent.close());

  it('refuses tls, keepAliveTimeoutMs and connectTimeoutMs beside a dispatcher, naming both options', () => {
    const certs = makeCertificates();
    expect(() => httpTransport({ baseUrl: 'https://gateway.police.example', dispatcher: agent, tls: { ca: certs.ca } })).toThrow(
      new ConfigError('httpTransport: option `tls` cannot be given with `dispatcher`: set TLS on the dispatcher'),
    );
    for (const name of ['keepAliveTimeoutMs', 'connectTimeoutMs'] as const) {
      expect(() => httpTransport({ baseUrl: 'https://gateway.police.example', dispatcher: agent, [name]: 1000 })).toThrow(
        new ConfigError(`httpTransport: option \`${name}\` cannot be given with \`dispatcher\`: set it on the dispatcher`),
      );
    }
  });

  it('refuses a dispatcher that is not one, with a ConfigError', () => {
    for (const dispatcher of [{}, 'http://proxy.example:3128', null, { dispatch: true }]) {
      expect(() => httpTransport({ baseUrl: 'https://gateway.police.example', dispatcher: dispatcher as unknown as Dispatcher })).toThrow(
        new ConfigError('httpTransport: option `dispatcher` must be an undici Dispatcher (an object with a dispatch method)'),
      );
    }
  });
});
