// The PAXLST fixtures of test/manifests/fixtures, written from the implementation guide's segment tables: each good
// one read into the manifest it describes, each broken one refused with the position of its fault.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from 'borderlink';
import { EdifactError, PAXLST_SEGMENTS, parsePaxlst, type EdifactIssueCode, type PaxlstManifest } from 'borderlink/manifests';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const now = new Date('2025-06-01T00:00:00Z');
const read = (name: string): PaxlstManifest => parsePaxlst(fixture(name), { now });

describe('parsePaxlst, on the fixtures', () => {
  it('reads a batch passenger list: envelope, group, reporting party, flight and every traveller', () => {
    const m = read('passengers.edi');
    expect(m.interchange).toEqual({
      reference: 'PAX0001',
      syntax: { identifier: 'UNOA', version: '4' },
      sender: 'ZZAIRLINE',
      recipient: 'UTOAPI',
      preparedAt: '2025-03-01T08:45',
      test: false,
      separators: { component: ':', element: '+', decimal: '.', release: '?', repetition: ' ', segment: "'" },
    });
    expect(m.warnings).toEqual([]);
    expect(m.messages).toHaveLength(1);
    const message = m.messages[0]!;
    expect(message).toMatchObject({
      reference: 'M1',
      version: { directory: 'D', release: '05B', agency: 'UN', association: 'IATA' },
      commonAccessReference: 'ZZ400/250301/1000',
      sequence: { number: 1, last: true },
      documentCode: '745',
      list: 'passengers',
      transactionReference: 'TX0001',
      reportingParty: { name: 'API DESK ZZ AIRLINE', contact: 'DUTY OFFICER', phone: '0049 69 1234', fax: '0049 69 1235', email: 'api@zz.example' },
      flights: [{ number: 'ZZ400', carrier: 'ZZ', legs: [{ departure: 'FRA', departsAt: '2025-03-01T10:00', arrival: 'UTO', arrivesAt: '2025-03-01T13:30' }] }],
      declaredPassengers: 5,
      group: 'G1',
    });
    expect(message.travellers).toEqual(m.travellers);
    expect(m.travellers.map((t) => [t.index, t.surname, t.givenNames, t.sex, t.dateOfBirth, t.nationality, t.documents.map((d) => [d.documentType, d.number, d.issuingState, d.expiresOn])])).toEqual([
      [1, 'ERIKSSON', ['ANNA', 'MARIA'], 'F', '1974-08-12', 'UTO', [['PASSPORT', 'L898902C3', 'UTO', '2030-04-15']]],
      [2, 'STORGARD', ['NILS', 'ERIK'], 'M', '1968-03-22', 'UTO', [['PASSPORT', 'X1000002', 'UTO', '2029-11-30']]],
      [3, 'NOVAK', ['JANA'], 'F', '1990-01-31', 'UTO', [['PASSPORT', 'X1000003', 'UTO', '2031-01-01']]],
      [4, 'DOE', ['JOHN'], 'M', '1980-01-01', 'UTO', [['ID_CARD', 'D23145890', 'UTO', undefined]]],
      [5, 'LINDQVIST', ['PER'], undefined, '1985-06-30', 'UTO', [['PASSPORT', 'X1000005', 'UTO', '2028-07-01']]],
    ]);
    expect(m.travellers[0]).toMatchObject({
      role: 'passenger',
      qualifier: 'FL',
      inTransit: false,
      segment: 15,
      line: 15,
      embarkation: 'FRA',
      debarkation: 'UTO',
      residence: { code: 'UTO' },
      placeOfBirth: { code: 'UTO', name: 'ZENITH CITY' },
      bookingReference: 'QX7P2A',
      references: [{ qualifier: 'AVF', value: 'QX7P2A' }, { qualifier: 'SEA', value: '12A' }],
      issues: [],
    });
    expect(m.travellers[1]).toMatchObject({
      address: { street: '12 HARBOUR ROAD', city: 'ZENITH CITY', postcode: '99001', country: 'UTO' },
      passengerReference: 'ZZ0002',
    });
    expect(m.travellers.every((t) => t.message === 0 && t.issues.length === 0)).toBe(true);
  });

  it('reads a crew list: BGM 250, crew members (one in transit), their functions and every document', () => {
    const m = read('crew.edi');
    expect(m.messages[0]).toMatchObject({ documentCode: '250', list: 'crew', declaredCrew: 3, reportingParty: { name: 'CREW DESK' } });
    expect(m.travellers.map((t) => [t.surname, t.role, t.qualifier, t.inTransit, t.crewFunction])).toEqual([
      ['HALVORSEN', 'crew', 'FM', false, 'CR1'],
      ['OKAFOR', 'crew', 'FM', false, 'CR2'],
      ['PEREIRA', 'crew', 'DDU', true, 'CR2'],
    ]);
    expect(m.travellers[0]).toMatchObject({ address: { street: '1 AIRPORT WAY', city: 'FRANKFURT', postcode: '60549', country: 'D' }, residence: { code: 'D' }, nationality: 'D' });
    expect(m.travellers[1]!.documents.map((d) => [d.code, d.documentType, d.number, d.issuingState])).toEqual([
      ['P', 'PASSPORT', 'X2000001', 'UTO'],
      ['AC', 'OTHER', 'ZZC4471', 'UTO'],
    ]);
    // All on one line: positions and lines still name each segment.
    expect(m.travellers.map((t) => [t.segment, t.line])).toEqual([[10, 1], [19, 1], [28, 1]]);
  });

  it('reads a multi-leg flight: LOC+92 ends one leg and starts the next, with the times of each', () => {
    const m = read('multileg.edi');
    expect(m.messages[0]!.flights).toEqual([
      {
        number: 'ZZ77',
        carrier: 'ZZ',
        legs: [
          { departure: 'SIN', departsAt: '2025-03-02T07:15', arrival: 'DXB', arrivesAt: '2025-03-02T11:30' },
          { departure: 'DXB', departsAt: '2025-03-02T13:20', arrival: 'UTO', arrivesAt: '2025-03-02T17:55' },
        ],
      },
    ]);
    expect(m.travellers[1]).toMatchObject({ surname: 'HASSAN', qualifier: 'DDT', inTransit: true, role: 'passenger', dateOfBirth: '2021-06-14', embarkation: 'SIN', debarkation: 'DXB' });
  });

  it('reads a UNA with its own separators and release character, in ISO 8859-1 (UNOC)', () => {
    const m = read('custom-una.edi');
    expect(m.interchange.separators).toEqual({ component: ':', element: '*', decimal: ',', release: '#', repetition: ' ', segment: '~' });
    expect(m.interchange.syntax).toEqual({ identifier: 'UNOC', version: '3' });
    expect(m.messages[0]!.version).toEqual({ directory: 'D', release: '02B', agency: 'UN', association: 'IATA' });
    // `#*`, `#~` and `#:` are a literal separator; `'` and `?` are plain characters under this UNA.
    expect(m.travellers.map((t) => [t.surname, t.givenNames])).toEqual([
      ['MÜLLER*SCHMIDT', ['JOSÉ']],
      ["D'ARCY", ['MARIE:CLAIRE']],
    ]);
    expect(m.travellers[0]!.bookingReference).toBe('AB~C*D');
  });

  it('reads a list split over several UNH, each message counted and its CNT a running total', () => {
    const m = read('split.edi');
    expect(m.messages.map((x) => [x.reference, x.sequence, x.commonAccessReference, x.travellers.length, x.declaredPassengers])).toEqual([
      ['P1', { number: 1, last: false }, 'ZZ900/250304/0900', 2, 2],
      ['P2', { number: 2, last: true }, 'ZZ900/250304/0900', 1, 3],
    ]);
    expect(m.travellers.map((t) => [t.index, t.message, t.surname])).toEqual([
      [1, 0, 'ABARA'],
      [2, 0, 'BRANDT'],
      [3, 1, 'CASTELLANOS'],
    ]);
  });

  it('reads a NAD+FL before any TDT as a traveller, never as the reporting party', () => {
    const text =
      "UNB+UNOA:4+A+B+250301:0900+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+MS+++DESK'NAD+FL+++DOE:JO'DOC+P+X1'LOC+91+UTO'" +
      "NAD+FL+++ROE:AL'DOC+P+X2'LOC+91+UTO'UNT+10+1'UNZ+1+1'";
    const m = parsePaxlst(text, { now });
    expect(m.travellers.map((t) => t.surname)).toEqual(['DOE', 'ROE']);
    expect(m.messages[0]!.reportingParty).toEqual({ name: 'DESK' });
    expect(m.warnings.map((w) => [w.code, w.tag, w.segment])).toEqual([['MISSING_SEGMENT', 'UNT', 11]]);
  });

  it('names every segment of the guide, each read or skipped', () => {
    const guide = ['UNA', 'UNB', 'UNG', 'UNH', 'BGM', 'RFF', 'DTM', 'NAD', 'CTA', 'COM', 'TDT', 'LOC', 'ATT', 'MEA', 'GEI', 'FTX', 'EMP', 'NAT', 'DOC', 'CNT', 'UNT', 'UNE', 'UNZ'];
    for (const tag of guide) expect(['read', 'skipped']).toContain(PAXLST_SEGMENTS[tag]?.use);
  });

  it('says which segments it passed over, by position, when asked', () => {
    const m = parsePaxlst(fixture('passengers.edi'), { now, reportSkipped: true });
    expect(m.warnings.map((w) => [w.code, w.tag, w.segment])).toEqual([
      ['SKIPPED_SEGMENT', 'MEA', 18],
      ['SKIPPED_SEGMENT', 'GEI', 19],
      ['SKIPPED_SEGMENT', 'FTX', 20],
      ['SKIPPED_SEGMENT', 'COM', 57],
    ]);
  });
});

