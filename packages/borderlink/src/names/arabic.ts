// ICAO Doc 9303 Part 3, Section 6, Part C: Arabic characters, as far as we could verify the rows. The table writes a
// letter with no Latin counterpart with the escape letter X (ث → XTH), so the Arabic name can be read back from the
// MRZ. Sources: the 7th edition (2015) rows as transcribed in Arg0s1080/mrz and in the npm package
// icao-transliteration (both from 9303_p3_cons_en.pdf), and the table of the technical report behind it (M. Ellis,
// "Arabic Transliteration Rules in Document 9303", TAG/MRTD, v3.4.1, 2011). Every row below is in at least two of them.
//
// Left out, and why:
// - ؤ (waw with hamza, U+0624): the sources disagree (U, XW).
// - Tatweel (U+0640) and the vowel signs (U+064B–U+0652): no source gives them a row we could read. As every
//   combining mark without a row, a vowel sign is dropped; a name holding a tatweel has no ICAO form.
// - The letters of Persian, Urdu and Pashto (پ چ ژ گ ک ی and the rest): one transcription only. A name holding one
//   has no ICAO form here (it is sent as written).
// - ة (teh marbuta) is XTA, and XAH at the end of a name component: the technical report gives the end-of-component
//   form in a note, the transcriptions of the table give XTA only. We follow the report.

/** `[letter, form, form at the end of a name component]`. */
export type ArabicRow = readonly [letter: string, form: string, final?: string];

export const ARABIC: readonly ArabicRow[] = [
  ['ء', 'XE'],
  ['آ', 'XAA'],
  ['أ', 'XAE'],
  ['إ', 'I'],
  ['ئ', 'XI'],
  ['ا', 'A'],
  ['ب', 'B'],
  ['ة', 'XTA', 'XAH'],
  ['ت', 'T'],
  ['ث', 'XTH'],
  ['ج', 'J'],
  ['ح', 'XH'],
  ['خ', 'XKH'],
  ['د', 'D'],
  ['ذ', 'XDH'],
  ['ر', 'R'],
  ['ز', 'Z'],
  ['س', 'S'],
  ['ش', 'XSH'],
  ['ص', 'XSS'],
  ['ض', 'XDZ'],
  ['ط', 'XTT'],
  ['ظ', 'XZZ'],
  ['ع', 'E'],
  ['غ', 'G'],
  ['ف', 'F'],
  ['ق', 'Q'],
  ['ك', 'K'],
  ['ل', 'L'],
  ['م', 'M'],
  ['ن', 'N'],
  ['ه', 'H'],
  ['و', 'W'],
  ['ى', 'XAY'],
  ['ي', 'Y'],
];
