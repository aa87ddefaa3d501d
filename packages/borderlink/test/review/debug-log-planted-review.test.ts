// Rule 2 through BORDERLINK_LOG=debug: a library user who turns the SDK's debug log on from the environment (no logger
// option: the console) and runs checks that hit and clear, a batch, calls that are retried and that fail, a report and
// its withdrawal, a full record and a confirmation, with per-call headers, gets debug lines that hold none of the
// values planted in the queries, the context, the headers, the records or the gateway's ids: paths as templates,
// ids and codes of our own, numbers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient, httpTransport } from 'borderlink';
import { createMockGateway, demoDataset, type Dataset } from 'borderlink/testing';
import { forgetLogLevelWarning } from '../../src/client/env';

const PLANTED = {
  documentNumber: 'PLNTDOC77',
  searchedNumber: 'PLNTSRCH5',
  reportedNumber: 'PLNTREP99',
  badNumber: 'PLNT@BAD',
  surname: 'Plantedsurnamex',
  givenName: 'Plantedgivenx',
  vin: 'PLNTVXN0000000077',
  recordId: 'SLTD-PLNTREC-1',
  operatorId: 'officer-plnt-88',
  locationId: 'PLNT-LANE-9',
  header: 'PLNTHDR-trace-1',
  reason: 'Plantedreason at lane',
} as const;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  forgetLogLevelWarning();
});

describe('BORDERLINK_LOG=debug', () => {
  it('logs what happened and none of the values planted in queries, context, headers, records or gateway ids', async () => {
    const dataset: Dataset = {
      ...demoDataset,
      documents: [...demoDataset.documents, { recordId: PLANTED.recordId, documentNumber: PLANTED.documentNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' }],
      persons: [
        ...demoDataset.persons,
        { recordId: 'NOMINAL-PLNT-1', surname: PLANTED.surname, givenNames: [PLANTED.givenName], dateOfBirth: '1970-01-01', nationalities: ['UTO'], notice: { type: 'RED', reference: 'A-1/2026', requestingCountry: 'UTO' } },
      ],
    };
    const g = await createMockGateway({ dataset });
    const printed: string[] = [];
    for (const level of ['error', 'warn', 'info', 'debug', 'log'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
    }
    vi.stubEnv('BORDERLINK_LOG', 'debug');
    const client = createClient({
      transport: httpTransport({ baseUrl: g.url }),
      context: { authorityId: 'UTO-POLICE', operatorId: PLANTED.operatorId, purpose: 'SECOND_LINE', locationId: PLANTED.locationId },
      retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 },
      breaker: false,
    });
    try {
      const headers = { 'x-case-reference': PLANTED.header };
      const hit = await client.checkDocument({ documentNumber: PLANTED.documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' }, { headers });
      expect(hit.verdict).toBe('HIT');
      expect(hit.hits[0]!.recordId).toBe(PLANTED.recordId);
      expect((await client.checkDocument({ documentNumber: PLANTED.searchedNumber, issuingState: 'UTO', documentType: 'PASSPORT' })).verdict).toBe('NO_HIT');
      expect((await client.checkPerson({ surname: PLANTED.surname, givenNames: [PLANTED.givenName], dateOfBirth: '1970-01-01' })).verdict).toBe('HIT');
      for await (const row of client.checkMany(
        [
          { id: 'row-1', subjects: [{ kind: 'vehicle', vin: PLANTED.vin }] },
          { id: 'row-2', subjects: [{ kind: 'document', documentNumber: PLANTED.badNumber, issuingState: 'UTO', documentType: 'PASSPORT' }] },
        ],
        { headers },
      )) {
        expect(row.id).toMatch(/^row-/);
      }
      // Retried, then answered; retried, then failed; refused before sending.
      g.setFaults([{ type: 'status', status: 503 }, { type: 'none' }]);
      await client.checkDocument({ documentNumber: PLANTED.searchedNumber, issuingState: 'UTO', documentType: 'PASSPORT' }, { headers });
      g.setFaults([{ type: 'status', status: 503 }, { type: 'status', status: 500 }]);
      await expect(client.checkDocument({ documentNumber: PLANTED.documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' })).rejects.toThrow();
      g.setFaults();
      await expect(client.checkDocument({ documentNumber: PLANTED.badNumber, issuingState: 'UTO', documentType: 'PASSPORT' })).rejects.toThrow();
      const report = await client.reportDocument({ documentNumber: PLANTED.reportedNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' }, { headers });
      await client.withdrawReport({ recordId: report.recordId, reason: 'RECOVERED' });
      const { record } = await client.fetchRecord(hit.hits[0]!, { headers });
      expect(record.recordId).toBe(PLANTED.recordId);
      const confirmation = await client.requestConfirmation(hit.hits[0]!, { priority: 'URGENT', reason: PLANTED.reason }, { headers });
      await confirmation.refresh();
    } finally {
      await client.close();
      await g.close();
    }
    const debugLines = printed.filter((l) => l.startsWith('borderlink: '));
    for (const kind of ['request', 'response', 'retry', 'check', 'call failed', 'record']) expect(debugLines.some((l) => l.startsWith(`borderlink: ${kind} `))).toBe(true);
    expect(debugLines.filter((l) => l.startsWith('borderlink: request ')).map((l) => (JSON.parse(l.slice('borderlink: request '.length)) as { path: string }).path)).toEqual(
      expect.arrayContaining(['/v1/checks', '/v1/records/{source}/{recordId}', '/v1/hits/{hitId}/confirmation-requests', '/v1/reports/documents/{recordId}/withdrawal']),
    );
    const all = printed.join('\n');
    for (const [name, value] of Object.entries(PLANTED)) {
      for (const spelt of new Set([value, value.toUpperCase(), value.toLowerCase()])) expect(all, name).not.toContain(spelt);
    }
  });
});
