// Review: three of the sync's transactions (the delta's merge, the roll-back of a merge left half done, the collection
// of dead versions) were deferred. A deferred transaction that reads before it writes holds a snapshot; when another
// process commits meanwhile, its first write fails with SQLITE_BUSY at once, and no busy timeout waits that out. Every
// transaction of the store is now made by one helper, which begins it IMMEDIATE.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/offline/driver';
import { scratch } from '../offline/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Two connections to one WAL file, as two processes have; the second never waits for a lock. */
function twoConnections(): { mine: Database.Database; theirs: Database.Database } {
  const files = scratch();
  cleanups.push(files.done);
  const mine = new Database(files.path, { timeout: 1000 });
  cleanups.push(() => mine.close());
  mine.pragma('journal_mode = WAL');
  mine.exec('CREATE TABLE t (n INTEGER)');
  const theirs = new Database(files.path, { timeout: 0 });
  cleanups.push(() => theirs.close());
  return { mine, theirs };
}

/** Reads, lets the other connection try to commit a write, then writes: what the merge and the collection do. */
function readThenWrite(mine: Database.Database, theirs: Database.Database): () => void {
  return () => {
    mine.prepare('SELECT count(*) FROM t').get();
    try {
      theirs.prepare('INSERT INTO t VALUES (1)').run();
    } catch {
      // Refused while this transaction holds the write lock: the other process waits and tries again.
    }
    mine.prepare('INSERT INTO t VALUES (2)').run();
  };
}

describe('the transactions of the offline store', () => {
  it('take the write lock at their start, so a read then a write is never refused for a commit in between', () => {
    const { mine, theirs } = twoConnections();
    // What a deferred transaction meets: the other process's commit lands between the read and the write.
    expect(() => mine.transaction(readThenWrite(mine, theirs))()).toThrow(expect.objectContaining({ code: expect.stringMatching(/^SQLITE_BUSY/) }));
    const transaction = writeTransaction(mine, readThenWrite(mine, theirs));
    expect(() => transaction()).not.toThrow();
    expect(mine.prepare('SELECT n FROM t ORDER BY rowid').pluck().all()).toEqual([1, 2]);
  });

  it('are all made by writeTransaction: no source file of the store begins one of its own', () => {
    const dir = join(__dirname, '../../src/offline');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'driver.ts')) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/\.transaction\(|\.(immediate|deferred|exclusive)\(|\bBEGIN\b/);
    }
  });
});
