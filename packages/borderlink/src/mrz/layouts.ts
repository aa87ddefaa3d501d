// The ICAO Doc 9303 layouts as one table (Parts 4–7). The parser, the repair and the formatter all walk these
// rows: a new layout is a new block of rows plus one entry in LAYOUT_SHAPES.
import type { IcaoMrzFormat, MrzCheckDigitName, MrzFieldName } from './types';

/**
 * Which characters a position may hold: `A` letters and filler, `N` digits and filler (dates, check digits),
 * `X` letters, digits and filler.
 */
export type CharClass = 'A' | 'N' | 'X';

/**
 * format, field, line, start, length, character class, the check digit that covers the field (or that the field
 * is), whether the composite check digit covers it.
 */
type LayoutRow = readonly [
  format: IcaoMrzFormat,
  field: MrzFieldName,
  line: number,
  start: number,
  length: number,
  charClass: CharClass,
  check: MrzCheckDigitName | null,
  inComposite: boolean,
];

const N = null;

// prettier-ignore
export const LAYOUT_ROWS: readonly LayoutRow[] = [
  ['TD1', 'documentCode',             0,  0,  2, 'A', N,                false],
  ['TD1', 'issuingState',             0,  2,  3, 'A', N,                false],
  ['TD1', 'documentNumber',           0,  5,  9, 'X', 'documentNumber', true],
  ['TD1', 'documentNumberCheckDigit', 0, 14,  1, 'N', 'documentNumber', true],
  ['TD1', 'optionalData1',            0, 15, 15, 'X', N,                true],
  ['TD1', 'birthDate',                1,  0,  6, 'N', 'birthDate',      true],
  ['TD1', 'birthDateCheckDigit',      1,  6,  1, 'N', 'birthDate',      true],
  ['TD1', 'sex',                      1,  7,  1, 'A', N,                false],
  ['TD1', 'expiryDate',               1,  8,  6, 'N', 'expiryDate',     true],
  ['TD1', 'expiryDateCheckDigit',     1, 14,  1, 'N', 'expiryDate',     true],
  ['TD1', 'nationality',              1, 15,  3, 'A', N,                false],
  ['TD1', 'optionalData2',            1, 18, 11, 'X', N,                true],
  ['TD1', 'compositeCheckDigit',      1, 29,  1, 'N', 'composite',      false],
  ['TD1', 'names',                    2,  0, 30, 'A', N,                false],

  ['TD2', 'documentCode',             0,  0,  2, 'A', N,                false],
  ['TD2', 'issuingState',             0,  2,  3, 'A', N,                false],
  ['TD2', 'names',                    0,  5, 31, 'A', N,                false],
  ['TD2', 'documentNumber',           1,  0,  9, 'X', 'documentNumber', true],
  ['TD2', 'documentNumberCheckDigit', 1,  9,  1, 'N', 'documentNumber', true],
  ['TD2', 'nationality',              1, 10,  3, 'A', N,                false],
  ['TD2', 'birthDate',                1, 13,  6, 'N', 'birthDate',      true],
  ['TD2', 'birthDateCheckDigit',      1, 19,  1, 'N', 'birthDate',      true],
  ['TD2', 'sex',                      1, 20,  1, 'A', N,                false],
  ['TD2', 'expiryDate',               1, 21,  6, 'N', 'expiryDate',     true],
  ['TD2', 'expiryDateCheckDigit',     1, 27,  1, 'N', 'expiryDate',     true],
  ['TD2', 'optionalData1',            1, 28,  7, 'X', N,                true],
  ['TD2', 'compositeCheckDigit',      1, 35,  1, 'N', 'composite',      false],

  ['TD3', 'documentCode',             0,  0,  2, 'A', N,                false],
  ['TD3', 'issuingState',             0,  2,  3, 'A', N,                false],
  ['TD3', 'names',                    0,  5, 39, 'A', N,                false],
  ['TD3', 'documentNumber',           1,  0,  9, 'X', 'documentNumber', true],
  ['TD3', 'documentNumberCheckDigit', 1,  9,  1, 'N', 'documentNumber', true],
  ['TD3', 'nationality',              1, 10,  3, 'A', N,                false],
  ['TD3', 'birthDate',                1, 13,  6, 'N', 'birthDate',      true],
  ['TD3', 'birthDateCheckDigit',      1, 19,  1, 'N', 'birthDate',      true],
  ['TD3', 'sex',                      1, 20,  1, 'A', N,                false],
  ['TD3', 'expiryDate',               1, 21,  6, 'N', 'expiryDate',     true],
  ['TD3', 'expiryDateCheckDigit',     1, 27,  1, 'N', 'expiryDate',     true],
  ['TD3', 'personalNumber',           1, 28, 14, 'X', 'personalNumber', true],
  ['TD3', 'personalNumberCheckDigit', 1, 42,  1, 'N', 'personalNumber', true],
  ['TD3', 'compositeCheckDigit',      1, 43,  1, 'N', 'composite',      false],

  ['MRVA', 'documentCode',             0,  0,  2, 'A', N,                false],
  ['MRVA', 'issuingState',             0,  2,  3, 'A', N,                false],
  ['MRVA', 'names',                    0,  5, 39, 'A', N,                false],
  ['MRVA', 'documentNumber',           1,  0,  9, 'X', 'documentNumber', false],
  ['MRVA', 'documentNumberCheckDigit', 1,  9,  1, 'N', 'documentNumber', false],
  ['MRVA', 'nationality',              1, 10,  3, 'A', N,                false],
  ['MRVA', 'birthDate',                1, 13,  6, 'N', 'birthDate',      false],
  ['MRVA', 'birthDateCheckDigit',      1, 19,  1, 'N', 'birthDate',      false],
  ['MRVA', 'sex',                      1, 20,  1, 'A', N,                false],
  ['MRVA', 'expiryDate',               1, 21,  6, 'N', 'expiryDate',     false],
  ['MRVA', 'expiryDateCheckDigit',     1, 27,  1, 'N', 'expiryDate',     false],
  ['MRVA', 'optionalData1',            1, 28, 16, 'X', N,                false],

  ['MRVB', 'documentCode',             0,  0,  2, 'A', N,                false],
  ['MRVB', 'issuingState',             0,  2,  3, 'A', N,                false],
  ['MRVB', 'names',                    0,  5, 31, 'A', N,                false],
  ['MRVB', 'documentNumber',           1,  0,  9, 'X', 'documentNumber', false],
  ['MRVB', 'documentNumberCheckDigit', 1,  9,  1, 'N', 'documentNumber', false],
  ['MRVB', 'nationality',              1, 10,  3, 'A', N,                false],
  ['MRVB', 'birthDate',                1, 13,  6, 'N', 'birthDate',      false],
  ['MRVB', 'birthDateCheckDigit',      1, 19,  1, 'N', 'birthDate',      false],
  ['MRVB', 'sex',                      1, 20,  1, 'A', N,                false],
  ['MRVB', 'expiryDate',               1, 21,  6, 'N', 'expiryDate',     false],
  ['MRVB', 'expiryDateCheckDigit',     1, 27,  1, 'N', 'expiryDate',     false],
  ['MRVB', 'optionalData1',            1, 28,  8, 'X', N,                false],
];

