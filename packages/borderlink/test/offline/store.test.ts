// The SQLite offline store on real files: snapshots applied whole or not at all, exact lookups of every source, the
// re-screen queue, the outbox, and the refusals (options, keys, files) that keep a store from silently finding nothing.
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ConflictError, InputError, ProtocolError, StoreError, type Subject } from 'borderlink';
import { openOfflineStore, type SqliteOfflineStore } from 'borderlink/offline';
import { StoreKeys } from '../../src/offline/crypto';
import { loadSqlite } from '../../src/offline/driver';
import { SCHEMA_VERSION } from '../../src/offline/schema';
import { offlineKeysOfSubject } from '../../src/stores/keys';
import type { OfflineRecord, SnapshotChange, SnapshotEnd } from '../../src/stores/types';
import type { Source } from '../../src/queries/types';
import { KEYS, end, linkedDocument, open, otherKey, passport, passports, person, remove, scratch, snapshot, upsert, vehicle } from './fixtures';

const Database = loadSqlite();

let files: ReturnType<typeof scratch>;
let store: SqliteOfflineStore;
beforeEach(() => {
  files = scratch();
  store = open(files.path);
});
afterEach(() => {
  store.close();
  files.done();
});

/** What the copy answers for a subject, as the client asks it: through the one key rule. */
function find(source: Source, subject: Subject, s: SqliteOfflineStore = store): string[] {
  return offlineKeysOfSubject(subject, source)
    .flatMap((key) => s.lookup(source, key))
    .map((record) => record.recordId)
    .sort();
}
const doc = (documentNumber: string, issuingState = 'UTO'): Subject => ({ kind: 'document', documentNumber, issuingState, documentType: 'PASSPORT' });

async function refusal(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (err) {
    return err as Error;
  }
  throw new Error('not refused');
}
function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (err) {
    return err as Error;
  }
  throw new Error('not refused');
}

