// parseMrz: normalise, detect, load into a char-code buffer, repair, then walk the layout table.
import { CHAR_VALUE } from './check-digit';
import { judgeCheck, lastCheck } from './checks';
import { lastDateBefore, referenceParts, resolveDate } from './dates';
import type { ReferenceParts } from './dates';
import { issue } from './issues';
import { isDocumentCode, LAYOUTS } from './layouts';
import type { CompiledCheck, CompiledField, CompiledLayout } from './layouts';
import { fitLineLengths } from './line-length';
import type { FittedLines } from './line-length';
import { parseNationalFormat } from './national';
import { detectFormat, normaliseLines } from './normalize';
import { fillerEnd, splitNamesAt, stripFiller } from './names';
import { repairBuffer } from './repair';
import { STATE_CODES } from './state-codes';
import type {
  IcaoMrzFormat,
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
  ParseMrzOptions,
  ParsedMrz,
} from './types';

// The parser lives in this function scope, not at the top of the module: a bundler (esbuild, so tsup) turns
// top-level `const` into `var`, and V8 folds only `const` tables and scratch arrays into optimised code. Measured on
// the built package: about a quarter faster parses with the tables in here than at the top level.
const engine = /* @__PURE__ */ (() => {
  const FILLER = 60;

  const CHECK_ISSUES: Readonly<Record<MrzCheckDigitName, MrzIssueCode>> = {
    documentNumber: 'DOCUMENT_NUMBER_CHECK_DIGIT',
    birthDate: 'BIRTH_DATE_CHECK_DIGIT',
    expiryDate: 'EXPIRY_DATE_CHECK_DIGIT',
    personalNumber: 'PERSONAL_NUMBER_CHECK_DIGIT',
    composite: 'COMPOSITE_CHECK_DIGIT',
  };

  const TYPE_OF_CODE: Readonly<Record<string, DocumentType>> = {
    P: 'PASSPORT',
    I: 'ID_CARD',
    V: 'VISA',
    A: 'OTHER',
    C: 'OTHER',
  };

  const SEX_OF_CODE: Readonly<Record<string, Sex>> = { M: 'M', F: 'F', X: 'X', '<': 'UNSPECIFIED' };

  /** Scratch buffer for the concatenated lines: parsing is synchronous, so one suffices. */
  const BUFFER = new Uint8Array(3 * 44);

  /** Offsets upper-cased by the last {@link loadBuffer} (scratch, `loweredCount` entries). */
  const LOWERED = new Int16Array(3 * 44);
  let loweredCount = 0;
  /** Set by {@link loadBuffer}: some character is outside its position's class (or the MRZ alphabet). */
  let outOfClass = false;
  /** Set by {@link loadBuffer}: some character code is above 255, so the buffer (clamped) and the lines differ. */
  let wide = false;

  /** Per-check results of the last {@link judgeAll} (scratch, one entry per check of the layout). */
  const CHECK_OK = new Uint8Array(8);
  const COMPUTED = new Int8Array(8);
  const DIGIT_AT = new Int16Array(8);
  const OVERFLOW_AT = new Int16Array(8);

  /**
   * CODE_ENTRY[class << 8 | code]: the check-digit value of the code in the low 6 bits (0 outside the MRZ alphabet),
   * then flag 64 when the code is outside the MRZ alphabet and 128 when it is outside the class of the position (the
   * filler belongs to every class). Below 64 for a character that needs nothing.
   */
  const CODE_ENTRY: Uint8Array = (() => {
    const table = new Uint8Array(3 * 256);
    for (let cls = 0; cls < 3; cls++) {
      for (let code = 0; code < 256; code++) {
        const digit = code >= 48 && code <= 57;
        const letter = code >= 65 && code <= 90;
        const inClass = code === FILLER || (cls === 0 ? letter : cls === 1 ? digit : digit || letter);
        const value = CHAR_VALUE[code] as number;
        table[(cls << 8) | code] = (value < 0 ? 64 : value) | (inClass ? 0 : 128);
      }
    }
    return table;
  })();

  /**
   * Check-digit values of the characters of the last {@link loadBuffer}, by offset. Meaningful only when every
   * character was in the MRZ alphabet (see {@link alphabetOk}).
   */
  const VALUES = new Uint8Array(3 * 44);
  /** Set by {@link loadBuffer}: every character is in the MRZ alphabet, so {@link VALUES} hold their values. */
  let alphabetOk = true;

  let optionRepair = true;
  let optionRef: ReferenceParts | null = null;

  /** Reads the options into `optionRepair` and `optionRef`. */
  function readOptions(options: ParseMrzOptions | undefined): void {
    if (options === undefined) {
      optionRepair = true;
      optionRef = referenceParts(Date.now());
      return;
    }
    if (typeof options !== 'object' || options === null) throw new RangeError('parseMrz: options must be an object');
    for (const key in options) {
      // The key is not repeated: a caller's stray key may be data (a document number), and this engine has no rule
      // of its own to tell an option name from data.
      if (key !== 'repair' && key !== 'referenceDate') throw new RangeError('parseMrz: an option is not known (it takes repair and referenceDate)');
    }
    const repair = options.repair ?? true;
    const referenceDate = options.referenceDate;
    if (typeof repair !== 'boolean') throw new RangeError('parseMrz: option "repair" must be a boolean');
    if (referenceDate === undefined) {
      optionRepair = repair;
      optionRef = referenceParts(Date.now());
      return;
    }
    if (!(referenceDate instanceof Date) || Number.isNaN(referenceDate.getTime())) {
      throw new RangeError('parseMrz: option "referenceDate" must be a valid Date');
    }
    optionRepair = repair;
    optionRef = referenceParts(referenceDate);
  }

  function unusable(format: ParsedMrz['format'], lines: string[], issues: MrzIssue[]): ParsedMrz {
    return { format, valid: false, specimen: false, document: null, raw: {}, checkDigits: {}, issues, corrections: [], lines };
  }

  function parse(input: string | readonly string[], options?: ParseMrzOptions): ParsedMrz {
    readOptions(options);
    const repair = optionRepair;
    const ref = optionRef as ReferenceParts;
    // Input that is neither text nor lines is data that holds no MRZ, not a reason to throw.
    const lines = typeof input === 'string' || isIterable(input) ? normaliseLines(input) : [];
    const detection = detectFormat(lines);
    if (detection.format === null) {
      if (repair && lines.some(hasWhitespace)) {
        // Whitespace inside the lines can put them past the tolerance of detection: detect again without it.
        const again = detectFormat(lines.map(withoutWhitespace));
        if (again.format !== null && fittable(again.format) !== null) return parseMisfit(lines, again.format, repair, ref);
      }
      return unusable(null, lines, [issue(detection.problem ?? 'UNKNOWN_FORMAT', 0, 0, lines[0]?.length ?? 0)]);
    }
    if (detection.problem !== null) return parseMisfit(lines, detection.format, repair, ref);
    if (detection.format === 'FRENCH_NATIONAL_ID') {
      // Old French ID cards and French TD2 documents both start IDFRA: the ICAO check digits decide.
      const asTd2 = parseIcao(lines, LAYOUTS.TD2, repair, ref, undefined);
      if (Object.values(asTd2.checkDigits).every((digit) => digit.ok)) return asTd2;
    }
    if (!(detection.format in LAYOUTS)) return parseNationalFormat(lines, detection.format, repair, ref);
    return parseIcao(lines, LAYOUTS[detection.format as IcaoMrzFormat], repair, ref, undefined);
  }

  /** The ICAO layout lines detected as `format` are fitted to: the French ID has the TD2 shape; null for none. */
  function fittable(format: MrzFormat): IcaoMrzFormat | null {
    if (format in LAYOUTS) return format as IcaoMrzFormat;
    return format === 'FRENCH_NATIONAL_ID' ? 'TD2' : null;
  }

  /**
   * Lines whose count fits `format` but not their lengths: fitted to the layout when repair is on (see
   * line-length.ts) and read from there; otherwise unusable, as read, with INVALID_LENGTH on each line that is off.
   */
  function parseMisfit(lines: string[], format: MrzFormat, repair: boolean, ref: ReferenceParts): ParsedMrz {
    const target = fittable(format);
    const layout = LAYOUTS[target ?? 'TD2'];
    const notes: MrzIssue[] = [];
    if (target !== null && repair && lines.length === layout.lines) {
      const fitted = fitLineLengths(lines, layout);
      if (fitted.lines !== null) {
        const again = detectFormat(fitted.lines);
        // A French ID is taken as a fitted TD2 only when the ICAO check digits then pass, as on the clean path.
        if (again.problem === null && (again.format === target || (again.format === 'FRENCH_NATIONAL_ID' && target === 'TD2'))) {
          const result = parseIcao(fitted.lines, layout, repair, ref, fitted);
          if (again.format === target || Object.values(result.checkDigits).every((digit) => digit.ok)) return result;
        }
      } else for (const found of fitted.issues) notes.push(found);
    }
    const issues: MrzIssue[] = [];
    lines.forEach((line, index) => {
      if (line.length !== layout.length) issues.push(issue('INVALID_LENGTH', index, 0, line.length));
    });
    for (const found of notes) issues.push(found);
    return unusable(format, lines, issues);
  }

  /**
   * Copies the lines into {@link BUFFER} as char codes (upper-cased when repairing), raising LOWERCASE_INPUT and
   * INVALID_CHARACTERS per line; records the upper-cased offsets, whether anything is outside its class, and the
   * check-digit value of every character in {@link VALUES}.
   */
  function loadBuffer(lines: readonly string[], layout: CompiledLayout, repair: boolean, issues: MrzIssue[]): void {
    const buf = BUFFER;
    const values = VALUES;
    const length = layout.length;
    const classAt = layout.classIndexAt;
    let lowered = 0;
    let anyOut = false;
    let anyBad = false;
    let anyWide = false;
    for (let l = 0; l < layout.lines; l++) {
      const line = lines[l] as string;
      const base = l * length;
      let lower = 0;
      let firstBad = -1;
      let lastBad = -1;
      for (let i = 0; i < length; i++) {
        const offset = base + i;
        let code = line.charCodeAt(i);
        if (code > 90) {
          // Past `Z`: lowercase (upper-cased when repairing), or a code the buffer clamps to 255.
          if (code >= 97 && code <= 122 && repair) {
            code -= 32;
            LOWERED[lowered++] = offset;
            lower++;
          } else if (code > 255) {
            code = 255;
            anyWide = true;
          }
        }
        buf[offset] = code;
        const entry = CODE_ENTRY[((classAt[offset] as number) << 8) | code] as number;
        values[offset] = entry & 63;
        if (entry >= 64) {
          anyOut = true;
          if ((entry & 64) !== 0) {
            if (firstBad < 0) firstBad = i;
            lastBad = i;
          }
        }
      }
      if (lower > 0) issues.push(issue('LOWERCASE_INPUT', l, 0, length));
      if (firstBad >= 0) {
        anyBad = true;
        issues.push(issue('INVALID_CHARACTERS', l, firstBad, lastBad + 1));
      }
    }
    loweredCount = lowered;
    outOfClass = anyOut;
    alphabetOk = !anyBad;
    wide = anyWide;
  }

  /** The lines of the layout as held in {@link BUFFER}. */
  function linesFromBuffer(layout: CompiledLayout): string[] {
    const lines: string[] = [];
    for (let l = 0; l < layout.lines; l++) {
      const start = l * layout.length;
      lines.push(String.fromCharCode.apply(null, BUFFER.subarray(start, start + layout.length) as unknown as number[]));
    }
    return lines;
  }

  /** A state field of the buffer without its trailing filler. */
  function stateAt(buf: Uint8Array, offset: number): string {
    const a = buf[offset] as number;
    const b = buf[offset + 1] as number;
    const c = buf[offset + 2] as number;
    if (c !== FILLER) return String.fromCharCode(a, b, c);
    if (b !== FILLER) return String.fromCharCode(a, b);
    return a !== FILLER ? String.fromCharCode(a) : '';
  }

  /** `value`, the field as held in the buffer, without its trailing filler (read from the buffer). */
  function strippedAt(buf: Uint8Array, field: CompiledField, value: string): string {
    const end = fillerEnd(buf, field.offset, field.length);
    return end === value.length ? value : value.slice(0, end);
  }

  function isSex(code: number): boolean {
    return code === 77 || code === 70 || code === 88 || code === FILLER;
  }

  function fieldIssue(code: MrzIssueCode, field: CompiledField): MrzIssue {
    return issue(code, field.line, field.start, field.start + field.length, field.field);
  }

  /** Whether the field of `length` characters at `offset` of `buf` holds a letter (either case). */
  function hasLetter(buf: Uint8Array, offset: number, length: number): boolean {
    for (let i = offset; i < offset + length; i++) {
      const lower = (buf[i] as number) | 32;
      if (lower >= 97 && lower <= 122) return true;
    }
    return false;
  }

  function hasDigit(value: string): boolean {
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 48 && c <= 57) return true;
    }
    return false;
  }

  /** Records check `i` as {@link judgeCheck} left it in {@link lastCheck}. */
  function recordCheck(i: number, ok: boolean): void {
    const last = lastCheck;
    CHECK_OK[i] = ok ? 1 : 0;
    COMPUTED[i] = last.computed;
    DIGIT_AT[i] = last.digitOffset;
    OVERFLOW_AT[i] = last.overflow ? last.overflowEnd : -1;
  }

  /** Judges every check digit once into the scratch arrays; whether all pass. */
  function judgeAll(buf: Uint8Array, layout: CompiledLayout): boolean {
    const checks = layout.checks;
    let all = true;
    for (let i = 0; i < checks.length; i++) {
      const ok = judgeCheck(buf, layout, checks[i] as CompiledCheck);
      recordCheck(i, ok);
      if (!ok) all = false;
    }
    return all;
  }

  /** The 7-3-1 sum of `values` over `check.runs` (contiguous ranges, weights by position, no index arrays). */
  function runsSum(values: Uint8Array, runs: Int16Array): number {
    let sum = 0;
    for (let r = 0; r < runs.length; r += 3) {
      let i = runs[r] as number;
      const end = runs[r + 1] as number;
      const phase = runs[r + 2] as number;
      // Align on a weight of 7, then take the characters three at a time.
      if (phase === 1 && i < end) sum += 3 * (values[i++] as number);
      if (phase !== 0 && i < end) sum += values[i++] as number;
      for (; i + 2 < end; i += 3) sum += 7 * (values[i] as number) + 3 * (values[i + 1] as number) + (values[i + 2] as number);
      if (i < end) sum += 7 * (values[i++] as number);
      if (i < end) sum += 3 * (values[i] as number);
    }
    return sum;
  }

  /** An empty personal number (all filler) with `<` or `0` as its digit: it passes (see {@link judgeCheck}). */
  function emptyPersonal(buf: Uint8Array, check: CompiledCheck, printed: number): boolean {
    if (printed !== FILLER && printed !== 48) return false;
    const runs = check.runs;
    for (let i = runs[0] as number; i < (runs[1] as number); i++) if (buf[i] !== FILLER) return false;
    return runs.length === 3;
  }

  /**
   * {@link judgeAll} on the buffer just loaded, from the values {@link loadBuffer} recorded: a digit that matches its
   * sum passes as {@link judgeCheck} would pass it; any other (overflow, empty personal number, a mismatch) goes
   * through {@link judgeCheck}.
   */
  function judgeLoaded(buf: Uint8Array, layout: CompiledLayout): boolean {
    if (!alphabetOk) return judgeAll(buf, layout);
    const checks = layout.checks;
    let all = true;
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i] as CompiledCheck;
      const digitOffset = check.digitOffset;
      const computed = runsSum(VALUES, check.runs) % 10;
      const printed = buf[digitOffset] as number;
      if (printed - 48 === computed || (computed === 0 && check.name === 'personalNumber' && emptyPersonal(buf, check, printed))) {
        CHECK_OK[i] = 1;
        COMPUTED[i] = computed;
        DIGIT_AT[i] = digitOffset;
        OVERFLOW_AT[i] = -1;
      } else {
        const ok = judgeCheck(buf, layout, check);
        recordCheck(i, ok);
        if (!ok) all = false;
      }
    }
    return all;
  }

  type RawFields = Partial<Record<MrzFieldName, string>>;

  // The raw fields of each layout as one object literal (keys in layout order, one slice each). These follow the rows
  // of LAYOUT_ROWS; test/mrz/layout-shapes.test.ts holds them to the table.
  function rawTd1(a: string, b: string, c: string): RawFields {
    return {
      documentCode: a.slice(0, 2), issuingState: a.slice(2, 5), documentNumber: a.slice(5, 14),
      documentNumberCheckDigit: a.slice(14, 15), optionalData1: a.slice(15, 30),
      birthDate: b.slice(0, 6), birthDateCheckDigit: b.slice(6, 7), sex: b.slice(7, 8), expiryDate: b.slice(8, 14),
      expiryDateCheckDigit: b.slice(14, 15), nationality: b.slice(15, 18), optionalData2: b.slice(18, 29),
      compositeCheckDigit: b.slice(29, 30),
      names: c.slice(0, 30),
    };
  }

  function rawTd2(a: string, b: string): RawFields {
    return {
      documentCode: a.slice(0, 2), issuingState: a.slice(2, 5), names: a.slice(5, 36),
      documentNumber: b.slice(0, 9), documentNumberCheckDigit: b.slice(9, 10), nationality: b.slice(10, 13),
      birthDate: b.slice(13, 19), birthDateCheckDigit: b.slice(19, 20), sex: b.slice(20, 21), expiryDate: b.slice(21, 27),
      expiryDateCheckDigit: b.slice(27, 28), optionalData1: b.slice(28, 35), compositeCheckDigit: b.slice(35, 36),
    };
  }

  function rawTd3(a: string, b: string): RawFields {
    return {
      documentCode: a.slice(0, 2), issuingState: a.slice(2, 5), names: a.slice(5, 44),
      documentNumber: b.slice(0, 9), documentNumberCheckDigit: b.slice(9, 10), nationality: b.slice(10, 13),
      birthDate: b.slice(13, 19), birthDateCheckDigit: b.slice(19, 20), sex: b.slice(20, 21), expiryDate: b.slice(21, 27),
      expiryDateCheckDigit: b.slice(27, 28), personalNumber: b.slice(28, 42), personalNumberCheckDigit: b.slice(42, 43),
      compositeCheckDigit: b.slice(43, 44),
    };
  }

  function rawMrv(a: string, b: string, length: number): RawFields {
    return {
      documentCode: a.slice(0, 2), issuingState: a.slice(2, 5), names: a.slice(5, length),
      documentNumber: b.slice(0, 9), documentNumberCheckDigit: b.slice(9, 10), nationality: b.slice(10, 13),
      birthDate: b.slice(13, 19), birthDateCheckDigit: b.slice(19, 20), sex: b.slice(20, 21), expiryDate: b.slice(21, 27),
      expiryDateCheckDigit: b.slice(27, 28), optionalData1: b.slice(28, length),
    };
  }

  /** The raw fields of `lines` read as `layout`. */
  function rawFields(lines: readonly string[], layout: CompiledLayout): RawFields {
    const a = lines[0] as string;
    const b = lines[1] as string;
    switch (layout.format) {
      case 'TD1':
        return rawTd1(a, b, lines[2] as string);
      case 'TD2':
        return rawTd2(a, b);
      case 'TD3':
        return rawTd3(a, b);
      default:
        return rawMrv(a, b, layout.length);
    }
  }

  function checkDigit(buf: Uint8Array, i: number): MrzCheckDigit {
    const printed = String.fromCharCode(buf[DIGIT_AT[i] as number] as number);
    const computed = COMPUTED[i] as number;
    const ok = CHECK_OK[i] === 1;
    return (OVERFLOW_AT[i] as number) >= 0 ? { printed, computed, ok, overflow: true } : { printed, computed, ok };
  }

  type CheckDigits = Partial<Record<MrzCheckDigitName, MrzCheckDigit>>;

  // The check digits in layout order (see `compile` in layouts.ts): number, birth, expiry, then the TD3 personal
  // number, then the composite. test/mrz/layout-shapes.test.ts holds this to the table.
  function checkDigitsOf(buf: Uint8Array, count: number): CheckDigits {
    const documentNumber = checkDigit(buf, 0);
    const birthDate = checkDigit(buf, 1);
    const expiryDate = checkDigit(buf, 2);
    if (count === 3) return { documentNumber, birthDate, expiryDate };
    if (count === 4) return { documentNumber, birthDate, expiryDate, composite: checkDigit(buf, 3) };
    return { documentNumber, birthDate, expiryDate, personalNumber: checkDigit(buf, 3), composite: checkDigit(buf, 4) };
  }

  type MutableDocument = { -readonly [K in keyof MrzDocument]: MrzDocument[K] };

  /** Reads `inputLines` as `layout`; `fitted` holds what fitting their lengths changed (see {@link parseMisfit}). */
  function parseIcao(
    inputLines: string[], layout: CompiledLayout, repair: boolean, ref: ReferenceParts, fitted: FittedLines | undefined,
  ): ParsedMrz {
    const buf = BUFFER;
    const issues: MrzIssue[] = fitted === undefined ? [] : fitted.issues.slice();
    loadBuffer(inputLines, layout, repair, issues);
    const lowered = loweredCount;
    const checks = layout.checks;
    const f = layout.byName;
    const issuingField = f.issuingState as CompiledField;
    const nationalityField = f.nationality as CompiledField;
    const sexField = f.sex as CompiledField;
    let allOk = judgeLoaded(buf, layout);
    let issuingState = stateAt(buf, issuingField.offset);
    let issuingInfo = STATE_CODES.get(issuingState);
    let nationality = stateAt(buf, nationalityField.offset);
    let nationalityInfo = STATE_CODES.get(nationality);
    let repairCorrections: MrzCorrection[] | null = null;
    if (
      repair
      && (!allOk || outOfClass || issuingInfo === undefined || nationalityInfo === undefined || !isSex(buf[sexField.offset] as number))
    ) {
      repairCorrections = [];
      repairBuffer(buf, layout, { corrections: repairCorrections, issues });
      if (repairCorrections.length > 0) {
        allOk = judgeAll(buf, layout);
        issuingState = stateAt(buf, issuingField.offset);
        issuingInfo = STATE_CODES.get(issuingState);
        nationality = stateAt(buf, nationalityField.offset);
        nationalityInfo = STATE_CODES.get(nationality);
      }
    }
    const repaired = repairCorrections !== null && repairCorrections.length > 0;
    const rebuilt = lowered > 0 || repaired || inputLines.length !== layout.lines;
    const lines = rebuilt ? linesFromBuffer(layout) : inputLines;
    const raw = rawFields(lines, layout);
    if (wide && !rebuilt) {
      // Characters above 255 are clamped in the buffer only: the state codes are read as printed.
      issuingState = stripFiller(raw.issuingState as string);
      issuingInfo = STATE_CODES.get(issuingState);
      nationality = stripFiller(raw.nationality as string);
      nationalityInfo = STATE_CODES.get(nationality);
    }

    const checkDigits = checkDigitsOf(buf, checks.length);
    let overflowEnd = -1;
    for (let i = 0; i < checks.length; i++) {
      const overflow = OVERFLOW_AT[i] as number;
      if (overflow >= 0) overflowEnd = overflow;
      if (CHECK_OK[i] === 0) {
        const check = checks[i] as CompiledCheck;
        const digitOffset = DIGIT_AT[i] as number;
        const line = Math.floor(digitOffset / layout.length);
        const column = digitOffset % layout.length;
        issues.push(issue(CHECK_ISSUES[check.name], line, column, column + 1, check.digitField));
      }
    }

    const corrections: MrzCorrection[] = fitted === undefined ? [] : fitted.corrections.slice();
    for (let k = 0; k < lowered; k++) {
      const offset = LOWERED[k] as number;
      const field = layout.fields[layout.fieldAt[offset] as number] as CompiledField;
      const check = layout.checkAt[offset] as number;
      const code = buf[offset] as number;
      corrections.push({
        line: Math.floor(offset / layout.length), column: offset % layout.length,
        from: String.fromCharCode(code + 32), to: String.fromCharCode(code), field: field.field,
        verified: check >= 0 && CHECK_OK[check] === 1,
      });
    }
    if (repairCorrections !== null) for (const correction of repairCorrections) corrections.push(correction);

    const codeField = f.documentCode as CompiledField;
    const documentCodeRaw = raw.documentCode as string;
    if (!isDocumentCode(layout, documentCodeRaw.charCodeAt(0), documentCodeRaw.charCodeAt(1))) issues.push(fieldIssue('INVALID_DOCUMENT_CODE', codeField));

    if (issuingInfo === undefined) issues.push(fieldIssue('INVALID_ISSUING_STATE', issuingField));
    if (nationalityInfo === undefined) issues.push(fieldIssue('INVALID_NATIONALITY', nationalityField));
    const specimen = issuingInfo?.kind === 'specimen' || nationalityInfo?.kind === 'specimen';
    if (specimen) issues.push(fieldIssue('SPECIMEN_DOCUMENT', issuingInfo?.kind === 'specimen' ? issuingField : nationalityField));

    const birthField = f.birthDate as CompiledField;
    const birthDate = resolveDate(buf, birthField.offset, 'birth', ref);
    if (birthDate === null) issues.push(fieldIssue('INVALID_BIRTH_DATE', birthField));
    const expiryField = f.expiryDate as CompiledField;
    const expiryDate = resolveDate(buf, expiryField.offset, 'expiry', ref);
    if (expiryDate === null) issues.push(fieldIssue('INVALID_EXPIRY_DATE', expiryField));
    else if (lastDateBefore(ref)) issues.push(fieldIssue('DOCUMENT_EXPIRED', expiryField));

    const sex = SEX_OF_CODE[raw.sex as string];
    if (sex === undefined) issues.push(fieldIssue('INVALID_SEX', sexField));

    const namesField = f.names as CompiledField;
    const namesRaw = raw.names as string;
    // A digit in the names is outside their class, so there is none when everything was in class.
    if (outOfClass && hasDigit(namesRaw)) issues.push(fieldIssue('INVALID_CHARACTERS', namesField));
    if (namesRaw.charCodeAt(namesRaw.length - 1) !== FILLER) issues.push(fieldIssue('NAME_POSSIBLY_TRUNCATED', namesField));
    // Rule 1 of the product: a holder nobody can search must not read as a clear. A lone secondary identifier
    // (`<<NAME`) is a name; a field of filler, or of digits that no repair could read as letters, is not.
    if (!hasLetter(buf, namesField.offset, namesField.length)) issues.push(fieldIssue('MISSING_NAME', namesField));
    const names = splitNamesAt(buf, namesField.offset, namesRaw);

    const numberRaw = raw.documentNumber as string;
    const numberField = f.documentNumber as CompiledField;
    let documentNumber = strippedAt(buf, numberField, numberRaw);
    const overflowName = overflowEnd > 0 && layout.overflowInto !== null ? layout.overflowInto.field : null;
    let optionalData: string[] | null = null;
    let anyOptional = false;
    const optional1 = raw.optionalData1;
    if (optional1 !== undefined) {
      let part: string;
      if (overflowName === 'optionalData1') {
        documentNumber = numberRaw + optional1.slice(0, overflowEnd - 1);
        part = stripFiller(optional1.slice(overflowEnd + 1));
      } else part = strippedAt(buf, f.optionalData1 as CompiledField, optional1);
      if (part.length > 0) anyOptional = true;
      optionalData = [part];
      const optional2 = raw.optionalData2;
      if (optional2 !== undefined) {
        const part2 = strippedAt(buf, f.optionalData2 as CompiledField, optional2);
        if (part2.length > 0) anyOptional = true;
        optionalData.push(part2);
      }
    }

    const document: MutableDocument = {
      documentCode: strippedAt(buf, codeField, documentCodeRaw),
      documentType: TYPE_OF_CODE[documentCodeRaw.charAt(0)] ?? 'OTHER',
      issuingState,
      documentNumber,
      nationality,
      surname: names.surname,
      givenNames: names.givenNames,
      sex: sex ?? 'UNSPECIFIED',
      birthDate,
      expiryDate,
    };
    const personalRaw = raw.personalNumber;
    if (personalRaw !== undefined) {
      const personalField = f.personalNumber as CompiledField;
      const end = fillerEnd(buf, personalField.offset, personalField.length);
      if (end > 0) document.personalNumber = end === personalRaw.length ? personalRaw : personalRaw.slice(0, end);
    }
    if (anyOptional) document.optionalData = optionalData as string[];

    let valid = true;
    for (let i = 0; i < issues.length; i++) if ((issues[i] as MrzIssue).severity === 'error') valid = false;
    return { format: layout.format, valid, specimen, document, raw, checkDigits, issues, corrections, lines };
  }

  return { parse };
})();

function hasWhitespace(line: string): boolean {
  return /\s/.test(line);
}

function withoutWhitespace(line: string): string {
  return line.replace(/\s+/g, '');
}

function isIterable(value: unknown): value is readonly string[] {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
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
  return engine.parse(input, options);
}

