// Public types of the MRZ layer. The documentation on these types is the manual.

/**
 * The layout a machine-readable zone was read as. `TD1`–`MRVB` are checked by borderlink's own ICAO Doc 9303
 * core; the three national formats are read through the `mrz` package.
 */
export type MrzFormat =
  | 'TD1'
  | 'TD2'
  | 'TD3'
  | 'MRVA'
  | 'MRVB'
  | 'FRENCH_NATIONAL_ID'
  | 'FRENCH_DRIVING_LICENSE'
  | 'SWISS_DRIVING_LICENSE';

/** The ICAO Doc 9303 layouts, the ones {@link formatMrz} can write. */
export const ICAO_MRZ_FORMATS = Object.freeze(['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'] as const);

/** One of {@link ICAO_MRZ_FORMATS}. */
export type IcaoMrzFormat = (typeof ICAO_MRZ_FORMATS)[number];

/**
 * Every kind of travel document: what an MRZ's document code says (`P` → PASSPORT, `I` → ID_CARD, `V` → VISA,
 * anything else, `A`, `C`, driving licences → OTHER), and what a document check and a report carry.
 */
export const DOCUMENT_TYPES = Object.freeze(['PASSPORT', 'ID_CARD', 'VISA', 'OTHER'] as const);

/** One of {@link DOCUMENT_TYPES}. */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Every sex a document carries: ICAO's `M`, `F`, `X`, and `UNSPECIFIED` when not stated (`<` in an MRZ). */
export const SEXES = Object.freeze(['M', 'F', 'X', 'UNSPECIFIED'] as const);

/** One of {@link SEXES}. */
export type Sex = (typeof SEXES)[number];

/**
 * Name of one field of a layout, as used in {@link ParsedMrz.raw}, {@link MrzIssue.field} and
 * {@link MrzCorrection.field}.
 */
export type MrzFieldName =
  | 'documentCode'
  | 'issuingState'
  | 'names'
  | 'documentNumber'
  | 'documentNumberCheckDigit'
  | 'nationality'
  | 'birthDate'
  | 'birthDateCheckDigit'
  | 'sex'
  | 'expiryDate'
  | 'expiryDateCheckDigit'
  | 'personalNumber'
  | 'personalNumberCheckDigit'
  | 'optionalData1'
  | 'optionalData2'
  | 'compositeCheckDigit'
  | 'issueDate'
  | 'languageCode'
  | 'pinCode'
  | 'versionNumber';

/** The check digits a layout can carry. */
export type MrzCheckDigitName = 'documentNumber' | 'birthDate' | 'expiryDate' | 'personalNumber' | 'composite';

/** One check digit as printed and as computed with ICAO 7-3-1 weighting. */
export interface MrzCheckDigit {
  /** The character in the check-digit position (a digit, or `<`). */
  readonly printed: string;
  /** The digit the covered characters compute to. */
  readonly computed: number;
  /** Whether the printed digit is acceptable (`<` and `0` both are for an empty personal number). */
  readonly ok: boolean;
  /**
   * Set on `documentNumber` when a TD1/TD2 document number longer than 9 characters continues in the optional
   * data (`<` in the check-digit place); `printed` is then the digit found after the overflow.
   */
  readonly overflow?: true;
}

/**
 * Stable machine-readable issue codes; see {@link MRZ_ISSUE_CODES}. Errors make `valid` false, warnings do not:
 * NAME_POSSIBLY_TRUNCATED, SPECIMEN_DOCUMENT, DOCUMENT_EXPIRED, OCR_CORRECTED, OCR_CORRECTION_AMBIGUOUS,
 * OCR_CORRECTION_UNCERTAIN and LOWERCASE_INPUT are warnings, every other code is an error.
 */
