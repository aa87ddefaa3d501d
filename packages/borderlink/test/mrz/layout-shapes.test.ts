// The parser builds `raw` and `checkDigits` from one object literal per layout, for speed. These tests hold those
// literals to the layout table in src/mrz/layouts.ts: same keys, same order, same slices.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMrz, parseMrz } from 'borderlink';
import { LAYOUTS } from '../../src/mrz/layouts';
import { documentOf, FORMATS, REFERENCE } from './arbitraries';

describe.each(FORMATS)('%s result shape', (format) => {
  const layout = LAYOUTS[format];

  it('has one raw entry per layout field, in table order, sliced at the table positions', () => {
    fc.assert(
      fc.property(documentOf(format), fc.boolean(), (input, repair) => {
        const lines = formatMrz(input);
        const result = parseMrz(lines, { referenceDate: REFERENCE, repair });
        expect(Object.keys(result.raw)).toEqual(layout.fields.map((field) => field.field));
        for (const field of layout.fields) {
          expect(result.raw[field.field]).toBe((lines[field.line] as string).slice(field.start, field.start + field.length));
        }
        expect(Object.keys(result.checkDigits)).toEqual(layout.checks.map((check) => check.name));
      }),
      { numRuns: 50 },
    );
  });

  it('continues an overflowing document number only into optionalData1', () => {
    expect(layout.overflowInto === null || layout.overflowInto.field === 'optionalData1').toBe(true);
  });

  it('keeps the key order of the document and of every check digit', () => {
    const lines = formatMrz({
      format, documentCode: format === 'TD3' ? 'P' : format.startsWith('MRV') ? 'V' : 'I', issuingState: 'UTO',
      documentNumber: 'L898902C3', surname: 'Eriksson', givenNames: ['Anna'], nationality: 'UTO',
      birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15',
      ...(format === 'TD3' ? { personalNumber: 'ZE184226B' } : { optionalData: format === 'TD1' ? ['AB', 'CD'] : ['AB'] }),
    });
    const result = parseMrz(lines, { referenceDate: REFERENCE });
    expect(Object.keys(result)).toEqual(['format', 'valid', 'specimen', 'document', 'raw', 'checkDigits', 'issues', 'corrections', 'lines']);
    expect(Object.keys(result.document ?? {})).toEqual([
      'documentCode', 'documentType', 'issuingState', 'documentNumber', 'nationality', 'surname', 'givenNames', 'sex',
      'birthDate', 'expiryDate', format === 'TD3' ? 'personalNumber' : 'optionalData',
    ]);
    for (const digit of Object.values(result.checkDigits)) expect(Object.keys(digit)).toEqual(['printed', 'computed', 'ok']);
    for (const found of result.issues) expect(Object.keys(found)).toEqual(['code', 'severity', 'line', 'start', 'end', 'message', 'field']);
  });
});
