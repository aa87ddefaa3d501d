// Automatic batching: concurrent single checks under one context share a request, and each call keeps what is its
// own (deadline, abort, result, error, request id, item). Over real sockets where the gateway must lie (a hostile
// gateway that reorders, drops or invents items), in process elsewhere.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  ConfigError,
  GatewayError,
  ProtocolError,
  TimeoutError,
  createClient,
  httpTransport,
  type AuditEvent,
  type BorderlinkClient,
  type ClientOptions,
  type QueryContext,
  type Transport,
  type TransportRequest,
} from 'borderlink';
import { createMockGateway, mockTransport, type MockTransport } from 'borderlink/testing';
import { gatedTransport, itemsOf as itemsIn } from '../helpers/gated';
import { startHostileGateway, type HostileGateway, type HostileRequest } from '../hostile/server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const BATCHING = { maxItems: 100, maxDelayMs: 0 } as const;

let clients: BorderlinkClient[] = [];
let gateways: { close(): Promise<void> }[] = [];
function make(transport: Transport = mockTransport(), extra: Partial<ClientOptions> = {}) {
  const client = createClient({ transport, context, batching: BATCHING, ...extra });
  clients.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(gateways.map((g) => g.close()));
  clients = [];
  gateways = [];
});

const doc = (n: number | string) => ({ documentNumber: `N${n}`, issuingState: 'UTO', documentType: 'PASSPORT' as const });
const STOLEN = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' as const };

interface WireItem {
  itemId: string;
  subjects: { kind: string; documentNumber?: string }[];
  sources: string[];
}
interface WireBody {
  context: QueryContext;
  items: WireItem[];
}
const bodyOf = (request: { body: unknown }) => request.body as WireBody;
const itemsOf = (transport: MockTransport) => transport.requests.map((r) => bodyOf(r).items.length);

/** A well-formed answer to one item: a HIT in SLTD whose record names the item's own document number. */
function hitAnswer(item: WireItem) {
  const documentNumber = item.subjects[0]?.documentNumber ?? 'X';
  return {
    itemId: item.itemId,
    outcomes: item.sources.map((source) => ({ source, status: source === 'SLTD' ? 'HIT' : 'NO_HIT' })),
    hits: [
      {
        hitId: `H-${documentNumber}`,
        source: 'SLTD',
        kind: 'document',
        recordId: `R-${documentNumber}`,
        ownerCountry: 'UTO',
        match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber'] },
        actionToBeTaken: 'SEIZE_DOCUMENT',
        confirmation: { state: 'UNCONFIRMED' },
        document: { documentNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
      },
    ],
  };
}

/** A hostile gateway that answers every item with hitAnswer, after `edit` rearranged the list of answers. */
async function lyingGateway(edit: (answers: ReturnType<typeof hitAnswer>[]) => unknown[]): Promise<HostileGateway> {
  const gateway = await startHostileGateway();
  gateways.push(gateway);
  gateway.answer((request: HostileRequest) => {
    const body = JSON.parse(request.body) as WireBody;
    return { status: 200, body: JSON.stringify({ requestId: 'gw-1', items: edit(body.items.map(hitAnswer)) }) };
  });
  return gateway;
}

const overSocket = (url: string, extra: Partial<ClientOptions> = {}) => make(httpTransport({ baseUrl: url }), { retry: false, breaker: false, ...extra });

/** A transport that records each request's signal, to see whether the request itself was aborted. */
function watched(inner: Transport): Transport & { signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  return {
    endpoint: inner.endpoint,
    signals,
    send: (request: TransportRequest) => {
      signals.push(request.signal);
      return inner.send(request);
    },
    close: () => inner.close(),
  };
}

/**
 * Over a real socket, `perContext` calls from each of two contexts at once, against a gateway that answers every item
 * HIT with its own document number, reversed, and drops the third of each request: the requests are `sizes` long,
 * each of one context, and each call gets its own record or a ProtocolError, never another's.
 */
async function splitAgainstLiar(perContext: number, sizes: readonly number[]): Promise<void> {
  const gateway = await lyingGateway((answers) => answers.filter((a) => a.itemId !== '3').reverse());
  const client = overSocket(gateway.url);
  const other = { operatorId: 'officer-0077', purpose: 'INVESTIGATION' } as const;
  const calls = Array.from({ length: 2 * perContext }, (_, n) => ({ n, context: n % 2 === 0 ? {} : other }));
  const settled = await Promise.allSettled(calls.map(({ n, context: c }) => client.checkDocument(doc(`S${n}`), { context: c })));
  const bodies = gateway.requests.map((r) => JSON.parse(r.body) as WireBody);
  expect(bodies.map((b) => b.items.length)).toEqual(sizes);
  const dropped = new Set<string>();
  const contextOf = new Map<string, QueryContext>();
  for (const body of bodies) {
    for (const item of body.items) {
      contextOf.set(item.subjects[0]!.documentNumber!, body.context);
      if (item.itemId === '3') dropped.add(item.subjects[0]!.documentNumber!);
    }
  }
  expect(dropped.size).toBe(sizes.length);
  for (const { n, context: c } of calls) {
    const number = `NS${n}`;
    expect(contextOf.get(number)).toEqual({ ...context, ...c });
    const outcome = settled[n]!;
    if (dropped.has(number)) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(ProtocolError) });
    } else {
      // Never lost, never another's: the HIT is the call's own record.
      expect(outcome.status).toBe('fulfilled');
      const result = (outcome as PromiseFulfilledResult<Awaited<ReturnType<BorderlinkClient['checkDocument']>>>).value;
      expect(result.verdict).toBe('HIT');
      expect((result.hits[0] as { document: { documentNumber: string } }).document.documentNumber).toBe(number);
    }
  }
}

