// Rule 2 against telemetry, from a hostile gateway's side and a careless transport's: text shaped like one of our
// codes is still not ours. An error whose code the SDK never makes (a transport that passes a gateway's own code on,
// an invented one that is a document number or a surname in capitals), a gateway's own error code in its answer, a
// record's `actionToBeTaken` and an owner's answer: none reaches a span, an event or a metric.
import { afterEach, describe, expect, it } from 'vitest';
import { BorderlinkError, createClient, httpTransport, type Transport } from 'borderlink';
import { createMockGateway, mockTransport } from 'borderlink/testing';
import { points, spanData, telemetryHarness } from './fixtures';

const context = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE', locationId: 'UTO-LANE-07' } as const;
const noHit = { documentNumber: 'X1234567', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A transport in front of the mock gateway that fails the first `fail` attempts with what `failure` gives. */
function failingFirst(fail: number, failure: () => Promise<never> | Promise<Awaited<ReturnType<Transport['send']>>>): Transport {
  const inner = mockTransport();
  let sent = 0;
  return { endpoint: inner.endpoint, send: (request) => (++sent <= fail ? failure() : inner.send(request)), close: () => inner.close() };
}

async function exported(harness: ReturnType<typeof telemetryHarness>): Promise<string> {
  return JSON.stringify({ spans: harness.spans().map(spanData), metrics: await harness.metrics() });
}

describe('telemetry against foreign codes', () => {
  it('says _OTHER, never the code, for an error whose code the SDK does not make', async () => {
    // A transport that passes the gateway's own code on as the error's: one a document number, one a surname.
    for (const code of ['L898902C3', 'ERIKSSON']) {
      const harness = telemetryHarness();
      const client = createClient({
        transport: failingFirst(3, () => Promise.reject(new BorderlinkError(code, 'the gateway said no', true))),
        context,
        retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 },
        telemetry: harness.telemetry,
      });
      cleanups.push(() => harness.close(), () => client.close());
      await expect(client.checkDocument(noHit)).rejects.toMatchObject({ code });
      const call = harness.spans().map(spanData).find((s) => s.name === 'borderlink.check');
      expect(call?.attributes['error.type']).toBe('_OTHER');
      expect(call?.status).toEqual({ code: 2, message: '_OTHER' });
      expect(points(await harness.metrics(), 'borderlink.retries')).toEqual([expect.objectContaining({ value: 2, attributes: expect.objectContaining({ 'error.type': '_OTHER' }) })]);
      expect(await exported(harness)).not.toContain(code);
    }
  });

  it("keeps a gateway's own error code out: a 503 whose body names a code of the gateway's", async () => {
    const harness = telemetryHarness();
    const body = JSON.stringify({ error: { code: 'ZQINVENTEDCODE', message: 'maintenance for ERIKSSON' } });
    const client = createClient({
      transport: failingFirst(1, () => Promise.resolve({ status: 503, headers: { 'content-type': 'application/json' }, body })),
      context,
      retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 },
      telemetry: harness.telemetry,
    });
    cleanups.push(() => harness.close(), () => client.close());
    expect((await client.checkDocument(noHit)).verdict).toBe('NO_HIT');
    const text = await exported(harness);
    expect(text).toContain('"error.type":"503"');
    expect(text).not.toContain('ZQINVENTEDCODE');
    expect(text).not.toContain('ERIKSSON');
  });

  it("keeps a record's actionToBeTaken and an owner's answer out, though they have the shape of codes", async () => {
    const gateway = await createMockGateway({
      secondLine: { confirmation: { answer: 'CONFIRMED', afterMs: 0, instructions: 'ZQSEIZE_AND_HOLD', ownerReference: 'ZQOWNER_REF_1' } },
    });
    gateway.upsertRecord({
      source: 'SLTD',
      recordId: 'SLTD-ZQ-0001',
      documentNumber: 'QX123456',
      issuingState: 'UTO',
      documentType: 'PASSPORT',
      status: 'STOLEN',
      actionToBeTaken: 'ZQACTION_CODE',
      ownerCountry: 'UTO',
    });
    const harness = telemetryHarness();
    const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, telemetry: harness.telemetry });
    cleanups.push(() => gateway.close(), () => harness.close(), () => client.close());
    const result = await client.check({ subjects: [{ kind: 'document', documentNumber: 'QX123456', issuingState: 'UTO', documentType: 'PASSPORT' }], sources: ['SLTD'] });
    const hit = result.hits[0]!;
    expect((await client.fetchRecord(hit)).record.actionToBeTaken).toBe('ZQACTION_CODE');
    const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason: 'held' });
    await confirmation.refresh();
    const resumed = await client.resumeConfirmation(confirmation.confirmationId);
    expect(resumed.response).toMatchObject({ instructions: 'ZQSEIZE_AND_HOLD' });
    const text = await exported(harness);
    expect(text).toContain('borderlink.record');
    expect(text).not.toMatch(/ZQ|QX123456/);
  });
});
