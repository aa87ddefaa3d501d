// OpenTelemetry as an operations team reads it: a span per logical call with its verdict and each source's outcome, a
// child span per attempt under the HTTP client conventions, metrics, all from the client's own events (so they and the
// events cannot disagree); and a client without telemetry keeps its methods as they are.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type BorderlinkClient, type ClientEvent, type ClientOptions } from 'borderlink';
import { openTelemetry } from 'borderlink/telemetry';
import { createMockGateway, mockTransport, type MockGateway } from 'borderlink/testing';
import { AlwaysOffSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ConfigError } from 'borderlink';
import { loadApi } from '../../src/telemetry/load';
import { points, spanData, telemetryHarness } from './fixtures';

const context = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const noHit = { documentNumber: 'X1234567', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(options: Partial<ClientOptions> = {}) {
  const harness = telemetryHarness();
  const client = createClient({ transport: mockTransport(), context, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 }, ...options, telemetry: harness.telemetry });
  cleanups.push(() => harness.close(), () => client.close());
  return { harness, client };
}

async function gateway(): Promise<MockGateway> {
  const g = await createMockGateway();
  cleanups.push(() => g.close());
  return g;
}

describe('spans', () => {
  it('makes one span per check with its verdict and each source outcome, and a child span per attempt', async () => {
    const { harness, client } = setup();
    const result = await client.checkDocument(specimen);
    const spans = harness.spans().map(spanData);
    const call = spans.find((s) => s.name === 'borderlink.check')!;
    expect(call).toMatchObject({
      kind: 0,
      attributes: {
        'borderlink.call.kind': 'check',
        'borderlink.call.method': 'checkDocument',
        'borderlink.verdict': 'HIT',
        'borderlink.source.sltd.status': 'HIT',
        'borderlink.source.tdawn.status': 'NO_HIT',
        'borderlink.served_from': 'network',
        'borderlink.request_id': result.requestId,
        'borderlink.attempts': 1,
      },
    });
    const attempts = spans.filter((s) => s.parentSpanId === call.spanId);
    expect(attempts).toEqual([
      expect.objectContaining({
        name: 'POST /v1/checks',
        kind: 2,
        attributes: { 'http.request.method': 'POST', 'server.address': 'gateway', 'url.template': '/v1/checks', 'http.response.status_code': 200 },
      }),
    ]);
  });

  it('gives a retried attempt its status as error.type, and the next its resend count, over real sockets', async () => {
    const g = await gateway();
    g.setFaults([{ type: 'status', status: 503 }]);
    const { harness, client } = setup({ transport: httpTransport({ baseUrl: g.url }) });
    await client.checkDocument(noHit);
    const spans = harness.spans().map(spanData);
    const call = spans.find((s) => s.name === 'borderlink.check')!;
    const attempts = spans.filter((s) => s.parentSpanId === call.spanId);
    const port = Number(new URL(g.url).port);
    expect(attempts.map((a) => a.attributes)).toEqual([
      { 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'server.port': port, 'url.template': '/v1/checks', 'http.response.status_code': 503, 'error.type': '503' },
      { 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'server.port': port, 'url.template': '/v1/checks', 'http.response.status_code': 200, 'http.request.resend_count': 1 },
    ]);
    expect(attempts[0]?.status).toEqual({ code: 2, message: '503' });
    expect(call.attributes).toMatchObject({ 'borderlink.verdict': 'NO_HIT', 'borderlink.attempts': 2 });
  });

  it('ends the span of a failed call with its error code, and its last attempt with the same', async () => {
    const { harness, client } = setup({ transport: mockTransport({ faults: [{ type: 'reset' }, { type: 'reset' }, { type: 'reset' }] }) });
    await expect(client.checkDocument(noHit)).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
    const spans = harness.spans().map(spanData);
    const call = spans.find((s) => s.name === 'borderlink.check')!;
    expect(call.status).toEqual({ code: 2, message: 'CONNECTION_FAILED' });
    expect(call.attributes['error.type']).toBe('CONNECTION_FAILED');
    const attempts = spans.filter((s) => s.parentSpanId === call.spanId);
    expect(attempts.map((a) => [a.attributes['error.type'], a.attributes['http.request.resend_count']])).toEqual([
      ['CONNECTION_FAILED', undefined],
      ['CONNECTION_FAILED', 1],
      ['CONNECTION_FAILED', 2],
    ]);
  });

  it('makes one span for a batch, with its rows, and the attempts of its requests under it', async () => {
    const { harness, client } = setup();
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, subjects: [{ kind: 'document' as const, ...(i === 0 ? specimen : { ...noHit, documentNumber: `X123456${i}` }) }] }));
    const out = [];
    for await (const row of client.checkMany(rows, { batchSize: 2, concurrency: 2 })) out.push(row);
    expect(out).toHaveLength(5);
    const spans = harness.spans().map(spanData);
    const batch = spans.filter((s) => s.name === 'borderlink.batch');
    expect(batch).toHaveLength(1);
    expect(batch[0]?.attributes).toMatchObject({ 'borderlink.call.method': 'checkMany', 'borderlink.batch.rows': 5, 'borderlink.batch.errors': 0, 'borderlink.batch.verdict.hit': 1, 'borderlink.batch.verdict.no_hit': 4 });
    expect(spans.filter((s) => s.parentSpanId === batch[0]!.spanId && s.name === 'POST /v1/checks')).toHaveLength(3);
  });

  it('makes a report span with the write status, and a withdrawal path without the record id', async () => {
    const { harness, client } = setup();
    const stored = await client.reportDocument({ documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' });
    if (stored.status !== 'STORED') throw new Error('the mock gateway stores every report');
    await client.withdrawReport({ recordId: stored.recordId, reason: 'RECOVERED' });
    const spans = harness.spans().map(spanData);
    const reports = spans.filter((s) => s.name === 'borderlink.report');
    expect(reports.map((s) => [s.attributes['borderlink.call.method'], s.attributes['borderlink.write.status']])).toEqual([
      ['reportDocument', 'STORED'],
      ['withdrawReport', 'STORED'],
    ]);
    expect(spans.map((s) => s.name)).toContain('POST /v1/reports/documents/{recordId}/withdrawal');
    expect(JSON.stringify(spans)).not.toContain(stored.recordId);
  });

  it('puts the attempt of a request that carried two batched checks under one of their spans, once', async () => {
    const { harness, client } = setup({ batching: { maxItems: 10, maxDelayMs: 0 } });
    const results = await Promise.all([client.checkDocument(noHit), client.checkDocument({ ...noHit, documentNumber: 'X7654321' })]);
    expect(new Set(results.map((r) => r.requestId)).size).toBe(1);
    const spans = harness.spans().map(spanData);
    const calls = spans.filter((s) => s.name === 'borderlink.check');
    expect(calls).toHaveLength(2);
    // One request carried both: its attempt is under one of them, once.
    const attempts = spans.filter((s) => s.name === 'POST /v1/checks');
    expect(attempts).toHaveLength(1);
    expect(calls.map((c) => c.spanId)).toContain(attempts[0]!.parentSpanId);
  });
});