describe('automatic batching', () => {
  it('sends concurrent checks of one context as the items of one request, each answered with its own verdict', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const results = await Promise.all([client.checkDocument(doc(1)), client.checkDocument(STOLEN), client.checkDocument(doc(2))]);
    expect(itemsOf(transport)).toEqual([3]);
    expect(results.map((r) => r.verdict)).toEqual(['NO_HIT', 'HIT', 'NO_HIT']);
    const sentId = transport.requests[0]!.headers['x-request-id'];
    expect(results.map((r) => r.requestId)).toEqual([sentId, sentId, sentId]);
  });

  it('batches every kind of single check: documents, persons, vehicles, check and checkMrz', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const mrz = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
    const [d, p, v, c, m] = await Promise.all([
      client.checkDocument(doc(1)),
      client.checkPerson({ surname: 'NOBODY', givenNames: ['X'] }),
      client.checkVehicle({ vin: 'WVWZZZ1JZXW000009' }),
      client.check({ subjects: [{ kind: 'document', ...doc(2) }] }),
      client.checkMrz(mrz, { allowInvalidMrz: true }),
    ]);
    expect(itemsOf(transport)).toEqual([5]);
    expect([d, p, v, c].map((r) => r.verdict)).toEqual(['NO_HIT', 'NO_HIT', 'NO_HIT', 'NO_HIT']);
    expect(m.outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN', 'NOMINAL']);
  });

  it('sends a lone check alone, in a request of one item', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const result = await client.checkDocument(doc(1));
    expect(itemsOf(transport)).toEqual([1]);
    expect(result.requestId).toBe(transport.requests[0]!.headers['x-request-id']);
  });

  it('sends at most maxItems items a request', async () => {
    const transport = mockTransport();
    const client = make(transport, { batching: { maxItems: 2 } });
    await Promise.all([1, 2, 3, 4, 5].map((n) => client.checkDocument(doc(n))));
    expect(itemsOf(transport)).toEqual([2, 2, 1]);
  });

  it('sends a large gathering with no request out as two requests, and the calls gathered while one is out as one', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const numbers = Array.from({ length: 40 }, (_, n) => n);
    const first = await Promise.all(numbers.map((n) => client.checkDocument(n === 33 ? STOLEN : doc(n))));
    // Two halves, so the gateway searches one while the client reads the other; each call still has its own answer.
    expect(itemsOf(transport)).toEqual([20, 20]);
    expect(first.map((r) => r.verdict)).toEqual(numbers.map((n) => (n === 33 ? 'HIT' : 'NO_HIT')));
    const ids = transport.requests.map((r) => r.headers['x-request-id']);
    expect(first.map((r) => r.requestId)).toEqual(numbers.map((n) => ids[n < 20 ? 0 : 1]));
    // Below the split's threshold: one request.
    await Promise.all(numbers.slice(0, 31).map((n) => client.checkDocument(doc(100 + n))));
    expect(itemsOf(transport).slice(2)).toEqual([31]);
  });

  it('keeps up to three requests of a context out: a large gathering goes as three with none out, as two with one out, whole with three', async () => {
    const transport = gatedTransport();
    const client = make(transport);
    const first = Array.from({ length: 48 }, (_, n) => client.checkDocument(doc(n)));
    await vi.waitFor(() => expect(transport.sent.length).toBe(3));
    // Three parts of at least 16 items, in the calls' order.
    expect(transport.sent.map(itemsIn)).toEqual([16, 16, 16]);
    const numbersOf = (r: TransportRequest) => (JSON.parse(r.body!) as WireBody).items.map((i) => i.subjects[0]!.documentNumber);
    expect(transport.sent.flatMap(numbersOf)).toEqual(Array.from({ length: 48 }, (_, n) => `N${n}`));
    transport.release(0);
    transport.release(1);
    await Promise.all(first.slice(0, 32));
    // One of the context's requests is out: a gathering of 48 goes as two, so three are out again.
    const second = Array.from({ length: 48 }, (_, n) => client.checkDocument(doc(100 + n)));
    await vi.waitFor(() => expect(transport.sent.length).toBe(5));
    expect(transport.sent.slice(3).map(itemsIn)).toEqual([24, 24]);
    // Three out: the next gathering goes whole.
    const third = Array.from({ length: 40 }, (_, n) => client.checkDocument(doc(200 + n)));
    await vi.waitFor(() => expect(transport.sent.length).toBe(6));
    expect(itemsIn(transport.sent[5]!)).toBe(40);
    transport.releaseAll();
    const results = await Promise.all([...first, ...second, ...third]);
    expect(results.every((r) => r.verdict === 'NO_HIT')).toBe(true);
    // Each call carries the request id of the request that asked its item.
    const requestOf = new Map<string, string>();
    for (const r of transport.sent) for (const number of numbersOf(r)) requestOf.set(number!, r.headers['x-request-id']!);
    const numbers = [...Array.from({ length: 48 }, (_, n) => n), ...Array.from({ length: 48 }, (_, n) => 100 + n), ...Array.from({ length: 40 }, (_, n) => 200 + n)];
    expect(results.map((r) => r.requestId)).toEqual(numbers.map((n) => requestOf.get(`N${n}`)));
  });

  it('splits a gathering by the calls still waiting in it, not by those that left before it was sent', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const controller = new AbortController();
    const calls = Array.from({ length: 48 }, (_, n) => client.checkDocument(doc(n), n < 30 ? { signal: controller.signal } : {}));
    controller.abort();
    const settled = await Promise.allSettled(calls);
    expect(settled.slice(0, 30).every((s) => s.status === 'rejected' && s.reason instanceof AbortError)).toBe(true);
    expect(settled.slice(30).every((s) => s.status === 'fulfilled' && s.value.verdict === 'NO_HIT')).toBe(true);
    // 18 calls still waiting: one request, not a part of 2 and one of 16.
    expect(itemsOf(transport)).toEqual([18]);
  });

  it('keeps each split request within its context, and each call its own item, against a gateway that reorders and drops items', async () => {
    // Two contexts, each of 40 calls with no request out: two requests each, every one of a single context.
    await splitAgainstLiar(40, [20, 20, 20, 20]);
  });

  it('keeps each of three split requests within its context, and each call its own item, against the same gateway', async () => {
    // Two contexts, each of 48 calls with no request out: three requests each.
    await splitAgainstLiar(48, [16, 16, 16, 16, 16, 16]);
  });

  it('sends a large gathering as one request while the breaker is half-open, so its probe carries every call', async () => {
    const transport = mockTransport({ faults: [{ type: 'status', status: 503 }, { type: 'status', status: 503 }] });
    const client = make(transport, { retry: false, breaker: { failureThreshold: 2, openMs: 50 } });
    for (const n of [1000, 1001]) await client.checkDocument(doc(n)).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const numbers = Array.from({ length: 40 }, (_, n) => n);
    const results = await Promise.all(numbers.map((n) => client.checkDocument(doc(n))));
    expect(results.map((r) => r.verdict)).toEqual(numbers.map(() => 'NO_HIT'));
    expect(itemsOf(transport).slice(2)).toEqual([40]);
  });

  it('waits up to maxDelayMs for checks made in later turns', async () => {
    const transport = mockTransport();
    const client = make(transport, { batching: { maxDelayMs: 50 } });
    const first = client.checkDocument(doc(1));
    await new Promise((resolve) => setImmediate(resolve));
    const second = client.checkDocument(doc(2));
    await Promise.all([first, second]);
    expect(itemsOf(transport)).toEqual([2]);
  });

  it('never puts checks of different contexts into one request, and each request carries its own context', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const other = { operatorId: 'officer-0077' };
    const located = { locationId: 'UTO-PORT-1' };
    await Promise.all([
      client.checkDocument(doc(1)),
      client.checkDocument(doc(2), { context: other }),
      client.checkDocument(doc(3), { context: located }),
      client.checkDocument(doc(4)),
      client.checkDocument(doc(5), { context: other }),
    ]);
    const byContext = transport.requests.map((r) => [bodyOf(r).context, bodyOf(r).items.map((i) => i.subjects[0]!.documentNumber)]);
    expect(byContext).toEqual([
      [context, ['N1', 'N4']],
      [{ ...context, ...other }, ['N2', 'N5']],
      [{ ...context, ...located }, ['N3']],
    ]);
  });

  it('sends identical checks in one batch as one item, answered to each call', async () => {
    const transport = mockTransport();
    const client = make(transport, { dedupe: false });
    const results = await Promise.all([client.checkDocument(STOLEN), client.checkDocument(doc(1)), client.checkDocument(STOLEN)]);
    expect(itemsOf(transport)).toEqual([2]);
    expect(results.map((r) => r.verdict)).toEqual(['HIT', 'NO_HIT', 'HIT']);
    // Each call has its own result to edit.
    expect(results[0]!.hits).not.toBe(results[2]!.hits);
    expect(results[0]!.hits[0]).not.toBe(results[2]!.hits[0]);
  });

  it('still joins an identical check in flight in an earlier request', async () => {
    const transport = mockTransport({ latencyMs: 100 });
    const client = make(transport);
    const first = client.checkDocument(STOLEN);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = client.checkDocument(STOLEN);
    const [a, b] = await Promise.all([first, second]);
    expect(itemsOf(transport)).toEqual([1]);
    expect(b.requestId).toBe(a.requestId);
  });

  it('answers each call with its own item when the gateway answers the items in another order', async () => {
    const gateway = await lyingGateway((answers) => [...answers].reverse());
    const client = overSocket(gateway.url);
    const numbers = ['A1', 'A2', 'A3', 'A4'];
    const results = await Promise.all(numbers.map((n) => client.checkDocument(doc(n))));
    expect(gateway.requests).toHaveLength(1);
    expect(results.map((r) => (r.hits[0] as { document: { documentNumber: string } }).document.documentNumber)).toEqual(numbers.map((n) => `N${n}`));
  });

  it('fails only the call whose item the gateway left out, with a ProtocolError, and never shifts another answer', async () => {
    // The second item's answer is dropped: the third must not read it as its own.
    const gateway = await lyingGateway((answers) => answers.filter((a) => a.itemId !== '2'));
    const client = overSocket(gateway.url);
    const settled = await Promise.allSettled(['B1', 'B2', 'B3'].map((n) => client.checkDocument(doc(n))));
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: expect.any(ProtocolError) });
    const kept = [settled[0], settled[2]].map((s) => (s?.status === 'fulfilled' ? (s.value.hits[0] as { document: { documentNumber: string } }).document.documentNumber : 'failed'));
    expect(kept).toEqual(['NB1', 'NB3']);
  });

  it('fails every call of a request whose answer names an item that was not asked, or answers one twice', async () => {
    for (const edit of [
      (answers: ReturnType<typeof hitAnswer>[]) => answers.map((a) => ({ ...a, itemId: String(Number(a.itemId) + 1) })),
      (answers: ReturnType<typeof hitAnswer>[]) => [...answers, answers[0]!],
    ]) {
      const gateway = await lyingGateway(edit);
      const client = overSocket(gateway.url);
      const settled = await Promise.allSettled(['C1', 'C2', 'C3'].map((n) => client.checkDocument(doc(n))));
      expect(settled.map((s) => s.status === 'rejected' && s.reason instanceof ProtocolError)).toEqual([true, true, true]);
    }
  });

  it('rejects a call at its own deadline inside a batch while the others get their answers', async () => {
    const transport = mockTransport({ latencyMs: 300 });
    const client = make(transport);
    const settled = await Promise.allSettled([client.checkDocument(doc(1)), client.checkDocument(doc(2), { timeoutMs: 50 }), client.checkDocument(doc(3))]);
    expect(itemsOf(transport)).toEqual([3]);
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: expect.any(TimeoutError) });
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ scope: 'call', requestId: transport.requests[0]!.headers['x-request-id'] });
    expect([settled[0]!.status, settled[2]!.status]).toEqual(['fulfilled', 'fulfilled']);
  });

  it('lets an aborted call leave the batch without cancelling the others', async () => {
    const transport = watched(mockTransport({ latencyMs: 100 }));
    const client = make(transport);
    const controller = new AbortController();
    const calls = [client.checkDocument(doc(1)), client.checkDocument(doc(2), { signal: controller.signal }), client.checkDocument(doc(3))];
    setTimeout(() => controller.abort(), 20);
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(AbortError);
    expect(transport.signals).toHaveLength(1);
    expect(transport.signals[0]?.aborted).toBe(false);
  });

  it('aborts the request when every call it carries has left', async () => {
    const transport = watched(mockTransport({ latencyMs: 5000 }));
    const client = make(transport);
    const a = new AbortController();
    const b = new AbortController();
    const calls = [client.checkDocument(doc(1), { signal: a.signal }), client.checkDocument(doc(2), { signal: b.signal })];
    await new Promise((resolve) => setTimeout(resolve, 20));
    a.abort();
    await expect(calls[0]).rejects.toBeInstanceOf(AbortError);
    expect(transport.signals[0]?.aborted).toBe(false);
    b.abort();
    await expect(calls[1]).rejects.toBeInstanceOf(AbortError);
    expect(transport.signals[0]?.aborted).toBe(true);
  });

  it('rejects a call whose signal is already aborted without sending it', async () => {
    const transport = mockTransport();
    const client = make(transport);
    await expect(client.checkDocument(doc(1), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(transport.requests).toHaveLength(0);
  });

  it('splits a batch the gateway refuses with 413 into halves, and sends no larger requests after', async () => {
    const transport = mockTransport({ faults: [{ type: 'status', status: 413 }] });
    const client = make(transport);
    const first = await Promise.all([1, 2, 3, 4].map((n) => client.checkDocument(doc(n))));
    expect(itemsOf(transport)).toEqual([4, 2, 2]);
    expect(first.map((r) => r.verdict)).toEqual(['NO_HIT', 'NO_HIT', 'NO_HIT', 'NO_HIT']);
    await Promise.all([5, 6, 7].map((n) => client.checkDocument(doc(n))));
    expect(itemsOf(transport).slice(3)).toEqual([2, 1]);
  });

  it('fails only the calls of a failed request, each with its own copy of the typed error', async () => {
    const transport = mockTransport({ faults: [{ type: 'status', status: 503 }] });
    const client = make(transport, { retry: false });
    const other = { operatorId: 'officer-0077' };
    const settled = await Promise.allSettled([
      client.checkDocument(doc(1)),
      client.checkDocument(doc(2), { context: other }),
      client.checkDocument(doc(3)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    const [e1, e3] = [settled[0], settled[2]].map((s) => (s as PromiseRejectedResult).reason as GatewayError);
    expect(e1).toBeInstanceOf(GatewayError);
    expect(e3).toBeInstanceOf(GatewayError);
    expect(e1).not.toBe(e3);
    expect(e1!.requestId).toBe(transport.requests[0]!.headers['x-request-id']);
    expect(e3!.requestId).toBe(e1!.requestId);
  });

  it('gives one audit event per call, with the id of the request that carried it', async () => {
    const events: AuditEvent[] = [];
    const transport = mockTransport();
    const client = make(transport, { onAudit: (e) => events.push(e) });
    const other = { operatorId: 'officer-0077' };
    await Promise.all([client.checkDocument(doc(1)), client.checkDocument(doc(2), { context: other }), client.checkDocument(STOLEN)]);
    const ids = transport.requests.map((r) => r.headers['x-request-id']);
    expect(events).toHaveLength(3);
    const byOperator = events.map((e) => [e.operatorId, e.requestId, e.verdict]).sort();
    expect(byOperator).toEqual(
      [
        ['officer-0042', ids[0], 'NO_HIT'],
        ['officer-0042', ids[0], 'HIT'],
        ['officer-0077', ids[1], 'NO_HIT'],
      ].sort(),
    );
  });

  it('gives a failed call an audit event with the id of the request that carried it, as its error has', async () => {
    const events: AuditEvent[] = [];
    const transport = mockTransport({ faults: [{ type: 'status', status: 503 }] });
    const client = make(transport, { retry: false, onAudit: (e) => events.push(e) });
    const errors = await Promise.all([client.checkDocument(doc(1)), client.checkDocument(doc(2))].map((p) => p.catch((e: unknown) => e as GatewayError)));
    const sentId = transport.requests[0]!.headers['x-request-id'];
    expect(errors.map((e) => e.requestId)).toEqual([sentId, sentId]);
    expect(events.map((e) => [e.requestId, e.outcome])).toEqual([
      [sentId, 'UPSTREAM_UNAVAILABLE'],
      [sentId, 'UPSTREAM_UNAVAILABLE'],
    ]);
  });

  it('gives a call that fails before any request carried it an id of its own, in its error and its audit event', async () => {
    const events: AuditEvent[] = [];
    const transport = mockTransport();
    const client = make(transport, { onAudit: (e) => events.push(e) });
    const call = client.checkDocument(doc(1)).catch((e: unknown) => e as AbortError);
    await client.close();
    const error = await call;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.map((e) => e.requestId)).toEqual([error.requestId]);
    expect(transport.requests).toHaveLength(0);
  });

  it('keeps the cache: a batched answer is cached, and a cached check is not sent', async () => {
    const transport = mockTransport();
    const client = make(transport, { cache: { noHitTtlMs: 60_000 } });
    await Promise.all([client.checkDocument(doc(1)), client.checkDocument(doc(2))]);
    const again = await client.checkDocument(doc(1));
    expect(again.servedFrom).toBe('cache');
    expect(itemsOf(transport)).toEqual([2]);
  });

  it('never lets a check started during a write share a request with one gathered before it', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const before = client.checkDocument(STOLEN);
    const report = client.reportDocument({ documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' });
    const during = client.checkDocument(STOLEN);
    await Promise.allSettled([before, report, during]);
    const checks = transport.requests.filter((r) => r.path === '/v1/checks');
    expect(checks.map((r) => bodyOf(r).items.length)).toEqual([1, 1]);
  });

  it('leaves checkMany with its own batches', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, subjects: [{ kind: 'document' as const, ...doc(i) }] }));
    for await (const row of client.checkMany(rows, { batchSize: 2, concurrency: 1 })) expect(row.error).toBeUndefined();
    expect(itemsOf(transport)).toEqual([2, 2, 1]);
  });

  it('refuses batching options it does not know or that are out of range, naming the option', () => {
    const cases: [unknown, string][] = [
      [{ maxItems: 0 }, 'createClient: option `batching.maxItems` must be an integer from 1 to 1000'],
      [{ maxItems: 1001 }, 'createClient: option `batching.maxItems` must be an integer from 1 to 1000'],
      [{ maxDelayMs: -1 }, 'createClient: option `batching.maxDelayMs` must be an integer from 0 to 1000'],
      [{ maxDelay: 5 }, 'createClient: option `batching.maxDelay` is not known'],
      [true, 'createClient: option `batching` must be an object or false'],
    ];
    for (const [batching, message] of cases) {
      expect(() => createClient({ transport: mockTransport(), context, batching: batching as never })).toThrow(new ConfigError(message));
    }
    expect(() => createClient({ transport: mockTransport(), context, batching: false })).not.toThrow();
  });

  it('batches over a real socket to the mock gateway', async () => {
    const gateway = await createMockGateway();
    gateways.push(gateway);
    const client = make(httpTransport({ baseUrl: gateway.url }));
    const results = await Promise.all([client.checkDocument(doc(1)), client.checkDocument(STOLEN)]);
    expect(gateway.requests.map((r) => bodyOf(r).items.length)).toEqual([2]);
    expect(results.map((r) => r.verdict)).toEqual(['NO_HIT', 'HIT']);
  });
});

