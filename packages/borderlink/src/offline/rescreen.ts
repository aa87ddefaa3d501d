// The checks answered from the copy, kept to be sent again online ("delayed hit"). Each entry holds a query and who
// made it, so it is sealed; only when it was made is readable, to find what is due.
//
// The checks kept together (those of one turn of the client's event loop) are sealed together, in one group: sealing
// costs a cipher set up per payload, several times what writing an entry costs, and checks answered from the copy come
// in bursts. Each entry is a row of its own (`rescreen`: its group, its place in it, when it was made; its id is
// `group.place`, the group named when it is sealed: its time, then random bits), so it is handed out and settled alone; a group goes
// when its last entry does. A settled entry's query stays sealed in its group until then: at most the re-screening
// window, as a deleted row's bytes stay in SQLite's free pages until they are reused.
//
// A group is sealed before it is written, and named then: a store keeps a group in memory, sealed, while another
// process holds the file's write lock, and its entries' ids are given at once.
import { randomBytes } from 'node:crypto';
import { InputError, StoreError } from '../errors/index';
import type { RescreenEntry } from '../stores/types';
import type { StoreKeys } from './crypto';
import { writeTransaction, type SqliteDatabase, type SqliteStatement } from './driver';

/** The most entries one call to `rescreenDue` hands out. */
export const MAX_RESCREEN_BATCH = 10_000;
/** The most entries sealed in one group: a group is opened whole to hand out any of its entries. */
const GROUP_ENTRIES = 128;

const refuse = (path: string, message: string) => new InputError(`${path} ${message}`, [{ path, message }]);
const unreadable = () =>
  new StoreError("A check kept for re-screening does not open under the store's keys: the file was changed or damaged", { code: 'STORE_UNREADABLE' });

/**
 * A new group's name: the time in milliseconds (12 hex digits), then 48 random bits (12 hex digits), so names of one
 * millisecond differ, across processes too. Names in time order add a commit's rows at the end of the queue's two
 * B-trees (both are keyed by the group): random names put them on a random page of each, and a commit of 64 kept
 * checks cost 680-900 µs of CPU against about 510 µs in time order (better-sqlite3, a queue of 100,000 entries). The
 * time says no more than `checked_at` beside it; past 2^48 ms it wraps, and names stay apart by their random half.
 */
function groupName(): string {
  // A clock that is not a number (a broken or mocked one) names the group as at 0: a name that is not 24 hex digits
  // would be handed out and never settle.
  const now = Date.now();
  const ms = Number.isFinite(now) ? Math.max(0, Math.trunc(now)) : 0;
  return ms.toString(16).padStart(12, '0').slice(-12) + randomBytes(6).toString('hex');
}

/** What a group binds its sealed payload to: its name. */
const groupKey = (grp: string): Buffer => Buffer.from(`group ${grp}`);
/**
 * An entry's id: its group's name (24 hex digits: see groupName) and its place, written as `idsOf` writes it (no leading
 * zero): one entry, one text, so an id of another shape (`….01` beside `….1`) never settles an entry it was not given for.
 */
const ENTRY_ID = /^([0-9a-f]{24})\.(0|[1-9][0-9]{0,2})$/;
/** The latest and earliest time a Date holds, the bound of a kept check's time (it is an INTEGER column). @unit milliseconds */
const MAX_TIME_MS = 8.64e15;

type Kept = Omit<RescreenEntry, 'id'>;

/** An entry's group and place, from its id; `undefined` for text that names no entry. @internal */
export function entryPlace(id: unknown): [grp: string, place: number] | undefined {
  const at = typeof id === 'string' ? ENTRY_ID.exec(id) : null;
  const place = at === null ? GROUP_ENTRIES : Number(at[2]);
  return place < GROUP_ENTRIES ? [at![1]!, place] : undefined;
}

/** Checks kept together, sealed and named, as their rows hold them. @internal */
export interface KeptGroup {
  readonly grp: string;
  readonly sealed: Buffer;
  /** When each entry was made, by its place in the group (epoch ms, whole). */
  readonly checkedAt: readonly number[];
  /** The places of entries settled before the group was written: not written. */
  settled?: Set<number>;
}

/** The ids of the entries of sealed groups, in order. @internal */
export function idsOf(groups: readonly KeptGroup[]): string[] {
  const ids: string[] = [];
  for (const group of groups) for (let i = 0; i < group.checkedAt.length; i++) ids.push(`${group.grp}.${i}`);
  return ids;
}

