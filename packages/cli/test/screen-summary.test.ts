// What `borderlink screen` says of its run: the request id on every line (what an officer quotes when confirming a
// hit), the exit-code ranking in the summary, `--fail-on error` for a pipeline that treats any error as the worst,
// and, after a real Ctrl-C against a slow gateway, how many rows were never screened.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTEXT, cleanEnv, cli, root, runCli, startGateway } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  id: string | null;
  verdict: string | null;
  requestId: string | null;
  error?: { code: string };
}
const rowsOf = (text: string): Row[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const HIT_FIRST = 'HIT 1 > POSSIBLE_HIT 2 > access refused 8 > gateway error 5 > INCOMPLETE 3 > NO_HIT 0';
const ERROR_FIRST = 'access refused 8 > gateway error 5 > unreadable row 4 > HIT 1 > POSSIBLE_HIT 2 > INCOMPLETE 3 > NO_HIT 0';

describe.concurrent('borderlink screen, its lines and its summary', () => {
  it('gives every line the request id of the check that answered it, and null to a row never sent', async () => {
    const manifest = file('ids.csv', 'id,document_number,issuing_state,surname\na,L898902C3,UTO,\nb,X1234567,UTO,\nc,,,\n');
    const { stdout } = await runCli(['screen', manifest]);
    const rows = rowsOf(stdout);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId.a!.requestId).toMatch(/^[\w-]{8,}$/);
    expect(byId.b!.requestId).toMatch(/^[\w-]{8,}$/);
    expect(byId.c!.error?.code).toBe('INVALID_INPUT');
    expect(byId.c!.requestId).toBeNull();
  });

  it('states in the summary which exit code the run has and the ranking that chose it', async () => {
    const manifest = file('ranked.csv', 'document_number,issuing_state\nL898902C3,UTO\nX1234567,UTO\n');
    const { code, stderr } = await runCli(['screen', manifest]);
    expect(code).toBe(1);
    expect(stderr).toContain(`  exit 1: the worst row by ${HIT_FIRST}\n`);
    const clear = await runCli(['screen', file('clear.csv', 'document_number,issuing_state\nX1234567,UTO\n')]);
    expect(clear.code).toBe(0);
    expect(clear.stderr).toContain(`  exit 0: the worst row by ${HIT_FIRST}\n`);
  });

  it('--fail-on error: a gateway error outranks a HIT, where by default the HIT outranks it', async () => {
    const manifest = file('error-and-hit.csv', 'id,document_number,issuing_state\nfirst,X1234567,UTO\nsecond,L898902C3,UTO\n');
    const args = ['screen', manifest, ...CONTEXT, '--batch-size', '1', '--concurrency', '1'];
    // The first request of each gateway is answered 418: no retry, a gateway error for the first row.
    const [byDefault, failOnError] = await Promise.all([startGateway(['--faults', '418']), startGateway(['--faults', '418'])]);
    try {
      const hitFirst = await runCli([...args, '--gateway', byDefault.url]);
      expect(rowsOf(hitFirst.stdout).map((r) => [r.id, r.verdict, r.error?.code])).toEqual([
        ['first', null, 'GATEWAY_ERROR'],
        ['second', 'HIT', undefined],
      ]);
      expect(hitFirst.code).toBe(1);
      const errorFirst = await runCli([...args, '--gateway', failOnError.url, '--fail-on', 'error']);
      expect(errorFirst.code).toBe(5);
      expect(errorFirst.stderr).toContain(`  exit 5: the worst row by ${ERROR_FIRST} (--fail-on error)\n`);
    } finally {
      await Promise.all([byDefault.stop(), failOnError.stop()]);
    }
  });

  it('--fail-on error: a row that could not be read is exit 4 ahead of a HIT, and 3 by default', async () => {
    const manifest = file('unreadable-and-hit.csv', 'document_number,issuing_state,surname\nL898902C3,UTO,\n,,\n');
    expect((await runCli(['screen', manifest])).code).toBe(1);
    expect((await runCli(['screen', manifest, '--fail-on', 'error'])).code).toBe(4);
    expect((await runCli(['screen', file('unreadable.csv', 'document_number,issuing_state,surname\nX1234567,UTO,\n,,\n')])).code).toBe(3);
    const odd = await runCli(['screen', manifest, '--fail-on', 'HITS']);
    expect(odd.code).toBe(4);
    expect(odd.stderr).toBe('borderlink: --fail-on must be one of hit, error\n');
  });

  it('after a real Ctrl-C against a slow gateway, exits 130 and says how many rows were never screened', async () => {
    const total = 40;
    const manifest = file('slow.csv', `document_number,issuing_state\n${Array.from({ length: total }, (_, i) => `X${2000000 + i},UTO`).join('\n')}\n`);
    const gateway = await startGateway(['--latency', '300']);
    try {
      const child = spawn(process.execPath, [cli, 'screen', manifest, '--gateway', gateway.url, ...CONTEXT, '--batch-size', '1', '--concurrency', '1'], { env: cleanEnv(), cwd: root });
      let stdout = '';
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Ctrl-C once the first row is answered: the screen is under way, most rows still to come.
      await new Promise<void>((resolve) => {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          const first = !stdout.includes('\n');
          stdout += d;
          if (first && stdout.includes('\n')) {
            child.kill('SIGINT');
            resolve();
          }
        });
      });
      expect(await exited).toBe(130);
      const answered = rowsOf(stdout);
      expect(answered.length).toBeGreaterThan(0);
      expect(answered.length).toBeLessThan(total);
      expect(stderr).toContain(`Stopped after ${answered.length} rows`);
      expect(stderr).toContain(`  ${total - answered.length} of ${total} rows never screened (no answer: screen them again)\n`);
      expect(stderr).toContain('  exit 130: stopped before the end; the rows answered rank exit 0');
    } finally {
      await gateway.stop();
    }
  });

  it('after Ctrl-C on standard input, counts the rows read and says the rest was not read', async () => {
    const gateway = await startGateway(['--latency', '300']);
    try {
      const child = spawn(process.execPath, [cli, 'screen', '-', '--format', 'csv', '--gateway', gateway.url, ...CONTEXT, '--batch-size', '1', '--concurrency', '1'], { env: cleanEnv(), cwd: root });
      let stdout = '';
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // The pipe stays open: the command must not wait for its end.
      child.stdin.write(`document_number,issuing_state\n${Array.from({ length: 5 }, (_, i) => `X${3000000 + i},UTO`).join('\n')}\n`);
      await new Promise<void>((resolve) => {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          if (stdout.includes('\n')) resolve();
        });
      });
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const answered = rowsOf(stdout).length;
      const [, never, read] = /\n {2}(\d+) of the (\d+) rows read never screened, and the rest of standard input was not read\n/.exec(stderr) ?? [];
      expect(Number(read) - Number(never)).toBe(answered);
      expect(Number(read)).toBeLessThanOrEqual(5);
    } finally {
      await gateway.stop();
    }
  });
});
