// Rule 1 at the gate, over generated manifests and generated results: a traveller is "board" only when every answer
// given for it is a clean clear (no error, NO_HIT from every outcome, its document and its person searched, no hit)
// and the traveller was read whole (no issue, a document); a result that holds a HIT anywhere is "no-board".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeoutError, createClient, type CheckResult, type Hit, type SourceOutcome } from 'borderlink';
import { mockTransport, writePaxlst, type Fault, type PaxlstDraftTraveller } from 'borderlink/testing';
import {
  CUSRES_ANSWER_CODES,
  boardingAnswer,
  formatCusres,
  parsePaxlst,
  screenPaxlst,
  tokenizeEdifact,
  type PaxlstTraveller,
  type ScreenedTraveller,
} from 'borderlink/manifests';

const now = new Date('2025-06-01T00:00:00Z');
const SOURCES = ['SLTD', 'TDAWN', 'NOMINAL', 'SMV'] as const;
const STATUSES = ['HIT', 'POSSIBLE_HIT', 'NO_HIT', 'UNAVAILABLE', 'TIMEOUT', 'NOT_AUTHORISED', 'ERROR', 'NOT_ASKED'] as const;
const VERDICTS = ['HIT', 'POSSIBLE_HIT', 'NO_HIT', 'INCOMPLETE'] as const;

const letters = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJ'), minLength: 1, maxLength: 6 });
// Travellers a carrier sends, some of them broken: no document, a document without its number, a date of birth that
// cannot be.
const traveller: fc.Arbitrary<PaxlstDraftTraveller> = fc.record({
  surname: letters,
  givenNames: fc.array(letters, { maxLength: 2 }),
  dateOfBirth: fc.constantFrom('1980-01-01', '1999-12-31', '2025-02-30', '2099-01-01'),
  documents: fc.array(fc.record({ code: fc.constantFrom('P', 'V', 'I'), number: fc.oneof(letters, fc.constant('')), issuingState: fc.constant('UTO') }), { maxLength: 2 }),
});
const manifest = fc
  .array(fc.array(traveller, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 2 })
  .map((messages) => parsePaxlst(writePaxlst({ messages: messages.map((travellers) => ({ flights: [{ number: 'ZZ1', legs: [{ departure: 'FRA', arrival: 'UTO' }] }], travellers })) }), { now }));

const outcome: fc.Arbitrary<SourceOutcome> = fc.record({ source: fc.constantFrom(...SOURCES), status: fc.constantFrom(...STATUSES) });
// Results as a screen, a cache or a vendor's own code may hand them over: consistent or not.
const result: fc.Arbitrary<CheckResult> = fc
  .record({
    verdict: fc.constantFrom(...VERDICTS),
    outcomes: fc.oneof(
      fc.constant(['SLTD', 'TDAWN', 'NOMINAL'].map((source) => ({ source, status: 'NO_HIT' }) as SourceOutcome)),
      fc.uniqueArray(outcome, { selector: (o) => o.source, maxLength: 4 }),
    ),
    hits: fc.oneof(fc.constant<Hit[]>([]), fc.constant<Hit[]>([{ source: 'SLTD' } as unknown as Hit])),
  })
  .map((r) => ({ ...r, requestId: 'r', warnings: [], attempts: 1, durationMs: 1, servedFrom: 'network' }) as CheckResult);
type Answer = { kind: 'none' } | { kind: 'error' } | { kind: 'results'; results: CheckResult[] };
const answer: fc.Arbitrary<Answer> = fc.oneof(
  fc.constant({ kind: 'none' } as const),
  fc.constant({ kind: 'error' } as const),
  fc.array(result, { minLength: 1, maxLength: 2 }).map((results) => ({ kind: 'results', results }) as const),
);

const cleanClear = (t: PaxlstTraveller, r: CheckResult) =>
  t.issues.length === 0 &&
  t.documents.length > 0 &&
  r.verdict === 'NO_HIT' &&
  r.hits.length === 0 &&
  r.outcomes.length > 0 &&
  r.outcomes.every((o) => o.status === 'NO_HIT') &&
  ['SLTD', 'NOMINAL'].every((s) => r.outcomes.some((o) => o.source === s));
const holdsHit = (r: CheckResult) => r.verdict === 'HIT' || r.outcomes.some((o) => o.status === 'HIT');

