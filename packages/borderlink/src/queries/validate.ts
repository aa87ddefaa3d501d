// Input validation with zod, before anything is sent. Messages name the rule, never the value: the issue paths are
// the only thing an InputError carries about the input.
import { z } from 'zod';
import { InputError, type FieldIssue } from '../errors/index';
import type { DocumentQuery, QueryContext, Source, Subject } from './types';
import { DOCUMENT_NUMBER, DOCUMENT_TYPES, PURPOSES, SEXES, SOURCES, STATE_CODE, VIN, printableAscii, spellValues } from './values';
import { MAX_NAME_VARIANTS } from '../names/variants';
import { SILENT_LETTERS } from '../names/spell';

// Only a to z are upper-cased: toUpperCase also folds look-alikes into ASCII (ſ → S, ı → I, ß → SS, ﬀ → FF), which
// would search for a value the document does not hold instead of refusing it.
const upper = (v: string) => {
  const t = v.trim();
  // Nearly every code comes upper case already: the replace (a regular expression and a callback) only when needed.
  return hasAsciiLower(t) ? t.replace(/[a-z]+/g, (letters) => letters.toUpperCase()) : t;
};

function hasAsciiLower(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return true;
  }
  return false;
}

/** Whether `v` holds an ASCII letter: then it holds a letter that is no Hangul filler (a name's usual case). */
function hasAsciiLetter(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a) return true;
  }
  return false;
}

export const stateCodeSchema = z
  .string({ error: 'must be a string' })
  .transform(upper)
  .pipe(z.string().regex(STATE_CODE, { error: 'must be an ICAO state code of 1 to 3 letters' }));

/** Whether `v` is `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (1800 or later) of a real calendar. @internal */
export function isCalendarDate(v: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(v);
  if (!m) return false;
  const year = Number(m[1]);
  if (m[2] === undefined) return year >= 1800;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= days;
}

export const dateSchema = z
  .string({ error: 'must be a string' })
  .refine(isCalendarDate, { error: 'must be a calendar date as YYYY-MM-DD, YYYY-MM or YYYY' });

/**
 * A letter that is one to search: not a modifier letter (`\p{Lm}`: the apostrophes ʼ ʻ ʹ, the Arabic tatweel ـ,
 * length and repetition marks ー ๆ, which stand beside letters and are no name alone), not a Hangul filler (a letter
 * to Unicode that prints as a blank). Letters the ICAO tables do not write (the soft sign) are left out after.
 */
const SEARCHABLE_LETTER = /[^\P{L}\p{Lm}\u115F\u1160\u3164\uFFA0]/gu;

/**
 * Whether a name holds a letter, so that there is something to search. `-`, `.`, `'`, a combining mark alone, a
 * modifier letter alone (ʼ, ʻ, the tatweel ـ, ー), the soft sign Ь alone (ICAO writes it as nothing) or Hangul fillers
 * are the usual placeholders for an unknown name in manifests and registers, or leave its ICAO form empty; a person
 * subject whose surname has no letter is refused with an {@link InputError} (`must hold at least one letter`). Use it
 * to treat such a placeholder as "no name given" before building a person subject, rather than sending a row that
 * will be refused. A value that is not a string holds no letter.
 * @example
 * ```ts
 * import { hasNameLetter } from 'borderlink';
 * hasNameLetter('ERIKSSON'); // true
 * hasNameLetter('-'); // false: a placeholder, no person to search
 * hasNameLetter('ʼ'); // false: an apostrophe, though Unicode calls it a letter
 * ```
 */
export function hasNameLetter(value: string): boolean {
  if (typeof value !== 'string') return false;
  if (hasAsciiLetter(value)) return true;
  for (const [letter] of value.matchAll(SEARCHABLE_LETTER)) if (!SILENT_LETTERS.has(letter)) return true;
  return false;
}

/**
 * Marks the issue of a name with no letter: the client refuses it (there is nothing to search), while a gateway takes it
 * and answers the source `ERROR`, never `NO_HIT`. @internal
 */
export const NOTHING_TO_SEARCH = Object.freeze({ nothingToSearch: true });

