// The round trip: any manifest, written as PAXLST by writePaxlst (borderlink/testing) under any separators, line
// layout and date form, reads back through parsePaxlst as the manifest it was written from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePaxlst, type PaxlstManifest } from 'borderlink/manifests';
import { writePaxlst, type PaxlstDraft, type PaxlstDraftTraveller, type WritePaxlstOptions } from 'borderlink/testing';

const now = new Date('2025-06-01T00:00:00Z');
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const specials = ":+?'*#~|^!.-";
const code3 = fc.string({ unit: fc.constantFrom(...letters), minLength: 3, maxLength: 3 });
const word = fc.string({ unit: fc.constantFrom(...`${letters}ÄÖÉ${specials}`), minLength: 1, maxLength: 12 });
const alnum = fc.string({ unit: fc.constantFrom(...`${letters}0123456789`), minLength: 1, maxLength: 9 });
const day = (from: string, to: string) =>
  fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const minute = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2025-12-31T23:59:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16));

const traveller: fc.Arbitrary<PaxlstDraftTraveller> = fc.record(
  {
    qualifier: fc.constantFrom('FL', 'FM', 'DDT', 'DDU'),
    // No blank at either end (a name is trimmed) and one between words.
    surname: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
    givenNames: fc.array(word, { maxLength: 3 }),
    sex: fc.constantFrom('M', 'F', 'X', 'U'),
    // Within the century a two-digit birth year reads back to (see dates.ts).
    dateOfBirth: day('1926-01-01', '2025-05-31'),
    nationality: code3,
    references: fc.array(fc.record({ qualifier: fc.constantFrom('AVF', 'ABO', 'SEA'), value: word }), { maxLength: 3 }),
    documents: fc.array(
      fc.record({ code: fc.constantFrom('P', 'I', 'V', 'AC'), number: alnum, issuingState: code3, expiresOn: day('2020-01-01', '2040-12-31') }, { requiredKeys: ['code', 'number', 'issuingState'] }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['surname', 'documents'] },
);

const leg = fc.record({ departure: code3, departsAt: minute, arrival: code3, arrivesAt: minute });
const draft: fc.Arbitrary<PaxlstDraft> = fc.record({
  reference: alnum,
  sender: alnum,
  recipient: alnum,
  messages: fc.array(
    fc.record(
      {
        reference: alnum,
        documentCode: fc.constantFrom('745', '250'),
        transactionReference: alnum,
        flights: fc.array(fc.record({ number: alnum, carrier: code3, legs: fc.array(leg, { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }),
        travellers: fc.array(traveller, { maxLength: 8 }),
      },
      { requiredKeys: ['flights', 'travellers'] },
    ),
    { minLength: 1, maxLength: 3 },
  ),
  // ISO 9735: each message reference is unique in its interchange (the reader refuses one used twice).
}).filter((d) => new Set(d.messages.map((m, i) => m.reference ?? String(i + 1))).size === d.messages.length);

const separators = fc.uniqueArray(fc.constantFrom(...specials.replace(/[.-]/g, '')), { minLength: 4, maxLength: 4 }).map(([component, element, release, segment]) => ({ component: component!, element: element!, release: release!, segment: segment! }));
const layout: fc.Arbitrary<WritePaxlstOptions> = fc.record(
  {
    separators,
    una: fc.boolean(),
    lineBreak: fc.constantFrom('' as const, '\n' as const, '\r\n' as const),
    wrapAt: fc.integer({ min: 10, max: 90 }),
    dates: fc.constantFrom('short' as const, 'long' as const),
  },
  { requiredKeys: [] },
);

/** What the draft says, in the manifest's terms. */
function expected(d: PaxlstDraft) {
  return d.messages.map((m, i) => ({
    reference: m.reference ?? String(i + 1),
    transactionReference: m.transactionReference,
    list: (m.documentCode ?? '745') === '250' ? 'crew' : 'passengers',
    flights: m.flights.map((f) => ({ number: f.number, carrier: f.carrier, legs: f.legs })),
    travellers: m.travellers.map((t) => ({
      qualifier: t.qualifier ?? ((m.documentCode ?? '745') === '250' ? 'FM' : 'FL'),
      surname: t.surname,
      givenNames: t.givenNames ?? [],
      sex: t.sex === 'U' ? undefined : t.sex,
      dateOfBirth: t.dateOfBirth,
      nationality: t.nationality,
      references: t.references ?? [],
      documents: (t.documents ?? []).map((doc) => ({ code: doc.code ?? 'P', number: doc.number, issuingState: doc.issuingState, expiresOn: doc.expiresOn })),
      issues: [],
    })),
  }));
}

function actual(m: PaxlstManifest) {
  return m.messages.map((x) => ({
    reference: x.reference,
    transactionReference: x.transactionReference,
    list: x.list,
    flights: x.flights,
    travellers: x.travellers.map((t) => ({
      qualifier: t.qualifier,
      surname: t.surname,
      givenNames: t.givenNames,
      sex: t.sex,
      dateOfBirth: t.dateOfBirth,
      nationality: t.nationality,
      references: t.references,
      documents: t.documents.map((doc) => ({ code: doc.code, number: doc.number, issuingState: doc.issuingState, expiresOn: doc.expiresOn })),
      issues: t.issues,
    })),
  }));
}

describe('writePaxlst and parsePaxlst', () => {
  it('read back any manifest as written, under any separators, layout and date form', () => {
    fc.assert(
      fc.property(draft, layout, (d, options) => {
        const text = writePaxlst(d, options);
        const m = parsePaxlst(text, { now });
        expect(actual(m)).toEqual(expected(d));
        expect(m.interchange).toMatchObject({ reference: d.reference, sender: d.sender, recipient: d.recipient });
        expect(m.travellers.map((t) => t.index)).toEqual(m.travellers.map((_, i) => i + 1));
        // A message without a flight is read all the same, with one warning at its UNT.
        expect(m.warnings.map((w) => [w.code, w.tag])).toEqual(d.messages.filter((x) => x.flights.length === 0).map(() => ['MISSING_SEGMENT', 'UNT']));
      }),
      { numRuns: 300 },
    );
  });

  it('read back the same manifest fed in chunks of any size', async () => {
    await fc.assert(
      fc.asyncProperty(draft, layout, fc.integer({ min: 1, max: 64 }), async (d, options, size) => {
        const text = writePaxlst(d, options);
        const bytes = Buffer.from(text, 'utf8');
        const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
        expect(await parsePaxlst((async function* () { yield* chunks; })(), { now })).toEqual(parsePaxlst(text, { now }));
      }),
      { numRuns: 100 },
    );
  });
});
