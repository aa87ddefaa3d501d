// parseMrz: normalise, detect, load into a char-code buffer, repair, then walk the layout table.
import { CHAR_VALUE } from './check-digit';
import { judgeCheck, lastCheck } from './checks';
import { lastDateBefore, referenceParts, resolveDate } from './dates';
import type { ReferenceParts } from './dates';
import { issue } from './issues';
import { LAYOUTS } from './layouts';
import type { CompiledField, CompiledLayout } from './layouts';
import { parseNationalFormat } from './national';
import { detectFormat, normaliseLines } from './normalize';
import { splitNames, stripFiller } from './names';
import { needsRepair, repairBuffer } from './repair';
import { STATE_CODES } from './state-codes';
import type {
  IcaoMrzFormat,
  MrzCheckDigit,
  MrzCheckDigitName,
  MrzCorrection,
  MrzDocument,
  MrzDocumentType,
  MrzFieldName,
  MrzIssue,
  MrzIssueCode,
  MrzSex,
  ParseMrzOptions,
  ParsedMrz,
} from './types';

const FILLER = 60;

const OPTION_KEYS: ReadonlySet<string> = new Set(['repair', 'referenceDate']);

const CHECK_ISSUES: Readonly<Record<MrzCheckDigitName, MrzIssueCode>> = {
  documentNumber: 'DOCUMENT_NUMBER_CHECK_DIGIT',
  birthDate: 'BIRTH_DATE_CHECK_DIGIT',
  expiryDate: 'EXPIRY_DATE_CHECK_DIGIT',
  personalNumber: 'PERSONAL_NUMBER_CHECK_DIGIT',
  composite: 'COMPOSITE_CHECK_DIGIT',
};

const DOCUMENT_TYPES: Readonly<Record<string, MrzDocumentType>> = {
  P: 'PASSPORT',
  I: 'ID_CARD',
  V: 'VISA',
  A: 'OTHER',
  C: 'OTHER',
};

const SEXES: Readonly<Record<string, MrzSex>> = { M: 'M', F: 'F', X: 'X', '<': 'UNSPECIFIED' };

/** Scratch buffer for the concatenated lines: parsing is synchronous, so one suffices. */
const BUFFER = new Uint8Array(3 * 44);

function readOptions(options: ParseMrzOptions | undefined): { repair: boolean; ref: ReferenceParts } {
  if (options === undefined) return { repair: true, ref: referenceParts(Date.now()) };
  for (const key in options) {
    if (!OPTION_KEYS.has(key)) throw new RangeError(`parseMrz: unknown option "${key}"`);
  }
  const repair = options.repair ?? true;
  const referenceDate = options.referenceDate;
  if (typeof repair !== 'boolean') throw new RangeError('parseMrz: option "repair" must be a boolean');
  if (referenceDate === undefined) return { repair, ref: referenceParts(Date.now()) };
  if (!(referenceDate instanceof Date) || Number.isNaN(referenceDate.getTime())) {
    throw new RangeError('parseMrz: option "referenceDate" must be a valid Date');
  }
  return { repair, ref: referenceParts(referenceDate) };
}

function unusable(format: ParsedMrz['format'], lines: string[], issues: MrzIssue[]): ParsedMrz {
  return { format, valid: false, specimen: false, document: null, raw: {}, checkDigits: {}, issues, corrections: [], lines };
}

/**
 * Parses a machine-readable zone. Never throws on data: everything wrong with the input is an issue in the result.
 *
 * @throws RangeError only for misuse of the options (unknown key, non-boolean `repair`, invalid `referenceDate`).
 * @example
 * const result = parseMrz([
 *   'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
 *   'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
 * ]);
 * result.document?.surname // 'ERIKSSON'
 */
export function parseMrz(input: string | readonly string[], options?: ParseMrzOptions): ParsedMrz {
  const { repair, ref } = readOptions(options);
  const lines = input === null || input === undefined ? [] : normaliseLines(input);
  const detection = detectFormat(lines);
  if (detection.format === null) {
    return unusable(null, lines, [issue(detection.problem ?? 'UNKNOWN_FORMAT', 0, 0, lines[0]?.length ?? 0)]);
  }
  if (detection.format === 'FRENCH_NATIONAL_ID') {
    // Old French ID cards and French TD2 documents both start IDFRA: the ICAO check digits decide.
    const asTd2 = parseIcao(lines, LAYOUTS.TD2, repair, ref);
    if (Object.values(asTd2.checkDigits).every((digit) => digit.ok)) return asTd2;
  }
  if (!(detection.format in LAYOUTS)) return parseNationalFormat(lines, detection.format, repair, ref);
  const layout = LAYOUTS[detection.format as IcaoMrzFormat];
  if (detection.problem !== null) {
    const issues: MrzIssue[] = [];
    lines.forEach((line, index) => {
      if (line.length !== layout.length) issues.push(issue('INVALID_LENGTH', index, 0, line.length));
    });
    return unusable(layout.format, lines, issues);
  }
  return parseIcao(lines, layout, repair, ref);
}

