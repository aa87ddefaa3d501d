// The check request body is written field by field (src/protocol/request-body.ts), not by JSON.stringify: these
// properties hold it to exactly JSON.stringify's text for every validated check, and its string escaping to
// JSON.stringify's for every string at all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkItemText, checkRequestText, checkRowsText, contextJson, jsonString, numberedCheckRequest, singleCheckText } from '../../src/protocol/request-body';
import type { CheckRequestBody } from '../../src/protocol/wire';
import type { QueryContext, Source, Subject } from '../../src/queries/types';
import { DOCUMENT_TYPES, PURPOSES, SEXES, SOURCES } from '../../src/queries/values';
import { contextSchema, parseInput, subjectsSchema } from '../../src/queries/validate';

/** Any UTF-16 code unit, lone surrogates and control characters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyString = fc.oneof(fc.string({ unit: codeUnit, maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ maxLength: 20 }));

/** What a name may hold: letters from many scripts (astral ones as surrogate pairs), combining marks, ' .,- */
const nameChar = fc.constantFrom(
  'A', 'z', 'É', 'ß', 'Ø', 'Ł', 'Ж', 'ж', 'Ω', 'א', 'ع', '中', '한', 'ㅎ', '\u0301', '\u0308', "'", ' ', '.', ',', '-',
  '𝔄', '𠀀', '\u3164', 'ǅ',
);
const name = fc.string({ unit: nameChar, minLength: 1, maxLength: 30 }).map((s) => `A${s}`.slice(0, 100));
/** Printable ASCII without spaces: quotes and backslashes included. */
const identifier = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 });
const upperAlnum = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'), minLength: min, maxLength: max });
const state = fc.constantFrom('UTO', 'D', 'GBR', 'XXA', 'eu');
const date = fc.constantFrom('1974-08-12', '1974-08', '1974', '2000-02-29');
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const person = fc.record(
  {
    surname: name,
    givenNames: optional(fc.array(name, { maxLength: 3 })),
    dateOfBirth: optional(date),
    sex: optional(fc.constantFrom(...SEXES)),
    nationality: optional(state),
  },
  { requiredKeys: ['surname'] },
);
const subject: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('document'),
      documentNumber: upperAlnum(1, 20),
      issuingState: state,
      documentType: fc.constantFrom(...DOCUMENT_TYPES),
      holder: optional(person),
    },
    { requiredKeys: ['kind', 'documentNumber', 'issuingState', 'documentType'] },
  ),
  person.map((p) => ({ kind: 'person', ...p })),
  fc.oneof(
    fc.record({ kind: fc.constant('vehicle'), vin: upperAlnum(17, 17) }),
    fc.record({ kind: fc.constant('vehicle'), plate: upperAlnum(1, 15), registrationCountry: state }),
  ),
);
const context = fc.record(
  { authorityId: identifier, operatorId: identifier, purpose: fc.constantFrom(...PURPOSES), locationId: optional(identifier) },
  { requiredKeys: ['authorityId', 'operatorId', 'purpose'] },
);
const sources = optional(fc.subarray([...SOURCES] as Source[], { minLength: 1 }));

/** A body as the client builds it: every part through the schemas that validate a check. */
const body: fc.Arbitrary<CheckRequestBody> = fc
  .record({ context, items: fc.array(fc.record({ subjects: fc.array(subject, { minLength: 1, maxLength: 3 }), sources }), { minLength: 1, maxLength: 4 }) })
  .map(({ context: c, items }) => ({
    context: parseInput(contextSchema, c) as QueryContext,
    items: items.map((item, i) => ({
      itemId: String(i + 1),
      subjects: parseInput(subjectsSchema, item.subjects) as Subject[],
      ...(item.sources !== undefined ? { sources: item.sources } : {}),
    })),
  }));

describe('the check request body', () => {
  it('escapes every string exactly as JSON.stringify does, lone surrogates and control characters included', () => {
    fc.assert(fc.property(anyString, (s) => {
        expect(jsonString(s)).toBe(JSON.stringify(s));
      }), { numRuns: 2000 });
  });

  it('is the text JSON.stringify gives for every validated check, unicode names and quoted identifiers included', () => {
    fc.assert(
      fc.property(body, (b) => {
        const text = checkRequestText(b.context, b.items);
        expect(text).toBe(JSON.stringify(b));
        expect(JSON.parse(text)).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same text from parts written once (a single check, and the items of an automatic batch)', () => {
    fc.assert(
      fc.property(body, (b) => {
        const contextText = contextJson(b.context);
        const itemTexts = b.items.map((item) => checkItemText(item.subjects, item.sources));
        const whole = checkRequestText(b.context, b.items);
        // The body arbitrary numbers its items 1 to n, as a batch does.
        expect(numberedCheckRequest(contextText, itemTexts.map((text) => ({ text })))).toBe(whole);
        const first = b.items[0]!;
        expect(singleCheckText(contextText, itemTexts[0]!)).toBe(checkRequestText(b.context, [{ ...first, itemId: '1' }]));
        expect(itemTexts[0]).toBe(JSON.stringify({ subjects: first.subjects, sources: first.sources }));
      }),
      { numRuns: 300 },
    );
  });

  it('writes the request of checkMany rows from their own parts as JSON.stringify writes the items', () => {
    fc.assert(
      fc.property(body, (b) => {
        const items = b.items.map((item) => ({ ...item, sources: item.sources ?? ['SLTD'] }));
        const rows = items.map((item) => ({ itemId: item.itemId, prepared: { subjects: item.subjects, sources: item.sources } }));
        expect(checkRowsText(b.context, rows)).toBe(JSON.stringify({ context: b.context, items }));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a single check, and a frozen context written once, as JSON.stringify does', () => {
    fc.assert(
      fc.property(body, fc.boolean(), (b, freeze) => {
        const item = b.items[0]!;
        const context = freeze ? Object.freeze({ ...b.context }) : b.context;
        const sources = item.sources ?? ['SLTD'];
        const expected = JSON.stringify({ context: b.context, items: [{ itemId: '1', subjects: item.subjects, sources }] });
        expect(singleCheckText(contextJson(context), checkItemText(item.subjects, sources))).toBe(expected);
        // Twice: the second comes from the remembered text of a frozen context.
        expect(singleCheckText(contextJson(context), checkItemText(item.subjects, sources))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('writes a document holder, a location and an identifier with a quote and a backslash', () => {
    const b: CheckRequestBody = {
      context: parseInput(contextSchema, { authorityId: 'A"\\B', operatorId: 'o-1', purpose: 'BORDER_CHECK', locationId: 'GATE"7' }) as QueryContext,
      items: [
        {
          itemId: '1',
          subjects: parseInput(subjectsSchema, [
            { kind: 'document', documentNumber: 'l898902c3', issuingState: 'uto', documentType: 'PASSPORT', holder: { surname: ' Ériksson-𝔄 ', givenNames: ['Anna'] } },
          ]) as Subject[],
          sources: ['SLTD', 'NOMINAL'],
        },
      ],
    };
    expect(checkRequestText(b.context, b.items)).toBe(JSON.stringify(b));
  });
});
