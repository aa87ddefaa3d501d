// formatMrz writes names with the same tables as transliterateName, with the issuing state's Cyrillic language, and
// parseMrz reads back exactly that: the MRZ a harness generates is the one the issuer would print.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMrz, parseMrz, transliterateName, type FormatMrzInput } from 'borderlink';

const base: Omit<FormatMrzInput, 'surname' | 'givenNames' | 'issuingState' | 'nationality'> = {
  format: 'TD3',
  documentCode: 'P',
  documentNumber: 'L898902C3',
  birthDate: '1974-08-12',
  sex: 'F',
  expiryDate: '2030-04-15',
};
const REFERENCE = { referenceDate: new Date('2026-01-01') };

function roundTrip(state: string, surname: string, givenNames: string[]) {
  const lines = formatMrz({ ...base, issuingState: state, nationality: state, surname, givenNames });
  const parsed = parseMrz(lines, REFERENCE);
  expect(parsed.valid).toBe(true);
  return { names: lines[0]!.slice(5).replace(/<+$/, ''), surname: parsed.document!.surname, givenNames: parsed.document!.givenNames };
}

describe('names in the MRZ', () => {
  it('prints each script by its table, and reads back the ICAO form', () => {
    const cases: [string, string, string[], string][] = [
      ['D', 'Müller', ['Ülle'], 'MUELLER<<UELLE'],
      ['ISL', 'Þórðardóttir', ['Guðrún'], 'THORDARDOTTIR<<GUDRUN'],
      ['NOR', 'Ødegård', ['Åse'], 'OEDEGAARD<<AASE'],
      ['RUS', 'Цой', ['Юлия'], 'TSOI<<IULIIA'],
      ['RUS', 'Щеглова', ['Юлия', 'Андреевна'], 'SHCHEGLOVA<<IULIIA<ANDREEVNA'],
      ['GRC', 'Παπαδόπουλος', ['Ευάγγελος'], 'PAPADOPOULOS<<EVANGELOS'],
      ['UTO', 'Marie-Claire', ["D'Artagnan"], 'MARIE<CLAIRE<<DARTAGNAN'],
    ];
    for (const [state, surname, givenNames, printed] of cases) {
      const read = roundTrip(state, surname, givenNames);
      expect(read.names, surname).toBe(printed);
      expect(read.surname).toBe(transliterateName(surname));
      expect(read.givenNames).toEqual(givenNames.flatMap((g) => transliterateName(g).split(' ')));
    }
  });

  it('prints a Cyrillic name with the exceptions of the issuing state’s language', () => {
    expect(roundTrip('UKR', 'Коцюбинський', ['Михайло']).names).toBe('KOTSIUBYNSKYI<<MYKHAILO');
    expect(roundTrip('RUS', 'Коцюбинський', ['Михайло']).names).toBe('KOTSIUBINSKII<<MIKHAILO');
    expect(roundTrip('BLR', 'Бабрыковіч', ['Аляксандр']).names).toBe('BABRYKOVICH<<ALIAKSANDR');
    expect(roundTrip('BLR', 'Гоман', ['Сёмка']).names).toBe('HOMAN<<SIOMKA');
    expect(roundTrip('BGR', 'Щерев', ['Иван']).names).toBe('SHTEREV<<IVAN');
    expect(roundTrip('MKD', 'Ѓорѓиевски', ['Ќиро']).names).toBe('GJORGJIEVSKI<<KJIRO');
    expect(roundTrip('SRB', 'Петровић', ['Ђорђе']).names).toBe('PETROVIC<<DORDE');
  });

  it('refuses a name no table writes, naming the field', () => {
    expect(() => formatMrz({ ...base, issuingState: 'UTO', nationality: 'UTO', surname: '王', givenNames: [] })).toThrow(
      'formatMrz: surname contains a character with no ICAO transliteration',
    );
  });

  it('round-trips any name of the tables’ letters that fits the line', () => {
    const letter = fc.constantFrom(...'AbZäößåæøþÞÄÜéñłœЖЦЩЮЯЙЁЂЏЉЋЄЇІЎΑΒΓΔΘΛΞΠΣΦΧΨΩάمحد');
    const word = fc.string({ unit: letter, minLength: 1, maxLength: 5 });
    const state = fc.constantFrom('UTO', 'RUS', 'UKR', 'BLR', 'BGR', 'SRB', 'MKD');
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 2 }), state, (surname, givenNames, issuer) => {
        const language = ({ RUS: 'ru', UKR: 'uk', BLR: 'be', BGR: 'bg', SRB: 'sr', MKD: 'mk' } as const)[issuer as 'RUS'];
        const options = language === undefined ? undefined : { language };
        const icaoSurname = transliterateName(surname, options);
        const icaoGiven = givenNames.map((g) => transliterateName(g, options)).filter((g) => g !== '');
        if (icaoSurname === '' || `${icaoSurname}<<${icaoGiven.join('<')}`.length > 39) return;
        const read = roundTrip(issuer, surname, givenNames);
        expect(read.surname).toBe(icaoSurname);
        expect(read.givenNames).toEqual(icaoGiven);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes an unknown day or month as `<<` and reads it back as a partial date, never a full one', () => {
    for (const [birthDate, printed] of [['1974-08', '7408<<'], ['1974', '74<<<<']] as const) {
      const lines = formatMrz({ ...base, issuingState: 'UTO', nationality: 'UTO', surname: 'ERIKSSON', givenNames: ['ANNA'], birthDate });
      expect(lines[1]!.slice(13, 19)).toBe(printed);
      const parsed = parseMrz(lines, REFERENCE);
      expect(parsed.valid).toBe(true);
      expect(parsed.document!.birthDate).toBe(birthDate);
      // Strict reading too: the filler in a date is not an OCR error to repair into digits.
      expect(parseMrz(lines, { ...REFERENCE, repair: false }).document!.birthDate).toBe(birthDate);
    }
  });
});
