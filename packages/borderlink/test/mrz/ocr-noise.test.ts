// Regression (issue 9): OCR noise that no check digit can see. A digit in a field that holds only letters, stray
// whitespace or marks inside a line, filler lost or doubled at the end of a line. Each repair is listed in
// `corrections` with an OCR_CORRECTED issue, never made with `repair: false`, and never a silent choice.
import { describe, expect, it } from 'vitest';
import { formatMrz, parseMrz } from 'borderlink';
import type { FormatMrzInput, MrzIssueCode, ParsedMrz } from 'borderlink';

const referenceDate = new Date('2025-06-01T00:00:00Z');
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'] as const;
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'] as const;

const PERSON: FormatMrzInput = {
  format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', surname: 'Eriksson',
  givenNames: ['Anna', 'Maria'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15',
};

function parse(lines: string | readonly string[], repair = true): ParsedMrz {
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

describe('a line one or two characters too long', () => {
  it('removes a space inside a line of names', () => {
    const result = parse(['P<UTOERIKSSON<<ANNA<MARIA<<<< <<<<<<<<<<<<<<<', TD3[1]]);
    expect(result.valid).toBe(true);
    expect(result.lines).toEqual(TD3);
    expect(result.corrections).toEqual([{ line: 0, column: 29, from: ' ', to: '', field: 'names', verified: false, kind: 'removed' }]);
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'OCR_CORRECTED', line: 0, start: 29, end: 30, field: 'names' }));
  });

  it('removes a space inside a line the check digits cover, and says they pass', () => {
    const result = parse([TD3[0], 'L898902C36UTO 7408122F1204159ZE184226B<<<<<10']);
    expect(result.valid).toBe(true);
    expect(result.document?.birthDate).toBe('1974-08-12');
    expect(result.corrections).toEqual([{ line: 1, column: 13, from: ' ', to: '', field: 'birthDate', verified: true, kind: 'removed' }]);
  });

  it('removes every space inside the lines when that gives the layout length, however many', () => {
    const result = parse(['P<UTO ERIKSSON << ANNA < MARIA <<<<<<<<<<<<<<<<<<<', 'L898902C3 6 UTO 740812 2 F 120415 9 ZE184226B<<<<<1 0']);
    expect(result.format).toBe('TD3');
    expect(result.valid).toBe(true);
    expect(result.lines).toEqual(TD3);
    expect(result.corrections).toHaveLength(15);
    expect(result.corrections.every((c) => c.kind === 'removed' && c.from === ' ' && c.to === '')).toBe(true);
  });

  it.each([['.'], [','], ["'"], ['Ж']])('removes a stray %s inside a line', (mark) => {
    const names = parse([TD3[0].replace('ANNA<', `ANNA${mark}<`), TD3[1]]);
    expect(names.valid).toBe(true);
    expect(names.lines).toEqual(TD3);
    expect(names.corrections).toEqual([{ line: 0, column: 19, from: mark, to: '', field: 'names', verified: false, kind: 'removed' }]);
    const covered = parse([TD3[0], TD3[1].replace('120415', `1204${mark}15`)]);
    expect(covered.valid).toBe(true);
    expect(covered.corrections).toEqual([{ line: 1, column: 25, from: mark, to: '', field: 'expiryDate', verified: true, kind: 'removed' }]);
  });

  it('removes a character read twice when exactly one removal makes every check digit pass', () => {
    const result = parse([TD3[0], 'L898902C36UTO74408122F1204159ZE184226B<<<<<10']);
    expect(result.valid).toBe(true);
    expect(result.document?.birthDate).toBe('1974-08-12');
    expect(result.corrections).toEqual([{ line: 1, column: 14, from: '4', to: '', field: 'birthDate', verified: true, kind: 'removed' }]);
  });

  it('removes two characters read twice in one line', () => {
    const result = parse([TD3[0], 'L898902C36UTO74408122F12004159ZE184226B<<<<<10']);
    expect(result.valid).toBe(true);
    expect(result.lines).toEqual(TD3);
    expect(result.corrections.map((c) => [c.column, c.from, c.kind])).toEqual([[14, '4', 'removed'], [24, '0', 'removed']]);
  });

  it('changes nothing when another removal gives a reading the check-digit repair would accept', () => {
    // Removing the doubled 9 passes as read; removing the 8 before it passes once the repair mends a confusion.
    const lines = [TD3[0], 'L8989902C36UTO7408122F1204159ZE184226B<<<<<10'];
    const result = parse(lines);
    expect(result.document).toBeNull();
    expect(result.lines).toEqual(lines);
    expect(codes(result)).toEqual(['INVALID_LENGTH', 'OCR_CORRECTION_AMBIGUOUS']);
    expect(result.issues[1]?.candidates).toContainEqual([{ line: 1, column: 4, to: '', kind: 'removed' }]);
  });

  it('never lets a misread check digit choose which character read twice to remove', () => {
    // The number's check digit is misread (6 as 1) and its first letter read twice. The right removal fails that
    // digit; removing an 8 instead passes by chance. A reading the check digits alone pick would be a wrong number.
    const lines = [TD3[0], 'LL898902C31UTO7408122F1204159ZE184226B<<<<<10'];
    const result = parse(lines);
    expect(result.valid).toBe(false);
    expect(result.document).toBeNull();
    expect(result.corrections).toEqual([]);
    expect(codes(result)).toEqual(['INVALID_LENGTH', 'OCR_CORRECTION_AMBIGUOUS']);
  });

  it('changes nothing and lists the candidates when several removals make the check digits pass', () => {
    const lines = ['I<UTOD2314589907<<<<<<<<<<<<<<<', TD1[1], TD1[2]];
    const result = parse(lines);
    expect(result.valid).toBe(false);
    expect(result.document).toBeNull();
    expect(result.lines).toEqual(lines);
    expect(result.corrections).toEqual([]);
    expect(codes(result)).toEqual(['INVALID_LENGTH', 'OCR_CORRECTION_AMBIGUOUS']);
    const candidates = result.issues[1]?.candidates ?? [];
    expect(candidates.length).toBeGreaterThan(1);
    expect(candidates).toContainEqual([{ line: 0, column: 12, to: '', kind: 'removed' }]);
  });

  it('changes nothing on a line of names that is too long with no stray mark and no trailing filler', () => {
    const lines = formatMrz({ ...PERSON, surname: 'Abcdefghijklmnopqrstuvwxyzabcdefghijklm', givenNames: [] });
    const long = [`${lines[0] as string}N`, lines[1] as string];
    const result = parse(long);
    expect(result.document).toBeNull();
    expect(result.lines).toEqual(long);
    expect(codes(result)).toEqual(['INVALID_LENGTH', 'OCR_CORRECTION_AMBIGUOUS']);
  });

  it('leaves a line as INVALID_LENGTH when no removal makes every check digit pass', () => {
    // The character read twice and a wrong composite digit: the one right removal still fails the composite.
    const lines = [TD3[0], 'L8989902C36UTO7408122F1204159ZE184226B<<<<<11'];
    const result = parse(lines);
    expect(result.document).toBeNull();
    expect(codes(result)).toEqual(['INVALID_LENGTH']);
    expect(result.lines).toEqual(lines);
  });

  it('finds an MRZ with a stray space below a header line of OCR text', () => {
    const result = parse(`scanner v2\n${TD3[0]}\nL898902C36UTO7408122F1204159 ZE184226B<<<<<10\n`);
    expect(result.format).toBe('TD3');
    expect(result.valid).toBe(true);
    expect(result.corrections).toEqual([{ line: 1, column: 28, from: ' ', to: '', field: 'personalNumber', verified: true, kind: 'removed' }]);
  });
});

