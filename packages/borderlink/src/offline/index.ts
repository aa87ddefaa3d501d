/**
 * `borderlink/offline`: the offline copy of the sources, the checks kept for re-screening and the durable outbox,
 * on one SQLite file through the optional peer dependency `better-sqlite3` (`npm install better-sqlite3@12`). Start
 * with {@link openOfflineStore}. Importing `borderlink` loads nothing of this entry point, nor SQLite.
 * @module borderlink/offline
 */
export { openOfflineStore } from './store';
export type { IntegrityReport, SqliteOfflineStore } from './store';
export type { OfflineStoreOptions } from './options';
