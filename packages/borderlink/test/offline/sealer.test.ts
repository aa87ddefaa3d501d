// A large snapshot's lines are hashed and sealed in a worker thread: the rows it makes are the rows this thread makes
// (the same code, run from its source text), and a worker that cannot start or stops half way costs time, never rows.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { offlineKeysOfSubject } from '../../src/stores/keys';
import { StoreKeys } from '../../src/offline/crypto';
import { RowSealer, type StartWorker } from '../../src/offline/sealer';
import { anyLine, expectRowsOf, staged } from './rows';
import { open, passports, scratch, snapshot, upsert } from './fixtures';

const keys = new StoreKeys(randomBytes(32), randomBytes(32));
const sealers: RowSealer[] = [];
const sealer = (start?: StartWorker): RowSealer => {
  const s = new RowSealer(keys, start);
  sealers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(sealers.splice(0).map((s) => s.close()));
});

/** A worker that takes batches and stops (exits) before it answers any. */
function stoppingWorker(): Worker {
  const worker = new EventEmitter() as EventEmitter & Partial<Worker>;
  worker.unref = () => undefined;
  worker.postMessage = () => void setImmediate(() => worker.emit('exit', 1));
  worker.terminate = async () => 1;
  return worker as Worker;
}

describe('sealing in a worker thread', () => {
  it('gives the rows this thread makes, for any lines', async () => {
    const offloaded = sealer();
    offloaded.offload();
    const batches = await fc.sample(fc.array(anyLine, { minLength: 1, maxLength: 30 }), 20);
    // Several batches in flight at once, each answered as its own, by the worker (had it failed, this thread would
    // have sealed them and the sealer would no longer be offloaded).
    const rows = await Promise.all(batches.map((lines) => offloaded.seal(staged('SLTD', lines))));
    expect(offloaded.offloaded).toBe(true);
    batches.forEach((lines, i) => expectRowsOf(keys, 'SLTD', lines, rows[i]!));
    // And it is a worker's answer, not this thread's: a promise.
    const another = offloaded.seal(staged('SLTD', batches[0]!));
    expect(another).toBeInstanceOf(Promise);
    expectRowsOf(keys, 'SLTD', batches[0]!, await another);
  });

  it('seals in this thread when no worker can be started', async () => {
    const lines = [{ id: 'id\u0000S-1', keys: ['doc\u0000UTO\u0000X1'], payload: '{"a":1}' }];
    const here = sealer(() => {
      throw new Error('no threads here');
    });
    here.offload();
    expect(here.offloaded).toBe(false);
    const rows = here.seal(staged('SLTD', lines));
    expect(rows).not.toBeInstanceOf(Promise);
    expectRowsOf(keys, 'SLTD', lines, await rows);
  });

  it('seals the batches it had handed over in this thread when the worker stops, and the next ones too', async () => {
    const lines = [{ id: 'id\u0000S-1', keys: ['doc\u0000UTO\u0000X1'], payload: '{"a":1}' }, { id: 'id\u0000S-2', keys: [], payload: null }];
    const stopping = sealer(stoppingWorker);
    stopping.offload();
    const first = stopping.seal(staged('SLTD', lines));
    expect(first).toBeInstanceOf(Promise);
    expectRowsOf(keys, 'SLTD', lines, await first);
    expect(stopping.offloaded).toBe(false);
    expectRowsOf(keys, 'SLTD', lines, await stopping.seal(staged('SLTD', lines)));
  });
});

describe('a snapshot of several batches', () => {
  it('is applied through the worker and answers for every record', async () => {
    const files = scratch();
    const store = open(files.path);
    try {
      const records = passports(20_000);
      await store.apply('SLTD', snapshot('SLTD', records.map(upsert), records.length));
      expect(store.state('SLTD')?.recordCount).toBe(20_000);
      for (const i of [0, 4095, 4096, 8191, 12_345, 19_999]) {
        const { document } = records[i] as Extract<(typeof records)[number], { source: 'SLTD' }>;
        const [key] = offlineKeysOfSubject({ kind: 'document', documentNumber: document.documentNumber!, issuingState: 'UTO', documentType: 'PASSPORT' }, 'SLTD');
        expect(store.lookup('SLTD', key!)).toEqual([records[i]]);
      }
    } finally {
      store.close();
      files.done();
    }
  });
});