/** Whether a zod issue is only that a name has nothing to search by. @internal */
export const isNothingToSearch = (issue: z.core.$ZodIssue): boolean =>
  issue.code === 'custom' && (issue.params as { nothingToSearch?: boolean } | undefined)?.nothingToSearch === true;

/**
 * What a name may hold besides letters of any script and their combining marks, once trimmed: one row per character.
 * The pattern, the message of a refused name and the fast path below are made from it; docs/protocol.md and the
 * OpenAPI document list the same (a test holds them to it).
 * @internal
 */
export const NAME_PUNCTUATION = Object.freeze([
  { character: ' ', name: 'spaces' },
  { character: "'", name: 'apostrophes' },
  { character: '.', name: 'full stops' },
  { character: ',', name: 'commas' },
  { character: '-', name: 'hyphens' },
] as const);
/** What a name may hold, once trimmed. */
const NAME_CHARACTERS = new RegExp(`^[\\p{L}\\p{M}${NAME_PUNCTUATION.map((p) => p.character.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')).join('')}]+$`, 'u');
const NAME_PUNCTUATION_CODES = new Set<number>(NAME_PUNCTUATION.map((p) => p.character.charCodeAt(0)));
/** The message of a name that holds anything else: every character the table allows, by name. @internal */
export const NAME_CHARACTERS_MESSAGE = `must hold only letters (of any script, with their combining marks), ${NAME_PUNCTUATION.slice(0, -1)
  .map((p) => p.name)
  .join(', ')} or ${NAME_PUNCTUATION.at(-1)!.name}`;
/** Typographic apostrophes (’ ‘), as keyboards and word processors write `'`: the same apostrophe. */
const TYPOGRAPHIC_APOSTROPHES = /[\u2018\u2019]/g;

/** A name trimmed, with its typographic apostrophes as `'`. */
function trimName(v: string): string {
  const t = v.trim();
  return t.includes('\u2019') || t.includes('\u2018') ? t.replace(TYPOGRAPHIC_APOSTROPHES, "'") : t;
}
/** A plate once trimmed and upper-cased. */
const PLATE = /^[A-Z0-9][A-Z0-9 -]{0,14}$/;

const name = z
  .string({ error: 'must be a string' })
  .transform(trimName)
  .pipe(
    z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(100, { error: 'must be at most 100 characters' })
      .regex(NAME_CHARACTERS, { error: NAME_CHARACTERS_MESSAGE })
      // `-`, `.`, `'` or a combining mark alone are the usual placeholders for an unknown name: nothing to search.
      // Hangul fillers are letters to Unicode but print as blanks: a name of them is still empty.
      .refine(hasNameLetter, { error: 'must hold at least one letter', params: NOTHING_TO_SEARCH }),
  );

const sex = z.enum(SEXES, { error: `must be ${spellValues(SEXES)}` });

const givenNames = z.array(name, { error: 'must be an array of names' }).max(10).default([]);

/** One other spelling of a person's name (protocol v1's `nameVariants`): the fields of a name, nothing else. */
const nameVariant = z.strictObject({ surname: name, givenNames }, { error: 'must be a name (surname, givenNames)' });

const personFields = {
  surname: name,
  givenNames,
  dateOfBirth: dateSchema.optional(),
  sex: sex.optional(),
  nationality: stateCodeSchema.optional(),
  nameVariants: z
    .array(nameVariant, { error: 'must be an array of names' })
    .max(MAX_NAME_VARIANTS, { error: `must hold at most ${MAX_NAME_VARIANTS} names` })
    .optional(),
};

const documentFields = {
  documentNumber: z
    .string({ error: 'must be a string' })
    .transform(upper)
    .pipe(z.string().regex(DOCUMENT_NUMBER, { error: 'must be 1 to 20 letters A-Z or digits' })),
  issuingState: stateCodeSchema,
  documentType: z.enum(DOCUMENT_TYPES, { error: `must be ${spellValues(DOCUMENT_TYPES)}` }),
  holder: z.strictObject(personFields).optional(),
};

