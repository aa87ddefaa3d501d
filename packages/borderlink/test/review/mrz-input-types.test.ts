// parseMrz never throws on data, and throws only a RangeError for misused options; formatMrz throws a RangeError
// naming the field for anything it cannot write. Neither may crash with a TypeError or write a malformed line.
import { describe, expect, it } from 'vitest';
import { formatMrz, parseMrz } from 'borderlink';

const fields = {
  format: 'TD3',
  documentCode: 'P',
  issuingState: 'UTO',
  documentNumber: 'L898902C3',
  surname: 'ERIKSSON',
  givenNames: ['ANNA'],
  nationality: 'UTO',
  birthDate: '1974-08-12',
  sex: 'F',
  expiryDate: '2012-04-15',
} as const;

describe('parseMrz on input of the wrong type', () => {
  it.each([123, true, {}, Symbol.for('x')])('reads %s as an unusable MRZ instead of throwing', (input) => {
    const parsed = parseMrz(input as never);
    expect(parsed.valid).toBe(false);
    expect(parsed.document).toBeNull();
  });

  it.each([null, 5, 'repair'])('refuses options %s with a RangeError', (options) => {
    expect(() => parseMrz('x', options as never)).toThrow(RangeError);
  });
});

describe('formatMrz on fields of the wrong type', () => {
  it.each([[[null]], [[5]], [[{}]]])('refuses givenNames %j with a RangeError naming the field', (givenNames) => {
    expect(() => formatMrz({ ...fields, givenNames } as never)).toThrow(/^formatMrz: givenNames /);
  });

  it.each(['constructor', 'toString', '__proto__'])('refuses sex %s rather than writing a short line', (sex) => {
    expect(() => formatMrz({ ...fields, sex } as never)).toThrow(/^formatMrz: sex /);
  });
});
