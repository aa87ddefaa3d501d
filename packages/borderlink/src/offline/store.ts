// openOfflineStore: one SQLite file for the copy, the re-screen queue and the outbox, opened, checked and wired.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BorderlinkError, ConfigError, StoreError } from '../errors/index';
import { optionError } from '../internal/options';
import type { Source } from '../queries/types';
import { SOURCES } from '../queries/values';
import type { ApplyProgress, OfflineRecord, OfflineStore, OutboxStore, RescreenEntry, SnapshotChange, SnapshotEnd, SourceState } from '../stores/types';
import { Checkpointer } from './checkpointer';
import { OfflineCopy } from './copy';
import { StoreKeys, sameBytes } from './crypto';
import { INSTALL_HINT, isSqliteError, loadSqlite, writeTransaction, type SqliteDatabase, type SqliteDatabaseConstructor } from './driver';
import { parseStoreOptions, type OfflineStoreOptions } from './options';
import { SqliteOutbox } from './outbox';
import { RescreenQueue, entryPlace, idsOf, moveRescreenToGroups, type KeptGroup } from './rescreen';
import { COPY_IDS, CREATE_SCHEMA, RESCREEN_SCHEMA, SCHEMA_VERSION, createLookupView } from './schema';

/** How long a write waits for another process's write to finish before it fails. @unit milliseconds */
const BUSY_TIMEOUT_MS = 5000;
/** How often checks kept while another process held the write lock are tried again. @unit milliseconds */
const KEPT_RETRY_MS = 100;
/** The most kept checks held in memory while the lock is taken; past it, keeping one is refused while the lock is held. */
const MAX_KEPT_WAITING = 10_000;
/** SQLite's page cache: the bound of what a sync holds in memory, whatever the snapshot's size. @unit KiB */
const CACHE_KIB = 65_536;
/** What SQLite leaves of the write-ahead log's file once it is written again from its beginning. @unit bytes */
const WAL_KEPT_BYTES = 8 * 1024 * 1024;
/** The text the keys are checked against when the file is opened again. */
const KEY_CHECK = 'borderlink offline store: key check v1';
const KEY_CHECK_ROW = Buffer.from('keyCheck');

/** What `PRAGMA integrity_check` found. */
export interface IntegrityReport {
  /** `true` when SQLite found the file whole. */
  ok: boolean;
  /** What SQLite found wrong (pages, indexes; never a value), empty when `ok`. */
  problems: string[];
}

/**
 * The SQLite offline store: the copy of the sources ({@link OfflineStore}) and, on the same file, the durable
 * outbox (`outbox`). Pass it to `createClient({ offline: { store }, outbox: store.outbox })`.
 */
export interface SqliteOfflineStore extends OfflineStore {
  /** The durable outbox, on the same file. */
  readonly outbox: OutboxStore;
  /** Keeps several checks answered offline in one commit, all or none; their ids, in order. */
  keepManyForRescreen(entries: readonly Omit<RescreenEntry, 'id'>[]): string[];
  /**
   * Runs SQLite's `PRAGMA integrity_check` over the whole file: for a health check, and after a crash.
   * @example
   * ```ts
   * if (!store.checkIntegrity().ok) alertOperator('the offline store is damaged: restore it or sync it afresh');
   * ```
   */
  checkIntegrity(): IntegrityReport;
}