const vehicleFields = {
  vin: z
    .string({ error: 'must be a string' })
    .transform(upper)
    .pipe(z.string().regex(VIN, { error: 'must be 17 characters A-Z or 0-9, without I, O or Q' }))
    .optional(),
  plate: z
    .string({ error: 'must be a string' })
    .transform(upper)
    .pipe(z.string().regex(PLATE, { error: 'must be 1 to 15 letters, digits, spaces or hyphens' }))
    .optional(),
  registrationCountry: stateCodeSchema.optional(),
};

function vehicleNeedsKey(v: { vin?: string | undefined; plate?: string | undefined; registrationCountry?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.vin === undefined && v.plate === undefined) {
    ctx.addIssue({ code: 'custom', path: ['vin'], message: 'a vehicle needs a vin, or a plate with its registrationCountry' });
  } else if (v.plate !== undefined && v.registrationCountry === undefined) {
    ctx.addIssue({ code: 'custom', path: ['registrationCountry'], message: 'is required with a plate' });
  }
}

export const documentQuerySchema = z.strictObject(documentFields);

const DOCUMENT_TYPE_SET: ReadonlySet<unknown> = new Set(DOCUMENT_TYPES);

/** Whether `v` is `min` to `max` characters A-Z (and 0-9 with `digits`): then trimming and upper-casing leave it as is. */
function isPlainCode(v: unknown, max: number, digits: boolean): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (digits && c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

/**
 * The document query when it is plainly valid (the three fields, no holder), with exactly the value
 * {@link documentQuerySchema} gives it; otherwise undefined, and the schema decides (and words
 * the error). zod's object parse was the largest cost of a cached check after the key (bench/cache.ts). The keys are
 * walked as zod walks them (`for…in`, inherited enumerable keys included) and a field is present when zod finds it
 * present (`in`), so a key the schema would refuse is never let through here. A property test holds the two to the same answer. @internal
 */
export function plainDocumentQuery(value: unknown): { documentNumber: string; issuingState: string; documentType: DocumentQuery['documentType'] } | undefined {
  return plainDocumentFields(value, false);
}

function plainDocumentFields(
  value: unknown,
  withKind: boolean,
  asIs = false,
): { documentNumber: string; issuingState: string; documentType: DocumentQuery['documentType'] } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let n = 0;
  for (const key in value) {
    if (key !== 'documentNumber' && key !== 'issuingState' && key !== 'documentType' && !(withKind && key === 'kind')) return undefined;
    n++;
  }
  if (n !== (withKind ? 4 : 3)) return undefined;
  // zod tells a present field by `in` (a Proxy's has trap may disagree with the keys it lists): ask it the same way.
  if (!('documentNumber' in value && 'issuingState' in value && 'documentType' in value && (!withKind || 'kind' in value))) return undefined;
  if (withKind && (value as { kind?: unknown }).kind !== 'document') return undefined;
  const { documentNumber: rawNumber, issuingState: rawState, documentType } = value as Record<string, unknown>;
  // Codes already as the schema leaves them are taken as they are; others (unless `asIs`) through the schema's own
  // transform and pattern, from the same reads (each field is read once).
  const documentNumber = isPlainCode(rawNumber, 20, true) ? rawNumber : asIs ? undefined : plainUpper(rawNumber, DOCUMENT_NUMBER);
  const issuingState = isPlainCode(rawState, 3, false) ? rawState : asIs ? undefined : plainUpper(rawState, STATE_CODE);
  if (documentNumber === undefined || issuingState === undefined || !DOCUMENT_TYPE_SET.has(documentType)) return undefined;
  // With its kind, the subject itself (kind first, as the schema gives it): no second object to copy it into.
  return withKind
    ? ({ kind: 'document', documentNumber, issuingState, documentType: documentType as DocumentQuery['documentType'] } as { documentNumber: string; issuingState: string; documentType: DocumentQuery['documentType'] })
    : { documentNumber, issuingState, documentType: documentType as DocumentQuery['documentType'] };
}
// The fast paths of the other queries (persons, vehicles, documents with a holder) run each field through the schema's
// own rules (the same transforms, patterns and functions), read as zod reads a strict object; anything they are not
// sure of they leave to the schema, which words the error. Property tests hold them to the schema's value.
const PERSON_KEYS = Object.keys(personFields);
const VEHICLE_KEYS = Object.keys(vehicleFields);
const DOCUMENT_KEYS = Object.keys(documentFields);
const SEX_SET: ReadonlySet<unknown> = new Set(SEXES);

