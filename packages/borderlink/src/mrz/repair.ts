// OCR repair on a buffer of char codes. Rules, in order:
//  1. a character impossible for its position's class is replaced only by a class-compatible member of its
//     confusion groups; inside a field a check digit covers, the check digit chooses among them;
//  2. a failing check digit triggers a search over single confusion substitutions inside the positions it covers;
//     a repair is taken only when exactly one candidate makes the digit pass (the composite breaks ties);
//  3. fields no check digit covers follow UNCOVERED_RULES: state codes and sex are repaired only when exactly one
//     reading is a known value; a digit in the names becomes its designated letter (DESIGNATED_LETTERS).
// Whatever is not unique is left as read and reported as OCR_CORRECTION_AMBIGUOUS.
import { CHAR_VALUE } from './check-digit';
import { judgeCheck } from './checks';
import { issue } from './issues';
import type { CharClass, CompiledCheck, CompiledField, CompiledLayout } from './layouts';
import { STATE_CODES } from './state-codes';
import type { MrzCandidateChange, MrzCorrection, MrzFieldName, MrzIssue } from './types';

/** Characters OCR engines mistake for one another in the OCR-B font. */
export const CONFUSION_GROUPS: readonly string[] = ['O0QD', 'I1L', 'B8', 'S5', 'Z2', 'G6', '<KCL'];

/**
 * The letter a digit is read as where only a letter fits and neither a check digit nor a table can choose among
 * its confusion partners (the names): the letter OCR-B draws most like it. 3, 4, 7 and 9 have none and stay errors.
 */
export const DESIGNATED_LETTERS: Readonly<Record<string, string>> = Object.freeze({
  '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B',
});

/** DESIGNATED[code]: the char code of the designated letter of a digit, 0 for none. */
const DESIGNATED: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (const [digit, letter] of Object.entries(DESIGNATED_LETTERS)) table[digit.charCodeAt(0)] = letter.charCodeAt(0);
  return table;
})();

const CLASS_INDEX: Readonly<Record<CharClass, number>> = { A: 0, N: 1, X: 2 };

function inClass(cls: number, code: number): boolean {
  if (code === 60) return true;
  const digit = code >= 48 && code <= 57;
  const letter = code >= 65 && code <= 90;
  return cls === 0 ? letter : cls === 1 ? digit : digit || letter;
}

/** IN_CLASS[class << 8 | code]: 1 when the code belongs to the class (buffer codes are at most 255). */
const IN_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(3 * 256);
  for (let cls = 0; cls < 3; cls++) for (let code = 0; code < 256; code++) table[(cls << 8) | code] = inClass(cls, code) ? 1 : 0;
  return table;
})();

/** PARTNERS[class][code]: the class-compatible confusion partners of a character. */
const PARTNERS: readonly (readonly Uint8Array[])[] = [0, 1, 2].map((cls) => {
  const table: Uint8Array[] = [];
  for (let code = 0; code < 128; code++) {
    const ch = String.fromCharCode(code);
    const set = new Set<number>();
    for (const group of CONFUSION_GROUPS) {
      if (!group.includes(ch)) continue;
      for (const other of group) {
        const oc = other.charCodeAt(0);
        if (oc !== code && inClass(cls, oc)) set.add(oc);
      }
    }
    // The designated letter first: candidates are listed, and tables searched, in this order.
    const designated = code < 128 ? (DESIGNATED[code] as number) : 0;
    table.push(Uint8Array.from([...set].sort((a, b) => (b === designated ? 1 : 0) - (a === designated ? 1 : 0))));
  }
  return table;
});

const EMPTY = new Uint8Array(0);

function partners(cls: number, code: number): Uint8Array {
  return code < 128 ? (PARTNERS[cls]?.[code] ?? EMPTY) : EMPTY;
}

/** Upper bound of candidate readings one check digit's search may examine. */
const MAX_EVALUATIONS = 2048;
/** How many alternatives an OCR_CORRECTION_AMBIGUOUS issue lists. */
export const MAX_LISTED = 16;