/**
 * Opens (or creates) the offline store at `options.path`: the offline copy of the sources, the checks kept for
 * re-screening and the durable outbox, on one SQLite file through the optional peer dependency `better-sqlite3`
 * (`npm install better-sqlite3@12`). Nothing readable is kept: lookup keys are keyed hashes under `hmacKey`, and what
 * a hit shows, a kept check and a queued write are sealed with AES-256-GCM under `encryptionKey`. Opening a store
 * again with other keys is refused, never a store that silently finds nothing.
 *
 * The file is in WAL mode, every write of the queues is on the disk when its call returns (`synchronous = FULL`),
 * and a sync killed half way leaves the previous copy whole. Several processes may open the same file.
 * @throws {ConfigError} for a refused option (named, never its value), keys that do not match the store, a file that
 * is not a borderlink store, or a missing `better-sqlite3` (saying what to install).
 * @example
 * ```ts
 * import { createClient } from 'borderlink';
 * import { openOfflineStore } from 'borderlink/offline';
 *
 * const store = openOfflineStore({
 *   path: '/var/lib/border-lane/offline.db',
 *   hmacKey: Buffer.from(process.env.BORDERLINK_HMAC_KEY ?? '', 'base64'),
 *   encryptionKey: Buffer.from(process.env.BORDERLINK_ENCRYPTION_KEY ?? '', 'base64'),
 * });
 * console.log(store.inventory()); // when each source was last synced, its cursor, its record count
 * ```
 */
export function openOfflineStore(options: OfflineStoreOptions): SqliteOfflineStore {
  const checked = parseStoreOptions(options);
  return openWith(loadSqlite(), checked);
}

/** {@link openOfflineStore} on a given driver, once the options are checked. @internal */
export function openWith(Database: SqliteDatabaseConstructor, options: OfflineStoreOptions): SqliteOfflineStore {
  // better-sqlite3 refuses a missing folder with a TypeError of its own; say it as the option it is.
  if (!existsSync(dirname(resolve(options.path)))) throw optionError('openOfflineStore', 'path', 'is in a folder that does not exist');
  let db: SqliteDatabase;
  try {
    db = new Database(options.path, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    if (isSqliteError(err)) throw optionError('openOfflineStore', 'path', `names a file SQLite cannot open or create (${err.code})`);
    throw new ConfigError(`openOfflineStore: better-sqlite3 is installed but its native part did not load: rebuild it (npm rebuild better-sqlite3) or reinstall it (${INSTALL_HINT})`, { cause: err });
  }
  try {
    const keys = new StoreKeys(options.hmacKey, options.encryptionKey);
    prepareFile(db, keys);
    return new Store(db, keys, resolve(options.path));
  } catch (err) {
    db.close();
    if (isSqliteError(err)) {
      if (err.code === 'SQLITE_NOTADB') throw optionError('openOfflineStore', 'path', 'is not a SQLite file');
      throw new StoreError(`openOfflineStore: SQLite failed opening the store (${err.code})`, { code: 'STORE_FAILED', cause: err });
    }
    throw err;
  }
}

/** Sets the file's modes, creates the layout in a new file, and checks the version and the keys of an old one. */
function prepareFile(db: SqliteDatabase, keys: StoreKeys): void {
  if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') {
    throw optionError('openOfflineStore', 'path', 'is on a file system where SQLite cannot keep a write-ahead log');
  }
  db.pragma('synchronous = FULL');
  db.pragma(`cache_size = -${CACHE_KIB}`);
  // The log keeps the size it reached (an apply takes it to tens of megabytes) unless SQLite trims it when it starts
  // it again from its beginning.
  db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
  const hasMeta = () => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta()) {
    writeTransaction(db, () => {
      // Another process may have created it since we looked.
      if (hasMeta()) return;
      if ((db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number) > 0) {
        throw optionError('openOfflineStore', 'path', 'is a SQLite file that is not a borderlink offline store');
      }
      db.exec(CREATE_SCHEMA);
      const set = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)');
      set.run('schemaVersion', SCHEMA_VERSION);
      set.run('nextTable', 1);
      set.run('hmacCheck', keys.mac(KEY_CHECK));
      set.run('sealCheck', keys.seal('meta', KEY_CHECK_ROW, KEY_CHECK));
    })();
  }
  const meta = new Map((db.prepare('SELECT name, value FROM meta').raw().all() as [string, unknown][]).map(([name, value]) => [name, value]));
  const version = meta.get('schemaVersion');
  if (typeof version !== 'number') throw optionError('openOfflineStore', 'path', 'is a SQLite file that is not a borderlink offline store');
  if (version > SCHEMA_VERSION) {
    throw optionError('openOfflineStore', 'path', `is a store of a newer borderlink (layout ${version}; this version reads layout ${SCHEMA_VERSION}): upgrade borderlink`);
  }
  // The keys first: an upgrade opens what the file holds.
  checkKeys(meta, keys);
  if (version < SCHEMA_VERSION) upgrade(db, keys);
  if ((db.prepare('SELECT count(*) FROM copies').pluck().get() as number) < SOURCES.length) {
    // A source this version knows and the file does not yet (a new file, or one written before the source existed).
    const add = db.prepare('INSERT INTO copies (id, source) VALUES (?, ?) ON CONFLICT DO NOTHING');
    writeTransaction(db, () => {
      for (const [source, id] of COPY_IDS) {
        if (add.run(id, source).changes === 1) db.exec(createLookupView(id, undefined));
      }
    })();
  }
}

