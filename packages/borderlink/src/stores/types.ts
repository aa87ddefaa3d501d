/**
 * The contracts of the stores a client keeps on disk: the offline copy of the sources ({@link OfflineStore}) and the
 * durable outbox of writes ({@link OutboxStore}). The client uses them through these interfaces only; `borderlink/offline`
 * implements both on one SQLite file, and another store can be plugged in by implementing them.
 *
 * What crosses these interfaces is personal data (a record, a query, a report): a store keeps none of it readable at
 * rest. Lookup keys are keyed hashes, and what a hit shows, a query kept for re-screening and a queued write are
 * encrypted under keys the integrator provides.
 * @module
 */
import type { DocumentRecord, Notice, PersonRecord, QueryContext, Source, Subject, VehicleRecord } from '../queries/types';

/** Fields every record of the offline copy has. */
export interface OfflineRecordBase {
  /** The record's identifier in its source. */
  recordId: string;
  /**
   * The state that owns the record and confirms a hit. Descriptive, as in a hit: `undefined` when the snapshot's value
   * could not be read (the record is kept).
   */
  ownerCountry?: string;
  /** What the owner asks the officer to do, e.g. `SEIZE_DOCUMENT`. */
  actionToBeTaken?: string;
}

/**
 * One record of a source, as a snapshot carries it and the offline copy keeps it (encrypted): what a hit answered
 * from the copy shows. Its descriptive fields follow the check answer's records.
 */
export type OfflineRecord =
  | (OfflineRecordBase & { source: 'SLTD'; document: DocumentRecord })
  | (OfflineRecordBase & { source: 'TDAWN'; document: DocumentRecord; notice: Notice })
  | (OfflineRecordBase & { source: 'NOMINAL'; person: PersonRecord; notice: Notice })
  | (OfflineRecordBase & { source: 'SMV'; vehicle: VehicleRecord });

/** One line of a snapshot answer: a record added or changed, or a record removed. */
export type SnapshotChange =
  | { op: 'upsert'; record: OfflineRecord }
  | { op: 'delete'; source: Source; recordId: string };

/** The last line of a snapshot answer: where the copy stands once the lines before it are applied. */
export interface SnapshotEnd {
  op: 'end';
  source: Source;
  /** Opaque; sent back as `since` for the next delta. */
  cursor: string;
  /** When the source's data was last updated (ISO 8601). */
  dataAsOf: string;
  /** `true`: the lines replace the whole copy of the source; `false`: a delta over the copy at `since`. */
  full: boolean;
  /** The upsert and delete lines before this one. */
  changes: number;
  /** Records in the source once applied. */
  recordCount: number;
  /** For a full snapshot, `sha256:` and the hex SHA-256 of every line before this one, each with its `\n`. */
  contentHash?: string;
}

/** Where the copy of one source stands: the legal inventory of an offline copy. */
export interface SourceState {
  source: Source;
  /** The cursor of the last snapshot applied. */
  cursor: string;
  /** When the source's data was last updated, as its last snapshot said (ISO 8601). */
  dataAsOf: string;
  /** When the last snapshot was applied here (ISO 8601). */
  syncedAt: string;
  /** Records held. */
  recordCount: number;
}

/** Progress of applying one snapshot, for a progress bar. */
export interface ApplyProgress {
  source: Source;
  /** Lines applied so far. */
  changes: number;
}

/**
 * A check answered from the copy, kept for re-screening online when the link returns ("delayed hit"). Held encrypted:
 * it carries the query.
 */
export interface RescreenEntry {
  /** The store's own id of the entry. */
  id: string;
  /** The request id of the original check, as its audit event gave it. */
  requestId: string;
  /** When the original check was answered (epoch milliseconds). */
  checkedAt: number;
  context: QueryContext;
  subjects: Subject[];
  sources: Source[];
  /** The record ids the copy answered as hits, per source: an online hit on another record is a late hit. */
  offlineHits: { source: Source; recordId: string }[];
}

/**
 * The offline copy of the sources. Lookups are synchronous reads of the copy last committed: a snapshot being applied
 * is invisible until it is whole.
 */