describe('filler lost or doubled at the end of a line', () => {
  it.each([[1], [2]])('trims %i doubled fillers at the end of a line of names', (extra) => {
    const result = parse([TD3[0] + '<'.repeat(extra), TD3[1]]);
    expect(result.valid).toBe(true);
    expect(result.lines).toEqual(TD3);
    expect(result.corrections).toEqual(
      Array.from({ length: extra }, (_, i) => ({ line: 0, column: 44 + i, from: '<', to: '', field: 'names', verified: false, kind: 'removed' })),
    );
  });

  it.each([[1], [2]])('pads %i fillers lost at the end of a line of names', (lost) => {
    const result = parse([TD1[0], TD1[1], TD1[2].slice(0, 30 - lost)]);
    expect(result.valid).toBe(true);
    expect(result.lines).toEqual(TD1);
    expect(result.corrections).toEqual(
      Array.from({ length: lost }, (_, i) => ({ line: 2, column: 30 - lost + i, from: '', to: '<', field: 'names', verified: false, kind: 'inserted' })),
    );
  });

  it('pads or trims the optional data that ends a TD1 first line, and the check digits confirm it', () => {
    for (const first of [`${TD1[0]}<`, TD1[0].slice(0, 29)]) {
      const result = parse([first, TD1[1], TD1[2]]);
      expect(result.valid).toBe(true);
      expect(result.lines).toEqual(TD1);
      expect(result.corrections).toHaveLength(1);
      expect(result.corrections[0]).toMatchObject({ line: 0, field: 'optionalData1', verified: true });
    }
  });

  it('takes filler after the check digits that end a line only when every check digit then passes', () => {
    const fixed = parse([TD3[0], `${TD3[1]}<`]);
    expect(fixed.valid).toBe(true);
    expect(fixed.corrections).toEqual([{ line: 1, column: 44, from: '<', to: '', field: 'compositeCheckDigit', verified: true, kind: 'removed' }]);
    const wrongComposite = [TD3[0], `${set(TD3[1], 43, '1')}<`];
    const refused = parse(wrongComposite);
    expect(refused.document).toBeNull();
    expect(codes(refused)).toEqual(['INVALID_LENGTH']);
  });

  it('never pads a line that ends in a check digit', () => {
    const lines = [TD3[0], TD3[1].slice(0, 43)];
    const result = parse(lines);
    expect(result.document).toBeNull();
    expect(codes(result)).toContain('INVALID_LENGTH');
    expect(result.corrections).toEqual([]);
  });

  it('fits the lines of a TD1 that are off together, judging the composite across them', () => {
    const result = parse([`${TD1[0]}<`, '7408122F 1204159UTO<<<<<<<<<<<6', `${TD1[2]}<`]);
    expect(result.valid).toBe(true);
    expect(result.lines).toEqual(TD1);
    expect(result.corrections.map((c) => [c.line, c.kind, c.verified])).toEqual([[0, 'removed', true], [1, 'removed', true], [2, 'removed', false]]);
  });
});

