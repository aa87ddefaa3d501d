// What a result or an error says of the gateway's answer it came from (`response`): its status, the gateway's own id of
// it and a closed list of its headers, never its body. Gateway text (rule 2): each value kept only in a checked shape,
// never shortened; an odd header can never turn an answer, a HIT least of all, into an error (rule 1).
import { afterEach, describe, expect, it } from 'vitest';
import {
  GatewayError,
  RESPONSE_HEADERS,
  RateLimitError,
  createClient,
  httpTransport,
  type BorderlinkClient,
  type ClientOptions,
  type ResponseInfo,
  type Transport,
  type TransportRequest,
} from 'borderlink';
import { createGatewayHandler, createMockGateway, mockTransport, type MockGateway } from 'borderlink/testing';
import { startHostileGateway, type HostileGateway } from '../hostile/server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

function client(transport: Transport, extra: Partial<ClientOptions> = {}): BorderlinkClient {
  const c = createClient({ transport, context, retry: false, ...extra });
  closers.push(() => c.close());
  return c;
}

async function gateway(): Promise<MockGateway> {
  const g = await createMockGateway();
  closers.push(() => g.close());
  return g;
}

async function hostile(): Promise<HostileGateway> {
  const h = await startHostileGateway();
  closers.push(() => h.close());
  return h;
}

const mock = createGatewayHandler();

/** The mock gateway's answer to a check of the specimen: a HIT in SLTD, as a gateway writes it. */
async function hitBody(): Promise<string> {
  const items = [{ itemId: '1', subjects: [{ kind: 'document', ...specimen }], sources: ['SLTD', 'TDAWN'] }];
  return (await mock({ method: 'POST', path: '/v1/checks', headers: { 'x-request-id': 'probe' }, body: JSON.stringify({ context, items }) })).body;
}

describe('response on results', () => {
  it('gives a check its status, the gateway\'s own id and the selected headers, over real sockets', async () => {
    const g = await gateway();
    const c = client(httpTransport({ baseUrl: g.url }));
    const result = await c.checkDocument(specimen);
    expect(result.verdict).toBe('HIT');
    const response = result.response!;
    expect(Object.keys(response).sort()).toEqual(['gatewayRequestId', 'headers', 'status']);
    expect(response.status).toBe(200);
    expect(response.gatewayRequestId).toBe(result.gatewayRequestId);
    expect(response.headers['x-request-id']).toBe(result.requestId);
    expect(Date.parse(response.headers.date!)).not.toBeNaN();
    for (const name of Object.keys(response.headers)) expect(RESPONSE_HEADERS).toContain(name);
    expect(Object.isFrozen(response) && Object.isFrozen(response.headers)).toBe(true);
  });

  it('gives reports, withdrawals and records theirs: a replayed report says so in its headers', async () => {
    const g = await gateway();
    const c = client(httpTransport({ baseUrl: g.url }));
    const report = { documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } as const;
    const stored = await c.reportDocument(report, { idempotencyKey: 'key-of-report-0001' });
    expect(stored.response).toMatchObject({ status: 201 });
    const replayed = await c.reportDocument(report, { idempotencyKey: 'key-of-report-0001' });
    expect(replayed.response).toMatchObject({ status: 200, headers: { 'idempotent-replayed': 'true' } });
    const withdrawn = await c.withdrawReport({ recordId: stored.recordId, reason: 'RECOVERED' });
    expect(withdrawn.response).toMatchObject({ status: 200, gatewayRequestId: withdrawn.requestId });
    const record = await c.fetchRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0001' });
    expect(record.response).toMatchObject({ status: 200, gatewayRequestId: record.requestId });
  });

  it('gives every row of a batch the response of the request that carried it', async () => {
    const g = await gateway();
    const c = client(httpTransport({ baseUrl: g.url }));
    const rows = [];
    for await (const row of c.checkMany([{ id: 'a', subjects: [{ kind: 'document', ...specimen }] }, { id: 'b', subjects: [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }] }])) rows.push(row);
    expect(rows.map((r) => r.result?.response?.status)).toEqual([200, 200]);
    expect(rows[0]!.result!.response).toBe(rows[1]!.result!.response);
  });

  it('keeps the response a cached answer was stored from, as it keeps its gatewayRequestId', async () => {
    const c = client(mockTransport(), { cache: { hitTtlMs: 60_000 } });
    const first = await c.checkDocument(specimen);
    const cached = await c.checkDocument(specimen);
    expect(cached.servedFrom).toBe('cache');
    expect(cached.response).toEqual(first.response);
  });
});