export type MrzIssueCode =
  | 'UNKNOWN_FORMAT'
  | 'INVALID_LINE_COUNT'
  | 'INVALID_LENGTH'
  | 'INVALID_CHARACTERS'
  | 'INVALID_DOCUMENT_CODE'
  | 'INVALID_ISSUING_STATE'
  | 'INVALID_NATIONALITY'
  | 'INVALID_BIRTH_DATE'
  | 'INVALID_EXPIRY_DATE'
  | 'INVALID_SEX'
  | 'DOCUMENT_NUMBER_CHECK_DIGIT'
  | 'BIRTH_DATE_CHECK_DIGIT'
  | 'EXPIRY_DATE_CHECK_DIGIT'
  | 'PERSONAL_NUMBER_CHECK_DIGIT'
  | 'COMPOSITE_CHECK_DIGIT'
  | 'MISSING_NAME'
  | 'NAME_POSSIBLY_TRUNCATED'
  | 'SPECIMEN_DOCUMENT'
  | 'DOCUMENT_EXPIRED'
  | 'OCR_CORRECTED'
  | 'OCR_CORRECTION_AMBIGUOUS'
  | 'OCR_CORRECTION_UNCERTAIN'
  | 'LOWERCASE_INPUT';

/** A one-character change the repair considered, described by position only (never by the surrounding value). */
export interface MrzCandidateChange {
  /** Line index, from 0. */
  readonly line: number;
  /** Column index, from 0: in the line as read for a removal, in the judged line otherwise. */
  readonly column: number;
  /** The character that would be put there; `''` for a removal. */
  readonly to: string;
  /** Set when the change removes a character from a line too long, or inserts filler into a line too short. */
  readonly kind?: 'removed' | 'inserted';
}

/**
 * One finding about the input. Messages name the field and the position only: they never contain a document
 * number, a name or a date, so they can be logged.
 */
export interface MrzIssue {
  readonly code: MrzIssueCode;
  readonly severity: 'error' | 'warning';
  /** The field concerned, when there is one. */
  readonly field?: MrzFieldName;
  /** Line index, from 0 (0 when the issue concerns the whole input). */
  readonly line: number;
  /** First column concerned, from 0. */
  readonly start: number;
  /** Column after the last one concerned (exclusive). */
  readonly end: number;
  /** Human-readable, free of personal data. */
  readonly message: string;
  /**
   * On OCR_CORRECTION_AMBIGUOUS: each alternative repair, as the list of changes it would make. The original
   * reading is kept whenever there is more than one.
   */
  readonly candidates?: readonly (readonly MrzCandidateChange[])[];
}

/**
 * One character the repair changed, removed or inserted.
 * @example { line: 0, column: 15, from: 'O', to: '0', field: 'birthDate', verified: true }
 * @example { line: 0, column: 29, from: ' ', to: '', field: 'names', verified: false, kind: 'removed' }
 */
export interface MrzCorrection {
  /** Line index, from 0. */
  readonly line: number;
  /**
   * Column index, from 0: in the judged line (see {@link ParsedMrz.lines}), except for a removed character, whose
   * column is in the line as read.
   */
  readonly column: number;
  /** The character as read; `''` for an inserted one. */
  readonly from: string;
  /** The character judged instead; `''` for a removed one. */
  readonly to: string;
  /** The field the character belongs to (for a removed one: the field where it stood). */
  readonly field: MrzFieldName;
  /**
   * Whether a check digit covering this position passes after the change. For a removed or inserted character,
   * which moves the rest of its line: whether some check digit covers the line and every one that does passes.
   */
  readonly verified: boolean;
  /**
   * Set when the repair brought a line to the layout's length: `removed` for a character taken out of a line too
   * long (whitespace, a stray mark, a character read twice, doubled filler), `inserted` for filler put into a line
   * too short. Absent for a character changed in place.
   */
  readonly kind?: 'removed' | 'inserted';
}

