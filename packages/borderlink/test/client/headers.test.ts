// Per-call headers (a trace id, a case reference): sent with every request of every call, over real sockets, on every
// attempt; refused, naming the header and never its value, when they would override a header the SDK owns or could
// not go on the wire as given; and never in a log line, an event or an audit event (rule 2).
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  OWNED_HEADERS,
  createClient,
  httpTransport,
  type AuditEvent,
  type BorderlinkClient,
  type ClientEvent,
  type ClientOptions,
} from 'borderlink';
import { createMockGateway, mockTransport, type MockGateway } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE', locationId: 'UTO-LANE-07' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const SPECIMEN_MRZ = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TRACE = 'trace-PLNTHDRVALUE-77';

let closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function gateway(): Promise<MockGateway> {
  const g = await createMockGateway();
  closers.push(() => g.close());
  return g;
}

function client(g: MockGateway, extra: Partial<ClientOptions> = {}): BorderlinkClient {
  const c = createClient({ transport: httpTransport({ baseUrl: g.url }), context, retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 }, ...extra });
  closers.push(() => c.close());
  return c;
}

/** The value of `name` on every request the gateway received since `from`, one per request. */
function seen(g: MockGateway, name: string, from = 0): (string | undefined)[] {
  return g.requests.slice(from).map((r) => r.headers[name]);
}

