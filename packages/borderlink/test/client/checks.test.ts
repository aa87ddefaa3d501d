import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, InputError, createClient, isClear, type BorderlinkClient, type ClientOptions } from 'borderlink';
import { mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let clients: BorderlinkClient[] = [];
function make(transport: MockTransport = mockTransport(), extra: Partial<ClientOptions> = {}) {
  const client = createClient({ transport, context, ...extra });
  clients.push(client);
  return { client, transport };
}
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('checks against the demo dataset', () => {
  it('finds the specimen passport as a stolen blank: HIT', async () => {
    const { client } = make();
    const result = await client.checkDocument(specimen);
    expect(result.verdict).toBe('HIT');
    expect(result.hits[0]).toMatchObject({ kind: 'document', source: 'SLTD', document: { status: 'STOLEN_BLANK' } });
    expect(result.outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN']);
    expect(result).toMatchObject({ servedFrom: 'network', attempts: 1 });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(isClear(result)).toBe(false);
  });

  it('answers NO_HIT for a document in no source', async () => {
    const { client } = make();
    const result = await client.checkDocument({ ...specimen, documentNumber: 'ZZ0000001' });
    expect(result.verdict).toBe('NO_HIT');
    expect(result.hits).toEqual([]);
    expect(result.outcomes.every((o) => o.status === 'NO_HIT' && typeof o.dataAsOf === 'string')).toBe(true);
    expect(isClear(result)).toBe(true);
  });

  it('answers POSSIBLE_HIT for a near-miss spelling of a wanted person', async () => {
    const { client } = make();
    const result = await client.checkPerson({ surname: 'STORGARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22' });
    expect(result.verdict).toBe('POSSIBLE_HIT');
    expect(result.hits[0]).toMatchObject({ kind: 'person', match: { method: 'FUZZY' }, notice: { type: 'RED' } });
  });

  it('finds a stolen vehicle by VIN and by plate', async () => {
    const { client } = make();
    expect((await client.checkVehicle({ vin: 'WVWZZZ1JZXW000001' })).verdict).toBe('HIT');
    const byPlate = await client.checkVehicle({ plate: 'AB 123 CD', registrationCountry: 'UTO' });
    expect(byPlate.verdict).toBe('HIT');
    expect(byPlate.hits[0]?.kind).toBe('vehicle');
  });

  it('is INCOMPLETE, never clear, when a source is unavailable', async () => {
    const { client } = make(mockTransport({ faults: [{ type: 'unavailable', sources: ['TDAWN'] }] }));
    const result = await client.checkDocument({ ...specimen, documentNumber: 'ZZ0000001' });
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.outcomes).toContainEqual(expect.objectContaining({ source: 'TDAWN', status: 'UNAVAILABLE' }));
  });

  it('is INCOMPLETE when the gateway leaves a requested source out', async () => {
    const { client } = make(mockTransport({ faults: [{ type: 'missing-outcome', sources: ['SLTD'] }] }));
    const result = await client.checkDocument({ ...specimen, documentNumber: 'ZZ0000001' });
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.outcomes).toContainEqual({ source: 'SLTD', status: 'ERROR' });
  });

  it('checks several subjects in one request with the sources asked', async () => {
    const { client, transport } = make();
    const result = await client.check({
      subjects: [
        { kind: 'document', ...specimen },
        { kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12' },
      ],
      sources: ['SLTD', 'NOMINAL'],
    });
    expect(result.verdict).toBe('HIT');
    expect(result.outcomes.map((o) => o.source)).toEqual(['SLTD', 'NOMINAL']);
    expect(new Set(result.hits.map((h) => h.kind))).toEqual(new Set(['document', 'person']));
    expect(transport.requests).toHaveLength(1);
    expect((transport.requests[0]?.body as { items: { sources: string[] }[] }).items[0]?.sources).toEqual(['SLTD', 'NOMINAL']);
  });

  it('takes sources from the call options', async () => {
    const { client } = make();
    const result = await client.checkDocument(specimen, { sources: ['TDAWN'] });
    expect(result.outcomes.map((o) => o.source)).toEqual(['TDAWN']);
    expect(result.verdict).toBe('NO_HIT');
  });
});

describe('who, for which authority and why', () => {
  it('sends nothing without an operator, authority and purpose', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context: { authorityId: 'UTO-POLICE' } });
    clients.push(client);
    const err = await client.checkDocument(specimen).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues.map((i) => i.path)).toEqual(['context.operatorId', 'context.purpose']);
    expect(transport.requests).toHaveLength(0);
  });

  it('merges the call context over the client context and sends it', async () => {
    const { client, transport } = make();
    await client.checkDocument(specimen, { context: { operatorId: 'officer-0077', locationId: 'UTO-AIRPORT' } });
    expect(transport.requests[0]?.body).toMatchObject({
      context: { authorityId: 'UTO-POLICE', operatorId: 'officer-0077', purpose: 'BORDER_CHECK', locationId: 'UTO-AIRPORT' },
    });
  });

  it('sends a request id, user agent and JSON content type', async () => {
    const { client, transport } = make();
    await client.checkDocument(specimen);
    const headers = transport.requests[0]?.headers ?? {};
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['user-agent']).toMatch(/^borderlink\/\d+\.\d+\.\d+/);
    expect(headers['content-type']).toBe('application/json');
  });
});

