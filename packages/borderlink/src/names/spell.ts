// The walker over the tables: a name in any of their scripts, character by character, to upper-case A–Z. Words are
// kept apart by one space, or by one hyphen where the name had one, so that the callers can write the ICAO form
// (hyphens as spaces, as the MRZ's filler), the form with hyphens, and the form without either.
import { ARABIC } from './arabic';
import { CYRILLIC, type CyrillicLanguage, type CyrillicNotes } from './cyrillic';
import { GREEK_DIGRAPHS, GREEK_LETTERS, GREEK_VOICELESS, type GreekDigraphForms } from './greek';
import { LATIN } from './latin';

/** Which column of the tables a spelling takes. @internal */
export interface Spelling {
  /** The Cyrillic table's exceptions of this language; the general column when absent (and for Russian). */
  readonly language?: CyrillicLanguage | undefined;
  /** Latin letters written as one letter (Ä → A) instead of ICAO's two. Not ICAO. */
  readonly single?: boolean;
  /** Cyrillic in the Russian romanisation before ICAO's (MVD 310: Ю → YU). Not ICAO. */
  readonly older?: boolean;
}

/** The ICAO spelling: the general column, ICAO's multi-letter forms. @internal */
export const ICAO: Spelling = Object.freeze({});

/** A row keyed by its character and, where the lower case maps back to it one to one, by its lower case too. */
function keyed<R extends readonly [string, ...unknown[]]>(rows: readonly R[]): Map<string, R> {
  const map = new Map<string, R>();
  for (const row of rows) {
    const char = row[0];
    map.set(char, row);
    const lower = char.toLowerCase();
    if (lower !== char && lower.length === char.length && lower.toUpperCase() === char && !map.has(lower)) map.set(lower, row);
  }
  return map;
}

const LATIN_ROWS = keyed(LATIN);
const CYRILLIC_ROWS = keyed(CYRILLIC);

/**
 * The letters the tables do not write at all (ICAO omits the soft sign Ь), in both cases: a name of them alone has an
 * empty ICAO form, and nothing to search. @internal
 */
export const SILENT_LETTERS: ReadonlySet<string> = new Set([...CYRILLIC_ROWS].filter(([, row]) => row[1] === '').map(([ch]) => ch));
const ARABIC_ROWS = keyed(ARABIC);
const GREEK_FORMS: ReadonlyMap<string, string> = new Map(GREEK_LETTERS);
const GREEK_PAIRS: ReadonlyMap<string, readonly [string, GreekDigraphForms | undefined]> = new Map(
  GREEK_DIGRAPHS.map(([pair, form, forms]) => [pair, [form, forms]] as const),
);

const HYPHENS = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212']);
/**
 * Omitted, as Part 3 omits apostrophes and punctuation: D'ARTAGNAN → DARTAGNAN. The modifier letters among them are
 * apostrophes too: U+02BC the Ukrainian and Belarusian one, U+02BB the ʻ of Uzbek (Gʻulom) and Hawaiian names, U+02B9
 * and U+02BA the primes that stand for the soft and hard signs in transliterations (Ilʹin).
 */
const DROPPED = new Set(["'", '\u2019', '\u2018', '\u02bc', '\u02bb', '\u02b9', '\u02ba', '`', '\u00b4', '.', ',']);
const MARK = /^\p{M}$/u;
const MARKS = /\p{M}+/gu;

function isGreek(cp: number): boolean {
  return (cp >= 0x370 && cp <= 0x3ff) || (cp >= 0x1f00 && cp <= 0x1fff);
}

/** What separates the words after the last one written: nothing yet, a space, or a hyphen (which wins). */
type Gap = 0 | 1 | 2;

class Writer {
  out = '';
  gap: Gap = 0;
  write(form: string): void {
    if (form === '') return;
    if (this.gap !== 0 && this.out !== '') this.out += this.gap === 2 ? '-' : ' ';
    this.gap = 0;
    this.out += form;
  }
  separate(gap: Gap): void {
    if (gap > this.gap) this.gap = gap;
  }
}

/** The form of one Cyrillic row in this spelling; `next` is the following character (for MVD 310's ье). */
function cyrillicForm(icao: string, notes: CyrillicNotes | undefined, spelling: Spelling, next: string | undefined): string {
  if (notes === undefined) return icao;
  if (spelling.older === true && notes.older !== undefined) {
    return notes.olderBeforeE !== undefined && (next === 'Е' || next === 'е') ? notes.olderBeforeE : notes.older;
  }
  const language = spelling.language;
  if (language !== undefined && language !== 'ru') return notes[language] ?? icao;
  return icao;
}

/**
 * The form of one character that is not ASCII, not Greek, and not a separator: its row, a combining mark dropped, or
 * its base letter (NFD) written by the rows. Undefined when no row and no base letter can write it.
 */