describe('applying snapshots', () => {
  it('applies a full snapshot and finds documents, linked documents, persons exactly and vehicles by VIN and by plate', async () => {
    await store.apply('SLTD', snapshot('SLTD', [upsert(passport('S-1', 'L898902C3')), upsert(passport('S-2', 'X1234567', 'D'))], 2));
    await store.apply('TDAWN', snapshot('TDAWN', [upsert(linkedDocument('T-1', 'AB1234567'))], 1));
    await store.apply('NOMINAL', snapshot('NOMINAL', [upsert(person('N-1', 'Eriksson', ['Anna', 'Maria'], '1974-08-12')), upsert(person('N-2', 'Müller-Lüdenscheidt', ['Jörg'], '1960-01-31'))], 2));
    await store.apply('SMV', snapshot('SMV', [upsert(vehicle('V-1', 'WVWZZZ1JZXW000001', 'B-MW 1234', 'D'))], 1));

    expect(find('SLTD', doc('l898902c3'))).toEqual(['S-1']);
    expect(find('SLTD', doc('L898 902C3<'))).toEqual(['S-1']);
    expect(find('SLTD', doc('X1234567', 'D'))).toEqual(['S-2']);
    expect(find('SLTD', doc('X1234567', 'UTO'))).toEqual([]);
    expect(find('TDAWN', doc('AB1234567'))).toEqual(['T-1']);
    expect(find('SLTD', doc('AB1234567'))).toEqual([]);
    expect(find('NOMINAL', { kind: 'person', surname: 'ERIKSSON', givenNames: ['anna', 'maria'], dateOfBirth: '1974-08-12' })).toEqual(['N-1']);
    expect(find('NOMINAL', { kind: 'person', surname: 'Muller Ludenscheidt', givenNames: ['Jorg'], dateOfBirth: '1960-01-31' })).toEqual(['N-2']);
    // Exact only: another date, another given name, or a partial date finds nothing.
    expect(find('NOMINAL', { kind: 'person', surname: 'Eriksson', givenNames: ['Anna', 'Maria'], dateOfBirth: '1974-08-13' })).toEqual([]);
    expect(find('NOMINAL', { kind: 'person', surname: 'Eriksson', givenNames: ['Anna'], dateOfBirth: '1974-08-12' })).toEqual([]);
    expect(find('SMV', { kind: 'vehicle', vin: 'wvwzzz1jzxw000001' })).toEqual(['V-1']);
    expect(find('SMV', { kind: 'vehicle', plate: 'BMW1234', registrationCountry: 'd' })).toEqual(['V-1']);
    expect(find('SMV', { kind: 'vehicle', plate: 'BMW1234', registrationCountry: 'UTO' })).toEqual([]);

    // What a hit shows comes back as it was applied.
    const [record] = store.lookup('SLTD', offlineKeysOfSubject(doc('L898902C3'), 'SLTD')[0]!);
    expect(record).toEqual(passport('S-1', 'L898902C3'));
    expect(store.inventory().map((s) => [s.source, s.recordCount])).toEqual([
      ['SLTD', 2],
      ['TDAWN', 1],
      ['NOMINAL', 2],
      ['SMV', 1],
    ]);
    expect(store.checkIntegrity()).toEqual({ ok: true, problems: [] });
  });

  it('applies a delta: new records, changed records and deleted records, and the record count moves with them', async () => {
    await store.apply('SLTD', snapshot('SLTD', passports(5).map(upsert), 5, { cursor: 'one' }));
    const changed = { ...passport('SLTD-1', 'P00000001'), actionToBeTaken: 'CONTACT_OWNER' };
    const delta = [upsert(passport('SLTD-9', 'NEW000009')), upsert(changed), remove('SLTD', 'SLTD-2'), remove('SLTD', 'SLTD-404')];
    const result = await store.apply('SLTD', snapshot('SLTD', delta, 5, { full: false, cursor: 'two' }));
    expect(result).toMatchObject({ op: 'end', cursor: 'two', full: false, recordCount: 5 });

    expect(find('SLTD', doc('NEW000009'))).toEqual(['SLTD-9']);
    expect(find('SLTD', doc('P00000002'))).toEqual([]);
    expect(find('SLTD', doc('P00000000'))).toEqual(['SLTD-0']);
    expect(store.lookup('SLTD', offlineKeysOfSubject(doc('P00000001'), 'SLTD')[0]!)).toEqual([changed]);
    expect(store.state('SLTD')).toMatchObject({ source: 'SLTD', cursor: 'two', recordCount: 5 });

    // A record whose document number changed is found by the new number only.
    await store.apply('SLTD', snapshot('SLTD', [upsert(passport('SLTD-0', 'MOVED0000'))], 5, { full: false, cursor: 'three' }));
    expect(find('SLTD', doc('P00000000'))).toEqual([]);
    expect(find('SLTD', doc('MOVED0000'))).toEqual(['SLTD-0']);
    expect(store.checkIntegrity().ok).toBe(true);
  });

  it('keeps only the living versions once a delta is applied: the replaced ones go with their lookup keys', async () => {
    await store.apply('SMV', snapshot('SMV', Array.from({ length: 20 }, (_, i) => upsert(vehicle(`V-${i}`, `VIN${i}`, `P ${i}`))), 20));
    const delta = [
      ...Array.from({ length: 5 }, (_, i) => upsert(vehicle(`V-${i}`, `VIN${i}`, `NEW ${i}`))),
      ...Array.from({ length: 5 }, (_, i) => remove('SMV', `V-${i + 5}`)),
      upsert(vehicle('V-99', 'VIN99', 'P 99')),
    ];
    await store.apply('SMV', snapshot('SMV', delta, 16, { full: false }));
    const raw = new Database(files.path, { readonly: true });
    const epoch = raw.prepare("SELECT epoch FROM copies WHERE source = 'SMV'").pluck().get() as number;
    const count = (table: string) => raw.prepare(`SELECT count(*) FROM ${table}_${epoch}`).pluck().get();
    // The dead versions are collected after the apply returned.
    await vi.waitFor(() => expect([count('v'), count('k'), count('d')]).toEqual([16, 32, 0]));
    raw.close();
    expect(find('SMV', { kind: 'vehicle', plate: 'P 1', registrationCountry: 'UTO' })).toEqual([]);
    expect(find('SMV', { kind: 'vehicle', plate: 'NEW 1', registrationCountry: 'UTO' })).toEqual(['V-1']);
    expect(find('SMV', { kind: 'vehicle', vin: 'VIN1' })).toEqual(['V-1']);
    expect(find('SMV', { kind: 'vehicle', vin: 'VIN6' })).toEqual([]);
  });

  it('collects at the next apply what a store closed during its collection left dead', async () => {
    await store.apply('SLTD', snapshot('SLTD', passports(6000).map(upsert), 6000));
    await store.apply('SLTD', snapshot('SLTD', passports(5000).map((r) => remove('SLTD', r.recordId)), 1000, { full: false }));
    store.close();
    store = open(files.path);
    expect(find('SLTD', doc('P00000001'))).toEqual([]);
    expect(find('SLTD', doc('P00005001'))).toEqual(['SLTD-5001']);
    await store.apply('SLTD', snapshot('SLTD', [], 1000, { full: false }));
    const raw = new Database(files.path, { readonly: true });
    const epoch = raw.prepare("SELECT epoch FROM copies WHERE source = 'SLTD'").pluck().get() as number;
    await vi.waitFor(() => expect(raw.prepare(`SELECT (SELECT count(*) FROM v_${epoch}) + (SELECT count(*) FROM d_${epoch})`).pluck().get()).toBe(1000));
    raw.close();
    expect(store.checkIntegrity().ok).toBe(true);
  });

  it('replaces the whole copy with a full snapshot taken over an older one', async () => {
    await store.apply('SLTD', snapshot('SLTD', passports(50).map(upsert), 50));
    await store.apply('SLTD', snapshot('SLTD', passports(10, 100).map(upsert), 10, { cursor: 'again' }));
    expect(find('SLTD', doc('P00000003'))).toEqual([]);
    expect(find('SLTD', doc('P00000103'))).toEqual(['SLTD-103']);
    expect(store.state('SLTD')).toMatchObject({ cursor: 'again', recordCount: 10 });
  });

  it('counts a record twice in one snapshot once, its last line winning, in a full snapshot and in a delta', async () => {
    const first = passport('S-1', 'FIRST0001');
    const second = passport('S-1', 'SECOND001');
    await store.apply('SLTD', snapshot('SLTD', [upsert(first), upsert(passport('S-2', 'OTHER0002')), upsert(second), remove('SLTD', 'S-2')], 1));
    expect(find('SLTD', doc('FIRST0001'))).toEqual([]);
    expect(find('SLTD', doc('SECOND001'))).toEqual(['S-1']);
    expect(find('SLTD', doc('OTHER0002'))).toEqual([]);

    const third = passport('S-1', 'THIRD0001');
    await store.apply('SLTD', snapshot('SLTD', [upsert(first), remove('SLTD', 'S-1'), upsert(third), upsert(passport('S-3', 'NEW000003'))], 2, { full: false }));
    expect(find('SLTD', doc('SECOND001'))).toEqual([]);
    expect(find('SLTD', doc('FIRST0001'))).toEqual([]);
    expect(find('SLTD', doc('THIRD0001'))).toEqual(['S-1']);
    expect(store.state('SLTD')?.recordCount).toBe(2);
  });

  it('keeps a record without the fields of any key, counted but found by nothing', async () => {
    const nameless = { source: 'NOMINAL', recordId: 'N-9', ownerCountry: 'UTO', person: { surname: 'Eriksson', dateOfBirth: '1974' }, notice: {} } as OfflineRecord;
    await store.apply('NOMINAL', snapshot('NOMINAL', [upsert(nameless)], 1));
    expect(store.state('NOMINAL')?.recordCount).toBe(1);
    expect(find('NOMINAL', { kind: 'person', surname: 'Eriksson', dateOfBirth: '1974' })).toEqual([]);
  });

  it('reports progress as lines are applied, and once more when the copy moved', async () => {
    const seen: number[] = [];
    await store.apply('SLTD', snapshot('SLTD', passports(10_000).map(upsert), 10_000), (p) => seen.push(p.changes));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(10_000);
  });
});

