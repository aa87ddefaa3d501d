// The offline store as the commands open it. `borderlink/offline` (and through it the optional peer better-sqlite3)
// is imported here only, and only when a command that needs a store runs: `borderlink --version` or a check without
// a store loads nothing of it.
//
// A copy synced from the embedded demo gateway is synthetic data: it must never answer for a real gateway (an officer
// would get a demo NO_HIT for a real traveller), and a real copy must never be overwritten by the demo. The store
// keeps no word of where its copy came from, so the command writes it into the one field the store keeps opaque for
// its user, the cursor: a demo copy's cursor starts with DEMO_CURSOR. The command strips it before the client sees
// it, and refuses a store whose copy came from the other kind of gateway.
import { existsSync } from 'node:fs';
import type { OfflineStore, RescreenEntry, SnapshotChange, SnapshotEnd, Source, SourceState } from 'borderlink';
import type { SqliteOfflineStore } from 'borderlink/offline';
import { UsageError } from './args';
import { readStoreKeys } from './store-keys';

/** What starts the stored cursor of a copy synced from the demo gateway. */
export const DEMO_CURSOR = 'borderlink-demo:';

/** Where the copy of a source came from. */
export type Origin = 'demo' | 'gateway';

/** Where the copy of a source came from, by its stored cursor. */
export const originOf = (state: SourceState): Origin => (state.cursor.startsWith(DEMO_CURSOR) ? 'demo' : 'gateway');

/** A source's state with the cursor the gateway gave (without the command's demo mark). */
export function shownState(state: SourceState): SourceState {
  return originOf(state) === 'demo' ? { ...state, cursor: state.cursor.slice(DEMO_CURSOR.length) } : state;
}

async function* markedDemo(lines: AsyncIterable<SnapshotChange | SnapshotEnd>): AsyncIterable<SnapshotChange | SnapshotEnd> {
  for await (const line of lines) yield line.op === 'end' ? { ...line, cursor: `${DEMO_CURSOR}${line.cursor}` } : line;
}

/**
 * The store as a client of one command uses it: for one kind of gateway, demo copies marked, and the re-screen
 * queue used only by the command that re-screens (`sync`, which waits for it; a `check` that exits at once would cut
 * a re-screen half way).
 */
export class CommandStore implements OfflineStore {
  readonly inner: SqliteOfflineStore;
  readonly demo: boolean;
  readonly #rescreen: boolean;
  readonly #waiting = new Map<string, () => void>();
  /** Ids settled in this process: an online answer can come before anyone waits for it. */
  readonly #settled = new Set<string>();
  #demoKept = 0;
  /** The id the last check answered from the copy was kept under. */
  lastKept: string | undefined;

  constructor(inner: SqliteOfflineStore, options: { demo: boolean; rescreen: boolean }) {
    this.inner = inner;
    this.demo = options.demo;
    this.#rescreen = options.rescreen;
  }

  apply(source: Source, lines: AsyncIterable<SnapshotChange | SnapshotEnd>, onProgress?: Parameters<OfflineStore['apply']>[2]): Promise<SnapshotEnd> {
    return this.inner.apply(source, this.demo ? markedDemo(lines) : lines, onProgress);
  }

  lookup(source: Source, key: string) {
    return this.inner.lookup(source, key);
  }

  state(source: Source): SourceState | undefined {
    const state = this.inner.state(source);
    // A copy of the other kind is no copy here: never synced, so it answers nothing (checked at open too).
    if (state === undefined || (originOf(state) === 'demo') !== this.demo) return undefined;
    return shownState(state);
  }

  inventory(): SourceState[] {
    return this.inner
      .inventory()
      .filter((s) => (originOf(s) === 'demo') === this.demo)
      .map(shownState);
  }

  keepForRescreen(entry: Omit<RescreenEntry, 'id'>): string {
    // The demo gateway is in this process and always answers: there is nothing to re-screen, and a demo check kept
    // in the queue could later be sent to a real gateway.
    const id = this.demo ? `demo-${++this.#demoKept}` : this.inner.keepForRescreen(entry);
    this.lastKept = id;
    return id;
  }

  rescreenDue(since: number, limit: number): RescreenEntry[] {
    return this.#rescreen && !this.demo ? this.inner.rescreenDue(since, limit) : [];
  }

  settleRescreen(id: string): void {
    if (!this.demo) this.inner.settleRescreen(id);
    this.#settled.add(id);
    this.#waiting.get(id)?.();
  }

  /** Resolves once the entry `id` is settled (its online check answered), or after `ms`; `true` when it was settled. */
  settled(id: string, ms: number): Promise<boolean> {
    if (this.#settled.has(id)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(false);
      }, ms);
      this.#waiting.set(id, () => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(true);
      });
    });
  }

  close(): void {
    this.inner.close();
  }
}

/** What `borderlink/offline` gives the command. */
type OfflineModule = typeof import('borderlink/offline');

async function loadOffline(): Promise<OfflineModule> {
  try {
    return await import('borderlink/offline');
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    // A borderlink without the entry point: an install that went wrong (the command depends on one exact version).
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new UsageError('the installed borderlink has no borderlink/offline: reinstall @borderlink/cli');
    }
    throw err;
  }
}

/**
 * Opens the store at `path` with the keys of the environment. With `create: false` the file must exist (a check or a
 * listing never makes an empty store that would answer nothing).
 * @throws {UsageError} for a missing path or file, or keys missing or malformed (by variable name); the store's own
 * ConfigError for keys that do not match it or a missing better-sqlite3 (saying what to install).
 */
export async function openStore(path: string | undefined, flag: string, options: { create: boolean; env?: NodeJS.ProcessEnv }): Promise<SqliteOfflineStore> {
  if (path === undefined || path === '') throw new UsageError(`give the store file with ${flag} PATH`);
  if (!options.create && !existsSync(path)) throw new UsageError(`the file given to ${flag} does not exist: make the store with borderlink sync --store PATH`);
  const keys = await readStoreKeys(options.env ?? process.env);
  const { openOfflineStore } = await loadOffline();
  return openOfflineStore({ path, ...keys });
}

/**
 * The store for a client talking to the demo gateway (`demo`) or a real one, refused when its copy came from the other.
 * @throws {UsageError} naming what the store holds and what to do.
 */
export function storeFor(inner: SqliteOfflineStore, flag: string, options: { demo: boolean; rescreen: boolean }): CommandStore {
  const origins = new Set(inner.inventory().map(originOf));
  if (options.demo && origins.has('gateway')) {
    throw new UsageError(`the store given to ${flag} holds a copy synced from a gateway: the demo gateway never uses it (give --gateway URL and the context, or another store file)`);
  }
  if (!options.demo && origins.has('demo')) {
    throw new UsageError(`the store given to ${flag} holds the demo copy (synthetic data): a real gateway never answers from it, nor syncs into it; use another store file`);
  }
  return new CommandStore(inner, options);
}