/** Refuses keys other than those the store was created with (a copy that silently finds nothing is a false clear). */
function checkKeys(meta: ReadonlyMap<string, unknown>, keys: StoreKeys): void {
  const hmacCheck = meta.get('hmacCheck');
  if (!(hmacCheck instanceof Uint8Array) || !sameBytes(hmacCheck, keys.mac(KEY_CHECK))) {
    throw optionError('openOfflineStore', 'hmacKey', 'is not the key this store was created with: the keys do not match this store');
  }
  const sealCheck = meta.get('sealCheck');
  if (!(sealCheck instanceof Uint8Array) || keys.open('meta', KEY_CHECK_ROW, sealCheck) !== KEY_CHECK) {
    throw optionError('openOfflineStore', 'encryptionKey', 'is not the key this store was created with: the keys do not match this store');
  }
}

/**
 * Moves a file of an older layout to this one, step by step, each in one transaction with the version it reaches (a
 * process killed half way leaves the file at the last step it finished). Another process may have moved it meanwhile.
 */
function upgrade(db: SqliteDatabase, keys: StoreKeys): void {
  const versionNow = db.prepare("SELECT value FROM meta WHERE name = 'schemaVersion'").pluck();
  const setVersion = db.prepare("UPDATE meta SET value = ? WHERE name = 'schemaVersion'");
  for (const [from, step] of UPGRADES) {
    writeTransaction(db, () => {
      if (versionNow.get() !== from) return;
      step(db, keys);
      setVersion.run(from + 1);
    })();
  }
}

/** Each layout's step to the next, by the version it starts from. */
const UPGRADES: readonly [number, (db: SqliteDatabase, keys: StoreKeys) => void][] = [[1, (db, keys) => moveRescreenToGroups(db, keys, RESCREEN_SCHEMA)]];

class Store implements SqliteOfflineStore {
  readonly #db: SqliteDatabase;
  readonly #copy: OfflineCopy;
  readonly #rescreen: RescreenQueue;
  readonly #checkpointer: Checkpointer;
  readonly outbox: OutboxStore;
  #closed = false;
  /**
   * Checks kept while another process held the file's write lock (a step of its sync can hold it for seconds): sealed,
   * in the order they were kept, written once the lock is free. A check's answer never waits on another's sync.
   */
  #keptWaiting: KeptGroup[] = [];
  /** The entries of the groups that wait. */
  #keptWaitingEntries = 0;
  #keptRetry: ReturnType<typeof setTimeout> | undefined;