describe('a snapshot that breaks leaves the previous copy whole', () => {
  const before = async () => {
    await store.apply('SLTD', snapshot('SLTD', passports(20).map(upsert), 20, { cursor: 'old' }));
  };
  const stillOld = () => {
    expect(find('SLTD', doc('P00000007'))).toEqual(['SLTD-7']);
    expect(find('SLTD', doc('P00000107'))).toEqual([]);
    expect(store.state('SLTD')).toMatchObject({ cursor: 'old', recordCount: 20 });
    expect(store.checkIntegrity().ok).toBe(true);
  };

  it.each([true, false])('when the stream throws half way (full: %s)', async (full) => {
    await before();
    const cut = new Error('connection reset');
    async function* broken(): AsyncGenerator<SnapshotChange | SnapshotEnd> {
      for (const record of passports(9000, 100)) yield upsert(record);
      throw cut;
    }
    expect(await refusal(store.apply('SLTD', broken()))).toBe(cut);
    stillOld();
    void full;
  });

  it.each([true, false])('when the stream ends without its end line (full: %s)', async (full) => {
    await before();
    async function* short(): AsyncGenerator<SnapshotChange | SnapshotEnd> {
      for (const record of passports(9000, 100)) yield upsert(record);
    }
    const error = await refusal(store.apply('SLTD', short()));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/ended before its end line/);
    stillOld();
    void full;
  });

  it.each([true, false])('when the end line counts other changes than came (full: %s)', async (full) => {
    await before();
    const lines = passports(50, 100).map(upsert);
    async function* miscounted(): AsyncGenerator<SnapshotChange | SnapshotEnd> {
      yield* lines;
      yield end('SLTD', { changes: 51, recordCount: full ? 50 : 70, full });
    }
    const error = await refusal(store.apply('SLTD', miscounted()));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/counts 51 changes and 50 came/);
    stillOld();
  });

  it.each([true, false])('when the lines do not give the record count of the end line (full: %s)', async (full) => {
    await before();
    const error = await refusal(store.apply('SLTD', snapshot('SLTD', passports(50, 100).map(upsert), 69, { full })));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/counts 69 records/);
    stillOld();
  });

  it('when a line is of another source, naming the line and no value', async () => {
    await before();
    const lines = [upsert(passport('SLTD-100', 'P00000100')), upsert({ ...passport('SLTD-101', 'L898902C3'), source: 'TDAWN' } as OfflineRecord)];
    const error = await refusal(store.apply('SLTD', snapshot('SLTD', lines, 2)));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toBe('The SLTD snapshot broke the protocol at line 2: `record.source` is not the source asked for');
    stillOld();
  });

  it.each([
    ['a number where the document number goes', { documentNumber: 898902, issuingState: 'UTO' }, '`record.document.documentNumber` must be a string'],
    ['no document at all', undefined, '`record.document` must be an object'],
  ])('when a record has %s', async (_, document, problem) => {
    await before();
    const record = { ...passport('SLTD-100', 'P00000100'), document } as unknown as OfflineRecord;
    const error = await refusal(store.apply('SLTD', snapshot('SLTD', [upsert(record)], 1)));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toBe(`The SLTD snapshot broke the protocol at line 1: ${problem}`);
    stillOld();
  });

  it('when a line follows the end line', async () => {
    await before();
    async function* trailing(): AsyncGenerator<SnapshotChange | SnapshotEnd> {
      yield* snapshot('SLTD', [upsert(passport('SLTD-100', 'P00000100'))], 1);
      yield upsert(passport('SLTD-101', 'P00000101'));
    }
    const error = await refusal(store.apply('SLTD', trailing()));
    expect(error.message).toMatch(/line 3: a line after the end line/);
    stillOld();
  });

  it('and the next snapshot applies over it', async () => {
    await before();
    async function* broken(): AsyncGenerator<SnapshotChange | SnapshotEnd> {
      yield upsert(passport('SLTD-100', 'P00000100'));
      throw new Error('cut');
    }
    await refusal(store.apply('SLTD', broken()));
    await store.apply('SLTD', snapshot('SLTD', [upsert(passport('SLTD-100', 'P00000100'))], 21, { full: false, cursor: 'new' }));
    expect(find('SLTD', doc('P00000100'))).toEqual(['SLTD-100']);
    expect(store.state('SLTD')).toMatchObject({ cursor: 'new', recordCount: 21 });
  });
});

