// Lines a little off the layout's length, brought to it the ways OCR gets a length wrong: whitespace or a stray mark
// inside a line, a character read twice, filler lost or doubled at the end. The parser calls this only once the
// lengths are known to be wrong and repair is on, so a clean parse never pays for it.
//
// Rules, in order, for each line of the wrong length:
//  1. whitespace inside the line is dropped whenever the line is still long enough without it; if that gives the
//     layout's length, the line is taken (a space is never part of an MRZ, so nothing needs to confirm it);
//  2. the tiers of LENGTH_TIERS are tried in turn: the stray marks removed, then every removal of one or two
//     characters (a line too long) or insertion of one or two fillers (too short). A reading is plausible when
//     every character fits its position (as read, or by a confusion partner), the document code, state codes and
//     sex on the line are valid as read and its dates possible. It passes when the check digits covering the line
//     pass as read. Passes that count as one reading are weighed against the plausible readings the check-digit
//     repair (rules 1-2 of repair.ts) would make pass: those compete too. One competing reading is taken if it
//     passes. Several that differ only in the names or optional data ending the line, or where neither a check
//     digit nor a check of the document looks, give way to the one with the trailing filler trimmed or padded if
//     it passes; otherwise they are OCR_CORRECTION_AMBIGUOUS and nothing is changed. A tier with no competitor
//     passes to the next; after the last the line stays as read (INVALID_LENGTH).
// Counting the readings the repair would mend as competitors keeps a wrong check digit from choosing: with a
// character read twice and a misread check digit, the right removal fails and a wrong one may pass by chance; the
// right one still competes when the repair can mend it, so both are reported, never one picked.
// Once every line fits, the check digits covering a line rule 2 changed are judged once more on the whole MRZ (a
// TD1 composite spans two lines); if one fails, nothing is changed.
import { judgeCheck } from './checks';
import { referenceParts, resolveDate } from './dates';
import type { ReferenceParts } from './dates';
import { issue } from './issues';
import { isDocumentCode } from './layouts';
import type { CompiledCheck, CompiledField, CompiledLayout } from './layouts';
import { fitsClass, knownTables, MAX_LISTED, repairChecks } from './repair';
import type { RepairSink } from './repair';
import type { MrzCandidateChange, MrzCorrection, MrzFieldName, MrzIssue } from './types';

const FILLER = 60;

/** How far off the layout's length a line may be for rule 2: one or two characters. */
const MAX_OFF = 2;

/**
 * Upper bound of readings judged through the check-digit repair in one fitting. Past it the fitting gives up (the
 * lines stay as read): with that many readings the check digits could not single one out anyway.
 */
const MAX_REPAIRED = 256;

/** A line as it may be read: its text, and for each character the column it came from (-1 for inserted filler). */
interface Reading {
  readonly text: string;
  readonly origin: readonly number[];
}

/** The lines as fitted, or why not. */
export interface FittedLines {
  /** The lines at the layout's length, or null when they could not be fitted (then nothing was changed). */
  readonly lines: string[] | null;
  /** One per removed or inserted character; empty when the lines were not fitted. */
  readonly corrections: MrzCorrection[];
  /** OCR_CORRECTED, one per correction; or OCR_CORRECTION_AMBIGUOUS when several fittings were possible. */
  readonly issues: MrzIssue[];
}

/** Whitespace as JavaScript's `\s` knows it (the parser detects it the same way). */
function isWhitespace(code: number): boolean {
  return /\s/.test(String.fromCharCode(code));
}

/** Letters of either case, digits and the filler. */
function inAlphabet(code: number): boolean {
  return code === FILLER || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function asRead(text: string): Reading {
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) origin.push(i);
  return { text, origin };
}

/** `reading` without the characters `drop` accepts. */
function without(reading: Reading, drop: (code: number) => boolean): Reading {
  let text = '';
  const origin: number[] = [];
  for (let i = 0; i < reading.text.length; i++) {
    if (drop(reading.text.charCodeAt(i))) continue;
    text += reading.text.charAt(i);
    origin.push(reading.origin[i] as number);
  }
  return { text, origin };
}

