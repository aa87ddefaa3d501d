// better-sqlite3 is an optional peer: it is loaded here, when a store is opened, and never when `borderlink` or even
// `borderlink/offline` is imported, so a user who does not install it loads nothing of it. It is CommonJS with a
// native part, so a synchronous require (from wherever this file was installed) is the way to load it.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../errors/index';

/** The better-sqlite3 constructor. @internal */
export type SqliteDatabaseConstructor = typeof BetterSqlite3;
/** An open better-sqlite3 connection. @internal */
export type SqliteDatabase = BetterSqlite3.Database;
/** A prepared better-sqlite3 statement. @internal */
export type SqliteStatement = BetterSqlite3.Statement<unknown[], unknown>;

/**
 * Every transaction of the store, made here: it begins IMMEDIATE, taking the write lock at its start (waiting out
 * another process's lock within the busy timeout). A deferred one that reads before it writes holds a snapshot, and
 * if another process commits meanwhile its first write fails with SQLITE_BUSY at once: no busy timeout can wait that
 * out. Every transaction of the store writes, so none is deferred. @internal
 */
export function writeTransaction<A extends unknown[], R>(db: SqliteDatabase, work: (...args: A) => R): (...args: A) => R {
  const transaction = db.transaction(work as (...args: unknown[]) => R);
  return (...args: A): R => {
    const result = transaction.immediate(...args);
    afterCommit.get(db)?.();
    return result;
  };
}

/** What runs after each write transaction a connection commits (see {@link onCommit}). */
const afterCommit = new WeakMap<SqliteDatabase, () => void>();

/** Runs `hook` after each write transaction `db` commits through {@link writeTransaction} (the store's checkpointer). @internal */
export function onCommit(db: SqliteDatabase, hook: () => void): void {
  afterCommit.set(db, hook);
}

/** What to tell a user who has not installed the driver. */
export const INSTALL_HINT = 'npm install better-sqlite3@12';

const isMissing = (err: unknown, name: string): boolean =>
  typeof err === 'object' &&
  err !== null &&
  ((err as { code?: unknown }).code === 'MODULE_NOT_FOUND' || (err as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') &&
  // A module better-sqlite3 itself needs (bindings, file-uri-to-path) missing is a broken install, not a missing peer.
  String((err as { message?: unknown }).message).includes(`'${name}'`);

/**
 * Loads better-sqlite3, or asks `load` for it (a test's stand-in for `require`).
 * @throws {ConfigError} saying what to install when it is not installed, and what to do when it does not load.
 * @internal
 */
export function loadSqlite(load?: (name: string) => unknown): SqliteDatabaseConstructor {
  let loaded: unknown;
  try {
    loaded = load === undefined ? requireDriver() : load('better-sqlite3');
  } catch (err) {
    if (isMissing(err, 'better-sqlite3')) {
      throw new ConfigError(`openOfflineStore: the offline store needs better-sqlite3, an optional peer dependency of borderlink: ${INSTALL_HINT}`);
    }
    throw new ConfigError(`openOfflineStore: better-sqlite3 is installed but could not be loaded: reinstall it (${INSTALL_HINT})`, { cause: err });
  }
  const constructor = (loaded as { default?: unknown }).default ?? loaded;
  if (typeof constructor !== 'function') {
    throw new ConfigError(`openOfflineStore: the module better-sqlite3 is not the driver this store needs: ${INSTALL_HINT}`);
  }
  return constructor as SqliteDatabaseConstructor;
}

/** Where better-sqlite3 is installed (resolved as {@link loadSqlite} loads it), for a worker thread to load it too. @internal */
export function driverPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('better-sqlite3');
}

/** better-sqlite3, resolved from where this file is installed (the user's node_modules). */
function requireDriver(): unknown {
  const require = createRequire(import.meta.url);
  return require('better-sqlite3');
}

/** Whether `err` is an error of SQLite itself (better-sqlite3's SqliteError), as opposed to one of ours. @internal */
export function isSqliteError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && err.name === 'SqliteError' && typeof (err as { code?: unknown }).code === 'string';
}