describe('lookups during a sync', () => {
  it.each([true, false])('see the previous copy until the snapshot is whole (full: %s)', async (full) => {
    await store.apply('SLTD', snapshot('SLTD', passports(10).map(upsert), 10, { cursor: 'old' }));
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let reachedPause!: () => void;
    const atPause = new Promise<void>((resolve) => (reachedPause = resolve));
    async function* slow(): AsyncGenerator<SnapshotChange | SnapshotEnd> {
      for (const record of passports(9000, 100)) yield upsert(record);
      yield remove('SLTD', 'SLTD-3');
      reachedPause();
      await paused;
      yield end('SLTD', { changes: 9001, recordCount: full ? 9000 : 9009, full });
    }
    const applying = store.apply('SLTD', slow());
    await atPause;
    expect(find('SLTD', doc('P00000003'))).toEqual(['SLTD-3']);
    expect(find('SLTD', doc('P00000105'))).toEqual([]);
    // A second snapshot of the same source meanwhile is refused, not interleaved.
    const second = await refusal(store.apply('SLTD', snapshot('SLTD', [], 0)));
    expect(second).toBeInstanceOf(StoreError);
    expect((second as StoreError).code).toBe('STORE_BUSY');
    release();
    await applying;
    expect(find('SLTD', doc('P00000003'))).toEqual([]);
    expect(find('SLTD', doc('P00000105'))).toEqual(['SLTD-105']);
    expect(find('SLTD', doc('P00000004'))).toEqual(full ? [] : ['SLTD-4']);
  });

  it('refuse, as busy, a sync that would move a copy another store on the file moved since it began', async () => {
    await store.apply('SLTD', snapshot('SLTD', passports(10).map(upsert), 10, { cursor: 'one' }));
    const other = open(files.path);
    try {
      let release!: () => void;
      const paused = new Promise<void>((resolve) => (release = resolve));
      async function* slow(): AsyncGenerator<SnapshotChange | SnapshotEnd> {
        yield upsert(passport('SLTD-50', 'P00000050'));
        await paused;
        yield end('SLTD', { changes: 1, recordCount: 1, cursor: 'slow' });
      }
      const first = store.apply('SLTD', slow());
      await other.apply('SLTD', snapshot('SLTD', [remove('SLTD', 'SLTD-1')], 9, { full: false, cursor: 'two' }));
      release();
      const error = await refusal(first);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('STORE_BUSY');
      expect(store.state('SLTD')).toMatchObject({ cursor: 'two', recordCount: 9 });
      expect(find('SLTD', doc('P00000050'))).toEqual([]);
      expect(find('SLTD', doc('P00000002'))).toEqual(['SLTD-2']);
    } finally {
      other.close();
    }
  });

  it('see the copy another process moved, on the table set it moved to', async () => {
    const other = open(files.path);
    try {
      await store.apply('SLTD', snapshot('SLTD', passports(5).map(upsert), 5));
      expect(find('SLTD', doc('P00000001'), other)).toEqual(['SLTD-1']);
      await store.apply('SLTD', snapshot('SLTD', passports(5, 10).map(upsert), 5));
      expect(find('SLTD', doc('P00000001'), other)).toEqual([]);
      expect(find('SLTD', doc('P00000011'), other)).toEqual(['SLTD-11']);
      await store.apply('SLTD', snapshot('SLTD', [remove('SLTD', 'SLTD-11')], 4, { full: false }));
      expect(find('SLTD', doc('P00000011'), other)).toEqual([]);
    } finally {
      other.close();
    }
  });
});

