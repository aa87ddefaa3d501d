// With automatic batching on, identical checks are joined by the batcher on the item's text instead of the in-flight
// table: a check made while an identical one is in flight joins that request by the table's own rules. Each call keeps
// its own deadline and its own abort, the request is aborted only when every call it carries has left, a request that
// would end before a caller's deadline is not joined, and each call gets an answer and an error of its own.
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, TimeoutError, createClient, type BorderlinkClient, type ClientOptions, type Transport, type TransportRequest } from 'borderlink';
import { mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'X7654321', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const STOLEN = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

/** A mock transport that records each request's signal, to see whether the request itself was aborted. */
function watched(inner: MockTransport): MockTransport & { signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  return Object.assign(Object.create(inner) as MockTransport, {
    signals,
    send: (request: TransportRequest) => {
      signals.push(request.signal);
      return inner.send(request);
    },
  });
}

function batched(transport: Transport, extra: Partial<ClientOptions> = {}): BorderlinkClient {
  const client = createClient({ transport, context, retry: false, batching: { maxItems: 100, maxDelayMs: 0 }, ...extra });
  clients.push(client);
  return client;
}

/** Long enough for the first check's request to be sent: the next check cannot gather with it. */
const afterSend = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The labels of the promises, in the order they settle. */
async function settleOrder(entries: Record<string, Promise<unknown>>): Promise<string[]> {
  const order: string[] = [];
  await Promise.all(Object.entries(entries).map(([name, p]) => p.then(() => order.push(name), () => order.push(name))));
  return order;
}

describe('automatic batching, a check identical to one in flight', () => {
  it('joins the request in flight, and answers with its request id', async () => {
    const transport = mockTransport({ latencyMs: 100 });
    const client = batched(transport);
    const first = client.checkDocument(document);
    await afterSend();
    const joiner = client.checkDocument(document);
    const [a, b] = await Promise.all([first, joiner]);
    expect(transport.requests).toHaveLength(1);
    expect(b.requestId).toBe(a.requestId);
    expect(b.verdict).toBe('NO_HIT');
  });

  it('keeps its own short deadline: a 300 ms check that joined a 10 s one leaves at 300 ms, and the 10 s one gets its answer', async () => {
    const transport = mockTransport({ latencyMs: 1200 });
    const client = batched(transport);
    const long = client.checkDocument(document, { timeoutMs: 10_000 });
    await afterSend();
    const short = client.checkDocument(document, { timeoutMs: 300 });
    const shortError = short.catch((e: unknown) => e);
    expect(await settleOrder({ long, short })).toEqual(['short', 'long']);
    expect(await shortError).toBeInstanceOf(TimeoutError);
    expect(await shortError).toMatchObject({ scope: 'call', requestId: transport.requests[0]!.headers['x-request-id'] });
    expect(await long).toMatchObject({ verdict: 'NO_HIT' });
    expect(transport.requests).toHaveLength(1);
  });

  it('keeps its own long deadline: a 10 s check does not join a 300 ms one in flight, it sends its own request', async () => {
    const transport = mockTransport({ latencyMs: 800 });
    const client = batched(transport);
    const short = client.checkDocument(document, { timeoutMs: 300 });
    await afterSend();
    const long = client.checkDocument(document, { timeoutMs: 10_000 });
    await expect(short).rejects.toBeInstanceOf(TimeoutError);
    await expect(long).resolves.toMatchObject({ verdict: 'NO_HIT' });
    expect(transport.requests).toHaveLength(2);
  });

  it('joins a request that ends a little before its own deadline, within the in-flight table’s slack', async () => {
    const transport = mockTransport({ latencyMs: 100 });
    const client = batched(transport);
    const first = client.checkDocument(document, { timeoutMs: 5000 });
    await afterSend();
    // 20 ms later with the same timeout: its deadline is 20 ms past the request's, within a tenth of its 5 s.
    const joiner = client.checkDocument(document, { timeoutMs: 5000 });
    await Promise.all([first, joiner]);
    expect(transport.requests).toHaveLength(1);
  });

  it('keeps its own abort: aborting the joiner leaves the first call its answer, and the request is not aborted', async () => {
    const transport = watched(mockTransport({ latencyMs: 200 }));
    const client = batched(transport);
    const controller = new AbortController();
    const first = client.checkDocument(document, { signal: new AbortController().signal });
    await afterSend();
    const joiner = client.checkDocument(document, { signal: controller.signal });
    controller.abort();
    await expect(joiner).rejects.toBeInstanceOf(AbortError);
    await expect(first).resolves.toMatchObject({ verdict: 'NO_HIT' });
    expect(transport.signals).toHaveLength(1);
    expect(transport.signals[0]?.aborted).toBe(false);
  });

  it('aborts the request only when the first call and every joiner have left', async () => {
    const transport = watched(mockTransport({ latencyMs: 5000 }));
    const client = batched(transport);
    const a = new AbortController();
    const b = new AbortController();
    const first = client.checkDocument(document, { signal: a.signal });
    await afterSend();
    const joiner = client.checkDocument(document, { signal: b.signal });
    a.abort();
    await expect(first).rejects.toBeInstanceOf(AbortError);
    expect(transport.signals[0]?.aborted).toBe(false);
    b.abort();
    await expect(joiner).rejects.toBeInstanceOf(AbortError);
    expect(transport.signals[0]?.aborted).toBe(true);
    expect(transport.signals).toHaveLength(1);
  });

  it('starts afresh after every call left an aborted request: a later identical check sends its own', async () => {
    const transport = watched(mockTransport({ latencyMs: 300 }));
    const client = batched(transport);
    const controller = new AbortController();
    const first = client.checkDocument(document, { signal: controller.signal });
    await afterSend();
    controller.abort();
    await expect(first).rejects.toBeInstanceOf(AbortError);
    await expect(client.checkDocument(document)).resolves.toMatchObject({ verdict: 'NO_HIT' });
    expect(transport.signals).toHaveLength(2);
    expect(transport.signals[0]?.aborted).toBe(true);
  });

  it('gives each joined call its own answer to edit', async () => {
    const transport = mockTransport({ latencyMs: 100 });
    const client = batched(transport);
    const first = client.checkDocument(STOLEN);
    await afterSend();
    const joiner = client.checkDocument(STOLEN);
    const [a, b] = await Promise.all([first, joiner]);
    expect(transport.requests).toHaveLength(1);
    expect([a.verdict, b.verdict]).toEqual(['HIT', 'HIT']);
    expect(a.hits).not.toBe(b.hits);
    expect(a.hits[0]).not.toBe(b.hits[0]);
    expect(b.hits).toStrictEqual(a.hits);
  });

  it('gives each joined call its own error object, of the same class and code', async () => {
    const transport = mockTransport({ latencyMs: 100, faults: [{ type: 'status', status: 503 }] });
    const client = batched(transport);
    const first = client.checkDocument(document).catch((e: unknown) => e as Error);
    await afterSend();
    const joiner = client.checkDocument(document).catch((e: unknown) => e as Error);
    const [a, b] = await Promise.all([first, joiner]);
    expect(transport.requests).toHaveLength(1);
    expect(a).not.toBe(b);
    for (const e of [a, b]) expect(e).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', name: 'GatewayError' });
    (b as { durationMs?: number }).durationMs = -1;
    expect((a as { durationMs?: number }).durationMs).not.toBe(-1);
  });

  it('is sent again, not joined, when the client has dedupe off', async () => {
    const transport = mockTransport({ latencyMs: 100 });
    const client = batched(transport, { dedupe: false });
    const first = client.checkDocument(document);
    await afterSend();
    await Promise.all([first, client.checkDocument(document)]);
    expect(transport.requests).toHaveLength(2);
  });

  it('never joins one in flight from before a report', async () => {
    const transport = mockTransport({ latencyMs: 150 });
    const client = batched(transport);
    const early = client.checkDocument(document);
    await afterSend();
    const report = client.reportDocument({ documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' });
    const during = client.checkDocument(document);
    await Promise.all([early, report, during]);
    const checks = transport.requests.filter((r) => r.path === '/v1/checks');
    expect(checks).toHaveLength(2);
  });
});
