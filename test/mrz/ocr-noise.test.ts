// Regression (issue 9): OCR noise that no check digit can see. A digit in a field that holds only letters, stray
// whitespace or marks inside a line, filler lost or doubled at the end of a line. Each repair is listed in
// `corrections` with an OCR_CORRECTED issue, never made with `repair: false`, and never a silent choice.
import { describe, expect, it } from 'vitest';
import { formatMrz, parseMrz } from '../../src/mrz/index';
import type { FormatMrzInput, MrzIssueCode, ParsedMrz } from '../../src/mrz/index';

const referenceDate = new Date('2025-06-01T00:00:00Z');
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'] as const;
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'] as const;

const PERSON: FormatMrzInput = {
  format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', surname: 'Eriksson',
  givenNames: ['Anna', 'Maria'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15',
};

function parse(lines: readonly string[], repair = true): ParsedMrz {
  return parseMrz(lines, { referenceDate, repair });
}

function codes(result: ParsedMrz): MrzIssueCode[] {
  return result.issues.map((found) => found.code);
}

/** `line` with `text` written over it from `at`. */
function set(line: string, at: number, text: string): string {
  return line.slice(0, at) + text + line.slice(at + text.length);
}

describe('a digit in a field that holds only letters', () => {
  it('reads a 0 in a name as O, marked unverified', () => {
    const result = parse([TD3[0].replace('ERIKSSON', 'ERIKSS0N'), TD3[1]]);
    expect(result.valid).toBe(true);
    expect(result.document?.surname).toBe('ERIKSSON');
    expect(result.corrections).toEqual([{ line: 0, column: 11, from: '0', to: 'O', field: 'names', verified: false }]);
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'OCR_CORRECTED', field: 'names', line: 0, start: 11, end: 12 }));
    expect(codes(result)).not.toContain('OCR_CORRECTION_AMBIGUOUS');
  });

  it('reads a 1 in a name as I', () => {
    const result = parse([TD1[0], TD1[1], TD1[2].replace('MARIA', 'MAR1A')]);
    expect(result.valid).toBe(true);
    expect(result.document?.givenNames).toEqual(['ANNA', 'MARIA']);
    expect(result.corrections).toEqual([{ line: 2, column: 18, from: '1', to: 'I', field: 'names', verified: false }]);
  });

  it('reads 5, 8, 2 and 6 in a name as S, B, Z and G', () => {
    const lines = formatMrz({ ...PERSON, surname: 'Sbzg', givenNames: [] });
    const result = parse([(lines[0] as string).replace('SBZG', '5826'), lines[1] as string]);
    expect(result.valid).toBe(true);
    expect(result.document?.surname).toBe('SBZG');
    expect(result.corrections.map((c) => `${c.from}${c.to}`)).toEqual(['5S', '8B', '2Z', '6G']);
  });

  it('keeps 3, 4, 7 and 9 in a name as INVALID_CHARACTERS, for they look like no letter', () => {
    for (const digit of ['3', '4', '7', '9']) {
      const result = parse([TD3[0].replace('ANNA', `AN${digit}A`), TD3[1]]);
      expect(result.valid).toBe(false);
      expect(result.issues).toContainEqual(expect.objectContaining({ code: 'INVALID_CHARACTERS', field: 'names' }));
      expect(result.corrections).toEqual([]);
    }
  });

  it('repairs two digits in a state code when exactly one reading is a known code', () => {
    const lines = formatMrz({ ...PERSON, issuingState: 'IDN' });
    const result = parse([(lines[0] as string).replace('P<IDN', 'P<10N'), lines[1] as string]);
    expect(result.document?.issuingState).toBe('IDN');
    expect(result.valid).toBe(true);
    expect(result.corrections).toEqual([
      { line: 0, column: 2, from: '1', to: 'I', field: 'issuingState', verified: false },
      { line: 0, column: 3, from: '0', to: 'D', field: 'issuingState', verified: false },
    ]);
  });

  it('takes the one known reading of a state code even when it is not the designated letter', () => {
    const lines = formatMrz({ ...PERSON, nationality: 'CHL' });
    const line1 = lines[1] as string;
    const result = parse([lines[0] as string, set(line1, 10, 'CH1')]);
    expect(result.document?.nationality).toBe('CHL');
    expect(result.corrections).toEqual([{ line: 1, column: 12, from: '1', to: 'L', field: 'nationality', verified: false }]);
  });

  it('leaves a state code with two known readings as read, listing both', () => {
    const lines = formatMrz({ ...PERSON, nationality: 'AIA' });
    const result = parse([lines[0] as string, set(lines[1] as string, 10, 'A1A')]);
    expect(result.valid).toBe(false);
    expect(result.document?.nationality).toBe('A1A');
    expect(result.corrections).toEqual([]);
    const ambiguous = result.issues.find((found) => found.code === 'OCR_CORRECTION_AMBIGUOUS');
    expect(ambiguous).toMatchObject({ field: 'nationality' });
    expect(ambiguous?.candidates).toEqual([[{ line: 1, column: 11, to: 'I' }], [{ line: 1, column: 11, to: 'L' }]]);
  });

  it('leaves a digit in the sex field as INVALID_SEX: no digit looks like M, F, X or <', () => {
    for (const digit of '0123456789') {
      const result = parse([TD3[0], set(TD3[1], 20, digit)]);
      expect(codes(result)).toContain('INVALID_SEX');
      expect(result.corrections).toEqual([]);
    }
  });

  it('changes no letter in a name, a state code or the sex when repair is off', () => {
    const lines = [TD3[0].replace('ERIKSSON', 'ERIKSS0N').replace('P<UTO', 'P<UT0'), TD3[1]];
    const result = parse(lines, false);
    expect(result.corrections).toEqual([]);
    expect(result.lines).toEqual(lines);
    expect(result.valid).toBe(false);
  });
});