describe('metrics', () => {
  it('count call durations, outcomes by source and status, retries and HTTP durations from the same events the listeners get', async () => {
    const { harness, client } = setup({ transport: mockTransport({ faults: [{ type: 'status', status: 503 }, { type: 'status', status: 503 }] }) });
    const events: ClientEvent[] = [];
    for (const type of ['request', 'retry'] as const) client.on(type, (e) => events.push(e));
    await client.checkDocument(noHit);
    await client.checkDocument(specimen);
    const metrics = await harness.metrics();
    const retries = points(metrics, 'borderlink.retries');
    expect(retries.reduce((n, p) => n + p.value, 0)).toBe(events.filter((e) => e.type === 'retry').length);
    expect(retries[0]?.attributes).toEqual({ 'server.address': 'gateway', 'error.type': 'UPSTREAM_UNAVAILABLE' });
    expect(points(metrics, 'http.client.request.duration').reduce((n, p) => n + p.value, 0)).toBe(events.filter((e) => e.type === 'request').length);
    expect(points(metrics, 'borderlink.call.duration').map((p) => [p.attributes['borderlink.outcome'], p.value]).sort()).toEqual([
      ['HIT', 1],
      ['NO_HIT', 1],
    ]);
    const outcomes = Object.fromEntries(points(metrics, 'borderlink.source.outcomes').map((p) => [`${p.attributes['borderlink.source']} ${p.attributes['borderlink.source.status']}`, p.value]));
    expect(outcomes).toEqual({ 'SLTD NO_HIT': 1, 'TDAWN NO_HIT': 2, 'SLTD HIT': 1 });
  });

  it('bucket call durations in seconds, by the bounds the HTTP durations have', async () => {
    const { harness, client } = setup();
    await client.checkDocument(noHit);
    const metrics = (await harness.metrics()).scopeMetrics.flatMap((s) => s.metrics);
    const bounds = (name: string) => (metrics.find((m) => m.descriptor.name === name)?.dataPoints[0]?.value as { buckets: { boundaries: number[] } }).buckets.boundaries;
    // The SDK's own bounds (0, 5, 10, … 10000) are for milliseconds: every call in seconds would fall in the first.
    expect(bounds('borderlink.call.duration')).toEqual(bounds('http.client.request.duration'));
    expect(bounds('borderlink.call.duration')[0]).toBeLessThan(0.01);
  });

  it('give the breaker state of the gateway, 1 for the state it is in', async () => {
    const { harness, client } = setup({ transport: mockTransport({ faults: Array.from({ length: 20 }, () => ({ type: 'reset' as const })) }), retry: false, breaker: { failureThreshold: 2, openMs: 60_000 } });
    const state = async () =>
      Object.fromEntries(points(await harness.metrics(), 'borderlink.breaker.state').map((p) => [p.attributes['borderlink.breaker.state'], p.value]));
    expect(await state()).toEqual({ closed: 1, 'half-open': 0, open: 0 });
    for (let i = 0; i < 3; i++) await client.checkDocument(noHit).catch(() => undefined);
    expect(await state()).toEqual({ closed: 0, 'half-open': 0, open: 1 });
  });
});

