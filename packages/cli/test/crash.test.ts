// A failure nobody caught must not read as a verdict: Node's default is a stack and exit 1, and 1 means HIT.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, root, runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clear = ['check', 'document', '--number', 'X1234567', '--state', 'UTO', '--type', 'PASSPORT'];
/** The hidden test hook of main.ts: honoured only with NODE_ENV=test. */
const fault = (kind: string) => ({ NODE_ENV: 'test', __BORDERLINK_TEST_FAULT: kind });

describe.concurrent('borderlink: an uncaught failure exits 6 with one line', () => {
  for (const kind of ['uncaught', 'rejection']) {
    it(`exits 6, not 1, with one line, no stack and no message text, on an ${kind === 'uncaught' ? 'uncaught exception' : 'unhandled rejection'}`, async () => {
      const { code, stderr } = await runCli(clear, { env: fault(kind) });
      expect(code).toBe(6);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toBe('borderlink: unexpected failure (Error); run again with --debug for details\n');
      expect(stderr).not.toContain('L898902C3');
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('shows the stack of such a failure with --debug, and still exits 6', async () => {
    const { code, stderr } = await runCli([...clear, '--debug'], { env: fault('uncaught') });
    expect(code).toBe(6);
    expect(stderr).toMatch(/^borderlink: unexpected failure \(Error\)/);
    expect(stderr).toMatch(/\n\s+at /);
  });

  it('ignores the test hook outside NODE_ENV=test', async () => {
    const { code } = await runCli(clear, { env: { NODE_ENV: 'production', __BORDERLINK_TEST_FAULT: 'uncaught' } });
    expect(code).toBe(0);
  });

  it('exits 6, not 1, when stderr is closed before the summary of a clear screen is written', async () => {
    const manifest = join(dir, 'clear.csv');
    writeFileSync(manifest, 'document_number,issuing_state\nX1234567,UTO\n');
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, 'screen', manifest], { env: cleanEnv(), cwd: root });
      // The reader of stderr goes away at once: the command's write of the summary fails with EPIPE.
      child.stderr.destroy();
      child.stdout.resume();
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(code).toBe(6);
  });

  it('stops with exit 6 and one line when the --out file cannot be written, never the verdict of the rows', async () => {
    expect(existsSync('/dev/full')).toBe(true);
    const manifest = join(dir, 'hit.csv');
    writeFileSync(manifest, 'id,document_number,issuing_state\na,L898902C3,UTO\nb,X1234567,UTO\n');
    const { code, stdout, stderr } = await runCli(['screen', manifest, '--out', '/dev/full']);
    expect(code).toBe(6);
    expect(stderr).toBe('borderlink: the JSON lines could not all be written to the file given to --out (ENOSPC)\n');
    expect(stdout).toMatch(/^DEMO │ Stopped after/);
  });
});
