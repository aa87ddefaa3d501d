// Rule 2 at rest: a store that holds planted document numbers, names, VINs, plates, record ids and operator ids (in
// the copy, in checks kept for re-screening and in queued writes) has none of them anywhere in its file, its
// write-ahead log or its shared-memory file, in any spelling the SDK would write them, while it is open and after.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineKeysOfSubject } from '../../src/stores/keys';
import type { OfflineRecord } from '../../src/stores/types';
import { open, remove, scratch, snapshot, upsert } from './fixtures';

const PLANTED = {
  documentNumber: 'PLANTDOC1',
  linkedDocumentNumber: 'PLANTLNK2',
  surname: 'Plantedsurname',
  givenName: 'Plantedgiven',
  vin: 'PLANTEDVIN0000001',
  plate: 'PLANT99',
  recordId: 'REC-PLANTED-1',
  operatorId: 'officer-planted-77',
  authorityId: 'AUTH-PLANTED',
  reportedNumber: 'PLANTREPORT9',
  noticeReference: 'NOTICE-PLANTED/2024',
} as const;

/** Every spelling the SDK could have written a value in: as given, upper-cased (key rule), in UTF-16 (SQLite can). */
function spellings(value: string): Buffer[] {
  return [...new Set([value, value.toUpperCase(), value.toLowerCase()])].flatMap((v) => [Buffer.from(v, 'utf8'), Buffer.from(v, 'utf16le')]);
}

function filesOf(path: string): Record<string, Buffer> {
  const found: Record<string, Buffer> = {};
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      found[`offline.db${suffix}`] = readFileSync(`${path}${suffix}`);
    } catch {
      // -wal and -shm exist only while the store is open.
    }
  }
  return found;
}

function plantedIn(path: string): string[] {
  const hits: string[] = [];
  for (const [file, bytes] of Object.entries(filesOf(path))) {
    for (const [name, value] of Object.entries(PLANTED)) {
      if (spellings(value).some((s) => bytes.includes(s))) hits.push(`${name} in ${file}`);
    }
  }
  return hits;
}

const records: OfflineRecord[] = [
  {
    source: 'SLTD',
    recordId: PLANTED.recordId,
    ownerCountry: 'UTO',
    document: { documentNumber: PLANTED.documentNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
  },
  {
    source: 'TDAWN',
    recordId: `${PLANTED.recordId}-T`,
    ownerCountry: 'UTO',
    document: { documentNumber: PLANTED.linkedDocumentNumber, issuingState: 'UTO' },
    notice: { type: 'RED', reference: PLANTED.noticeReference },
  },
  {
    source: 'NOMINAL',
    recordId: `${PLANTED.recordId}-N`,
    ownerCountry: 'UTO',
    person: { surname: PLANTED.surname, givenNames: [PLANTED.givenName], dateOfBirth: '1970-01-01' },
    notice: { type: 'RED', reference: PLANTED.noticeReference },
  },
  {
    source: 'SMV',
    recordId: `${PLANTED.recordId}-V`,
    ownerCountry: 'UTO',
    vehicle: { vin: PLANTED.vin, plate: PLANTED.plate, registrationCountry: 'UTO' },
  },
];

let files: ReturnType<typeof scratch>;
beforeEach(() => (files = scratch()));
afterEach(() => files.done());

describe('the store file, its write-ahead log and its shared memory', () => {
  it('hold no planted document number, name, VIN, plate, record id or operator id, open or closed', async () => {
    const store = open(files.path);
    const context = { authorityId: PLANTED.authorityId, operatorId: PLANTED.operatorId, purpose: 'BORDER_CHECK' as const };
    for (const record of records) {
      // A full snapshot, then a delta that changes the record and removes it, then a full one that brings it back:
      // each version of it passes through the file.
      await store.apply(record.source, snapshot(record.source, [upsert(record)], 1, { cursor: 'cursor-visible-control' }));
      await store.apply(record.source, snapshot(record.source, [upsert({ ...record, actionToBeTaken: 'CONTACT_OWNER' }), remove(record.source, record.recordId)], 0, { full: false }));
      await store.apply(record.source, snapshot(record.source, [upsert(record)], 1));
    }
    const subjects = [
      { kind: 'document' as const, documentNumber: PLANTED.documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' as const },
      { kind: 'document' as const, documentNumber: PLANTED.linkedDocumentNumber, issuingState: 'UTO', documentType: 'PASSPORT' as const },
      { kind: 'person' as const, surname: PLANTED.surname, givenNames: [PLANTED.givenName], dateOfBirth: '1970-01-01' },
      { kind: 'vehicle' as const, vin: PLANTED.vin, plate: PLANTED.plate, registrationCountry: 'UTO' },
    ];
    const found = records.flatMap((r) => subjects.flatMap((s) => offlineKeysOfSubject(s, r.source).flatMap((key) => store.lookup(r.source, key))));
    expect([...new Set(found.map((r) => r.recordId))].sort()).toEqual(records.map((r) => r.recordId).sort());
    store.keepForRescreen({ requestId: 'req-1', checkedAt: Date.now(), context, subjects, sources: ['SLTD', 'NOMINAL', 'SMV'], offlineHits: [{ source: 'SLTD', recordId: PLANTED.recordId }] });
    expect(store.rescreenDue(0, 10)).toHaveLength(1);
    const body = JSON.stringify({ context, report: { documentNumber: PLANTED.reportedNumber, issuingState: 'UTO', status: 'STOLEN' } });
    store.outbox.enqueue({ idempotencyKey: 'idem-1', kind: 'report', path: '/v1/reports', body, queuedAt: Date.now() });
    store.outbox.enqueue({ idempotencyKey: 'idem-2', kind: 'withdrawal', path: `/v1/reports/${PLANTED.recordId}/withdrawal`, body, queuedAt: Date.now() });
    store.outbox.delivered('idem-2');
    expect(store.outbox.pending().map((e) => JSON.parse(e.body).report.documentNumber)).toEqual([PLANTED.reportedNumber]);

    const open_ = filesOf(files.path);
    expect(Object.keys(open_).sort()).toEqual(['offline.db', 'offline.db-shm', 'offline.db-wal']);
    expect(open_['offline.db-wal']!.length).toBeGreaterThan(0);
    expect(plantedIn(files.path)).toEqual([]);
    // The search itself finds what the store does keep readable: a snapshot's cursor.
    expect(Object.values(open_).some((bytes) => bytes.includes('cursor-visible-control'))).toBe(true);

    store.close();
    expect(plantedIn(files.path)).toEqual([]);
    expect(readFileSync(files.path).includes('cursor-visible-control')).toBe(true);
  });
});
