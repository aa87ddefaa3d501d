// Snapshot answers for tests: lines as NDJSON, a valid end line for them, and reading every line of an answer.
import { createHash } from 'node:crypto';
import type { Source } from 'borderlink';

type Json = Record<string, unknown>;

export const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'TEST' } as const;

/** The headers a GET carries its context in, for `context`. */
export const contextHeaders = { 'x-authority-id': context.authorityId, 'x-operator-id': context.operatorId, 'x-purpose': context.purpose } as const;

/** The lines as one NDJSON text, each with its `\n`. */
export const ndjson = (lines: readonly unknown[]): string => lines.map((l) => `${JSON.stringify(l)}\n`).join('');

/** `sha256:` and the hex SHA-256 of a text's UTF-8 bytes. */
export const contentHash = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/**
 * A full snapshot's answer: `changes`, then an end line that fits them; `end` overrides its fields (`undefined`
 * leaves one out).
 */
export function fullAnswer(source: Source, changes: readonly unknown[], end: Json = {}): string {
  const text = ndjson(changes);
  const last: Json = {
    op: 'end',
    source,
    cursor: 'cursor-1',
    dataAsOf: '2026-12-01T06:00:00Z',
    full: true,
    changes: changes.length,
    recordCount: changes.length,
    contentHash: contentHash(text),
    ...end,
  };
  for (const [k, v] of Object.entries(end)) if (v === undefined) delete last[k];
  return `${text}${JSON.stringify(last)}\n`;
}

/** A delta's answer: `changes`, then an end line that fits them. */
export function deltaAnswer(source: Source, changes: readonly unknown[], end: Json = {}): string {
  return fullAnswer(source, changes, { full: false, recordCount: 7, contentHash: undefined, cursor: 'cursor-2', ...end });
}

/** An SLTD record numbered `i`. */
export const sltdRecord = (i: number, documentNumber = `X${String(i).padStart(7, '0')}`) => ({
  source: 'SLTD' as const,
  recordId: `SLTD-UTO-${i}`,
  ownerCountry: 'UTO',
  document: { documentNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
});

/** An upsert line of {@link sltdRecord}. */
export const sltdUpsert = (i: number) => ({ op: 'upsert', record: sltdRecord(i) });

/** Every line an answer's iterator gives. */
export async function readAll<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** What the promise rejected with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}
