// The in-flight table keys a check by its item's text under its context's text (resilience/dedupe.ts, scope): checks
// in flight at once share one request exactly when their context, subjects and sources are equal, whether the context
// is the client's own or given per call.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient } from 'borderlink';
import { mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const passport = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

function setup(): { client: BorderlinkClient; transport: MockTransport } {
  const transport = mockTransport({ latencyMs: 30 });
  const client = createClient({ transport, context });
  clients.push(client);
  return { client, transport };
}

const operatorsSent = (transport: MockTransport) => transport.requests.map((r) => (r.body as { context: { operatorId: string } }).context.operatorId);

describe('the in-flight table’s key', () => {
  it('shares one request between identical checks under the client’s context, and under an equal context given per call', async () => {
    const { client, transport } = setup();
    const results = await Promise.all([
      client.checkDocument(passport),
      client.checkDocument(passport),
      client.checkDocument(passport, { context: { ...context } }),
      client.checkDocument(passport, { context: { operatorId: context.operatorId } }),
    ]);
    expect(results.map((r) => r.verdict)).toEqual(['HIT', 'HIT', 'HIT', 'HIT']);
    expect(transport.requests).toHaveLength(1);
  });

  it('sends identical items under different contexts as requests of their own, each with its own context', async () => {
    const { client, transport } = setup();
    await Promise.all([
      client.checkDocument(passport),
      client.checkDocument(passport, { context: { operatorId: 'officer-0043' } }),
      client.checkDocument(passport, { context: { operatorId: 'officer-0043' } }),
      client.checkDocument(passport, { context: { locationId: 'LANE-4' } }),
    ]);
    expect(operatorsSent(transport).sort()).toEqual(['officer-0042', 'officer-0042', 'officer-0043']);
    expect(transport.requests.filter((r) => (r.body as { context: { locationId?: string } }).context.locationId === 'LANE-4')).toHaveLength(1);
  });

  it('sends checks that differ in sources or subject as requests of their own', async () => {
    const { client, transport } = setup();
    await Promise.all([
      client.checkDocument(passport),
      client.checkDocument(passport, { sources: ['SLTD'] }),
      client.checkDocument({ ...passport, documentNumber: 'L898902C4' }),
    ]);
    expect(transport.requests).toHaveLength(3);
  });
});
