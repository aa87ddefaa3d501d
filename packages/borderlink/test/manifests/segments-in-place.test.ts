// parsePaxlst reads segments in place (the bounds of their components in the text, one object reused) where the public
// tokenizer hands out arrays: both must see the same segments, whatever the text and however it is cut into chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdifactTokenizer, type EdifactSegment } from 'borderlink/manifests';
import { endInPlace, writeInPlace, type SegmentFields as Fields } from '../../src/manifests/edifact';

/** What a reader can see of a segment handed out in place, copied while it is valid. */
function seen(s: Fields): EdifactSegment {
  const elements: string[][] = [];
  for (let e = 0; e < s.count; e++) {
    const components: string[] = [];
    for (let c = 0; c < s.components(e); c++) components.push(s.get(e, c));
    elements.push(components);
  }
  // Past the end: empty, never another segment's text.
  expect(s.get(s.count, 0)).toBe('');
  expect(s.components(s.count)).toBe(0);
  expect(s.get(0, s.components(0))).toBe('');
  return { tag: s.tag, elements, position: s.position, line: s.line };
}

function both(text: string, cuts: readonly number[]): { arrays: EdifactSegment[]; inPlace: EdifactSegment[] } {
  const chunks: string[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    chunks.push(text.slice(at, cut));
    at = cut;
  }
  chunks.push(text.slice(at));
  const arrays: EdifactSegment[] = [];
  const a = new EdifactTokenizer();
  for (const chunk of chunks) a.write(chunk, (s) => arrays.push(s));
  a.end((s) => arrays.push(s));
  const inPlace: EdifactSegment[] = [];
  const b = new EdifactTokenizer();
  for (const chunk of chunks) writeInPlace(b, chunk, (s) => inPlace.push(seen(s)));
  endInPlace(b, (s) => inPlace.push(seen(s)));
  return { arrays, inPlace };
}

// Values with the separators released, line breaks (not data) and blanks: the general path and the fast one both.
const value = fc.array(fc.constantFrom('A', 'B', '7', ' ', '?+', '?:', "?'", '??', '\n', '\r\n', 'Ö'), { maxLength: 6 }).map((parts) => parts.join(''));
const element = fc.array(value, { minLength: 1, maxLength: 5 }).map((components) => components.join(':'));
const segment = fc
  .tuple(fc.constantFrom('UNB', 'NAD', 'DOC', 'DTM', 'LOC', 'FTX', 'ZZ9'), fc.array(element, { maxLength: 90 }))
  .map(([tag, elements]) => (elements.length === 0 ? tag : `${tag}+${elements.join('+')}`));

describe('segments read in place', () => {
  it('are the segments the public tokenizer hands out, for any text cut anywhere', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(segment, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('', '\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 4 }),
        (una, segments, lineBreak, cuts) => {
          const text = `${una ? "UNA:+.? '" : ''}${segments.join(`'${lineBreak}`)}'${lineBreak}`;
          const { arrays, inPlace } = both(
            text,
            cuts.map((c) => c % (text.length + 1)),
          );
          expect(inPlace).toEqual(arrays);
          expect(arrays.length).toBe(segments.length + (una ? 1 : 0));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads a segment of more components than the first room made for them', () => {
    const many = Array.from({ length: 300 }, (_, i) => `C${i}`);
    const { arrays, inPlace } = both(`FTX+${many.join(':')}+${many.join('+')}'`, []);
    expect(inPlace).toEqual(arrays);
    expect(inPlace[0]!.elements[0]).toEqual(many);
    expect(inPlace[0]!.elements.length).toBe(301);
  });
});
