// The durable outbox: writes the gateway could not take, in order, each under its own idempotency key. A queued
// write holds a report (a document number, who reported it), so it is sealed; the key is found by its keyed hash.
// A write that left the queue keeps a row without its body (its state, and a rejection's code, sealed) until the same
// key is queued again: then it is queued anew at the end, since the caller is told QUEUED and must hear of it again.
import { ConflictError, InputError, StoreError } from '../errors/index';
import type { OutboxEntry, OutboxStore } from '../stores/types';
import type { StoreKeys } from './crypto';
import { writeTransaction, type SqliteDatabase, type SqliteStatement } from './driver';

/** How many queued writes `pending()` lists when no limit is given. */
export const DEFAULT_PENDING_LIMIT = 1000;
/** The most one page of `pending()` holds: each is opened, its body held in memory. */
export const MAX_PENDING_LIMIT = 10_000;

const KINDS: readonly OutboxEntry['kind'][] = ['report', 'withdrawal'];
const refuse = (path: string, message: string) => new InputError(`${path} ${message}`, [{ path, message }]);
const text = (value: unknown, path: string): string => {
  if (typeof value !== 'string' || value === '') throw refuse(path, 'must be a non-empty string');
  return value;
};

/** What is sealed of a queued write. */
type Sealed = Pick<OutboxEntry, 'idempotencyKey' | 'kind' | 'body' | 'path'>;

const sameWrite = (a: Sealed, b: Sealed): boolean => a.kind === b.kind && a.path === b.path && a.body === b.body;
/** The refusal of another write under a key still queued: what the gateway would answer it. */
const keyReused = () =>
  new ConflictError('The idempotency key is queued already with another write (IDEMPOTENCY_KEY_REUSED)', { status: undefined });

/** The outbox on one connection. @internal */
export class SqliteOutbox implements OutboxStore {
  readonly #keys: StoreKeys;
  readonly #insert: SqliteStatement;
  readonly #dropLeft: SqliteStatement;
  readonly #queued: SqliteStatement;
  readonly #requeue: (ikey: Buffer, queuedAt: number, sealed: Sealed) => void;
  readonly #pending: SqliteStatement;
  readonly #pendingAfter: SqliteStatement;
  readonly #count: SqliteStatement;
  readonly #attempted: SqliteStatement;
  readonly #leave: SqliteStatement;
  readonly #guard: <T>(work: () => T) => T;

  constructor(db: SqliteDatabase, keys: StoreKeys, guard: <T>(work: () => T) => T) {
    this.#keys = keys;
    this.#guard = guard;
    this.#insert = db.prepare('INSERT INTO outbox (ikey, queued_at, payload) VALUES (?, ?, ?) ON CONFLICT (ikey) DO NOTHING');
    this.#dropLeft = db.prepare("DELETE FROM outbox WHERE ikey = ? AND state != 'pending'");
    this.#queued = db.prepare("SELECT payload FROM outbox WHERE ikey = ? AND state = 'pending'").pluck();
    this.#requeue = writeTransaction(db, (ikey: Buffer, queuedAt: number, sealed: Sealed) => {
      const pending = this.#queued.get(ikey) as Buffer | undefined;
      if (pending !== undefined) {
        if (!sameWrite(this.#open(ikey, pending), sealed)) throw keyReused();
        return;
      }
      this.#dropLeft.run(ikey);
      this.#insert.run(ikey, queuedAt, this.#keys.seal('outbox', ikey, JSON.stringify(sealed)));
    });
    this.#pending = db.prepare("SELECT seq, ikey, queued_at, attempts, payload FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?").raw();
    this.#pendingAfter = db.prepare("SELECT seq, ikey, queued_at, attempts, payload FROM outbox WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?").raw();
    this.#count = db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck();
    this.#attempted = db.prepare("UPDATE outbox SET attempts = attempts + 1 WHERE ikey = ? AND state = 'pending'");
    this.#leave = db.prepare("UPDATE outbox SET state = ?, payload = ? WHERE ikey = ? AND state = 'pending'");
  }

  enqueue(entry: Omit<OutboxEntry, 'attempts' | 'position'>): void {
    this.#guard(() => {
      if (typeof entry !== 'object' || entry === null) throw refuse('entry', 'must be an object');
      const sealed: Sealed = {
        idempotencyKey: text(entry.idempotencyKey, 'entry.idempotencyKey'),
        kind: entry.kind,
        body: text(entry.body, 'entry.body'),
        path: text(entry.path, 'entry.path'),
      };
      if (!KINDS.includes(entry.kind)) throw refuse('entry.kind', "must be 'report' or 'withdrawal'");
      if (typeof entry.queuedAt !== 'number' || !Number.isFinite(entry.queuedAt)) throw refuse('entry.queuedAt', 'must be a time in epoch milliseconds');
      const ikey = this.#ikey(sealed.idempotencyKey);
      // Committed with synchronous = FULL: on the disk when this returns. IMMEDIATE: it reads the queue before it
      // writes, and a deferred read that another process wrote past cannot become a write (SQLITE_BUSY, never waited).
      this.#requeue(ikey, Math.trunc(entry.queuedAt), sealed);
    });
  }

  pending(limit: number = DEFAULT_PENDING_LIMIT, after?: number): OutboxEntry[] {
    return this.#guard(() => {
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PENDING_LIMIT) throw refuse('limit', `must be an integer from 1 to ${MAX_PENDING_LIMIT}`);
      if (after !== undefined && !(Number.isSafeInteger(after) && after >= 0)) throw refuse('after', 'must be the position of a write listed before (an integer from 0)');
      const rows = (after === undefined ? this.#pending.all(limit) : this.#pendingAfter.all(after, limit)) as [number, Buffer, number, number, Buffer][];
      return rows.map(([seq, ikey, queuedAt, attempts, payload]) => {
        const sealed = this.#open(ikey, payload);
        return { idempotencyKey: sealed.idempotencyKey, kind: sealed.kind, body: sealed.body, path: sealed.path, queuedAt, attempts, position: seq };
      });
    });
  }

  pendingCount(): number {
    return this.#guard(() => this.#count.get() as number);
  }

  attempted(idempotencyKey: string): void {
    this.#guard(() => void this.#attempted.run(this.#ikey(text(idempotencyKey, 'idempotencyKey'))));
  }

  delivered(idempotencyKey: string): void {
    this.#guard(() => {
      const ikey = this.#ikey(text(idempotencyKey, 'idempotencyKey'));
      this.#leave.run('delivered', this.#keys.seal('outbox', ikey, '{}'), ikey);
    });
  }

  rejected(idempotencyKey: string, code: string): void {
    this.#guard(() => {
      const ikey = this.#ikey(text(idempotencyKey, 'idempotencyKey'));
      // The gateway's code is kept sealed: text of a code's shape can still be a document number.
      this.#leave.run('rejected', this.#keys.seal('outbox', ikey, JSON.stringify({ code: text(code, 'code') })), ikey);
    });
  }

  #open(ikey: Buffer, payload: Buffer): Sealed {
    const opened = this.#keys.open('outbox', ikey, payload);
    if (opened === undefined) throw new StoreError("A queued write does not open under the store's keys: the file was changed or damaged", { code: 'STORE_UNREADABLE' });
    return JSON.parse(opened) as Sealed;
  }

  #ikey(idempotencyKey: string): Buffer {
    return this.#keys.hash('outbox', idempotencyKey);
  }
}
