// The cache and the circuit breaker as a client user meets them.
import { afterEach, describe, expect, it } from 'vitest';
import { CircuitOpenError, createClient, type BorderlinkClient, type ClientOptions } from 'borderlink';
import { mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const clean = { ...specimen, documentNumber: 'ZZ0000001' };

let clients: BorderlinkClient[] = [];
function make(transport: MockTransport, extra: Partial<ClientOptions> = {}) {
  const client = createClient({ transport, context, ...extra });
  clients.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('the cache', () => {
  it('is off by default: every check goes to the gateway', async () => {
    const transport = mockTransport();
    const client = make(transport);
    await client.checkDocument(specimen);
    await client.checkDocument(specimen);
    expect(transport.requests).toHaveLength(2);
    expect(client.cache.size).toBe(0);
  });

  it('when on, answers a repeated complete check from the cache, saying so and keeping dataAsOf', async () => {
    const transport = mockTransport();
    const client = make(transport, { cache: { hitTtlMs: 60_000, noHitTtlMs: 60_000 } });
    const first = await client.checkDocument(clean);
    const second = await client.checkDocument(clean);
    expect(transport.requests).toHaveLength(1);
    expect(second).toMatchObject({ verdict: 'NO_HIT', servedFrom: 'cache', attempts: 0 });
    expect(second.outcomes).toEqual(first.outcomes);
    expect(second.outcomes[0]?.dataAsOf).toBeDefined();
    client.cache.clear();
    await client.checkDocument(clean);
    expect(transport.requests).toHaveLength(2);
  });

  it('serves a check whose own context equals the client’s from the same entry, and never another context’s', async () => {
    const transport = mockTransport();
    const client = make(transport, { cache: { hitTtlMs: 60_000, noHitTtlMs: 60_000 } });
    await client.checkDocument(clean);
    const same = await client.checkDocument(clean, { context: { operatorId: context.operatorId } });
    expect(same.servedFrom).toBe('cache');
    expect(transport.requests).toHaveLength(1);
    const other = await client.checkDocument(clean, { context: { operatorId: 'officer-0043' } });
    expect(other.servedFrom).toBe('network');
    expect(transport.requests).toHaveLength(2);
    expect((transport.requests[1]!.body as { context: { operatorId: string } }).context.operatorId).toBe('officer-0043');
    expect((await client.checkDocument(clean, { context: { operatorId: 'officer-0043' } })).servedFrom).toBe('cache');
    expect((await client.checkDocument(clean, { context: { purpose: 'INVESTIGATION' } })).servedFrom).toBe('network');
    expect(transport.requests).toHaveLength(3);
  });

  it('serves each cached check its own result over frozen parts: a caller cannot edit what the next caller is served', async () => {
    const transport = mockTransport();
    const client = make(transport, { cache: { hitTtlMs: 60_000, noHitTtlMs: 60_000 } });
    const network = await client.checkDocument(specimen);
    const first = await client.checkDocument(specimen);
    const second = await client.checkDocument(specimen);
    expect(transport.requests).toHaveLength(1);
    expect(first.verdict).toBe('HIT');
    expect(new Set([network.requestId, first.requestId, second.requestId]).size).toBe(3);
    expect(Object.isFrozen(first)).toBe(false);
    expect(Object.isFrozen(first.hits[0])).toBe(true);
    expect(() => {
      (first.hits[0]!.match as { score: number }).score = 0;
    }).toThrow(TypeError);
    first.hits.length = 0;
    first.outcomes.push({ source: 'NOMINAL', status: 'NO_HIT' });
    first.verdict = 'NO_HIT';
    const third = await client.checkDocument(specimen);
    expect(third.verdict).toBe('HIT');
    expect(third.hits).toEqual(network.hits);
    expect(third.outcomes).toEqual(network.outcomes);
    // The result the network path handed out is the caller's own: editing it changes nothing cached.
    network.hits[0]!.match.score = 0;
    expect((await client.checkDocument(specimen)).hits[0]?.match.score).toBe(third.hits[0]?.match.score);
    expect(third.hits[0]?.match.score).not.toBe(0);
  });

  it('never caches an INCOMPLETE answer or an error', async () => {
    const transport = mockTransport({ faults: [{ type: 'unavailable', sources: ['TDAWN'] }, { type: 'status', status: 403 }] });
    const client = make(transport, { cache: { hitTtlMs: 60_000, noHitTtlMs: 60_000 } });
    expect((await client.checkDocument(clean)).verdict).toBe('INCOMPLETE');
    await expect(client.checkDocument(clean)).rejects.toThrow();
    const third = await client.checkDocument(clean);
    expect(third).toMatchObject({ verdict: 'NO_HIT', servedFrom: 'network' });
    expect(transport.requests).toHaveLength(3);
  });

  it('does not serve a NO_HIT from the cache when only hits may be cached', async () => {
    const transport = mockTransport();
    const client = make(transport, { cache: { hitTtlMs: 60_000 } });
    await client.checkDocument(clean);
    await client.checkDocument(clean);
    await client.checkDocument(specimen);
    expect((await client.checkDocument(specimen)).servedFrom).toBe('cache');
    expect(transport.requests).toHaveLength(3);
  });
});

describe('the circuit breaker', () => {
  it('opens after a run of failed calls and then fails fast with CircuitOpenError, never a clear', async () => {
    const transport = mockTransport({ faults: { random: { rate: 1, faults: [{ type: 'status', status: 503 }] } } });
    const client = make(transport, { retry: false, breaker: { failureThreshold: 3, openMs: 60_000 } });
    for (let i = 0; i < 3; i++) await expect(client.checkDocument(clean)).rejects.toThrow(/unavailable/);
    const sent = transport.requests.length;
    const err = (await client.checkDocument(clean).catch((e: unknown) => e)) as CircuitOpenError;
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect(err.retryable).toBe(true);
    expect(err.retryAt).toBeGreaterThan(Date.now());
    expect(transport.requests).toHaveLength(sent);
  });

  it('lets a probe through after openMs and closes when it succeeds', async () => {
    const transport = mockTransport({ faults: [{ type: 'status', status: 503 }, { type: 'status', status: 503 }] });
    const events: string[] = [];
    const client = make(transport, { retry: false, breaker: { failureThreshold: 2, openMs: 50 } });
    client.on('breaker', (e) => events.push(e.state));
    await client.checkDocument(clean).catch(() => undefined);
    await client.checkDocument(clean).catch(() => undefined);
    await expect(client.checkDocument(clean)).rejects.toBeInstanceOf(CircuitOpenError);
    await new Promise((r) => setTimeout(r, 80));
    expect((await client.checkDocument(clean)).verdict).toBe('NO_HIT');
    expect(events).toEqual(['open', 'half-open', 'closed']);
  });
});