/**
 * Whether `code` can stand at a position of class `cls` (0 A, 1 N, 2 X) as read or after rule 1: it is in the class,
 * or it has a class-compatible confusion partner. Codes above 255 never can.
 */
export function fitsClass(cls: number, code: number): boolean {
  if (code > 255) return false;
  return IN_CLASS[(cls << 8) | code] === 1 || partners(cls, code).length > 0;
}

export interface RepairSink {
  readonly corrections: MrzCorrection[];
  readonly issues: MrzIssue[];
}

/** One candidate repair: offsets and codes alternating, `[offset, code, offset, code, …]`. */
type Changes = number[];

function toCandidate(layout: CompiledLayout, changes: Changes): MrzCandidateChange[] {
  const out: MrzCandidateChange[] = [];
  for (let i = 0; i < changes.length; i += 2) {
    const offset = changes[i] as number;
    out.push({
      line: Math.floor(offset / layout.length),
      column: offset % layout.length,
      to: String.fromCharCode(changes[i + 1] as number),
    });
  }
  return out;
}

function record(buf: Uint8Array, layout: CompiledLayout, changes: Changes, verified: boolean, sink: RepairSink): void {
  for (let i = 0; i < changes.length; i += 2) {
    const offset = changes[i] as number;
    const code = changes[i + 1] as number;
    const field = layout.fields[layout.fieldAt[offset] as number] as CompiledField;
    const line = Math.floor(offset / layout.length);
    const column = offset % layout.length;
    sink.corrections.push({
      line, column, from: String.fromCharCode(buf[offset] as number), to: String.fromCharCode(code),
      field: field.field, verified,
    });
    sink.issues.push(issue('OCR_CORRECTED', line, column, column + 1, field.field));
    buf[offset] = code;
  }
}

function ambiguous(layout: CompiledLayout, field: CompiledField, found: readonly Changes[], sink: RepairSink): void {
  const listed: MrzCandidateChange[][] = [];
  for (let i = 0; i < found.length && i < MAX_LISTED; i++) listed.push(toCandidate(layout, found[i] as Changes));
  sink.issues.push(issue('OCR_CORRECTION_AMBIGUOUS', field.line, field.start, field.start + field.length, field.field, listed));
}

// State of the running search (parsing is synchronous: one search at a time).
/** Offsets holding a character outside their class, in search order, and their characters as read. */
const FORCED = new Int16Array(3 * 44);
const SAVED = new Uint8Array(3 * 44);
/** 1 at the offsets in FORCED. */
const IS_FORCED = new Uint8Array(3 * 44);
/** The replacement chosen for each forced offset on the current path. */
const CHOSEN = new Uint8Array(3 * 44);
let evaluations = 0;
let exhausted = false;

/** The current forced choices, then `offset` → `code` when `offset` ≥ 0. */
function currentChanges(forcedCount: number, offset: number, code: number): Changes {
  const changes: Changes = [];
  for (let i = 0; i < forcedCount; i++) changes.push(FORCED[i] as number, CHOSEN[i] as number);
  if (offset >= 0) changes.push(offset, code);
  return changes;
}

/**
 * Forced positions take each of their candidates in turn (depth-first, in offset order); at the bottom, either the
 * reading is judged as it is (`extra` false) or each other offset in turn takes each of its confusion partners.
 */
function walk(
  buf: Uint8Array, layout: CompiledLayout, offsets: Int16Array, check: CompiledCheck, forcedCount: number, index: number,
  extra: boolean, results: Changes[],
): void {
  if (exhausted) return;
  const classAt = layout.classIndexAt;
  if (index < forcedCount) {
    const offset = FORCED[index] as number;
    const cands = partners(classAt[offset] as number, SAVED[index] as number);
    for (let i = 0; i < cands.length; i++) {
      const code = cands[i] as number;
      buf[offset] = code;
      CHOSEN[index] = code;
      walk(buf, layout, offsets, check, forcedCount, index + 1, extra, results);
    }
    buf[offset] = SAVED[index] as number;
    return;
  }
  if (!extra) {
    if (++evaluations > MAX_EVALUATIONS) exhausted = true;
    else if (judgeCheck(buf, layout, check)) results.push(currentChanges(forcedCount, -1, 0));
    return;
  }
  for (let j = 0; j < offsets.length; j++) {
    const offset = offsets[j] as number;
    if (IS_FORCED[offset] === 1) continue;
    const original = buf[offset] as number;
    const cands = partners(classAt[offset] as number, original);
    for (let i = 0; i < cands.length; i++) {
      if (++evaluations > MAX_EVALUATIONS) {
        exhausted = true;
        break;
      }
      const code = cands[i] as number;
      buf[offset] = code;
      if (judgeCheck(buf, layout, check)) results.push(currentChanges(forcedCount, offset, code));
    }
    buf[offset] = original;
    if (exhausted) break;
  }
}