function formOf(ch: string, spelling: Spelling, next: string | undefined, atComponentEnd: boolean): string | undefined {
  const latin = LATIN_ROWS.get(ch);
  if (latin !== undefined) return spelling.single === true && latin[2] !== undefined ? latin[2] : latin[1];
  const cyrillic = CYRILLIC_ROWS.get(ch);
  if (cyrillic !== undefined) return cyrillicForm(cyrillic[1], cyrillic[2], spelling, next);
  const arabic = ARABIC_ROWS.get(ch);
  if (arabic !== undefined) return atComponentEnd && arabic[2] !== undefined ? arabic[2] : arabic[1];
  if (MARK.test(ch)) return '';
  // A Latin letter no row lists: its base letter, by the Latin rows (Ǿ → Ø → OE) or as ASCII (Ū → U). Only Latin:
  // the base of a Cyrillic or Arabic letter (ؤ → و) would be a row the tables do not give.
  const base = ch.normalize('NFD').replace(MARKS, '');
  if (base === ch || base === '') return undefined;
  let out = '';
  for (const b of base) {
    const c = b.charCodeAt(0);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) out += b.toUpperCase();
    else {
      const latin = LATIN_ROWS.get(b);
      if (latin === undefined) return undefined;
      out += spelling.single === true && latin[2] !== undefined ? latin[2] : latin[1];
    }
  }
  return out;
}

/** One Greek letter as its upper-case base (accents dropped) and whether it carries a diaeresis. */
function greekLetter(ch: string): { base: string; diaeresis: boolean } {
  const decomposed = ch.normalize('NFD');
  const base = decomposed.replace(MARKS, '').toUpperCase();
  return { base: base === 'Σ' || base === 'ς' ? 'Σ' : base, diaeresis: decomposed.includes('\u0308') };
}

/** A run of Greek letters (one word, or the part of one) by ELOT 743; undefined for a character it has no row for. */
function greekWord(chars: readonly string[]): string | undefined {
  const letters = chars.map(greekLetter).filter((l) => l.base !== '');
  let out = '';
  const n = letters.length;
  for (let j = 0; j < n; j++) {
    const here = letters[j]!;
    const next = letters[j + 1];
    if (next !== undefined && !next.diaeresis) {
      const pair = GREEK_PAIRS.get(here.base + next.base);
      if (pair !== undefined) {
        const [form, forms] = pair;
        const after = letters[j + 2];
        if (forms?.beforeVoiceless !== undefined && (after === undefined || GREEK_VOICELESS.includes(after.base))) out += forms.beforeVoiceless;
        else if (forms?.atWordEdge !== undefined && (j === 0 || j + 2 === n)) out += forms.atWordEdge;
        else out += form;
        j++;
        continue;
      }
    }
    const form = GREEK_FORMS.get(here.base);
    if (form === undefined) return undefined;
    out += form;
  }
  return out;
}

/** Whether `chars` from `i` on hold no letter before the next separator: the end of a name component. */
function componentEndsAt(chars: readonly string[], i: number): boolean {
  for (let k = i; k < chars.length; k++) {
    const ch = chars[k]!;
    const cp = ch.codePointAt(0)!;
    if (HYPHENS.has(ch) || isWideSpace(cp) || (cp < 0x80 && (ASCII_KIND[cp] === 2 || ASCII_KIND[cp] === 3))) return true;
    if (!MARK.test(ch) && !DROPPED.has(ch)) return false;
  }
  return true;
}

/** What an ASCII character is to a name: 1 letter, 2 space (a word gap), 3 hyphen, 4 dropped, 0 not in a name. */
const ASCII_KIND: Uint8Array = (() => {
  const kinds = new Uint8Array(128);
  for (let c = 0x41; c <= 0x5a; c++) kinds[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) kinds[c] = 1;
  for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x3c]) kinds[c] = 2;
  kinds[0x2d] = 3;
  for (const ch of DROPPED) if (ch.charCodeAt(0) < 128) kinds[ch.charCodeAt(0)] = 4;
  return kinds;
})();

/** An ASCII name, by runs of letters (each run sliced once): undefined for a character that is not in a name. */
function spellAscii(t: string): string | undefined {
  let out = '';
  let gap: Gap = 0;
  let runStart = -1;
  let lower = false;
  for (let i = 0; i <= t.length; i++) {
    const kind = i === t.length ? 2 : (ASCII_KIND[t.charCodeAt(i)] as number);
    if (kind === 1) {
      if (runStart < 0) runStart = i;
      const c = t.charCodeAt(i);
      if (c >= 0x61) lower = true;
      continue;
    }
    if (runStart >= 0) {
      const run = lower ? t.slice(runStart, i).toUpperCase() : t.slice(runStart, i);
      out = gap !== 0 && out !== '' ? `${out}${gap === 2 ? '-' : ' '}${run}` : out + run;
      gap = 0;
      runStart = -1;
      lower = false;
    }
    if (kind === 0) return undefined;
    if (kind === 3) gap = 2;
    else if (kind === 2 && gap === 0) gap = 1;
  }
  return out;
}

