// MRZ given as one string, as most scanners deliver it: the lines joined by CR, LF or CRLF, often with a trailing
// break. The usual shape takes a shortcut past the general split-and-trim path (src/mrz/normalize.ts); whatever the
// text, the result must be exactly the general path's, which a one-element array holding the same text still takes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMrz, parseMrz } from 'borderlink';
import { documentOf, FORMATS, REFERENCE } from './arbitraries';

const options = { referenceDate: REFERENCE };

const BREAKS = ['\r\n', '\n', '\r'] as const;
/** What may sit at a line's end or inside it: whitespace a trim removes, stray marks, lowercase, the filler. */
const NOISE = [' ', '\t', '\u00a0', '\ufeff', '\u2028', '.', 'o', '<', '0', 'K'] as const;

/** Lines of a generated document, each perhaps with noise put in at some column. */
const noisyLines = fc
  .constantFrom(...FORMATS)
  .chain((format) => documentOf(format))
  .chain((input) => {
    const lines = formatMrz(input);
    return fc.tuple(
      ...lines.map((line) =>
        fc.option(fc.tuple(fc.nat({ max: line.length }), fc.constantFrom(...NOISE)), { freq: 3 }).map((noise) =>
          noise === null ? line : line.slice(0, noise[0]) + noise[1] + line.slice(noise[0])),
      ),
    );
  });

/** How the lines are joined: breaks before, between (one or more: blank lines) and after, of any style. */
const joined = fc
  .record({
    lines: fc.oneof(noisyLines, noisyLines.map((lines) => lines.slice(0, 1)), noisyLines.map((lines) => ['HEADER LINE', ...lines])),
    before: fc.array(fc.constantFrom(...BREAKS), { maxLength: 2 }),
    between: fc.array(fc.array(fc.constantFrom(...BREAKS), { minLength: 1, maxLength: 3 }), { minLength: 3, maxLength: 3 }),
    after: fc.array(fc.constantFrom(...BREAKS), { maxLength: 2 }),
  })
  .map(({ lines, before, between, after }) =>
    before.join('') + lines.map((line, i) => line + (i < lines.length - 1 ? (between[i] as string[]).join('') : '')).join('') + after.join(''));

describe('MRZ given as one string', () => {
  it('parses exactly as the general line splitting does, for any breaks, blank lines and noise', () => {
    fc.assert(
      fc.property(joined, (text) => {
        expect(parseMrz(text, options)).toEqual(parseMrz([text], options));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['CRLF with a trailing break', '\r\n', '\r\n'],
    ['LF without a trailing break', '\n', ''],
    ['CR with a trailing break', '\r', '\r'],
  ])('reads a GBR passport joined by %s as the same lines given as an array', (_name, separator, trailer) => {
    const lines = formatMrz({
      format: 'TD3', documentCode: 'P', issuingState: 'GBR', nationality: 'GBR', documentNumber: '123456789',
      surname: 'Smith', givenNames: ['John', 'Peter'], birthDate: '1980-01-01', sex: 'M', expiryDate: '2030-01-01',
    });
    const parsed = parseMrz(lines.join(separator) + trailer, options);
    expect(parsed.valid).toBe(true);
    expect(parsed).toEqual(parseMrz(lines, options));
  });
});
