// SQLite's checkpoints (copying the write-ahead log back into the database file, with a sync of both) off this thread
// while a snapshot is applied. Left to SQLite, the connection whose commit takes the log past 1000 pages runs the
// checkpoint inside that commit: during an apply, which writes hundreds of megabytes, that is this thread's time. Here
// a worker thread holds its own connection to the file and checkpoints (PASSIVE: it never waits on, nor blocks, a
// reader or a writer) when this thread has committed, at most every CHECKPOINT_EVERY_MS; meanwhile this thread's
// connection checkpoints only past BACKSTOP_PAGES (a worker that falls behind cannot let the log grow without bound).
// Measured on a copy of a million records (`npm run bench offline`, the two builds alternated): the full snapshot in
// 25.3-29.6 s against 28.8-35.9 s, the delta of 100,000 changes in 3.6-4.4 s against 5.0-5.6 s. Outside an apply,
// SQLite's own threshold is back: with the worker checkpointing beside them, checks answered from that copy (each kept
// for re-screening, 64 at once) ran at 15,000-17,000 a second against 20,000-23,000 without it. The worker, started
// by the first apply, waits idle between applies (it never wakes on its own) and ends when the store is closed; should
// it fail to start or stop, SQLite's own threshold is back at once.
import { Worker } from 'node:worker_threads';
import { driverPath, onCommit, type SqliteDatabase } from './driver';

/** The least time between the starts of two checkpoints. @unit milliseconds */
export const CHECKPOINT_EVERY_MS = 100;
/** The log's size at which this thread's connection checkpoints itself while the worker runs. @unit pages */
export const BACKSTOP_PAGES = 10_000;
/** SQLite's own threshold (its default), when there is no worker. @unit pages */
export const SQLITE_PAGES = 1000;
/** How long closing the store waits for the worker to close its connection. @unit milliseconds */
const CLOSE_WAIT_MS = 2000;

// Messages: 'checkpoint' and 'close' to the worker; 'ready', 'done' back. The worker sets flag[0] to 1 once its
// connection is closed (or was never opened), and wakes the thread waiting for it in close().
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.flag);
const closed = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
let db;
try {
  db = new (require(workerData.driver))(workerData.path, { fileMustExist: true, timeout: 0 });
} catch {
  closed();
  process.exit(1);
}
let last = 0;
let timer;
const checkpoint = () => {
  timer = undefined;
  last = Date.now();
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
  parentPort.postMessage('done');
};
parentPort.on('message', (message) => {
  if (message === 'close') {
    if (timer !== undefined) clearTimeout(timer);
    try {
      db.close();
    } finally {
      closed();
      parentPort.close();
    }
    return;
  }
  if (timer === undefined) timer = setTimeout(checkpoint, Math.max(0, last + workerData.every - Date.now()));
});
parentPort.postMessage('ready');
`;

/** Starts the checkpoint worker (a test's stand-in may fail, or stop). @internal */
export type StartCheckpointWorker = (source: string, options: { eval: true; workerData: unknown }) => Worker;

const startWorker: StartCheckpointWorker = (source, options) => new Worker(source, options);

/** The checkpoints of one connection's file during an apply, in a worker thread started by the first. @internal */
export class Checkpointer {
  readonly #db: SqliteDatabase;
  readonly #path: string;
  readonly #start: StartCheckpointWorker;
  #worker: Worker | undefined;
  #flag: Int32Array | undefined;
  /** The worker has its connection open and this connection's threshold is the backstop. */
  #ready = false;
  /** A checkpoint is asked for and not yet done: commits meanwhile ask for nothing more. */
  #asked = false;
  /** The worker failed, or the store is closed: no worker again. */
  #done = false;
  /** Applies running: the worker checkpoints only while there is one. */
  #applying = 0;

  constructor(db: SqliteDatabase, path: string, start: StartCheckpointWorker = startWorker) {
    this.#db = db;
    this.#path = path;
    this.#start = start;
    onCommit(db, () => this.committed());
  }

  /** Whether a worker thread checkpoints the file now. */
  get running(): boolean {
    return this.#ready;
  }

  /** Runs an apply with the worker checkpointing the file, started the first time. */
  async during<T>(apply: () => Promise<T>): Promise<T> {
    this.#applying += 1;
    if (this.#ready) this.#setThreshold(BACKSTOP_PAGES);
    else if (this.#worker === undefined && !this.#done) this.#startWorker();
    try {
      return await apply();
    } finally {
      this.#applying -= 1;
      if (this.#applying === 0 && this.#ready && this.#db.open) this.#setThreshold(SQLITE_PAGES);
    }
  }

  /** After each write transaction this connection commits (see `onCommit`): during an apply, the worker checkpoints soon. */
  committed(): void {
    if (!this.#ready || this.#asked || this.#applying === 0) return;
    this.#asked = true;
    this.#worker!.postMessage('checkpoint');
  }

  #startWorker(): void {
    let worker: Worker;
    const flag = new Int32Array(new SharedArrayBuffer(4));
    try {
      const driver = driverPath();
      worker = this.#start(WORKER_SOURCE, { eval: true, workerData: { driver, path: this.#path, every: CHECKPOINT_EVERY_MS, flag: flag.buffer } });
    } catch {
      this.#done = true;
      return;
    }
    // The store must never keep the process alive on its own.
    worker.unref();
    worker.on('message', (message: unknown) => {
      if (this.#worker !== worker) return;
      if (message === 'ready') {
        this.#ready = true;
        if (this.#applying > 0) this.#setThreshold(BACKSTOP_PAGES);
      } else if (message === 'done') this.#asked = false;
    });
    const lost = () => {
      if (this.#worker !== worker) return;
      this.#stopped();
      void worker.terminate();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.#worker = worker;
    this.#flag = flag;
  }

  /** No worker from now on: SQLite's own threshold again, on a connection still open. */
  #stopped(): void {
    this.#worker = undefined;
    this.#done = true;
    if (this.#ready) {
      this.#ready = false;
      if (this.#applying > 0 && this.#db.open) this.#setThreshold(SQLITE_PAGES);
    }
  }

  #setThreshold(pages: number): void {
    try {
      this.#db.pragma(`wal_autocheckpoint = ${pages}`);
    } catch {
      // A connection that refuses a pragma refuses the next write too, and says so there.
    }
  }

  /**
   * Ends the worker before this connection closes. A worker that is ready is waited for (at most CLOSE_WAIT_MS, about
   * 6 ms measured) until its connection is closed: the last connection to close checkpoints the whole log and removes
   * it, as it did without a worker.
   */
  close(): void {
    const worker = this.#worker;
    const flag = this.#flag;
    const ready = this.#ready;
    this.#stopped();
    if (worker === undefined || flag === undefined) return;
    // A worker still starting is not waited for (it may be loading the driver): it ends, and its connection, if it
    // opened one, closes after this one, leaving the log for the next open to take up.
    if (!ready) {
      void worker.terminate();
      return;
    }
    worker.postMessage('close');
    if (Atomics.wait(flag, 0, 0, CLOSE_WAIT_MS) === 'timed-out') void worker.terminate();
  }
}
