// The offline copy of the sources: snapshots applied, lookups answered. See schema.ts for the layout and why it is
// made so; the rules here are when each step may run and what it must check before the copy moves.
import { InputError, ProtocolError, StoreError } from '../errors/index';
import type { Source } from '../queries/types';
import { SOURCES } from '../queries/values';
import { offlineKeysOf } from '../stores/keys';
import type { ApplyProgress, OfflineRecord, SnapshotChange, SnapshotEnd, SourceState } from '../stores/types';
import { HASH_BYTES, type SealedRows, type StagedLines, type StoreKeys } from './crypto';
import { writeTransaction, type SqliteDatabase, type SqliteStatement } from './driver';
import { LineBatch, readLine, snapshotMismatch } from './records';
import { RowSealer } from './sealer';
import { COPY_IDS, createLookupView, createStaging, lookupView, tableSet, tableSetOf, type TableSet } from './schema';
import { endWriter, startWriter, writerAlive } from './writers';

/** Lines staged per transaction: appends only, so a larger batch buys little and holds the event loop longer. */
const STAGE_BATCH = 4096;
/**
 * Versions merged per transaction, in record id order. Every commit writes out each page of the record id index it
 * touched: a larger batch touches each page once for more rows (fewer bytes written per row), at the price of a
 * longer hold of the event loop (about 10 µs a row).
 */
const MERGE_BATCH = 16_384;
/** Dead versions removed per transaction when they are collected (about 30 µs each: a short hold of the event loop). */
const COLLECT_BATCH = 2048;
/** Rows a staging statement appends at once. */
const ROWS_PER_INSERT = 16;
const NO_KEYS = Buffer.alloc(0);

interface CopyRow {
  epoch: number | null;
  gen: number;
  max_id: number;
  cursor: string | null;
  data_as_of: string | null;
  synced_at: string | null;
  record_count: number;
  writer: string | null;
  writer_beat: number | null;
}

interface Staged {
  end: SnapshotEnd;
  changes: number;
  upserts: number;
  deletes: number;
  maxKeys: number;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `copies.id` of a source, or an InputError naming `source`. */
export function copyIdOf(source: unknown): number {
  const id = COPY_IDS.get(source as Source);
  if (id === undefined) {
    throw new InputError(`source must be one of ${SOURCES.join(', ')}`, [{ path: 'source', message: `must be one of ${SOURCES.join(', ')}` }]);
  }
  return id;
}

const busy = (source: Source, why: string) => new StoreError(`The ${source} copy is busy: ${why}`, { code: 'STORE_BUSY' });

/**
 * The statement that adds the lookup keys of the versions of `t` matching `where` (each `?` in it bound once per key
 * position) to its key table, in key order.
 */
function keysFrom(t: TableSet, maxKeys: number, where: string): string {
  const parts = Array.from({ length: maxKeys }, (_, i) => {
    const at = i * HASH_BYTES;
    return `SELECT substr(keys, ${at + 1}, ${HASH_BYTES}) AS k, id FROM ${t.versions} ${where === '' ? 'WHERE' : `${where} AND`} length(keys) > ${at}`;
  });
  return `INSERT INTO ${t.keys} (k, id) SELECT k, id FROM (${parts.join(' UNION ALL ')}) ORDER BY k, id`;
}

/** Each lookup key of a version, from its `keys` column (the hashes end to end). */
function* keyChunks(keys: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at + HASH_BYTES <= keys.length; at += HASH_BYTES) yield keys.subarray(at, at + HASH_BYTES);
}

interface StateRow {
  source: Source;
  cursor: string;
  data_as_of: string;
  synced_at: string;
  record_count: number;
}

const stateOf = (row: StateRow): SourceState => ({
  source: row.source,
  cursor: row.cursor,
  dataAsOf: row.data_as_of,
  syncedAt: row.synced_at,
  recordCount: row.record_count,
});

/** The offline copy on one connection. @internal */
export class OfflineCopy {
  readonly #db: SqliteDatabase;
  readonly #keys: StoreKeys;
  /**
   * The prepared lookup of each copy, on its view: when the view moves to another table set (here or in another
   * process), SQLite prepares the statement again before its next step, so it never reads a set that is not the copy.
   */
  readonly #lookups = new Map<Source, SqliteStatement>();
  /** Sources with a snapshot being applied by this store: a second one at once is refused. */
  readonly #applying = new Set<Source>();
  /** Each copy's collection of the versions its last delta made dead, running after the apply returned. */
  readonly #collecting = new Map<number, Promise<void>>();
  readonly #copyRow: SqliteStatement;
  readonly #states: SqliteStatement;
  readonly #state: SqliteStatement;