describe('line lengths with repair off', () => {
  it('fits no line and reports INVALID_LENGTH', () => {
    for (const lines of [
      ['P<UTOERIKSSON<<ANNA<MARIA<<<< <<<<<<<<<<<<<<<', TD3[1]],
      [TD3[0], 'L8989902C36UTO7408122F1204159ZE184226B<<<<<10'],
      [`${TD3[0]}<`, TD3[1]],
      [TD1[0], TD1[1], TD1[2].slice(0, 29)],
    ]) {
      const result = parse(lines, false);
      expect(result.document).toBeNull();
      expect(result.corrections).toEqual([]);
      expect(result.lines).toEqual(lines);
      expect(codes(result)).toEqual(['INVALID_LENGTH']);
    }
  });
});

describe('a line fitted by its trailing filler while other readings differ in the name', () => {
  it('says so with OCR_CORRECTION_UNCERTAIN and lists the other readings, the right one among them', () => {
    // A letter read twice (UTOO…): removing a trailing filler and removing the doubled letter both pass every digit.
    const result = parseMrz(['P<UTOOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'], {
      referenceDate: new Date('2010-01-01'),
    });
    const uncertain = result.issues.find((i) => i.code === 'OCR_CORRECTION_UNCERTAIN');
    expect(uncertain?.severity).toBe('warning');
    expect(uncertain?.candidates?.[0]).toEqual([{ line: 0, column: 4, to: '', kind: 'removed' }]);
  });
});
