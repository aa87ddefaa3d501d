// National layouts our ICAO core does not know are read by the `mrz` package and mapped into ParsedMrz.
// Its error messages carry field values, so they are never passed on: each failing detail becomes one of our codes.
import { parse as parseWithMrzPackage } from 'mrz';
import type { Details, FieldName } from 'mrz';
import { computeCheckDigit } from './check-digit';
import { lastDateBefore, resolveDate } from './dates';
import type { ReferenceParts } from './dates';
import { issue } from './issues';
import { splitNamesAt } from './names';
import type {
  MrzCheckDigit,
  MrzCheckDigitName,
  MrzCorrection,
  MrzDocument,
  DocumentType,
  MrzFieldName,
  MrzFormat,
  MrzIssue,
  MrzIssueCode,
  Sex,
  ParsedMrz,
} from './types';

/** mrz package field → our field, the issue a failing detail raises, and the check digit it is. */
const FIELD_MAP: Readonly<Partial<Record<FieldName, readonly [MrzFieldName, MrzIssueCode, MrzCheckDigitName | null]>>> = {
  documentCode: ['documentCode', 'INVALID_DOCUMENT_CODE', null],
  issuingState: ['issuingState', 'INVALID_ISSUING_STATE', null],
  nationality: ['nationality', 'INVALID_NATIONALITY', null],
  lastName: ['names', 'INVALID_CHARACTERS', null],
  firstName: ['names', 'INVALID_CHARACTERS', null],
  documentNumber: ['documentNumber', 'INVALID_CHARACTERS', null],
  documentNumberCheckDigit: ['documentNumberCheckDigit', 'DOCUMENT_NUMBER_CHECK_DIGIT', 'documentNumber'],
  birthDate: ['birthDate', 'INVALID_BIRTH_DATE', null],
  birthDateCheckDigit: ['birthDateCheckDigit', 'BIRTH_DATE_CHECK_DIGIT', 'birthDate'],
  expirationDate: ['expiryDate', 'INVALID_EXPIRY_DATE', null],
  expirationDateCheckDigit: ['expiryDateCheckDigit', 'EXPIRY_DATE_CHECK_DIGIT', 'expiryDate'],
  sex: ['sex', 'INVALID_SEX', null],
  compositeCheckDigit: ['compositeCheckDigit', 'COMPOSITE_CHECK_DIGIT', 'composite'],
  issueDate: ['issueDate', 'INVALID_CHARACTERS', null],
  administrativeCode: ['optionalData1', 'INVALID_CHARACTERS', null],
  administrativeCode2: ['optionalData2', 'INVALID_CHARACTERS', null],
  languageCode: ['languageCode', 'INVALID_CHARACTERS', null],
  pinCode: ['pinCode', 'INVALID_CHARACTERS', null],
  versionNumber: ['versionNumber', 'INVALID_CHARACTERS', null],
};

const TYPE_OF_FORMAT: Readonly<Partial<Record<MrzFormat, DocumentType>>> = {
  FRENCH_NATIONAL_ID: 'ID_CARD',
  FRENCH_DRIVING_LICENSE: 'OTHER',
  SWISS_DRIVING_LICENSE: 'OTHER',
};

const SEX_OF_CODE: Readonly<Record<string, Sex>> = { M: 'M', F: 'F', X: 'X', '<': 'UNSPECIFIED' };

function slice(lines: readonly string[], range: { line: number; start: number; end: number }): string {
  return (lines[range.line] ?? '').slice(range.start, range.end);
}

function toBuffer(text: string): Uint8Array {
  const buf = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) buf[i] = Math.min(text.charCodeAt(i), 255);
  return buf;
}

