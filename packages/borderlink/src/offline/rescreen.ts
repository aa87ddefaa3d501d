// The checks answered from the copy, kept to be sent again online ("delayed hit"). Each entry holds a query and who
// made it, so it is sealed whole; only when it was made is readable, to find what is due.
import { randomBytes } from 'node:crypto';
import { InputError, StoreError } from '../errors/index';
import type { RescreenEntry } from '../stores/types';
import type { StoreKeys } from './crypto';
import type { SqliteDatabase, SqliteStatement, SqliteTransaction } from './driver';

/** The most entries one call to `rescreenDue` hands out. */
export const MAX_RESCREEN_BATCH = 10_000;

const refuse = (path: string, message: string) => new InputError(`${path} ${message}`, [{ path, message }]);

/** The re-screen queue on one connection. @internal */
export class RescreenQueue {
  readonly #keys: StoreKeys;
  readonly #insert: SqliteStatement;
  readonly #expire: SqliteStatement;
  readonly #due: SqliteStatement;
  readonly #settle: SqliteStatement;
  readonly #relax: SqliteStatement;
  readonly #tighten: SqliteStatement;
  readonly #insertAll: SqliteTransaction<(rows: readonly [string, number, Buffer][]) => void>;

  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase, keys: StoreKeys) {
    this.#db = db;
    this.#keys = keys;
    this.#insert = db.prepare('INSERT INTO rescreen (id, checked_at, payload) VALUES (?, ?, ?)');
    this.#relax = db.prepare('PRAGMA synchronous = NORMAL');
    this.#tighten = db.prepare('PRAGMA synchronous = FULL');
    this.#insertAll = db.transaction((rows: readonly [string, number, Buffer][]) => {
      for (const row of rows) this.#insert.run(...row);
    });
    this.#expire = db.prepare('DELETE FROM rescreen WHERE checked_at < ?');
    this.#due = db.prepare('SELECT id, payload FROM rescreen WHERE checked_at >= ? ORDER BY checked_at, seq LIMIT ?').raw();
    this.#settle = db.prepare('DELETE FROM rescreen WHERE id = ?');
  }

  keep(entry: Omit<RescreenEntry, 'id'>): string {
    return this.keepMany([entry])[0]!;
  }

  /** Keeps the entries in one commit, all or none; their ids in order. */
  keepMany(entries: readonly Omit<RescreenEntry, 'id'>[]): string[] {
    if (!Array.isArray(entries)) throw refuse('entries', 'must be a list');
    const rows = entries.map((entry, i) => this.#row(entry, entries.length === 1 ? 'entry' : `entries[${i}]`));
    // Kept once per check answered offline, so it must not wait for the disk (a full sync costs milliseconds a
    // commit): committed to the WAL, it survives the process being killed; only a power cut before the next full sync
    // (any outbox write, any sync's last step, a checkpoint) can lose it, and never leaves the file broken.
    if (this.#db.inTransaction) this.#insertAll(rows);
    else {
      this.#relax.run();
      try {
        this.#insertAll.immediate(rows);
      } finally {
        this.#tighten.run();
      }
    }
    return rows.map((row) => row[0]);
  }

  readonly #nonce = randomBytes(8).toString('hex');
  #counter = 0;
  /**
   * A new entry id: the time, this connection's random nonce and a counter, in hex, 32 characters. Ids of one
   * connection sort in the order they are made, so the unique index takes each on its last page: a random id cost a
   * random page of that index per entry, most of what keeping one cost.
   */
  #nextId(): string {
    this.#counter = (this.#counter + 1) >>> 0;
    return `${Date.now().toString(16).padStart(12, '0').slice(-12)}${this.#nonce.slice(0, 12)}${this.#counter.toString(16).padStart(8, '0')}`;
  }

  /** The row of an entry, checked as input (`path` names it in the error). */
  #row(entry: Omit<RescreenEntry, 'id'>, path: string): [string, number, Buffer] {
    if (typeof entry !== 'object' || entry === null) throw refuse(path, 'must be an object');
    if (typeof entry.checkedAt !== 'number' || !Number.isFinite(entry.checkedAt)) throw refuse(`${path}.checkedAt`, 'must be a time in epoch milliseconds');
    if (typeof entry.requestId !== 'string') throw refuse(`${path}.requestId`, 'must be a string');
    for (const name of ['subjects', 'sources', 'offlineHits'] as const) {
      if (!Array.isArray(entry[name])) throw refuse(`${path}.${name}`, 'must be a list');
    }
    if (typeof entry.context !== 'object' || entry.context === null) throw refuse(`${path}.context`, 'must be an object');
    const id = this.#nextId();
    const kept: Omit<RescreenEntry, 'id'> = {
      requestId: entry.requestId,
      checkedAt: entry.checkedAt,
      context: entry.context,
      subjects: entry.subjects,
      sources: entry.sources,
      offlineHits: entry.offlineHits,
    };
    return [id, Math.trunc(entry.checkedAt), this.#keys.seal('rescreen', Buffer.from(id), JSON.stringify(kept))];
  }

  due(since: number, limit: number): RescreenEntry[] {
    if (typeof since !== 'number' || !Number.isFinite(since)) throw refuse('since', 'must be a time in epoch milliseconds');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_RESCREEN_BATCH) throw refuse('limit', `must be an integer from 1 to ${MAX_RESCREEN_BATCH}`);
    // Checked before the window: no longer to be re-screened, so not to be kept either.
    this.#expire.run(Math.trunc(since));
    return (this.#due.all(Math.trunc(since), limit) as [string, Buffer][]).map(([id, payload]) => {
      const text = this.#keys.open('rescreen', Buffer.from(id), payload);
      if (text === undefined) throw new StoreError("A check kept for re-screening does not open under the store's keys: the file was changed or damaged", { code: 'STORE_UNREADABLE' });
      return { id, ...(JSON.parse(text) as Omit<RescreenEntry, 'id'>) };
    });
  }

  settle(id: string): void {
    if (typeof id !== 'string') throw refuse('id', 'must be a string');
    this.#settle.run(id);
  }
}
