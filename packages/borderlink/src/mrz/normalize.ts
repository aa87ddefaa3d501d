// From what a caller or an OCR engine hands us to the lines to judge, and which layout they are.
import type { MrzFormat } from './types';

const LINE_BREAK = /\r\n|\r|\n/;

function isBlank(line: string): boolean {
  return line.length === 0;
}

/**
 * How many characters outside the MRZ alphabet (whitespace, stray marks) an MRZ-looking line may hold: the one or
 * two the repair may remove from a line (see line-length.ts).
 */
const MAX_NOISE = 2;

/**
 * An MRZ-looking line: MRZ alphabet (either case) apart from at most {@link MAX_NOISE} other characters, at least one
 * filler, and MRZ-like length without the noise.
 */
function looksLikeMrz(line: string): boolean {
  if (line.length < 28 || line.length > 46 + MAX_NOISE) return false;
  let filler = false;
  let noise = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 60) filler = true;
    else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) && ++noise > MAX_NOISE) return false;
  }
  return filler && line.length - noise >= 28 && line.length - noise <= 46;
}

/** 1 for the characters of an MRZ-looking line (MRZ alphabet in either case), 2 for the filler, 0 otherwise. */
const MRZ_LOOKING: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) table[c] = 1;
  for (let c = 65; c <= 90; c++) table[c] = 1;
  for (let c = 97; c <= 122; c++) table[c] = 1;
  table[60] = 2;
  return table;
})();

/**
 * A line that {@link looksLikeMrz} and that trimming, line splitting and blank-line removal leave as it is: MRZ
 * alphabet only (so no whitespace and no line break), 28–46 characters, at least one filler.
 */
function cleanMrzLine(line: unknown): line is string {
  if (typeof line !== 'string' || line.length < 28 || line.length > 46) return false;
  let seen = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const kind = c < 128 ? (MRZ_LOOKING[c] as number) : 0;
    if (kind === 0) return false;
    seen |= kind;
  }
  return seen >= 2;
}

/**
 * An MRZ-sized line (28–46 characters) that splitting, trimming and blank-line removal leave as it is: no line
 * break, and MRZ characters at both ends, so nothing to trim.
 */
function untouchedLine(line: unknown): line is string {
  if (typeof line !== 'string' || line.length < 28 || line.length > 46) return false;
  const first = line.charCodeAt(0);
  const last = line.charCodeAt(line.length - 1);
  if (first >= 128 || MRZ_LOOKING[first] === 0 || last >= 128 || MRZ_LOOKING[last] === 0) return false;
  return !line.includes('\n') && !line.includes('\r');
}

/** Three lines of 30 (TD1), or 9, 30 and 30 (Swiss driving licence): the lengths {@link detectFormat} reads as is. */
function threeLineShape(lines: readonly string[]): boolean {
  if (lines.length !== 3) return false;
  const l0 = (lines[0] as string).length;
  return (l0 === 30 || l0 === 9) && (lines[1] as string).length === 30 && (lines[2] as string).length === 30;
}

/** A line that is not a string, as text: what `String` makes of it, or nothing when that throws. */
function asText(line: unknown): string {
  if (typeof line === 'string') return line;
  try {
    return String(line);
  } catch {
    return '';
  }
}

/** Lengths a single unbroken line may have when it is a whole MRZ run together, and how many lines it holds. */
const RUN_TOGETHER: Readonly<Record<number, number>> = { 72: 2, 88: 2, 90: 3 };

/** Whether the char code `c` is CR or LF, the breaks {@link LINE_BREAK} splits at. */
function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** Whether `c` is in the MRZ alphabet, either case, or the filler: never whitespace, so never trimmed. */
function mrzLooking(c: number): boolean {
  return c < 128 && MRZ_LOOKING[c] !== 0;
}

/**
 * The usual text from a scanner, split in one pass without a regular expression: two or three lines joined by CR,
 * LF or CRLF, with or without breaks before, between (blank lines) or after them, each line MRZ-sized and starting
 * and ending with an MRZ character, so that trimming leaves it as it is. Returns the lines when they are what the
 * array shortcut in {@link normaliseLines} would return unchanged, else null (the general path decides).
 */