export function parseNationalFormat(
  inputLines: string[],
  format: MrzFormat,
  repair: boolean,
  ref: ReferenceParts,
): ParsedMrz {
  const issues: MrzIssue[] = [];
  const corrections: MrzCorrection[] = [];
  let lines = inputLines;
  if (repair) {
    lines = inputLines.map((line, index) => {
      const upper = line.toUpperCase();
      if (upper === line) return line;
      issues.push(issue('LOWERCASE_INPUT', index, 0, line.length));
      for (let i = 0; i < line.length; i++) {
        if (line[i] !== upper[i]) {
          corrections.push({ line: index, column: i, from: line[i] as string, to: upper[i] as string, field: 'names', verified: false });
        }
      }
      return upper;
    });
  }
  lines.forEach((line, index) => {
    const bad = line.search(/[^A-Z0-9<]/);
    if (bad >= 0) issues.push(issue('INVALID_CHARACTERS', index, bad, bad + 1));
  });
  let details: Details[];
  let fullNumber: string | null = null;
  try {
    const parsed = parseWithMrzPackage(lines, { autocorrect: false });
    details = parsed.details;
    fullNumber = parsed.documentNumber;
  } catch {
    issues.push(issue('INVALID_CHARACTERS', 0, 0, lines[0]?.length ?? 0));
    return { format, valid: false, specimen: false, document: null, raw: {}, checkDigits: {}, issues, corrections, lines };
  }
  const raw: Partial<Record<MrzFieldName, string>> = {};
  const checkDigits: Partial<Record<MrzCheckDigitName, MrzCheckDigit>> = {};
  const values: Partial<Record<FieldName, string>> = {};
  for (const detail of details) {
    if (detail.field === null) continue;
    const mapped = FIELD_MAP[detail.field];
    const main = detail.ranges[0];
    if (mapped === undefined || main === undefined) continue;
    const [field, code, check] = mapped;
    const printed = slice(lines, main);
    if (field !== 'names') raw[field] = printed;
    if (detail.value !== null) values[detail.field] = detail.value;
    if (check !== null) {
      const covered = detail.ranges.slice(1).map((range) => slice(lines, range)).join('');
      const computed = /^[A-Z0-9<]*$/.test(covered) ? computeCheckDigit(covered) : -1;
      checkDigits[check] = { printed, computed, ok: detail.valid };
    }
    if (!detail.valid) issues.push(issue(code, main.line, main.start, main.end, field));
  }
  const nameDetail = details.find((detail) => detail.field === 'lastName');
  if (nameDetail?.ranges[0] !== undefined) raw.names = slice(lines, nameDetail.ranges[0]);

  const date = (field: 'birthDate' | 'expiryDate', kind: 'birth' | 'expiry'): string | null => {
    const printed = raw[field];
    if (printed === undefined) return null;
    const resolved = printed.length === 6 ? resolveDate(toBuffer(printed), 0, kind, ref) : null;
    if (resolved === null && !issues.some((found) => found.field === field)) {
      const detail = details.find((d) => FIELD_MAP[d.field as FieldName]?.[0] === field);
      const main = detail?.ranges[0];
      if (main !== undefined) issues.push(issue(kind === 'birth' ? 'INVALID_BIRTH_DATE' : 'INVALID_EXPIRY_DATE', main.line, main.start, main.end, field));
    } else if (resolved !== null && kind === 'expiry' && lastDateBefore(ref)) {
      issues.push(issue('DOCUMENT_EXPIRED', 0, 0, 0, field));
    }
    return resolved;
  };
  const birthDate = date('birthDate', 'birth');
  const expiryDate = date('expiryDate', 'expiry');
  const surname = (values.lastName ?? '').trim();
  const given = values.firstName ?? '';
  const names = raw.names !== undefined && format !== 'FRENCH_NATIONAL_ID' ? splitNamesAt(toBuffer(raw.names), 0, raw.names) : null;
  const document: MrzDocument = {
    documentCode: (raw.documentCode ?? '').replace(/<+$/, ''),
    documentType: TYPE_OF_FORMAT[format] ?? 'OTHER',
    issuingState: (raw.issuingState ?? '').replace(/<+$/, ''),
    documentNumber: (fullNumber ?? values.documentNumber ?? '').replace(/<+$/, ''),
    nationality: (raw.nationality ?? '').replace(/<+$/, ''),
    surname: names?.surname ?? surname,
    givenNames: names?.givenNames ?? given.split(/[\s<]+/).filter((part) => part.length > 0),
    sex: SEX_OF_CODE[raw.sex ?? '<'] ?? 'UNSPECIFIED',
    birthDate,
    expiryDate,
  };
  // As for the ICAO layouts: a holder with no letter in any name field cannot be searched, so the MRZ is not valid.
  if (!/[A-Z]/.test(document.surname) && !document.givenNames.some((name) => /[A-Z]/.test(name))) {
    const main = nameDetail?.ranges[0];
    issues.push(issue('MISSING_NAME', main?.line ?? 0, main?.start ?? 0, main?.end ?? 0, 'names'));
  }
  const valid = !issues.some((found) => found.severity === 'error');
  return { format, valid, specimen: false, document, raw, checkDigits, issues, corrections, lines };
}
