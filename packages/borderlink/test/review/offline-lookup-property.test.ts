// The offline copy finds exactly what the gateway finds by exact or normalised match, for every spelling of a record
// and of a query: case, spaces, MRZ fillers, hyphens, accents, NFC or NFD, letters of other scripts. The copy is synced
// from the mock gateway through client.offline.sync(), and the same check is asked of the gateway and of the copy (the
// gateway then gone). The mock is in-process here (mockTransport): this is its matching against the copy's key rule,
// run many times, not the transport.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionError, createClient, type CheckRequest, type CheckResult, type Source, type Subject, type Transport } from 'borderlink';
import { memoryOfflineStore, mockTransport, type Dataset, type DatasetDocument, type DatasetPerson, type DatasetVehicle } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;

/** A text spelled as a record may hold it: case per letter, and separators that do not count between characters. */
function spelling(base: string, separators: readonly string[]): fc.Arbitrary<string> {
  const n = base.length;
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: n, maxLength: n }), fc.array(fc.constantFrom('', '', '', ...separators), { minLength: n + 1, maxLength: n + 1 }))
    .map(([lower, seps]) => [...base].map((c, i) => `${seps[i]}${lower[i] ? c.toLowerCase() : c}`).join('') + seps[n]);
}
const lowerSome = (base: string): fc.Arbitrary<string> => spelling(base, []);

const DOC_NUMBERS = ['L898902C3', 'X1234567', 'AB12'] as const;
const STATES = ['UTO', 'D'] as const;
const VINS = ['WVWZZZ1JZXW000001', 'YV1SW61R121234567'] as const;
const PLATES = ['B-AB 12', 'BAB12', 'M-XY 7'] as const;
const SURNAMES = ['MÜLLER', 'MULLER', 'MUELLER', "O'BRIEN", 'OBRIEN', 'ÇELİK', 'CELIK', 'ЦОЙ', 'ΠΑΠΑΔΟΠΟΥΛΟΣ', 'SMITH-JONES', 'SMITH JONES'] as const;
const GIVEN = ['ANNA', 'ANNA MARIA', 'ANNA-MARIA', 'JÖRG', 'JORG'] as const;
const BIRTHS = ['1974-08-12', '1980-01-01'] as const;

/** A name as a record or a query may spell it: case, NFC or NFD, spaces around. */
const nameSpelling = (base: string): fc.Arbitrary<string> =>
  fc
    .record({ form: fc.constantFrom('NFC', 'NFD') as fc.Arbitrary<'NFC' | 'NFD'>, casing: fc.constantFrom('upper', 'lower', 'title'), pad: fc.constantFrom('', ' ', '  ') })
    .map(({ form, casing, pad }) => {
      const cased = casing === 'upper' ? base : casing === 'lower' ? base.toLowerCase() : base.charAt(0) + base.slice(1).toLowerCase();
      return `${pad}${cased.normalize(form)}${pad}`;
    });
/** The same, as a query (validation trims it; it must still hold its letters). */
const queryName = (base: string) => nameSpelling(base).map((v) => v.trim());

const documentRecord = (i: number) =>
  fc
    .record({ n: fc.constantFrom(...DOC_NUMBERS), s: fc.constantFrom(...STATES) })
    .chain(({ n, s }) => fc.record({ documentNumber: spelling(n, [' ', '<', '<<']), issuingState: spelling(s, [' ']).map((v) => ` ${v}`) }))
    .map((d): DatasetDocument => ({ recordId: `SLTD-${i}`, ...d, documentType: 'PASSPORT', status: 'STOLEN' }));

const personRecord = (i: number) =>
  fc
    .record({
      surname: fc.constantFrom(...SURNAMES).chain(nameSpelling),
      givenNames: fc.array(fc.constantFrom(...GIVEN).chain(nameSpelling), { maxLength: 2 }),
      dateOfBirth: fc.constantFrom(...BIRTHS),
    })
    .map(
      (p): DatasetPerson => ({
        recordId: `NOMINAL-${i}`,
        ...p,
        nationalities: [],
        notice: { type: 'RED', reference: `A-${i}/2026`, requestingCountry: 'UTO' },
      }),
    );

const vehicleRecord = (i: number) =>
  fc
    .record({ v: fc.constantFrom(...VINS), p: fc.constantFrom(...PLATES), c: fc.constantFrom(...STATES) })
    .chain(({ v, p, c }) => fc.record({ vin: spelling(v, [' ']), plate: spelling(p, [' ', '-']), registrationCountry: lowerSome(c) }))
    .map((v): DatasetVehicle => ({ recordId: `SMV-${i}`, ...v, make: 'VW', model: 'Golf', colour: 'RED', theftDate: '2024-01-01' }));