/**
 * The fields of `value` as zod reads a strict object with these keys (and `kind` first when `withKind`): each field
 * zod finds present (`in`) read once. Undefined when `value` is not a plain object, lists a key (`for…in`, inherited
 * ones included) the object does not know, or has a present field that reads undefined (a default, or an explicit
 * undefined kept as such: the schema's to say).
 */
function strictFields(value: unknown, keys: readonly string[], withKind: boolean): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  for (const key in value) if (!keys.includes(key) && !(withKind && key === 'kind')) return undefined;
  const fields: Record<string, unknown> = {};
  if (withKind) {
    if (!('kind' in value)) return undefined;
    fields.kind = (value as Record<string, unknown>).kind;
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (!(key in value)) continue;
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined) return undefined;
    fields[key] = field;
  }
  return fields;
}

/** A name as the `name` schema gives it (trimmed), when it accepts it. */
function plainName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (t.length < 1 || t.length > 100) return undefined;
  // A name of ASCII letters and the table's punctuation (most manifests): the pattern and the letter rule, without the
  // Unicode regular expressions. Anything else goes through them.
  let letter = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const lower = c | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) letter = true;
    else if (!NAME_PUNCTUATION_CODES.has(c)) return NAME_CHARACTERS.test(t) && hasNameLetter(t) ? t : undefined;
  }
  return letter ? t : undefined;
}

/** A code as a `string → upper → pattern` schema gives it, when it accepts it. */
function plainUpper(v: unknown, pattern: RegExp): string | undefined {
  if (typeof v !== 'string') return undefined;
  const u = upper(v);
  return pattern.test(u) ? u : undefined;
}

/** The person fields of `f` (from strictFields) as the person schema gives them, written into `out` in its order. */
function personInto(f: Record<string, unknown>, out: Record<string, unknown>): boolean {
  const surname = plainName(f.surname);
  if (surname === undefined) return false;
  out.surname = surname;
  let givenNames: string[] = [];
  if ('givenNames' in f) {
    const given = plainGivenNames(f.givenNames);
    if (given === undefined) return false;
    givenNames = given;
  }
  out.givenNames = givenNames;
  if ('dateOfBirth' in f) {
    const date = f.dateOfBirth;
    if (typeof date !== 'string' || !isCalendarDate(date)) return false;
    out.dateOfBirth = date;
  }
  if ('sex' in f) {
    if (!SEX_SET.has(f.sex)) return false;
    out.sex = f.sex;
  }
  if ('nationality' in f) {
    const nationality = plainUpper(f.nationality, STATE_CODE);
    if (nationality === undefined) return false;
    out.nationality = nationality;
  }
  if ('nameVariants' in f) {
    const variants = plainNameVariants(f.nameVariants);
    if (variants === undefined) return false;
    out.nameVariants = variants;
  }
  return true;
}

/** A list of given names as the `givenNames` schema gives it, when it accepts it. */
function plainGivenNames(given: unknown): string[] | undefined {
  if (!Array.isArray(given) || given.length > 10) return undefined;
  const out = new Array<string>(given.length);
  for (let i = 0; i < given.length; i++) {
    const n = plainName(given[i]);
    if (n === undefined) return undefined;
    out[i] = n;
  }
  return out;
}

const VARIANT_KEYS = ['surname', 'givenNames'];