function loadBuffer(lines: string[], layout: CompiledLayout, repair: boolean, issues: MrzIssue[], lowered: number[]): void {
  const buf = BUFFER;
  for (let l = 0; l < layout.lines; l++) {
    const line = lines[l] as string;
    const base = l * layout.length;
    let lower = 0;
    let firstBad = -1;
    let lastBad = -1;
    for (let i = 0; i < layout.length; i++) {
      let code = line.charCodeAt(i);
      if (repair && code >= 97 && code <= 122) {
        code -= 32;
        lowered.push(base + i);
        lower++;
      }
      if (code > 255) code = 255;
      buf[base + i] = code;
      if ((CHAR_VALUE[code] ?? -1) < 0) {
        if (firstBad < 0) firstBad = i;
        lastBad = i;
      }
    }
    if (lower > 0) issues.push(issue('LOWERCASE_INPUT', l, 0, layout.length));
    if (firstBad >= 0) issues.push(issue('INVALID_CHARACTERS', l, firstBad, lastBad + 1));
  }
}

function text(buf: Uint8Array, offset: number, length: number): string {
  switch (length) {
    case 1:
      return String.fromCharCode(buf[offset] as number);
    case 2:
      return String.fromCharCode(buf[offset] as number, buf[offset + 1] as number);
    case 3:
      return String.fromCharCode(buf[offset] as number, buf[offset + 1] as number, buf[offset + 2] as number);
    default:
      return String.fromCharCode.apply(null, Array.from(buf.subarray(offset, offset + length)));
  }
}

function fieldIssue(code: MrzIssueCode, field: CompiledField): MrzIssue {
  return issue(code, field.line, field.start, field.start + field.length, field.field);
}