/**
 * Line count, line length, the letters the document code may start with, and the field that receives the
 * overflow of a document number longer than 9 characters (TD1/TD2 only).
 */
// prettier-ignore
export const LAYOUT_SHAPES: Readonly<Record<IcaoMrzFormat, {
  readonly lines: number; readonly length: number; readonly codeFirst: string; readonly overflowInto: MrzFieldName | null;
}>> = {
  TD1:  { lines: 3, length: 30, codeFirst: 'ACI', overflowInto: 'optionalData1' },
  TD2:  { lines: 2, length: 36, codeFirst: 'ACI', overflowInto: 'optionalData1' },
  TD3:  { lines: 2, length: 44, codeFirst: 'P',   overflowInto: null },
  MRVA: { lines: 2, length: 44, codeFirst: 'V',   overflowInto: null },
  MRVB: { lines: 2, length: 36, codeFirst: 'V',   overflowInto: null },
};

/** One field of a compiled layout, with its absolute offset in the concatenated lines. */
export interface CompiledField {
  readonly field: MrzFieldName;
  readonly line: number;
  readonly start: number;
  readonly length: number;
  /** Offset in the concatenated lines. */
  readonly offset: number;
  readonly charClass: CharClass;
  readonly check: MrzCheckDigitName | null;
  /** True for a check-digit position. */
  readonly isDigit: boolean;
}