/** A person's `nameVariants` as its schema gives them (each `{ surname, givenNames }`), when it accepts them. */
function plainNameVariants(value: unknown): { surname: string; givenNames: string[] }[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_NAME_VARIANTS) return undefined;
  const out = new Array<{ surname: string; givenNames: string[] }>(value.length);
  for (let i = 0; i < value.length; i++) {
    const f = strictFields(value[i], VARIANT_KEYS, false);
    if (f === undefined) return undefined;
    const surname = plainName(f.surname);
    if (surname === undefined) return undefined;
    const given = 'givenNames' in f ? plainGivenNames(f.givenNames) : [];
    if (given === undefined) return undefined;
    out[i] = { surname, givenNames: given };
  }
  return out;
}

function plainPersonOf(value: unknown, withKind: boolean): Record<string, unknown> | undefined {
  const f = strictFields(value, PERSON_KEYS, withKind);
  if (f === undefined || (withKind && f.kind !== 'person')) return undefined;
  const out: Record<string, unknown> = withKind ? { kind: 'person' } : {};
  return personInto(f, out) ? out : undefined;
}

function plainVehicleOf(value: unknown, withKind: boolean): Record<string, unknown> | undefined {
  const f = strictFields(value, VEHICLE_KEYS, withKind);
  if (f === undefined || (withKind && f.kind !== 'vehicle')) return undefined;
  const out: Record<string, unknown> = withKind ? { kind: 'vehicle' } : {};
  if ('vin' in f) {
    const vin = plainUpper(f.vin, VIN);
    if (vin === undefined) return undefined;
    out.vin = vin;
  }
  if ('plate' in f) {
    const plate = plainUpper(f.plate, PLATE);
    if (plate === undefined) return undefined;
    out.plate = plate;
  }
  if ('registrationCountry' in f) {
    const country = plainUpper(f.registrationCountry, STATE_CODE);
    if (country === undefined) return undefined;
    out.registrationCountry = country;
  }
  // vehicleNeedsKey, on the values as parsed (no present field is undefined here).
  if (out.vin === undefined && out.plate === undefined) return undefined;
  if (out.plate !== undefined && out.registrationCountry === undefined) return undefined;
  return out;
}

function plainDocumentOf(value: unknown, withKind: boolean): Record<string, unknown> | undefined {
  // A document without a holder (nearly all) has a path of its own; either path reads each field once.
  if (typeof value !== 'object' || value === null || !('holder' in value)) return plainDocumentFields(value, withKind);
  const f = strictFields(value, DOCUMENT_KEYS, withKind);
  if (f === undefined || (withKind && f.kind !== 'document')) return undefined;
  const documentNumber = plainUpper(f.documentNumber, DOCUMENT_NUMBER);
  const issuingState = plainUpper(f.issuingState, STATE_CODE);
  if (documentNumber === undefined || issuingState === undefined || !DOCUMENT_TYPE_SET.has(f.documentType)) return undefined;
  const out: Record<string, unknown> = withKind ? { kind: 'document', documentNumber, issuingState } : { documentNumber, issuingState };
  out.documentType = f.documentType;
  if ('holder' in f) {
    const holder = plainPersonOf(f.holder, false);
    if (holder === undefined) return undefined;
    out.holder = holder;
  }
  return out;
}

const PLAIN_OF: Readonly<Record<Subject['kind'], (value: unknown, withKind: boolean) => Record<string, unknown> | undefined>> = {
  document: plainDocumentOf,
  person: plainPersonOf,
  vehicle: plainVehicleOf,
};

/**
 * The subject of a query of `kind` (what checkDocument, checkPerson and checkVehicle take, without its kind), with
 * exactly the value `{ kind, ...schema }` gives it, when the query's schema surely accepts it; otherwise undefined,
 * and the schema decides (and words the error). @internal
 */
export function plainQuerySubject(kind: Subject['kind'], value: unknown): Subject | undefined {
  const fields = PLAIN_OF[kind](value, false);
  return fields === undefined ? undefined : ({ kind, ...fields } as Subject);
}

/** One subject (with its kind) as {@link subjectSchema} gives it, when it surely accepts it. */
function plainSubject(value: unknown): Subject | undefined {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind !== 'document' && kind !== 'person' && kind !== 'vehicle') return undefined;
  return PLAIN_OF[kind](value, true) as Subject | undefined;
}

export const personQuerySchema = z.strictObject(personFields);
export const vehicleQuerySchema = z.strictObject(vehicleFields).superRefine(vehicleNeedsKey);

