// Review: a check kept for re-screening while another process held the write lock was retried on a timer; a retry
// that failed for another reason set a second timer that never cleared its handle, so every later retry was skipped
// and the check waited, unwritten, until the store closed. Every retry now clears its own handle.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openWith } from '../../src/offline/store';
import { KEYS, scratch } from '../offline/fixtures';

const entry = (requestId: string) => ({
  requestId,
  checkedAt: Date.now(),
  context: { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' as const },
  subjects: [],
  sources: ['SLTD' as const],
  offlineHits: [],
});

/** When set, the next write of a kept check fails with an error that is not SQLite's lock. */
let failNextKeep = false;
class Faulty extends Database {
  constructor(...args: ConstructorParameters<typeof Database>) {
    super(...args);
    const prepare = (super.prepare as (...a: unknown[]) => Database.Statement).bind(this);
    (this as unknown as { prepare: unknown }).prepare = (sql: string, ...rest: unknown[]): Database.Statement => {
      const statement = prepare(sql, ...rest);
      if (!/^INSERT INTO rescreen/.test(sql)) return statement;
      const run = statement.run.bind(statement);
      (statement as { run: unknown }).run = (...a: unknown[]) => {
        if (failNextKeep) {
          failNextKeep = false;
          throw new Error('disk I/O failed');
        }
        return run(...(a as []));
      };
      return statement;
    };
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
  failNextKeep = false;
});

const waitUntil = async (done: () => boolean, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 5))) if (done()) return true;
  return done();
};

describe('a check kept while another process holds the write lock', () => {
  it('is written once the lock is free, even after a retry failed for another reason', async () => {
    const files = scratch();
    cleanups.push(files.done);
    const store = openWith(Faulty as unknown as typeof Database, { path: files.path, ...KEYS });
    cleanups.push(() => store.close());
    // Another connection to the file holds its write lock, as another process's sync does.
    const other = new Database(files.path, { timeout: 0 });
    cleanups.push(() => other.close());
    const written = () => other.prepare('SELECT count(*) FROM rescreen').pluck().get() as number;
    other.exec('BEGIN IMMEDIATE');
    store.keepForRescreen(entry('r-1'));
    // The lock is let go, and the retry fails for another reason; the lock is taken again before the next retry.
    failNextKeep = true;
    other.exec('COMMIT');
    expect(await waitUntil(() => !failNextKeep, 2000)).toBe(true);
    other.exec('BEGIN IMMEDIATE');
    expect(written()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    other.exec('COMMIT');
    expect(await waitUntil(() => written() === 1, 2000)).toBe(true);
  });
});