export interface OfflineStore {
  /**
   * Applies one snapshot answer, read as it streams: the changes, then its end line. Nothing is visible until the end
   * line is read and the whole snapshot is committed in one step; if the stream fails, ends early, or is interrupted
   * (the process killed), the previous copy stays whole and usable. Memory stays bounded whatever the size.
   */
  apply(
    source: Source,
    lines: AsyncIterable<SnapshotChange | SnapshotEnd>,
    onProgress?: (progress: ApplyProgress) => void,
  ): Promise<SnapshotEnd>;
  /** The records of `source` whose lookup key is exactly `key` (see `offlineKeysOf`). Empty when none. */
  lookup(source: Source, key: string): OfflineRecord[];
  /** Where the copy of `source` stands; `undefined` when it was never synced. */
  state(source: Source): SourceState | undefined;
  /** Where every synced source stands. */
  inventory(): SourceState[];
  /**
   * Keeps a check answered offline, to re-screen it online; returns the entry's id. It must not wait on another
   * process's sync. The SQLite store commits it to its write-ahead log without waiting for the disk (a killed process
   * keeps it, a power cut may lose the last ones); while another process holds the file's write lock (a step of its
   * sync can take seconds), the entry waits in memory, sealed, and is written as soon as the lock is free or the store
   * closes (a process killed meanwhile loses it; one that ends on its own stays until they are written). Past 10,000
   * waiting entries a new one is refused at once (`STORE_BUSY`) rather than made to wait.
   */
  keepForRescreen(entry: Omit<RescreenEntry, 'id'>): string;
  /**
   * Keeps several checks at once, all or none (one commit for all: the SQLite store's way to keep many checks
   * answered offline in the time of one); returns their ids, in order. Optional: without it, the client keeps each with
   * {@link OfflineStore.keepForRescreen}, and so it does, each alone, when this throws.
   */
  keepManyForRescreen?(entries: readonly Omit<RescreenEntry, 'id'>[]): string[];
  /**
   * Checks kept for re-screening and not yet settled, oldest first, checked at or after `since` (epoch ms), at most
   * `limit` (1 to 10,000) of them. Those checked before `since` are past the re-screening window: the store drops
   * them (they are never due again, and a query is not kept longer than it is of use).
   */
  rescreenDue(since: number, limit: number): RescreenEntry[];
  /** The entry was re-screened online (or is past the window): it is never sent again. */
  settleRescreen(id: string): void;
  /**
   * Closes the file. The SQLite store first writes the checks that wait in memory for the write lock; when another
   * process still holds it past the busy timeout, it stays open and throws `STORE_BUSY` (close it again later).
   */
  close(): void;
}

/** A write the gateway could not take, queued on disk. */
export interface OutboxEntry {
  /** The write's idempotency key: the same on every replay. */
  idempotencyKey: string;
  /** What it is. */
  kind: 'report' | 'withdrawal';
  /** The request body's JSON (context included), exactly as it is sent on every replay. Held encrypted. */
  body: string;
  /** The path it is sent to. */
  path: string;
  /** When it was queued (epoch milliseconds). */
  queuedAt: number;
  /** Replays tried so far. */
  attempts: number;
  /**
   * Its place in the queue: a write queued later has a larger one, and a key queued again after it left the queue
   * gets a new one, at the end. What {@link OutboxStore.pending} pages by (a key cannot: it can move).
   */
  position: number;
}

/** The durable outbox: writes queued in order, each delivered once under its own idempotency key. */
export interface OutboxStore {
  /**
   * Queues a write; durable when it returns (committed with full sync). Queuing a key that is still pending with the
   * same write (kind, path and body) changes nothing; with another write it throws a `ConflictError`
   * (`IDEMPOTENCY_KEY_REUSED`), as the gateway would answer it: one key is one write. A key that left the queue
   * (delivered or rejected) is queued again, at the end, so a write answered `QUEUED` is always replayed (the gateway
   * answers a key it stored as a replay).
   */
  enqueue(entry: Omit<OutboxEntry, 'attempts' | 'position'>): void;
  /**
   * Queued writes not yet delivered nor rejected, oldest first: a page of at most `limit` of them, from the start of
   * the queue or after the position `after` (the {@link OutboxEntry.position} of the last write of the page before).
   * A queue longer than a page is read page by page; {@link OutboxStore.pendingCount} says how long it is. A write
   * delivered and queued again between two pages is listed again at its new place, and no write between is passed over.
   * @param limit - How many at most, 1 to 10,000. @default 1000
   * @param after - The position of the last write of the page before, an integer from 0 (an InputError otherwise).
   * @default the start of the queue
   */
  pending(limit?: number, after?: number): OutboxEntry[];
  /** How many writes are queued, not yet delivered nor rejected. */
  pendingCount(): number;
  /** A replay was tried and did not get an answer: counted. */
  attempted(idempotencyKey: string): void;
  /** The gateway stored it (or had stored it already): it leaves the queue. */
  delivered(idempotencyKey: string): void;
  /** The gateway refused it for good (a 4xx): it leaves the queue, with the code to show a person. */
  rejected(idempotencyKey: string, code: string): void;
}