/**
 * Tries readings of `offsets` (forced positions take one of their candidates, then at most one other position
 * takes a confusion partner) and returns those that make `check` pass at the smallest number of changes; null when
 * the search was cut off.
 */
function search(buf: Uint8Array, layout: CompiledLayout, offsets: Int16Array, check: CompiledCheck): Changes[] | null {
  const classAt = layout.classIndexAt;
  let forcedCount = 0;
  for (let j = 0; j < offsets.length; j++) {
    const offset = offsets[j] as number;
    const code = buf[offset] as number;
    if (IN_CLASS[((classAt[offset] as number) << 8) | code] === 0) {
      FORCED[forcedCount] = offset;
      SAVED[forcedCount] = code;
      IS_FORCED[offset] = 1;
      forcedCount++;
    }
  }
  evaluations = 0;
  exhausted = false;
  const results: Changes[] = [];
  if (forcedCount > 0) walk(buf, layout, offsets, check, forcedCount, 0, false, results);
  if (results.length === 0 && !exhausted) walk(buf, layout, offsets, check, forcedCount, 0, true, results);
  for (let i = 0; i < forcedCount; i++) IS_FORCED[FORCED[i] as number] = 0;
  if (exhausted) return null;
  return results.length > 1 ? dedupe(results) : results;
}