/** The re-screen queue on one connection. @internal */
export class RescreenQueue {
  readonly #db: SqliteDatabase;
  readonly #keys: StoreKeys;
  readonly #insertGroup: SqliteStatement;
  readonly #insertEntry: SqliteStatement;
  readonly #group: SqliteStatement;
  readonly #expire: SqliteStatement;
  readonly #due: SqliteStatement;
  readonly #settle: SqliteStatement;
  readonly #dropGroup: SqliteStatement;
  readonly #writeAll: (groups: readonly KeptGroup[]) => void;
  readonly #removed: (removing: SqliteStatement, ...args: (string | number)[]) => void;

  constructor(db: SqliteDatabase, keys: StoreKeys) {
    this.#db = db;
    this.#keys = keys;
    this.#insertGroup = db.prepare('INSERT INTO rescreen_groups (grp, payload) VALUES (?, ?)');
    this.#insertEntry = db.prepare('INSERT INTO rescreen (grp, idx, checked_at) VALUES (?, ?, ?)');
    this.#group = db.prepare('SELECT payload FROM rescreen_groups WHERE grp = ?').pluck();
    this.#expire = db.prepare('DELETE FROM rescreen WHERE checked_at < ? RETURNING grp').pluck();
    this.#due = db.prepare('SELECT grp, idx FROM rescreen WHERE checked_at >= ? ORDER BY checked_at, grp, idx LIMIT ?').raw();
    this.#settle = db.prepare('DELETE FROM rescreen WHERE grp = ? AND idx = ? RETURNING grp').pluck();
    this.#dropGroup = db.prepare('DELETE FROM rescreen_groups WHERE grp = ? AND NOT EXISTS (SELECT 1 FROM rescreen WHERE grp = ?)');
    this.#writeAll = writeTransaction(db, (groups: readonly KeptGroup[]) => this.#write(groups));
    // Entries removed (settled, or past the window), and the groups they leave empty with them.
    this.#removed = writeTransaction(db, (removing: SqliteStatement, ...args: (string | number)[]) => {
      for (const grp of new Set(removing.all(...args) as string[])) this.#dropGroup.run(grp, grp);
    });
  }

  keep(entry: Kept): string {
    return this.keepMany([entry])[0]!;
  }

  /** Keeps the entries in one commit, all or none; their ids in order. */
  keepMany(entries: readonly Kept[]): string[] {
    const groups = this.seal(entries);
    this.write(groups);
    return idsOf(groups);
  }

  /** Entries checked as input and sealed in groups, named, ready for {@link RescreenQueue.write}. */
  seal(entries: readonly Kept[]): KeptGroup[] {
    if (!Array.isArray(entries)) throw refuse('entries', 'must be a list');
    const kept = entries.map((entry, i) => checked(entry, entries.length === 1 ? 'entry' : `entries[${i}]`));
    const groups: KeptGroup[] = [];
    for (let from = 0; from < kept.length; from += GROUP_ENTRIES) {
      const group = kept.slice(from, from + GROUP_ENTRIES);
      const grp = groupName();
      groups.push({ grp, sealed: this.#keys.seal('rescreen', groupKey(grp), jsonOf(group, entries.length === 1 ? 'entry' : 'entries')), checkedAt: group.map((e) => Math.trunc(e.checkedAt)) });
    }
    return groups;
  }

  /** Writes sealed groups in one commit, all or none. */
  write(groups: readonly KeptGroup[]): void {
    // Kept once per check answered offline, so it must not wait for the disk (a full sync costs milliseconds a
    // commit): committed to the WAL, it survives the process being killed; only a power cut before the next full sync
    // (any outbox write, any sync's last step, a checkpoint) can lose it, and never leaves the file broken.
    if (this.#db.inTransaction) return this.#write(groups);
    // Through pragma() each time, never a prepared statement run again: SQLite applies a setting when its statement
    // is prepared, so a kept one may change nothing when it runs.
    this.#db.pragma('synchronous = NORMAL');
    try {
      this.#writeAll(groups);
    } finally {
      this.#db.pragma('synchronous = FULL');
    }
  }

  #write(groups: readonly KeptGroup[]): void {
    for (const group of groups) {
      const settled = group.settled;
      if (settled !== undefined && settled.size === group.checkedAt.length) continue;
      this.#insertGroup.run(group.grp, group.sealed);
      for (let i = 0; i < group.checkedAt.length; i++) {
        if (settled === undefined || !settled.has(i)) this.#insertEntry.run(group.grp, i, group.checkedAt[i]!);
      }
    }
  }

  due(since: number, limit: number): RescreenEntry[] {
    if (typeof since !== 'number' || !Number.isFinite(since)) throw refuse('since', 'must be a time in epoch milliseconds');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_RESCREEN_BATCH) throw refuse('limit', `must be an integer from 1 to ${MAX_RESCREEN_BATCH}`);
    // Checked before the window: no longer to be re-screened, so not to be kept either.
    this.#removed(this.#expire, Math.trunc(since));
    const groups = new Map<string, unknown[]>();
    return (this.#due.all(Math.trunc(since), limit) as [string, number][]).map(([grp, idx]) => {
      let group = groups.get(grp);
      if (group === undefined) {
        const payload = this.#group.get(grp) as Buffer | undefined;
        const text = payload === undefined ? undefined : this.#keys.open('rescreen', groupKey(grp), payload);
        const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
        if (!Array.isArray(parsed)) throw unreadable();
        groups.set(grp, (group = parsed));
      }
      const entry = group[idx] as Kept | undefined;
      if (typeof entry !== 'object' || entry === null) throw unreadable();
      return { id: `${grp}.${idx}`, ...entry };
    });
  }

  settle(id: string): void {
    if (typeof id !== 'string') throw refuse('id', 'must be a string');
    // Ids are `group.place`; any other text names no entry.
    const at = entryPlace(id);
    if (at === undefined) return;
    this.#removed(this.#settle, at[0], at[1]);
  }
}

