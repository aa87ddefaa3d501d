// Greek. Doc 9303 Part 3 has no Greek table (its Section 6 covers Latin, Cyrillic and Arabic characters, in the 6th,
// 7th and 8th editions alike), and says a State transliterates what it does not cover. Greece and Cyprus print ELOT 743
// (type 2, the transcription; ISO 843), which the UN adopted (Resolution V/19 of the 5th UN Conference on the
// Standardization of Geographical Names, 1987, annex "ELOT 743 conversion table"). These rows are that table; the
// digraph rules follow its 2001 edition (aligned with ISO 843), as Greek passports apply it.
//
// Where the editions differ: the 1987 annex writes ΜΠ as B everywhere; the 2001 edition writes B at the start or end
// of a word and MP inside it. We follow 2001.
//
// Accents (tonos) are dropped. A diaeresis on the second letter (ϊ, ϋ) keeps two vowels apart: ΑΫ is A + Y, never AV.

/** `[letter, form]`: one upper-case Greek letter without accents. Final sigma is looked up as Σ. */
export type GreekLetterRow = readonly [letter: string, form: string];

export const GREEK_LETTERS: readonly GreekLetterRow[] = [
  ['Α', 'A'],
  ['Β', 'V'],
  ['Γ', 'G'],
  ['Δ', 'D'],
  ['Ε', 'E'],
  ['Ζ', 'Z'],
  ['Η', 'I'],
  ['Θ', 'TH'],
  ['Ι', 'I'],
  ['Κ', 'K'],
  ['Λ', 'L'],
  ['Μ', 'M'],
  ['Ν', 'N'],
  ['Ξ', 'X'],
  ['Ο', 'O'],
  ['Π', 'P'],
  ['Ρ', 'R'],
  ['Σ', 'S'],
  ['Τ', 'T'],
  ['Υ', 'Y'],
  ['Φ', 'F'],
  ['Χ', 'CH'],
  ['Ψ', 'PS'],
  ['Ω', 'O'],
];

/**
 * How a digraph is written. `beforeVoiceless`: the form before θ κ ξ π σ τ φ χ ψ and at the end of a word (the
 * sources list the consonants; at the end of a word we write the voiceless form). `atWordEdge`: the form at the start
 * or end of a word.
 */
export interface GreekDigraphForms {
  readonly beforeVoiceless?: string;
  readonly atWordEdge?: string;
}

/** `[two letters, form, other forms]`, tried before the letters one by one. */
export type GreekDigraphRow = readonly [pair: string, form: string, forms?: GreekDigraphForms];

export const GREEK_DIGRAPHS: readonly GreekDigraphRow[] = [
  ['ΟΥ', 'OU'],
  ['ΑΥ', 'AV', { beforeVoiceless: 'AF' }],
  ['ΕΥ', 'EV', { beforeVoiceless: 'EF' }],
  ['ΗΥ', 'IV', { beforeVoiceless: 'IF' }],
  ['ΓΓ', 'NG'],
  ['ΓΞ', 'NX'],
  ['ΓΧ', 'NCH'],
  ['ΓΚ', 'GK'],
  ['ΜΠ', 'MP', { atWordEdge: 'B' }],
  ['ΝΤ', 'NT'],
];

/** The voiceless consonants after which ΑΥ, ΕΥ, ΗΥ are written with F. */
export const GREEK_VOICELESS = 'ΘΚΞΠΣΤΦΧΨ';
