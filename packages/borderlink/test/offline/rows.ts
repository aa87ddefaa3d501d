// Staged lines and the rows sealed from them, for the tests of the store's crypto and of its sealing worker.
import fc from 'fast-check';
import { expect } from 'vitest';
import { UPSERT_BIT, type SealedRows, type StagedLines, type StoreKeys } from '../../src/offline/crypto';

/** Staged lines of texts as LineBatch writes them: each line's id, keys and payload (none for a delete), in UTF-8. */
export function staged(scope: string, lines: readonly { id: string; keys: readonly string[]; payload: string | null }[]): StagedLines {
  const texts = lines.flatMap((l) => [l.id, ...l.keys, ...(l.payload === null ? [] : [l.payload])]).map((t) => Buffer.from(t, 'utf8'));
  const ends = new Uint32Array(texts.length);
  texts.reduce((at, t, i) => (ends[i] = at + t.length), 0);
  return { scope, text: Buffer.concat(texts), ends, shape: Uint8Array.from(lines.map((l) => (l.payload === null ? 0 : UPSERT_BIT) | l.keys.length)) };
}

/** Asserts `rows` hold, for each line, the hash of its id and keys and a seal of its payload under its hashed id. */
export function expectRowsOf(keys: StoreKeys, scope: string, lines: readonly { id: string; keys: readonly string[]; payload: string | null }[], { bytes, ends }: SealedRows): void {
  expect(ends).toHaveLength(3 * lines.length);
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  lines.forEach((l, i) => {
    const rid = all.subarray(i === 0 ? 0 : ends[3 * i - 1]!, ends[3 * i]);
    expect(rid.equals(keys.hash(scope, l.id))).toBe(true);
    expect(all.subarray(ends[3 * i], ends[3 * i + 1]).equals(Buffer.concat(l.keys.map((k) => keys.hash(scope, k))))).toBe(true);
    const payload = all.subarray(ends[3 * i + 1], ends[3 * i + 2]);
    if (l.payload === null) expect(payload).toHaveLength(0);
    // As UTF-8 holds it: a lone surrogate (JSON.stringify never writes one) is U+FFFD.
    else expect(keys.open('record', rid, payload)).toBe(Buffer.from(l.payload, 'utf8').toString('utf8'));
  });
}

/** Texts of any kind, lone surrogates (which UTF-8 writes as U+FFFD on both paths) among them. */
const anyText = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', '\uD800', 'a\uDC00b', 'ЦОЙ\u0000x', 'x'.repeat(2000)));
export const anyLine = fc.record({ id: anyText, keys: fc.array(anyText, { maxLength: 3 }), payload: fc.option(fc.oneof(anyText, fc.string({ unit: 'binary', maxLength: 300 }))) });