function usualText(text: string): string[] | null {
  const n = text.length;
  if (n > 3 * 46 + 8) return null;
  const lines: string[] = [];
  // The breaks are found by indexOf, which scans natively; only the ends of each line are read here, since a line
  // may hold anything in between (as on the array shortcut).
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  let i = 0;
  while (i < n) {
    while (i < n && isBreak(text.charCodeAt(i))) i++;
    if (i === n) break;
    if (lf !== -1 && lf < i) lf = text.indexOf('\n', i);
    if (cr !== -1 && cr < i) cr = text.indexOf('\r', i);
    const end = lf === -1 ? (cr === -1 ? n : cr) : cr === -1 ? lf : Math.min(lf, cr);
    const length = end - i;
    if (lines.length === 3 || length < 28 || length > 46) return null;
    if (!mrzLooking(text.charCodeAt(i)) || !mrzLooking(text.charCodeAt(end - 1))) return null;
    lines.push(text.slice(i, end));
    i = end;
  }
  if (lines.length === 2) return lines;
  if (lines.length === 3) {
    const [first, second, third] = lines as [string, string, string];
    if (first.length === 30 && second.length === 30 && third.length === 30) return lines;
    if (cleanMrzLine(first) && cleanMrzLine(second) && cleanMrzLine(third)) return lines;
  }
  return null;
}

/**
 * Splits, trims and drops blank lines; a run-together MRZ is split; inside longer text the last block of MRZ-looking
 * lines is taken.
 */
export function normaliseLines(input: string | readonly string[]): string[] {
  if (typeof input === 'string') {
    // Most scanners deliver one string: its usual shape skips the regular-expression split and the trims, which
    // cost a third of a parse (measured in bench/mrz.ts).
    const usual = usualText(input);
    if (usual !== null) return usual;
  } else {
    // The usual cases, which come out unchanged exactly as the general path below would return them: two lines, or
    // three of 30 (the TD1 shape), that need no trimming or splitting, since both are always taken as they are; or
    // three clean MRZ lines.
    if (input.length === 2) {
      const first = input[0];
      const second = input[1];
      if (untouchedLine(first) && untouchedLine(second)) return [first, second];
    } else if (input.length === 3) {
      const first = input[0];
      const second = input[1];
      const third = input[2];
      if (untouchedLine(first) && untouchedLine(second) && untouchedLine(third)) {
        if (first.length === 30 && second.length === 30 && third.length === 30) return [first, second, third];
      }
      if (cleanMrzLine(first) && cleanMrzLine(second) && cleanMrzLine(third)) return [first, second, third];
    }
  }
  let raw: readonly string[];
  if (typeof input === 'string') raw = input.split(LINE_BREAK);
  else {
    // Any iterable may arrive here (parseMrz takes data as it comes), holding anything: never a reason to throw.
    const items: unknown[] = Array.from(input);
    let multi = false;
    for (const line of items) if (typeof line !== 'string' || line.includes('\n') || line.includes('\r')) multi = true;
    raw = multi ? items.map(asText).join('\n').split(LINE_BREAK) : (items as string[]);
  }
  const lines: string[] = [];
  for (const line of raw) {
    const trimmed = line.trim();
    if (!isBlank(trimmed)) lines.push(trimmed);
  }
  if (lines.length === 1) {
    const only = lines[0] as string;
    const parts = RUN_TOGETHER[only.length];
    if (parts !== undefined) {
      const size = only.length / parts;
      return Array.from({ length: parts }, (_, i) => only.slice(i * size, (i + 1) * size));
    }
  }
  // Up to three lines are taken as they are when they have the exact shape of a three-line layout, or when all look
  // like MRZ lines: a scanner's header line before a TD3 block is still text to skip. The shape comes first because
  // real lines need not look like MRZ: a full TD1 line has no filler, the Swiss licence's first line is 9 long.
  if (lines.length <= 3 && (threeLineShape(lines) || lines.every(looksLikeMrz))) return lines;
  let end = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (looksLikeMrz(lines[i] as string)) {
      end = i;
      break;
    }
  }
  if (end < 0) return lines;
  let start = end;
  while (start > 0 && end - start < 2 && looksLikeMrz(lines[start - 1] as string)) start--;
  const block = lines.slice(start, end + 1);
  if (block.length === 3 && Math.abs((block[2] as string).length - 30) > 2) return block.slice(1);
  return block.length >= 2 ? block : lines;
}

