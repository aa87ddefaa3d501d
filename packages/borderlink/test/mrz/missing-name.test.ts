// Regression (issue 9, rule 1): an MRZ whose name field held no name parsed valid, so a check of it asked NOMINAL
// nothing and a holder under a notice read NO_HIT.
import { describe, expect, it } from 'vitest';
import { computeCheckDigit, formatMrz, MRZ_ISSUE_CODES, MRZ_ISSUE_SEVERITY, parseMrz } from '../../src/mrz/index';
import type { IcaoMrzFormat, ParsedMrz } from 'borderlink';
import { LAYOUTS } from '../../src/mrz/layouts';

const referenceDate = new Date('2025-06-01T00:00:00Z');

function document(format: IcaoMrzFormat): string[] {
  return formatMrz({
    format, documentCode: format === 'TD3' ? 'P' : format.startsWith('MRV') ? 'V' : 'I', issuingState: 'DEU',
    documentNumber: 'C01X00T47', surname: 'Mustermann', givenNames: ['Erika'], nationality: 'DEU',
    birthDate: '1964-08-12', sex: 'F', expiryDate: '2032-02-28',
  });
}

/** `lines` with the name field replaced by `text`, padded with filler. */
function withNames(format: IcaoMrzFormat, lines: readonly string[], text: string): string[] {
  const field = LAYOUTS[format].byName.names;
  if (field === undefined) throw new Error('no name field');
  return lines.map((line, index) =>
    index === field.line ? line.slice(0, field.start) + text.padEnd(field.length, '<') + line.slice(field.start + field.length) : line,
  );
}

function missingName(result: ParsedMrz) {
  return result.issues.find((found) => found.code === 'MISSING_NAME');
}

describe('an MRZ without a name', () => {
  it('lists MISSING_NAME as an error code', () => {
    expect(MRZ_ISSUE_CODES).toContain('MISSING_NAME');
    expect(MRZ_ISSUE_SEVERITY.MISSING_NAME).toBe('error');
  });

  it.each(['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'] as const)('refuses a %s whose name field is all filler', (format) => {
    const lines = withNames(format, document(format), '');
    for (const repair of [true, false]) {
      const result = parseMrz(lines, { referenceDate, repair });
      expect(result.valid).toBe(false);
      const field = LAYOUTS[format].byName.names;
      expect(missingName(result)).toMatchObject({
        severity: 'error', field: 'names', line: field?.line, start: field?.start, end: (field?.start ?? 0) + (field?.length ?? 0),
      });
      expect(Object.values(result.checkDigits).every((digit) => digit.ok)).toBe(true);
    }
  });

  it('refuses a name field holding only digits that no repair reads as letters', () => {
    const lines = withNames('TD3', document('TD3'), '3<<47');
    const result = parseMrz(lines, { referenceDate });
    expect(result.valid).toBe(false);
    expect(result.issues.map((found) => found.code)).toEqual(expect.arrayContaining(['MISSING_NAME', 'INVALID_CHARACTERS']));
  });

  it('refuses a name field of digits when repair is off', () => {
    const result = parseMrz(withNames('TD1', document('TD1'), '00<<11'), { referenceDate, repair: false });
    expect(missingName(result)?.severity).toBe('error');
    expect(result.corrections).toEqual([]);
  });

  it('accepts a lone secondary identifier as the name of a one-name holder', () => {
    const result = parseMrz(withNames('TD3', document('TD3'), '<<ANNA'), { referenceDate });
    expect(result.valid).toBe(true);
    expect(missingName(result)).toBeUndefined();
    expect(result.document).toMatchObject({ surname: '', givenNames: ['ANNA'] });
  });

  it('accepts a one-name holder written as the primary identifier', () => {
    const result = parseMrz(withNames('TD2', document('TD2'), 'ANNA'), { referenceDate });
    expect(result.valid).toBe(true);
    expect(result.document).toMatchObject({ surname: 'ANNA', givenNames: [] });
  });

  it('names the field and the position only in its message', () => {
    const result = parseMrz(withNames('TD3', document('TD3'), ''), { referenceDate });
    expect(missingName(result)?.message).toBe('The name field holds no name (no letter in it) (name, line 1, columns 6-44)');
  });
});

describe('a national format without a name', () => {
  it('refuses a French national ID card with both name fields empty', () => {
    const line0 = 'IDFRA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<';
    const number = '940992310285';
    const body = `${number}${computeCheckDigit(number)}<<<<<<<<<<<<<<651206${computeCheckDigit('651206')}M`;
    const result = parseMrz([line0, `${body}${computeCheckDigit(line0 + body)}`], { referenceDate });
    expect(result.format).toBe('FRENCH_NATIONAL_ID');
    expect(result.valid).toBe(false);
    expect(missingName(result)).toMatchObject({ severity: 'error', field: 'names', line: 0 });
  });

  it('refuses a French driving licence with an empty name', () => {
    const result = parseMrz(['D1FRA13AA000026181231<<<<<<<<8'], { referenceDate });
    expect(result.format).toBe('FRENCH_DRIVING_LICENSE');
    expect(Object.values(result.checkDigits).every((digit) => digit.ok)).toBe(true);
    expect(result.valid).toBe(false);
    expect(missingName(result)?.severity).toBe('error');
  });

  it('refuses a Swiss driving licence with an empty name line', () => {
    const result = parseMrz(['AAA001D<<', 'FACHE305142128097<<<<<<<<<<<<<', '<'.repeat(30)], { referenceDate });
    expect(result.format).toBe('SWISS_DRIVING_LICENSE');
    expect(result.valid).toBe(false);
    expect(missingName(result)?.severity).toBe('error');
  });

  it('still accepts a Swiss driving licence with a name', () => {
    const result = parseMrz(['AAA001D<<', 'FACHE305142128097<<<<<<<<<<<<<', 'ROSSIER<<ANNA<MARIA<<<<<<<<<<<'], { referenceDate });
    expect(missingName(result)).toBeUndefined();
  });
});
