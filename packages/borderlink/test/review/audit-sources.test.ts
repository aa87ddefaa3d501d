// The audit event is the integrator's: editing it must not change which sources later checks ask.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('the audit event sources', () => {
  it('are the event’s own: an audit sink that trims them does not drop a source from the next check', async () => {
    const transport = mockTransport({ faults: [{ type: 'none' }, { type: 'unavailable', sources: ['TDAWN'] }] });
    const client = createClient({ transport, context, onAudit: (e) => void e.sources?.pop() });
    clients.push(client);
    expect((await client.checkDocument(document)).outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN']);
    const second = await client.checkDocument(document);
    expect(second.outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN']);
    // TDAWN was unavailable: the second check must not read as clear.
    expect(second.verdict).toBe('INCOMPLETE');
    const sent = transport.requests.map((r) => (r.body as { items: { sources: string[] }[] }).items[0]!.sources);
    expect(sent).toEqual([['SLTD', 'TDAWN'], ['SLTD', 'TDAWN']]);
  });
});