function hasDigit(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function isDocumentCode(code: string, layout: CompiledLayout): boolean {
  const first = code.charCodeAt(0);
  const second = code.charCodeAt(1);
  if (!layout.codeFirst.includes(code.charAt(0))) return false;
  if (!(second === FILLER || (second >= 65 && second <= 90))) return false;
  // Doc 9303 Parts 5–6: on TD1/TD2 a second letter V would read as a visa.
  return first === 86 || layout.codeFirst === 'P' || second !== 86;
}

/** Judges every check digit once, keeping what the result needs. */
function judgeAll(
  buf: Uint8Array, layout: CompiledLayout, checkOk: boolean[], computed: number[], digitAt: number[], overflowAt: number[],
): boolean {
  const checks = layout.checks;
  let all = true;
  for (let i = 0; i < checks.length; i++) {
    const ok = judgeCheck(buf, layout, checks[i] as (typeof checks)[number]);
    checkOk[i] = ok;
    computed[i] = lastCheck.computed;
    digitAt[i] = lastCheck.digitOffset;
    overflowAt[i] = lastCheck.overflow ? lastCheck.overflowEnd : -1;
    if (!ok) all = false;
  }
  return all;
}

function parseIcao(inputLines: string[], layout: CompiledLayout, repair: boolean, ref: ReferenceParts): ParsedMrz {
  const buf = BUFFER;
  const issues: MrzIssue[] = [];
  const lowered: number[] = [];
  loadBuffer(inputLines, layout, repair, issues, lowered);
  const repairCorrections: MrzCorrection[] = [];
  const checks = layout.checks;
  const checkOk: boolean[] = [];
  const computed: number[] = [];
  const digitAt: number[] = [];
  const overflowAt: number[] = [];
  const allOk = judgeAll(buf, layout, checkOk, computed, digitAt, overflowAt);
  if (repair && (!allOk || needsRepair(buf, layout))) {
    repairBuffer(buf, layout, { corrections: repairCorrections, issues });
    if (repairCorrections.length > 0) judgeAll(buf, layout, checkOk, computed, digitAt, overflowAt);
  }
  let lines = inputLines;
  if (lowered.length > 0 || repairCorrections.length > 0 || inputLines.length !== layout.lines) {
    lines = [];
    for (let l = 0; l < layout.lines; l++) lines.push(text(buf, l * layout.length, layout.length));
  }

  const raw: Partial<Record<MrzFieldName, string>> = {};
  for (const field of layout.fields) {
    raw[field.field] = (lines[field.line] as string).slice(field.start, field.start + field.length);
  }

  const checkDigits: Partial<Record<MrzCheckDigitName, MrzCheckDigit>> = {};
  let overflowEnd = -1;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i] as (typeof checks)[number];
    const ok = checkOk[i] as boolean;
    const digitOffset = digitAt[i] as number;
    const printed = String.fromCharCode(buf[digitOffset] as number);
    const overflow = overflowAt[i] as number;
    if (overflow >= 0) {
      overflowEnd = overflow;
      checkDigits[check.name] = { printed, computed: computed[i] as number, ok, overflow: true };
    } else checkDigits[check.name] = { printed, computed: computed[i] as number, ok };
    if (!ok) {
      const line = Math.floor(digitOffset / layout.length);
      const column = digitOffset % layout.length;
      issues.push(issue(CHECK_ISSUES[check.name], line, column, column + 1, check.digitField));
    }
  }

  const corrections: MrzCorrection[] = [];
  for (const offset of lowered) {
    const field = layout.fields[layout.fieldAt[offset] as number] as CompiledField;
    const check = layout.checkAt[offset] as number;
    const code = buf[offset] as number;
    corrections.push({
      line: Math.floor(offset / layout.length), column: offset % layout.length,
      from: String.fromCharCode(code + 32), to: String.fromCharCode(code), field: field.field,
      verified: check >= 0 && checkOk[check] === true,
    });
  }
  for (const correction of repairCorrections) corrections.push(correction);

  const f = layout.byName;
  const codeField = f.documentCode as CompiledField;
  const documentCodeRaw = raw.documentCode as string;
  if (!isDocumentCode(documentCodeRaw, layout)) issues.push(fieldIssue('INVALID_DOCUMENT_CODE', codeField));

  const issuingState = stripFiller(raw.issuingState as string);
  const issuingInfo = STATE_CODES.get(issuingState);
  if (issuingInfo === undefined) issues.push(fieldIssue('INVALID_ISSUING_STATE', f.issuingState as CompiledField));
  const nationality = stripFiller(raw.nationality as string);
  const nationalityInfo = STATE_CODES.get(nationality);
  if (nationalityInfo === undefined) issues.push(fieldIssue('INVALID_NATIONALITY', f.nationality as CompiledField));
  const specimen = issuingInfo?.kind === 'specimen' || nationalityInfo?.kind === 'specimen';
  if (specimen) {
    const where = issuingInfo?.kind === 'specimen' ? f.issuingState : f.nationality;
    issues.push(fieldIssue('SPECIMEN_DOCUMENT', where as CompiledField));
  }

  const birthField = f.birthDate as CompiledField;
  const birthDate = resolveDate(buf, birthField.offset, 'birth', ref);
  if (birthDate === null) issues.push(fieldIssue('INVALID_BIRTH_DATE', birthField));
  const expiryField = f.expiryDate as CompiledField;
  const expiryDate = resolveDate(buf, expiryField.offset, 'expiry', ref);
  if (expiryDate === null) issues.push(fieldIssue('INVALID_EXPIRY_DATE', expiryField));
  else if (lastDateBefore(ref)) issues.push(fieldIssue('DOCUMENT_EXPIRED', expiryField));

  const sex = SEXES[raw.sex as string];
  if (sex === undefined) issues.push(fieldIssue('INVALID_SEX', f.sex as CompiledField));

  const namesField = f.names as CompiledField;
  const namesRaw = raw.names as string;
  if (hasDigit(namesRaw)) issues.push(fieldIssue('INVALID_CHARACTERS', namesField));
  if (namesRaw.charCodeAt(namesRaw.length - 1) !== FILLER) issues.push(fieldIssue('NAME_POSSIBLY_TRUNCATED', namesField));
  const { surname, givenNames } = splitNames(namesRaw);

  let documentNumber = stripFiller(raw.documentNumber as string);
  const optionalData: string[] = [];
  const overflowField = layout.overflowInto;
  for (const name of ['optionalData1', 'optionalData2'] as const) {
    const value = raw[name];
    if (value === undefined) continue;
    if (overflowEnd > 0 && overflowField !== null && overflowField.field === name) {
      documentNumber = (raw.documentNumber as string) + value.slice(0, overflowEnd - 1);
      optionalData.push(stripFiller(value.slice(overflowEnd + 1)));
    } else optionalData.push(stripFiller(value));
  }

  const document: MrzDocument = {
    documentCode: stripFiller(documentCodeRaw),
    documentType: DOCUMENT_TYPES[documentCodeRaw.charAt(0)] ?? 'OTHER',
    issuingState,
    documentNumber,
    nationality,
    surname,
    givenNames,
    sex: sex ?? 'UNSPECIFIED',
    birthDate,
    expiryDate,
  };
  const personal = raw.personalNumber === undefined ? '' : stripFiller(raw.personalNumber);
  const withExtras: MrzDocument =
    personal.length > 0 || optionalData.some((part) => part.length > 0)
      ? {
          ...document,
          ...(personal.length > 0 ? { personalNumber: personal } : {}),
          ...(optionalData.some((part) => part.length > 0) ? { optionalData } : {}),
        }
      : document;

  let valid = true;
  for (const found of issues) if (found.severity === 'error') valid = false;
  return { format: layout.format, valid, specimen, document: withExtras, raw, checkDigits, issues, corrections, lines };
}
