// Review of the PRAGMA trap: SQLite applies most settings when their statement is prepared, so a prepared PRAGMA run
// again can change nothing. What holds: no source file of the store keeps a prepared PRAGMA, the checks kept for
// re-screening are written under synchronous = NORMAL (committed to the WAL, not waited for on the disk), and every
// other write of the queues (a queued report, its delivery, settling a check) under synchronous = FULL.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openWith } from '../../src/offline/store';
import { KEYS, scratch } from '../offline/fixtures';

const entry = (requestId: string) => ({
  requestId,
  checkedAt: 1000,
  context: { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' as const },
  subjects: [],
  sources: ['SLTD' as const],
  offlineHits: [],
});

/** The synchronous level each write ran at, by the statement's first words: read on the store's own connection. */
const seen: [string, number][] = [];
class Watched extends Database {
  constructor(...args: ConstructorParameters<typeof Database>) {
    super(...args);
    // better-sqlite3's own transaction statements pass more arguments: they go through as they came.
    const prepare = (super.prepare as (...a: unknown[]) => Database.Statement).bind(this);
    (this as unknown as { prepare: unknown }).prepare = (sql: string, ...rest: unknown[]): Database.Statement => {
      const statement = prepare(sql, ...rest);
      const write = /^(INSERT INTO \w+|UPDATE \w+|DELETE FROM \w+)/.exec(sql)?.[1];
      if (write === undefined || !/rescreen|outbox/.test(write)) return statement;
      const watched: Database.Statement = new Proxy(statement, {
        get: (target, name) => {
          const value = Reflect.get(target, name, target) as unknown;
          // pluck() and raw() give the statement back: the watched one, so its runs are seen too.
          if (name !== 'run' && name !== 'all' && name !== 'get') {
            return typeof value === 'function' ? (...a: unknown[]) => ((r) => (r === target ? watched : r))((value as (...x: unknown[]) => unknown).apply(target, a)) : value;
          }
          return (...a: unknown[]) => {
            seen.push([write, this.pragma('synchronous', { simple: true }) as number]);
            return (value as (...x: unknown[]) => unknown).apply(target, a);
          };
        },
      });
      return watched;
    };
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
  seen.length = 0;
});

describe('the PRAGMA settings of the store', () => {
  it('are never kept as prepared statements in the store source', () => {
    const dir = join(__dirname, '../../src/offline');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/prepare\(\s*[`'"]\s*PRAGMA/i);
    }
  });

  it('write the checks kept for re-screening at NORMAL, and every other write of the queues at FULL', () => {
    const files = scratch();
    cleanups.push(files.done);
    const store = openWith(Watched as unknown as typeof Database, { path: files.path, ...KEYS });
    cleanups.push(() => store.close());
    const ids = store.keepManyForRescreen([entry('r-1'), entry('r-2')]);
    store.keepForRescreen(entry('r-3'));
    store.settleRescreen(ids[0]!);
    store.rescreenDue(0, 10);
    store.outbox.enqueue({ idempotencyKey: 'k-1', kind: 'report', path: '/v1/reports', body: '{}', queuedAt: 1 });
    store.outbox.attempted('k-1');
    store.outbox.delivered('k-1');
    store.keepForRescreen(entry('r-4'));
    const NORMAL = 1;
    const FULL = 2;
    const kept = seen.filter(([w]) => w === 'INSERT INTO rescreen' || w === 'INSERT INTO rescreen_groups');
    expect(kept.length).toBeGreaterThanOrEqual(6);
    expect(kept.every(([, level]) => level === NORMAL)).toBe(true);
    const others = seen.filter(([w]) => w !== 'INSERT INTO rescreen' && w !== 'INSERT INTO rescreen_groups');
    expect(others.map(([w]) => w)).toEqual(expect.arrayContaining(['DELETE FROM rescreen', 'INSERT INTO outbox', 'UPDATE outbox']));
    expect(others.every(([, level]) => level === FULL)).toBe(true);
  });
});