describe('per-call headers over real sockets', () => {
  it('sends a call\'s headers with the request of every kind of call: checks, MRZ, batches, writes, records, confirmations', async () => {
    const g = await gateway();
    const c = client(g);
    const headers = { 'X-Case-Reference': TRACE };
    const hit = await c.checkDocument(specimen, { headers });
    await c.check({ subjects: [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }] }, { headers });
    await c.checkMrz(SPECIMEN_MRZ, { headers });
    for await (const row of c.checkMany([{ id: 'a', subjects: [{ kind: 'document', ...specimen }] }], { headers })) expect(row.error).toBeUndefined();
    for await (const row of c.checkManyMrz([{ id: 'm', mrz: SPECIMEN_MRZ }], { headers })) expect(row.error).toBeUndefined();
    const report = await c.reportDocument({ documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' }, { headers });
    await c.withdrawReport({ recordId: report.recordId, reason: 'RECOVERED' }, { headers });
    await c.fetchRecord(hit.hits[0]!, { headers });
    const confirmation = await c.requestConfirmation(hit.hits[0]!, { priority: 'URGENT', reason: 'Held at lane 7' }, { headers });
    await confirmation.refresh();
    await c.resumeConfirmation(confirmation.confirmationId, { headers });
    expect(g.requests).toHaveLength(11);
    expect(seen(g, 'x-case-reference')).toEqual(new Array(11).fill(TRACE));
  });

  it('sends them on every attempt of a call that is retried, with the same x-request-id', async () => {
    const g = await gateway();
    const c = client(g);
    g.setFaults([{ type: 'status', status: 503 }, { type: 'status', status: 503 }, { type: 'none' }]);
    await c.checkDocument(specimen, { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    expect(g.requests).toHaveLength(3);
    expect(new Set(seen(g, 'traceparent'))).toEqual(new Set(['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']));
    expect(new Set(seen(g, 'x-request-id')).size).toBe(1);
  });

  it('lays a call\'s headers over the client\'s (withOptions), the call winning, and sends no header of another call', async () => {
    const g = await gateway();
    const c = client(g);
    const traced = c.withOptions({ headers: { 'x-trace-id': 'client-trace', 'x-desk': 'D7' } });
    await traced.checkDocument(specimen, { headers: { 'X-Trace-Id': 'call-trace' } });
    await traced.checkDocument(specimen);
    await c.checkDocument(specimen);
    expect(seen(g, 'x-trace-id')).toEqual(['call-trace', 'client-trace', undefined]);
    expect(seen(g, 'x-desk')).toEqual(['D7', 'D7', undefined]);
  });

  it('leaves the SDK\'s own headers as they are: the context still says who asks, the request id is the client\'s', async () => {
    const g = await gateway();
    const c = client(g);
    const result = await c.fetchRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0001' }, { headers: { 'x-case-reference': TRACE } });
    const [request] = g.requests;
    expect(request!.headers).toMatchObject({ 'x-operator-id': 'officer-0042', 'x-purpose': 'SECOND_LINE', 'x-request-id': result.requestId, 'x-case-reference': TRACE });
  });

  it('is recorded by the mock transport', async () => {
    const transport = mockTransport();
    const c = createClient({ transport, context });
    closers.push(() => c.close());
    await c.checkDocument(specimen, { headers: { 'x-case-reference': TRACE } });
    expect(transport.requests[0]!.headers['x-case-reference']).toBe(TRACE);
  });
});

describe('headers the SDK owns, or that cannot go on the wire, are refused before anything is sent', () => {
  it('refuses every header the SDK owns, in any case of letters, naming it', async () => {
    const transport = mockTransport();
    const c = createClient({ transport, context });
    closers.push(() => c.close());
    expect(OWNED_HEADERS).toEqual(expect.arrayContaining(['authorization', 'x-request-id', 'idempotency-key', 'content-type', 'user-agent', 'x-operator-id', 'x-purpose', 'host', 'content-length', 'transfer-encoding', 'connection']));
    for (const name of OWNED_HEADERS) {
      for (const spelt of [name, name.toUpperCase(), name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase())]) {
        const err = await c.checkDocument(specimen, { headers: { [spelt]: 'x' } }).catch((e: unknown) => e);
        expect(err, spelt).toBeInstanceOf(ConfigError);
        expect((err as Error).message, spelt).toContain(`option \`headers.${name}\``);
        expect(() => c.withOptions({ headers: { [spelt]: 'x' } }), spelt).toThrow(`option \`headers.${name}\``);
      }
    }
    await expect(c.reportDocument({ ...specimen, status: 'LOST' }, { headers: { 'Idempotency-Key': 'mine-0001' } })).rejects.toThrow(/idempotencyKey/);
    expect(transport.requests).toHaveLength(0);
  });

  it('refuses a value with CR, LF or another control character, naming the header and never the value', async () => {
    const transport = mockTransport();
    const c = createClient({ transport, context });
    closers.push(() => c.close());
    for (const value of ['PLNTVAL1\r\nx-evil: 1', 'PLNTVAL2\n', 'PLNTVAL3\u0000', '\u001b[2JPLNTVAL4', 'PLNTVAL5\u00e9', ' PLNTVAL6', 'PLNTVAL7 ', '', 'P'.repeat(4097)]) {
      const err = await c.checkDocument(specimen, { headers: { 'x-case-reference': value } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      const text = `${(err as Error).message} ${JSON.stringify(err)}`;
      expect(text).toContain('option `headers.x-case-reference`');
      expect(text).not.toMatch(/PLNTVAL|evil|PPPP/);
    }
    for (const value of [7, null, ['a'], { a: 1 }]) {
      await expect(c.checkDocument(specimen, { headers: { 'x-case-reference': value as never } })).rejects.toThrow('option `headers.x-case-reference`');
    }
    expect(transport.requests).toHaveLength(0);
  });

  it('does not repeat a name that is no header name, and refuses one given twice in two cases', async () => {
    const c = createClient({ transport: mockTransport(), context });
    closers.push(() => c.close());
    const bad = (await c.checkDocument(specimen, { headers: { 'L898902C3 ERIKSSON': 'x' } }).catch((e: unknown) => e)) as Error;
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad.message).toBe('checkDocument: option `headers` holds a name that is not a valid header name');
    await expect(c.checkDocument(specimen, { headers: { 'X-Trace': 'a', 'x-trace': 'b' } })).rejects.toThrow('option `headers.x-trace` is given twice');
    await expect(c.checkDocument(specimen, { headers: 'x-trace: a' as never })).rejects.toThrow('option `headers` must be an object');
    await expect(c.checkDocument(specimen, { headers: new Map([['x-trace', 'a']]) as never })).rejects.toThrow('option `headers` must be a plain object');
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`x-h${i}`, 'v']));
    await expect(c.checkDocument(specimen, { headers: many })).rejects.toThrow('may hold at most 32 headers');
  });

  it('sends any value it accepts exactly as given, and names only the header of any it refuses (property)', async () => {
    const transport = mockTransport();
    const c = createClient({ transport, context, retry: false });
    closers.push(() => c.close());
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40, unit: 'binary' }), async (value) => {
        const planted = `PLNT${value}`;
        const before = transport.requests.length;
        const outcome = await c.checkDocument(specimen, { headers: { 'x-case-reference': planted } }).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        if (outcome === undefined) {
          expect(transport.requests[before]!.headers['x-case-reference']).toBe(planted);
          expect(planted).toMatch(/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/);
        } else {
          expect(outcome).toBeInstanceOf(ConfigError);
          expect(outcome.message).toContain('`headers.x-case-reference`');
          expect(outcome.message).not.toContain('PLNT');
          expect(transport.requests.length).toBe(before);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('header values are the integrator\'s', () => {
  it('puts no header value, and no header name, in a log line, an event or an audit event', async () => {
    const g = await gateway();
    const lines: string[] = [];
    const sink = (m: string, f?: Record<string, unknown>) => void lines.push(`${m} ${JSON.stringify(f ?? {})}`);
    const audits: AuditEvent[] = [];
    const events: ClientEvent[] = [];
    const c = client(g, { logLevel: 'debug', logger: { error: sink, warn: sink, info: sink, debug: sink }, onAudit: (e) => audits.push(e) });
    for (const type of ['request', 'response', 'retry'] as const) c.on(type, (e) => events.push(e));
    g.setFaults([{ type: 'status', status: 503 }, { type: 'none' }]);
    const headers = { 'x-plnthdrname': TRACE };
    const hit = await c.checkDocument(specimen, { headers });
    await c.fetchRecord(hit.hits[0]!, { headers });
    g.setFaults([{ type: 'status', status: 400 }]);
    await expect(c.checkDocument(specimen, { headers })).rejects.toThrow();
    const text = [...lines, ...audits.map((a) => JSON.stringify(a)), ...events.map((e) => JSON.stringify(e))].join('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(text).not.toContain('PLNTHDRVALUE');
    expect(text).not.toContain('plnthdrname');
  });
});