const dataset: fc.Arbitrary<Dataset> = fc.record({
  documents: fc.tuple(documentRecord(1), documentRecord(2), documentRecord(3)),
  persons: fc.tuple(personRecord(1), personRecord(2), personRecord(3)),
  vehicles: fc.tuple(vehicleRecord(1), vehicleRecord(2)),
}).map(({ documents, persons, vehicles }) => ({ documents: [...documents], linkedDocuments: [], persons: [...persons], vehicles: [...vehicles] }));

const query: fc.Arbitrary<Subject> = fc.oneof(
  fc
    .record({ n: fc.constantFrom(...DOC_NUMBERS).chain(lowerSome), s: fc.constantFrom(...STATES).chain(lowerSome) })
    .map(({ n, s }): Subject => ({ kind: 'document', documentNumber: n, issuingState: s, documentType: 'PASSPORT' })),
  fc
    .record({
      surname: fc.constantFrom(...SURNAMES).chain(queryName),
      givenNames: fc.array(fc.constantFrom(...GIVEN).chain(queryName), { maxLength: 2 }),
      dateOfBirth: fc.constantFrom(...BIRTHS),
    })
    .map((p): Subject => ({ kind: 'person', ...p })),
  fc
    .record({
      vin: fc.option(fc.constantFrom(...VINS).chain(lowerSome), { nil: undefined }),
      plate: fc.constantFrom(...PLATES).chain((p) => spelling(p.replace(/[ -]/g, ''), [' ', '-'])).map((p) => p.replace(/^[ -]+|[ -]+$/g, '')),
      c: fc.constantFrom(...STATES).chain(lowerSome),
    })
    .map(({ vin, plate, c }): Subject => (vin !== undefined ? { kind: 'vehicle', vin } : { kind: 'vehicle', plate, registrationCountry: c })),
);

/** A check: one or two subjects, a document perhaps with its holder (then looked up in NOMINAL too). */
const request = fc
  .tuple(
    fc.array(query, { minLength: 1, maxLength: 2 }),
    fc.option(query.filter((q) => q.kind === 'person'), { nil: undefined }),
  )
  .map(([subjects, holder]) => {
    const [first, ...rest] = subjects;
    if (holder === undefined || first!.kind !== 'document') return { subjects };
    const { kind: _, ...person } = holder as Extract<Subject, { kind: 'person' }>;
    return { subjects: [{ ...first!, holder: person }, ...rest], sources: [...new Set(['SLTD', 'TDAWN', 'NOMINAL', ...rest.map((r) => (r.kind === 'vehicle' ? 'SMV' : r.kind === 'person' ? 'NOMINAL' : 'SLTD'))])] as Source[] };
  });

/** The records a result holds as hits by exact or normalised match, as `source:recordId`. */
const exactHits = (result: CheckResult): string[] =>
  result.hits
    .filter((h) => h.match.method !== 'FUZZY')
    .map((h) => `${h.source}:${h.recordId}`)
    .sort();

describe('the offline copy against the gateway it was synced from', () => {
  it('finds exactly the records the gateway finds by exact or normalised match, whatever the spellings', async () => {
    // Hits per subject kind over all runs: the property is not met by finding nothing anywhere.
    const found = { document: 0, person: 0, vehicle: 0, holder: 0 };
    await fc.assert(
      fc.asyncProperty(dataset, fc.array(request, { minLength: 1, maxLength: 6 }), async (data, requests: CheckRequest[]) => {
        const gateway = mockTransport({ dataset: data });
        // The same gateway for snapshots; gone for checks, so every check is answered from the copy.
        const down: Transport = {
          endpoint: gateway.endpoint,
          stream: gateway.stream!.bind(gateway),
          send: () => Promise.reject(new ConnectionError('The gateway is gone')),
          close: () => Promise.resolve(),
        };
        const online = createClient({ transport: gateway, context, retry: { retries: 0 } });
        const offline = createClient({ transport: down, context, retry: { retries: 0 }, breaker: false, offline: { store: memoryOfflineStore() } });
        try {
          const synced = await offline.offline!.sync();
          expect(synced.every((r) => r.ok)).toBe(true);
          for (const check of requests) {
            const there = await online.check(check);
            const here = await offline.check(check);
            expect(here.servedFrom).toBe('offline');
            expect(exactHits(here)).toEqual(exactHits(there));
            for (const h of here.hits) found[h.kind === 'linked-document' ? 'document' : h.kind]++;
            if (check.subjects.some((s) => s.kind === 'document' && s.holder !== undefined) && here.hits.some((h) => h.kind === 'person')) found.holder++;
            // Clear from the copy only where the gateway has no record of it at all.
            if (here.verdict === 'NO_HIT') expect(there.verdict === 'HIT').toBe(false);
          }
        } finally {
          await offline.close();
          await online.close();
        }
      }),
      { numRuns: 150 },
    );
    expect(Object.values(found).every((n) => n > 0)).toBe(true);
  });
});