/** One check digit: the offsets it covers (in weighting order) and its own offset. */
export interface CompiledCheck {
  readonly name: MrzCheckDigitName;
  readonly digitOffset: number;
  readonly digitField: MrzFieldName;
  readonly covered: Int16Array;
  /** 7-3-1 weight of each covered offset. */
  readonly weights: Uint8Array;
  /**
   * The covered offsets as contiguous runs, three numbers each: first offset, end offset (exclusive), and the
   * position of the first one in the weighting (0 for weight 7, 1 for 3, 2 for 1).
   */
  readonly runs: Int16Array;
  /** Covered offsets that no other (non-composite) check digit covers: where a composite-only error can sit. */
  readonly coveredOnlyHere: Int16Array;
  /**
   * Offsets the repair's search over this digit may touch: what it covers (for the composite: `coveredOnlyHere`),
   * the digit itself, and for the document number the field its overflow continues into.
   */
  readonly searchOffsets: Int16Array;
  /** The field an OCR_CORRECTION_AMBIGUOUS issue of this digit names: the first field it covers, else the digit. */
  readonly reportField: CompiledField;
}

export interface CompiledLayout {
  readonly format: IcaoMrzFormat;
  readonly lines: number;
  readonly length: number;
  readonly codeFirst: string;
  readonly overflowInto: CompiledField | null;
  readonly fields: readonly CompiledField[];
  readonly byName: Readonly<Partial<Record<MrzFieldName, CompiledField>>>;
  readonly checks: readonly CompiledCheck[];
  /** Character class per offset. */
  readonly classAt: readonly CharClass[];
  /** Character class per offset as 0 (A), 1 (N), 2 (X), for the hot path. */
  readonly classIndexAt: Uint8Array;
  /** Field index per offset. */
  readonly fieldAt: Int8Array;
  /** Check index (into `checks`, composite excluded) covering each offset, -1 if none. */
  readonly checkAt: Int8Array;
  /** The composite check digit, when the layout has one (always last in `checks`). */
  readonly composite: CompiledCheck | null;
}

const DIGIT_FIELDS: ReadonlySet<MrzFieldName> = new Set<MrzFieldName>([
  'documentNumberCheckDigit',
  'birthDateCheckDigit',
  'expiryDateCheckDigit',
  'personalNumberCheckDigit',
  'compositeCheckDigit',
]);

/** {@link CompiledCheck.runs} of a list of covered offsets. */
function runsOf(covered: readonly number[]): Int16Array {
  const runs: number[] = [];
  for (let i = 0; i < covered.length; i++) {
    if (i > 0 && covered[i] === (covered[i - 1] as number) + 1) runs[runs.length - 2] = (covered[i] as number) + 1;
    else runs.push(covered[i] as number, (covered[i] as number) + 1, i % 3);
  }
  return Int16Array.from(runs);
}

