// parsePaxlst on messages a fresh eye wrote to break it: travellers after the control total, segments passed over
// inside a traveller's group, dates of birth that cannot be, control totals that disagree, envelopes that mix
// grouped and ungrouped messages. Each must keep or refuse the traveller, never leave it looking complete.
import { describe, expect, it } from 'vitest';
import { EdifactError, parsePaxlst, toBatchItem, type EdifactIssueCode, type PaxlstManifest } from 'borderlink/manifests';

const now = new Date('2025-06-01T00:00:00Z');
const HEAD = ['BGM+745', 'TDT+20+ZZ1', 'LOC+125+FRA', 'LOC+87+UTO'];
const pax = (surname: string, doc = 'X1') => [`NAD+FL+++${surname}:JO`, 'DTM+329:19800101:102', `DOC+P+${doc}`, 'LOC+91+UTO'];

function message(body: string[], reference = '1'): string {
  const segments = [`UNH+${reference}+PAXLST:D:05B:UN:IATA`, ...body];
  return `${segments.map((s) => `${s}'`).join('')}UNT+${segments.length + 1}+${reference}'`;
}
const interchange = (...messages: string[]) => `UNB+UNOA:4+A+B+250301:0900+R1'${messages.join('')}UNZ+${messages.length}+R1'`;
const read = (body: string[]): PaxlstManifest => parsePaxlst(interchange(message(body)), { now });
const refusal = (text: string): [EdifactIssueCode, number, string | undefined] | undefined => {
  try {
    parsePaxlst(text, { now });
  } catch (err) {
    if (!(err instanceof EdifactError)) throw err;
    return [err.edifactIssues[0]!.code, err.segment, err.tag];
  }
  return undefined;
};
const issues = (m: PaxlstManifest) => m.travellers.map((t) => t.issues.map((i) => [i.code, i.segment, i.tag]));

describe('parsePaxlst, reviewed', () => {
  it('reads a traveller whose NAD comes after the CNT, so the control total is checked against it and it is not lost', () => {
    const m = read([...HEAD, ...pax('A'), 'CNT+42:2', ...pax('B')]);
    expect(m.travellers.map((t) => [t.surname, t.documents.map((d) => d.number)])).toEqual([
      ['A', ['X1']],
      ['B', ['X1']],
    ]);
    // A CNT that counts only the travellers before it no longer hides the one after it.
    expect(refusal(interchange(message([...HEAD, ...pax('A'), 'CNT+42:1', ...pax('B')])))).toEqual(['COUNT_MISMATCH', 11, 'CNT']);
  });

  it('makes a segment passed over inside a traveller’s group that traveller’s issue: a mistyped DOC cannot leave it cleared on its other document', () => {
    // "D0C" (a zero) is not a tag the guide defines: the passport it held is not read, and its LOC+91 has no
    // document. The traveller's visa alone would be searched and could come back clear.
    const m = read([...HEAD, 'NAD+FL+++A:JO', 'D0C+P+X1', 'LOC+91+UTO', 'DOC+V+V9', 'LOC+91+UTO', ...pax('B')]);
    expect(issues(m)).toEqual([
      [
        ['UNKNOWN_SEGMENT', 8, undefined],
        ['MISPLACED_SEGMENT', 9, 'LOC'],
      ],
      [],
    ]);
    expect(() => toBatchItem(m.travellers[0]!)).toThrow(EdifactError);
    // Still warnings of the manifest, by position.
    expect(m.warnings.map((w) => [w.code, w.segment])).toEqual([
      ['UNKNOWN_SEGMENT', 8],
      ['MISPLACED_SEGMENT', 9],
    ]);
    // A segment of the guide passed over by name (bags, free text) is no issue.
    expect(issues(read([...HEAD, ...pax('A'), 'MEA+CT++:2', 'FTX+BAG+++ZZ1:2', 'GEI+4+173']))).toEqual([[]]);
  });

  it('keeps a date of birth after today, or more than 150 years ago, as that traveller’s issue', () => {
    for (const dob of ['20250602:102', '20990101:102', '00000101:102', '18740531:102']) {
      const m = read([...HEAD, 'NAD+FL+++A:JO', `DTM+329:${dob}`, 'DOC+P+X1', 'LOC+91+UTO']);
      expect(issues(m), dob).toEqual([[['BAD_DATE', 8, 'DTM']]]);
      expect(m.travellers[0]!.dateOfBirth, dob).toBeUndefined();
    }
    for (const [dob, iso] of [
      ['20250601:102', '2025-06-01'],
      ['18750601:102', '1875-06-01'],
    ]) {
      expect(read([...HEAD, 'NAD+FL+++A:JO', `DTM+329:${dob}`, 'DOC+P+X1', 'LOC+91+UTO']).travellers[0]!.dateOfBirth).toBe(iso);
    }
  });

  it('keeps two dates of birth that differ as that traveller’s issue, and one repeated as it is', () => {
    const twice = read([...HEAD, 'NAD+FL+++A:JO', 'DTM+329:19800101:102', 'DTM+329:19900101:102', 'DOC+P+X1', 'LOC+91+UTO']);
    expect(issues(twice)).toEqual([[['BAD_DATE', 9, 'DTM']]]);
    const same = read([...HEAD, 'NAD+FL+++A:JO', 'DTM+329:19800101:102', 'DOC+P+X1', 'DTM+329:800101', 'LOC+91+UTO']);
    expect([issues(same), same.travellers[0]!.dateOfBirth]).toEqual([[[]], '1980-01-01']);
  });

  it('refuses two control totals of one kind that disagree, in one CNT or in two', () => {
    expect(refusal(interchange(message([...HEAD, ...pax('A'), 'CNT+42:5+42:1'])))).toEqual(['COUNT_MISMATCH', 11, 'CNT']);
    expect(refusal(interchange(message([...HEAD, ...pax('A'), 'CNT+42:5', 'CNT+42:1'])))).toEqual(['COUNT_MISMATCH', 12, 'CNT']);
    expect(read([...HEAD, ...pax('A'), 'CNT+42:1+41:0']).messages[0]).toMatchObject({ declaredPassengers: 1, declaredCrew: 0 });
  });

  it('refuses a message outside any functional group once the interchange has one, whose UNZ would not count it', () => {
    const group = `UNG+PAXLST+A+B+250301:0900+G1+UN+D:05B'${message([...HEAD, ...pax('A')])}UNE+1+G1'`;
    const text = `UNB+UNOA:4+A+B+250301:0900+R1'${group}${message([...HEAD, ...pax('B')], '2')}UNZ+1+R1'`;
    expect(refusal(text)).toEqual(['UNEXPECTED_SEGMENT', 14, 'UNH']);
  });

  it('refuses every envelope count and reference one off, a message cut short by the next UNH, and one without UNZ', () => {
    const body = [...HEAD, ...pax('A')];
    const one = message(body);
    const group = (count: number, reference: string) => `UNB+UNOA:4+A+B+250301:0900+R1'UNG+PAXLST+A+B+250301:0900+G1+UN+D:05B'${one}UNE+${count}+${reference}'UNZ+1+R1'`;
    const cases: [string, [EdifactIssueCode, number, string | undefined]][] = [
      [interchange(one.replace(/UNT\+(\d+)/, (_, n: string) => `UNT+${Number(n) + 1}`)), ['COUNT_MISMATCH', 11, 'UNT']],
      [interchange(one.replace(/UNT\+(\d+)/, (_, n: string) => `UNT+${Number(n) - 1}`)), ['COUNT_MISMATCH', 11, 'UNT']],
      [interchange(one.replace(/UNT\+(\d+)\+1/, 'UNT+$1+2')), ['REFERENCE_MISMATCH', 11, 'UNT']],
      [interchange(one).replace('UNZ+1+R1', 'UNZ+2+R1'), ['COUNT_MISMATCH', 12, 'UNZ']],
      [interchange(one).replace('UNZ+1+R1', 'UNZ+1+R2'), ['REFERENCE_MISMATCH', 12, 'UNZ']],
      [group(2, 'G1'), ['COUNT_MISMATCH', 13, 'UNE']],
      [group(1, 'G2'), ['REFERENCE_MISMATCH', 13, 'UNE']],
      [interchange(`UNH+1+PAXLST:D:05B:UN:IATA'${one}`), ['MISSING_SEGMENT', 3, 'UNH']],
      [interchange(one).replace("UNZ+1+R1'", ''), ['MISSING_SEGMENT', 12, 'UNZ']],
    ];
    for (const [text, expected] of cases) expect(refusal(text), text).toEqual(expected);
  });

  it('refuses a message whose reference an earlier message of the interchange has, in a group or not', () => {
    const a = message([...HEAD, ...pax('A')]);
    const b = message([...HEAD, ...pax('B')]);
    expect(refusal(`UNB+UNOA:4+A+B+250301:0900+R1'${a}${b}UNZ+2+R1'`)?.[0]).toBe('DUPLICATE_REFERENCE');
    const grouped = `UNB+UNOA:4+A+B+250301:0900+R1'UNG+PAXLST+A+B+250301:0900+G1+UN+D:05B'${a}UNE+1+G1'UNG+PAXLST+A+B+250301:0900+G2+UN+D:05B'${b}UNE+1+G2'UNZ+2+R1'`;
    expect(refusal(grouped)?.[0]).toBe('DUPLICATE_REFERENCE');
    // Two references, two messages: read.
    expect(() => parsePaxlst(`UNB+UNOA:4+A+B+250301:0900+R1'${a}${message([...HEAD, ...pax('B')], '2')}UNZ+2+R1'`)).not.toThrow();
  });

  it('refuses a second UNA', () => {
    expect(refusal(`UNA:+.? 'UNA:+.? '${interchange(message([...HEAD, ...pax('A')]))}`)).toEqual(['UNEXPECTED_SEGMENT', 2, 'UNA']);
  });
});