describe('the re-screen queue', () => {
  const entry = (requestId: string, checkedAt: number) => ({
    requestId,
    checkedAt,
    context: { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' as const },
    subjects: [doc('L898902C3')],
    sources: ['SLTD' as const],
    offlineHits: [],
  });

  it('keeps checks, hands them out oldest first from the window on, and never again once settled', () => {
    store.keepForRescreen(entry('r-3', 3000));
    store.keepForRescreen(entry('r-1', 1000));
    store.keepForRescreen(entry('r-2', 2000));
    const due = store.rescreenDue(1500, 10);
    expect(due.map((e) => e.requestId)).toEqual(['r-2', 'r-3']);
    expect(due[0]).toMatchObject({ ...entry('r-2', 2000), id: expect.any(String) });
    expect(store.rescreenDue(0, 1).map((e) => e.requestId)).toEqual(['r-2']);
    store.settleRescreen(due[0]!.id);
    expect(store.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-3']);
  });

  it('names every group apart, kept in one millisecond or with a clock before 1970 or not a number, and settles each by its id', () => {
    // A group's name begins with the time it was sealed (rescreen.ts, groupName): one millisecond holds many groups.
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_750_000_000_000);
    try {
      const ids = Array.from({ length: 500 }, (_, i) => store.keepForRescreen(entry(`r-${i}`, 5000 + i)));
      now.mockReturnValue(-86_400_000);
      ids.push(store.keepForRescreen(entry('r-before-1970', 6000)));
      now.mockReturnValue(Number.NaN);
      ids.push(store.keepForRescreen(entry('r-no-clock', 7000)));
      expect(new Set(ids).size).toBe(502);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}\.0$/);
      expect(store.rescreenDue(0, 1000).map((e) => e.id)).toEqual(ids);
      for (const id of ids.slice(0, 250)) store.settleRescreen(id);
      store.settleRescreen(ids[500]!);
      store.settleRescreen(ids[501]!);
      expect(store.rescreenDue(0, 1000).map((e) => e.id)).toEqual(ids.slice(250, 500));
    } finally {
      now.mockRestore();
    }
  });

  it('drops the checks made before the window: they are not re-screened, nor kept', () => {
    store.keepForRescreen(entry('r-1', 1000));
    expect(store.rescreenDue(2000, 10)).toEqual([]);
    expect(store.rescreenDue(0, 10)).toEqual([]);
  });

  it('keeps its checks across a reopen', () => {
    store.keepForRescreen(entry('r-1', 1000));
    store.close();
    store = open(files.path);
    expect(store.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-1']);
  });

  it('keeps several checks in one commit, all or none, and names the one it refuses', () => {
    const ids = store.keepManyForRescreen([entry('r-1', 1000), entry('r-2', 2000), entry('r-3', 3000)]);
    expect(new Set(ids).size).toBe(3);
    expect(store.rescreenDue(0, 10).map((e) => [e.id, e.requestId])).toEqual([
      [ids[0], 'r-1'],
      [ids[1], 'r-2'],
      [ids[2], 'r-3'],
    ]);
    const error = thrown(() => store.keepManyForRescreen([entry('r-4', 4000), { ...entry('r-5', 5000), checkedAt: Number.NaN }]));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toEqual([{ path: 'entries[1].checkedAt', message: 'must be a time in epoch milliseconds' }]);
    expect(store.rescreenDue(0, 10)).toHaveLength(3);
  });

  it('gives every check a new id, from two stores on one file at once too', () => {
    const other = open(files.path);
    try {
      const ids = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? store : other).keepForRescreen(entry(`r-${i}`, 1000)));
      expect(new Set(ids).size).toBe(50);
      expect(store.rescreenDue(0, 100)).toHaveLength(50);
    } finally {
      other.close();
    }
  });

  it('moves the checks kept by a store of layout 1 (a row each, sealed to its own id) into this layout when it opens, none lost', () => {
    store.close();
    // A layout 1 file, as borderlink wrote it before its checks were sealed in groups.
    const raw = new Database(files.path);
    const keys = new StoreKeys(KEYS.hmacKey, KEYS.encryptionKey);
    raw.exec(`DROP TABLE rescreen; DROP TABLE rescreen_groups;
      CREATE TABLE rescreen (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, checked_at INTEGER NOT NULL, payload BLOB NOT NULL) STRICT;
      CREATE INDEX rescreen_checked ON rescreen (checked_at, seq);`);
    const insert = raw.prepare('INSERT INTO rescreen (id, checked_at, payload) VALUES (?, ?, ?)');
    for (const [id, e] of [['a1b2', entry('r-2', 2000)], ['c3d4', entry('r-1', 1000)], ['e5f6', entry('r-3', 3000)]] as const) {
      insert.run(id, e.checkedAt, keys.seal('rescreen', Buffer.from(id), JSON.stringify(e)));
    }
    raw.prepare("UPDATE meta SET value = 1 WHERE name = 'schemaVersion'").run();
    raw.close();

    store = open(files.path);
    const due = store.rescreenDue(0, 10);
    expect(due.map((e) => e.requestId)).toEqual(['r-1', 'r-2', 'r-3']);
    expect(due[0]).toMatchObject({ ...entry('r-1', 1000), id: expect.any(String) });
    store.settleRescreen(due[0]!.id);
    expect(store.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-2', 'r-3']);
    expect(store.checkIntegrity()).toEqual({ ok: true, problems: [] });
    const after = new Database(files.path, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE name = 'schemaVersion'").pluck().get()).toBe(SCHEMA_VERSION);
    expect(after.prepare("SELECT name FROM sqlite_schema WHERE name = 'rescreen_v1'").get()).toBeUndefined();
    after.close();
  });

  it('settles one check of a group alone, and drops the group with its last one', () => {
    const ids = store.keepManyForRescreen([entry('r-1', 1000), entry('r-2', 2000)]);
    const groups = () => {
      const raw = new Database(files.path, { readonly: true });
      try {
        return raw.prepare('SELECT count(*) FROM rescreen_groups').pluck().get();
      } finally {
        raw.close();
      }
    };
    expect(groups()).toBe(1);
    store.settleRescreen(ids[0]!);
    expect(store.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-2']);
    expect(groups()).toBe(1);
    store.settleRescreen(ids[1]!);
    store.settleRescreen('not an id');
    expect(store.rescreenDue(0, 10)).toEqual([]);
    expect(groups()).toBe(0);
    // Past the window: the entries go, and their group with them.
    store.keepManyForRescreen([entry('r-3', 1000), entry('r-4', 1000)]);
    expect(store.rescreenDue(5000, 10)).toEqual([]);
    expect(groups()).toBe(0);
  });

  it('refuses a limit it cannot honour, by name', () => {
    const error = thrown(() => store.rescreenDue(0, 0));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toEqual([{ path: 'limit', message: 'must be an integer from 1 to 10000' }]);
  });
});

describe('the outbox', () => {
  const write = (idempotencyKey: string, queuedAt = 1000) => ({
    idempotencyKey,
    kind: 'report' as const,
    path: '/v1/reports',
    body: JSON.stringify({ context: { operatorId: 'officer-0042' }, report: { documentNumber: 'L898902C3' } }),
    queuedAt,
  });

  it('queues writes in order, once per idempotency key, and lists them with their attempts', () => {
    store.outbox.enqueue(write('k-2', 2000));
    store.outbox.enqueue(write('k-1', 1000));
    // The same write again: nothing changes. Another write under the key: refused, as the gateway would refuse it.
    store.outbox.enqueue(write('k-2', 3000));
    expect(thrown(() => store.outbox.enqueue({ ...write('k-2', 3000), body: '{"changed":true}' }))).toBeInstanceOf(ConflictError);
    store.outbox.attempted('k-2');
    store.outbox.attempted('k-2');
    const listed = store.outbox.pending();
    expect(listed).toEqual([
      { ...write('k-2', 2000), attempts: 2, position: expect.any(Number) },
      { ...write('k-1', 1000), attempts: 0, position: expect.any(Number) },
    ]);
    expect(listed[1]!.position).toBeGreaterThan(listed[0]!.position);
    expect(store.outbox.pending(1).map((e) => e.idempotencyKey)).toEqual(['k-2']);
  });

  it('survives a reopen: a queued write is on the disk when enqueue returns', () => {
    store.outbox.enqueue(write('k-1'));
    // A second connection reads the file, not this one's memory.
    const other = open(files.path);
    expect(other.outbox.pending().map((e) => e.idempotencyKey)).toEqual(['k-1']);
    other.close();
  });

  it('lets a delivered or rejected write leave the queue, and queues its key again, at the end, when it is queued again', () => {
    store.outbox.enqueue(write('k-1'));
    store.outbox.enqueue(write('k-2'));
    store.outbox.enqueue(write('k-3'));
    store.outbox.delivered('k-1');
    store.outbox.rejected('k-2', 'NOT_ISSUER');
    store.outbox.attempted('k-1');
    expect(store.outbox.pending().map((e) => e.idempotencyKey)).toEqual(['k-3']);
    // A caller told QUEUED must hear of the write again: queued anew, behind what waits, its attempts from 0.
    store.outbox.enqueue(write('k-2'));
    store.outbox.enqueue(write('k-1'));
    store.outbox.enqueue(write('k-3'));
    expect(store.outbox.pending().map((e) => [e.idempotencyKey, e.attempts])).toEqual([['k-3', 0], ['k-2', 0], ['k-1', 0]]);
    for (const k of ['k-1', 'k-2']) store.outbox.delivered(k);
    // Marks for keys never queued do nothing.
    store.outbox.delivered('k-unknown');
    expect(store.outbox.pending().map((e) => e.idempotencyKey)).toEqual(['k-3']);
  });

  it('refuses an entry without a key, naming the field', () => {
    const error = thrown(() => store.outbox.enqueue({ ...write('k'), idempotencyKey: '' }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]?.path).toBe('entry.idempotencyKey');
  });
});

describe('opening a store', () => {
  it('refuses other keys on reopen with a ConfigError naming the key, never a store that finds nothing', async () => {
    await store.apply('SLTD', snapshot('SLTD', passports(3).map(upsert), 3));
    store.close();
    const hmac = thrown(() => open(files.path, { hmacKey: otherKey(), encryptionKey: KEYS.encryptionKey }));
    expect(hmac).toBeInstanceOf(ConfigError);
    expect(hmac.message).toBe('openOfflineStore: option `hmacKey` is not the key this store was created with: the keys do not match this store');
    const aes = thrown(() => open(files.path, { hmacKey: KEYS.hmacKey, encryptionKey: otherKey() }));
    expect(aes).toBeInstanceOf(ConfigError);
    expect(aes.message).toBe('openOfflineStore: option `encryptionKey` is not the key this store was created with: the keys do not match this store');
    store = open(files.path);
    expect(find('SLTD', doc('P00000001'))).toEqual(['SLTD-1']);
  });

  it.each([
    [{ path: 'x.db', hmacKey: KEYS.hmacKey, encryptionKey: KEYS.encryptionKey, cacheSize: 1 }, 'openOfflineStore: option `cacheSize` is not known'],
    [{ path: 'x.db', hmacKey: KEYS.hmacKey }, 'openOfflineStore: option `encryptionKey` is required'],
    [{ path: 'x.db', hmacKey: Buffer.alloc(31, 1), encryptionKey: KEYS.encryptionKey }, 'openOfflineStore: option `hmacKey` must be 32 bytes (an HMAC-SHA256 key)'],
    [{ path: 'x.db', hmacKey: 'L898902C3L898902C3L898902C3L8989', encryptionKey: KEYS.encryptionKey }, 'openOfflineStore: option `hmacKey` must be a Uint8Array (a Buffer) of 32 random bytes'],
    [{ path: 'x.db', hmacKey: KEYS.hmacKey, encryptionKey: KEYS.hmacKey }, 'openOfflineStore: option `encryptionKey` must not be the same key as `hmacKey`'],
    [{ path: ':memory:', ...KEYS }, 'openOfflineStore: option `path` must be a file path (an in-memory or URI database is not durable)'],
    [{ path: '', ...KEYS }, 'openOfflineStore: option `path` must be a file path'],
    [{ path: 7, ...KEYS }, 'openOfflineStore: option `path` must be a string'],
    [null, 'openOfflineStore: the options must be an object'],
  ])('refuses options by name, never by value: %j', (options, message) => {
    const error = thrown(() => openOfflineStore(options as never));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });

  it('refuses a file that is not SQLite, and a SQLite file that is not a store', () => {
    writeFileSync(`${files.dir}/text.db`, 'L898902C3 '.repeat(1000));
    expect(thrown(() => open(`${files.dir}/text.db`)).message).toBe('openOfflineStore: option `path` is not a SQLite file');
    const other = new Database(`${files.dir}/other.db`);
    other.exec('CREATE TABLE t (x)');
    other.close();
    expect(thrown(() => open(`${files.dir}/other.db`)).message).toBe('openOfflineStore: option `path` is a SQLite file that is not a borderlink offline store');
    expect(thrown(() => open(`${files.dir}/missing/folder/x.db`)).message).toBe('openOfflineStore: option `path` is in a folder that does not exist');
    expect(thrown(() => open(files.dir)).message).toBe('openOfflineStore: option `path` names a file SQLite cannot open or create (SQLITE_CANTOPEN)');
  });

  it('refuses a store written by a newer layout', () => {
    store.close();
    const raw = new Database(files.path);
    raw.prepare("UPDATE meta SET value = ? WHERE name = 'schemaVersion'").run(SCHEMA_VERSION + 1);
    raw.close();
    expect(thrown(() => (store = open(files.path))).message).toContain(
      `option \`path\` is a store of a newer borderlink (layout ${SCHEMA_VERSION + 1}; this version reads layout ${SCHEMA_VERSION})`,
    );
    const back = new Database(files.path);
    back.prepare("UPDATE meta SET value = ? WHERE name = 'schemaVersion'").run(SCHEMA_VERSION);
    back.close();
    store = open(files.path);
  });

  it('leaves the file in WAL mode (synchronous = FULL is a setting of the connection, not of the file)', () => {
    const raw = new Database(files.path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('says what to install when better-sqlite3 is not installed', () => {
    const missing = (name: string) => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
    };
    const error = thrown(() => loadSqlite(missing));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('openOfflineStore: the offline store needs better-sqlite3, an optional peer dependency of borderlink: npm install better-sqlite3@12');
    const broken = () => {
      throw Object.assign(new Error("Cannot find module 'bindings'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(thrown(() => loadSqlite(broken)).message).toMatch(/better-sqlite3 is installed but could not be loaded/);
  });

  it('refuses every call once closed, with a ConfigError', async () => {
    store.close();
    expect(thrown(() => store.lookup('SLTD', 'x'))).toBeInstanceOf(ConfigError);
    expect(thrown(() => store.outbox.pending())).toBeInstanceOf(ConfigError);
    expect(await refusal(store.apply('SLTD', snapshot('SLTD', [], 0)))).toBeInstanceOf(ConfigError);
    store.close();
    store = open(files.path);
  });

  it('refuses an unknown source with an InputError naming the argument', () => {
    const error = thrown(() => store.lookup('INTERPOL' as Source, 'x'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]?.path).toBe('source');
  });
});

describe('a changed file', () => {
  it('answers a record moved to another row with an error, never as the record of that row', async () => {
    await store.apply('SLTD', snapshot('SLTD', [upsert(passport('S-1', 'AAAA00001')), upsert(passport('S-2', 'BBBB00002'))], 2));
    const raw = new Database(files.path);
    const table = raw.prepare("SELECT name FROM sqlite_schema WHERE name GLOB 'v_[0-9]*' AND type = 'table'").pluck().get() as string;
    const [a, b] = raw.prepare(`SELECT id, payload FROM ${table} ORDER BY id`).raw().all() as [number, Buffer][];
    raw.prepare(`UPDATE ${table} SET payload = ? WHERE id = ?`).run(b![1], a![0]);
    raw.close();
    const error = thrown(() => find('SLTD', doc('AAAA00001')));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_UNREADABLE');
  });
});