function compile(format: IcaoMrzFormat): CompiledLayout {
  const shape = LAYOUT_SHAPES[format];
  const rows = LAYOUT_ROWS.filter((row) => row[0] === format);
  const total = shape.lines * shape.length;
  const classAt: CharClass[] = new Array<CharClass>(total).fill('X');
  const fieldAt = new Int8Array(total).fill(-1);
  const fields: CompiledField[] = [];
  const byName: Partial<Record<MrzFieldName, CompiledField>> = {};
  const coverage = new Map<MrzCheckDigitName, number[]>();
  const digits = new Map<MrzCheckDigitName, CompiledField>();
  const composite: number[] = [];
  for (const [, field, line, start, length, charClass, check, inComposite] of rows) {
    const compiled: CompiledField = {
      field, line, start, length, offset: line * shape.length + start, charClass, check,
      isDigit: DIGIT_FIELDS.has(field),
    };
    fields.push(compiled);
    byName[field] = compiled;
    for (let i = 0; i < length; i++) {
      classAt[compiled.offset + i] = charClass;
      fieldAt[compiled.offset + i] = fields.length - 1;
      if (inComposite) composite.push(compiled.offset + i);
    }
    if (check === null) continue;
    if (compiled.isDigit) digits.set(check, compiled);
    else {
      const list = coverage.get(check) ?? [];
      for (let i = 0; i < length; i++) list.push(compiled.offset + i);
      coverage.set(check, list);
    }
  }
  if (digits.has('composite')) coverage.set('composite', composite);
  const checks: CompiledCheck[] = [];
  const checkAt = new Int8Array(total).fill(-1);
  for (const [name, digitField] of digits) {
    const covered = coverage.get(name) ?? [];
    checks.push({
      name, digitOffset: digitField.offset, digitField: digitField.field,
      covered: Int16Array.from(covered), coveredOnlyHere: new Int16Array(0),
      searchOffsets: new Int16Array(0), reportField: digitField, runs: runsOf(covered),
      weights: Uint8Array.from(covered, (_, i) => [7, 3, 1][i % 3] as number),
    });
  }
  // The composite comes last so that the individual digits are judged first.
  checks.sort((a, b) => (a.name === 'composite' ? 1 : 0) - (b.name === 'composite' ? 1 : 0));
  checks.forEach((check, index) => {
    if (check.name === 'composite') return;
    for (const offset of check.covered) checkAt[offset] = index;
    checkAt[check.digitOffset] = index;
  });
  const overflowInto = shape.overflowInto === null ? null : (byName[shape.overflowInto] ?? null);
  const final: CompiledCheck[] = checks.map((check) => {
    const coveredOnlyHere =
      check.name === 'composite' ? Int16Array.from([...check.covered].filter((o) => checkAt[o] === -1)) : check.coveredOnlyHere;
    const search = Array.from(check.name === 'composite' ? coveredOnlyHere : check.covered);
    search.push(check.digitOffset);
    if (check.name === 'documentNumber' && overflowInto !== null) {
      for (let i = 0; i < overflowInto.length; i++) search.push(overflowInto.offset + i);
    }
    const digitField = fields[fieldAt[check.digitOffset] as number] as CompiledField;
    const reportField =
      check.name === 'composite' ? digitField : (fields.find((f) => f.check === check.name && !f.isDigit) ?? digitField);
    return { ...check, coveredOnlyHere, searchOffsets: Int16Array.from(search), reportField };
  });
  return {
    format, lines: shape.lines, length: shape.length, codeFirst: shape.codeFirst,
    overflowInto,
    fields, byName, checks: final, classAt, fieldAt, checkAt,
    classIndexAt: Uint8Array.from(classAt, (cls) => ({ A: 0, N: 1, X: 2 })[cls]),
    composite: final.find((check) => check.name === 'composite') ?? null,
  };
}

export const LAYOUTS: Readonly<Record<IcaoMrzFormat, CompiledLayout>> = {
  TD1: compile('TD1'),
  TD2: compile('TD2'),
  TD3: compile('TD3'),
  MRVA: compile('MRVA'),
  MRVB: compile('MRVB'),
};

/**
 * Whether the two characters (char codes) of a document code fit `layout`: a first letter the layout allows, then a
 * letter or the filler; on TD1/TD2 not a second `V`, which would read as a visa (Doc 9303 Parts 5–6).
 */
export function isDocumentCode(layout: CompiledLayout, first: number, second: number): boolean {
  if (!layout.codeFirst.includes(String.fromCharCode(first))) return false;
  if (!(second === 60 || (second >= 65 && second <= 90))) return false;
  return first === 86 || layout.codeFirst === 'P' || second !== 86;
}