/** The field that ends line `line` of `layout`. */
function lastField(layout: CompiledLayout, line: number): CompiledField {
  return layout.fields[layout.fieldAt[line * layout.length + layout.length - 1] as number] as CompiledField;
}

/** Tier: the stray marks (characters outside the MRZ alphabet: `.`, `,`, `'`, …) removed, when that fits. */
function withoutStrayMarks(reading: Reading, length: number): Reading[] {
  const stripped = without(reading, (code) => !inAlphabet(code));
  return stripped.text.length === length && stripped.text.length !== reading.text.length ? [stripped] : [];
}

/**
 * The reading with the trailing filler trimmed or padded, only where the line ends in a field padded with filler
 * (names, optional data), never where it ends in a check digit; the positions concerned are all in that field.
 */
function trailingFillerFitted(reading: Reading, length: number, layout: CompiledLayout, line: number): Reading[] {
  const field = lastField(layout, line);
  if (field.isDigit || field.charClass === 'N') return [];
  const { text, origin } = reading;
  if (Math.abs(text.length - length) > MAX_OFF) return [];
  if (text.length > length) {
    for (let i = length; i < text.length; i++) if (text.charCodeAt(i) !== FILLER) return [];
    return [{ text: text.slice(0, length), origin: origin.slice(0, length) }];
  }
  if (text.length < field.start) return [];
  const pad = length - text.length;
  return [{ text: text + '<'.repeat(pad), origin: [...origin, ...new Array<number>(pad).fill(-1)] }];
}

/** Tier: every way to remove one or two characters (a line too long) or insert one or two fillers (too short), once each. */
function everyEdit(reading: Reading, length: number): Reading[] {
  const { text, origin } = reading;
  const off = text.length - length;
  if (off === 0 || Math.abs(off) > MAX_OFF) return [];
  const seen = new Set<string>();
  const out: Reading[] = [];
  const add = (candidate: Reading): void => {
    if (seen.has(candidate.text)) return;
    seen.add(candidate.text);
    out.push(candidate);
  };
  if (off > 0) {
    for (let i = 0; i < text.length; i++) {
      const once = { text: text.slice(0, i) + text.slice(i + 1), origin: [...origin.slice(0, i), ...origin.slice(i + 1)] };
      if (off === 1) add(once);
      else for (let j = i; j < once.text.length; j++) add({ text: once.text.slice(0, j) + once.text.slice(j + 1), origin: [...once.origin.slice(0, j), ...once.origin.slice(j + 1)] });
    }
    return out;
  }
  for (let i = 0; i <= text.length; i++) {
    const once = { text: `${text.slice(0, i)}<${text.slice(i)}`, origin: [...origin.slice(0, i), -1, ...origin.slice(i)] };
    if (off === -1) add(once);
    else for (let j = i; j <= once.text.length; j++) add({ text: `${once.text.slice(0, j)}<${once.text.slice(j)}`, origin: [...once.origin.slice(0, j), -1, ...once.origin.slice(j)] });
  }
  return out;
}

type Tier = (reading: Reading, length: number, layout: CompiledLayout, line: number) => Reading[];

/** The readings rule 2 tries, most specific first. */
const LENGTH_TIERS: readonly Tier[] = [withoutStrayMarks, everyEdit];

/** Bit `l` set when check `check` reads or is on line `l`. */
function linesOf(check: CompiledCheck, layout: CompiledLayout): number {
  let mask = 1 << Math.floor(check.digitOffset / layout.length);
  for (const offset of check.covered) mask |= 1 << Math.floor(offset / layout.length);
  for (const offset of check.searchOffsets) mask |= 1 << Math.floor(offset / layout.length);
  return mask;
}

/** Writes `text` upper-cased into line `line` of `buf` (codes above 255 clamped, as the parser's buffer does). */
function place(buf: Uint8Array, layout: CompiledLayout, line: number, text: string): void {
  const base = line * layout.length;
  for (let i = 0; i < layout.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) code -= 32;
    buf[base + i] = code > 255 ? 255 : code;
  }
}

/** The date fields a reading must keep possible, and how each is read. */
const DATE_FIELDS = [['birthDate', 'birth'], ['expiryDate', 'expiry']] as const;