/** The JSON of entries to seal; a value JSON cannot write (a BigInt, a cycle) is an InputError naming `path`. */
function jsonOf(kept: readonly Kept[], path: string): string {
  try {
    return JSON.stringify(kept);
  } catch {
    throw refuse(path, 'must hold only what JSON can write (no BigInt, no cycle)');
  }
}

/** An entry as it is kept, checked as input (`path` names it in the error): its fields only. */
function checked(entry: Kept, path: string): Kept {
  if (typeof entry !== 'object' || entry === null) throw refuse(path, 'must be an object');
  // A time past a Date's range is no time, and SQLite refuses it in the INTEGER column: refused here, never sealed into
  // a group that cannot be written (one such group waiting held up every check kept after it).
  if (typeof entry.checkedAt !== 'number' || !(Math.abs(entry.checkedAt) <= MAX_TIME_MS)) throw refuse(`${path}.checkedAt`, 'must be a time in epoch milliseconds');
  if (typeof entry.requestId !== 'string') throw refuse(`${path}.requestId`, 'must be a string');
  for (const name of ['subjects', 'sources', 'offlineHits'] as const) {
    if (!Array.isArray(entry[name])) throw refuse(`${path}.${name}`, 'must be a list');
  }
  if (typeof entry.context !== 'object' || entry.context === null) throw refuse(`${path}.context`, 'must be an object');
  return {
    requestId: entry.requestId,
    checkedAt: entry.checkedAt,
    context: entry.context,
    subjects: entry.subjects,
    sources: entry.sources,
    offlineHits: entry.offlineHits,
  };
}

/**
 * Moves the re-screen queue of a layout 1 file (an entry a row, sealed to a random id of its own) into groups, within
 * the caller's transaction: each entry opened under its old id and kept again, in the order it was kept, with the time
 * it was made (`createNew` makes the new tables). An entry that does not open is a StoreError, and the transaction
 * leaves the file as it was.
 * @internal
 */
export function moveRescreenToGroups(db: SqliteDatabase, keys: StoreKeys, createNew: string): void {
  db.exec('ALTER TABLE rescreen RENAME TO rescreen_v1; DROP INDEX rescreen_checked;');
  db.exec(createNew);
  const page = db.prepare('SELECT seq, id, payload FROM rescreen_v1 WHERE seq > ? ORDER BY seq LIMIT ?').raw();
  const queue = new RescreenQueue(db, keys);
  for (let after = 0; ; ) {
    const rows = page.all(after, GROUP_ENTRIES) as [number, string, Buffer][];
    if (rows.length === 0) break;
    queue.keepMany(
      rows.map(([, id, payload]) => {
        const text = keys.open('rescreen', Buffer.from(id), payload);
        if (text === undefined) throw unreadable();
        return JSON.parse(text) as Kept;
      }),
    );
    after = rows[rows.length - 1]![0];
  }
  db.exec('DROP TABLE rescreen_v1');
}
