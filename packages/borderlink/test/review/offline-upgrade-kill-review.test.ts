// Review of the move of a layout 1 file (a re-screen entry a row, sealed to its own id) to layout 2 (entries sealed in
// groups): on a file written as layout 1 wrote it, by a process killed with SIGKILL at random moments of the move, the
// file always opens afterwards, as one layout or the other, whole, every entry kept once, and nothing readable in it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreKeys } from '../../src/offline/crypto';
import { KEYS, open, scratch } from '../offline/fixtures';

const CHILD = resolve(__dirname, 'fixtures/open-store-child.ts');
const ENTRIES = 20_000;
const DOCUMENT = 'ZQ7741X09';
const OPERATOR = 'officer-plant-7731';
const SURNAME = 'WOLKENSTEINER';

const entry = (i: number) => ({
  requestId: `req-${i}`,
  checkedAt: 1_000_000 + i,
  context: { authorityId: 'UTO-POLICE', operatorId: OPERATOR, purpose: 'BORDER_CHECK' },
  subjects: [
    { kind: 'document', documentNumber: `${DOCUMENT}${i}`, issuingState: 'UTO', documentType: 'PASSPORT' },
    { kind: 'person', surname: SURNAME, givenNames: ['ANNA'], dateOfBirth: '1980-01-02' },
  ],
  sources: ['SLTD', 'NOMINAL'],
  offlineHits: [],
});

/** A store file of layout 1, as borderlink wrote it before its re-screen entries were sealed in groups. */
function layoutOne(path: string): void {
  open(path).close();
  const raw = new Database(path);
  const keys = new StoreKeys(KEYS.hmacKey, KEYS.encryptionKey);
  raw.exec(`DROP TABLE rescreen; DROP TABLE rescreen_groups;
    CREATE TABLE rescreen (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, checked_at INTEGER NOT NULL, payload BLOB NOT NULL) STRICT;
    CREATE INDEX rescreen_checked ON rescreen (checked_at, seq);`);
  const insert = raw.prepare('INSERT INTO rescreen (id, checked_at, payload) VALUES (?, ?, ?)');
  raw.transaction(() => {
    for (let i = 0; i < ENTRIES; i++) {
      const id = `v1-${i.toString(16)}`;
      insert.run(id, entry(i).checkedAt, keys.seal('rescreen', Buffer.from(id), JSON.stringify(entry(i))));
    }
  })();
  raw.prepare("UPDATE meta SET value = 1 WHERE name = 'schemaVersion'").run();
  raw.close();
}

/** Opens the store in a child process killed `killAtMs` after it starts opening; whether it finished first. */
function openAndKill(path: string, killAtMs: number): Promise<boolean> {
  return new Promise((done) => {
    // Node with the TypeScript loader, never the tsx command: killed, it would leave the script running on its own.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const start = /^START (\d+)$/m.exec(out);
      if (start !== null && Number(start[1]) !== child.pid) throw new Error('the process opening the store is not the one spawned');
      if (start !== null && timer === undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAtMs);
    });
    child.on('exit', () => {
      if (timer !== undefined) clearTimeout(timer);
      done(out.includes('OPENED'));
    });
  });
}

/** The layout the file is at, read without the store (opening it would move it). */
function layoutOf(path: string): { version: unknown; ok: string; tables: string[] } {
  const raw = new Database(path);
  try {
    return {
      version: raw.prepare("SELECT value FROM meta WHERE name = 'schemaVersion'").pluck().get(),
      ok: raw.pragma('integrity_check', { simple: true }) as string,
      tables: raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'rescreen%' ORDER BY name").pluck().all() as string[],
    };
  } finally {
    raw.close();
  }
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

describe('a layout 1 file moved to layout 2 by a process killed part way', () => {
  it('opens afterwards, at one layout or the other, whole, every entry kept once, nothing readable', async () => {
    const files = scratch();
    cleanups.push(files.done);
    layoutOne(files.path);
    let finished = false;
    const layouts: unknown[] = [];
    // Killed sooner and later each time, until one run finished the move.
    for (let k = 0; k < 8 && !finished; k++) {
      finished = await openAndKill(files.path, 40 + k * 60 + Math.floor(Math.random() * 40));
      const at = layoutOf(files.path);
      expect(at.ok).toBe('ok');
      expect([
        { version: 1, tables: ['rescreen', 'sqlite_sequence'] },
        { version: 2, tables: ['rescreen', 'rescreen_groups', 'sqlite_sequence'] },
      ]).toContainEqual({ version: at.version, tables: at.tables.filter((t) => t !== 'sqlite_sequence').concat('sqlite_sequence').sort() });
      layouts.push(at.version);
    }
    const store = open(files.path);
    try {
      const due = store.rescreenDue(0, 10_000);
      expect(due.map((e) => e.requestId)).toEqual(Array.from({ length: 10_000 }, (_, i) => `req-${i}`));
      for (const e of due.slice(0, 5_000)) store.settleRescreen(e.id);
      const left = store.rescreenDue(0, 10_000);
      expect(left.map((e) => e.requestId)).toEqual(Array.from({ length: 10_000 }, (_, i) => `req-${5_000 + i}`));
      expect(left[0]).toMatchObject({ ...entry(5_000), id: expect.any(String) });
      expect(store.checkIntegrity()).toEqual({ ok: true, problems: [] });
    } finally {
      store.close();
    }
    expect(layoutOf(files.path)).toMatchObject({ version: 2, ok: 'ok' });
    for (const file of [files.path, `${files.path}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      for (const planted of [DOCUMENT, OPERATOR, SURNAME, 'req-1']) expect(bytes.includes(planted), `${planted} in ${file}`).toBe(false);
    }
    // Killed before the move committed at least once (the first kill comes 40 ms into opening 20,000 entries).
    expect(layouts).toContain(1);
  }, 120_000);
});
