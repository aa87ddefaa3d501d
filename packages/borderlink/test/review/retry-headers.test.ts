// Rule 3: every attempt of a write carries the same headers, the idempotency key included, even when a transport
// consumes headers from the request it is handed (moves the key into an envelope, deletes what it sends elsewhere).
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient } from 'borderlink';
import type { Transport, TransportRequest, TransportResponse } from 'borderlink';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const report = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('headers on retries', () => {
  it('are the same on every attempt when the transport takes the idempotency key out of the request', async () => {
    const seen: Record<string, string>[] = [];
    // A queue transport: the key and request id travel in the envelope, so it removes them from the headers.
    const transport: Transport = {
      endpoint: 'test://envelope',
      send(request: TransportRequest): Promise<TransportResponse> {
        const envelope = { ...request.headers };
        delete request.headers['idempotency-key'];
        delete request.headers['x-request-id'];
        seen.push(envelope);
        if (seen.length === 1) return Promise.resolve({ status: 503, headers: {}, body: '' });
        return Promise.resolve({ status: 201, headers: {}, body: JSON.stringify({ recordId: 'SLTD-UTO-R1', createdAt: '2026-01-01T00:00:00Z' }) });
      },
      close: () => Promise.resolve(),
    };
    const client = createClient({ transport, context, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } });
    clients.push(client);
    const result = await client.reportDocument(report, { idempotencyKey: 'a3c1f0de-0000-4000-8000-000000000001' });
    expect(result.attempts).toBe(2);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[1]!['idempotency-key']).toBe('a3c1f0de-0000-4000-8000-000000000001');
  });
});
