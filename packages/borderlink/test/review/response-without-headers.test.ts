// A transport answer without a headers object must not turn a write the gateway stored into a failure (the caller
// would send it again under a new key), nor a 429/503 into a TypeError.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, GatewayError, type BorderlinkClient } from 'borderlink';
import type { Transport, TransportResponse } from 'borderlink';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const report = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' } as const;

function answering(...answers: Partial<TransportResponse>[]): Transport & { sent: number } {
  const t = {
    endpoint: 'test://no-headers',
    sent: 0,
    send: () => Promise.resolve(answers[Math.min(t.sent++, answers.length - 1)] as TransportResponse),
    close: () => Promise.resolve(),
  };
  return t;
}

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('a transport answer without headers', () => {
  it('still completes a stored report', async () => {
    const transport = answering({ status: 201, body: JSON.stringify({ recordId: 'SLTD-UTO-R1', createdAt: '2026-01-01T00:00:00Z' }) });
    const client = createClient({ transport, context });
    clients.push(client);
    const result = await client.reportDocument(report);
    expect(result).toMatchObject({ recordId: 'SLTD-UTO-R1', replayed: false, attempts: 1 });
  });

  it('maps a 503 to a GatewayError', async () => {
    const transport = answering({ status: 503, body: '' });
    const client = createClient({ transport, context, retry: false });
    clients.push(client);
    await expect(client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' })).rejects.toBeInstanceOf(GatewayError);
  });
});
