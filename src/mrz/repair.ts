// OCR repair on a buffer of char codes. Rules, in order:
//  1. a character impossible for its position's class is replaced only by a class-compatible member of its
//     confusion groups; inside a field a check digit covers, the check digit chooses among them;
//  2. a failing check digit triggers a search over single confusion substitutions inside the positions it covers;
//     a repair is taken only when exactly one candidate makes the digit pass (the composite breaks ties);
//  3. state codes and sex, covered by no digit, are repaired only when exactly one substitution gives a known value.
// Whatever is not unique is left as read and reported as OCR_CORRECTION_AMBIGUOUS.
import { CHAR_VALUE } from './check-digit';
import { judgeCheck } from './checks';
import { issue } from './issues';
import type { CharClass, CompiledCheck, CompiledField, CompiledLayout } from './layouts';
import { STATE_CODES } from './state-codes';
import type { MrzCandidateChange, MrzCorrection, MrzIssue } from './types';

/** Characters OCR engines mistake for one another in the OCR-B font. */
export const CONFUSION_GROUPS: readonly string[] = ['O0QD', 'I1L', 'B8', 'S5', 'Z2', 'G6', '<KCL'];

const CLASS_INDEX: Readonly<Record<CharClass, number>> = { A: 0, N: 1, X: 2 };

function inClass(cls: number, code: number): boolean {
  if (code === 60) return true;
  const digit = code >= 48 && code <= 57;
  const letter = code >= 65 && code <= 90;
  return cls === 0 ? letter : cls === 1 ? digit : digit || letter;
}

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
    table.push(Uint8Array.from(set));
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
const MAX_LISTED = 16;

export interface RepairSink {
  readonly corrections: MrzCorrection[];
  readonly issues: MrzIssue[];
}

type Change = readonly [offset: number, code: number];

function toCandidate(layout: CompiledLayout, changes: readonly Change[]): MrzCandidateChange[] {
  return changes.map(([offset, code]) => ({
    line: Math.floor(offset / layout.length),
    column: offset % layout.length,
    to: String.fromCharCode(code),
  }));
}