/** What the line count and lengths say. */
export interface Detection {
  readonly format: MrzFormat | null;
  /** Set when the layout is recognised but no document can be read. */
  readonly problem: 'UNKNOWN_FORMAT' | 'INVALID_LINE_COUNT' | 'INVALID_LENGTH' | null;
}

const TOLERANCE = 3;

function near(length: number, target: number): boolean {
  return Math.abs(length - target) <= TOLERANCE;
}

function firstUpper(lines: readonly string[]): number {
  const c = (lines[0] as string).charCodeAt(0);
  return c >= 97 && c <= 122 ? c - 32 : c;
}

function twoLine(lines: readonly string[], length: number): MrzFormat {
  const visa = firstUpper(lines) === 86;
  if (length === 44) return visa ? 'MRVA' : 'TD3';
  const first = lines[0] as string;
  if (!visa && (/^IDFRA/i.test(first) || /[0-9]/.test(first.slice(30, 35)))) return 'FRENCH_NATIONAL_ID';
  return visa ? 'MRVB' : 'TD2';
}

/** The detections without a problem, shared rather than built per call. */
const DETECTED: Readonly<Record<MrzFormat, Detection>> = {
  TD1: { format: 'TD1', problem: null },
  TD2: { format: 'TD2', problem: null },
  TD3: { format: 'TD3', problem: null },
  MRVA: { format: 'MRVA', problem: null },
  MRVB: { format: 'MRVB', problem: null },
  FRENCH_NATIONAL_ID: { format: 'FRENCH_NATIONAL_ID', problem: null },
  FRENCH_DRIVING_LICENSE: { format: 'FRENCH_DRIVING_LICENSE', problem: null },
  SWISS_DRIVING_LICENSE: { format: 'SWISS_DRIVING_LICENSE', problem: null },
};

/** Detects the layout from every line: count, lengths, and the document code for visas. */
export function detectFormat(lines: readonly string[]): Detection {
  const n = lines.length;
  if (n === 0 || n > 3) return { format: null, problem: 'INVALID_LINE_COUNT' };
  const l0 = (lines[0] as string).length;
  if (n === 1) {
    if (l0 === 30) return DETECTED.FRENCH_DRIVING_LICENSE;
    return { format: null, problem: near(l0, 36) || near(l0, 44) ? 'INVALID_LINE_COUNT' : 'UNKNOWN_FORMAT' };
  }
  const l1 = (lines[1] as string).length;
  if (n === 2) {
    if (l0 === l1 && (l0 === 36 || l0 === 44)) return DETECTED[twoLine(lines, l0)];
    if (near(l0, 30) && near(l1, 30)) return { format: null, problem: 'INVALID_LINE_COUNT' };
    const longest = Math.max(l0, l1);
    for (const length of [44, 36]) {
      if (near(longest, length) && (near(l0, length) || near(l1, length))) {
        return { format: twoLine(lines, length), problem: 'INVALID_LENGTH' };
      }
    }
    return { format: null, problem: 'UNKNOWN_FORMAT' };
  }
  const l2 = (lines[2] as string).length;
  if (l0 === 9 && l1 === 30 && l2 === 30) return DETECTED.SWISS_DRIVING_LICENSE;
  if (l0 === 30 && l1 === 30 && l2 === 30) return DETECTED.TD1;
  if ([l0, l1, l2].filter((l) => near(l, 30)).length >= 2) return { format: 'TD1', problem: 'INVALID_LENGTH' };
  if ([l0, l1, l2].every((l) => near(l, 36) || near(l, 44))) return { format: null, problem: 'INVALID_LINE_COUNT' };
  return { format: null, problem: 'UNKNOWN_FORMAT' };
}
