// The EDIFACT tokenizer under odd service strings, padding and chunking: a UNA that says "no release character",
// a UNA that gives a line break or a blank a separator's role, blank runs longer than a segment may be, and any
// chunking of any text reading as the whole text does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdifactError, EdifactTokenizer, parsePaxlst, tokenizeEdifact, type EdifactSegment } from 'borderlink/manifests';

const now = new Date('2025-06-01T00:00:00Z');
const paxlst = (una: string, traveller: string) => {
  const body = ['UNH+1+PAXLST:D:05B:UN:IATA', 'BGM+745', 'TDT+20+ZZ1', traveller, 'DOC+P+X1', 'LOC+91+UTO'];
  return `${una}UNB+UNOA:3+A+B+250301:0900+1'${body.map((s) => `${s}'`).join('')}UNT+${body.length + 1}+1'UNZ+1+1'`;
};
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (err) {
    if (err instanceof EdifactError) return err.edifactIssues[0]!.code;
    throw err;
  }
  return undefined;
};

describe('the UNA service string advice', () => {
  it('reads a syntax 3 UNA whose release character is a space as one without a release character', () => {
    // ISO 9735 syntax 3: "release character: if not used, insert space character". Read as a release character,
    // every blank in a name would swallow the character after it.
    const m = parsePaxlst(paxlst("UNA:+.  '", 'NAD+FL+++VAN DER BERG:ANNA MARIA'), { now });
    expect([m.travellers[0]!.surname, m.travellers[0]!.givenNames]).toEqual(['VAN DER BERG', ['ANNA', 'MARIA']]);
    expect(tokenizeEdifact("UNA:+.  'UNB+A ?:B'")[1]!.elements).toEqual([['A ?', 'B']]);
  });

  it('refuses a UNA cut short and a text that ends on a release character, whole or streamed', async () => {
    expect(codeOf(() => tokenizeEdifact('UNA:+.'))).toBe('BAD_UNA');
    expect(codeOf(() => tokenizeEdifact("UNB+A'NAD+X?"))).toBe('UNTERMINATED_SEGMENT');
    await expect(parsePaxlst((async function* () { yield 'UN'; yield 'A:+'; })())).rejects.toMatchObject({ edifactIssues: [{ code: 'BAD_UNA' }] });
    await expect(parsePaxlst((async function* () { yield "UNB+UNOA:4+A+B+250301:0900+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745+X"; yield '?'; })())).rejects.toMatchObject({ edifactIssues: [{ code: 'UNTERMINATED_SEGMENT', segment: 3, tag: 'BGM' }] });
  });

  it('refuses a UNA that gives a line break, or a blank, the role of a separator other than the terminator', () => {
    // Line breaks are not data (segments may be wrapped at any column), and a blank is part of names.
    for (const una of ['UNA\n+.? \'', 'UNA:\r.? \'', 'UNA:+.\n \'', 'UNA +.? \'', 'UNA: .? \'', 'UNA:+.?  ']) {
      expect(codeOf(() => tokenizeEdifact(`${una}UNB+A'`)), JSON.stringify(una)).toBe('BAD_UNA');
    }
    // The terminator may be a line break.
    expect(tokenizeEdifact('UNA:+.? \nUNB+A\nUNH+1\n').map((s) => s.tag)).toEqual(['UNA', 'UNB', 'UNH']);
  });
});

