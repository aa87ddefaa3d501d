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
const ARABIC_ROWS = keyed(ARABIC);
const GREEK_FORMS: ReadonlyMap<string, string> = new Map(GREEK_LETTERS);
const GREEK_PAIRS: ReadonlyMap<string, readonly [string, GreekDigraphForms | undefined]> = new Map(
  GREEK_DIGRAPHS.map(([pair, form, forms]) => [pair, [form, forms]] as const),
);

const HYPHENS = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212']);
/** Omitted, as Part 3 omits apostrophes and punctuation: D'ARTAGNAN → DARTAGNAN. U+02BC is the Ukrainian apostrophe. */
const DROPPED = new Set(["'", '\u2019', '\u2018', '\u02bc', '`', '\u00b4', '.', ',']);
const SPACE = /^[\s<]$/u;
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
    if (SPACE.test(ch) || HYPHENS.has(ch)) return true;
    if (!MARK.test(ch) && !DROPPED.has(ch)) return false;
  }
  return true;
}

/**
 * A name in upper-case A–Z, its words apart by one space (or one hyphen where it had one); `''` when it holds no
 * letter; undefined when a character is one no table writes. ASCII letters are kept as they are (upper-cased).
 * @internal
 */
export function spell(text: string, spelling: Spelling = ICAO): string | undefined {
  // The hot path (manifest screening): ASCII letters only, nearly always already upper case.
  let lower = false;
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) continue;
    if (c >= 0x61 && c <= 0x7a) lower = true;
    else {
      plain = false;
      break;
    }
  }
  if (plain) return lower ? text.toUpperCase() : text;
  const t = /[^\x00-\x7f]/.test(text) ? text.normalize('NFC') : text;
  const w = new Writer();
  const chars = Array.from(t);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const c = ch.charCodeAt(0);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      w.write(c >= 0x61 ? String.fromCharCode(c - 0x20) : ch);
      continue;
    }
    if (HYPHENS.has(ch)) {
      w.separate(2);
      continue;
    }
    if (SPACE.test(ch)) {
      w.separate(1);
      continue;
    }
    if (DROPPED.has(ch)) continue;
    const cp = ch.codePointAt(0)!;
    if (isGreek(cp)) {
      let end = i + 1;
      while (end < chars.length && (isGreek(chars[end]!.codePointAt(0)!) || MARK.test(chars[end]!))) end++;
      const form = greekWord(chars.slice(i, end));
      if (form === undefined) return undefined;
      w.write(form);
      i = end - 1;
      continue;
    }
    const next = chars[i + 1];
    const form = formOf(ch, spelling, next, ARABIC_ROWS.has(ch) && componentEndsAt(chars, i + 1));
    if (form === undefined) return undefined;
    w.write(form);
  }
  return w.out;
}