export const subjectSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('document'), ...documentFields }),
    z.strictObject({ kind: z.literal('person'), ...personFields }),
    z.strictObject({ kind: z.literal('vehicle'), ...vehicleFields }).superRefine(vehicleNeedsKey),
  ],
  { error: 'must have kind document, person or vehicle' },
);

export const sourcesSchema = z
  .array(z.enum(SOURCES, { error: `must be ${spellValues(SOURCES)}` }))
  .min(1, { error: 'must name at least one source' })
  .refine((s) => new Set(s).size === s.length, { error: 'must not repeat a source' });

const SOURCE_SET: ReadonlySet<unknown> = new Set(SOURCES);

/**
 * Whether {@link sourcesSchema} accepts `value`, without zod: a list of 1 to 4 sources of protocol v1, none repeated.
 * The mock gateway reads every item's sources with it (zod and its messages only for a list it refuses); a property
 * test holds it to the schema's answer for any input. @internal
 */
export function isPlainSourceList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0 || value.length > SOURCES.length) return false;
  for (let i = 0; i < value.length; i++) {
    const source: unknown = value[i];
    if (!SOURCE_SET.has(source)) return false;
    for (let k = 0; k < i; k++) if (value[k] === source) return false;
  }
  return true;
}

export const subjectsSchema = z
  .array(subjectSchema, { error: 'must be an array of subjects' })
  .min(1, { error: 'must hold at least one subject' })
  .max(20, { error: 'must hold at most 20 subjects' });

const identifier = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'is required' })
  .max(128, { error: 'must be at most 128 characters' })
  .regex(printableAscii(), { error: 'must be printable ASCII without spaces' });

export const contextSchema = z.strictObject({
  authorityId: identifier,
  operatorId: identifier,
  purpose: z.enum(PURPOSES, { error: `must be ${spellValues(PURPOSES)}` }),
  locationId: identifier.optional(),
});

/** Turns zod issues into field issues that name paths and rules, never values. */
export function toFieldIssues(error: Pick<z.ZodError, 'issues'>, input: unknown, prefix?: string): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      // The keys are the caller's data too (a document number used as a key is still a document number): say how
      // many, never which.
      const n = issue.keys.length;
      return [{ path: path || '(root)', message: n === 1 ? 'holds a field that is not known' : `holds ${n} fields that are not known` }];
    }
    // zod does not tell a missing field from a wrong type in every code path: look at the input itself. Its
    // `nonoptional` issue is a field it found absent (`in`), whatever a read of it gives.
    const missing =
      (issue.code === 'invalid_type' && issue.expected === 'nonoptional') ||
      ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && valueAt(input, issue.path) === undefined);
    return [{ path: path || '(root)', message: missing ? 'is required' : issue.message }];
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * The wording of an issue its schema gave no message of its own: zod's English, passed to each parse. zod's settings
 * are global, so without it an application's `z.config({ customError })` (or another locale) would word our errors,
 * and a `customError` that repeats `issue.input` would put the caller's data into them. zod's English names types,
 * limits and allowed values, never the input.
 */
const OWN_WORDING: { readonly error: z.core.$ZodErrorMap } = Object.freeze({ error: z.locales.en().localeError });

/**
 * `schema.safeParse(value)` worded by us ({@link OWN_WORDING}), whatever an application set with `z.config`: every
 * parse whose issues become a message of ours goes through it.
 * @internal
 */
export function safeParseWorded<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  return schema.safeParse(value, OWN_WORDING);
}

/** The InputError for these issues (at least one): its message names the first field and counts the others. */
export function inputError(issues: readonly FieldIssue[]): InputError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new InputError(`Invalid input: ${first.path} ${first.message}${more}`, issues);
}

/** Parses `value` with `schema` or throws an {@link InputError} naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const parsed = safeParseWorded(schema, value);
  if (parsed.success) return parsed.data;
  throw inputError(toFieldIssues(parsed.error, value, prefix));
}

/** Validates a merged context. Missing who/for-whom/why is an input error: the query is not sent. */
export function parseContext(value: Partial<QueryContext>): QueryContext {
  return parseInput(contextSchema, value, 'context') as QueryContext;
}

