// Properties of the repairs of OCR noise that no check digit sees (issue 9): for every generated document, each kind
// of noise is repaired back to the same document and listed in `corrections`; no repair turns an MRZ with a wrong
// check digit into a valid one the check-digit repair alone would not give; parseMrz never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMrz, parseMrz } from 'borderlink';
import type { FormatMrzInput, IcaoMrzFormat, ParsedMrz } from 'borderlink';
import { LAYOUTS } from '../../src/mrz/layouts';
import { documentOf, FORMATS, REFERENCE } from './arbitraries';

const options = { referenceDate: REFERENCE };

/** Letters of a name a scanner reads as digits, and the digit each becomes. */
const LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', S: '5', B: '8', Z: '2', G: '6' };

function insertAt(lines: readonly string[], line: number, column: number, text: string): string[] {
  return lines.map((l, i) => (i === line ? l.slice(0, column) + text + l.slice(column) : l));
}

/** Lines of `format` that end in a field padded with filler (names, optional data), not in a check digit. */
function fillerEndedLines(format: IcaoMrzFormat): number[] {
  const layout = LAYOUTS[format];
  const out: number[] = [];
  for (let line = 0; line < layout.lines; line++) {
    const field = layout.fields[layout.fieldAt[line * layout.length + layout.length - 1] as number];
    if (field !== undefined && !field.isDigit) out.push(line);
  }
  return out;
}

/** `text` with a candidate's changes made: removals at columns as read, insertions at columns of the result. */
function applyChanges(text: string, changes: readonly { column: number; to: string; kind?: string }[]): string {
  const removed = new Set(changes.filter((c) => c.kind === 'removed').map((c) => c.column));
  let out = [...text].filter((_, i) => !removed.has(i)).join('');
  for (const change of changes.filter((c) => c.kind === 'inserted').sort((a, b) => a.column - b.column)) {
    out = out.slice(0, change.column) + change.to + out.slice(change.column);
  }
  return out;
}

function sameDocument(noisy: ParsedMrz, clean: ParsedMrz): void {
  expect(noisy.valid).toBe(clean.valid);
  expect(noisy.document).toEqual(clean.document);
  expect(noisy.lines).toEqual(clean.lines);
}