  constructor(db: SqliteDatabase, keys: StoreKeys) {
    this.#db = db;
    this.#keys = keys;
    this.#copyRow = db.prepare('SELECT epoch, gen, max_id, cursor, data_as_of, synced_at, record_count, writer, writer_beat FROM copies WHERE id = ?');
    this.#states = db.prepare('SELECT source, cursor, data_as_of, synced_at, record_count FROM copies WHERE epoch IS NOT NULL ORDER BY id');
    this.#state = db.prepare('SELECT source, cursor, data_as_of, synced_at, record_count FROM copies WHERE id = ? AND epoch IS NOT NULL');
  }

  lookup(source: Source, key: string): OfflineRecord[] {
    let statement = this.#lookups.get(source);
    if (statement === undefined) {
      const copy = copyIdOf(source);
      statement = this.#db.prepare(`SELECT rid, payload FROM ${lookupView(copy)} WHERE k = ?`).raw();
      this.#lookups.set(source, statement);
    }
    if (typeof key !== 'string') throw new InputError('key must be a string', [{ path: 'key', message: 'must be a string' }]);
    const rows = statement.all(this.#keys.hash(source, key)) as [Uint8Array, Uint8Array][];
    if (rows.length === 0) return [];
    const records: OfflineRecord[] = [];
    for (const [rid, payload] of rows) {
      const text = this.#keys.open('record', rid, payload);
      if (text === undefined) throw new StoreError(`A record of the ${source} copy does not open under the store's keys: the file was changed or damaged`, { code: 'STORE_UNREADABLE' });
      const record = JSON.parse(text) as OfflineRecord;
      // The key index is not sealed: a record is answered for a key only if it has that key itself.
      if (record.source === source && offlineKeysOf(record).includes(key)) records.push(record);
    }
    return records;
  }

  state(source: Source): SourceState | undefined {
    // Read once per source of every check answered from the copy: one row, not the inventory.
    const row = this.#state.get(copyIdOf(source)) as StateRow | undefined;
    return row === undefined ? undefined : stateOf(row);
  }

  inventory(): SourceState[] {
    return (this.#states.all() as StateRow[]).map(stateOf);
  }

  async apply(source: Source, lines: AsyncIterable<SnapshotChange | SnapshotEnd>, onProgress?: (progress: ApplyProgress) => void): Promise<SnapshotEnd> {
    const copy = copyIdOf(source);
    const iterable = lines as unknown as { [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown } | null;
    if (typeof iterable !== 'object' || iterable === null || (typeof iterable[Symbol.asyncIterator] !== 'function' && typeof iterable[Symbol.iterator] !== 'function')) {
      throw new InputError('lines must be an async iterable of snapshot lines', [{ path: 'lines', message: 'must be an async iterable' }]);
    }
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new InputError('onProgress must be a function', [{ path: 'onProgress', message: 'must be a function' }]);
    }
    if (this.#applying.has(source)) throw busy(source, 'a snapshot of it is being applied already');
    this.#applying.add(source);
    const writer = startWriter();
    try {
      await this.#collecting.get(copy);
      await this.#dropAbandoned();
      await this.#collect(copy);
      const start = this.#copyRow.get(copy) as CopyRow;
      const staging = this.#startStaging(copy, writer);
      let staged: Staged;
      try {
        staged = await this.#stage(staging, source, lines, onProgress, writer, start.gen + 1);
        if (staged.end.full || start.epoch === null) await this.#finishFull(staging, copy, source, start, staged, writer);
        else await this.#finishDelta(staging, copy, source, start, staged, writer);
      } catch (err) {
        this.#dropStaged(staging, writer);
        throw err;
      }
      await this.#afterMove(copy, start, staging);
      onProgress?.({ source, changes: staged.changes });
      return staged.end;
    } finally {
      endWriter(writer);
      this.#applying.delete(source);
    }
  }

  /**
   * After the copy moved: drop the set it left (a full snapshot's) or the delta's staged set, at once (disk and what
   * the set held are freed before the apply returns), then collect the versions the move made dead, after it returns
   * (they are dead to every lookup, and removing them costs more than the merge did). Never fails: what is left is
   * invisible, and the next apply drops and collects it again.
   */
  async #afterMove(copy: number, start: CopyRow, staging: TableSet): Promise<void> {
    try {
      for (const n of [start.epoch, staging.n]) {
        if (n === null) continue;
        await yieldToLoop();
        this.#dropSet(n);
      }
    } catch {
      return;
    }
    const collecting = this.#collect(copy).catch(() => undefined);
    this.#collecting.set(copy, collecting);
    void collecting.then(() => {
      if (this.#collecting.get(copy) === collecting) this.#collecting.delete(copy);
    });
  }

  /** A new table set registered as staged by `writer`. */
  #startStaging(copy: number, writer: string): TableSet {
    return writeTransaction(this.#db, () => {
      const n = (this.#db.prepare("SELECT value FROM meta WHERE name = 'nextTable'").pluck().get() as number) ?? 1;
      this.#db.prepare("UPDATE meta SET value = ? WHERE name = 'nextTable'").run(n + 1);
      const t = tableSet(n);
      this.#db.exec(createStaging(t));
      this.#db.prepare('INSERT INTO staging (tbl, copy, writer, beat) VALUES (?, ?, ?, ?)').run(n, copy, writer, Date.now());
      return t;
    })();
  }

  /**
   * Reads the lines into the staged set, in short transactions; nothing of it is visible to a lookup. From the second
   * batch on the lines are hashed and sealed in a worker thread (sealer.ts), a batch ahead of the writes here.
   */
  async #stage(
    t: TableSet,
    source: Source,
    lines: AsyncIterable<SnapshotChange | SnapshotEnd>,
    onProgress: ((progress: ApplyProgress) => void) | undefined,
    writer: string,
    born: number,
  ): Promise<Staged> {
    const write = this.#stagedWriter(t, source, writer, born);
    const sealer = new RowSealer(this.#keys);
    let end: SnapshotEnd | undefined;
    let changes = 0;
    let upserts = 0;
    let deletes = 0;
    let maxKeys = 0;
    let line = 0;
    let written = 0;
    let batches = 0;
    let batch = new LineBatch(source, STAGE_BATCH);
    // The batch the worker is sealing, written once the next one is handed to it.
    let sealing: Promise<SealedRows> | undefined;
    const writeRows = async (rows: SealedRows): Promise<void> => {
      written += this.#relaxed(() => write(rows));
      onProgress?.({ source, changes: written });
      await yieldToLoop();
    };
    // `more`: lines may follow. The first batch is sealed here; once it is full the worker starts, and warms up while
    // the next one is read (a small snapshot never starts it).
    const hand = async (lines: StagedLines, more: boolean): Promise<void> => {
      const rows = sealer.seal(lines);
      if (++batches === 1 && more) sealer.offload();
      // Awaited in turn; an apply that fails first must not leave it rejected unheard.
      if (rows instanceof Promise) rows.catch(() => undefined);
      const before = sealing;
      sealing = undefined;
      if (before !== undefined) await writeRows(await before);
      if (rows instanceof Promise) sealing = rows;
      else await writeRows(rows);
    };
    try {
      for await (const value of lines) {
        line += 1;
        if (end !== undefined) throw new ProtocolError(`The ${source} snapshot broke the protocol at line ${line}: a line after the end line`);
        const change = readLine(value, source, line);
        if (change.op === 'end') {
          end = change;
          continue;
        }
        changes += 1;
        if (change.op === 'upsert') upserts += 1;
        else deletes += 1;
        batch.add(change);
        if (batch.full) {
          if (batch.maxKeys > maxKeys) maxKeys = batch.maxKeys;
          await hand(batch.lines(), true);
          batch = new LineBatch(source, STAGE_BATCH);
        }
      }
      if (batch.maxKeys > maxKeys) maxKeys = batch.maxKeys;
      if (batch.size > 0) await hand(batch.lines(), false);
      if (sealing !== undefined) await writeRows(await sealing);
    } finally {
      await sealer.close();
    }
    if (end === undefined) throw snapshotMismatch(source, 'it ended before its end line');
    if (end.changes !== changes) throw snapshotMismatch(source, `its end line counts ${end.changes} changes and ${changes} came`);
    return { end, changes, upserts, deletes, maxKeys };
  }

  /**
   * The transaction that appends a batch of sealed rows to staged set `t` (several rows per statement: a statement
   * run costs about as much as the row it writes), after checking `writer` still holds it. Gives the rows written.
   */
  #stagedWriter(t: TableSet, source: Source, writer: string, born: number): (rows: SealedRows) => number {
    const columns = `INSERT INTO ${t.versions} (rid, born, keys, payload) VALUES `;
    const one = this.#db.prepare(`${columns}(?, ?, ?, ?)`);
    const many = this.#db.prepare(`${columns}${Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?)').join(', ')}`);
    const beat = this.#db.prepare('UPDATE staging SET beat = ? WHERE tbl = ? AND writer = ?');
    const values: unknown[] = new Array<unknown>(4 * ROWS_PER_INSERT);
    return writeTransaction(this.#db, ({ bytes, ends }: SealedRows): number => {
      if (beat.run(Date.now(), t.n, writer).changes !== 1) throw busy(source, 'another process took over its sync');
      const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const count = ends.length / 3;
      // Row i's id, keys and payload (null for a delete: a sealed payload is never empty) into values[at…at + 3].
      const put = (i: number, at: number): void => {
        const from = i === 0 ? 0 : ends[3 * i - 1]!;
        const keysAt = ends[3 * i]!;
        const payloadAt = ends[3 * i + 1]!;
        const to = ends[3 * i + 2]!;
        values[at] = all.subarray(from, keysAt);
        values[at + 1] = born;
        values[at + 2] = all.subarray(keysAt, payloadAt);
        values[at + 3] = to === payloadAt ? null : all.subarray(payloadAt, to);
      };
      let i = 0;
      for (; i + ROWS_PER_INSERT <= count; i += ROWS_PER_INSERT) {
        for (let j = 0; j < ROWS_PER_INSERT; j++) put(i + j, 4 * j);
        many.run(values);
      }
      for (; i < count; i++) {
        put(i, 0);
        one.run(values[0], values[1], values[2], values[3]);
      }
      return count;
    });
  }