describe('formatCusres at the gate, over generated manifests and results', () => {
  it('answers board only for a traveller read whole and cleared by every answer given for it, and no-board for any HIT', () => {
    fc.assert(
      fc.property(
        manifest.chain((m) => fc.tuple(fc.constant(m), fc.array(answer, { minLength: m.travellers.length, maxLength: m.travellers.length }))),
        ([m, answers]) => {
          const rows: ScreenedTraveller[] = [];
          m.travellers.forEach((t, i) => {
            const a = answers[i]!;
            if (a.kind === 'error') rows.push({ id: String(t.index), traveller: t, error: new TimeoutError('late') });
            if (a.kind === 'results') for (const r of a.results) rows.push({ id: String(t.index), traveller: t, result: r });
          });
          const codes = tokenizeEdifact(formatCusres(rows, { reference: 'R1', manifest: m }))
            .filter((s) => s.tag === 'ERC')
            .map((s) => s.elements[0]![0]);
          expect(codes).toHaveLength(m.travellers.length);
          m.travellers.forEach((t, i) => {
            const a = answers[i]!;
            const board = a.kind === 'results' && a.results.every((r) => cleanClear(t, r));
            const hit = a.kind === 'results' && a.results.some(holdsHit);
            const code = hit ? CUSRES_ANSWER_CODES.NO_BOARD : board ? CUSRES_ANSWER_CODES.BOARD : CUSRES_ANSWER_CODES.CONTACT;
            expect(codes[i], `traveller ${t.index}`).toBe(code);
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('boardingAnswer, on results that contradict themselves', () => {
  const base = { requestId: 'r', warnings: [], attempts: 1, durationMs: 1, servedFrom: 'network' as const };
  const clearOutcomes: SourceOutcome[] = [
    { source: 'SLTD', status: 'NO_HIT' },
    { source: 'NOMINAL', status: 'NO_HIT' },
  ];

  it('never answers board for a NO_HIT verdict whose outcomes hold a failure or whose hits are not empty', () => {
    const failed = { ...base, verdict: 'NO_HIT', hits: [], outcomes: [...clearOutcomes, { source: 'TDAWN', status: 'TIMEOUT' }] } as CheckResult;
    expect(boardingAnswer({ result: failed })).toBe('CONTACT');
    const withHit = { ...base, verdict: 'NO_HIT', hits: [{ source: 'NOMINAL' } as unknown as Hit], outcomes: clearOutcomes } as CheckResult;
    expect(boardingAnswer({ result: withHit })).toBe('CONTACT');
  });

  it('answers no-board for a result whose outcomes hold a HIT, whatever its verdict says', () => {
    const incomplete = { ...base, verdict: 'INCOMPLETE', hits: [], outcomes: [{ source: 'SLTD', status: 'HIT' }, { source: 'NOMINAL', status: 'TIMEOUT' }] } as CheckResult;
    expect(boardingAnswer({ result: incomplete })).toBe('NO_BOARD');
  });

  it('never answers board for a traveller with issues or without a document, whatever result is given for it', () => {
    const text = writePaxlst({
      messages: [{ flights: [], travellers: [{ surname: 'A', dateOfBirth: '2099-01-01', documents: [{ number: 'X1', issuingState: 'UTO' }] }, { surname: 'B' }] }],
    });
    const [withIssue, withoutDocument] = parsePaxlst(text, { now }).travellers as [PaxlstTraveller, PaxlstTraveller];
    const clear = { ...base, verdict: 'NO_HIT', hits: [], outcomes: clearOutcomes } as CheckResult;
    expect(boardingAnswer({ result: clear })).toBe('BOARD');
    expect(boardingAnswer({ result: clear, traveller: withIssue })).toBe('CONTACT');
    expect(boardingAnswer({ result: clear, traveller: withoutDocument })).toBe('CONTACT');
  });
});

describe('screenPaxlst then formatCusres, against a gateway that fails at random', () => {
  const context = { authorityId: 'UTO-API', operatorId: 'api-0001', purpose: 'MANIFEST_SCREENING' } as const;
  const fault = fc.constantFrom<Fault>(
    { type: 'none' },
    { type: 'unavailable', sources: ['NOMINAL'] },
    { type: 'missing-outcome', sources: ['SLTD'] },
    { type: 'outcome', status: 'TIMEOUT', sources: ['SLTD'] },
    { type: 'status', status: 500 },
    { type: 'malformed' },
  );

  it('answers every traveller once, and never board for one whose row failed, was incomplete or had issues', async () => {
    await fc.assert(
      fc.asyncProperty(manifest, fc.array(fault, { maxLength: 6 }), fc.integer({ min: 1, max: 3 }), fc.nat(8), async (m, faults, batchSize, stopAfter) => {
        const client = createClient({ transport: mockTransport({ faults }), context, retry: { retries: 0 }, breaker: false });
        const rows: ScreenedTraveller[] = [];
        try {
          for await (const row of screenPaxlst(client, m, { batchSize })) rows.push(row);
        } finally {
          await client.close();
        }
        expect(rows.map((r) => r.traveller.index).sort((a, b) => a - b)).toEqual(m.travellers.map((t) => t.index));
        for (const row of rows) {
          const answer = boardingAnswer(row);
          if (row.error !== undefined || row.result.verdict !== 'NO_HIT' || row.traveller.issues.length > 0) expect(answer).not.toBe('BOARD');
        }
        // A screen stopped half way: the travellers without a row are "contact".
        const kept = rows.slice(0, stopAfter);
        const codes = tokenizeEdifact(formatCusres(kept, { reference: 'R1', manifest: m }))
          .filter((s) => s.tag === 'ERC')
          .map((s) => s.elements[0]![0]);
        m.travellers.forEach((t, i) => {
          if (!kept.some((r) => r.traveller.index === t.index)) expect(codes[i]).toBe(CUSRES_ANSWER_CODES.CONTACT);
        });
      }),
      { numRuns: 60 },
    );
  });
});
