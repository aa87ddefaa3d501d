import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeVerdict, isClear, outcomesFor } from '../../src/queries/results';
import type { Hit, OutcomeStatus, Source, SourceOutcome } from 'borderlink';

const hit = (method: 'EXACT' | 'NORMALISED' | 'FUZZY', source: Source = 'SLTD'): Hit => ({
  hitId: 'h1',
  source,
  kind: 'document',
  recordId: 'r1',
  ownerCountry: 'UTO',
  match: { method, score: method === 'FUZZY' ? 0.8 : 1, matchedFields: ['documentNumber'] },
  confirmation: { state: 'UNCONFIRMED' },
  document: { documentNumber: 'X', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
});
const o = (source: Source, status: OutcomeStatus): SourceOutcome => ({ source, status });

describe('the verdict rule', () => {
  it('is HIT when any hit matched EXACT or NORMALISED, whatever the sources said', () => {
    expect(computeVerdict([o('SLTD', 'HIT'), o('TDAWN', 'UNAVAILABLE')], [hit('EXACT')])).toBe('HIT');
    expect(computeVerdict([o('SLTD', 'NO_HIT')], [hit('FUZZY'), hit('NORMALISED')])).toBe('HIT');
  });

  it('is POSSIBLE_HIT for a fuzzy hit or a source saying POSSIBLE_HIT, even with another source missing', () => {
    expect(computeVerdict([o('NOMINAL', 'POSSIBLE_HIT')], [hit('FUZZY', 'NOMINAL')])).toBe('POSSIBLE_HIT');
    expect(computeVerdict([o('SLTD', 'NO_HIT'), o('TDAWN', 'POSSIBLE_HIT')], [])).toBe('POSSIBLE_HIT');
    expect(computeVerdict([o('SLTD', 'TIMEOUT')], [hit('FUZZY')])).toBe('POSSIBLE_HIT');
  });

  it('is NO_HIT only when every requested source answered NO_HIT', () => {
    expect(computeVerdict([o('SLTD', 'NO_HIT'), o('TDAWN', 'NO_HIT')], [])).toBe('NO_HIT');
    for (const status of ['UNAVAILABLE', 'TIMEOUT', 'NOT_AUTHORISED', 'ERROR'] as const) {
      expect(computeVerdict([o('SLTD', 'NO_HIT'), o('TDAWN', status)], [])).toBe('INCOMPLETE');
    }
  });

  it('is INCOMPLETE when no source answered at all', () => {
    expect(computeVerdict([], [])).toBe('INCOMPLETE');
  });

  it('is POSSIBLE_HIT, never clear, when a source says HIT but sends no hit record to act on', () => {
    expect(computeVerdict([o('SLTD', 'HIT')], [])).toBe('POSSIBLE_HIT');
  });

  it('never reads as clear unless every requested source answered NO_HIT (property)', () => {
    const statuses: OutcomeStatus[] = ['HIT', 'POSSIBLE_HIT', 'NO_HIT', 'UNAVAILABLE', 'TIMEOUT', 'NOT_AUTHORISED', 'ERROR'];
    const sources: Source[] = ['SLTD', 'TDAWN', 'NOMINAL', 'SMV'];
    fc.assert(
      fc.property(
        fc.subarray(sources, { minLength: 1 }),
        fc.array(fc.record({ source: fc.constantFrom(...sources), status: fc.constantFrom(...statuses) }), { maxLength: 8 }),
        (requested, given) => {
          const outcomes = outcomesFor(requested, given);
          const verdict = computeVerdict(outcomes, []);
          if (verdict === 'NO_HIT') {
            for (const source of requested) {
              const answers = given.filter((g) => g.source === source);
              expect(answers.length).toBeGreaterThan(0);
              expect(answers.every((a) => a.status === 'NO_HIT')).toBe(true);
            }
          }
        },
      ),
    );
  });
});

describe('outcomesFor', () => {
  it('lists every requested source once, a missing one as ERROR', () => {
    expect(outcomesFor(['SLTD', 'TDAWN'], [o('SLTD', 'NO_HIT')])).toEqual([o('SLTD', 'NO_HIT'), o('TDAWN', 'ERROR')]);
  });
  it('keeps the least clear answer when a source answers twice', () => {
    expect(outcomesFor(['SLTD'], [o('SLTD', 'NO_HIT'), o('SLTD', 'UNAVAILABLE')])).toEqual([o('SLTD', 'UNAVAILABLE')]);
  });
  it('keeps dataAsOf', () => {
    expect(outcomesFor(['SMV'], [{ source: 'SMV', status: 'NO_HIT', dataAsOf: '2026-11-29T00:00:00Z' }])[0]?.dataAsOf).toBe(
      '2026-11-29T00:00:00Z',
    );
  });
});

describe('isClear', () => {
  it('is true for NO_HIT only', () => {
    expect(isClear({ verdict: 'NO_HIT' })).toBe(true);
    for (const verdict of ['HIT', 'POSSIBLE_HIT', 'INCOMPLETE'] as const) expect(isClear({ verdict })).toBe(false);
  });
});