  constructor(db: SqliteDatabase, keys: StoreKeys, path: string) {
    this.#db = db;
    this.#checkpointer = new Checkpointer(db, path);
    this.#copy = new OfflineCopy(db, keys);
    this.#rescreen = new RescreenQueue(db, keys);
    this.outbox = new SqliteOutbox(db, keys, (work) => this.#guard(work));
  }

  /** Runs `work` on the open file; a closed store and SQLite's own failures become our errors. */
  #guard<T>(work: () => T): T {
    if (this.#closed) throw new ConfigError('The offline store is closed');
    try {
      return work();
    } catch (err) {
      throw this.#translate(err);
    }
  }

  #translate(err: unknown): unknown {
    if (err instanceof BorderlinkError) return err;
    if (this.#closed) return new ConfigError('The offline store is closed');
    if (isSqliteError(err)) return new StoreError(`SQLite failed (${err.code})`, { code: 'STORE_FAILED', cause: err });
    return err;
  }

  lookup(source: Source, key: string): OfflineRecord[] {
    // The hot path of an offline check: the guard written out, without a closure per call.
    if (this.#closed) throw new ConfigError('The offline store is closed');
    try {
      return this.#copy.lookup(source, key);
    } catch (err) {
      throw this.#translate(err);
    }
  }

  async apply(source: Source, lines: AsyncIterable<SnapshotChange | SnapshotEnd>, onProgress?: (progress: ApplyProgress) => void): Promise<SnapshotEnd> {
    if (this.#closed) throw new ConfigError('The offline store is closed');
    try {
      return await this.#checkpointer.during(() => this.#copy.apply(source, lines, onProgress));
    } catch (err) {
      throw this.#translate(err);
    }
  }

  state(source: Source): SourceState | undefined {
    return this.#guard(() => this.#copy.state(source));
  }

  inventory(): SourceState[] {
    return this.#guard(() => this.#copy.inventory());
  }

  keepForRescreen(entry: Omit<RescreenEntry, 'id'>): string {
    return this.#keep([entry])[0]!;
  }

  keepManyForRescreen(entries: readonly Omit<RescreenEntry, 'id'>[]): string[] {
    return this.#keep(entries);
  }

  /** Seals the entries in groups and writes them, or holds them while another process has the write lock. */
  #keep(entries: readonly Omit<RescreenEntry, 'id'>[]): string[] {
    return this.#guard(() => {
      const groups = this.#rescreen.seal(entries);
      if (this.#keptWaitingEntries + entries.length > MAX_KEPT_WAITING) {
        // Memory is bounded: past it, a check is kept only if the lock is free now. Waiting for it would hold every
        // answer of the process (the wait is synchronous) for the busy timeout, per check, and then fail all the same.
        if (!this.#withoutWaiting(() => this.#rescreen.write([...this.#keptWaiting, ...groups]))) {
          throw new StoreError(
            `A check could not be kept for re-screening: ${this.#keptWaitingEntries} kept checks already wait for another process to let go of the store's write lock`,
            { code: 'STORE_BUSY' },
          );
        }
        this.#keptWaiting = [];
        this.#keptWaitingEntries = 0;
        return idsOf(groups);
      }
      const before = this.#keptWaiting.length;
      this.#keptWaiting.push(...groups);
      this.#keptWaitingEntries += entries.length;
      try {
        this.#writeKept();
      } catch (err) {
        // Nothing of this call is kept (all or none), and nothing of it is left to fail again the checks kept after it;
        // what waited before it waits on.
        this.#keptWaiting.splice(before);
        this.#keptWaitingEntries -= entries.length;
        throw err;
      }
      return idsOf(groups);
    });
  }

  /** Writes the kept checks that wait, unless another process holds the write lock: then they wait for the next try. */
  #writeKept(): void {
    if (this.#keptWaiting.length === 0 || this.#closed) return;
    const rows = this.#keptWaiting;
    if (!this.#withoutWaiting(() => this.#rescreen.write(rows))) {
      this.#retryKept(true);
      return;
    }
    this.#keptWaiting = [];
    this.#keptWaitingEntries = 0;
  }

