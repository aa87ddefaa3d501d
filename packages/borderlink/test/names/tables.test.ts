// The transliteration tables, row by row and by worked examples per script: ICAO Doc 9303 Part 3 (Latin with
// diacritics, Cyrillic with its language exceptions, Arabic) and ELOT 743 for Greek. The examples are names written
// the way the tables say; the sources of each table are in its file (src/names/*.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, transliterateName, type CyrillicLanguage } from 'borderlink';
import { ARABIC } from '../../src/names/arabic';
import { CYRILLIC, CYRILLIC_LANGUAGES } from '../../src/names/cyrillic';
import { GREEK_DIGRAPHS, GREEK_LETTERS } from '../../src/names/greek';
import { LATIN } from '../../src/names/latin';

const icao = (text: string, language?: CyrillicLanguage) => transliterateName(text, language === undefined ? { scheme: 'icao' } : { scheme: 'icao', language });

describe('Latin characters with diacritics (Part 3, Part A)', () => {
  it('writes every row of the table as the table gives it, in upper and lower case', () => {
    for (const [char, form] of LATIN) {
      expect(icao(char), char).toBe(form);
      const lower = char.toLowerCase();
      if (lower.length === 1 && lower.toUpperCase() === char) expect(icao(lower), lower).toBe(form);
    }
  });

  it('writes the German, Nordic and Icelandic letters with two letters', () => {
    expect(icao('Ä Ö Ü ß Å Æ Ø Þ')).toBe('AE OE UE SS AA AE OE TH');
    expect(icao('Müller')).toBe('MUELLER');
    expect(icao('Straße')).toBe('STRASSE');
    expect(icao('Åsa Ærø')).toBe('AASA AEROE');
    expect(icao('Þórður')).toBe('THORDUR');
    expect(icao('Øre')).toBe('OERE');
  });

  it('drops every other accent, decomposed input included', () => {
    expect(icao('Thérèse Cañón')).toBe('THERESE CANON');
    expect(icao('Łukasz Wałęsa')).toBe('LUKASZ WALESA');
    expect(icao('Çelik Şahin İnci ılgın')).toBe('CELIK SAHIN INCI ILGIN');
    expect(icao('Mu\u0308ller')).toBe('MUELLER');
  });

  it('writes a letter with a diacritic the table does not list as its base letter, by the rows', () => {
    expect(icao('Ūla')).toBe('ULA');
    expect(icao('Ștefan Țurcanu')).toBe('STEFAN TURCANU');
    // Ǿ is Ø with an acute: the Ø row.
    expect(icao('Ǿ')).toBe('OE');
  });

  it('writes hyphens and spaces as one space and drops apostrophes and dots, as the MRZ does', () => {
    expect(icao('Marie-Claire')).toBe('MARIE CLAIRE');
    expect(icao("D'Artagnan")).toBe('DARTAGNAN');
    expect(icao('O’Brien')).toBe('OBRIEN');
    expect(icao('  de   la  Cruz ')).toBe('DE LA CRUZ');
    expect(icao('St. John')).toBe('ST JOHN');
  });

  it('keeps an upper-case ASCII name as it is', () => {
    const name = 'ERIKSSON';
    expect(icao(name)).toBe(name);
    expect(icao('Eriksson')).toBe('ERIKSSON');
  });
});

describe('Cyrillic characters (Part 3, Part B)', () => {
  it('writes every row in the general column, and each language its own exception', () => {
    for (const [char, form, notes] of CYRILLIC) {
      // A letter that is not written at all is written nowhere: put it between two letters.
      expect(icao(`А${char}А`), char).toBe(`A${form}A`);
      expect(icao(`а${char.toLowerCase()}а`), char).toBe(`A${form}A`);
      for (const language of CYRILLIC_LANGUAGES) {
        const expected = language === 'ru' ? form : (notes?.[language] ?? form);
        expect(icao(`А${char}А`, language), `${char} in ${language}`).toBe(`A${expected}A`);
      }
    }
  });

  it('writes Russian names as ICAO does (Ж ZH, Х KH, Ц TS, Щ SHCH, Ю IU, Я IA, Ъ IE, Ь omitted)', () => {
    const examples: [string, string][] = [
      ['Юлия Цой', 'IULIIA TSOI'],
      ['Юлия Щеглова', 'IULIIA SHCHEGLOVA'],
      ['Гайа Васильева', 'GAIA VASILEVA'],
      ['Андрей Видный', 'ANDREI VIDNYI'],
      ['Артём Краевой', 'ARTEM KRAEVOI'],
      ['Мадыр Чёткий', 'MADYR CHETKII'],
      ['Оксана Клеёнкина', 'OKSANA KLEENKINA'],
      ['Игорь Ильин', 'IGOR ILIN'],
      ['Ян Разъездной', 'IAN RAZIEEZDNOI'],
      ['Жанна Харитонова', 'ZHANNA KHARITONOVA'],
    ];
    for (const [name, form] of examples) {
      expect(icao(name), name).toBe(form);
      expect(icao(name, 'ru'), name).toBe(form);
    }
  });

  it('writes Belarusian names with its exceptions (Г H, Ё IO)', () => {
    const examples: [string, string][] = [
      ['Бабрыковіч Аляксандр', 'BABRYKOVICH ALIAKSANDR'],
      ['Міховіч Марыя', 'MIKHOVICH MARYIA'],
      ['СВЯТЛАНА', 'SVIATLANA'],
      ['Ігар', 'IHAR'],
      ['Мікалай', 'MIKALAI'],
      ['Сёмуха', 'SIOMUKHA'],
      ['Ўладзь', 'ULADZ'],
    ];
    for (const [name, form] of examples) expect(icao(name, 'be'), name).toBe(form);
    expect(icao('Ігар')).toBe('IGAR');
  });

  it('writes Ukrainian names with its exception (И Y) and the apostrophe dropped', () => {
    expect(icao('Михайло Коцюбинський', 'uk')).toBe('MYKHAILO KOTSIUBYNSKYI');
    expect(icao('Марія Мар’яна Ґонта', 'uk')).toBe('MARIIA MARIANA GONTA');
    expect(icao('Їжак Євген', 'uk')).toBe('IZHAK IEVGEN');
  });

  it('writes Bulgarian, Serbian and Macedonian names with their exceptions', () => {
    expect(icao('Щерев Живков', 'bg')).toBe('SHTEREV ZHIVKOV');
    expect(icao('Ђорђе Петровић', 'sr')).toBe('DORDE PETROVIC');
    expect(icao('Жарко Чавић Шошкић Цветковић Хаџић', 'sr')).toBe('ZARKO CAVIC SOSKIC CVETKOVIC HADZIC');
    expect(icao('Љиљана Јовановић', 'sr')).toBe('LJILJANA JOVANOVIC');
    // Г is H in Serbian as the table gives it (with Belarusian), though Serbian documents print G: nameVariants adds
    // the general column's G (test/names/variants.test.ts).
    expect(icao('Његош', 'sr')).toBe('NJEHOS');
    expect(icao('Његош')).toBe('NJEGOSH');
    expect(icao('Ѓорѓи Ќосевски Џамбаз', 'mk')).toBe('GJORGJI KJOSEVSKI DJAMBAZ');
    expect(icao('Хаџи Цветан Ѕвездан', 'mk')).toBe('HADJI CVETAN DZVEZDAN');
  });
});

