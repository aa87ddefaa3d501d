// Keeping the offline copy current: a full snapshot on first use, deltas from the stored cursor afterwards, each
// applied by the store as one step (a sync cut half way leaves the previous copy), one source at a time, and on a
// timer when the integrator asks for one.
//
// What the gateway says the copy should become is checked against what it is: a snapshot whose end line would leave
// the copy with far fewer records than it holds is refused before the store commits it (see `offline.maxShrink`).
// Its lines are whole and its content hash holds (the reader checks both): what it cannot prove is that the gateway
// meant it, and a copy emptied by a gateway that lost its data answers NO_HIT where it held hits.
import { ProtocolError, StoreError, type BorderlinkError } from '../errors/index';
import type { Source } from '../queries/types';
import type { OfflineStore, SnapshotChange, SnapshotEnd } from '../stores/types';
import { checkSyncOptions } from './check-options';

/** A source's snapshot was applied: the copy of it now stands here. */
export interface SyncEvent {
  type: 'sync';
  source: Source;
  /** `true` when the whole copy of the source was replaced; `false` for a delta. */
  full: boolean;
  /** Lines applied (records added, changed or removed). */
  changes: number;
  recordCount: number;
  dataAsOf: string;
}

/** Progress of a snapshot being applied (about every 10,000 lines, as the store reports them, and at the end), for a progress bar. */
export interface SyncProgressEvent {
  type: 'syncProgress';
  source: Source;
  changes: number;
}

/** A source's sync failed; the copy of it is as it was before. */
export interface SyncFailedEvent {
  type: 'syncFailed';
  source: Source;
  /** The error's code, e.g. `CONNECTION_FAILED`, `PROTOCOL_ERROR`, `STORE_SHRINK_REFUSED`. */
  code: string;
  /** For `STORE_SHRINK_REFUSED`: the records the copy holds. */
  heldRecords?: number;
  /** For `STORE_SHRINK_REFUSED`: the records the refused snapshot would have left. */
  offeredRecords?: number;
}

/** How one source's sync went. */
export type SourceSyncResult =
  | { source: Source; ok: true; full: boolean; changes: number; recordCount: number; dataAsOf: string }
  | { source: Source; ok: false; error: BorderlinkError };

/** Options of `client.offline.sync()`. */
export interface SyncOptions {
  /** The sources to sync: some of the copy's `sources`. @default the copy's `sources` */
  sources?: Source[] | undefined;
  /** Stops the sync; the source being applied keeps its previous copy. */
  signal?: AbortSignal | undefined;
  /**
   * Apply the snapshots whatever share of the copy they remove: for a shrink someone confirmed with the gateway's
   * operator after a `STORE_SHRINK_REFUSED` (see `offline.maxShrink`).
   * @default false
   */
  allowShrink?: boolean | undefined;
}

/** One snapshot request: the lines, or word that the cursor is no longer known (then a full snapshot is taken). @internal */
export type FetchSnapshot = (
  source: Source,
  since: string | undefined,
  signal: AbortSignal | undefined,
) => Promise<{ kind: 'snapshot'; lines: AsyncIterable<SnapshotChange | SnapshotEnd> } | { kind: 'cursor-expired' }>;

const PROGRESS_EVERY = 10_000;

/** What a sync needs from the client. @internal */
export interface SyncDeps {
  store: OfflineStore;
  sources: readonly Source[];
  /** The largest share of a copy's records one sync may remove (`offline.maxShrink`). */
  maxShrink: number;
  fetch: FetchSnapshot;
  emit(event: SyncEvent | SyncProgressEvent | SyncFailedEvent): void;
  /** A source was synced: the gateway answers, so what waits (re-screening, the outbox) may go. */
  linkUp(): void;
  /** Turns anything thrown into the client's typed error. */
  toError(err: unknown): BorderlinkError;
}

/** What a sync would do to the copy, when it removes more of it than it may. */
interface Shrink {
  held: number;
  offered: number;
}

/**
 * The lines, passed on as they come, but for an end line that would leave the copy of `held` records with fewer than
 * (1 − maxShrink) of them: that one is not passed on, and the lines end in the refusal, so the store keeps the copy.
 */