  /**
   * Tries the kept checks again soon; every retry, however it ended, clears its own handle (one left set stopped the
   * retries for good). While another process holds the lock (`holdProcess`), the timer keeps the process alive, as
   * unsent data on a socket does: a command or a script whose work is done would otherwise end and lose checks whose
   * ids it was given. After a failure of another kind it does not: a store that cannot write must not keep a process
   * from ending; the checks are tried again at the next keep, the next look at what is due, and at close.
   */
  #retryKept(holdProcess: boolean): void {
    if (this.#keptRetry !== undefined || this.#closed) return;
    const timer = setTimeout(() => {
      this.#keptRetry = undefined;
      try {
        this.#writeKept();
      } catch {
        this.#retryKept(false);
      }
    }, KEPT_RETRY_MS);
    if (!holdProcess) timer.unref();
    this.#keptRetry = timer;
  }

  /** Runs a write that fails at once, rather than waiting, when another connection holds the lock. `false` then. */
  #withoutWaiting(write: () => void): boolean {
    if (this.#db.inTransaction) {
      write();
      return true;
    }
    // Through pragma() each time: SQLite applies busy_timeout when its statement is prepared, so a prepared one run
    // again changes nothing (keeping then waited out the whole timeout on another process's lock).
    this.#db.pragma('busy_timeout = 0');
    try {
      write();
      return true;
    } catch (err) {
      if (isSqliteError(err) && err.code.startsWith('SQLITE_BUSY')) return false;
      throw err;
    } finally {
      this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  rescreenDue(since: number, limit: number): RescreenEntry[] {
    return this.#guard(() => {
      this.#writeKept();
      return this.#rescreen.due(since, limit);
    });
  }

  settleRescreen(id: string): void {
    this.#guard(() => {
      const waiting = this.#waitingPlace(id);
      if (waiting === undefined) this.#rescreen.settle(id);
      else (waiting.group.settled ??= new Set()).add(waiting.place);
    });
  }

  /** The group that waits in memory holding the entry `id`, and its place there. */
  #waitingPlace(id: string): { group: KeptGroup; place: number } | undefined {
    const at = this.#keptWaiting.length === 0 ? undefined : entryPlace(id);
    const group = at === undefined ? undefined : this.#keptWaiting.find((g) => g.grp === at[0]);
    return group !== undefined && at![1] < group.checkedAt.length ? { group, place: at![1] } : undefined;
  }

  checkIntegrity(): IntegrityReport {
    return this.#guard(() => {
      const lines = this.#db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
      const problems = lines.map((line) => line.integrity_check).filter((line) => line !== 'ok');
      return { ok: problems.length === 0, problems };
    });
  }

  /**
   * @throws {StoreError} `STORE_BUSY` when checks kept for re-screening still wait for another process's write lock
   * past the busy timeout: the store stays open (and writes them once the lock is free), so close it again later.
   */
  close(): void {
    if (this.#closed) return;
    let lost: unknown;
    if (this.#keptWaiting.length > 0) {
      // What waits for the lock is written now, waiting for it as long as any write does.
      try {
        this.#rescreen.write(this.#keptWaiting);
        this.#keptWaiting = [];
        this.#keptWaitingEntries = 0;
      } catch (err) {
        // Checks whose ids were given are never dropped for a lock another process holds: the store stays open.
        if (isSqliteError(err) && err.code.startsWith('SQLITE_BUSY')) {
          throw new StoreError(
            `The offline store was not closed: ${this.#keptWaitingEntries} checks kept for re-screening wait for another process to let go of its write lock; close it again later`,
            { code: 'STORE_BUSY', cause: err },
          );
        }
        lost = err;
      }
    }
    if (this.#keptRetry !== undefined) clearTimeout(this.#keptRetry);
    this.#closed = true;
    this.#checkpointer.close();
    this.#db.close();
    if (lost !== undefined) {
      // The file is closed all the same (a disk that refuses writes may never take them): said, never silent.
      throw new StoreError(`The offline store was closed, and ${this.#keptWaitingEntries} checks kept for re-screening could not be written`, { code: 'STORE_FAILED', cause: lost });
    }
  }
}
