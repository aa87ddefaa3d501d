// Rule 1 and the cache: a NO_HIT the client cached must not be served after this client reported the document
// lost or stolen; the gateway would now answer HIT.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient } from 'borderlink';
import type { Transport, TransportRequest, TransportResponse } from 'borderlink';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

/** A gateway whose SLTD holds the document once it has been reported. */
function gateway(): Transport & { checks: number } {
  let reported = false;
  const t = {
    endpoint: 'test://reports',
    checks: 0,
    send(request: TransportRequest): Promise<TransportResponse> {
      if (request.path === '/v1/reports/documents') {
        reported = true;
        return Promise.resolve({ status: 201, headers: {}, body: JSON.stringify({ recordId: 'SLTD-UTO-R1', createdAt: '2026-01-01T00:00:00Z' }) });
      }
      if (request.path.endsWith('/withdrawal')) {
        reported = false;
        return Promise.resolve({ status: 200, headers: {}, body: JSON.stringify({ recordId: 'SLTD-UTO-R1', withdrawnAt: '2026-01-02T00:00:00Z' }) });
      }
      t.checks++;
      const hit = {
        hitId: 'h1',
        source: 'SLTD',
        kind: 'document',
        recordId: 'SLTD-UTO-R1',
        ownerCountry: 'UTO',
        match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber'] },
        confirmation: { state: 'UNCONFIRMED' },
        document: { ...document, status: 'STOLEN' },
      };
      const item = {
        itemId: '1',
        outcomes: [
          { source: 'SLTD', status: reported ? 'HIT' : 'NO_HIT' },
          { source: 'TDAWN', status: 'NO_HIT' },
        ],
        hits: reported ? [hit] : [],
      };
      return Promise.resolve({ status: 200, headers: {}, body: JSON.stringify({ requestId: `gw-${t.checks}`, items: [item] }) });
    },
    close: () => Promise.resolve(),
  };
  return t;
}

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('the cache and reports', () => {
  it('does not serve a cached NO_HIT for a document after the client reported it stolen', async () => {
    const transport = gateway();
    const client = createClient({ transport, context, cache: { noHitTtlMs: 60_000, hitTtlMs: 60_000 } });
    clients.push(client);
    expect((await client.checkDocument(document)).verdict).toBe('NO_HIT');
    expect((await client.checkDocument(document)).servedFrom).toBe('cache');
    await client.reportDocument({ ...document, status: 'STOLEN' });
    const after = await client.checkDocument(document);
    expect(after.verdict).toBe('HIT');
    expect(after.servedFrom).toBe('network');
  });

  it('does not serve a cached HIT for a report that was withdrawn', async () => {
    const transport = gateway();
    const client = createClient({ transport, context, cache: { noHitTtlMs: 60_000, hitTtlMs: 60_000 } });
    clients.push(client);
    await client.reportDocument({ ...document, status: 'STOLEN' });
    expect((await client.checkDocument(document)).verdict).toBe('HIT');
    await client.withdrawReport({ recordId: 'SLTD-UTO-R1', reason: 'RECOVERED' });
    expect((await client.checkDocument(document)).servedFrom).toBe('network');
  });

  it('does not cache the answer of a check that was in flight while a report was stored', async () => {
    const transport = gateway();
    let release: (() => void) | undefined;
    // The gateway answers the first check as the data stood when it was sent; the answer arrives only on release.
    const slow: Transport = {
      endpoint: transport.endpoint,
      send: (request) => {
        if (request.path !== '/v1/checks' || release !== undefined) return transport.send(request);
        const answer = transport.send(request);
        return new Promise((resolve) => (release = () => void answer.then(resolve)));
      },
      close: () => transport.close(),
    };
    const client = createClient({ transport: slow, context, cache: { noHitTtlMs: 60_000, hitTtlMs: 60_000 } });
    clients.push(client);
    const before = client.checkDocument(document);
    await new Promise((r) => setImmediate(r));
    await client.reportDocument({ ...document, status: 'STOLEN' });
    release!();
    expect((await before).verdict).toBe('NO_HIT');
    const after = await client.checkDocument(document);
    expect(after.verdict).toBe('HIT');
    expect(after.servedFrom).toBe('network');
  });
});
