// Review: a hit's `hitId` and a write's `recordId` are gateway text, and they reached audit events as the gateway sent
// them (rule 2: an escape code or a searched value in an id landed in the audit log). Every id an audit event carries
// now passes one function: an id of the shape protocol v1 documents goes in as it is, any other as a keyed hash. The
// answer keeps the id as sent, and the hit is never lost.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type AuditEvent, type BorderlinkClient } from 'borderlink';
import { keyedHasher } from '../../src/internal/hash';
import { AUDITED_ID, auditedId } from '../../src/client/audit';
import { PLANTED } from '../hostile/answers';
import { startHostileGateway, type HostileGateway } from '../hostile/server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const HASHED = /^hashed:[0-9a-f]{32}$/;
const ESC = /[\u0000-\u001f\u007f-\u009f]/;

let gateway: HostileGateway;
let client: BorderlinkClient;
const audited: AuditEvent[] = [];
beforeAll(async () => {
  gateway = await startHostileGateway();
  client = createClient({
    transport: httpTransport({ baseUrl: gateway.url }),
    context,
    retry: { retries: 0 },
    breaker: false,
    dedupe: false,
    onAudit: (e) => audited.push(e),
    privacy: { hashKey: 'audit-key-of-this-test-0123456789' },
  });
});
afterAll(async () => {
  await client?.close();
  await gateway?.close();
});

const hitAnswer = (hitId: string, recordId: string) =>
  JSON.stringify({
    items: [
      {
        itemId: '1',
        outcomes: [{ source: 'SLTD', status: 'HIT' }],
        hits: [
          {
            hitId,
            source: 'SLTD',
            kind: 'document',
            recordId,
            ownerCountry: 'UTO',
            match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber'] },
            confirmation: { state: 'UNCONFIRMED' },
            document: { ...document, status: 'STOLEN' },
          },
        ],
      },
    ],
  });

const hostileIds = [PLANTED.escape, `${PLANTED.documentNumber} ${PLANTED.surname}`, `h-1\n${PLANTED.surname}`, 'x'.repeat(1000), ' h-1', '-h1'];

describe('gateway ids in audit events', () => {
  it('keeps a hit whose id is not of the protocol id shape, and audits that id only as a keyed hash', async () => {
    for (const hitId of hostileIds) {
      audited.length = 0;
      gateway.answer(() => ({ status: 200, body: hitAnswer(hitId, 'SLTD-UTO-0001') }));
      const result = await client.checkDocument(document, { sources: ['SLTD'] });
      expect(result.verdict).toBe('HIT');
      expect(result.hits[0]!.hitId).toBe(hitId);
      expect(audited).toHaveLength(1);
      const [recorded] = audited[0]!.hitIds;
      expect(recorded).toMatch(HASHED);
      const text = JSON.stringify(audited[0]);
      expect(text).not.toContain(PLANTED.documentNumber);
      expect(text).not.toContain(PLANTED.surname);
      expect(text).not.toMatch(ESC);
    }
  });

  it('audits a hit id of the protocol id shape as it is, and one id always as the same hash', async () => {
    audited.length = 0;
    gateway.answer(() => ({ status: 200, body: hitAnswer('h-7c2e91', 'SLTD-UTO-0001') }));
    await client.checkDocument(document, { sources: ['SLTD'] });
    gateway.answer(() => ({ status: 200, body: hitAnswer(PLANTED.escape, 'SLTD-UTO-0001') }));
    await client.checkDocument(document, { sources: ['SLTD'] });
    await client.checkDocument(document, { sources: ['SLTD'] });
    expect(audited.map((e) => e.hitIds[0])).toEqual(['h-7c2e91', expect.stringMatching(HASHED), audited[1]!.hitIds[0]]);
  });

  it("audits a report's record id from the gateway only when it is of the protocol id shape", async () => {
    for (const [recordId, expected] of [
      ['SLTD-MDA-2026-000123', 'SLTD-MDA-2026-000123'],
      [`${PLANTED.escape}${PLANTED.documentNumber}`, HASHED],
    ] as const) {
      audited.length = 0;
      gateway.answer(() => ({ status: 201, body: JSON.stringify({ recordId, createdAt: '2026-12-01T09:14:07Z' }) }));
      const stored = await client.reportDocument({ ...document, status: 'STOLEN' });
      expect(stored.recordId).toBe(recordId);
      expect(audited).toHaveLength(1);
      if (typeof expected === 'string') expect(audited[0]!.recordId).toBe(expected);
      else expect(audited[0]!.recordId).toMatch(expected);
      expect(JSON.stringify(audited[0])).not.toContain(PLANTED.documentNumber);
    }
  });

  it('lets through any text only as an id of the shape, or as a keyed hash', () => {
    const key = keyedHasher(Buffer.alloc(32, 3));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,140}$/)), (id) => {
        const recorded = auditedId(id, key);
        if (recorded === id) expect(id).toMatch(AUDITED_ID);
        else expect(recorded).toMatch(HASHED);
        expect(recorded).not.toMatch(ESC);
        expect(recorded.length).toBeLessThanOrEqual(128);
      }),
    );
  });
});