describe('sampling', () => {
  it('makes no attempt spans for a call whose span is sampled out, and still counts it in the metrics', async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const harness = telemetryHarness();
    const client = createClient({ transport: mockTransport(), context, telemetry: openTelemetry({ tracerProvider, meterProvider: harness.meterProvider }) });
    cleanups.push(() => harness.close(), () => client.close(), () => tracerProvider.shutdown());
    await client.checkDocument(specimen);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(points(await harness.metrics(), 'borderlink.call.duration').map((p) => p.value)).toEqual([1]);
  });
});

describe('the optional peer', () => {
  it('says what to install when @opentelemetry/api is missing, and refuses a module that is not it', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadApi(missing)).toThrow(
      new ConfigError('openTelemetry: telemetry needs @opentelemetry/api, an optional peer dependency of borderlink: npm install @opentelemetry/api@1'),
    );
    expect(() => loadApi(() => ({ trace: {} }))).toThrow(/is not the OpenTelemetry API 1.x this needs/);
  });
});

describe('a client with telemetry', () => {
  it('refuses an observer that is not one, naming the option', () => {
    expect(() => createClient({ transport: mockTransport(), context, telemetry: {} as never })).toThrow(/createClient: option `telemetry` must be a ClientObserver/);
    expect(() => openTelemetry({ tracerProvider: {} as never })).toThrow(/openTelemetry: option `tracerProvider` must be an OpenTelemetry provider/);
    expect(() => openTelemetry({ sampler: 1 } as never)).toThrow(/openTelemetry: option `sampler` is not known/);
  });

  it('answers as before when the observer throws at every turn', async () => {
    const client: BorderlinkClient = createClient({
      transport: mockTransport(),
      context,
      telemetry: {
        attach: () => ({
          events: ['request'],
          event: () => {
            throw new Error('event');
          },
          call: () => ({
            run: () => {
              throw new Error('run');
            },
            answer: () => {
              throw new Error('answer');
            },
            end: () => {
              throw new Error('end');
            },
          }),
        }),
      },
    });
    cleanups.push(() => client.close());
    expect((await client.checkDocument(specimen)).verdict).toBe('HIT');
    await expect(client.checkDocument({ ...specimen, documentNumber: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const rows = [];
    for await (const row of client.checkMany([{ id: 'a', subjects: [{ kind: 'document', ...specimen }] }])) rows.push(row);
    expect(rows[0]?.result?.verdict).toBe('HIT');
  });

  it('keeps the class methods of a client without telemetry', () => {
    const client = createClient({ transport: mockTransport(), context });
    cleanups.push(() => client.close());
    expect(Object.hasOwn(client, 'checkDocument')).toBe(false);
    const observed = createClient({ transport: mockTransport(), context, telemetry: { attach: () => ({ call: () => undefined }) } });
    cleanups.push(() => observed.close());
    expect(Object.hasOwn(observed, 'checkDocument')).toBe(true);
  });
});
