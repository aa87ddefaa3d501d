// fast-check generators of valid documents for every ICAO layout.
import fc from 'fast-check';
import type { FormatMrzInput, IcaoMrzFormat } from 'borderlink';

export const REFERENCE = new Date('2025-06-01T00:00:00Z');

const STATES = ['DEU', 'FRA', 'GBR', 'USA', 'NLD', 'ESP', 'ITA', 'CHE', 'AUT', 'BEL', 'SWE', 'NOR', 'POL', 'JPN', 'CAN', 'BRA'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${LETTERS}0123456789`;

const word = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...LETTERS), minLength: min, maxLength: max });
const alnum = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: min, maxLength: max });

const isoDate = (from: string, to: string) =>
  fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

const FIRST: Readonly<Record<IcaoMrzFormat, readonly string[]>> = {
  TD1: ['I', 'A', 'C'], TD2: ['I', 'A', 'C'], TD3: ['P'], MRVA: ['V'], MRVB: ['V'],
};
const OPTIONAL: Readonly<Record<IcaoMrzFormat, readonly number[]>> = {
  TD1: [15, 11], TD2: [7], TD3: [], MRVA: [16], MRVB: [8],
};

export function documentOf(format: IcaoMrzFormat, states: readonly string[] = STATES): fc.Arbitrary<FormatMrzInput> {
  const overflow = format === 'TD1' || format === 'TD2';
  return fc
    .record({
      first: fc.constantFrom(...(FIRST[format] ?? [])),
      second: fc.constantFrom('', 'D', 'R', 'P'),
      issuingState: fc.constantFrom(...states),
      nationality: fc.constantFrom(...states),
      documentNumber: alnum(1, overflow ? 12 : 9),
      surname: word(1, 10),
      givenNames: fc.array(word(1, 8), { maxLength: 2 }),
      birthDate: isoDate('1926-06-02', '2025-06-01'),
      expiryDate: isoDate('2000-01-01', '2074-12-31'),
      sex: fc.constantFrom('M', 'F', 'X', 'UNSPECIFIED') as fc.Arbitrary<'M' | 'F' | 'X' | 'UNSPECIFIED'>,
      personalNumber: alnum(0, 14),
      optional: fc.tuple(alnum(0, 16), alnum(0, 16)),
    })
    .map((r) => {
      const spare = r.documentNumber.length > 9 ? r.documentNumber.length - 9 + 2 : 0;
      const limits = OPTIONAL[format];
      const optionalData = limits.map((limit, i) => r.optional[i]?.slice(0, limit - (i === 0 ? spare : 0)) ?? '');
      const input: FormatMrzInput = {
        format, documentCode: r.first + r.second, issuingState: r.issuingState, documentNumber: r.documentNumber,
        surname: r.surname, givenNames: r.givenNames, nationality: r.nationality, birthDate: r.birthDate, sex: r.sex,
        expiryDate: r.expiryDate,
        ...(format === 'TD3' ? { personalNumber: r.personalNumber } : {}),
        ...(optionalData.some((part) => part.length > 0) ? { optionalData } : {}),
      };
      return input;
    });
}

export const FORMATS: readonly IcaoMrzFormat[] = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'];
