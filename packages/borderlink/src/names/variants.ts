// The spellings a record may hold for one name, in the order they are most likely, bounded by MAX_NAME_VARIANTS.
import { CYRILLIC_LANGUAGES, type CyrillicLanguage } from './cyrillic';
import { spell, type Spelling } from './spell';

/**
 * Most spellings {@link nameVariants} gives for one name, the ICAO form included; also the most a person subject's
 * `nameVariants` may hold on the wire. A name with several letters that have two spellings (umlauts, older Cyrillic
 * forms), several words and given names could make hundreds; the likeliest come first and the rest are left out.
 */
export const MAX_NAME_VARIANTS = 16;

/** A person's name: the primary identifier and the secondary ones, in order. */
export interface PersonName {
  /** @example 'Цой' */
  readonly surname: string;
  /** @default [] @example ['Юлия'] */
  readonly givenNames?: readonly string[] | undefined;
}

/** One spelling of a person's name. */
export interface NameVariant {
  /** @example 'TSOY' */
  surname: string;
  /** @example ['YULIYA'] */
  givenNames: string[];
}

/** The state codes whose documents write Cyrillic names with one language's exceptions of the ICAO table. @internal */
export const LANGUAGE_OF_STATE: Readonly<Record<string, CyrillicLanguage>> = Object.freeze({
  RUS: 'ru',
  UKR: 'uk',
  BLR: 'be',
  BGR: 'bg',
  SRB: 'sr',
  MKD: 'mk',
});

/** The Cyrillic language a state's documents follow, when the table has exceptions for it. @internal */
export function languageOfState(state: string | undefined): CyrillicLanguage | undefined {
  return state === undefined || !Object.hasOwn(LANGUAGE_OF_STATE, state) ? undefined : LANGUAGE_OF_STATE[state];
}

const CYRILLIC = /[\u0400-\u04ff]/;
const NON_ASCII = /[^\x00-\x7f]/;
const HYPHEN = /-/g;
const WORD_GAPS = /[\s\-\u2010-\u2014\u2212]+/gu;

/** Whether `v` is A–Z only: then it is its own ICAO form, as written, and has no words to join. */
function isUpperLetters(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x41 || c > 0x5a) return false;
  }
  return v.length > 0;
}

/** The names upper-cased when every one is ASCII letters only, and none is longer than it was; else undefined. */
function asciiLetters(names: readonly string[]): string[] | undefined {
  const out = new Array<string>(names.length);
  for (let k = 0; k < names.length; k++) {
    const v = names[k]!;
    if (v.length === 0) return undefined;
    let lower = false;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x61 && c <= 0x7a) lower = true;
      else if (c < 0x41 || c > 0x5a) return undefined;
    }
    out[k] = lower ? v.toUpperCase() : v;
  }
  return out;
}

/** A name as written, for a record that holds it so: upper case, whitespace as single spaces. */
function asWritten(name: string): string {
  return isUpperLetters(name) ? name : name.trim().replace(/\s+/gu, ' ').toUpperCase();
}

/** A spelling without spaces and hyphens. */
function joined(form: string): string {
  return form.includes(' ') || form.includes('-') || NON_ASCII.test(form) ? form.replace(WORD_GAPS, '') : form;
}

/** One spelling of every name: the spelled form where there is one with a letter, else `fallback`'s. */
function spellAll(names: readonly string[], spelling: Spelling, fallback: readonly string[]): string[] {
  const out = new Array<string>(names.length);
  for (let i = 0; i < names.length; i++) {
    const form = spell(names[i]!, spelling);
    out[i] = form === undefined || form === '' ? fallback[i]! : form;
  }
  return out;
}

/** The result of {@link nameSpellings}: the first is the name the subject carries. @internal */
export interface Spellings {
  readonly primary: NameVariant;
  /** The other spellings, the likeliest first; at most MAX_NAME_VARIANTS − 1. */
  readonly others: NameVariant[];
}

/**
 * The spellings of a name: its ICAO form first (as written, for a name the tables cannot write), then the others in
 * tiers: the other bases (as written, single-letter, older romanisation, the other languages' exceptions), the ICAO
 * form in the other order, each base without spaces and hyphens, with its hyphens, and the other bases in the other
 * order. `maxLength` leaves out a spelling with a longer name. @internal
 */
export function nameSpellings(name: PersonName, language?: CyrillicLanguage, maxLength = Infinity): Spellings {
  const names = [name.surname, ...(name.givenNames ?? [])];
  // Most names (records, manifests, MRZs) are ASCII letters only: each is its own ICAO form and as written, with no
  // words to join, so the other order is their one other spelling.
  const letters = asciiLetters(names);
  if (letters !== undefined) {
    const primary = { surname: letters[0]!, givenNames: letters.slice(1) };
    const other = letters.length > 1 ? letters.slice(1).join(' ') : '';
    const swapped = other !== '' && other.length <= maxLength && letters[0]!.length <= maxLength ? [{ surname: other, givenNames: [letters[0]!] }] : [];
    return { primary, others: swapped };
  }
  const written = names.map(asWritten);
  const icao = spellAll(names, { language }, written);
  // Bases keep hyphens where the name had them; a written base keeps whatever it holds.
  const bases: { forms: string[]; spelled: boolean }[] = [{ forms: icao, spelled: true }, { forms: written, spelled: false }];
  const text = names.join(' ');
  if (NON_ASCII.test(text)) {
    bases.push({ forms: spellAll(names, { language, single: true }, icao), spelled: true });
    if (CYRILLIC.test(text)) {
      bases.push({ forms: spellAll(names, { older: true }, icao), spelled: true });
      for (const other of CYRILLIC_LANGUAGES) {
        if (other !== (language ?? 'ru')) bases.push({ forms: spellAll(names, { language: other }, icao), spelled: true });
      }
    }
  }
  const seen = new Set<string>();
  const out: NameVariant[] = [];
  const add = (forms: readonly string[]): void => {
    if (out.length >= MAX_NAME_VARIANTS || forms.length === 0) return;
    for (const f of forms) if (f.length > maxLength || f === '') return;
    const key = forms.join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ surname: forms[0]!, givenNames: forms.slice(1) });
  };
  const spaced = (b: { forms: string[]; spelled: boolean }): string[] => (b.spelled ? b.forms.map((f) => (f.includes('-') ? f.replace(HYPHEN, ' ') : f)) : b.forms);
  const swapped = (forms: readonly string[]): string[] => (forms.length < 2 ? [] : [forms.slice(1).join(' '), forms[0]!]);
  const primary = spaced(bases[0]!);
  add(primary);
  // A name the tables cannot write at all has no ICAO form: as written, it is the first spelling.
  if (out.length === 0) add(written);
  for (const b of bases.slice(1)) add(spaced(b));
  add(swapped(primary));
  for (const b of bases) add(b.forms.map(joined));
  for (const b of bases) if (b.spelled) add(b.forms);
  for (const b of bases.slice(1)) add(swapped(spaced(b)));
  const [first, ...others] = out;
  return { primary: first ?? { surname: written[0]!, givenNames: written.slice(1) }, others };
}
