import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFUSION_GROUPS, formatMrz, parseMrz } from '../../src/mrz/index';
import { LAYOUTS } from '../../src/mrz/layouts';
import { DESIGNATED_LETTERS } from '../../src/mrz/repair';
import { CHAR_VALUE } from '../../src/mrz/check-digit';
import { documentOf, FORMATS, REFERENCE } from './arbitraries';

const TYPES: Record<string, string> = { P: 'PASSPORT', I: 'ID_CARD', V: 'VISA', A: 'OTHER', C: 'OTHER' };

function partnersOf(ch: string): string[] {
  const out = new Set<string>();
  for (const group of CONFUSION_GROUPS) if (group.includes(ch)) for (const other of group) if (other !== ch) out.add(other);
  return [...out];
}

describe.each(FORMATS)('%s', (format) => {
  it('parses what formatMrz writes back into the same document', () => {
    fc.assert(
      fc.property(documentOf(format), (input) => {
        const lines = formatMrz(input);
        const result = parseMrz(lines, { referenceDate: REFERENCE });
        expect(result.issues.filter((found) => found.severity === 'error')).toEqual([]);
        expect(result.valid).toBe(true);
        expect(result.format).toBe(format);
        expect(result.corrections).toEqual([]);
        const doc = result.document;
        expect(doc).toMatchObject({
          documentCode: input.documentCode, documentType: TYPES[input.documentCode.charAt(0)],
          issuingState: input.issuingState, nationality: input.nationality, documentNumber: input.documentNumber,
          surname: input.surname, givenNames: input.givenNames, sex: input.sex, birthDate: input.birthDate,
          expiryDate: input.expiryDate,
        });
        expect(doc?.personalNumber).toBe(input.personalNumber === '' ? undefined : input.personalNumber);
        expect(doc?.optionalData).toEqual(input.optionalData);
      }),
      { numRuns: 300 },
    );
  });

  it('never silently repairs one confusion substitution into something other than the original', () => {
    const layout = LAYOUTS[format];
    const composite = layout.checks.find((check) => check.name === 'composite');
    fc.assert(
      fc.property(documentOf(format), fc.nat(), fc.nat(), (input, at, pick) => {
        const lines = formatMrz(input);
        const joined = lines.join('');
        const positions = [...joined].map((ch, i) => [i, partnersOf(ch)] as const).filter(([, p]) => p.length > 0);
        fc.pre(positions.length > 0);
        const [offset, partners] = positions[at % positions.length] as (typeof positions)[number];
        const from = joined[offset] as string;
        const to = partners[pick % partners.length] as string;
        const line = Math.floor(offset / layout.length);
        const column = offset % layout.length;
        const mutated = lines.map((l, i) => (i === line ? l.slice(0, column) + to + l.slice(column + 1) : l));
        const result = parseMrz(mutated, { referenceDate: REFERENCE });
        const names = layout.byName.names;
        if (names !== undefined && offset >= names.offset && offset < names.offset + names.length && DESIGNATED_LETTERS[to] !== undefined) {
          // A digit in a name is read as its designated letter: a D or Q read as 0 comes back as O, an L read as 1
          // as I. No check digit can tell; the correction says so.
          const designated = DESIGNATED_LETTERS[to] as string;
          expect(result.lines.join('')).toBe(joined.slice(0, offset) + designated + joined.slice(offset + 1));
          expect(result.corrections).toContainEqual({ line, column, from: to, to: designated, field: 'names', verified: false });
          return;
        }
        const restored = result.lines.join('') === joined;
        const untouched = result.lines.join('') === mutated.join('');
        const ambiguousWithOriginal = result.issues.some(
          (found) => found.code === 'OCR_CORRECTION_AMBIGUOUS'
            && (found.candidates ?? []).some((c) => c.some((change) => change.line === line && change.column === column && change.to === from)),
        );
        const covered = layout.checkAt[offset] !== -1 || (composite?.covered.includes(offset) ?? false);
        const diff = (CHAR_VALUE[from.charCodeAt(0)] as number) - (CHAR_VALUE[to.charCodeAt(0)] as number);
        const blind = !covered || diff % 10 === 0;
        // Anything the repair changes, it changes back to the original.
        expect(restored || untouched).toBe(true);
        if (restored) return;
        if (!result.valid || ambiguousWithOriginal) return;
        expect(blind).toBe(true);
      }),
      { numRuns: 600 },
    );
  });
});