async function* refusingShrink(
  lines: AsyncIterable<SnapshotChange | SnapshotEnd>,
  source: Source,
  held: number,
  maxShrink: number,
  refused: (shrink: Shrink) => void,
): AsyncGenerator<SnapshotChange | SnapshotEnd, void, undefined> {
  for await (const line of lines) {
    if (line.op === 'end' && line.recordCount < held * (1 - maxShrink)) {
      refused({ held, offered: line.recordCount });
      throw new StoreError(
        `The ${source} snapshot would leave ${line.recordCount} of the ${held} records the copy holds, more of it gone than offline.maxShrink (${maxShrink}) allows: refused, and the copy stays as it was. Confirm with the gateway's operator, then sync with allowShrink.`,
        { code: 'STORE_SHRINK_REFUSED' },
      );
    }
    yield line;
  }
}

/** Syncs one source: from its cursor, or whole when it has none or the gateway no longer knows it. */
async function syncSource(deps: SyncDeps, source: Source, options: SyncOptions): Promise<SourceSyncResult> {
  const { signal } = options;
  let shrink: Shrink | undefined;
  const started = performance.now();
  let requests = 0;
  try {
    const held = deps.store.state(source);
    const since = held?.cursor;
    requests++;
    let answer = await deps.fetch(source, since, signal);
    if (answer.kind === 'cursor-expired') {
      if (since === undefined) throw new ProtocolError('The gateway refused a full snapshot as if it had a cursor');
      requests++;
      answer = await deps.fetch(source, undefined, signal);
      if (answer.kind === 'cursor-expired') throw new ProtocolError('The gateway refused a full snapshot as if it had a cursor');
    }
    // A store reports progress as it likes (a line, a batch of lines at a time): an event each time another
    // PROGRESS_EVERY lines have passed since the last one.
    let shown = 0;
    const lines =
      held === undefined || options.allowShrink === true || deps.maxShrink >= 1
        ? answer.lines
        : refusingShrink(answer.lines, source, held.recordCount, deps.maxShrink, (s) => (shrink = s));
    const end = await deps.store.apply(source, lines, ({ changes }) => {
      if (changes - shown < PROGRESS_EVERY) return;
      shown = changes;
      deps.emit({ type: 'syncProgress', source, changes });
    });
    deps.emit({ type: 'syncProgress', source, changes: end.changes });
    deps.emit({ type: 'sync', source, full: end.full, changes: end.changes, recordCount: end.recordCount, dataAsOf: end.dataAsOf });
    return { source, ok: true, full: end.full, changes: end.changes, recordCount: end.recordCount, dataAsOf: end.dataAsOf };
  } catch (err) {
    const error = deps.toError(err);
    // As a call's error: the requests sent (one, or two after an expired cursor) and the time the sync took.
    error.attempts ??= requests;
    error.durationMs ??= Math.round(performance.now() - started);
    deps.emit({ type: 'syncFailed', source, code: error.code, ...(shrink !== undefined ? { heldRecords: shrink.held, offeredRecords: shrink.offered } : {}) });
    return { source, ok: false, error };
  }
}

/** The client's syncs: one at a time, on demand and on a timer. @internal */
export class Sync {
  readonly #deps: SyncDeps;
  #running: Promise<SourceSyncResult[]> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(deps: SyncDeps, intervalMs: number) {
    this.#deps = deps;
    if (intervalMs > 0) {
      const tick = () => {
        this.#timer = undefined;
        void this.run().finally(() => {
          if (!this.#closed) this.#timer = setTimeout(tick, intervalMs).unref();
        });
      };
      this.#timer = setTimeout(tick, 0).unref();
    }
  }

  /**
   * Syncs the sources one after the other; a sync already running is joined. Rejects only for options it refuses
   * (a ConfigError); otherwise each source says how it went.
   */
  run(options?: SyncOptions): Promise<SourceSyncResult[]> {
    try {
      checkSyncOptions(options, this.#deps.sources);
    } catch (err) {
      return Promise.reject(err);
    }
    this.#running ??= this.#all(options ?? {}).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #all(options: SyncOptions): Promise<SourceSyncResult[]> {
    const results: SourceSyncResult[] = [];
    for (const source of options.sources ?? this.#deps.sources) {
      if (this.#closed) break;
      results.push(await syncSource(this.#deps, source, options));
    }
    if (results.some((r) => r.ok)) this.#deps.linkUp();
    return results;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}
