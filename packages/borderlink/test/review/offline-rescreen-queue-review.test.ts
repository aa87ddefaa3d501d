// Review of the re-screen queue's groups and of the checks that wait in memory for another process's write lock:
// every check answered from the copy stays kept until it is settled or leaves the window, whatever else the store is
// given meanwhile, and an id settles only the entry it names.
import { lockHolder } from '../helpers/lock-holder';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteOfflineStore } from 'borderlink/offline';
import { InputError, StoreError } from '../../src/errors/index';
import { open, scratch } from '../offline/fixtures';

const entry = (requestId: string, checkedAt: number) => ({
  requestId,
  checkedAt,
  context: { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' as const },
  subjects: [{ kind: 'document' as const, documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' as const }],
  sources: ['SLTD' as const],
  offlineHits: [],
});

let children: ChildProcess[] = [];
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) c();
  children = [];
  cleanups = [];
});

function store(): { store: SqliteOfflineStore; path: string } {
  const files = scratch();
  const s = open(files.path);
  cleanups.push(
    () => files.done(),
    () => {
      try {
        s.close();
      } catch {
        // A test that left the lock held: the file goes with the folder.
      }
    },
  );
  return { store: s, path: files.path };
}

/** {@link lockHolder}, its child killed after each test if it is still running. */
async function heldLock(path: string, selfReleaseMs?: number): ReturnType<typeof lockHolder> {
  const holder = await lockHolder(path, selfReleaseMs);
  children.push(holder.child);
  return holder;
}

const thrown = (work: () => unknown): unknown => {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('it did not throw');
};

describe('an entry id', () => {
  it('settles only the entry it names: a place written otherwise, or past its group, settles nothing', () => {
    const { store: s } = store();
    const ids = s.keepManyForRescreen([entry('r-0', 1000), entry('r-1', 2000)]);
    const [grp] = ids[1]!.split('.');
    for (const other of [`${grp}.01`, `${grp}.001`, `${grp}.1 `, ` ${grp}.1`, `${grp}.+1`, `${grp}.1.0`, `${grp!.toUpperCase()}.1`, `${grp}.128`, `${grp}.1\n`, grp!]) {
      s.settleRescreen(other);
    }
    expect(s.rescreenDue(0, 10).map((e) => e.id)).toEqual(ids);
  });

  it('settles only the entry it names while its group waits in memory for the lock', async () => {
    const { store: s, path } = store();
    const lock = await heldLock(path);
    const ids = s.keepManyForRescreen([entry('r-0', 1000), entry('r-1', 2000)]);
    const [grp] = ids[1]!.split('.');
    s.settleRescreen(`${grp}.01`);
    await lock.release();
    await expect.poll(() => s.rescreenDue(0, 10).map((e) => e.id)).toEqual(ids);
  });
});

describe('a group of more entries than one group holds', () => {
  it('is kept whole across groups, each entry handed out and settled alone', () => {
    const { store: s } = store();
    const ids = s.keepManyForRescreen(Array.from({ length: 300 }, (_, i) => entry(`r-${i}`, 1000 + i)));
    expect(new Set(ids).size).toBe(300);
    expect(new Set(ids.map((id) => id.split('.')[0])).size).toBe(3);
    const due = s.rescreenDue(0, 1000);
    expect(due.map((e) => [e.id, e.requestId])).toEqual(ids.map((id, i) => [id, `r-${i}`]));
    s.settleRescreen(ids[128]!);
    expect(s.rescreenDue(0, 1000)).toHaveLength(299);
    expect(s.rescreenDue(0, 1000).some((e) => e.id === ids[128])).toBe(false);
  });
});

describe('a check kept with a time no date can hold', () => {
  it('is refused by name, and the checks kept after it are kept and handed out', () => {
    const { store: s } = store();
    for (const checkedAt of [1e20, -1e20, 2 ** 63, 1e300]) {
      const error = thrown(() => s.keepForRescreen(entry('r-bad', checkedAt)));
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues).toEqual([{ path: 'entry.checkedAt', message: 'must be a time in epoch milliseconds' }]);
    }
    const id = s.keepForRescreen(entry('r-good', 1000));
    expect(s.rescreenDue(0, 10).map((e) => [e.id, e.requestId])).toEqual([[id, 'r-good']]);
  });
});

describe('checks waiting in memory for another process to let go of the lock', () => {
  it('are not lost when the store is closed while the lock is still held: close says so, and a later close writes them', async () => {
    const { store: s, path } = store();
    const lock = await heldLock(path);
    s.keepForRescreen(entry('r-1', 1000));
    const error = thrown(() => s.close());
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_BUSY');
    await lock.release();
    s.close();
    const again = open(path);
    try {
      expect(again.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-1']);
    } finally {
      again.close();
    }
  }, 20_000);

  it('are written by a process that ends without closing its store, once the lock is free', async () => {
    const { store: s, path } = store();
    const lock = await heldLock(path, 1500);
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'fixtures/keep-and-end-child.ts'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await once(child, 'exit');
    await lock.release();
    expect(out).toMatch(/^KEPT \S+$/m);
    expect(s.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-ended']);
  }, 30_000);

  it('past the bound, a check is refused at once as busy, without holding the answer for the lock, and those that waited stay kept', async () => {
    const { store: s, path } = store();
    const lock = await heldLock(path);
    const first = s.keepManyForRescreen(Array.from({ length: 10_000 }, (_, i) => entry(`r-${i}`, 1000)));
    const error = thrown(() => s.keepForRescreen(entry('r-over', 1000)));
    // STORE_BUSY, not STORE_FAILED: a keep that waited out the busy timeout failed with SQLite's SQLITE_BUSY.
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_BUSY');
    await lock.release();
    await expect.poll(() => s.rescreenDue(0, 10_000).length).toBe(10_000);
    expect(new Set(s.rescreenDue(0, 10_000).map((e) => e.id))).toEqual(new Set(first));
  }, 30_000);
});

describe('a kept check holding a value JSON cannot write', () => {
  it('is refused as an InputError naming the entry, and the checks kept after it are kept', () => {
    const { store: s } = store();
    const odd = { ...entry('r-odd', 1000), context: { ...entry('r-odd', 1000).context, locationId: 10n } } as never;
    let error: unknown;
    try {
      s.keepManyForRescreen!([entry('r-1', 1000), odd]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('entries');
    expect((error as InputError).message).not.toContain('10');
    s.keepForRescreen(entry('r-2', 2000));
    expect(s.rescreenDue(0, 10).map((e) => e.requestId)).toEqual(['r-2']);
  });
});
