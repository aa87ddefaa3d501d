// The demo gateway answers only when nothing about a gateway or a context is configured; anything configured without
// a gateway URL is a usage error, never synthetic answers for real travellers. And a demo answer says so on every line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTEXT, runCli, startGateway } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clear = ['check', 'document', '--number', 'X1234567', '--state', 'UTO', '--type', 'PASSPORT'];
const stolen = ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT'];

function expectRefused(result: { code: number | null; stdout: string; stderr: string }, named: string): void {
  expect(result.code).toBe(4);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^borderlink: no gateway URL, but a gateway is configured/);
  expect(result.stderr).toContain(named);
  expect(result.stderr).toContain('give --gateway URL or set BORDERLINK_GATEWAY_URL');
}

describe.concurrent('borderlink: the demo gateway only when nothing is configured', () => {
  it('refuses to screen against demo data when BORDERLINK_GATEWAY_URL is set but empty (exit 4, not 0)', async () => {
    expectRefused(await runCli(clear, { env: { BORDERLINK_GATEWAY_URL: '' } }), 'BORDERLINK_GATEWAY_URL=""');
    const manifest = join(dir, 'clear.csv');
    writeFileSync(manifest, 'document_number,issuing_state\nX1234567,UTO\n');
    expectRefused(await runCli(['screen', manifest], { env: { BORDERLINK_GATEWAY_URL: '' } }), 'BORDERLINK_GATEWAY_URL=""');
  });

  it('refuses the demo gateway when a misspelt BORDERLINK_ variable is set, and names it (never its value)', async () => {
    const result = await runCli(clear, { env: { BORDERLINK_GATEWAY_ULR: 'https://gateway.example.invalid' } });
    expectRefused(result, 'BORDERLINK_GATEWAY_ULR');
    expect(result.stderr).not.toContain('example.invalid');
  });

  it('refuses the demo gateway when any BORDERLINK_ variable of the context is set, even empty', async () => {
    for (const name of ['BORDERLINK_AUTHORITY', 'BORDERLINK_OPERATOR', 'BORDERLINK_PURPOSE', 'BORDERLINK_LOCATION', 'BORDERLINK_TOKEN']) {
      expectRefused(await runCli(clear, { env: { [name]: '' } }), name);
    }
  });

  it('refuses the demo gateway when any connection flag is given without a gateway URL', async () => {
    const pem = join(dir, 'none.pem');
    writeFileSync(pem, '');
    const flags: [string, string[]][] = [
      ['--token', ['--token', 't']],
      ['--ca', ['--ca', pem]],
      ['--cert', ['--cert', pem, '--key', pem]],
      ['--authority', ['--authority', 'UTO-POLICE']],
      ['--operator', ['--operator', 'officer-0042']],
      ['--purpose', ['--purpose', 'BORDER_CHECK']],
      ['--location', ['--location', 'LANE-3']],
      ['--timeout', ['--timeout', '2000']],
    ];
    for (const [name, args] of flags) expectRefused(await runCli([...clear, ...args]), name);
    const manifest = join(dir, 'flag.csv');
    writeFileSync(manifest, 'document_number,issuing_state\nX1234567,UTO\n');
    expectRefused(await runCli(['screen', manifest, ...CONTEXT]), '--authority');
  });

  it('refuses an empty --gateway', async () => {
    const { code, stderr } = await runCli([...clear, '--gateway', '', ...CONTEXT]);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: --gateway needs the URL of the gateway\n');
  });

  it('still answers from the demo gateway when nothing at all is configured', async () => {
    const { code, stdout } = await runCli(clear);
    expect(code).toBe(0);
    expect(stdout).toContain('DEMO GATEWAY — synthetic data, not a real check');
  });
});

describe.concurrent('borderlink: a demo answer is marked on every line', () => {
  it('prefixes every line of the human answer with DEMO │', async () => {
    for (const args of [clear, stolen, ['check', 'person', '--surname', 'STORGARD', '--given', 'NILS ERIK', '--dob', '1968-03-22']]) {
      const { stdout } = await runCli(args);
      const lines = stdout.replace(/\n$/, '').split('\n');
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) expect(line).toMatch(/^DEMO │( |$)/);
    }
  });

  it('prefixes every line with DEMO │ when colour is on too', async () => {
    const { stdout } = await runCli(stolen, { env: { FORCE_COLOR: '1' } });
    const lines = stdout.replace(/\n$/, '').split('\n');
    for (const line of lines) expect(line.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/^DEMO │( |$)/);
  });

  it('marks the --json answer "gateway": "demo"', async () => {
    const { stdout } = await runCli([...clear, '--json']);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout).gateway).toBe('demo');
  });

  it('screen: marks every JSON line, error rows included, and prefixes every summary line with DEMO │', async () => {
    const manifest = join(dir, 'mixed.csv');
    writeFileSync(manifest, 'id,document_number,issuing_state\na,L898902C3,UTO\nb,X1234567,UTO\nc,BAD@,UTO\n');
    const { stdout, stderr } = await runCli(['screen', manifest]);
    const rows = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { gateway?: string; error?: unknown });
    expect(rows).toHaveLength(3);
    expect(rows.some((r) => r.error !== undefined)).toBe(true);
    for (const row of rows) expect(row.gateway).toBe('demo');
    const summary = stderr.trimEnd().split('\n');
    expect(summary.length).toBeGreaterThan(3);
    for (const line of summary) expect(line).toMatch(/^DEMO │ /);
    const out = join(dir, 'mixed.jsonl');
    const toFile = await runCli(['screen', manifest, '--out', out]);
    for (const line of toFile.stdout.trimEnd().split('\n')) expect(line).toMatch(/^DEMO │ /);
  });

  it('marks no line of a real gateway answer', async () => {
    const gateway = await startGateway([]);
    try {
      const { code, stdout } = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT]);
      expect(code).toBe(1);
      expect(stdout).not.toMatch(/^DEMO/m);
      expect(stdout).not.toContain('DEMO GATEWAY');
    } finally {
      await gateway.stop();
    }
  });
});