describe('Greek (ELOT 743: Part 3 has no Greek table)', () => {
  it('writes every letter of the table, with and without accents and in lower case', () => {
    for (const [letter, form] of GREEK_LETTERS) {
      expect(icao(letter), letter).toBe(form);
      expect(icao(letter.toLowerCase()), letter).toBe(form);
    }
    expect(icao('ς')).toBe('S');
    expect(icao('Ά Έ Ή Ί Ό Ύ Ώ')).toBe('A E I I O Y O');
  });

  it('writes every digraph as one, in its usual place', () => {
    for (const [pair, form, forms] of GREEK_DIGRAPHS) {
      // Between vowels (voiced and inside the word), the digraph's own form.
      expect(icao(`Α${pair}Α`), pair).toBe(`A${form}A`);
      if (forms?.beforeVoiceless !== undefined) expect(icao(`Α${pair}Τ`), pair).toBe(`A${forms.beforeVoiceless}T`);
      if (forms?.atWordEdge !== undefined) expect(icao(`${pair}Α`), pair).toBe(`${forms.atWordEdge}A`);
    }
  });

  it('writes Greek names as Greek passports print them', () => {
    const examples: [string, string][] = [
      ['Γεώργιος Παπαδόπουλος', 'GEORGIOS PAPADOPOULOS'],
      ['Ευάγγελος', 'EVANGELOS'],
      ['Ευθύμιος', 'EFTHYMIOS'],
      ['Μπακογιάννης', 'BAKOGIANNIS'],
      ['Σαμπάνης', 'SAMPANIS'],
      ['Κωνσταντίνος Ντόκας', 'KONSTANTINOS NTOKAS'],
      ['Αϋπνία', 'AYPNIA'],
      ['Χρυσούλα Ψαρρού', 'CHRYSOULA PSARROU'],
    ];
    for (const [name, form] of examples) expect(icao(name), name).toBe(form);
  });
});

describe('Arabic characters (Part 3, Part C)', () => {
  it('writes every row of the table, teh marbuta at the end of a name component as XAH', () => {
    for (const [letter, form, final] of ARABIC) {
      expect(icao(`${letter}ب`), letter).toBe(`${form}B`);
      expect(icao(letter), letter).toBe(final ?? form);
    }
  });

  it('writes Arabic names with the escape letter X where Latin has no letter', () => {
    expect(icao('محمد')).toBe('MXHMD');
    expect(icao('فاطمة علي')).toBe('FAXTTMXAH ELY');
    // A vowel sign has no row: it is dropped, as every combining mark without one.
    expect(icao('مُحَمَّد')).toBe('MXHMD');
  });
});

describe('what no table writes', () => {
  it('refuses a character of a row we left out, a script without a table, a digit, naming the field only', () => {
    // ؤ (the sources disagree; its base letter is not taken for it), Persian پ, the tatweel, Ѵ and Һ (rows left
    // out), Ѝ (a Cyrillic letter with an accent: no base-letter rule outside Latin), Han, a digit.
    for (const text of ['ؤ', 'پ', 'مـحمد', 'Ѵ', 'Һ', 'Ѝ', '王', 'ANNA2']) {
      let error: unknown;
      try {
        transliterateName(text, { scheme: 'icao' });
      } catch (err) {
        error = err;
      }
      expect(error, text).toBeInstanceOf(InputError);
      expect((error as InputError).issues).toEqual([{ path: 'text', message: 'holds a character the ICAO tables do not write' }]);
      expect((error as Error).message).not.toContain(text);
    }
  });

  it('refuses text that is not a string, and options it does not know, as typed errors', () => {
    expect(() => transliterateName(42 as never)).toThrow(InputError);
    expect(() => transliterateName('ANNA', { scheme: 'iso9' as never })).toThrow(ConfigError);
    expect(() => transliterateName('ANNA', { language: 'de' as never })).toThrow(ConfigError);
    expect(() => transliterateName('ANNA', { scheme: 'icao', extra: true } as never)).toThrow(/option `extra` is not known/);
  });
});
