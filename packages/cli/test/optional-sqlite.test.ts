// better-sqlite3 stays optional for the command: only the commands that open a store load borderlink/offline (and
// through it the driver); without the driver they say what to install. The missing modules are simulated with a
// preloaded hook that makes them impossible to find, as on a machine where they were never installed.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { SPECIMEN_MRZ, runCli } from './run';
import { storeKeys, tempDir } from './store-env';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** Neither borderlink/offline nor better-sqlite3 can be found, by import or by require. */
const WITHOUT_BOTH = ['--require', fixture('without-sqlite.cjs'), '--import', fixture('without-offline.mjs')];
const WITHOUT_SQLITE = ['--require', fixture('without-sqlite.cjs')];

describe.concurrent('the command without better-sqlite3', () => {
  it('answers --version, help and a check without a store, never loading borderlink/offline or better-sqlite3', async () => {
    const version = await runCli(['--version'], { nodeArgs: WITHOUT_BOTH });
    expect(version.code).toBe(0);
    expect((await runCli(['help', 'sync'], { nodeArgs: WITHOUT_BOTH })).code).toBe(0);
    const check = await runCli(['check', '--mrz', ...SPECIMEN_MRZ], { nodeArgs: WITHOUT_BOTH, env: storeKeys().env });
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout).toMatch(/^DEMO │ HIT\b/);
  });

  it('says what to install when a command needs the store, in one line (exit 4)', async () => {
    const tmp = tempDir('borderlink-cli-nosqlite-');
    try {
      const keys = storeKeys();
      const store = tmp.path('copy.db');
      for (const args of [
        ['sync', '--store', store],
        ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT', '--offline-store', tmp.dir],
        ['outbox', 'list', '--store', tmp.dir],
        ['store', 'inventory', '--store', tmp.dir],
      ]) {
        const result = await runCli(args, { nodeArgs: WITHOUT_SQLITE, env: keys.env });
        expect(result.code, result.stderr).toBe(4);
        expect(result.stdout).toBe('');
        expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain('needs better-sqlite3');
        expect(result.stderr).toContain('npm install better-sqlite3@12');
      }
    } finally {
      tmp.remove();
    }
  });

  it('says the install is broken when borderlink/offline itself cannot be found (exit 4)', async () => {
    const tmp = tempDir('borderlink-cli-nooffline-');
    try {
      const result = await runCli(['store', 'inventory', '--store', tmp.dir], { nodeArgs: WITHOUT_BOTH, env: storeKeys().env });
      expect(result.code).toBe(4);
      expect(result.stderr).toBe('borderlink: the installed borderlink has no borderlink/offline: reinstall @borderlink/cli\n');
    } finally {
      tmp.remove();
    }
  });
});