function record(buf: Uint8Array, layout: CompiledLayout, changes: readonly Change[], verified: boolean, sink: RepairSink): void {
  for (const [offset, code] of changes) {
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

function ambiguous(layout: CompiledLayout, field: CompiledField, found: readonly (readonly Change[])[], sink: RepairSink): void {
  sink.issues.push(
    issue('OCR_CORRECTION_AMBIGUOUS', field.line, field.start, field.start + field.length, field.field,
      found.slice(0, MAX_LISTED).map((changes) => toCandidate(layout, changes))),
  );
}

/** Offsets a check digit's search may touch: what it covers, its digit, and any overflow of the number. */
function searchOffsets(layout: CompiledLayout, check: CompiledCheck, compositeOnly: boolean): number[] {
  const offsets = compositeOnly ? Array.from(check.coveredOnlyHere) : Array.from(check.covered);
  offsets.push(check.digitOffset);
  if (check.name === 'documentNumber' && layout.overflowInto !== null) {
    const field = layout.overflowInto;
    for (let i = 0; i < field.length; i++) offsets.push(field.offset + i);
  }
  return offsets;
}

/**
 * Tries readings of `offsets` (forced positions take one of their candidates, then at most one other position
 * takes a confusion partner) and returns those that make `accept` true at the smallest number of changes.
 */
function search(
  buf: Uint8Array,
  layout: CompiledLayout,
  offsets: readonly number[],
  accept: (buf: Uint8Array) => boolean,
): Change[][] | null {
  const forced: number[] = [];
  for (const offset of offsets) {
    if (!inClass(CLASS_INDEX[layout.classAt[offset] as CharClass], buf[offset] as number)) forced.push(offset);
  }
  const saved = forced.map((offset) => buf[offset] as number);
  let evaluations = 0;
  let exhausted = false;
  const results: Change[][] = [];
  const combo: Change[] = [];
  const walk = (index: number, extra: boolean): void => {
    if (exhausted) return;
    if (index < forced.length) {
      const offset = forced[index] as number;
      const cands = partners(CLASS_INDEX[layout.classAt[offset] as CharClass], saved[index] as number);
      for (const code of cands) {
        buf[offset] = code;
        combo.push([offset, code]);
        walk(index + 1, extra);
        combo.pop();
      }
      buf[offset] = saved[index] as number;
      return;
    }
    if (!extra) {
      if (++evaluations > MAX_EVALUATIONS) exhausted = true;
      else if (accept(buf)) results.push(combo.slice());
      return;
    }
    for (const offset of offsets) {
      if (forced.includes(offset)) continue;
      const original = buf[offset] as number;
      for (const code of partners(CLASS_INDEX[layout.classAt[offset] as CharClass], original)) {
        if (++evaluations > MAX_EVALUATIONS) {
          exhausted = true;
          break;
        }
        buf[offset] = code;
        if (accept(buf)) results.push([...combo, [offset, code]]);
      }
      buf[offset] = original;
      if (exhausted) break;
    }
  };
  if (forced.length > 0) walk(0, false);
  if (results.length === 0 && !exhausted) walk(0, true);
  return exhausted ? null : dedupe(results);
}

function dedupe(results: Change[][]): Change[][] {
  const seen = new Set<string>();
  return results.filter((changes) => {
    const key = changes.map(([o, c]) => `${o}:${c}`).join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function apply(buf: Uint8Array, changes: readonly Change[]): number[] {
  const before = changes.map(([offset]) => buf[offset] as number);
  for (const [offset, code] of changes) buf[offset] = code;
  return before;
}

function undo(buf: Uint8Array, changes: readonly Change[], before: readonly number[]): void {
  changes.forEach(([offset], i) => {
    buf[offset] = before[i] as number;
  });
}

function hasForced(buf: Uint8Array, layout: CompiledLayout, offsets: readonly number[]): boolean {
  for (const offset of offsets) {
    if (!inClass(CLASS_INDEX[layout.classAt[offset] as CharClass], buf[offset] as number)) return true;
  }
  return false;
}

function repairChecks(buf: Uint8Array, layout: CompiledLayout, sink: RepairSink): void {
  const composite = layout.checks.find((check) => check.name === 'composite');
  const compositeOk = (b: Uint8Array): boolean => composite === undefined || judgeCheck(b, layout, composite);
  const pending: { check: CompiledCheck; found: Change[][] }[] = [];
  for (const check of layout.checks) {
    if (check.name === 'composite') continue;
    const offsets = searchOffsets(layout, check, false);
    if (judgeCheck(buf, layout, check) && !hasForced(buf, layout, offsets)) continue;
    const found = search(buf, layout, offsets, (b) => judgeCheck(b, layout, check));
    if (found === null || found.length === 0) continue;
    if (found.length === 1) record(buf, layout, found[0] as Change[], true, sink);
    else pending.push({ check, found });
  }
  for (const { check, found } of pending) {
    // The composite check digit breaks the tie when it tells exactly one candidate apart.
    const agreeing = found.filter((changes) => {
      const before = apply(buf, changes);
      const ok = compositeOk(buf);
      undo(buf, changes, before);
      return ok;
    });
    if (composite !== undefined && agreeing.length === 1 && pending.length === 1) {
      record(buf, layout, agreeing[0] as Change[], true, sink);
      continue;
    }
    const field = layout.fields[layout.fieldAt[check.digitOffset] as number] as CompiledField;
    const covering = layout.fields.find((f) => f.check === check.name && !f.isDigit) ?? field;
    ambiguous(layout, covering, found, sink);
  }
  if (composite === undefined || pending.length > 0) return;
  for (const check of layout.checks) if (check !== composite && !judgeCheck(buf, layout, check)) return;
  const offsets = searchOffsets(layout, composite, true);
  if (compositeOk(buf) && !hasForced(buf, layout, offsets)) return;
  const found = search(buf, layout, offsets, compositeOk);
  if (found === null || found.length === 0) return;
  if (found.length === 1) record(buf, layout, found[0] as Change[], true, sink);
  else ambiguous(layout, layout.fields[layout.fieldAt[composite.digitOffset] as number] as CompiledField, found, sink);
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

const TABLE_FIELDS: readonly (readonly [CompiledField['field'], (text: string) => boolean])[] = [
  ['issuingState', knownState],
  ['nationality', knownState],
  ['sex', knownSex],
];

function readField(buf: Uint8Array, field: CompiledField): string {
  const o = field.offset;
  if (field.length === 1) return String.fromCharCode(buf[o] as number);
  if (field.length === 3) return String.fromCharCode(buf[o] as number, buf[o + 1] as number, buf[o + 2] as number);
  let text = '';
  for (let i = 0; i < field.length; i++) text += String.fromCharCode(buf[o + i] as number);
  return text;
}

function repairTableField(buf: Uint8Array, layout: CompiledLayout, field: CompiledField, known: (text: string) => boolean, sink: RepairSink): void {
  if (known(readField(buf, field))) return;
  const found: Change[][] = [];
  for (let i = 0; i < field.length; i++) {
    const offset = field.offset + i;
    const original = buf[offset] as number;
    for (const code of partners(CLASS_INDEX.A, original)) {
      buf[offset] = code;
      if (known(readField(buf, field))) found.push([[offset, code]]);
    }
    buf[offset] = original;
  }
  if (found.length === 1) record(buf, layout, found[0] as Change[], false, sink);
  else if (found.length > 1) ambiguous(layout, field, found, sink);
}

/** Replaces class-impossible characters of fields no check digit covers, when only one replacement fits. */
function repairUncovered(buf: Uint8Array, layout: CompiledLayout, sink: RepairSink): void {
  for (const field of layout.fields) {
    if (field.check !== null || field.charClass === 'X') continue;
    if (TABLE_FIELDS.some(([name]) => name === field.field)) continue;
    const cls = CLASS_INDEX[field.charClass];
    for (let i = 0; i < field.length; i++) {
      const offset = field.offset + i;
      const code = buf[offset] as number;
      if (inClass(cls, code) || (CHAR_VALUE[code] ?? -1) < 0) continue;
      const cands = partners(cls, code);
      if (cands.length === 1) record(buf, layout, [[offset, cands[0] as number]], false, sink);
      else if (cands.length > 1) ambiguous(layout, field, Array.from(cands, (c) => [[offset, c] as Change]), sink);
    }
  }
  for (const [name, known] of TABLE_FIELDS) {
    const field = layout.byName[name];
    if (field !== undefined) repairTableField(buf, layout, field, known, sink);
  }
}

/** Repairs `buf` in place; every change goes to `sink.corrections` with an OCR_CORRECTED issue. */
export function repairBuffer(buf: Uint8Array, layout: CompiledLayout, sink: RepairSink): void {
  repairChecks(buf, layout, sink);
  repairUncovered(buf, layout, sink);
}

/**
 * Whether anything in `buf` could need the repair besides a failing check digit (which the caller has judged):
 * a character outside its class, or an unknown state code or sex.
 */
export function needsRepair(buf: Uint8Array, layout: CompiledLayout): boolean {
  const total = layout.lines * layout.length;
  const classIndexAt = layout.classIndexAt;
  for (let offset = 0; offset < total; offset++) {
    const code = buf[offset] as number;
    if (code === 60) continue;
    const cls = classIndexAt[offset] as number;
    if (cls === 2) {
      if (!((code >= 48 && code <= 57) || (code >= 65 && code <= 90))) return true;
    } else if (cls === 1) {
      if (code < 48 || code > 57) return true;
    } else if (code < 65 || code > 90) return true;
  }
  for (const [name, known] of TABLE_FIELDS) {
    const field = layout.byName[name];
    if (field !== undefined && !known(readField(buf, field))) return true;
  }
  return false;
}
