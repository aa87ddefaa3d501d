// Hashing and sealing a large snapshot's lines on the machine's other core. Per record, the keyed hashes of its id and
// its lookup keys and the AES-256-GCM seal of what it shows cost more than everything else a sync does in this thread
// (reading the line, writing the row, indexing the copy): in a worker thread they run beside the rest, a batch ahead.
//
// The worker runs the source text of storeCrypto (crypto.ts), the code this thread opens the rows with, and nothing
// else: it is given the two keys, takes batches of strings and gives back each batch's rows in one buffer it hands
// over without a copy. A small snapshot never starts it. Should the worker fail to start or stop (a runtime without
// threads, a bundler that rewrote the function's text), its batches are sealed here instead: slower, the same rows,
// never a failed sync.
import { Worker } from 'node:worker_threads';
import { storeCrypto, type SealedRows, type StagedLines, type StoreKeys } from './crypto';

// `__name`: what esbuild's keepNames (tsx, some bundlers) writes into a function's text to keep its name.
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const __name = (target) => target;
const crypto = (${storeCrypto.toString()})(require('node:crypto'), workerData.lookupKey, workerData.encryptionKey);
parentPort.on('message', ({ id, lines }) => {
  let rows;
  try {
    rows = crypto.sealRows(lines);
  } catch {
    parentPort.postMessage({ id, failed: true });
    return;
  }
  parentPort.postMessage({ id, bytes: rows.bytes, ends: rows.ends }, [rows.bytes.buffer, rows.ends.buffer]);
});
`;

/** Starts the sealing worker (a test's stand-in may fail, or stop). @internal */
export type StartWorker = (source: string, options: { eval: true; workerData: unknown }) => Worker;

const startWorker: StartWorker = (source, options) => new Worker(source, options);

interface Waiting {
  lines: StagedLines;
  resolve(rows: SealedRows): void;
  reject(err: unknown): void;
}

/**
 * Seals the batches of one apply: in this thread until {@link RowSealer.offload} is called, in a worker thread from
 * then on. {@link RowSealer.close} ends the worker.
 * @internal
 */
export class RowSealer {
  readonly #keys: StoreKeys;
  readonly #start: StartWorker;
  #worker: Worker | undefined;
  /** Batches handed to the worker, in the order they were handed. */
  readonly #waiting = new Map<number, Waiting>();
  #next = 0;
  /** The worker failed, or the sealer is closed: no worker again. */
  #done = false;

  constructor(keys: StoreKeys, start: StartWorker = startWorker) {
    this.#keys = keys;
    this.#start = start;
  }

  /** Whether batches go to a worker thread now (not before {@link RowSealer.offload}, nor after the worker failed). */
  get offloaded(): boolean {
    return this.#worker !== undefined;
  }

  /** Seals the next batches in a worker thread, when one can be started. */
  offload(): void {
    if (this.#worker !== undefined || this.#done) return;
    let worker: Worker;
    try {
      worker = this.#start(WORKER_SOURCE, { eval: true, workerData: this.#keys.workerKeys });
    } catch {
      this.#done = true;
      return;
    }
    // A sync must never keep the process alive on its own.
    worker.unref();
    worker.on('message', (message: { id: number; failed?: true; bytes?: Uint8Array; ends?: Uint32Array }) => {
      const waiting = this.#waiting.get(message.id);
      if (waiting === undefined) return;
      this.#waiting.delete(message.id);
      if (message.bytes !== undefined && message.ends !== undefined) waiting.resolve({ bytes: message.bytes, ends: message.ends });
      else this.#sealHere(waiting);
    });
    const lost = () => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#done = true;
      void worker.terminate();
      const waiting = [...this.#waiting.values()];
      this.#waiting.clear();
      for (const w of waiting) this.#sealHere(w);
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.#worker = worker;
  }

  /** The rows of `lines`: at once in this thread, or when the worker has made them. */
  seal(lines: StagedLines): SealedRows | Promise<SealedRows> {
    const worker = this.#worker;
    if (worker === undefined) return this.#keys.sealRows(lines);
    const id = this.#next++;
    const rows = new Promise<SealedRows>((resolve, reject) => this.#waiting.set(id, { lines, resolve, reject }));
    worker.postMessage({ id, lines });
    return rows;
  }

  #sealHere(waiting: Waiting): void {
    try {
      waiting.resolve(this.#keys.sealRows(waiting.lines));
    } catch (err) {
      waiting.reject(err);
    }
  }

  /** Ends the worker, if one was started. A batch still being sealed is dropped: its promise rejects. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#done = true;
    for (const waiting of this.#waiting.values()) waiting.reject(new Error('the sealer was closed'));
    this.#waiting.clear();
    if (worker !== undefined) await worker.terminate();
  }
}
