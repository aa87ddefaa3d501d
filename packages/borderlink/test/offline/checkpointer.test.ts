// The checkpoints of an apply, in a worker thread: the log copied into the file by the worker while this thread's
// connection waits for the backstop, SQLite's own threshold back after the apply and whenever the worker fails, and a
// process that applies a snapshot and never closes its store still ends.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKSTOP_PAGES, Checkpointer, SQLITE_PAGES } from '../../src/offline/checkpointer';
import { writeTransaction } from '../../src/offline/driver';
import { KEYS, open, passports, scratch, snapshot, upsert } from './fixtures';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: () => boolean, ms = 10_000): Promise<void> {
  const stop = Date.now() + ms;
  while (!what()) {
    if (Date.now() > stop) throw new Error('waited too long');
    await sleep(10);
  }
}

let files: ReturnType<typeof scratch> | undefined;
afterEach(() => {
  files?.done();
  files = undefined;
});

/** A WAL file with one table, and a write of about `pages` pages in one commit. */
function walFile(path: string): { db: BetterSqlite3.Database; write: (pages: number) => void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x BLOB)');
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  const write = writeTransaction(db, (pages: number) => {
    for (let i = 0; i < pages; i++) insert.run(randomBytes(3500));
  });
  return { db, write };
}

const threshold = (db: BetterSqlite3.Database) => db.pragma('wal_autocheckpoint', { simple: true });

describe('the checkpoints of an apply', () => {
  it('are made by a worker thread while this connection checkpoints only past the backstop, and are SQLite’s own after', async () => {
    files = scratch();
    const { db, write } = walFile(files.path);
    const checkpointer = new Checkpointer(db, files.path);
    db.prepare('SELECT 1').get();
    const before = statSync(files.path).size;
    try {
      await checkpointer.during(async () => {
        await until(() => checkpointer.running);
        expect(threshold(db)).toBe(BACKSTOP_PAGES);
        // 2,000 pages in 40 commits: under the backstop, so only the worker copies them into the file.
        for (let i = 0; i < 40; i++) {
          write(50);
          await sleep(2);
        }
        await until(() => statSync(files!.path).size > before + 4_000_000);
      });
      expect(threshold(db)).toBe(SQLITE_PAGES);
      expect(checkpointer.running).toBe(true);
    } finally {
      checkpointer.close();
      db.close();
    }
    // The worker's connection was closed first: this one, the last, checkpointed all and removed the log.
    expect(existsSync(`${files.path}-wal`)).toBe(false);
    expect(checkpointer.running).toBe(false);
  });

  it('leave SQLite’s own threshold when the worker cannot start, and the apply runs all the same', async () => {
    files = scratch();
    const { db, write } = walFile(files.path);
    const checkpointer = new Checkpointer(db, files.path, () => {
      throw new Error('no threads here');
    });
    try {
      expect(await checkpointer.during(async () => (write(10), threshold(db)))).toBe(SQLITE_PAGES);
      expect(checkpointer.running).toBe(false);
    } finally {
      checkpointer.close();
      db.close();
    }
  });

  it('are SQLite’s own again at once when the worker stops during an apply', async () => {
    files = scratch();
    const { db, write } = walFile(files.path);
    // A worker that says it is ready, then ends.
    const checkpointer = new Checkpointer(
      db,
      files.path,
      (_source, options) => new Worker(`require('node:worker_threads').parentPort.postMessage('ready'); setTimeout(() => process.exit(0), 100);`, options),
    );
    try {
      await checkpointer.during(async () => {
        await until(() => checkpointer.running);
        expect(threshold(db)).toBe(BACKSTOP_PAGES);
        await until(() => !checkpointer.running);
        expect(threshold(db)).toBe(SQLITE_PAGES);
        write(10);
      });
      expect(threshold(db)).toBe(SQLITE_PAGES);
    } finally {
      checkpointer.close();
      db.close();
    }
  });

  it('never hold up closing for a worker still starting: it is ended, not waited for', async () => {
    files = scratch();
    const { db } = walFile(files.path);
    // A worker that never says it is ready (as one still loading the driver).
    let worker: Worker | undefined;
    const checkpointer = new Checkpointer(db, files.path, (_source, options) => (worker = new Worker(`setInterval(() => {}, 1000);`, options)));
    const wait = vi.spyOn(Atomics, 'wait');
    try {
      await checkpointer.during(async () => {
        await sleep(20);
        const exited = new Promise((resolve) => worker!.once('exit', resolve));
        checkpointer.close();
        await exited;
      });
      expect(wait).not.toHaveBeenCalled();
      expect(threshold(db)).toBe(SQLITE_PAGES);
    } finally {
      wait.mockRestore();
      db.close();
    }
  });

  it('leave the store whole and its log removed once it is closed, after a snapshot and a delta', async () => {
    files = scratch();
    const store = open(files.path);
    const records = passports(3000);
    await store.apply('SLTD', snapshot('SLTD', records.map(upsert), records.length));
    await store.apply('SLTD', snapshot('SLTD', passports(500, 3000).map(upsert), 3500, { full: false }));
    expect(store.state('SLTD')?.recordCount).toBe(3500);
    expect(store.checkIntegrity().ok).toBe(true);
    store.close();
    expect(existsSync(`${files.path}-wal`)).toBe(false);
    const again = open(files.path);
    expect(again.state('SLTD')?.recordCount).toBe(3500);
    again.close();
  });

  it('never keep a process alive: one that applies a snapshot and never closes its store ends', () => {
    files = scratch();
    const source = pathToFileURL(fileURLToPath(new URL('../../src/offline/index.ts', import.meta.url))).href;
    const script = `import { openOfflineStore } from ${JSON.stringify(source)};
const store = openOfflineStore({ path: ${JSON.stringify(files.path)}, hmacKey: Buffer.alloc(32, ${KEYS.hmacKey[0]}), encryptionKey: Buffer.alloc(32, ${KEYS.encryptionKey[0]}) });
async function* lines() {
  for (let i = 0; i < 2000; i++) yield { op: 'upsert', record: { source: 'SLTD', recordId: 'SLTD-' + i, ownerCountry: 'UTO', document: { documentNumber: 'P' + i, issuingState: 'UTO' } } };
  yield { op: 'end', source: 'SLTD', cursor: 'c', dataAsOf: '2026-05-01T00:00:00.000Z', full: true, changes: 2000, recordCount: 2000 };
}
await store.apply('SLTD', lines());
console.log(store.state('SLTD').recordCount);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(out.trim()).toBe('2000');
  });
});