describe('parsePaxlst, on the broken fixtures', () => {
  const cases: [string, EdifactIssueCode, number, number, string | undefined, number | undefined][] = [
    ['broken-unterminated.edi', 'UNTERMINATED_SEGMENT', 25, 25, 'DOC', undefined],
    ['broken-unt-count.edi', 'COUNT_MISMATCH', 28, 28, 'UNT', 1],
    ['broken-unz-count.edi', 'COUNT_MISMATCH', 29, 29, 'UNZ', 1],
    ['broken-unz-reference.edi', 'REFERENCE_MISMATCH', 29, 29, 'UNZ', 2],
    ['broken-no-unz.edi', 'MISSING_SEGMENT', 29, 28, 'UNZ', undefined],
    ['broken-cnt.edi', 'COUNT_MISMATCH', 27, 27, 'CNT', 1],
    ['broken-unreleased-apostrophe.edi', 'BAD_TAG', 14, 13, undefined, undefined],
    ['broken-not-paxlst.edi', 'NOT_PAXLST', 2, 2, 'UNH', 2],
  ];
  it.each(cases)('refuses %s with %s at segment %i (line %i, tag %s)', (name, code, segment, line, tag, element) => {
    let error: unknown;
    try {
      read(name);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EdifactError);
    expect(error).toBeInstanceOf(InputError);
    const e = error as EdifactError;
    expect(e.code).toBe('INVALID_EDIFACT');
    expect([e.edifactIssues[0]!.code, e.segment, e.line, e.tag, e.edifactIssues[0]!.element]).toEqual([code, segment, line, tag, element]);
    expect(e.message).toContain(`segment ${segment} (${tag ?? 'no known tag'}, line ${line}`);
    // Never a value of the message: no name, number or reference appears.
    for (const value of ['TANAKA', 'HARUTO', 'HASSAN', 'X3000001', 'X30', 'ML0001', 'ML0002', 'ZZ77']) expect(JSON.stringify(e) + e.message).not.toContain(value);
  });

  it('keeps a date of birth that cannot be as that traveller’s issue, and reads the others', () => {
    const m = read('broken-bad-date.edi');
    expect(m.travellers[0]!.dateOfBirth).toBeUndefined();
    expect(m.travellers[0]!.issues).toEqual([
      { code: 'BAD_DATE', segment: 15, line: 15, tag: 'DTM', element: 1, message: 'segment 15 (DTM, line 15, element 1): the date of birth is not a date' },
    ]);
    expect(m.travellers[1]!.issues).toEqual([]);
  });

  it('keeps a document without its number as that traveller’s issue', () => {
    const m = read('broken-doc-without-number.edi');
    expect(m.travellers[1]!.issues.map((i) => [i.code, i.segment, i.tag, i.element])).toEqual([['DOCUMENT_WITHOUT_NUMBER', 25, 'DOC', 2]]);
    expect(m.travellers[0]!.issues).toEqual([]);
  });

  it('passes over a segment the guide does not define, with a warning that gives its position and not its tag', () => {
    const m = read('broken-unknown-segment.edi');
    expect(m.travellers).toHaveLength(2);
    expect(m.warnings).toEqual([{ code: 'UNKNOWN_SEGMENT', segment: 17, line: 17, tag: undefined, message: 'segment 17 (no known tag, line 17): a segment the PAXLST guide does not define: passed over' }]);
  });
});