describe.each(FORMATS)('%s with OCR noise', (format) => {
  it('reads a line with one space inside it as the same document, the space listed as removed', () => {
    fc.assert(
      fc.property(documentOf(format), fc.nat(), fc.nat(), (input, pickLine, pickColumn) => {
        const lines = formatMrz(input);
        const line = pickLine % lines.length;
        const column = 1 + (pickColumn % ((lines[line] as string).length - 1));
        const result = parseMrz(insertAt(lines, line, column, ' '), options);
        sameDocument(result, parseMrz(lines, options));
        expect(result.corrections).toContainEqual(expect.objectContaining({ line, column, from: ' ', to: '', kind: 'removed' }));
      }),
      { numRuns: 150 },
    );
  });

  it('reads a line with its trailing filler doubled or lost as the same document, the filler listed', () => {
    const candidates = fillerEndedLines(format);
    fc.assert(
      fc.property(documentOf(format), fc.nat(), fc.integer({ min: 1, max: 2 }), fc.boolean(), (input, pickLine, count, doubled) => {
        const lines = formatMrz(input);
        const line = candidates[pickLine % candidates.length] as number;
        const text = lines[line] as string;
        fc.pre(doubled || text.endsWith('<'.repeat(count)));
        const noisy = lines.map((l, i) => (i !== line ? l : doubled ? l + '<'.repeat(count) : l.slice(0, l.length - count)));
        const result = parseMrz(noisy, options);
        if (result.document === null) {
          // Another fitting may be as good a reading (a filler moved inside a run of data the check digits weigh
          // alike, a letter of the state code taken out instead): then nothing is changed and the right fitting
          // is among the candidates, listed first.
          expect(result.lines).toEqual(noisy);
          const ambiguous = result.issues.find((found) => found.code === 'OCR_CORRECTION_AMBIGUOUS');
          expect(applyChanges(noisy[line] as string, ambiguous?.candidates?.[0] ?? [])).toBe(text);
          return;
        }
        sameDocument(result, parseMrz(lines, options));
        const kind = doubled ? 'removed' : 'inserted';
        expect(result.corrections.filter((c) => c.line === line && c.kind === kind)).toHaveLength(count);
      }),
      { numRuns: 150 },
    );
  });

  it('reads a letter of the name scanned as its digit look-alike as the same document, the letter listed', () => {
    const names = LAYOUTS[format].byName.names;
    fc.assert(
      fc.property(documentOf(format), fc.nat(), (input, pick) => {
        const lines = formatMrz(input);
        if (names === undefined) return;
        const field = (lines[names.line] as string).slice(names.start, names.start + names.length);
        const positions = [...field].flatMap((ch, i) => (LOOK_ALIKES[ch] !== undefined ? [i] : []));
        fc.pre(positions.length > 0);
        const at = positions[pick % positions.length] as number;
        const column = names.start + at;
        const letter = field[at] as string;
        const digit = LOOK_ALIKES[letter] as string;
        const noisy = lines.map((l, i) => (i === names.line ? l.slice(0, column) + digit + l.slice(column + 1) : l));
        const result = parseMrz(noisy, options);
        sameDocument(result, parseMrz(lines, options));
        expect(result.corrections).toContainEqual({ line: names.line, column, from: digit, to: letter, field: 'names', verified: false });
      }),
      { numRuns: 150 },
    );
  });

  it('never chooses between document numbers when a check digit is wrong and a line is off by one', () => {
    const layout = LAYOUTS[format];
    const digit = layout.byName.documentNumberCheckDigit;
    type Noise = 'space' | 'stray' | 'twice' | 'filler';
    fc.assert(
      fc.property(
        documentOf(format), fc.integer({ min: 1, max: 9 }), fc.constantFrom<Noise>('space', 'stray', 'twice', 'filler'),
        fc.nat(), fc.nat(),
        (input: FormatMrzInput, shift, noise, pickLine, pickColumn) => {
          const lines = formatMrz(input);
          if (digit === undefined) return;
          const printed = (lines[digit.line] as string).charAt(digit.start);
          fc.pre(/[0-9]/.test(printed));
          const wrong = String((Number(printed) + shift) % 10);
          const broken = lines.map((l, i) => (i === digit.line ? l.slice(0, digit.start) + wrong + l.slice(digit.start + 1) : l));
          const line = pickLine % broken.length;
          const text = broken[line] as string;
          const column = 1 + (pickColumn % (text.length - 1));
          const noisy =
            noise === 'space' ? insertAt(broken, line, column, ' ')
            : noise === 'stray' ? insertAt(broken, line, column, '.')
            : noise === 'twice' ? insertAt(broken, line, column, text.charAt(column))
            : insertAt(broken, line, text.length, '<');
          const result = parseMrz(noisy, options);
          if (!result.valid) return;
          // Every reading of the noisy line with one character removed that the parser accepts has the document
          // number the repair chose: it never picked one of several.
          const noisyLine = noisy[line] as string;
          for (let i = 0; i < noisyLine.length; i++) {
            const reading = noisy.map((l, j) => (j === line ? l.slice(0, i) + l.slice(i + 1) : l));
            // A reading that keeps the space is not one: the parser drops whitespace before anything else.
            if (/\s/.test(reading[line] as string)) continue;
            const parsed = parseMrz(reading, options);
            if (parsed.valid) expect(parsed.document?.documentNumber).toBe(result.document?.documentNumber);
          }
          // And when the check-digit repair alone reads the broken MRZ, the noise changes nothing of it.
          const alone = parseMrz(broken, options);
          if (alone.valid) expect(result.document?.documentNumber).toBe(alone.document?.documentNumber);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('parseMrz on arbitrary input', () => {
  const noisyMrz = fc
    .tuple(fc.constantFrom(...FORMATS).chain((format) => documentOf(format)), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 3 }), fc.nat(3)), { maxLength: 4 }))
    .map(([input, edits]) => {
      const lines = formatMrz(input);
      for (const [pickLine, pickColumn, text, drop] of edits) {
        const line = pickLine % lines.length;
        const l = lines[line] as string;
        const column = pickColumn % (l.length + 1);
        lines[line] = l.slice(0, column) + text + l.slice(column + drop);
      }
      return lines;
    });

  it('never throws, on strings, arrays of anything, and MRZs with characters added and dropped', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: fc.constantFrom('<', ' ', '.', 'A', '0', '1', '\n', 'é', '\u{1F600}'), maxLength: 140 }),
          fc.array(fc.oneof(fc.string({ maxLength: 50 }), fc.anything()), { maxLength: 5 }),
          noisyMrz,
          noisyMrz.map((lines) => lines.join('\n')),
        ),
        fc.boolean(),
        (input, repair) => {
          const result = parseMrz(input as string | string[], { referenceDate: REFERENCE, repair });
          expect(typeof result.valid).toBe('boolean');
          if (!repair) expect(result.corrections).toEqual([]);
          for (const correction of result.corrections) expect(correction.line).toBeLessThan(result.lines.length);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('parseMrz on lines that are not text', () => {
  // Regression: an array item whose conversion to text throws made parseMrz throw a TypeError.
  it('reads an item that cannot be turned into text as no text', () => {
    const hostile = { toString: 0 };
    const result = parseMrz([hostile, 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'] as never, options);
    expect(result.valid).toBe(false);
    expect(result.document).toBeNull();
  });

  it('reads lines from any iterable, not only an array', () => {
    const lines = new Set(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10', 5]);
    expect(parseMrz(lines as never, options).format).toBe('TD3');
  });
});
