// The second line in telemetry: a span per full-record read and per confirmation call, with what the call answered
// from closed tables (the record's source, the confirmation's state, priority and request number), and attempt spans
// named by protocol v1's path templates, never by the ids the gateway gave (record, hit and confirmation ids).
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, context as otelContext, type Context, type ContextManager } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type BorderlinkClient, type Hit } from 'borderlink';
import { createMockGateway, type MockGateway } from 'borderlink/testing';
import { points, spanData, telemetryHarness } from './fixtures';

const context = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE', locationId: 'UTO-LANE-07' } as const;
const specimen = { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const reason = 'Holder held at second line, lane 7';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ harness: ReturnType<typeof telemetryHarness>; client: BorderlinkClient; gateway: MockGateway; hit: Hit }> {
  const gateway = await createMockGateway({ secondLine: { confirmation: { answer: 'NEVER' } } });
  const harness = telemetryHarness();
  const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, telemetry: harness.telemetry });
  cleanups.push(() => gateway.close(), () => harness.close(), () => client.close());
  const result = await client.check({ subjects: [specimen], sources: ['SLTD'] });
  const hit = result.hits.find((h) => h.source === 'SLTD');
  if (hit === undefined) throw new Error('the demo dataset has an SLTD hit for the specimen');
  return { harness, client, gateway, hit };
}

describe('spans of the second line', () => {
  it('makes a record span for fetchRecord with its source, and its attempt named by the path template', async () => {
    const { harness, client, hit } = await setup();
    const read = await client.fetchRecord(hit);
    const spans = harness.spans().map(spanData);
    const call = spans.find((s) => s.name === 'borderlink.record');
    expect(call?.attributes).toEqual({
      'borderlink.call.kind': 'record',
      'borderlink.call.method': 'fetchRecord',
      'borderlink.record.source': 'SLTD',
      'borderlink.request_id': read.requestId,
      'borderlink.attempts': 1,
      'borderlink.warnings': 0,
    });
    const attempts = spans.filter((s) => s.parentSpanId === call!.spanId);
    expect(attempts.map((a) => [a.name, a.attributes['url.template'], a.attributes['http.response.status_code']])).toEqual([
      ['GET /v1/records/{source}/{recordId}', '/v1/records/{source}/{recordId}', 200],
    ]);
    expect(JSON.stringify(spans)).not.toContain(hit.recordId);
  });

  it('ends a record span refused for its purpose with the error code', async () => {
    const { harness, client, hit } = await setup();
    await expect(client.fetchRecord(hit, { context: { purpose: 'BORDER_CHECK' } })).rejects.toMatchObject({ code: 'PURPOSE_NOT_ALLOWED' });
    const call = harness.spans().map(spanData).find((s) => s.name === 'borderlink.record');
    expect(call?.status).toEqual({ code: 2, message: 'PURPOSE_NOT_ALLOWED' });
    expect(call?.attributes['error.type']).toBe('PURPOSE_NOT_ALLOWED');
  });

  it('makes a confirmation span for requestConfirmation and resumeConfirmation, with state, priority and request number, never the ids', async () => {
    const { harness, client, hit } = await setup();
    const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason });
    const resumed = await client.resumeConfirmation(confirmation.confirmationId);
    expect(resumed.state).toBe('PENDING');
    const spans = harness.spans().map(spanData);
    const calls = spans.filter((s) => s.name === 'borderlink.confirmation');
    expect(calls.map((c) => c.attributes)).toEqual([
      {
        'borderlink.call.kind': 'confirmation',
        'borderlink.call.method': 'requestConfirmation',
        'borderlink.confirmation.state': 'PENDING',
        'borderlink.confirmation.priority': 'URGENT',
        'borderlink.confirmation.attempt': 1,
        'borderlink.warnings': 0,
      },
      {
        'borderlink.call.kind': 'confirmation',
        'borderlink.call.method': 'resumeConfirmation',
        'borderlink.confirmation.state': 'PENDING',
        'borderlink.confirmation.priority': 'URGENT',
        'borderlink.confirmation.attempt': 1,
        'borderlink.warnings': 0,
      },
    ]);
    const under = (call: (typeof calls)[number]) => spans.filter((s) => s.parentSpanId === call.spanId).map((s) => s.name);
    expect(under(calls[0]!)).toEqual(['POST /v1/hits/{hitId}/confirmation-requests']);
    expect(under(calls[1]!)).toEqual(['GET /v1/confirmation-requests/{confirmationId}']);
    const exported = JSON.stringify({ spans, metrics: await harness.metrics() });
    for (const text of [hit.hitId, confirmation.confirmationId, reason, 'lane 7']) expect(exported).not.toContain(text);
    const durations = points(await harness.metrics(), 'borderlink.call.duration').map((p) => [p.attributes['borderlink.call.method'], p.attributes['borderlink.outcome']]);
    expect(durations).toEqual(expect.arrayContaining([['requestConfirmation', 'PENDING'], ['resumeConfirmation', 'PENDING']]));
  });
});

/** The context manager an application registers for tracing across awaits (as the SDK's async-hooks one does). */
class AsyncContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    return typeof target === 'function' ? ((...args: unknown[]) => this.with(ctx, target as (...a: unknown[]) => unknown, undefined, ...args)) as T : target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

describe('spans of a confirmation handle', () => {
  it('calls a handle method on the `this` it is given, as without telemetry', async () => {
    const { client, hit } = await setup();
    const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason });
    await expect(Promise.resolve().then(() => confirmation.refresh.call({} as never))).rejects.toBeInstanceOf(TypeError);
    expect(await confirmation.refresh()).toBe('PENDING');
  });

  it('makes a confirmation span for refresh() and wait(), with the state or the error, and their looks under them', async () => {
    otelContext.setGlobalContextManager(new AsyncContextManager());
    cleanups.push(async () => otelContext.disable());
    const { harness, client, hit } = await setup();
    const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason });
    expect(await confirmation.refresh()).toBe('PENDING');
    await expect(confirmation.wait({ signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ code: 'ABORTED' });
    const spans = harness.spans().map(spanData);
    const calls = spans.filter((s) => s.name === 'borderlink.confirmation');
    expect(calls.map((c) => c.attributes['borderlink.call.method'])).toEqual(['requestConfirmation', 'confirmation.refresh', 'confirmation.wait']);
    const [, refresh, wait] = calls;
    expect(refresh!.attributes).toEqual({ 'borderlink.call.kind': 'confirmation', 'borderlink.call.method': 'confirmation.refresh', 'borderlink.confirmation.state': 'PENDING' });
    expect(wait!.status).toEqual({ code: 2, message: 'ABORTED' });
    // The look refresh() made is its own attempt span, though it was sent after an await.
    expect(spans.filter((s) => s.parentSpanId === refresh!.spanId).map((s) => s.name)).toEqual(['GET /v1/confirmation-requests/{confirmationId}']);
    const exported = JSON.stringify({ spans, metrics: await harness.metrics() });
    for (const text of [hit.hitId, confirmation.confirmationId, reason]) expect(exported).not.toContain(text);
    const durations = points(await harness.metrics(), 'borderlink.call.duration').map((p) => [p.attributes['borderlink.call.method'], p.attributes['borderlink.outcome']]);
    expect(durations).toEqual(expect.arrayContaining([['confirmation.refresh', 'PENDING'], ['confirmation.wait', 'ABORTED']]));
  });
});