describe('parsePaxlst, as a stream', () => {
  const names = ['passengers.edi', 'crew.edi', 'multileg.edi', 'custom-una.edi', 'split.edi'];
  it.each(names)('reads %s fed in chunks of every size from 1 to 97 bytes as it reads it whole', async (name) => {
    const bytes = fixture(name);
    const whole = read(name);
    for (const size of [1, 2, 3, 5, 8, 13, 64, 97]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
      expect(await parsePaxlst(Readable.from(chunks), { now })).toEqual(whole);
    }
  });

  it('decodes UTF-8 (UNOY) with a character split between two chunks', async () => {
    const text = "UNB+UNOY:4+A+B+250301:0900+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+ZZ1'NAD+FL+++ÅSTRÖM:ÉLODIE'DOC+P+X1'LOC+91+UTO'UNT+7+1'UNZ+1+1'";
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf(Buffer.from('Ö', 'utf8')) + 1;
    const m = await parsePaxlst(Readable.from([bytes.subarray(0, at), bytes.subarray(at)]), { now });
    expect([m.travellers[0]!.surname, m.travellers[0]!.givenNames]).toEqual(['ÅSTRÖM', ['ÉLODIE']]);
  });

  it('reads segments wrapped at any column, with CRLF or without line breaks, as the same manifest', () => {
    const text = fixture('multileg.edi').toString('latin1');
    const flat = text.replace(/\n/g, '');
    const wrapped = flat.replace(/(.{17})/g, '$1\r\n');
    // Only the line numbers differ.
    const withoutLines = (m: PaxlstManifest) => JSON.parse(JSON.stringify(m, (key, value: unknown) => (key === 'line' ? undefined : value))) as unknown;
    expect(withoutLines(parsePaxlst(wrapped, { now }))).toEqual(withoutLines(parsePaxlst(text, { now })));
    expect(withoutLines(parsePaxlst(flat, { now }))).toEqual(withoutLines(parsePaxlst(text, { now })));
    expect(parsePaxlst(wrapped, { now }).travellers.map((t) => t.line)).toEqual([Math.floor(flat.indexOf("NAD+FL") / 17) + 1, Math.floor(flat.indexOf('NAD+DDT') / 17) + 1]);
  });

  it('refuses an interchange of more segments than maxSegments, at the first one over', () => {
    expect(() => parsePaxlst(fixture('multileg.edi'), { maxSegments: 20 })).toThrow(expect.objectContaining({ edifactIssues: [expect.objectContaining({ code: 'TOO_MANY_SEGMENTS', segment: 21 })] }));
    expect(parsePaxlst(fixture('multileg.edi'), { maxSegments: 29, now }).travellers).toHaveLength(2);
  });

  it('refuses a text without terminators once it is longer than maxSegmentLength, without holding it whole', async () => {
    async function* endless() {
      yield 'UNB+UNOA:4+A+B+250301:0900+1';
      for (let i = 0; i < 10_000; i++) yield 'X'.repeat(100);
    }
    await expect(parsePaxlst(endless(), { maxSegmentLength: 1000 })).rejects.toMatchObject({ edifactIssues: [{ code: 'SEGMENT_TOO_LONG', segment: 1 }] });
  });
});

