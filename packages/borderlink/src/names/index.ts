// Names: ICAO Doc 9303 Part 3's transliteration tables, the walker over them, and the spellings a record may hold.
// The bottom of the house with the MRZ engine: formatMrz writes names with these tables, and person queries send the
// ICAO form and the other spellings.
import { z } from 'zod';
import { InputError } from '../errors/index';
import { parseOptions } from '../internal/options';
import { CYRILLIC_LANGUAGES, type CyrillicLanguage } from './cyrillic';
import { spell } from './spell';
import { MAX_NAME_VARIANTS, languageOfState, nameSpellings, type NameVariant, type PersonName } from './variants';

export { CYRILLIC_LANGUAGES, type CyrillicLanguage } from './cyrillic';
export { MAX_NAME_VARIANTS, type NameVariant, type PersonName } from './variants';

/** Options of {@link transliterateName}. Unknown options are refused with a `ConfigError`. */
export interface TransliterateNameOptions {
  /**
   * The table: `icao`, ICAO Doc 9303 Part 3 (Latin with diacritics, Cyrillic, Arabic) and, for Greek, which Part 3
   * has no table for, ELOT 743 (what Greek and Cypriot documents print). See docs/mrz.md, "Names".
   * @default 'icao'
   */
  readonly scheme?: 'icao' | undefined;
  /**
   * Whose exceptions of the Cyrillic table apply: `uk` (И → Y), `be` (Г → H, Ё → IO), `bg` (Щ → SHT), `sr`
   * (Г → H, Ж → Z, Х → H, Ц → C, Ч → C, Ш → S), `mk` (Ѓ → GJ, Ќ → KJ, Х → H, Ц → C, Џ → DJ); `ru` and none
   * are the general column.
   * @default the general column
   * @example { scheme: 'icao', language: 'uk' }
   */
  readonly language?: CyrillicLanguage | undefined;
}

/** Options of {@link nameVariants}. Unknown options are refused with a `ConfigError`. */
export interface NameVariantsOptions {
  /**
   * Whose exceptions of the Cyrillic table the ICAO form (the first spelling) takes; the other languages' forms come
   * after it. See {@link TransliterateNameOptions.language}.
   * @default the language of `nationality`, else the general column
   */
  readonly language?: CyrillicLanguage | undefined;
  /**
   * The person's nationality (ICAO state code), which picks the language when `language` is not given: `RUS` → `ru`,
   * `UKR` → `uk`, `BLR` → `be`, `BGR` → `bg`, `SRB` → `sr`, `MKD` → `mk`; any other, the general column. What a
   * person query does with its `nationality`.
   * @example { nationality: 'UKR' }
   */
  readonly nationality?: string | undefined;
}

const LANGUAGE_SET: ReadonlySet<unknown> = new Set(CYRILLIC_LANGUAGES);
const language = z.enum(CYRILLIC_LANGUAGES as readonly [CyrillicLanguage, ...CyrillicLanguage[]]).optional();
const transliterateOptionsSchema = z.strictObject({ scheme: z.literal('icao').optional(), language });
const variantsOptionsSchema = z.strictObject({ language, nationality: z.string().optional() });

/**
 * The language of options plainly valid (the usual call), without zod; otherwise the schema's answer or its error.
 * `extra` is the other key the options may have (`scheme` or `nationality`).
 */
function languageOf(scope: string, options: unknown, schema: z.ZodType, extra: 'scheme' | 'nationality'): CyrillicLanguage | undefined {
  if (options === undefined) return undefined;
  let o = options as { scheme?: unknown; language?: unknown; nationality?: unknown };
  let plain = typeof options === 'object' && options !== null && !Array.isArray(options);
  if (plain) for (const key in options) if (key !== 'language' && key !== extra) plain = false;
  plain &&= (o.scheme === undefined || o.scheme === 'icao') && (o.nationality === undefined || typeof o.nationality === 'string');
  plain &&= o.language === undefined || LANGUAGE_SET.has(o.language);
  if (!plain) o = parseOptions(scope, schema, options) as typeof o;
  return (o.language as CyrillicLanguage | undefined) ?? languageOfState(o.nationality as string | undefined);
}

function textError(scope: string, path: string, message: string): InputError {
  return new InputError(`${scope}: ${path} ${message}`, [{ path, message }]);
}