describe('response on errors', () => {
  it('gives a GatewayError and a RateLimitError the answer they came from, neither enumerable nor in toJSON', async () => {
    const g = await gateway();
    const c = client(httpTransport({ baseUrl: g.url }));
    g.setFaults([{ type: 'status', status: 503, retryAfter: 2 }]);
    const unavailable = (await c.checkDocument(specimen).catch((e: unknown) => e)) as GatewayError;
    expect(unavailable).toBeInstanceOf(GatewayError);
    expect(unavailable.response).toMatchObject({ status: 503, headers: { 'retry-after': '2', 'x-request-id': unavailable.requestId } });
    expect(Object.keys(unavailable)).not.toContain('response');
    expect(JSON.stringify(unavailable)).not.toContain('retry-after');
    g.setFaults([{ type: 'status', status: 429, retryAfterMs: 250 }]);
    const limited = (await c.reportDocument({ ...specimen, status: 'LOST' }).catch((e: unknown) => e)) as RateLimitError;
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.response).toMatchObject({ status: 429, headers: { 'retry-after-ms': '250' } });
  });

  it('gives a ProtocolError of an unreadable 2xx body its response, and a connection failure none', async () => {
    const g = await gateway();
    const c = client(httpTransport({ baseUrl: g.url }));
    g.setFaults([{ type: 'malformed' }]);
    await expect(c.checkDocument(specimen)).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', response: { status: 200 } });
    g.setFaults([{ type: 'reset' }]);
    const reset = await c.checkDocument(specimen).catch((e: unknown) => e as { code: string; response: unknown });
    expect(reset).toMatchObject({ code: 'CONNECTION_FAILED' });
    expect(reset.response).toBeUndefined();
  });

  it('gives each batched call its own copy of the error, the response with it', async () => {
    const transport = mockTransport({ faults: [{ type: 'status', status: 500 }] });
    const c = client(transport, { batching: { maxItems: 10, maxDelayMs: 0 } });
    const errors = await Promise.all([c.checkDocument(specimen), c.checkDocument({ ...specimen, documentNumber: 'ZZ0000001' })].map((p) => p.catch((e: unknown) => e as GatewayError)));
    expect(errors[0]).not.toBe(errors[1]);
    expect(errors.map((e) => e.response?.status)).toEqual([500, 500]);
  });
});

describe('a hostile gateway\'s headers', () => {
  it('keeps a HIT a HIT over real sockets whatever its headers hold: odd ones left out, never shortened', async () => {
    const h = await hostile();
    const long = `dur=${'1'.repeat(600)}`;
    const body = await hitBody();
    const headers: [string, string][] = [
      ['content-type', 'application/json'],
      ['x-request-id', 'has spaces in it'],
      ['server-timing', long],
      ['date', 'Tue, 01 Dec 2026 08:00:00 GMT\u00e9'],
      ['retry-after', '\u00ff\u00fe'],
      ['ratelimit-remaining', '41'],
      ['ratelimit-remaining', '40'],
      ['x-not-selected', 'L898902C3'],
    ];
    h.answer(() => ({ status: 200, headers, body }));
    const c = client(httpTransport({ baseUrl: h.url }));
    const result = await c.checkDocument(specimen);
    expect(result.verdict).toBe('HIT');
    // A value of spaces and visible ASCII is kept as a header; as the gateway's id it would not be (nor is it: the body has one).
    expect(result.response).toEqual({ status: 200, gatewayRequestId: result.gatewayRequestId, headers: { 'x-request-id': 'has spaces in it', 'ratelimit-remaining': '41, 40' } });
  });

  it('takes the gateway\'s id from the check answer\'s body alone, and from x-request-id only by the same rule elsewhere', async () => {
    const h = await hostile();
    const c = client(httpTransport({ baseUrl: h.url }));
    const body = await hitBody();
    const unreadableId = JSON.stringify({ ...JSON.parse(body), requestId: 'has spaces' });
    h.answer(() => ({ status: 200, headers: [['content-type', 'application/json'], ['x-request-id', 'gw-header-id-1']], body: unreadableId }));
    const result = await c.checkDocument(specimen);
    expect(result.gatewayRequestId).toBeUndefined();
    expect(result.response!.gatewayRequestId).toBeUndefined();
    expect(result.response!.headers['x-request-id']).toBe('gw-header-id-1');
    h.answer(() => ({ status: 503, headers: [['content-type', 'application/json'], ['x-request-id', 'gw-header-id-2']], body: '{}' }));
    await expect(c.checkDocument(specimen)).rejects.toMatchObject({ response: { status: 503, gatewayRequestId: 'gw-header-id-2' } });
    h.answer(() => ({ status: 503, headers: [['content-type', 'application/json'], ['x-request-id', 'x'.repeat(129)]], body: '{}' }));
    const tooLong = await c.checkDocument(specimen).catch((e: unknown) => e as GatewayError);
    expect(tooLong.response!.gatewayRequestId).toBeUndefined();
    expect(tooLong.response!.headers['x-request-id']).toBe('x'.repeat(129));
  });

  it('keeps a HIT a HIT from a transport whose headers are not strings, throw when read, or are a Proxy that throws', async () => {
    const answer = await hitBody();
    const odd: Record<string, unknown>[] = [
      { date: 7, 'x-request-id': ['a', 'b'], 'retry-after': { toString: () => '1' } },
      Object.defineProperty({}, 'date', { get: () => { throw new Error('boom'); }, enumerable: true }),
      new Proxy({}, { get: () => { throw new Error('boom'); } }),
    ];
    for (const headers of odd) {
      const transport: Transport = {
        endpoint: 'odd://gateway',
        send: (_request: TransportRequest) => Promise.resolve({ status: 200, headers: headers as Record<string, string>, body: answer }),
        close: () => Promise.resolve(),
      };
      const result = await client(transport).checkDocument(specimen);
      expect(result.verdict).toBe('HIT');
      expect(result.response).toEqual({ status: 200, gatewayRequestId: result.gatewayRequestId, headers: {} } satisfies ResponseInfo);
    }
  });
});