export function parseSubjects(value: unknown): Subject[] {
  return plainSubjects(value) ?? (parseInput(subjectsSchema, value, 'subjects') as Subject[]);
}

/**
 * The subjects when every one is plainly valid (documents, with or without a holder, persons and vehicles, each read
 * by the fast paths above), with exactly the value {@link subjectsSchema} gives them; otherwise undefined, and the
 * schema decides. A manifest row is nearly
 * always one passport, and zod's parse of it was the largest cost per row of checkMany. @internal
 */
/**
 * Whether every subject of `value` is a document subject of the three fields whose codes are already as the schema
 * leaves them (no holder), so that the schema accepts the list as it is. For the mock gateway, which needs the answer
 * but no copy. @internal
 */
export function isPlainSubjectList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0 || value.length > 20) return false;
  for (let i = 0; i < value.length; i++) if (plainDocumentFields(value[i], true, true) === undefined) return false;
  return true;
}

export function plainSubjects(value: unknown): Subject[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > 20) return undefined;
  // One subject is the common case (a manifest row): its list is made at its size.
  if (value.length === 1) {
    const d = plainSubject(value[0]);
    return d === undefined ? undefined : [d];
  }
  const out: Subject[] = [];
  for (let i = 0; i < value.length; i++) {
    const d = plainSubject(value[i]);
    if (d === undefined) return undefined;
    out.push(d);
  }
  return out;
}

/** The sources a subject is checked in when the caller names none. */
export const DEFAULT_SOURCES: Readonly<Record<Subject['kind'], readonly Source[]>> = Object.freeze({
  document: ['SLTD', 'TDAWN'],
  person: ['NOMINAL'],
  vehicle: ['SMV'],
});

/** The default sources for a set of subjects, in protocol order and without repeats. */
export function defaultSources(subjects: readonly Subject[]): Source[] {
  // One subject is the common case on the hot path: its list is a constant (callers never mutate it).
  if (subjects.length === 1) return DEFAULT_SOURCES[subjects[0]!.kind] as Source[];
  const wanted = new Set<Source>();
  for (const s of subjects) for (const src of DEFAULT_SOURCES[s.kind]) wanted.add(src);
  return SOURCES.filter((s) => wanted.has(s));
}

/** Which subjects each source can search: a source counts towards NO_HIT only when a subject of its kind was sent. */
export const SEARCHABLE_BY: Readonly<Record<Source, (subject: Subject) => boolean>> = Object.freeze({
  SLTD: (s: Subject) => s.kind === 'document',
  TDAWN: (s: Subject) => s.kind === 'document',
  // A document's holder is searched in NOMINAL (docs/protocol.md).
  NOMINAL: (s: Subject) => s.kind === 'person' || (s.kind === 'document' && s.holder !== undefined),
  SMV: (s: Subject) => s.kind === 'vehicle',
});

/** The kind of subject a source needs, for the message when none was given. */
const NEEDS: Readonly<Record<Source, string>> = { SLTD: 'a document', TDAWN: 'a document', NOMINAL: 'a person or a document holder', SMV: 'a vehicle' };

/**
 * Refuses sources that no subject can be searched by: asked nothing, a source answers NO_HIT, and that would read
 * as clear. The message names the source and what it needs, never a value.
 * @throws {InputError} with one issue per such source, at `sources.N` (or `sources` when the defaults were used).
 */
export function assertSourcesFit(subjects: readonly Subject[], sources: readonly Source[], explicit: boolean): void {
  let issues: FieldIssue[] | undefined;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i]!;
    const fits = SEARCHABLE_BY[source];
    let found = false;
    for (const s of subjects) {
      if (fits(s)) {
        found = true;
        break;
      }
    }
    if (!found) (issues ??= []).push({ path: explicit ? `sources.${i}` : 'sources', message: `${source} needs ${NEEDS[source]} to search` });
  }
  if (issues !== undefined) throw inputError(issues);
}
