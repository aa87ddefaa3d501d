// `borderlink store inventory|check`: the record of the copy a state keeps, and SQLite's integrity check of the file.
import { closeSync, copyFileSync, openSync, statSync, writeSync } from 'node:fs';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { createMockGateway } from 'borderlink/testing';
import { CONTEXT, runCli } from './run';
import { storeKeys, tempDir } from './store-env';

const tmp = tempDir('borderlink-cli-store-');
afterAll(() => tmp.remove());

async function gatewayUrl(test: TestContext): Promise<string> {
  const g = await createMockGateway();
  test.onTestFinished(() => g.close());
  return g.url;
}

/** Overwrites `bytes` at `offset` of the file. */
function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

describe.concurrent('borderlink store inventory', () => {
  it('says for each source when it was last synced, its cursor, record count, data as of and age; and which never were', async (test) => {
    const keys = storeKeys();
    const path = tmp.path('inventory.db');
    const url = await gatewayUrl(test);
    expect((await runCli(['sync', '--store', path, '--gateway', url, ...CONTEXT, '--sources', 'SLTD,SMV'], { env: keys.env })).code).toBe(0);

    const text = await runCli(['store', 'inventory', '--store', path], { env: keys.env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Offline copy: 2 of 4 sources synced');
    expect(text.stdout).toMatch(/SLTD +2 records · data as of \d{4}-[^ ]+ · last synced \d{4}-[^ ]+ · age \d+ s\n +cursor [A-Za-z0-9_-]+\n/);
    expect(text.stdout).toMatch(/SMV +1 record · data as of/);
    expect(text.stdout).toMatch(/TDAWN +never synced/);
    expect(text.stdout).toMatch(/NOMINAL +never synced/);
    expect(text.stdout).toContain('outbox: 0 writes pending');
    expect(text.stdout).not.toContain('DEMO');

    const json = await runCli(['store', 'inventory', '--store', path, '--json'], { env: keys.env });
    expect(json.code).toBe(0);
    const inventory = JSON.parse(json.stdout);
    expect(inventory.outboxPending).toBe(0);
    expect(inventory.sources.map((s: { source: string; synced: boolean }) => [s.source, s.synced])).toEqual([
      ['SLTD', true],
      ['TDAWN', false],
      ['NOMINAL', false],
      ['SMV', true],
    ]);
    expect(inventory.sources[0]).toEqual({
      source: 'SLTD',
      synced: true,
      origin: 'gateway',
      syncedAt: expect.stringMatching(/^\d{4}-/),
      cursor: expect.any(String),
      recordCount: 2,
      dataAsOf: expect.stringMatching(/^\d{4}-/),
      ageSeconds: expect.any(Number),
    });
  });

  it('marks a demo copy, and shows the cursor the gateway gave', async () => {
    const keys = storeKeys();
    const path = tmp.path('inventory-demo.db');
    expect((await runCli(['sync', '--store', path, '--sources', 'TDAWN'], { env: keys.env })).code).toBe(0);
    const text = await runCli(['store', 'inventory', '--store', path], { env: keys.env });
    expect(text.stdout).toContain('DEMO copy: synthetic data from the demo gateway');
    const json = JSON.parse((await runCli(['store', 'inventory', '--store', path, '--json'], { env: keys.env })).stdout);
    const tdawn = json.sources.find((s: { source: string }) => s.source === 'TDAWN');
    expect(tdawn.origin).toBe('demo');
    expect(tdawn.cursor).not.toMatch(/demo/);
  });

  it('refuses a store file that does not exist rather than make an empty one (exit 4)', async () => {
    const keys = storeKeys();
    for (const sub of ['inventory', 'check']) {
      const result = await runCli(['store', sub, '--store', tmp.path('none.db')], { env: keys.env });
      expect(result.code).toBe(4);
      expect(result.stderr).toBe('borderlink: the file given to --store does not exist: make the store with borderlink sync --store PATH\n');
    }
    expect((await runCli(['store', 'list', '--store', tmp.path('none.db')], { env: keys.env })).code).toBe(4);
  });
});

describe.concurrent('borderlink store check', () => {
  it('says a whole file is whole (exit 0), and lists what integrity_check finds in a damaged one, a line each (exit 5)', async () => {
    const keys = storeKeys();
    const path = tmp.path('check.db');
    expect((await runCli(['sync', '--store', path], { env: keys.env })).code).toBe(0);
    const ok = await runCli(['store', 'check', '--store', path], { env: keys.env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('The store file is whole (SQLite integrity_check: ok).\n');
    expect(JSON.parse((await runCli(['store', 'check', '--store', path, '--json'], { env: keys.env })).stdout)).toEqual({ ok: true, problems: [] });

    // The cell count in the header of page 3 raised: SQLite still opens the file, and integrity_check finds the cells.
    const broken = tmp.path('broken.db');
    copyFileSync(path, broken);
    overwrite(broken, 4096 * 2 + 3, Buffer.from([0x00, 0x09]));
    const damaged = await runCli(['store', 'check', '--store', broken], { env: keys.env });
    expect(damaged.code, damaged.stdout + damaged.stderr).toBe(5);
    const [head, ...problems] = damaged.stdout.trimEnd().split('\n');
    expect(head).toBe(`SQLite integrity_check found ${problems.length} problems: restore the file or sync a new one`);
    expect(problems.length).toBeGreaterThan(1);
    for (const line of problems) expect(line).toMatch(/^ {2}\S/);
    expect(problems.some((line) => /^ {2}Tree \d+ page \d+ cell \d+: /.test(line))).toBe(true);
    expect(JSON.parse((await runCli(['store', 'check', '--store', broken, '--json'], { env: keys.env })).stdout).ok).toBe(false);
  });

  it('says in one line that SQLite cannot read a file ruined past its first pages (exit 5)', async () => {
    const keys = storeKeys();
    const path = tmp.path('ruined.db');
    expect((await runCli(['sync', '--store', path], { env: keys.env })).code).toBe(0);
    const size = statSync(path).size;
    overwrite(path, 8192, Buffer.alloc(size - 8192, 0x5a));
    const result = await runCli(['store', 'check', '--store', path], { env: keys.env });
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^borderlink: [^\n]*\(SQLITE_CORRUPT\) \(STORE_FAILED\)\n$/);
  });
});
