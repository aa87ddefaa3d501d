// Issue codes, their severity and their messages. Messages are built from field labels and positions only:
// no personal data may reach an error or a log line.
import type { MrzCandidateChange, MrzFieldName, MrzIssue, MrzIssueCode } from './types';

/** Every issue code, in a stable order. */
export const MRZ_ISSUE_CODES: readonly MrzIssueCode[] = Object.freeze([
  'UNKNOWN_FORMAT',
  'INVALID_LINE_COUNT',
  'INVALID_LENGTH',
  'INVALID_CHARACTERS',
  'INVALID_DOCUMENT_CODE',
  'INVALID_ISSUING_STATE',
  'INVALID_NATIONALITY',
  'INVALID_BIRTH_DATE',
  'INVALID_EXPIRY_DATE',
  'INVALID_SEX',
  'DOCUMENT_NUMBER_CHECK_DIGIT',
  'BIRTH_DATE_CHECK_DIGIT',
  'EXPIRY_DATE_CHECK_DIGIT',
  'PERSONAL_NUMBER_CHECK_DIGIT',
  'COMPOSITE_CHECK_DIGIT',
  'MISSING_NAME',
  'NAME_POSSIBLY_TRUNCATED',
  'SPECIMEN_DOCUMENT',
  'DOCUMENT_EXPIRED',
  'OCR_CORRECTED',
  'OCR_CORRECTION_AMBIGUOUS',
  'OCR_CORRECTION_UNCERTAIN',
  'LOWERCASE_INPUT',
] as const);

const WARNINGS: ReadonlySet<MrzIssueCode> = new Set<MrzIssueCode>([
  'NAME_POSSIBLY_TRUNCATED',
  'SPECIMEN_DOCUMENT',
  'DOCUMENT_EXPIRED',
  'OCR_CORRECTED',
  'OCR_CORRECTION_AMBIGUOUS',
  'OCR_CORRECTION_UNCERTAIN',
  'LOWERCASE_INPUT',
]);

/** Severity of each issue code. */
export const MRZ_ISSUE_SEVERITY: Readonly<Record<MrzIssueCode, 'error' | 'warning'>> = Object.freeze(
  Object.fromEntries(MRZ_ISSUE_CODES.map((code) => [code, WARNINGS.has(code) ? 'warning' : 'error'])) as Record<
    MrzIssueCode,
    'error' | 'warning'
  >,
);

const FIELD_LABELS: Readonly<Record<MrzFieldName, string>> = {
  documentCode: 'document code',
  issuingState: 'issuing state',
  names: 'name',
  documentNumber: 'document number',
  documentNumberCheckDigit: 'document number check digit',
  nationality: 'nationality',
  birthDate: 'birth date',
  birthDateCheckDigit: 'birth date check digit',
  sex: 'sex',
  expiryDate: 'expiry date',
  expiryDateCheckDigit: 'expiry date check digit',
  personalNumber: 'personal number',
  personalNumberCheckDigit: 'personal number check digit',
  optionalData1: 'optional data',
  optionalData2: 'optional data (line 2)',
  compositeCheckDigit: 'composite check digit',
  issueDate: 'issue date',
  languageCode: 'language code',
  pinCode: 'PIN code',
  versionNumber: 'version number',
};

const MESSAGES: Readonly<Record<MrzIssueCode, string>> = {
  UNKNOWN_FORMAT: 'The line lengths match no known MRZ layout',
  INVALID_LINE_COUNT: 'The number of lines matches no known MRZ layout',
  INVALID_LENGTH: 'The line has the wrong length for the layout',
  INVALID_CHARACTERS: 'Characters outside the MRZ alphabet or outside the class of the field',
  INVALID_DOCUMENT_CODE: 'The document code is not valid for this layout',
  INVALID_ISSUING_STATE: 'The issuing state is not a known state code',
  INVALID_NATIONALITY: 'The nationality is not a known state code',
  INVALID_BIRTH_DATE: 'The birth date is not a calendar date',
  INVALID_EXPIRY_DATE: 'The expiry date is not a calendar date',
  INVALID_SEX: 'The sex is not M, F, X or <',
  DOCUMENT_NUMBER_CHECK_DIGIT: 'The document number check digit does not match',
  BIRTH_DATE_CHECK_DIGIT: 'The birth date check digit does not match',
  EXPIRY_DATE_CHECK_DIGIT: 'The expiry date check digit does not match',
  PERSONAL_NUMBER_CHECK_DIGIT: 'The personal number check digit does not match',
  COMPOSITE_CHECK_DIGIT: 'The composite check digit does not match',
  MISSING_NAME: 'The name field holds no name (no letter in it)',
  NAME_POSSIBLY_TRUNCATED: 'The name field is completely full: the name may have been truncated',
  SPECIMEN_DOCUMENT: 'The document is an ICAO specimen (state UTO)',
  DOCUMENT_EXPIRED: 'The document expired before the reference date',
  OCR_CORRECTED: 'A character was corrected',
  OCR_CORRECTION_AMBIGUOUS: 'Several corrections are possible; nothing was changed',
  OCR_CORRECTION_UNCERTAIN: 'A line was fitted to its length, but other readings differ in the names or optional data: compare them with the document',
  LOWERCASE_INPUT: 'Lowercase characters were upper-cased',
};

/** Builds an issue; `field` is named in the message by its label, the value never is. */
export function issue(
  code: MrzIssueCode,
  line: number,
  start: number,
  end: number,
  field?: MrzFieldName,
  candidates?: readonly (readonly MrzCandidateChange[])[],
): MrzIssue {
  const where = end - start === 1 ? `line ${line + 1}, column ${end}` : `line ${line + 1}, columns ${start + 1}-${end}`;
  const message =
    field === undefined ? `${MESSAGES[code]} (${where})` : `${MESSAGES[code]} (${FIELD_LABELS[field]}, ${where})`;
  const severity = MRZ_ISSUE_SEVERITY[code];
  // One literal per shape, keys in the same order every time.
  if (field === undefined) {
    return candidates === undefined
      ? { code, severity, line, start, end, message }
      : { code, severity, line, start, end, message, candidates };
  }
  return candidates === undefined
    ? { code, severity, line, start, end, message, field }
    : { code, severity, line, start, end, message, field, candidates };
}
