// Regression: three lines with the exact shape of a layout are read as that layout even when a line does not look
// like MRZ (a full TD1 line has no filler; the Swiss licence's first line is 9 characters). Reading a header line
// before a TD3 (test/mrz/ocr-text.test.ts) must keep working.
import { describe, expect, it } from 'vitest';
import { formatMrz, parseMrz } from 'borderlink';

const referenceDate = new Date('2025-06-01T00:00:00Z');
const TD1 = {
  format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', surname: 'Eriksson',
  givenNames: ['Anna'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15',
} as const;

describe('three lines with the shape of a layout', () => {
  it('reads a TD1 whose name line is full (no filler)', () => {
    const lines = formatMrz({ ...TD1, surname: 'Abcdefghijklmnopqrstuvwxyzabcd', givenNames: [] });
    expect(lines[2]).not.toContain('<');
    for (const input of [lines, lines.join('\n')]) {
      const result = parseMrz(input, { referenceDate });
      expect(result.format).toBe('TD1');
      expect(result.valid).toBe(true);
      expect(result.document?.surname).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZABCD');
      expect(result.issues.map((found) => found.code)).toContain('NAME_POSSIBLY_TRUNCATED');
    }
  });

  it('reads a TD1 whose first line is full (no filler)', () => {
    const lines = formatMrz({ ...TD1, documentCode: 'ID', issuingState: 'DEU', optionalData: ['ABCDEFGHIJKLMNO', ''] });
    expect(lines[0]).not.toContain('<');
    const result = parseMrz(lines, { referenceDate });
    expect(result.format).toBe('TD1');
    expect(result.valid).toBe(true);
    expect(result.document?.optionalData).toEqual(['ABCDEFGHIJKLMNO', '']);
  });

  it('reads a Swiss driving licence as three lines', () => {
    const lines = ['AAA001D<<', 'FACHE305142128097<<<<<<<<<<<<<', 'ROSSIER<<ANNA<MARIA<<<<<<<<<<<'];
    const result = parseMrz(lines, { referenceDate });
    expect(result.format).toBe('SWISS_DRIVING_LICENSE');
    expect(result.document?.surname).toBe('ROSSIER');
  });
});