describe('automatic batching, for any interleaving of calls', () => {
  const contexts: Partial<QueryContext>[] = [
    {},
    { operatorId: 'officer-0077' },
    { locationId: 'UTO-PORT-1' },
    { purpose: 'INVESTIGATION', authorityId: 'UTO-CUSTOMS' },
  ];
  const call = fc.record({ context: fc.nat({ max: contexts.length - 1 }), stolen: fc.boolean(), pause: fc.constantFrom('none', 'microtask', 'immediate') });
  // Bursts: many calls with few pauses, so a context gathers enough calls for its gathering to be split in two.
  const burstCall = fc.record({
    context: fc.nat({ max: 1 }),
    stolen: fc.boolean(),
    pause: fc.oneof({ arbitrary: fc.constant('none' as const), weight: 40 }, { arbitrary: fc.constantFrom('microtask' as const, 'immediate' as const), weight: 1 }),
  });

  it('keeps every request within one context, and gives every call the answer to its own subjects', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.array(call, { minLength: 1, maxLength: 30 }), fc.array(burstCall, { minLength: 64, maxLength: 150 })),
        fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(100)),
        async (calls, maxItems) => {
        const transport = mockTransport();
        const client = createClient({ transport, context, batching: { maxItems }, dedupe: false });
        try {
          const pending: Promise<{ hits: { document?: { documentNumber: string } }[]; verdict: string; requestId: string }>[] = [];
          for (const [i, c] of calls.entries()) {
            if (c.pause === 'microtask') await Promise.resolve();
            if (c.pause === 'immediate') await new Promise((resolve) => setImmediate(resolve));
            const subject = c.stolen ? STOLEN : doc(`${i}X${c.context}`);
            pending.push(client.checkDocument(subject, { context: contexts[c.context]! }) as never);
          }
          const results = await Promise.all(pending);
          const requestOf = new Map<string, { context: QueryContext; requestId: string }>();
          for (const request of transport.requests) {
            const body = bodyOf(request);
            // Rule 4: every request says who, for which authority and why.
            expect(body.context.authorityId && body.context.operatorId && body.context.purpose).toBeTruthy();
            expect(body.items.length).toBeLessThanOrEqual(maxItems);
            for (const item of body.items) {
              const n = item.subjects[0]!.documentNumber!;
              if (n !== STOLEN.documentNumber) requestOf.set(n, { context: body.context, requestId: request.headers['x-request-id']! });
            }
          }
          for (const [i, c] of calls.entries()) {
            const expected = { ...context, ...contexts[c.context] };
            const result = results[i]!;
            if (c.stolen) {
              expect(result.verdict).toBe('HIT');
              const carrier = transport.requests.find((r) => r.headers['x-request-id'] === result.requestId)!;
              expect(bodyOf(carrier).context).toEqual(expected);
              expect(bodyOf(carrier).items.some((item) => item.subjects[0]!.documentNumber === STOLEN.documentNumber)).toBe(true);
            } else {
              expect(result.verdict).toBe('NO_HIT');
              const carrier = requestOf.get(`N${i}X${c.context}`)!;
              expect(carrier.context).toEqual(expected);
              expect(result.requestId).toBe(carrier.requestId);
            }
          }
        } finally {
          await client.close();
        }
        },
      ),
      { numRuns: 60 },
    );
  });
});
