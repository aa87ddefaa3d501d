// Judging one check digit of a compiled layout on a buffer of char codes. Hot path: no allocation.
import { CHAR_VALUE } from './check-digit';
import type { CompiledCheck, CompiledLayout } from './layouts';

const FILLER = 60;

/** Results of the last {@link judgeCheck} call (module scratch, read right after the call). */
export const lastCheck = { computed: 0, digitOffset: 0, overflow: false, overflowEnd: 0 };


function allFiller(buf: Uint8Array, covered: Int16Array): boolean {
  for (let i = 0; i < covered.length; i++) if (buf[covered[i] as number] !== FILLER) return false;
  return true;
}

/**
 * Whether `check` passes on `buf`. Handles the TD1/TD2 document-number overflow (`<` in the check-digit place,
 * number continued in the optional data, then its digit, then a filler) and the empty personal number whose
 * digit may be `<` or `0`.
 */
export function judgeCheck(buf: Uint8Array, layout: CompiledLayout, check: CompiledCheck): boolean {
  const covered = check.covered;
  const weights = check.weights;
  let sum = 0;
  let bad = false;
  for (let i = 0; i < covered.length; i++) {
    const v = CHAR_VALUE[buf[covered[i] as number] as number] as number;
    if (v < 0) bad = true;
    else sum += v * (weights[i] as number);
  }
  let digitOffset = check.digitOffset;
  let printed = buf[digitOffset] as number;
  lastCheck.overflow = false;
  if (printed === FILLER && check.name === 'documentNumber' && layout.overflowInto !== null) {
    const field = layout.overflowInto;
    let j = 0;
    while (j < field.length && buf[field.offset + j] !== FILLER) j++;
    lastCheck.overflow = true;
    lastCheck.overflowEnd = j;
    if (j === 0) {
      lastCheck.computed = sum % 10;
      lastCheck.digitOffset = digitOffset;
      return false;
    }
    let i = covered.length;
    for (let k = 0; k < j - 1; k++, i++) {
      const v = CHAR_VALUE[buf[field.offset + k] as number] as number;
      if (v < 0) bad = true;
      else sum += v * (i % 3 === 0 ? 7 : i % 3 === 1 ? 3 : 1);
    }
    digitOffset = field.offset + j - 1;
    printed = buf[digitOffset] as number;
  }
  const computed = sum % 10;
  lastCheck.computed = computed;
  lastCheck.digitOffset = digitOffset;
  if (bad) return false;
  if (printed - 48 === computed) return true;
  return check.name === 'personalNumber' && (printed === FILLER || printed === 48) && allFiller(buf, covered);
}
