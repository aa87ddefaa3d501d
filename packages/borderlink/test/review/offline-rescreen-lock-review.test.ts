// Review: keeping a check for re-screening waited on the file's write lock. While another process held it for a long
// step of its sync (indexing a million records takes seconds), the check's answer waited up to five seconds and then
// failed the keeping (SQLITE_BUSY). A check answered offline now never waits on another process's sync: the entry is
// kept in memory, sealed, and written as soon as the lock is free (or when the store closes), in order, once.
import { lockHolder } from '../helpers/lock-holder';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteOfflineStore } from 'borderlink/offline';
import { open, scratch } from '../offline/fixtures';

const entry = (requestId: string, checkedAt: number) => ({
  requestId,
  checkedAt,
  context: { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' as const },
  subjects: [{ kind: 'document' as const, documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' as const }],
  sources: ['SLTD' as const],
  offlineHits: [],
});

/** {@link lockHolder}, its child killed after each test if it is still running. */
async function heldLock(path: string, selfReleaseMs?: number): ReturnType<typeof lockHolder> {
  const holder = await lockHolder(path, selfReleaseMs);
  children.push(holder.child);
  return holder;
}

let children: ChildProcess[] = [];
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) c();
  children = [];
  cleanups = [];
});

function store(): { store: SqliteOfflineStore; path: string } {
  const files = scratch();
  const s = open(files.path);
  cleanups.push(() => files.done(), () => s.close());
  return { store: s, path: files.path };
}

describe('a check kept for re-screening while another process holds the write lock', () => {
  it('returns without waiting for the lock: the entry is not on the file yet when keeping returns', async () => {
    // The holder lets go by itself after 2.5 s, inside the store's 5 s busy timeout: a keep that waits on the lock
    // writes the entry once it is free, so the entry would be on the file when keepForRescreen returns.
    const { store: s, path } = store();
    const lock = await heldLock(path, 2500);
    s.keepForRescreen(entry('r-1', 1000));
    const reader = new (await import('better-sqlite3')).default(path, { readonly: true });
    const onFile = reader.prepare('SELECT count(*) FROM rescreen').pluck().get();
    reader.close();
    expect(onFile).toBe(0);
    await lock.release();
    await expect.poll(() => s.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-1']);
  });

  it('is kept at once, and written once the lock is free', async () => {
    const { store: s, path } = store();
    const lock = await heldLock(path);
    const id = s.keepForRescreen(entry('r-1', 1000));
    expect(id).toEqual(expect.any(String));
    s.keepForRescreen(entry('r-2', 2000));
    await lock.release();
    await expect.poll(() => s.rescreenDue(0, 10).map((e) => [e.requestId, e.id])).toEqual([
      ['r-1', id],
      ['r-2', expect.any(String)],
    ]);
    // On the file: another connection reads it.
    const other = open(path);
    expect(other.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-1', 'r-2']);
    other.close();
  });

  it('is written when the store closes, if it was still waiting', async () => {
    const { store: s, path } = store();
    const lock = await heldLock(path);
    s.keepForRescreen(entry('r-1', 1000));
    await lock.release();
    s.close();
    const again = open(path);
    expect(again.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-1']);
    again.close();
  });

  it('is never written once it was settled while waiting, and the settling does not wait either', async () => {
    const { store: s, path } = store();
    const lock = await heldLock(path);
    const id = s.keepForRescreen(entry('r-1', 1000));
    s.keepForRescreen(entry('r-2', 2000));
    s.settleRescreen(id);
    await lock.release();
    await expect.poll(() => s.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-2']);
  });

  it('keeps many at once without waiting, and a group settled in part is written without the settled entry', async () => {
    const { store: s, path } = store();
    const lock = await heldLock(path);
    const ids = s.keepManyForRescreen!([entry('r-1', 1000), entry('r-2', 2000), entry('r-3', 3000)]);
    expect(new Set(ids).size).toBe(3);
    s.settleRescreen(ids[1]!);
    await lock.release();
    await expect.poll(() => s.rescreenDue(0, 10).map((e) => [e.requestId, e.id])).toEqual([
      ['r-1', ids[0]],
      ['r-3', ids[2]],
    ]);
    s.settleRescreen(ids[0]!);
    s.settleRescreen(ids[2]!);
    expect(s.rescreenDue(0, 10)).toEqual([]);
  });
});
