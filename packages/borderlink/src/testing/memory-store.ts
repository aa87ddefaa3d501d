// An offline copy and an outbox held in memory, for test harnesses: the same contracts as the SQLite store of
// `borderlink/offline`, with the same atomic apply, and nothing on disk (so nothing survives the process).
import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  InputError,
  ProtocolError,
  offlineKeysOf,
  type ApplyProgress,
  type OfflineRecord,
  type OfflineStore,
  type OutboxEntry,
  type OutboxStore,
  type RescreenEntry,
  type SnapshotChange,
  type SnapshotEnd,
  type Source,
  type SourceState,
} from 'borderlink';

/** The copy of one source: its records by id and by lookup key. */
class SourceCopy {
  readonly byId = new Map<string, OfflineRecord>();
  readonly byKey = new Map<string, Set<string>>();

  put(record: OfflineRecord): void {
    this.remove(record.recordId);
    this.byId.set(record.recordId, record);
    for (const key of offlineKeysOf(record)) {
      let ids = this.byKey.get(key);
      if (ids === undefined) this.byKey.set(key, (ids = new Set()));
      ids.add(record.recordId);
    }
  }

  remove(recordId: string): void {
    const old = this.byId.get(recordId);
    if (old === undefined) return;
    this.byId.delete(recordId);
    for (const key of offlineKeysOf(old)) this.byKey.get(key)?.delete(recordId);
  }

  clone(): SourceCopy {
    const copy = new SourceCopy();
    for (const r of this.byId.values()) copy.put(r);
    return copy;
  }
}

/** An in-memory offline copy, plus its outbox (`store.outbox`). */
export interface MemoryOfflineStore extends OfflineStore {
  readonly outbox: MemoryOutboxStore;
}

/** An in-memory outbox; `rejectedCodes` keeps what each rejected write was refused with, for assertions. */
export interface MemoryOutboxStore extends OutboxStore {
  readonly rejectedCodes: ReadonlyMap<string, string>;
}

/**
 * An offline copy and an outbox in memory, for tests and harnesses: the contracts of `openOfflineStore` from
 * `borderlink/offline` without a file (and without encryption: keep real data out of it). A snapshot is applied
 * atomically, as there: a stream that breaks leaves the previous copy.
 * @example
 * ```ts
 * const store = memoryOfflineStore();
 * const client = createClient({ transport, context, offline: { store }, outbox: { store: store.outbox } });
 * ```
 */
export function memoryOfflineStore(): MemoryOfflineStore {
  const copies = new Map<Source, SourceCopy>();
  const states = new Map<Source, SourceState>();
  const rescreen = new Map<string, RescreenEntry>();
  const queue = new Map<string, OutboxEntry>();
  const rejectedCodes = new Map<string, string>();
  // Positions, as the SQLite outbox gives them: a key queued again after it left gets a new one, at the end.
  let nextPlace = 0;

  const outbox: MemoryOutboxStore = {
    rejectedCodes,
    enqueue(entry) {
      // A key still pending stays as it is (another write under it is refused); one that left the queue is queued
      // again, at the end.
      const queued = queue.get(entry.idempotencyKey);
      if (queued !== undefined) {
        if (queued.kind !== entry.kind || queued.path !== entry.path || queued.body !== entry.body) {
          throw new ConflictError('The idempotency key is queued already with another write (IDEMPOTENCY_KEY_REUSED)', { status: undefined });
        }
        return;
      }
      rejectedCodes.delete(entry.idempotencyKey);
      queue.set(entry.idempotencyKey, { ...entry, attempts: 0, position: nextPlace++ });
    },
    pending(limit = 1000, after) {
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new InputError('limit must be an integer from 1 to 10000', [{ path: 'limit', message: 'must be an integer from 1 to 10000' }]);
      if (after !== undefined && !(Number.isSafeInteger(after) && after >= 0)) {
        throw new InputError('after must be the position of a write listed before (an integer from 0)', [{ path: 'after', message: 'must be the position of a write listed before (an integer from 0)' }]);
      }
      const from = after ?? -1;
      const page: OutboxEntry[] = [];
      // A Map iterates in insertion order, and a key queued again is inserted anew: in order of position.
      for (const e of queue.values()) {
        if (page.length === limit) break;
        if (e.position > from) page.push({ ...e });
      }
      return page;
    },
    pendingCount() {
      return queue.size;
    },
    attempted(key) {
      const e = queue.get(key);
      if (e !== undefined) e.attempts++;
    },
    delivered(key) {
      queue.delete(key);
    },
    rejected(key, code) {
      queue.delete(key);
      rejectedCodes.set(key, code);
    },
  };

  return {
    outbox,
    async apply(source: Source, lines: AsyncIterable<SnapshotChange | SnapshotEnd>, onProgress?: (p: ApplyProgress) => void): Promise<SnapshotEnd> {
      // Whether the lines replace the copy or change it is said by the end line: they wait until then.
      const staged: SnapshotChange[] = [];
      for await (const line of lines) {
        if (line.op === 'end') {
          if (line.source !== source) throw new ProtocolError('The snapshot ended for another source');
          if (line.changes !== staged.length) throw new ProtocolError('The snapshot ended with another count of changes than it sent');
          const copy = line.full ? new SourceCopy() : (copies.get(source)?.clone() ?? new SourceCopy());
          for (const change of staged) {
            if (change.op === 'upsert') copy.put(change.record);
            else copy.remove(change.recordId);
          }
          copies.set(source, copy);
          states.set(source, { source, cursor: line.cursor, dataAsOf: line.dataAsOf, syncedAt: new Date().toISOString(), recordCount: copy.byId.size });
          return line;
        }
        if ((line.op === 'upsert' ? line.record.source : line.source) !== source) throw new ProtocolError('A snapshot line is for another source');
        staged.push(line);
        onProgress?.({ source, changes: staged.length });
      }
      throw new ProtocolError('The snapshot ended without its end line');
    },
    lookup(source, key) {
      const copy = copies.get(source);
      const ids = copy?.byKey.get(key);
      if (copy === undefined || ids === undefined) return [];
      return [...ids].map((id) => copy.byId.get(id)!).filter((r) => r !== undefined);
    },
    state(source) {
      const s = states.get(source);
      return s === undefined ? undefined : { ...s };
    },
    inventory() {
      return [...states.values()].map((s) => ({ ...s }));
    },
    keepForRescreen(entry) {
      const id = randomUUID();
      rescreen.set(id, { ...entry, id });
      return id;
    },
    keepManyForRescreen(entries) {
      return entries.map((entry) => this.keepForRescreen(entry));
    },
    rescreenDue(since, limit) {
      const due: RescreenEntry[] = [];
      for (const [id, e] of rescreen) {
        if (e.checkedAt < since) rescreen.delete(id);
        else if (due.length < limit) due.push({ ...e });
      }
      return due;
    },
    settleRescreen(id) {
      rescreen.delete(id);
    },
    close() {},
  };
}