function dedupe(results: Changes[]): Changes[] {
  const seen = new Set<string>();
  const out: Changes[] = [];
  for (const changes of results) {
    let key = '';
    for (let i = 0; i < changes.length; i += 2) key += `${i > 0 ? ',' : ''}${changes[i] as number}:${changes[i + 1] as number}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(changes);
  }
  return out;
}

/** Whether `check` passes with `changes` applied; `buf` is left as it was. */
function passesWith(buf: Uint8Array, layout: CompiledLayout, check: CompiledCheck, changes: Changes): boolean {
  const before: number[] = [];
  for (let i = 0; i < changes.length; i += 2) {
    before.push(buf[changes[i] as number] as number);
    buf[changes[i] as number] = changes[i + 1] as number;
  }
  const ok = judgeCheck(buf, layout, check);
  for (let i = 0; i < changes.length; i += 2) buf[changes[i] as number] = before[i >> 1] as number;
  return ok;
}

function hasForced(buf: Uint8Array, layout: CompiledLayout, offsets: Int16Array): boolean {
  const classAt = layout.classIndexAt;
  for (let j = 0; j < offsets.length; j++) {
    const offset = offsets[j] as number;
    if (IN_CLASS[((classAt[offset] as number) << 8) | (buf[offset] as number)] === 0) return true;
  }
  return false;
}

/** Rules 1 and 2: the repairs the check digits choose, on `buf` in place. */
export function repairChecks(buf: Uint8Array, layout: CompiledLayout, sink: RepairSink): void {
  const composite = layout.composite;
  const checks = layout.checks;
  let pendingChecks: CompiledCheck[] | null = null;
  let pendingFound: Changes[][] | null = null;
  for (let c = 0; c < checks.length; c++) {
    const check = checks[c] as CompiledCheck;
    if (check === composite) continue;
    const offsets = check.searchOffsets;
    if (judgeCheck(buf, layout, check) && !hasForced(buf, layout, offsets)) continue;
    const found = search(buf, layout, offsets, check);
    if (found === null || found.length === 0) continue;
    if (found.length === 1) record(buf, layout, found[0] as Changes, true, sink);
    else {
      if (pendingChecks === null || pendingFound === null) {
        pendingChecks = [];
        pendingFound = [];
      }
      pendingChecks.push(check);
      pendingFound.push(found);
    }
  }
  if (pendingChecks !== null && pendingFound !== null) {
    for (let p = 0; p < pendingChecks.length; p++) {
      const check = pendingChecks[p] as CompiledCheck;
      const found = pendingFound[p] as Changes[];
      // The composite check digit breaks the tie when it tells exactly one candidate apart.
      if (composite !== null && pendingChecks.length === 1) {
        let agreeing: Changes | null = null;
        let count = 0;
        for (const changes of found) {
          if (passesWith(buf, layout, composite, changes)) {
            agreeing = changes;
            count++;
          }
        }
        if (count === 1) {
          record(buf, layout, agreeing as Changes, true, sink);
          continue;
        }
      }
      ambiguous(layout, check.reportField, found, sink);
    }
    return;
  }
  if (composite === null) return;
  for (let c = 0; c < checks.length; c++) {
    const check = checks[c] as CompiledCheck;
    if (check !== composite && !judgeCheck(buf, layout, check)) return;
  }
  const offsets = composite.searchOffsets;
  if (judgeCheck(buf, layout, composite) && !hasForced(buf, layout, offsets)) return;
  const found = search(buf, layout, offsets, composite);
  if (found === null || found.length === 0) return;
  if (found.length === 1) record(buf, layout, found[0] as Changes, true, sink);
  else ambiguous(layout, composite.reportField, found, sink);
}

/** Allowed values of the fields no check digit covers but a table constrains. */
const SEX_VALUES: ReadonlySet<string> = new Set(['M', 'F', 'X', '<']);

function knownState(text: string): boolean {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 60) end--;
  return STATE_CODES.has(text.slice(0, end));
}

function knownSex(text: string): boolean {
  return SEX_VALUES.has(text);
}

/**
 * How a class-impossible character of a field no check digit covers is read (fields not listed are never changed
 * by this rule):
 * - `designated`: free text, the names: a digit becomes its designated letter (verified: false);
 * - `partner`: the one class-compatible confusion partner, else OCR_CORRECTION_AMBIGUOUS. The document code: `PO`,
 *   `PD` and `PQ` are all valid codes, so a `0` there is not read as `O` by default;
 * - a table (a predicate over the field's text): every reading with each impossible character replaced by one of
 *   its partners (designated letter first), or, with none, every single confusion substitution; taken when exactly
 *   one reading is a known value, OCR_CORRECTION_AMBIGUOUS when several are.
 */
type UncoveredRule = 'designated' | 'partner' | ((text: string) => boolean);

const UNCOVERED_RULES: Readonly<Partial<Record<MrzFieldName, UncoveredRule>>> = {
  documentCode: 'partner',
  names: 'designated',
  issuingState: knownState,
  nationality: knownState,
  sex: knownSex,
};

function readField(buf: Uint8Array, field: CompiledField): string {
  const o = field.offset;
  if (field.length === 1) return String.fromCharCode(buf[o] as number);
  if (field.length === 3) return String.fromCharCode(buf[o] as number, buf[o + 1] as number, buf[o + 2] as number);
  let text = '';
  for (let i = 0; i < field.length; i++) text += String.fromCharCode(buf[o + i] as number);
  return text;
}

/**
 * The readings of `field` in which every offset of `forced` takes one of its letter partners (depth-first, in
 * partner order) that `known` accepts, as changes; `buf` is left as it was.
 */
function tableReadings(
  buf: Uint8Array, field: CompiledField, forced: readonly number[], index: number, known: (text: string) => boolean,
  changes: Changes, found: Changes[],
): void {
  if (index === forced.length) {
    if (known(readField(buf, field))) found.push(changes.slice());
    return;
  }
  const offset = forced[index] as number;
  const original = buf[offset] as number;
  const cands = partners(CLASS_INDEX.A, original);
  for (let k = 0; k < cands.length; k++) {
    const code = cands[k] as number;
    buf[offset] = code;
    changes.push(offset, code);
    tableReadings(buf, field, forced, index + 1, known, changes, found);
    changes.length -= 2;
  }
  buf[offset] = original;
}

/** The readings of `field` the table rule considers that `known` accepts (see {@link UncoveredRule}). */
function knownReadings(buf: Uint8Array, field: CompiledField, known: (text: string) => boolean): Changes[] {
  const found: Changes[] = [];
  const forced: number[] = [];
  for (let i = 0; i < field.length; i++) {
    const offset = field.offset + i;
    if (IN_CLASS[(CLASS_INDEX.A << 8) | (buf[offset] as number)] === 0) forced.push(offset);
  }
  if (forced.length > 0) {
    tableReadings(buf, field, forced, 0, known, [], found);
    return found;
  }
  for (let i = 0; i < field.length; i++) {
    const offset = field.offset + i;
    const original = buf[offset] as number;
    const cands = partners(CLASS_INDEX.A, original);
    for (let k = 0; k < cands.length; k++) {
      const code = cands[k] as number;
      buf[offset] = code;
      if (known(readField(buf, field))) found.push([offset, code]);
    }
    buf[offset] = original;
  }
  return found;
}

function repairTableField(buf: Uint8Array, layout: CompiledLayout, field: CompiledField, known: (text: string) => boolean, sink: RepairSink): void {
  if (known(readField(buf, field))) return;
  const found = knownReadings(buf, field, known);
  if (found.length === 1) record(buf, layout, found[0] as Changes, false, sink);
  else if (found.length > 1) ambiguous(layout, field, found, sink);
}

/**
 * Whether every field of line `line` that a table constrains (state codes, sex) holds a known value as read. A
 * reading that would need the table rule as well is one repair more than one that does not.
 */
export function knownTables(buf: Uint8Array, layout: CompiledLayout, line: number): boolean {
  const fields = layout.fields;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f] as CompiledField;
    const rule = UNCOVERED_RULES[field.field];
    if (field.line === line && typeof rule === 'function' && field.check === null && !rule(readField(buf, field))) return false;
  }
  return true;
}

/** Reads each class-impossible character of `field` by its designated letter, or its one partner. */
function repairFreeField(buf: Uint8Array, layout: CompiledLayout, field: CompiledField, rule: 'designated' | 'partner', sink: RepairSink): void {
  const cls = CLASS_INDEX[field.charClass];
  for (let i = 0; i < field.length; i++) {
    const offset = field.offset + i;
    const code = buf[offset] as number;
    if (IN_CLASS[(cls << 8) | code] === 1 || (CHAR_VALUE[code] as number) < 0) continue;
    const designated = rule === 'designated' && code < 128 ? (DESIGNATED[code] as number) : 0;
    if (designated !== 0 && IN_CLASS[(cls << 8) | designated] === 1) {
      record(buf, layout, [offset, designated], false, sink);
      continue;
    }
    const cands = partners(cls, code);
    if (cands.length === 1) record(buf, layout, [offset, cands[0] as number], false, sink);
    else if (cands.length > 1) {
      const found: Changes[] = [];
      for (let k = 0; k < cands.length; k++) found.push([offset, cands[k] as number]);
      ambiguous(layout, field, found, sink);
    }
  }
}

/** Repairs the fields no check digit covers, each by its rule in {@link UNCOVERED_RULES}. */
function repairUncovered(buf: Uint8Array, layout: CompiledLayout, sink: RepairSink): void {
  const fields = layout.fields;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f] as CompiledField;
    const rule = UNCOVERED_RULES[field.field];
    if (rule === undefined || field.check !== null) continue;
    if (typeof rule === 'function') repairTableField(buf, layout, field, rule, sink);
    else repairFreeField(buf, layout, field, rule, sink);
  }
}

/** Repairs `buf` in place; every change goes to `sink.corrections` with an OCR_CORRECTED issue. */
export function repairBuffer(buf: Uint8Array, layout: CompiledLayout, sink: RepairSink): void {
  repairChecks(buf, layout, sink);
  repairUncovered(buf, layout, sink);
}