/** The Latin rows by UTF-16 code below U+0250 (Latin-1 and Latin Extended-A and -B), upper and lower case. */
const LATIN_BELOW = 0x250;
function latinForms(single: boolean): (string | undefined)[] {
  const forms = new Array<string | undefined>(LATIN_BELOW).fill(undefined);
  for (const [ch, row] of LATIN_ROWS) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c < LATIN_BELOW) forms[c] = single && row[2] !== undefined ? row[2] : row[1];
  }
  return forms;
}
const LATIN_FORMS = latinForms(false);
const LATIN_SINGLE_FORMS = latinForms(true);

/**
 * A name of ASCII and the Latin rows below U+0250 only (most Latin names with diacritics), read by code unit without
 * normalising it; null for any other character, which the general path then reads.
 */
function spellLatin(t: string, single: boolean): string | undefined | null {
  const forms = single ? LATIN_SINGLE_FORMS : LATIN_FORMS;
  let out = '';
  let gap: Gap = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    let piece: string | undefined;
    if (c < 0x80) {
      const kind = ASCII_KIND[c] as number;
      if (kind === 1) piece = UPPER[c];
      else if (kind === 0) return undefined;
      else {
        if (kind === 3) gap = 2;
        else if (kind === 2 && gap === 0) gap = 1;
        continue;
      }
    } else {
      piece = c < LATIN_BELOW ? forms[c] : undefined;
      if (piece === undefined) return null;
      if (piece === '') continue;
    }
    if (gap !== 0) {
      if (out !== '') out += gap === 2 ? '-' : ' ';
      gap = 0;
    }
    out += piece;
  }
  return out;
}

/** Each ASCII letter's upper case, as a string made once. */
const UPPER: readonly string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c >= 0x61 && c <= 0x7a ? c - 0x20 : c));

/** Whether `cp` is whitespace as `\s` matches it, beyond ASCII. */
function isWideSpace(cp: number): boolean {
  return cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000 || cp === 0xfeff;
}

/**
 * A name in upper-case A–Z, its words apart by one space (or one hyphen where it had one); `''` when it holds no
 * letter; undefined when a character is one no table writes. ASCII letters are kept as they are (upper-cased).
 * @internal
 */
export function spell(text: string, spelling: Spelling = ICAO): string | undefined {
  // The hot path (manifest screening): ASCII letters only, nearly always already upper case.
  let lower = false;
  let ascii = true;
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) continue;
    if (c >= 0x61 && c <= 0x7a) lower = true;
    else {
      plain = false;
      if (c >= 0x80) {
        ascii = false;
        break;
      }
    }
  }
  if (plain) return lower ? text.toUpperCase() : text;
  if (ascii) return spellAscii(text);
  const latin = spellLatin(text, spelling.single === true);
  if (latin !== null) return latin;
  const t = text.normalize('NFC');
  const w = new Writer();
  const chars = Array.from(t);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      const kind = ASCII_KIND[cp] as number;
      if (kind === 1) w.write(cp >= 0x61 ? String.fromCharCode(cp - 0x20) : ch);
      else if (kind === 2) w.separate(1);
      else if (kind === 3) w.separate(2);
      else if (kind === 0) return undefined;
      continue;
    }
    // The rows first: nearly every other character of a name is a letter of one.
    const latin = LATIN_ROWS.get(ch);
    if (latin !== undefined) {
      w.write(spelling.single === true && latin[2] !== undefined ? latin[2] : latin[1]);
      continue;
    }
    if (HYPHENS.has(ch)) {
      w.separate(2);
      continue;
    }
    if (isWideSpace(cp)) {
      w.separate(1);
      continue;
    }
    if (DROPPED.has(ch)) continue;
    if (isGreek(cp)) {
      let end = i + 1;
      while (end < chars.length && (isGreek(chars[end]!.codePointAt(0)!) || MARK.test(chars[end]!))) end++;
      const form = greekWord(chars.slice(i, end));
      if (form === undefined) return undefined;
      w.write(form);
      i = end - 1;
      continue;
    }
    const form = formOf(ch, spelling, chars[i + 1], ARABIC_ROWS.has(ch) && componentEndsAt(chars, i + 1));
    if (form === undefined) return undefined;
    w.write(form);
  }
  return w.out;
}
