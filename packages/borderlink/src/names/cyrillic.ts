// ICAO Doc 9303 Part 3, Section 6, Part B: Cyrillic characters, with the language exceptions the table gives for
// Belarusian, Bulgarian, Macedonian, Serbian and Ukrainian (Russian has none). One row per character, upper case, in
// Unicode order as the 7th edition (2015, amended 16/09/16) orders them. Sources: the 7th edition's table as
// transcribed per language in Arg0s1080/mrz and interscript/maps (icao-*-Cyrl-Latn-9303), checked against the 6th
// edition (Doc 9303 Part 1 Vol. 1, 2006, Appendix 9 to Section IV), as reproduced in the Russian FMS order of 2012
// and the ICAO romanization tables of each language: every row and exception below is in both editions.
//
// Left out, because the sources disagree or we could not read the row for sure:
// - Ѵ (izhitsa, U+0474) → Y: only in an OCR'd copy of the 6th edition, whose glyph is uncertain.
// - Һ (shha, U+04BA) → C: the 7th-edition transcriptions list it where the 6th edition's Serbian row is Ћ (tshe);
//   we keep Ћ → C, which the Serbian alphabet of the 6th edition confirms, and leave Һ out.
// - The 16/09/16 amendment of the 7th edition "added exceptions for Ukrainian": we could verify only И → Y, which the
//   6th edition already had. Any other Ukrainian exception (Г → H is the national practice) is not applied.
// Where the table's exception differs from a state's own practice (Serbian Г → H, Bulgarian Ъ → IE), the table is
// followed, and nameVariants also gives the general column's spelling.
//
// The `older` column is not ICAO: it is the Russian passport romanisation before ICAO's (MVD Order No. 310 of
// 26 May 1997): Й → Y, Ю → YU, Я → YA, Ъ and Ь omitted, and Ь or Ъ before Е written Y (ВАСИЛЬЕВА → VASILYEVA).
// nameVariants adds it; transliterateName never writes it.

/** A language whose exceptions the Cyrillic table gives (ISO 639-1). Russian follows the general column. */
export type CyrillicLanguage = 'ru' | 'uk' | 'be' | 'bg' | 'sr' | 'mk';

/** Every language of {@link CyrillicLanguage}, Russian (the general column) first. */
export const CYRILLIC_LANGUAGES: readonly CyrillicLanguage[] = Object.freeze(['ru', 'uk', 'be', 'bg', 'sr', 'mk'] as const);

/** What a row adds to the general column: each language's exception, and the older Russian romanisation. */
export interface CyrillicNotes {
  readonly uk?: string;
  readonly be?: string;
  readonly bg?: string;
  readonly sr?: string;
  readonly mk?: string;
  /** MVD 310 (1997), where it differs from ICAO. */
  readonly older?: string;
  /** MVD 310 before Е (the `ye` of ье and ъе). */
  readonly olderBeforeE?: string;
}

/** `[character, ICAO form (general column), notes]`. An empty ICAO form means the letter is not written. */
export type CyrillicRow = readonly [char: string, icao: string, notes?: CyrillicNotes];

export const CYRILLIC: readonly CyrillicRow[] = [
  ['Ё', 'E', { be: 'IO' }],
  ['Ђ', 'D'],
  ['Ѓ', 'G', { mk: 'GJ' }],
  ['Є', 'IE'],
  ['Ѕ', 'DZ'],
  ['І', 'I'],
  ['Ї', 'I'],
  ['Ј', 'J'],
  ['Љ', 'LJ'],
  ['Њ', 'NJ'],
  ['Ћ', 'C'],
  ['Ќ', 'K', { mk: 'KJ' }],
  ['Ў', 'U'],
  ['Џ', 'DZ', { mk: 'DJ' }],
  ['А', 'A'],
  ['Б', 'B'],
  ['В', 'V'],
  ['Г', 'G', { be: 'H', sr: 'H' }],
  ['Д', 'D'],
  ['Е', 'E'],
  ['Ж', 'ZH', { sr: 'Z' }],
  ['З', 'Z'],
  ['И', 'I', { uk: 'Y' }],
  ['Й', 'I', { older: 'Y' }],
  ['К', 'K'],
  ['Л', 'L'],
  ['М', 'M'],
  ['Н', 'N'],
  ['О', 'O'],
  ['П', 'P'],
  ['Р', 'R'],
  ['С', 'S'],
  ['Т', 'T'],
  ['У', 'U'],
  ['Ф', 'F'],
  ['Х', 'KH', { sr: 'H', mk: 'H' }],
  ['Ц', 'TS', { sr: 'C', mk: 'C' }],
  ['Ч', 'CH', { sr: 'C' }],
  ['Ш', 'SH', { sr: 'S' }],
  ['Щ', 'SHCH', { bg: 'SHT' }],
  ['Ъ', 'IE', { older: '', olderBeforeE: 'Y' }],
  ['Ы', 'Y'],
  // Not in the table (the Russian extract lists 33 letters without it): the soft sign is not written.
  ['Ь', '', { older: '', olderBeforeE: 'Y' }],
  ['Э', 'E'],
  ['Ю', 'IU', { older: 'YU' }],
  ['Я', 'IA', { older: 'YA' }],
  ['Ѫ', 'U'],
  ['Ґ', 'G'],
];