describe('options', () => {
  it('refuses unknown client options by name', () => {
    expect(() => createClient({ transport: mockTransport(), context, retries: 3 } as never)).toThrow(ConfigError);
    expect(() => createClient({ transport: mockTransport(), context, retries: 3 } as never)).toThrow(/retries/);
  });

  it('refuses a missing transport or context', () => {
    expect(() => createClient({ context } as never)).toThrow(/transport/);
    expect(() => createClient({ transport: mockTransport() } as never)).toThrow(/context/);
    expect(() => createClient({ transport: mockTransport(), context: { badge: 1 } } as never)).toThrow(/context.badge/);
  });

  it('refuses unknown call options', async () => {
    const { client } = make();
    await expect(client.checkDocument(specimen, { retries: 1 } as never)).rejects.toThrow(ConfigError);
  });

  it('rejects calls after close', async () => {
    const { client } = make();
    await client.close();
    await expect(client.checkDocument(specimen)).rejects.toThrow(/closed/);
  });

  it('refuses invalid input before sending, naming the field', async () => {
    const { client, transport } = make();
    const err = (await client.checkDocument({ ...specimen, issuingState: 'UTOPIA' }).catch((e: unknown) => e)) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.issues[0]?.path).toBe('issuingState');
    expect(transport.requests).toHaveLength(0);
  });
});

describe('per-call timing', () => {
  it('gives one stalled attempt only attemptTimeoutMs, leaving time for a second attempt', async () => {
    const transport = mockTransport({ faults: [{ type: 'delay', ms: 5_000 }] });
    const client = createClient({ transport, context, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } });
    clients.push(client);
    const result = await client.checkDocument(specimen, { timeoutMs: 2_000, attemptTimeoutMs: 200 });
    expect(result.verdict).toBe('HIT');
    expect(result.attempts).toBe(2);
  });

  it('refuses a per-call timeout that is not a positive number, naming it', async () => {
    const { client } = make();
    await expect(client.checkDocument(specimen, { timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
    await expect(client.checkDocument(specimen, { attemptTimeoutMs: Number.NaN })).rejects.toThrow(/attemptTimeoutMs/);
  });
});

describe('de-duplication of identical checks in flight', () => {
  it('sends one request for the same query written with other key order and case, each caller its own result', async () => {
    const { client, transport } = make(mockTransport({ latencyMs: 30 }));
    const [a, b] = await Promise.all([
      client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' }),
      client.checkDocument({ documentType: 'PASSPORT', issuingState: 'uto', documentNumber: 'l898902c3' }),
    ]);
    expect(transport.requests).toHaveLength(1);
    expect(a.verdict).toBe('HIT');
    expect({ ...b, durationMs: 0 }).toEqual({ ...a, durationMs: 0 });
    expect(b).not.toBe(a);
    a.hits.length = 0;
    expect(b.hits).toHaveLength(1);
  });

  it('does not share a request between different operators', async () => {
    const { client, transport } = make(mockTransport({ latencyMs: 30 }));
    await Promise.all([
      client.checkDocument(specimen),
      client.checkDocument(specimen, { context: { operatorId: 'officer-0077' } }),
    ]);
    expect(transport.requests).toHaveLength(2);
  });
});

describe('one signal shared by many calls', () => {
  it('adds one abort listener to it however many calls wait, removes it after, and aborts them all', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const { client } = make(mockTransport({ latencyMs: 20 }));
      const shared = new AbortController();
      const calls = Array.from({ length: 50 }, (_, i) =>
        client.checkDocument({ ...specimen, documentNumber: `S${i}` }, { signal: shared.signal }),
      );
      expect(getEventListeners(shared.signal, 'abort').length).toBeLessThanOrEqual(1);
      await Promise.all(calls);
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);

      const pending = Array.from({ length: 50 }, (_, i) =>
        client.checkDocument({ ...specimen, documentNumber: `T${i}` }, { signal: shared.signal }).catch((e: unknown) => e),
      );
      shared.abort();
      const results = await Promise.all(pending);
      expect(results.every((r) => (r as Error).name === 'AbortError')).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
