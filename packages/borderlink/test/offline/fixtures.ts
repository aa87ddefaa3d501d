// What the offline store tests share: a fresh file per test, keys, records of each source and snapshot streams.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OfflineRecord, SnapshotChange, SnapshotEnd } from '../../src/stores/types';
import type { Source } from '../../src/queries/types';
import { openOfflineStore, type SqliteOfflineStore } from 'borderlink/offline';

/** A folder removed by `done()`, for the store files of one test. */
export function scratch(): { dir: string; path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'borderlink-offline-'));
  return { dir, path: join(dir, 'offline.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

export const KEYS = { hmacKey: Buffer.alloc(32, 7), encryptionKey: Buffer.alloc(32, 9) } as const;
export const otherKey = (): Buffer => randomBytes(32);

export function open(path: string, keys: { hmacKey: Uint8Array; encryptionKey: Uint8Array } = KEYS): SqliteOfflineStore {
  return openOfflineStore({ path, ...keys });
}

export const passport = (recordId: string, documentNumber: string, issuingState = 'UTO'): OfflineRecord => ({
  source: 'SLTD',
  recordId,
  ownerCountry: issuingState,
  actionToBeTaken: 'SEIZE_DOCUMENT',
  document: { documentNumber, issuingState, documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2024-03-01' },
});

export const linkedDocument = (recordId: string, documentNumber: string): OfflineRecord => ({
  source: 'TDAWN',
  recordId,
  ownerCountry: 'UTO',
  document: { documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' },
  notice: { type: 'RED', reference: 'A-1234/5-2024' },
});

export const person = (recordId: string, surname: string, givenNames: string[], dateOfBirth: string): OfflineRecord => ({
  source: 'NOMINAL',
  recordId,
  ownerCountry: 'UTO',
  actionToBeTaken: 'ARREST',
  person: { surname, givenNames, dateOfBirth, nationalities: ['UTO'] },
  notice: { type: 'RED' },
});

export const vehicle = (recordId: string, vin: string, plate: string, registrationCountry = 'UTO'): OfflineRecord => ({
  source: 'SMV',
  recordId,
  ownerCountry: registrationCountry,
  vehicle: { vin, plate, registrationCountry, make: 'Volvo', model: 'V70', colour: 'BLUE', theftDate: '2024-01-02' },
});

export const upsert = (record: OfflineRecord): SnapshotChange => ({ op: 'upsert', record });
export const remove = (source: Source, recordId: string): SnapshotChange => ({ op: 'delete', source, recordId });

export function end(source: Source, fields: Partial<SnapshotEnd> & { changes: number; recordCount: number }): SnapshotEnd {
  return { op: 'end', source, cursor: `c-${fields.changes}-${fields.recordCount}`, dataAsOf: '2026-05-01T00:00:00.000Z', full: true, ...fields };
}

/** The lines, then the end line counting them, as a stream. */
export async function* snapshot(
  source: Source,
  changes: readonly SnapshotChange[],
  recordCount: number,
  fields: Partial<SnapshotEnd> = {},
): AsyncGenerator<SnapshotChange | SnapshotEnd> {
  for (const change of changes) yield change;
  yield end(source, { changes: changes.length, recordCount, ...fields });
}

/** `n` passports, numbered from `from`: recordId `SLTD-<i>`, document number `P<i>` padded. */
export function passports(n: number, from = 0): OfflineRecord[] {
  return Array.from({ length: n }, (_, i) => passport(`SLTD-${from + i}`, `P${String(from + i).padStart(8, '0')}`));
}

/** The document key text of a number, as offlineKeysOfSubject gives it for UTO. */
export const documentKey = (documentNumber: string, issuingState = 'UTO'): string => `doc\u0000${issuingState}\u0000${documentNumber}`;