/** A date field of digits and filler that is no date the parser would read (a letter there may still be repaired). */
function impossibleDate(buf: Uint8Array, field: CompiledField, kind: 'birth' | 'expiry', ref: ReferenceParts): boolean {
  for (let i = field.offset; i < field.offset + field.length; i++) {
    const code = buf[i] as number;
    if (code !== FILLER && (code < 48 || code > 57)) return false;
  }
  return resolveDate(buf, field.offset, kind, ref) === null;
}

/**
 * Every character of line `line` of `buf` fits its position's class (as read, or by a confusion partner), the
 * document code, every state code and the sex on it are valid as read, and every date on it is a possible date.
 */
function fitsLine(buf: Uint8Array, layout: CompiledLayout, line: number, ref: ReferenceParts): boolean {
  const base = line * layout.length;
  for (let i = base; i < base + layout.length; i++) if (!fitsClass(layout.classIndexAt[i] as number, buf[i] as number)) return false;
  for (const [name, kind] of DATE_FIELDS) {
    const field = layout.byName[name];
    if (field !== undefined && field.line === line && impossibleDate(buf, field, kind, ref)) return false;
  }
  const code = layout.byName.documentCode;
  if (code !== undefined && code.line === line && !isDocumentCode(layout, buf[code.offset] as number, buf[code.offset + 1] as number)) return false;
  return knownTables(buf, layout, line);
}

/** Fields a check of the document reads, whether a check digit covers them or not: two readings must agree there. */
const VERDICT_FIELDS: readonly MrzFieldName[] = [
  'documentCode', 'issuingState', 'documentNumber', 'documentNumberCheckDigit', 'nationality', 'birthDate', 'sex',
  'expiryDate',
];

/**
 * Offsets where two readings of a line must agree to count as one: those some check digit reads and those of the
 * fields a check reads, apart from the data field padded with filler that ends the line (names, optional data),
 * which is what a trailing-filler repair may leave uncertain (unless `strict`).
 */
function decisiveOffsets(layout: CompiledLayout, strict: boolean): Uint8Array {
  const decisive = new Uint8Array(layout.lines * layout.length);
  for (const check of layout.checks) {
    decisive[check.digitOffset] = 1;
    for (const offset of check.covered) decisive[offset] = 1;
    for (const offset of check.searchOffsets) decisive[offset] = 1;
  }
  if (!strict) {
    for (let line = 0; line < layout.lines; line++) {
      const field = lastField(layout, line);
      if (field.isDigit || field.charClass === 'N') continue;
      for (let i = 0; i < field.length; i++) decisive[field.offset + i] = 0;
    }
  }
  for (const name of VERDICT_FIELDS) {
    const field = layout.byName[name];
    if (field !== undefined) for (let i = 0; i < field.length; i++) decisive[field.offset + i] = 1;
  }
  return decisive;
}

/**
 * The decisive offsets for readings of line `line`: the strict set when either reading continues the document
 * number into the optional data (filler in its check digit's place, TD1/TD2), since that data is then the number.
 */
function decisiveFor(layout: CompiledLayout, line: number, a: string, b: string, loose: Uint8Array, strict: Uint8Array): Uint8Array {
  const digit = layout.byName.documentNumberCheckDigit;
  if (layout.overflowInto === null || digit === undefined || digit.line !== line) return loose;
  return a.charCodeAt(digit.start) === FILLER || b.charCodeAt(digit.start) === FILLER ? strict : loose;
}