  /** A full snapshot (or a first one): the staged set, indexed, becomes the copy. */
  async #finishFull(t: TableSet, copy: number, source: Source, start: CopyRow, staged: Staged, writer: string): Promise<void> {
    const alive = this.#db.prepare('UPDATE staging SET beat = ? WHERE tbl = ? AND writer = ?');
    const step = async (sql: string): Promise<void> => {
      if (alive.run(Date.now(), t.n, writer).changes !== 1) throw busy(source, 'another process took over its sync');
      this.#relaxed(() => this.#db.exec(sql));
      await yieldToLoop();
    };
    await step(`CREATE INDEX ${t.versions}_rid ON ${t.versions} (rid, id)`);
    // A record twice in one snapshot: its last line counts. A delete line: the record is not in the copy.
    const twice = this.#db.prepare(`SELECT EXISTS (SELECT 1 FROM ${t.versions} GROUP BY rid HAVING count(*) > 1)`).pluck().get() === 1;
    if (twice) await step(`DELETE FROM ${t.versions} WHERE EXISTS (SELECT 1 FROM ${t.versions} b WHERE b.rid = ${t.versions}.rid AND b.id > ${t.versions}.id)`);
    if (twice || staged.deletes > 0) await step(`DELETE FROM ${t.versions} WHERE payload IS NULL`);
    const count = twice || staged.deletes > 0 ? (this.#db.prepare(`SELECT count(*) FROM ${t.versions}`).pluck().get() as number) : staged.upserts;
    if (count !== staged.end.recordCount) throw snapshotMismatch(source, `its end line counts ${staged.end.recordCount} records and it holds ${count}`);
    await step(`CREATE TABLE ${t.keys} (k BLOB NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (k, id)) STRICT, WITHOUT ROWID`);
    // Sorted first, so the key index is written in order, once, rather than page by random page.
    if (staged.maxKeys > 0) await step(keysFrom(t, staged.maxKeys, ''));
    await step(`CREATE TABLE ${t.deaths} (id INTEGER PRIMARY KEY, died INTEGER NOT NULL) STRICT`);
    const maxId = (this.#db.prepare(`SELECT coalesce(max(id), 0) FROM ${t.versions}`).pluck().get() as number) ?? 0;
    writeTransaction(this.#db, () => {
      const now = this.#copyRow.get(copy) as CopyRow;
      if (now.epoch !== start.epoch || now.gen !== start.gen) throw busy(source, 'another sync moved the copy meanwhile');
      if (writerAlive(now.writer, now.writer_beat, Date.now())) throw busy(source, 'another process is merging a delta into it');
      if (this.#db.prepare('DELETE FROM staging WHERE tbl = ? AND writer = ?').run(t.n, writer).changes !== 1) throw busy(source, 'another process took over its sync');
      this.#db
        .prepare('UPDATE copies SET epoch = ?, gen = ?, max_id = ?, cursor = ?, data_as_of = ?, synced_at = ?, record_count = ?, writer = NULL, writer_beat = NULL WHERE id = ?')
        .run(t.n, start.gen + 1, maxId, staged.end.cursor, staged.end.dataAsOf, new Date().toISOString(), count, copy);
      this.#db.exec(createLookupView(copy, t));
    })();
  }

  /** A delta: merged into the copy's set as the next generation, which one update then makes the copy. */
  async #finishDelta(s: TableSet, copy: number, source: Source, start: CopyRow, staged: Staged, writer: string): Promise<void> {
    const live = tableSet(start.epoch as number);
    const born = start.gen + 1;
    writeTransaction(this.#db, () => {
      const now = this.#copyRow.get(copy) as CopyRow;
      if (now.epoch !== start.epoch || now.gen !== start.gen) throw busy(source, 'another sync moved the copy meanwhile');
      if (now.writer !== writer && writerAlive(now.writer, now.writer_beat, Date.now())) throw busy(source, 'another process is merging a delta into it');
      this.#db.prepare('UPDATE copies SET writer = ?, writer_beat = ? WHERE id = ?').run(writer, Date.now(), copy);
    })();
    const beat = this.#db.prepare('UPDATE copies SET writer_beat = ? WHERE id = ? AND writer = ?');
    const own = () => {
      if (beat.run(Date.now(), copy, writer).changes !== 1) throw busy(source, 'another process took over its sync');
    };
    try {
      await this.#rollBack(live, start, own);
      this.#relaxed(() => this.#db.exec(`CREATE INDEX ${s.versions}_rid ON ${s.versions} (rid, id)`));
      await yieldToLoop();
      const page = this.#db.prepare(`SELECT id, rid, keys, payload FROM ${s.versions} WHERE (rid, id) > (?, ?) ORDER BY rid, id LIMIT ?`).raw();
      // The record's living version, from the record id index alone (no read of the version's row).
      const current = this.#db
        .prepare(`SELECT v.id FROM ${live.versions} v WHERE v.rid = ? AND NOT EXISTS (SELECT 1 FROM ${live.deaths} d WHERE d.id = v.id) ORDER BY v.id DESC LIMIT 1`)
        .pluck();
      const insertVersion = this.#db.prepare(`INSERT INTO ${live.versions} (id, rid, born, keys, payload) VALUES (?, ?, ?, ?, ?)`);
      const insertDeath = this.#db.prepare(`INSERT INTO ${live.deaths} (id, died) VALUES (?, ?)`);
      // A version this merge added has no lookup keys yet: they are added after the merge.
      const removeAdded = this.#db.prepare(`DELETE FROM ${live.versions} WHERE id = ?`);
      let nextId = start.max_id + 1;
      let net = 0;
      let after: [Uint8Array, number] = [NO_KEYS, 0];
      const merge = writeTransaction(this.#db, (rows: unknown[][]) => {
        own();
        for (const [, rid, keys, payload] of rows as [number, Buffer, Buffer, Buffer | null][]) {
          const found = current.get(rid) as number | undefined;
          if (found !== undefined) {
            // A version this merge added (the record twice in the delta; its id is past the copy's) was never seen:
            // it goes. An older one dies with the generation the delta makes.
            if (found > start.max_id) removeAdded.run(found);
            else insertDeath.run(found, born);
            net -= 1;
          }
          if (payload !== null) {
            insertVersion.run(nextId, rid, born, keys, payload);
            nextId += 1;
            net += 1;
          }
        }
      });
      for (;;) {
        const rows = page.all(after[0], after[1], MERGE_BATCH) as unknown[][];
        if (rows.length === 0) break;
        this.#relaxed(() => merge(rows));
        const last = rows[rows.length - 1] as [number, Buffer];
        after = [last[1], last[0]];
        await yieldToLoop();
      }
      const count = start.record_count + net;
      if (count !== staged.end.recordCount) {
        throw snapshotMismatch(source, `its end line counts ${staged.end.recordCount} records and the copy would hold ${count} (the copy missed a change: take a full snapshot)`);
      }
      // The new versions' lookup keys, sorted first: the merge above went in record id order, which is random in the
      // key index; sorted, each page of it is written once. Invisible until the generation moves, like the rest.
      if (staged.maxKeys > 0) {
        own();
        this.#relaxed(() => this.#db.prepare(keysFrom(live, staged.maxKeys, 'WHERE id > ?')).run(...Array.from({ length: staged.maxKeys }, () => start.max_id)));
        await yieldToLoop();
      }
      writeTransaction(this.#db, () => {
        own();
        this.#db.prepare('DELETE FROM staging WHERE tbl = ? AND writer = ?').run(s.n, writer);
        const moved = this.#db
          .prepare('UPDATE copies SET gen = ?, max_id = ?, cursor = ?, data_as_of = ?, synced_at = ?, record_count = ?, writer = NULL, writer_beat = NULL WHERE id = ? AND gen = ?')
          .run(born, nextId - 1, staged.end.cursor, staged.end.dataAsOf, new Date().toISOString(), count, copy, start.gen);
        if (moved.changes !== 1) throw busy(source, 'another sync moved the copy meanwhile');
      })();
    } catch (err) {
      try {
        await this.#rollBack(live, start, own);
        this.#db.prepare('UPDATE copies SET writer = NULL, writer_beat = NULL WHERE id = ? AND writer = ?').run(copy, writer);
      } catch {
        // The next apply rolls it back: the versions are invisible until the copy's generation moves.
      }
      throw err;
    }
  }

  /** Deletes one version and its lookup keys. */
  #removeVersion(t: TableSet): (id: number, keys: Uint8Array) => void {
    const removeKey = this.#db.prepare(`DELETE FROM ${t.keys} WHERE k = ? AND id = ?`);
    const remove = this.#db.prepare(`DELETE FROM ${t.versions} WHERE id = ?`);
    return (id, keys) => {
      for (const k of keyChunks(keys)) removeKey.run(k, id);
      remove.run(id);
    };
  }

  /** Removes what a merge that did not finish left in the copy's set: versions past its generation, their deaths. */
  async #rollBack(t: TableSet, start: CopyRow, own: () => void): Promise<void> {
    const leftovers = this.#db.prepare(`SELECT id, keys FROM ${t.versions} WHERE id > ? ORDER BY id LIMIT ?`).raw();
    const removeVersion = this.#removeVersion(t);
    const batch = writeTransaction(this.#db, (rows: [number, Buffer][]) => {
      own();
      for (const [id, keys] of rows) removeVersion(id, keys);
    });
    for (;;) {
      const rows = leftovers.all(start.max_id, COLLECT_BATCH) as [number, Buffer][];
      if (rows.length === 0) break;
      this.#relaxed(() => batch(rows));
      await yieldToLoop();
    }
    this.#db.prepare(`DELETE FROM ${t.deaths} WHERE died > ?`).run(start.gen);
  }

  /**
   * Removes the versions of the copy that no generation from its current one on can see, a range of them per
   * transaction, each step one statement over the range (SQLite sorts what it removes, so each page is visited once).
   */
  async #collect(copy: number): Promise<void> {
    const row = this.#copyRow.get(copy) as CopyRow;
    if (row.epoch === null) return;
    const t = tableSet(row.epoch);
    const range = this.#db.prepare(`SELECT min(id), max(id) FROM (SELECT id FROM ${t.deaths} WHERE died <= ? AND id > ? ORDER BY id LIMIT ?)`).raw();
    const keysPerVersion = this.#db.prepare(
      `SELECT coalesce(max(length(v.keys)), 0) FROM ${t.deaths} d CROSS JOIN ${t.versions} v ON v.id = d.id WHERE d.id BETWEEN ? AND ? AND d.died <= ?`,
    ).pluck();
    // The statement removing the lookup key at each position of the versions' `keys`, made when first needed.
    const removeKeys: SqliteStatement[] = [];
    const removeKeysAt = (i: number): SqliteStatement =>
      (removeKeys[i] ??= this.#db.prepare(
        `DELETE FROM ${t.keys} WHERE (k, id) IN (SELECT substr(v.keys, ${i * HASH_BYTES + 1}, ${HASH_BYTES}), v.id FROM ${t.deaths} d CROSS JOIN ${t.versions} v ON v.id = d.id WHERE d.id BETWEEN ? AND ? AND d.died <= ? AND length(v.keys) > ${i * HASH_BYTES})`,
      ));
    const removeVersions = this.#db.prepare(`DELETE FROM ${t.versions} WHERE id IN (SELECT id FROM ${t.deaths} WHERE id BETWEEN ? AND ? AND died <= ?)`);
    const removeDeaths = this.#db.prepare(`DELETE FROM ${t.deaths} WHERE id BETWEEN ? AND ? AND died <= ?`);
    const batch = writeTransaction(this.#db, (low: number, high: number) => {
      const positions = Math.ceil((keysPerVersion.get(low, high, row.gen) as number) / HASH_BYTES);
      for (let i = 0; i < positions; i++) removeKeysAt(i).run(low, high, row.gen);
      removeVersions.run(low, high, row.gen);
      removeDeaths.run(low, high, row.gen);
    });
    for (let after = 0; this.#db.open; ) {
      const [low, high] = range.get(row.gen, after, COLLECT_BATCH) as [number | null, number | null];
      if (low === null || high === null) break;
      this.#relaxed(() => batch(low, high));
      after = high;
      await yieldToLoop();
    }
  }

  /** Drops the table sets nobody needs: neither a copy, nor staged by a writer that may still be writing. */
  async #dropAbandoned(): Promise<void> {
    const names = this.#db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
    const sets = new Set(names.map(tableSetOf).filter((n): n is number => n !== undefined));
    const staged = this.#db.prepare('SELECT tbl FROM staging').pluck().all() as number[];
    for (const n of new Set([...sets, ...staged])) {
      const dropped = writeTransaction(this.#db, () => {
        if (this.#db.prepare('SELECT 1 FROM copies WHERE epoch = ?').get(n) !== undefined) return false;
        const owner = this.#db.prepare('SELECT writer, beat FROM staging WHERE tbl = ?').get(n) as { writer: string; beat: number } | undefined;
        if (owner !== undefined && writerAlive(owner.writer, owner.beat, Date.now())) return false;
        this.#dropTables(n);
        this.#db.prepare('DELETE FROM staging WHERE tbl = ?').run(n);
        return true;
      })();
      if (dropped) await yieldToLoop();
    }
  }

  /** Drops our staged set, if it is still registered as ours. Never fails. */
  #dropStaged(t: TableSet, writer: string): void {
    try {
      writeTransaction(this.#db, () => {
        if (this.#db.prepare('DELETE FROM staging WHERE tbl = ? AND writer = ?').run(t.n, writer).changes === 1) this.#dropTables(t.n);
      })();
    } catch {
      // The next apply drops it as abandoned.
    }
  }

  #dropSet(n: number): void {
    writeTransaction(this.#db, () => {
      if (this.#db.prepare('SELECT 1 FROM copies WHERE epoch = ?').get(n) === undefined) this.#dropTables(n);
    })();
  }

  #dropTables(n: number): void {
    const t = tableSet(n);
    this.#relaxed(() => this.#db.exec(`DROP TABLE IF EXISTS ${t.keys}; DROP TABLE IF EXISTS ${t.deaths}; DROP TABLE IF EXISTS ${t.versions};`));
  }

  /**
   * Runs `work` with commits that do not wait for the disk. For the steps of a sync only: none of them is visible
   * until the copy moves, and that update, like every write of the queues, commits with a full sync. WAL keeps the
   * file whole either way; only the last unsynced steps can be lost to a power cut, and they are redone then.
   */
  #relaxed<T>(work: () => T): T {
    if (this.#db.inTransaction) return work();
    this.#db.pragma('synchronous = NORMAL');
    try {
      return work();
    } finally {
      this.#db.pragma('synchronous = FULL');
    }
  }
}