describe('parsePaxlst options and input', () => {
  it('refuses an unknown option and a bad one with a ConfigError naming it', () => {
    expect(() => parsePaxlst('', { strict: true } as never)).toThrow(new ConfigError('parsePaxlst: option `strict` is not known'));
    expect(() => parsePaxlst('', { maxSegmentLength: 0 })).toThrow(ConfigError);
    expect(() => parsePaxlst('', { now: new Date(Number.NaN) })).toThrow(ConfigError);
    expect(() => parsePaxlst(42 as never)).toThrow(ConfigError);
  });

  it('refuses an empty text, and one that is not EDIFACT, by position', () => {
    expect(() => parsePaxlst('')).toThrow(expect.objectContaining({ edifactIssues: [expect.objectContaining({ code: 'MISSING_SEGMENT', tag: 'UNB' })] }));
    expect(() => parsePaxlst('id,documentNumber\n1,X1\n')).toThrow(expect.objectContaining({ edifactIssues: [expect.objectContaining({ code: 'UNTERMINATED_SEGMENT' })] }));
  });

  it('reads two-digit birth years as the latest century not after today, so an infant is not a century old', () => {
    const text = (dob: string) =>
      `UNB+UNOA:4+A+B+250301:0900+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+ZZ1'NAD+FL+++DOE:JO'DTM+329:${dob}'DOC+P+X1'LOC+91+UTO'UNT+8+1'UNZ+1+1'`;
    expect(parsePaxlst(text('250115'), { now }).travellers[0]!.dateOfBirth).toBe('2025-01-15');
    expect(parsePaxlst(text('250715'), { now }).travellers[0]!.dateOfBirth).toBe('1925-07-15');
    expect(parsePaxlst(text('19250115:102'), { now }).travellers[0]!.dateOfBirth).toBe('1925-01-15');
  });
});