describe('blank runs', () => {
  it('reads an interchange padded with more blanks than maxSegmentLength between and after its segments', async () => {
    const text = `${paxlst('', 'NAD+FL+++DOE:JO').replace("UNT", `${'\n'.repeat(3000)}${' '.repeat(3000)}UNT`)}${' '.repeat(10_000)}\r\n`;
    const whole = parsePaxlst(text, { now });
    expect(whole.travellers).toHaveLength(1);
    async function* chunks() {
      for (let i = 0; i < text.length; i += 700) yield text.slice(i, i + 700);
    }
    expect(await parsePaxlst(chunks(), { now })).toEqual(whole);
    // The blank lines are counted: the UNT is on the line after them.
    const unt = tokenizeEdifact(text).find((s) => s.tag === 'UNT')!;
    expect(unt.line).toBe(3001);
  });

  it('still refuses a segment longer than maxSegmentLength after blanks', () => {
    expect(codeOf(() => tokenizeEdifact(`UNB+A'${' '.repeat(5000)}NAD+${'X'.repeat(5000)}'`))).toBe('SEGMENT_TOO_LONG');
    expect(codeOf(() => tokenizeEdifact(`UNB+A'${' '.repeat(5000)}NAD+${'X'.repeat(5000)}`))).toBe('SEGMENT_TOO_LONG');
  });

  it('refuses an unterminated segment fed as a stream once it is longer than maxSegmentLength, released terminators and all', () => {
    const tokenizer = new EdifactTokenizer({ maxSegmentLength: 1000 });
    const segments: EdifactSegment[] = [];
    tokenizer.write("UNB+A'NAD+", (s) => segments.push(s));
    let fed = 0;
    const feed = () => {
      for (; fed < 100_000; fed++) tokenizer.write("?'?+", (s) => segments.push(s));
    };
    expect(codeOf(feed)).toBe('SEGMENT_TOO_LONG');
    expect(fed).toBeLessThan(300);
    expect(segments.map((s) => s.tag)).toEqual(['UNB']);
  });
});

describe('chunking', () => {
  const alphabet = [...":+.? '*|#~\r\n\t\uFEFFUNABHTDOC1", 'UNA', 'UNB', 'UNA*|.# ~', "UNA:+.  '", "UNA:+.? '"];
  const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((parts) => parts.join(''));
  const outcome = (run: (push: (s: EdifactSegment) => void) => void): string => {
    const segments: EdifactSegment[] = [];
    try {
      run((s) => segments.push(s));
    } catch (err) {
      if (!(err instanceof EdifactError)) throw err;
      return `error ${err.message}`;
    }
    return JSON.stringify(segments);
  };

  it('gives the same segments, or the same positioned error, for any text cut into any chunks', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (whole, cuts) => {
        const at = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
        const expected = outcome((push) => {
          const t = new EdifactTokenizer();
          t.write(whole, push);
          t.end(push);
        });
        const chunked = outcome((push) => {
          const t = new EdifactTokenizer();
          let from = 0;
          for (const to of [...at, whole.length]) {
            t.write(whole.slice(from, to), push);
            from = to;
          }
          t.end(push);
        });
        expect(chunked).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('character sets', () => {
  it('decodes UNOC as ISO 8859-1, whole and streamed: 0x80–0x9F are its C1 controls, not Windows-1252 letters', async () => {
    // TextDecoder's "latin1" is Windows-1252: 0x9B would read as "›" (U+203A), which an ISO 8859-1 writer of the
    // answer then cuts to 0x3A, a component separator in the middle of the name.
    const text = paxlst('', 'NAD+FL+++DOE\u009bX\u0085Y\u00e9:JO').replace('UNOA:3', 'UNOC:3');
    const bytes = Buffer.from(text, 'latin1');
    expect(parsePaxlst(bytes, { now }).travellers[0]!.surname).toBe('DOE\u009bX\u0085Y\u00e9');
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    expect((await parsePaxlst(chunks(), { now })).travellers[0]!.surname).toBe('DOE\u009bX\u0085Y\u00e9');
    // UNOK is ISO 8859-9, not Windows-1254: the six Turkish letters, and C1 controls again.
    const turkish = Buffer.from(paxlst('', 'NAD+FL+++\u00ddZMIR\u009b\u00fe:JO').replace('UNOA:3', 'UNOK:3'), 'latin1');
    expect(parsePaxlst(turkish, { now }).travellers[0]!.surname).toBe('İZMIR\u009bş');
  });
});
