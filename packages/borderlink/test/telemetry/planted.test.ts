// Rule 2 in telemetry: document numbers, names, dates of birth, VINs and plates, planted in the queries and in the
// records the gateway answers with (so the hits and full records hold them too), through every kind of call (single
// checks, an MRZ, a batch, a report, a full record, a confirmation requested and resumed), with retries and failures,
// appear in no exported span (name, attributes, events, links, status) and no metric (names, descriptions, data point
// attributes), in any case; nor do the gateway's own texts shaped like codes (a record's action, an owner's answer).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClient, formatMrz } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { spanData, telemetryHarness } from './fixtures';

const context = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const letters = (chars: string, min: number, max: number) => fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';

/** Values that cannot be mistaken for anything telemetry says of itself (no word of ours, no id, no time). */
const planted = fc.record({
  documentNumber: fc.tuple(letters('QXZ', 2, 2), letters(digits, 5, 6)).map(([a, b]) => a + b),
  reportedNumber: fc.tuple(letters('JKW', 2, 2), letters(digits, 5, 6)).map(([a, b]) => a + b),
  surname: fc.tuple(fc.constant('ZQ'), letters(upper, 4, 8)).map(([a, b]) => a + b),
  givenName: fc.tuple(fc.constant('XW'), letters(upper, 3, 7)).map(([a, b]) => a + b),
  dateOfBirth: fc.date({ min: new Date('1920-01-01'), max: new Date('2005-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  vin: fc.tuple(fc.constant('ZZ'), letters('ABCDEFGHJKLMNPRSTUVWXYZ0123456789', 15, 15)).map(([a, b]) => a + b),
  plate: fc.tuple(fc.constant('QP'), letters(digits, 4, 5)).map(([a, b]) => `${a}-${b}`),
  /** Gateway text with the shape of one of our codes: a record's action to be taken. */
  action: fc.tuple(fc.constant('ZQ_'), letters(upper, 4, 8)).map(([a, b]) => a + b),
});

describe('telemetry with planted personal values', () => {
  it('exports no document number, name, date of birth, VIN or plate in any span or metric', async () => {
    await fc.assert(
      fc.asyncProperty(planted, fc.boolean(), async (p, failFirst) => {
        const harness = telemetryHarness();
        const transport = mockTransport({ faults: failFirst ? [{ type: 'status', status: 503 }, { type: 'reset' }] : [] });
        transport.upsertRecord({
          source: 'SLTD',
          recordId: 'SLTD-PLANTED-1',
          documentNumber: p.documentNumber,
          issuingState: 'UTO',
          documentType: 'PASSPORT',
          status: 'STOLEN',
          actionToBeTaken: p.action,
          confirmation: { answer: 'CONFIRMED', afterMs: 0, instructions: p.action, ownerReference: `${p.action}_REF` },
        });
        transport.upsertRecord({
          source: 'NOMINAL',
          recordId: 'NOMINAL-PLANTED-1',
          surname: p.surname,
          givenNames: [p.givenName],
          dateOfBirth: p.dateOfBirth,
          nationalities: ['UTO'],
          notice: { type: 'RED', reference: 'A-1/2024', requestingCountry: 'UTO' },
        });
        transport.upsertRecord({ source: 'SMV', recordId: 'SMV-PLANTED-1', vin: p.vin, plate: p.plate, make: 'SKODA', model: 'OCTAVIA', colour: 'GREY', theftDate: '2024-01-01', registrationCountry: 'UTO' });
        const client = createClient({ transport, context, retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 }, telemetry: harness.telemetry });
        try {
          const document = { documentNumber: p.documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' } as const;
          const person = { surname: p.surname, givenNames: [p.givenName], dateOfBirth: p.dateOfBirth };
          const found = await client.checkDocument(document);
          expect(found.verdict).toBe('HIT');
          // The second line, on the hit: its full record, a confirmation of it, resumed.
          const secondLine = { context: { purpose: 'SECOND_LINE', locationId: 'UTO-LANE-07' } } as const;
          expect((await client.fetchRecord(found.hits[0]!, secondLine)).record.actionToBeTaken).toBe(p.action);
          const confirmation = await client.requestConfirmation(found.hits[0]!, { priority: 'URGENT', reason: `held: ${p.surname}` }, secondLine);
          expect((await client.resumeConfirmation(confirmation.confirmationId, secondLine)).response?.instructions).toBe(p.action);
          expect((await client.checkPerson(person)).verdict).not.toBe('NO_HIT');
          expect((await client.checkVehicle({ vin: p.vin })).verdict).toBe('HIT');
          await client.checkVehicle({ plate: p.plate, registrationCountry: 'UTO' });
          const mrz = formatMrz({
            format: 'TD3',
            documentCode: 'P',
            issuingState: 'UTO',
            documentNumber: p.documentNumber,
            surname: p.surname,
            givenNames: [p.givenName],
            nationality: 'UTO',
            birthDate: p.dateOfBirth,
            sex: 'F',
            expiryDate: '2031-01-01',
          });
          await client.checkMrz(mrz);
          const rows = [{ id: 'row-1', subjects: [{ kind: 'document' as const, ...document }] }, { id: 'row-2', subjects: [{ kind: 'person' as const, ...person }] }];
          for await (const row of client.checkMany(rows)) void row;
          await client.reportDocument({ documentNumber: p.reportedNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST', incidentDate: p.dateOfBirth });
          // A call refused for its input: its span and error say the field, never the value.
          await client.checkDocument({ ...document, documentType: 'SPACESHIP' as never }).catch(() => undefined);
        } finally {
          await client.close();
        }
        const spans = harness.spans();
        const exported = JSON.stringify({ spans: spans.map(spanData), metrics: await harness.metrics() });
        await harness.close();
        // Every call made its span (and the searches their attempts' spans), so there was something to search.
        expect(spans.filter((s) => s.name.startsWith('borderlink.')).length).toBe(11);
        expect(exported).toContain('borderlink.source.sltd.status');
        for (const value of Object.values(p)) {
          for (const spelling of new Set([value, value.toLowerCase(), value.replaceAll('-', '')])) expect(exported).not.toContain(spelling);
        }
      }),
      { numRuns: 30 },
    );
  });
});
