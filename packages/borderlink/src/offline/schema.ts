// The layout of the store's file. What is readable in it: table names, counts, times, cursors and the shape of the
// indexes. Everything that came from a record, a query or a report is a keyed hash or a sealed payload.
//
// The copy of a source lives in one table set (`v_N` versions, `k_N` lookup keys, `d_N` deaths), named by a number
// drawn from `meta.nextTable`, and `copies.epoch` says which set is the copy. A snapshot streams into a new set
// nobody reads (`staging` says whose it is), in short transactions, so nothing waits on a sync and a kill leaves only
// a set to drop. A full snapshot's set, once indexed, becomes the copy in one update of `copies`; a delta is merged
// into the copy's set as versions born in the next generation, with deaths of the versions they replace, and
// `copies.gen` moving to that generation makes the whole delta visible at once. Lookups go through one view per copy
// (`lookup_<copy id>`), moved to the new set in the same transaction as `copies`; the view reads `copies.gen` in the
// same statement, so a lookup sees one committed generation of one set, whichever process moved it.
import type { Source } from '../queries/types';
import { SOURCES } from '../queries/values';

/**
 * The layout version this code writes and reads. A file with a higher one was written by a newer borderlink; one with
 * a lower one is moved to this one when it is opened (2: the re-screen queue sealed in groups).
 */
export const SCHEMA_VERSION = 2;

/** `copies.id` of each source: fixed, so a lookup never has to look it up. */
export const COPY_IDS: ReadonlyMap<Source, number> = new Map(SOURCES.map((source, i) => [source, i + 1]));

/**
 * The re-screen queue (see rescreen.ts): groups of entries sealed together, and a row per entry, named by its group
 * and its place in it. A group is named with 96 random bits when it is sealed (before it is written: a store may hold it
 * in memory while another process writes), so no name is used twice, nor an entry id: a client holds an entry's id
 * while it re-screens it, and must not settle another's. A few pages written per commit, whatever it keeps.
 */
export const RESCREEN_SCHEMA = `
CREATE TABLE rescreen_groups (grp TEXT PRIMARY KEY, payload BLOB NOT NULL) STRICT;
CREATE TABLE rescreen (grp TEXT NOT NULL, idx INTEGER NOT NULL, checked_at INTEGER NOT NULL, PRIMARY KEY (grp, idx)) STRICT, WITHOUT ROWID;
CREATE INDEX rescreen_checked ON rescreen (checked_at);
`;

export const CREATE_SCHEMA = `
CREATE TABLE meta (name TEXT PRIMARY KEY, value ANY NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE copies (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL UNIQUE,
  epoch INTEGER,
  gen INTEGER NOT NULL DEFAULT 0,
  max_id INTEGER NOT NULL DEFAULT 0,
  cursor TEXT,
  data_as_of TEXT,
  synced_at TEXT,
  record_count INTEGER NOT NULL DEFAULT 0,
  writer TEXT,
  writer_beat INTEGER
) STRICT;
CREATE TABLE staging (
  tbl INTEGER PRIMARY KEY,
  copy INTEGER NOT NULL,
  writer TEXT NOT NULL,
  beat INTEGER NOT NULL
) STRICT;
${RESCREEN_SCHEMA}
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  ikey BLOB NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
  queued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  payload BLOB NOT NULL
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
`;

/** The tables of one table set. Names are built from an integer only. */
export interface TableSet {
  readonly n: number;
  /** `(id, rid, born, keys, payload)`: one row per version of a record; `payload` NULL for a staged delete. */
  readonly versions: string;
  /** `(k, id)`: the lookup keys of each version. */
  readonly keys: string;
  /** `(id, died)`: the generation from which a version no longer counts. */
  readonly deaths: string;
}

export function tableSet(n: number): TableSet {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('a table set number is a positive integer');
  return { n, versions: `v_${n}`, keys: `k_${n}`, deaths: `d_${n}` };
}

/** The number of a table set from one of its table names, or `undefined` for another table. */
export function tableSetOf(name: string): number | undefined {
  const match = /^[vkd]_(\d+)$/.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/** The view a copy is looked up through. */
export const lookupView = (copy: number): string => `lookup_${Math.trunc(copy)}`;

/**
 * The view of a copy onto table set `t`: the visible versions (born by the copy's generation, not dead by it) by
 * lookup key. With no set, a view of nothing. Named columns only: the planner flattens it into the lookup, so a key
 * that is not there costs one seek in the key index.
 */
export function createLookupView(copy: number, t: TableSet | undefined): string {
  const view = lookupView(copy);
  const body =
    t === undefined
      ? 'SELECT NULL AS k, NULL AS rid, NULL AS payload WHERE 0'
      : `SELECT k.k AS k, r.rid AS rid, r.payload AS payload FROM ${t.keys} k CROSS JOIN ${t.versions} r CROSS JOIN copies s
         WHERE r.id = k.id AND s.id = ${Math.trunc(copy)} AND r.born <= s.gen AND r.payload IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ${t.deaths} d WHERE d.id = r.id AND d.died <= s.gen)`;
  return `DROP VIEW IF EXISTS ${view}; CREATE VIEW ${view} AS ${body};`;
}

/** A set being staged: versions only, appended in stream order, no index (so appending costs no index upkeep). */
export const createStaging = (t: TableSet): string =>
  `CREATE TABLE ${t.versions} (id INTEGER PRIMARY KEY, rid BLOB NOT NULL, born INTEGER NOT NULL, keys BLOB NOT NULL, payload BLOB) STRICT`;
