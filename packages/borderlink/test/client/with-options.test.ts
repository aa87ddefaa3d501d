// client.withOptions: a client with other defaults (context, timeouts, retries, headers) over the parts of the one it
// derives from: one transport and its connections, one breaker and budget, one cache, one batcher (which never puts
// two contexts, or two sets of headers, in one request), one outbox, one set of listeners, one audit trail.
import { afterEach, describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  ConfigError,
  TimeoutError,
  createClient,
  httpTransport,
  type AuditEvent,
  type BorderlinkClient,
  type ClientObserver,
  type ClientOptions,
  type RequestEvent,
} from 'borderlink';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayHandler, memoryOfflineStore, mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const clear = { documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

function make(extra: Partial<ClientOptions> = {}, transport: MockTransport = mockTransport()): { client: BorderlinkClient; transport: MockTransport } {
  const client = createClient({ transport, context, ...extra });
  closers.push(() => client.close());
  return { client, transport };
}

const bodyContext = (t: MockTransport, i: number) => (t.requests[i]!.body as { context: Record<string, unknown> }).context;

describe('withOptions: what a derived client overrides', () => {
  it('keeps the parent\'s field for a context field given as undefined (an option not given), and still sends who, for whom, why', async () => {
    const { client, transport } = make();
    const derived = client.withOptions({ context: { operatorId: undefined, purpose: 'SECOND_LINE' } });
    expect((await derived.checkDocument(clear)).verdict).toBe('NO_HIT');
    expect(bodyContext(transport, 0)).toMatchObject({ authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE' });
  });

  it('lays its context over the parent\'s field by field, and a call\'s over its own', async () => {
    const { client, transport } = make();
    const desk = client.withOptions({ context: { operatorId: 'officer-0077', locationId: 'DESK-2' } });
    await desk.checkDocument(clear);
    await desk.checkDocument(clear, { context: { purpose: 'SECOND_LINE' } });
    await client.checkDocument(clear);
    expect(bodyContext(transport, 0)).toEqual({ authorityId: 'UTO-POLICE', operatorId: 'officer-0077', purpose: 'BORDER_CHECK', locationId: 'DESK-2' });
    expect(bodyContext(transport, 1)).toEqual({ authorityId: 'UTO-POLICE', operatorId: 'officer-0077', purpose: 'SECOND_LINE', locationId: 'DESK-2' });
    expect(bodyContext(transport, 2)).toEqual(context);
  });

  it('derives from a derived client: each level over the one below', async () => {
    const { client, transport } = make();
    const second = client.withOptions({ context: { purpose: 'SECOND_LINE' }, headers: { 'x-desk': 'D1' } }).withOptions({ context: { operatorId: 'officer-9' }, headers: { 'x-case': 'C1' } });
    await second.checkDocument(clear);
    expect(bodyContext(transport, 0)).toEqual({ ...context, purpose: 'SECOND_LINE', operatorId: 'officer-9' });
    expect(transport.requests[0]!.headers).toMatchObject({ 'x-desk': 'D1', 'x-case': 'C1' });
  });

  it('has its own deadline: a derived client with 150 ms times out where the parent with 5 s is answered', async () => {
    const transport = mockTransport({ latencyMs: 600 });
    const { client } = make({ timeoutMs: 5000, retry: false }, transport);
    const hurried = client.withOptions({ timeoutMs: 150 });
    await expect(hurried.checkDocument(clear)).rejects.toBeInstanceOf(TimeoutError);
    await expect(client.checkDocument(clear)).resolves.toMatchObject({ verdict: 'NO_HIT' });
  });

  it('has its own retries: one attempt for a derived client with retry false, the parent\'s three otherwise', async () => {
    const { client, transport } = make({ retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 }, breaker: false });
    const once = client.withOptions({ retry: false });
    transport.setFaults([{ type: 'status', status: 503 }, { type: 'none' }]);
    await expect(once.checkDocument(clear)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', attempts: 1 });
    transport.setFaults([{ type: 'status', status: 503 }, { type: 'none' }]);
    await expect(client.checkDocument(clear)).resolves.toMatchObject({ attempts: 2 });
    const more = once.withOptions({ retry: { retries: 3 } });
    transport.setFaults([{ type: 'status', status: 503 }, { type: 'status', status: 503 }, { type: 'status', status: 503 }, { type: 'none' }]);
    await expect(more.checkDocument(clear)).resolves.toMatchObject({ attempts: 4 });
  });

  it('refuses every option that makes a client, naming it, and an unknown one, before anything changes', () => {
    const { client } = make();
    const shared = ['transport', 'cache', 'outbox', 'offline', 'batching', 'breaker', 'retryBudget', 'hedgeAfterMs', 'dedupe', 'clock', 'random', 'logger', 'logLevel', 'onAudit', 'privacy', 'telemetry', 'confirmations'];
    for (const name of shared) {
      expect(() => client.withOptions({ [name]: undefined } as never), name).toThrow(ConfigError);
      expect(() => client.withOptions({ [name]: {} } as never), name).toThrow(`client.withOptions: option \`${name}\` is shared with the client it derives from`);
    }
    expect(() => client.withOptions({ timeoutMS: 100 } as never)).toThrow('client.withOptions: option `timeoutMS` is not known');
    expect(() => client.withOptions({ timeoutMs: -1 })).toThrow('client.withOptions: option `timeoutMs`');
    expect(() => client.withOptions({ timeoutMs: 100, attemptTimeoutMs: 200 })).toThrow('option `attemptTimeoutMs` must not be above timeoutMs');
    expect(() => client.withOptions({ retry: { retries: 99 } })).toThrow('option `retry.retries`');
    expect(() => client.withOptions({ context: new Date() as never })).toThrow('option `context` must be a plain object');
    expect(() => client.withOptions(null as never)).toThrow(ConfigError);
  });
});

describe('withOptions: what a derived client shares', () => {
  it('shares the transport\'s connections: over real sockets, the parent\'s and the derived client\'s checks go over one kept-alive connection', async () => {
    const handle = createGatewayHandler();
    let connections = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        void handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers as Record<string, string>, body }).then((answer) => {
          res.writeHead(answer.status, answer.headers).end(answer.body);
        });
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    closers.push(async () => server.closeAllConnections());
    const transport = httpTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: 1 });
    const client = createClient({ transport, context });
    closers.push(() => client.close());
    const derived = client.withOptions({ context: { operatorId: 'officer-0077' } });
    const other = derived.withOptions({ headers: { 'x-desk': 'D1' } });
    await Promise.all([client.checkDocument(clear), derived.checkDocument(clear), other.checkDocument(specimen), derived.checkDocument(specimen)]);
    expect(handle.requests).toHaveLength(4);
    expect(connections).toBe(1);
    await client.close();
    await expect(derived.checkDocument(clear)).rejects.toThrow('The client is closed');
    // The transport is the parent's: closed with it, never by the derived client.
    await expect(transport.send({ method: 'POST', path: '/v1/checks', headers: {}, body: '{}', timeoutMs: 1000 })).rejects.toThrow(/close/);
  });

  it('shares the breaker: failures through a derived client open the parent\'s', async () => {
    const { client, transport } = make({ retry: false, breaker: { failureThreshold: 2, openMs: 60_000, halfOpenProbes: 1 } });
    const derived = client.withOptions({ context: { operatorId: 'officer-0077' } });
    transport.setFaults([{ type: 'status', status: 503 }, { type: 'status', status: 503 }]);
    await expect(derived.checkDocument(clear)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(derived.checkDocument(clear)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(client.checkDocument(clear)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('shares the cache, keyed by context: the same context is served the parent\'s answer, another context is not', async () => {
    const { client, transport } = make({ cache: { noHitTtlMs: 60_000 } });
    await client.checkDocument(clear);
    const same = client.withOptions({ timeoutMs: 2000, headers: { 'x-desk': 'D1' } });
    await expect(same.checkDocument(clear)).resolves.toMatchObject({ servedFrom: 'cache' });
    const other = client.withOptions({ context: { operatorId: 'officer-0077' } });
    await expect(other.checkDocument(clear)).resolves.toMatchObject({ servedFrom: 'network' });
    expect(transport.requests).toHaveLength(2);
    expect(same.cache.size).toBe(client.cache.size);
  });

  it('never batches a call of another context, or with other headers, into the parent\'s request', async () => {
    const { client, transport } = make({ batching: { maxItems: 100, maxDelayMs: 0 } });
    const otherContext = client.withOptions({ context: { operatorId: 'officer-0077' } });
    const otherHeaders = client.withOptions({ headers: { 'x-case-reference': 'C-1' } });
    const sameDefaults = client.withOptions({ timeoutMs: 2500 });
    const docs = ['ZZ0000001', 'ZZ0000002', 'ZZ0000003', 'ZZ0000004'].map((n) => ({ ...clear, documentNumber: n }));
    await Promise.all([
      client.checkDocument(docs[0]!),
      sameDefaults.checkDocument(docs[1]!),
      otherContext.checkDocument(docs[2]!),
      otherHeaders.checkDocument(docs[3]!),
      client.checkDocument(docs[3]!, { headers: { 'x-case-reference': 'C-1' } }),
    ]);
    const requests = transport.requests.map((r) => ({
      operator: (r.body as { context: { operatorId: string } }).context.operatorId,
      items: (r.body as { items: { subjects: { documentNumber: string }[] }[] }).items.map((i) => i.subjects[0]!.documentNumber).sort(),
      caseRef: r.headers['x-case-reference'],
    }));
    expect(requests).toHaveLength(3);
    expect(requests).toEqual(
      expect.arrayContaining([
        { operator: 'officer-0042', items: ['ZZ0000001', 'ZZ0000002'], caseRef: undefined },
        { operator: 'officer-0077', items: ['ZZ0000003'], caseRef: undefined },
        // The two calls with the same headers and context share a request, and the same check in it one item.
        { operator: 'officer-0042', items: ['ZZ0000004'], caseRef: 'C-1' },
      ]),
    );
  });

  it('joins an identical check in flight only under the same headers', async () => {
    const transport = mockTransport({ latencyMs: 50 });
    const { client } = make({}, transport);
    const traced = client.withOptions({ headers: { 'x-trace-id': 'T1' } });
    await Promise.all([client.checkDocument(clear), client.checkDocument(clear), traced.checkDocument(clear), traced.checkDocument(clear)]);
    expect(transport.requests.map((r) => r.headers['x-trace-id'])).toEqual([undefined, 'T1']);
  });

  it('shares listeners, audit and telemetry: a derived client\'s calls are heard where the parent\'s are', async () => {
    const audits: AuditEvent[] = [];
    const observed: string[] = [];
    const telemetry: ClientObserver = { attach: () => ({ call: ({ method }) => ({ end: () => void observed.push(method) }) }) };
    const { client } = make({ onAudit: (e) => audits.push(e), telemetry });
    const requests: RequestEvent[] = [];
    client.on('request', (e) => requests.push(e));
    const derived = client.withOptions({ context: { operatorId: 'officer-0077' } });
    const result = await derived.checkDocument(clear);
    expect(requests.map((e) => e.requestId)).toEqual([result.requestId]);
    expect(audits.map((e) => [e.requestId, e.operatorId])).toEqual([[result.requestId, 'officer-0077']]);
    expect(observed).toEqual(['checkDocument']);
  });

  it('shares the outbox and the offline copy: the same handles', async () => {
    const store = memoryOfflineStore();
    const client = createClient({ transport: mockTransport(), context, outbox: { store: store.outbox }, offline: { store } });
    closers.push(() => client.close());
    const derived = client.withOptions({ timeoutMs: 1000 });
    expect(derived.outbox).toBe(client.outbox);
    expect(derived.offline?.inventory()).toEqual(client.offline?.inventory());
  });
});

describe('withOptions: lifetime', () => {
  it('close() on a derived client ends it alone: the parent and its other derived clients go on', async () => {
    const { client } = make();
    const a = client.withOptions({ timeoutMs: 1000 });
    const b = client.withOptions({ timeoutMs: 1000 });
    await a.close();
    await expect(a.checkDocument(clear)).rejects.toThrow('The client is closed');
    expect(() => a.withOptions({})).toThrow('The client is closed');
    await expect(b.checkDocument(clear)).resolves.toMatchObject({ verdict: 'NO_HIT' });
    await expect(client.checkDocument(clear)).resolves.toMatchObject({ verdict: 'NO_HIT' });
  });

  it('close() on the client createClient made ends every client derived from it, at every level', async () => {
    const { client } = make();
    const a = client.withOptions({ timeoutMs: 1000 });
    const aa = a.withOptions({ headers: { 'x-desk': 'D1' } });
    await client.close();
    for (const c of [client, a, aa]) await expect(c.checkDocument(clear)).rejects.toThrow('The client is closed');
    await expect(aa.reportDocument({ ...specimen, status: 'LOST' })).rejects.toThrow('The client is closed');
  });
});
