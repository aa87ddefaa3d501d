// nameVariants: the spellings a record may hold for a name, the ICAO form first, bounded by MAX_NAME_VARIANTS.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, MAX_NAME_VARIANTS, nameVariants, transliterateName, type NameVariant } from 'borderlink';

const has = (variants: NameVariant[], surname: string, givenNames: string[]) =>
  variants.some((v) => v.surname === surname && JSON.stringify(v.givenNames) === JSON.stringify(givenNames));

describe('nameVariants', () => {
  it('gives a Russian name its ICAO form first, then as written, the older romanisation and the other order', () => {
    const variants = nameVariants({ surname: 'Цой', givenNames: ['Юлия'] });
    expect(variants[0]).toEqual({ surname: 'TSOI', givenNames: ['IULIIA'] });
    expect(has(variants, 'ЦОЙ', ['ЮЛИЯ'])).toBe(true);
    expect(has(variants, 'TSOY', ['YULIYA'])).toBe(true);
    expect(has(variants, 'IULIIA', ['TSOI'])).toBe(true);
  });

  it('writes the older romanisation of ье and ъе as YE (MVD 310)', () => {
    const variants = nameVariants({ surname: 'Васильева', givenNames: ['Андрей'] });
    expect(variants[0]).toEqual({ surname: 'VASILEVA', givenNames: ['ANDREI'] });
    expect(has(variants, 'VASILYEVA', ['ANDREY'])).toBe(true);
  });

  it('gives a German name its ICAO form (UE) and its one-letter form (U), and the name as written', () => {
    const variants = nameVariants({ surname: 'Müller', givenNames: ['Ülle'] });
    expect(variants[0]).toEqual({ surname: 'MUELLER', givenNames: ['UELLE'] });
    expect(has(variants, 'MULLER', ['ULLE'])).toBe(true);
    expect(has(variants, 'MÜLLER', ['ÜLLE'])).toBe(true);
    expect(has(variants, 'ULLE', ['MULLER'])).toBe(true);
    for (const [letter, two, one] of [['Å', 'AA', 'A'], ['Ø', 'OE', 'O'], ['Ä', 'AE', 'A'], ['Ö', 'OE', 'O']] as const) {
      const v = nameVariants({ surname: `B${letter}R` });
      expect(v[0]!.surname).toBe(`B${two}R`);
      expect(has(v, `B${one}R`, [])).toBe(true);
    }
  });

  it('gives a name with spaces and hyphens its forms without them and with its hyphens', () => {
    const variants = nameVariants({ surname: 'de la Cruz', givenNames: ['Jean-Pierre'] });
    expect(variants[0]).toEqual({ surname: 'DE LA CRUZ', givenNames: ['JEAN PIERRE'] });
    expect(has(variants, 'DELACRUZ', ['JEANPIERRE'])).toBe(true);
    expect(has(variants, 'DE LA CRUZ', ['JEAN-PIERRE'])).toBe(true);
  });

  it('gives the other Cyrillic languages’ forms when the language is not known, and the general one when it is', () => {
    // Г is H in Serbian by the table, G in the general column (and in Serbian documents).
    const serbian = nameVariants({ surname: 'Његош' }, { language: 'sr' });
    expect(serbian[0]).toEqual({ surname: 'NJEHOS', givenNames: [] });
    expect(has(serbian, 'NJEGOSH', [])).toBe(true);
    const unknown = nameVariants({ surname: 'Михайло' });
    expect(unknown[0]).toEqual({ surname: 'MIKHAILO', givenNames: [] });
    expect(has(unknown, 'MYKHAILO', [])).toBe(true);
    expect(nameVariants({ surname: 'Михайло' }, { nationality: 'UKR' })[0]).toEqual({ surname: 'MYKHAILO', givenNames: [] });
  });

  it('gives an ASCII name its upper case, and the other order as its one other spelling', () => {
    expect(nameVariants({ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'] })).toEqual([
      { surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'] },
      { surname: 'ANNA MARIA', givenNames: ['ERIKSSON'] },
    ]);
    expect(nameVariants({ surname: 'Eriksson' })).toEqual([{ surname: 'ERIKSSON', givenNames: [] }]);
  });

  it('gives a name the tables cannot write as written, first', () => {
    expect(nameVariants({ surname: '王', givenNames: ['小明'] })[0]).toEqual({ surname: '王', givenNames: ['小明'] });
  });

  it('stays under its cap for a name that could be spelled hundreds of ways', () => {
    const name = { surname: 'Müller-Lüdenscheidt Öztürk', givenNames: ['Jürgen Äskil', 'Юрий-Щорс', 'Björn', 'Åsa-Øydis'] };
    const variants = nameVariants(name);
    expect(variants.length).toBe(MAX_NAME_VARIANTS);
    expect(variants[0]).toEqual({ surname: transliterateName(name.surname), givenNames: name.givenNames.map((g) => transliterateName(g)) });
  });

  it('refuses a name that is not one, naming the field, and options it does not know', () => {
    expect(() => nameVariants({ surname: 42 } as never)).toThrow(InputError);
    expect(() => nameVariants({ surname: 'A', givenNames: 'B' } as never)).toThrow(/givenNames must be an array of strings/);
    expect(() => nameVariants(null as never)).toThrow(InputError);
    expect(() => nameVariants({ surname: 'A' }, { lang: 'ru' } as never)).toThrow(ConfigError);
    expect(() => nameVariants({ surname: 'A' }, { language: 'xx' } as never)).toThrow(ConfigError);
  });
});

describe('nameVariants, for any name of the tables’ letters', () => {
  const letter = fc.constantFrom(...'AbcZäöüßåæøþÄÖÜÅÆØÞéñçłĳœЖжЦцЩщЮюЯяЙйЬъЁёЂЏЉЋҐЄЇІЎΑαΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣςΤΥΦΧΨΩάύϋمحدةعلي');
  const separator = fc.constantFrom(' ', '-', "'", '  ', ' - ');
  const word = fc.string({ unit: letter, minLength: 1, maxLength: 8 });
  const part = fc.tuple(word, fc.option(fc.tuple(separator, word), { nil: undefined })).map(([a, b]) => (b === undefined ? a : `${a}${b[0]}${b[1]}`));
  const name = fc.record({ surname: part, givenNames: fc.array(part, { maxLength: 4 }) });
  const language = fc.constantFrom(undefined, 'ru', 'uk', 'be', 'bg', 'sr', 'mk' as const);

  it('always holds the ICAO form first, never more than MAX_NAME_VARIANTS, none twice', () => {
    fc.assert(
      fc.property(name, language, (n, lang) => {
        const options = lang === undefined ? undefined : { language: lang };
        const variants = nameVariants(n, options);
        // A name of letters the tables do not write (Ь alone) has no ICAO form: it goes as written.
        const form = (v: string) => transliterateName(v, options) || v.trim().replace(/\s+/g, ' ').toUpperCase();
        const icao = { surname: form(n.surname), givenNames: n.givenNames.map(form) };
        expect(variants[0]).toEqual(icao);
        expect(variants.length).toBeLessThanOrEqual(MAX_NAME_VARIANTS);
        const keys = variants.map((v) => JSON.stringify(v));
        expect(new Set(keys).size).toBe(keys.length);
        for (const v of variants) {
          expect(v.surname.length).toBeGreaterThan(0);
          expect(v.givenNames.length === n.givenNames.length || v.givenNames.length === 1).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
