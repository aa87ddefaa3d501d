// From a parsed MRZ to the subjects of one check: the document (SLTD, TDAWN) and its holder (NOMINAL).
import { z } from 'zod';
import { MrzError } from '../errors/index';
import { parseOptions } from '../internal/options';
import type { ParsedMrz } from '../mrz/index';
import type { CheckResult, Source, Subject } from './types';
import { dateSchema, DEFAULT_SOURCES, documentQuerySchema, personQuerySchema, stateCodeSchema } from './validate';

/** Sources an MRZ check asks: the document in SLTD and TDAWN, its holder in NOMINAL. */
export const MRZ_SOURCES: readonly Source[] = Object.freeze([...DEFAULT_SOURCES.document, ...DEFAULT_SOURCES.person]);

/**
 * The answer to `checkMrz`: a {@link CheckResult} with what was read. When the MRZ was invalid and the call allowed it
 * (`allowInvalidMrz`), `mrz.valid` is false and the check ran on the fields as read.
 */
export interface MrzCheckResult extends CheckResult {
  mrz: ParsedMrz;
}

/** One row of `checkManyMrz`: your id and the MRZ as lines or as OCR text. */
export interface MrzBatchItem {
  id: string;
  mrz: string | readonly string[];
}

/** Options of `checkMrz`, beside the usual call options. */
export interface MrzCheckOptions {
  /** Check an MRZ that failed its check digits anyway, on the fields as read. @default false */
  allowInvalidMrz?: boolean | undefined;
  /** Repair OCR errors guided by check digits. @default true */
  repair?: boolean | undefined;
  /** The date expiry and century rules are judged against. @default now */
  referenceDate?: Date | undefined;
}

/** What an MRZ check sends, and the MRZ sources it cannot ask because what they search was unusable. @internal */
export interface MrzSearch {
  subjects: Subject[];
  /** MRZ sources left out: SLTD and TDAWN without a usable document, NOMINAL without a usable holder. */
  notAsked: Source[];
}

const SUBJECT = { document: documentQuerySchema, person: personQuerySchema } as const;

/** The subject when it passes the same validation as any caller's input; undefined when it does not. */
function validated<K extends keyof typeof SUBJECT>(kind: K, fields: Record<string, unknown>): Subject | undefined {
  const parsed = SUBJECT[kind].safeParse(fields);
  return parsed.success ? ({ kind, ...parsed.data } as Subject) : undefined;
}

function mrzError(parsed: ParsedMrz, message: (codes: string) => string): MrzError {
  const codes = [...new Set(parsed.issues.filter((i) => i.severity === 'error').map((i) => i.code))];
  return new MrzError(message(codes.join(', ')), parsed.issues);
}

/**
 * The subjects to check for a parsed MRZ, or an MrzError when it cannot (or may not) be checked. Whatever is read
 * from the MRZ goes through the same validation as a caller's input: a document without a usable number or state is
 * left out (SLTD and TDAWN not asked), a holder without a usable name is left out (NOMINAL not asked), and an
 * optional field that does not validate (a garbled date of birth, nationality or given name) is dropped, which only
 * widens the search. Nothing usable at all is an MrzError.
 * @internal
 */
export function searchFromMrz(parsed: ParsedMrz, allowInvalid: boolean): MrzSearch {
  const doc = parsed.document;
  if (doc === null) throw mrzError(parsed, (codes) => `The MRZ could not be read (${codes || 'UNKNOWN_FORMAT'})`);
  if (!parsed.valid && !allowInvalid) {
    throw mrzError(parsed, (codes) => `The MRZ is invalid (${codes}); pass allowInvalidMrz to check it as read`);
  }
  const subjects: Subject[] = [];
  const notAsked: Source[] = [];
  const document = validated('document', {
    documentNumber: doc.documentNumber,
    issuingState: doc.issuingState,
    documentType: doc.documentType,
  });
  if (document !== undefined) subjects.push(document);
  else notAsked.push(...DEFAULT_SOURCES.document);
  // ICAO: a holder with one name has it as the primary identifier; a lone secondary identifier stands in for it.
  const surname = doc.surname || doc.givenNames.join(' ');
  const person = validated('person', {
    surname,
    // At most the ten the protocol carries: leaving some out only widens the search.
    givenNames: doc.surname ? doc.givenNames.filter((g) => personQuerySchema.shape.surname.safeParse(g).success).slice(0, 10) : [],
    sex: doc.sex,
    ...(doc.birthDate !== null && dateSchema.safeParse(doc.birthDate).success ? { dateOfBirth: doc.birthDate } : {}),
    ...(doc.nationality && stateCodeSchema.safeParse(doc.nationality).success ? { nationality: doc.nationality } : {}),
  });
  if (person !== undefined) subjects.push(person);
  else notAsked.push(...DEFAULT_SOURCES.person);
  if (subjects.length === 0) {
    throw mrzError(parsed, (codes) => `Nothing in the MRZ can be searched: no usable document number or name${codes ? ` (${codes})` : ''}`);
  }
  return { subjects, notAsked };
}

/** Options of {@link subjectsFromMrz}. */
export interface SubjectsFromMrzOptions {
  /**
   * Take the subjects of an MRZ that failed its check digits anyway, from the fields as read. Without it, such an
   * MRZ is an {@link MrzError} (code `INVALID_MRZ`): rescan rather than search a misread number.
   * @default false
   * @example allowInvalidMrz: true
   */
  allowInvalidMrz?: boolean | undefined;
}

const subjectsOptionsSchema = z.strictObject({ allowInvalidMrz: z.boolean().optional() } satisfies Record<keyof SubjectsFromMrzOptions, z.ZodType>);

/**
 * The subjects `checkMrz` would search for a parsed MRZ: the document (for SLTD and TDAWN) and its holder (for
 * NOMINAL), each validated like a caller's own input. For building your own check from an MRZ, e.g. a manifest row
 * that holds an MRZ beside other columns, to send with `checkMany` and the default sources.
 *
 * Never a shorter search: where `checkMrz` would leave out a source (no usable document number, state or name, and
 * answer `NOT_ASKED` for it), this throws an {@link MrzError} instead, since the caller's check could not say so.
 * An optional field that does not validate (a garbled date of birth or nationality) is left out, which only widens
 * the search.
 *
 * @throws {ConfigError} for an unknown option or an `allowInvalidMrz` that is not a boolean.
 * @throws {MrzError} when the MRZ could not be read, is invalid (unless `allowInvalidMrz`), or its document or its
 * holder cannot be searched. The message names issue codes and sources, never a value.
 * @example
 * ```ts
 * import { parseMrz, subjectsFromMrz } from 'borderlink';
 * const subjects = subjectsFromMrz(parseMrz(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10']));
 * // [{ kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' },
 * //  { kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], sex: 'F', dateOfBirth: '1974-08-12', nationality: 'UTO' }]
 * ```
 */
export function subjectsFromMrz(parsed: ParsedMrz, options: SubjectsFromMrzOptions = {}): Subject[] {
  const { allowInvalidMrz } = parseOptions('subjectsFromMrz', subjectsOptionsSchema, options);
  const { subjects, notAsked } = searchFromMrz(parsed, allowInvalidMrz === true);
  if (notAsked.length > 0) {
    throw mrzError(parsed, () => `The MRZ's ${notAsked.includes('NOMINAL') ? 'holder' : 'document'} cannot be searched (${notAsked.join(', ')} could not be asked)`);
  }
  return subjects;
}