/** Whether `a` and `b`, two readings of line `line`, agree at every decisive offset. */
function agreeWhereDecisive(layout: CompiledLayout, line: number, a: string, b: string, loose: Uint8Array, strict: Uint8Array): boolean {
  const decisive = decisiveFor(layout, line, a, b, loose, strict);
  const base = line * layout.length;
  for (let i = 0; i < a.length; i++) if (decisive[base + i] === 1 && a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** How many checks whose lines are all in `ready` and that touch `line` fail on `buf`. */
function failingChecks(buf: Uint8Array, layout: CompiledLayout, masks: readonly number[], ready: number, line: number): number {
  let failed = 0;
  for (let c = 0; c < layout.checks.length; c++) {
    const mask = masks[c] as number;
    if ((mask & (1 << line)) === 0 || (mask & ready) !== mask) continue;
    if (!judgeCheck(buf, layout, layout.checks[c] as CompiledCheck)) failed++;
  }
  return failed;
}

/**
 * OCR_CORRECTION_AMBIGUOUS for line `line`: the competing readings as changes, the trailing-filler one first when
 * it competes (it is what a scanner most often gets wrong), at most {@link MAX_LISTED}. Nothing is changed.
 */
function ambiguousFit(lines: readonly string[], line: number, competing: readonly Reading[], trailing: Reading | undefined): FittedLines {
  const read = lines[line] as string;
  const listed = trailing !== undefined && competing.some((c) => c.text === trailing.text)
    ? [trailing, ...competing.filter((c) => c.text !== trailing.text)]
    : competing;
  const candidates = listed.slice(0, MAX_LISTED).map((candidate) => changesOf(line, read, candidate));
  return { lines: null, corrections: [], issues: [issue('OCR_CORRECTION_AMBIGUOUS', line, 0, read.length, undefined, candidates)] };
}

/** A sink for repairs tried on a copy, whose findings are not kept. */
function discard(): RepairSink {
  return { corrections: [], issues: [] };
}

/** The changes `reading` makes to line `line` as read (`read`), removals first, by column. */
function changesOf(line: number, read: string, reading: Reading): MrzCandidateChange[] {
  const kept = new Set(reading.origin);
  const changes: MrzCandidateChange[] = [];
  for (let column = 0; column < read.length; column++) if (!kept.has(column)) changes.push({ line, column, to: '', kind: 'removed' });
  reading.origin.forEach((from, column) => {
    if (from < 0) changes.push({ line, column, to: '<', kind: 'inserted' });
  });
  return changes;
}

/**
 * Brings every line of `lines` to the length of `layout` by the rules above. `lines` has the layout's line count;
 * the lines already at the right length are left as they are.
 */
export function fitLineLengths(lines: readonly string[], layout: CompiledLayout): FittedLines {
  const length = layout.length;
  const all = (1 << layout.lines) - 1;
  const buf = new Uint8Array(layout.lines * length);
  const copy = new Uint8Array(buf.length);
  const masks = layout.checks.map((check) => linesOf(check, layout));
  const loose = decisiveOffsets(layout, false);
  const strict = decisiveOffsets(layout, true);
  const readings: (Reading | null)[] = [];
  /** Per line, the other readings a chosen fitting won over only by its trailing filler. */
  const contested: (Reading[] | undefined)[] = [];
  let ready = 0;
  let judged = 0;
  let repaired = 0;
  const refused: FittedLines = { lines: null, corrections: [], issues: [] };
  // Calendar validity only; the century a two-digit year falls in hardly matters to it (29 February aside).
  const ref = referenceParts(Date.now());
  for (let l = 0; l < layout.lines; l++) {
    const line = lines[l] as string;
    if (line.length === length) {
      place(buf, layout, l, line);
      ready |= 1 << l;
      readings.push(null);
    } else readings.push(asRead(line));
  }
  for (let l = 0; l < layout.lines; l++) {
    let reading = readings[l];
    if (reading === undefined || reading === null) continue;
    const stripped = without(reading, isWhitespace);
    if (stripped.text.length >= length) reading = stripped;
    readings[l] = reading;
    if (reading.text.length === length) {
      place(buf, layout, l, reading.text);
      ready |= 1 << l;
    }
  }
  for (let l = 0; l < layout.lines; l++) {
    const reading = readings[l];
    if (reading === undefined || reading === null || (ready & (1 << l)) !== 0) continue;
    const withLine = ready | (1 << l);
    let chosen: Reading | null = null;
    for (const tier of LENGTH_TIERS) {
      const passing = new Set<Reading>();
      const failing: Reading[] = [];
      for (const candidate of tier(reading, length, layout, l)) {
        place(buf, layout, l, candidate.text);
        if (!fitsLine(buf, layout, l, ref)) continue;
        const failed = failingChecks(buf, layout, masks, withLine, l);
        if (failed === 0) passing.add(candidate);
        // One substitution, as the repair makes, breaks at most a field's digit and the composite.
        else if (failed <= 2) failing.push(candidate);
      }
      const competing: Reading[] = [...passing];
      const trailing = trailingFillerFitted(reading, length, layout, l)[0];
      // Passes that count as one reading (one, or several that differ only in the data ending the line or where no
      // check digit looks) are weighed against the readings the repair would mend: any of those competes too. That
      // takes every line in place; with another line still off, only passes count.
      const first = competing[0];
      if (first !== undefined && withLine === all && competing.every((c) => agreeWhereDecisive(layout, l, c.text, first.text, loose, strict))) {
        for (const candidate of failing) {
          // Too many to weigh: the check digits cannot single one out, so the passes are reported, none taken.
          if (++repaired > MAX_REPAIRED) return ambiguousFit(lines, l, competing, trailing);
          place(buf, layout, l, candidate.text);
          copy.set(buf);
          repairChecks(copy, layout, discard());
          if (failingChecks(copy, layout, masks, all, l) === 0) competing.push(candidate);
        }
      }
      if (competing.length === 0) continue;
      // Readings that differ only in the names or optional data ending the line, or where no check digit looks,
      // are told apart by nothing the verdict reads: the filler at the end of a line is what a scanner miscounts,
      // so that reading is taken.
      const tied = trailing === undefined ? undefined : competing.find((candidate) => candidate.text === trailing.text);
      if (
        competing.length > 1 && tied !== undefined
        && competing.every((candidate) => agreeWhereDecisive(layout, l, candidate.text, tied.text, loose, strict))
      ) {
        chosen = passing.has(tied) ? (trailing as Reading) : null;
        // Taken, but not alone: the other readings differ in the names or optional data (a letter read twice may
        // be the one removed), which no check digit sees. Say so, with the others, so the officer compares.
        if (chosen !== null) contested[l] = competing.filter((candidate) => candidate.text !== tied.text);
        break;
      }
      if (competing.length > 1) return ambiguousFit(lines, l, competing, trailing);
      // Taken only when it passes as read: a reading that needs the repair too is one edit more than asked for.
      chosen = passing.has(first as Reading) ? (first as Reading) : null;
      break;
    }
    if (chosen === null) return refused;
    readings[l] = chosen;
    place(buf, layout, l, chosen.text);
    ready |= 1 << l;
    judged |= 1 << l;
  }
  // Judged once more with every line in place.
  for (let c = 0; c < layout.checks.length; c++) {
    if (((masks[c] as number) & judged) !== 0 && !judgeCheck(buf, layout, layout.checks[c] as CompiledCheck)) return refused;
  }

  const fitted: string[] = [];
  const corrections: MrzCorrection[] = [];
  const issues: MrzIssue[] = [];
  for (let l = 0; l < layout.lines; l++) {
    const read = lines[l] as string;
    const reading = readings[l];
    if (reading === undefined || reading === null) {
      fitted.push(read);
      continue;
    }
    fitted.push(reading.text);
    let covered = false;
    let verified = true;
    for (let c = 0; c < layout.checks.length; c++) {
      if (((masks[c] as number) & (1 << l)) === 0) continue;
      covered = true;
      if (!judgeCheck(buf, layout, layout.checks[c] as CompiledCheck)) verified = false;
    }
    for (const change of changesOf(l, read, reading)) {
      // A removed character stood where the next kept one now stands (or at the end of the line).
      let at = change.column;
      if (change.kind === 'removed') {
        at = reading.origin.findIndex((from) => from > change.column);
        if (at < 0) at = length - 1;
      }
      const field = layout.fields[layout.fieldAt[l * length + at] as number] as CompiledField;
      const removed = change.kind === 'removed';
      corrections.push({
        line: l, column: change.column, from: removed ? read.charAt(change.column) : '', to: change.to, field: field.field,
        verified: covered && verified, kind: removed ? 'removed' : 'inserted',
      });
      issues.push(issue('OCR_CORRECTED', l, change.column, change.column + 1, field.field));
    }
    const others = contested[l];
    if (others !== undefined && others.length > 0) {
      const candidates = others.slice(0, MAX_LISTED).map((candidate) => changesOf(l, read, candidate));
      issues.push(issue('OCR_CORRECTION_UNCERTAIN', l, 0, read.length, undefined, candidates));
    }
  }
  return { lines: fitted, corrections, issues };
}
