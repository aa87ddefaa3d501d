import { describe, expect, it } from 'vitest';
import { createClient, type Transport } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const doc = { documentNumber: 'UT9900001', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

describe('de-duplication across a report', () => {
  it('does not let a check started after a report join one that was answered before it', async () => {
    const inner = mockTransport();
    let holdFirstCheck = true;
    // The first check is answered by the gateway at once (NO_HIT) but its answer arrives late.
    const transport: Transport = {
      endpoint: inner.endpoint,
      async send(request) {
        const response = await inner.send(request);
        if (request.path === '/v1/checks' && holdFirstCheck) {
          holdFirstCheck = false;
          await new Promise((r) => setTimeout(r, 150));
        }
        return response;
      },
      close: () => inner.close(),
    };
    const client = createClient({ transport, context });
    try {
      const early = client.checkDocument(doc);
      await new Promise((r) => setTimeout(r, 20));
      await client.reportDocument({ ...doc, status: 'STOLEN' });
      const late = await client.checkDocument(doc);
      expect((await early).verdict).toBe('NO_HIT');
      expect(late.verdict).toBe('HIT');
    } finally {
      await client.close();
    }
  });
});
