// The checks answered from the copy, kept to be sent again online ("delayed hit"). Each entry holds a query and who
// made it, so it is sealed whole; only when it was made is readable, to find what is due.
import { randomBytes } from 'node:crypto';
import { InputError, StoreError } from '../errors/index';
import type { RescreenEntry } from '../stores/types';
import type { StoreKeys } from './crypto';
import type { SqliteDatabase, SqliteStatement } from './driver';

/** The most entries one call to `rescreenDue` hands out. */
export const MAX_RESCREEN_BATCH = 10_000;

const refuse = (path: string, message: string) => new InputError(`${path} ${message}`, [{ path, message }]);

/** A kept check, sealed, as its row holds it. @internal */
export interface KeptRow {
  readonly id: string;
  readonly checkedAt: number;
  readonly sealed: Buffer;
}

/** The re-screen queue on one connection. @internal */
export class RescreenQueue {
  readonly #keys: StoreKeys;
  readonly #insert: SqliteStatement;
  readonly #expire: SqliteStatement;
  readonly #due: SqliteStatement;
  readonly #settle: SqliteStatement;

  readonly #db: SqliteDatabase;
  readonly #writeAll: (rows: readonly KeptRow[]) => void;

  constructor(db: SqliteDatabase, keys: StoreKeys) {
    this.#db = db;
    this.#keys = keys;
    this.#insert = db.prepare('INSERT INTO rescreen (id, checked_at, payload) VALUES (?, ?, ?)');
    this.#writeAll = db.transaction((rows: readonly KeptRow[]) => {
      for (const row of rows) this.#insert.run(row.id, row.checkedAt, row.sealed);
    });
    this.#expire = db.prepare('DELETE FROM rescreen WHERE checked_at < ?');
    this.#due = db.prepare('SELECT id, payload FROM rescreen WHERE checked_at >= ? ORDER BY checked_at, seq LIMIT ?').raw();
    this.#settle = db.prepare('DELETE FROM rescreen WHERE id = ?');
  }

  keep(entry: Omit<RescreenEntry, 'id'>): string {
    const row = this.seal(entry);
    this.write([row]);
    return row.id;
  }

  /** An entry checked and sealed, as {@link RescreenQueue.write} writes it. */
  seal(entry: Omit<RescreenEntry, 'id'>): KeptRow {
    if (typeof entry !== 'object' || entry === null) throw refuse('entry', 'must be an object');
    if (typeof entry.checkedAt !== 'number' || !Number.isFinite(entry.checkedAt)) throw refuse('entry.checkedAt', 'must be a time in epoch milliseconds');
    if (typeof entry.requestId !== 'string') throw refuse('entry.requestId', 'must be a string');
    for (const name of ['subjects', 'sources', 'offlineHits'] as const) {
      if (!Array.isArray(entry[name])) throw refuse(`entry.${name}`, 'must be a list');
    }
    if (typeof entry.context !== 'object' || entry.context === null) throw refuse('entry.context', 'must be an object');
    const id = randomBytes(16).toString('hex');
    const kept: Omit<RescreenEntry, 'id'> = {
      requestId: entry.requestId,
      checkedAt: entry.checkedAt,
      context: entry.context,
      subjects: entry.subjects,
      sources: entry.sources,
      offlineHits: entry.offlineHits,
    };
    return { id, checkedAt: Math.trunc(entry.checkedAt), sealed: this.#keys.seal('rescreen', Buffer.from(id), JSON.stringify(kept)) };
  }

  /** Writes sealed entries, in one transaction. */
  write(rows: readonly KeptRow[]): void {
    // Kept once per check answered offline, so it must not wait for the disk (a full sync costs milliseconds a
    // commit): committed to the WAL, it survives the process being killed; only a power cut before the next full sync
    // (any outbox write, any sync's last step, a checkpoint) can lose it, and never leaves the file broken.
    const write = () => (rows.length === 1 ? void this.#insert.run(rows[0]!.id, rows[0]!.checkedAt, rows[0]!.sealed) : this.#writeAll(rows));
    if (this.#db.inTransaction) write();
    else {
      this.#db.pragma('synchronous = NORMAL');
      try {
        write();
      } finally {
        this.#db.pragma('synchronous = FULL');
      }
    }
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