/** The holder and document data, decoded. */
export interface MrzDocument {
  /** Document code without filler, e.g. `P`, `I`, `ID`, `V`. */
  readonly documentCode: string;
  readonly documentType: DocumentType;
  /** State code without filler (`D` for Germany). */
  readonly issuingState: string;
  /** Document number without filler, including any TD1/TD2 overflow characters. */
  readonly documentNumber: string;
  /** State code without filler; empty for formats that do not carry one. */
  readonly nationality: string;
  /**
   * Primary identifier; `<` inside it becomes a space (`DE<LA<CRUZ` → `DE LA CRUZ`). Empty when the name field
   * starts with `<<` (a holder whose one name is written as the secondary identifier), or when the field holds no
   * letter at all, which is the error MISSING_NAME.
   */
  readonly surname: string;
  /** Components of the secondary identifier. Empty when there is none. */
  readonly givenNames: readonly string[];
  readonly sex: Sex;
  /** `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the MRZ marks day / month unknown with `<<`; null when invalid. */
  readonly birthDate: string | null;
  /** As {@link MrzDocument.birthDate}. */
  readonly expiryDate: string | null;
  /** TD3 personal number without filler; absent when empty. */
  readonly personalNumber?: string;
  /** Optional-data fields without trailing filler (TD1: two, TD2/MRV: one); absent when all are empty. */
  readonly optionalData?: readonly string[];
}

/** Result of {@link parseMrz}. Same shape whether repair is on or off. */
export interface ParsedMrz {
  /** null when the lines fit no known layout. */
  readonly format: MrzFormat | null;
  /** true when no issue has `severity: 'error'`. */
  readonly valid: boolean;
  /** true when the issuing state or nationality is the ICAO specimen state `UTO`. */
  readonly specimen: boolean;
  /** null when the input is unusable (unknown format, wrong line count or line length). */
  readonly document: MrzDocument | null;
  /** Every field exactly as in the judged lines, filler and check digits included. */
  readonly raw: Readonly<Partial<Record<MrzFieldName, string>>>;
  readonly checkDigits: Readonly<Partial<Record<MrzCheckDigitName, MrzCheckDigit>>>;
  readonly issues: readonly MrzIssue[];
  /** Every character the repair changed; empty in strict mode. */
  readonly corrections: readonly MrzCorrection[];
  /** The normalised lines that were judged, after any repair. */
  readonly lines: readonly string[];
}

/** Options of {@link parseMrz}. Unknown keys are refused with a RangeError. */
export interface ParseMrzOptions {
  /**
   * Repair OCR noise: lowercase, letters in digit fields and digits in letter fields, substitutions that make the
   * check digits pass when exactly one does, and lines one or two characters off the layout's length (whitespace or
   * stray marks inside a line, a character read twice, filler lost or doubled at the end). Every repair is listed in
   * {@link ParsedMrz.corrections}. `false` judges the lines exactly as read.
   * @default true
   */
  readonly repair?: boolean | undefined;
  /**
   * "Today" for the century of two-digit years and for DOCUMENT_EXPIRED.
   * @default new Date()
   * @example { referenceDate: new Date('2025-01-01') }
   */
  readonly referenceDate?: Date | undefined;
}

/**
 * Input of {@link formatMrz}. Names are written with the tables of `transliterateName` (Ä → AE, ß → SS, other accents
 * dropped, Cyrillic, Arabic, Greek), with the Cyrillic exceptions of the issuing state's language (`UKR`: И → Y).
 */
export interface FormatMrzInput {
  readonly format: IcaoMrzFormat;
  /** One or two characters; the first must fit the format (`P` for TD3, `V` for visas, `A`/`C`/`I` otherwise). @example 'P' */
  readonly documentCode: string;
  /** State code, 1–3 letters. @example 'UTO' */
  readonly issuingState: string;
  /** Up to 9 characters; TD1 and TD2 also take longer numbers, written with the ICAO overflow. @example 'L898902C3' */
  readonly documentNumber: string;
  /** Primary identifier, in any script the ICAO tables write. @example 'Eriksson' @example 'Цой' */
  readonly surname: string;
  /** Secondary identifier components. @example ['Anna', 'Maria'] */
  readonly givenNames: readonly string[];
  /** State code, 1–3 letters. */
  readonly nationality: string;
  /** `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` for unknown day / month (written `<<`: `1974-08` → `7408<<`). @example '1974-08-12' */
  readonly birthDate: string;
  readonly sex: Sex;
  /** `YYYY-MM-DD`. @example '2012-04-15' */
  readonly expiryDate: string;
  /** TD3 only, up to 14 characters. */
  readonly personalNumber?: string | undefined;
  /** TD1: up to two entries (line 1 and line 2 optional data); TD2, MRVA, MRVB: one entry. */
  readonly optionalData?: readonly string[] | undefined;
}
