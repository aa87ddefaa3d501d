// ICAO Doc 9303 Part 3, Section 6 (Transliterations recommended for use by States), Part A: Latin characters with
// diacritics and the letters written as two. One row per character, upper case; a lower-case letter is looked up by
// its upper-case form. The rows are the 7th edition's (2015, as amended 16/09/16, also the 8th edition's, 2021) as
// transcribed from the ICAO PDF (9303_p3_cons_en.pdf) in the Arg0s1080/mrz tables, checked row by row against the 6th
// edition's numbered table (Doc 9303 Part 1 Vol. 1, 2006) as reproduced by the US ICE SEVIS transliteration guide.
//
// Where the editions differ:
// - Ø: `O` in the 6th edition (row 54), `OE` in the 7th and 8th. We write `OE`; nameVariants adds the `O` spelling.
// - Ñ and Ü: the 6th edition allowed `NXX` and `UXX` as national options beside `N` and `UE`; the 7th dropped them.
//   We write `N` and `UE` and never generate the `XX` forms.
//
// A Latin letter with a diacritic that no row lists (Ū, Ș, Ț, Ǿ…) is written as its base letter (Unicode NFD, marks
// dropped, then these rows for the base: Ǿ → Ø → OE). That rule is ours, the one every single-letter row of the
// table follows; it is not a row of Part 3.

/**
 * `[character, ICAO form, single-letter form]`. The third column is the one-letter spelling records often hold where
 * the ICAO form has two letters (Ä → AE, or A): nameVariants adds it; transliterateName never writes it.
 */
export type LatinRow = readonly [char: string, icao: string, single?: string];

export const LATIN: readonly LatinRow[] = [
  ['Á', 'A'],
  ['À', 'A'],
  ['Â', 'A'],
  ['Ä', 'AE', 'A'],
  ['Ã', 'A'],
  ['Ă', 'A'],
  ['Å', 'AA', 'A'],
  ['Ā', 'A'],
  ['Ą', 'A'],
  ['Ć', 'C'],
  ['Ĉ', 'C'],
  ['Č', 'C'],
  ['Ċ', 'C'],
  ['Ç', 'C'],
  ['Ð', 'D'],
  ['Ď', 'D'],
  ['Đ', 'D'],
  ['É', 'E'],
  ['È', 'E'],
  ['Ê', 'E'],
  ['Ë', 'E'],
  ['Ě', 'E'],
  ['Ė', 'E'],
  ['Ē', 'E'],
  ['Ę', 'E'],
  ['Ĕ', 'E'],
  ['Ĝ', 'G'],
  ['Ğ', 'G'],
  ['Ġ', 'G'],
  ['Ģ', 'G'],
  ['Ħ', 'H'],
  ['Ĥ', 'H'],
  // Dotless i (Turkish) is lower case only; its upper case is I.
  ['ı', 'I'],
  ['Í', 'I'],
  ['Ì', 'I'],
  ['Î', 'I'],
  ['Ï', 'I'],
  ['Ĩ', 'I'],
  ['İ', 'I'],
  ['Ī', 'I'],
  ['Į', 'I'],
  ['Ĭ', 'I'],
  ['Ĵ', 'J'],
  ['Ķ', 'K'],
  ['Ł', 'L'],
  ['Ĺ', 'L'],
  ['Ľ', 'L'],
  ['Ļ', 'L'],
  ['Ŀ', 'L'],
  ['Ń', 'N'],
  ['Ñ', 'N'],
  ['Ň', 'N'],
  ['Ņ', 'N'],
  ['Ŋ', 'N'],
  ['Ø', 'OE', 'O'],
  ['Ó', 'O'],
  ['Ò', 'O'],
  ['Ô', 'O'],
  ['Ö', 'OE', 'O'],
  ['Õ', 'O'],
  ['Ő', 'O'],
  ['Ō', 'O'],
  ['Ŏ', 'O'],
  ['Ŕ', 'R'],
  ['Ř', 'R'],
  ['Ŗ', 'R'],
  ['Ś', 'S'],
  ['Ŝ', 'S'],
  ['Š', 'S'],
  ['Ş', 'S'],
  ['Ŧ', 'T'],
  ['Ť', 'T'],
  ['Ţ', 'T'],
  ['Ú', 'U'],
  ['Ù', 'U'],
  ['Û', 'U'],
  ['Ü', 'UE', 'U'],
  ['Ũ', 'U'],
  ['Ŭ', 'U'],
  ['Ű', 'U'],
  ['Ů', 'U'],
  ['Ų', 'U'],
  ['Ŵ', 'W'],
  ['Ý', 'Y'],
  ['Ŷ', 'Y'],
  ['Ÿ', 'Y'],
  ['Ź', 'Z'],
  ['Ž', 'Z'],
  ['Ż', 'Z'],
  ['Þ', 'TH'],
  ['Æ', 'AE'],
  ['Ĳ', 'IJ'],
  ['Œ', 'OE'],
  // Sharp s: the lower-case letter and the capital (U+1E9E), whose usual upper case is SS anyway.
  ['ß', 'SS'],
  ['ẞ', 'SS'],
];
