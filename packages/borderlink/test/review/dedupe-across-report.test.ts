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

describe('a shared answer across a report', () => {
  it('gives two checks that shared one request their own hits, even when a report began while they were in flight', async () => {
    const inner = mockTransport();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const transport: Transport = {
      endpoint: inner.endpoint,
      async send(request) {
        const response = await inner.send(request);
        if (request.path === '/v1/checks') await held;
        return response;
      },
      close: () => inner.close(),
    };
    const client = createClient({ transport, context });
    try {
      const stolen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
      const a = client.checkDocument(stolen);
      const b = client.checkDocument(stolen);
      // A write starts and ends while the shared request is in flight: later checks get a table of their own.
      await client.reportDocument({ ...doc, status: 'STOLEN' });
      release();
      const [ra, rb] = await Promise.all([a, b]);
      expect(inner.requests.filter((r) => r.path === '/v1/checks')).toHaveLength(1);
      expect(ra.verdict).toBe('HIT');
      expect(ra.hits).toStrictEqual(rb.hits);
      expect(ra.hits[0]).not.toBe(rb.hits[0]);
    } finally {
      await client.close();
    }
  });
});