/**
 * Writes a name the way ICAO Doc 9303 Part 3 writes it in the MRZ: upper-case A–Z, one space between words (the
 * MRZ's filler `<`), letters with diacritics by Part 3's table (Ä → AE, Ö → OE, Ü → UE, ß → SS, Å → AA, Æ → AE,
 * Ø → OE, Þ → TH, others without their accent), Cyrillic by its table (Ж → ZH, Х → KH, Ц → TS, Щ → SHCH, Ю → IU,
 * Я → IA), Arabic by its table (ث → XTH), Greek by ELOT 743. Hyphens become spaces; apostrophes and dots are dropped.
 *
 * @param text One name (a surname, or one given name); any case.
 * @throws {InputError} naming `text` (never its value) when it is not a string or holds a character no table writes
 * (a digit, a script without a table, a row left out: docs/mrz.md, "Names").
 * @throws {ConfigError} for an unknown option or a value it does not take.
 * @example
 * ```ts
 * transliterateName('Müller', { scheme: 'icao' }); // 'MUELLER'
 * transliterateName('Юлия Цой', { scheme: 'icao' }); // 'IULIIA TSOI'
 * transliterateName('Марія', { scheme: 'icao', language: 'uk' }); // 'MARIIA'
 * ```
 */
export function transliterateName(text: string, options?: TransliterateNameOptions): string {
  const chosen = languageOf('transliterateName', options, transliterateOptionsSchema, 'scheme');
  if (typeof text !== 'string') throw textError('transliterateName', 'text', 'must be a string');
  const form = spell(text, chosen === undefined ? undefined : { language: chosen });
  if (form === undefined) throw textError('transliterateName', 'text', 'holds a character the ICAO tables do not write');
  return form.includes('-') ? form.replace(/-/g, ' ') : form;
}

/**
 * The spellings a record may hold for a person's name, at most {@link MAX_NAME_VARIANTS}, the likeliest first: the
 * ICAO form (as {@link transliterateName} writes each name; as written, for a name the tables cannot write), the name
 * as written (upper case), the one-letter forms of Ä, Ö, Ü, Å, Ø (A, O, U, A, O), the Russian romanisation before
 * ICAO's (Ю → YU, Я → YA, Й → Y), the other Cyrillic languages' exceptions, the surname and given names the other way
 * round, and each of them without spaces and hyphens and with the name's hyphens. The first is the ICAO form; none is
 * repeated.
 *
 * @throws {InputError} naming the field when `surname` is not a string or `givenNames` is not an array of strings.
 * @throws {ConfigError} for an unknown option.
 * @example
 * ```ts
 * nameVariants({ surname: 'Цой', givenNames: ['Юлия'] });
 * // [{ surname: 'TSOI', givenNames: ['IULIIA'] }, { surname: 'ЦОЙ', givenNames: ['ЮЛИЯ'] },
 * //  { surname: 'TSOY', givenNames: ['YULIYA'] }, …, { surname: 'IULIIA', givenNames: ['TSOI'] }, …]
 * nameVariants({ surname: 'Müller', givenNames: ['Ülle'] }).slice(0, 3);
 * // [{ surname: 'MUELLER', givenNames: ['UELLE'] }, { surname: 'MÜLLER', givenNames: ['ÜLLE'] },
 * //  { surname: 'MULLER', givenNames: ['ULLE'] }]
 * ```
 */
export function nameVariants(name: PersonName, options?: NameVariantsOptions): NameVariant[] {
  const chosen = languageOf('nameVariants', options, variantsOptionsSchema, 'nationality');
  if (typeof name !== 'object' || name === null) throw textError('nameVariants', 'name', 'must be an object with a surname');
  if (typeof name.surname !== 'string') throw textError('nameVariants', 'surname', 'must be a string');
  const given: unknown = name.givenNames;
  if (given !== undefined && !(Array.isArray(given) && given.every((g) => typeof g === 'string'))) {
    throw textError('nameVariants', 'givenNames', 'must be an array of strings');
  }
  const { primary, others } = nameSpellings({ surname: name.surname, givenNames: given as string[] | undefined }, chosen);
  return [primary, ...others];
}

export { nameSpellings, languageOfState, type Spellings } from './variants';
export { spell } from './spell';
