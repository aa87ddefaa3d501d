import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startGateway } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-screen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1,000 rows: every 100th the stolen specimen passport (HIT), every 250th a person one letter off (POSSIBLE_HIT). */
function writeManifest(): string {
  const lines = ['Passport_Number,issuing_state,Document Type,last_name,first_name,dob,Nationality,sex,seat'];
  for (let i = 1; i <= 1000; i++) {
    if (i % 100 === 0) lines.push(`L898902C3,UTO,P,,,,,,${i}A`);
    else if (i % 250 === 125) lines.push(`,,,STORGARD,"NILS ERIK",1968-03-22,UTO,M,${i}B`);
    else lines.push(`X${String(i).padStart(7, '0')},UTO,P,"DOE, JR",JANE,1990-01-01,UTO,F,${i}C`);
  }
  const path = join(dir, 'manifest.csv');
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

interface Row {
  id: string | null;
  row?: number;
  verdict: string | null;
  hits: unknown[];
  outcomes: { source: string; status: string }[];
  error?: { code: string; message: string };
  gateway?: string;
}

const rowsOf = (text: string): Row[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);

describe.concurrent('borderlink screen', () => {
  it('screens a 1,000-row CSV: one JSON line per row, each id once, a summary on stderr, exit 1 for the hits', async () => {
    const manifest = writeManifest();
    const { code, stdout, stderr } = await runCli(['screen', manifest, '--batch-size', '50', '--concurrency', '4', '--ignore-column', 'seat']);
    const rows = rowsOf(stdout);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => String(i + 1))));
    const count = (v: string) => rows.filter((r) => r.verdict === v).length;
    expect(count('HIT')).toBe(10);
    expect(count('POSSIBLE_HIT')).toBe(4);
    expect(count('NO_HIT')).toBe(986);
    expect(rows.find((r) => r.id === '100')).toMatchObject({ verdict: 'HIT', gateway: 'demo' });
    expect(rows.every((r) => r.error === undefined)).toBe(true);
    expect(stderr).toMatch(/^DEMO │ Screened 1000 rows in /);
    expect(stderr).toContain('HIT 10 · POSSIBLE_HIT 4 · INCOMPLETE 0 · NO_HIT 986 · errors 0');
    expect(stderr).toContain('hits by source: SLTD 10, NOMINAL 4');
    expect(stderr).toContain('DEMO GATEWAY — synthetic data, not a real check');
    expect(code).toBe(1);
  });

  it('writes to --out and puts the summary on stdout', async () => {
    const manifest = writeManifest();
    const out = join(dir, 'out.jsonl');
    const { code, stdout } = await runCli(['screen', manifest, '--out', out, '--ignore-column', 'seat']);
    expect(code).toBe(1);
    expect(rowsOf(readFileSync(out, 'utf8'))).toHaveLength(1000);
    expect(stdout).toMatch(/^DEMO │ Screened 1000 rows/);
  });

  it('screens JSONL from stdin with ids, manifest keys, an mrz and { id, subjects }; a bad line is an error row, not a crash', async () => {
    const input = [
      JSON.stringify({ id: 'p1', documentNumber: 'X1234567', issuingState: 'UTO', documentType: 'PASSPORT' }),
      JSON.stringify({ id: 'p2', surname: 'STORGARD', givenNames: 'NILS ERIK', dateOfBirth: '1968-03-22' }),
      JSON.stringify({ id: 'p3', mrz: 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10' }),
      JSON.stringify({ id: 'v1', subjects: [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }] }),
      '{ not json',
      '',
    ].join('\n');
    const { code, stdout, stderr } = await runCli(['screen', '-'], { input });
    const byId = new Map(rowsOf(stdout).map((r) => [String(r.id), r]));
    // The bad line has no id of its own: it is answered under none, with its row number.
    expect([...byId.keys()].sort()).toEqual(['null', 'p1', 'p2', 'p3', 'v1']);
    expect(byId.get('p1')!.verdict).toBe('NO_HIT');
    expect(byId.get('p2')!.verdict).toBe('POSSIBLE_HIT');
    expect(byId.get('p3')!.verdict).toBe('HIT');
    expect(byId.get('v1')!.verdict).toBe('HIT');
    expect(byId.get('null')).toMatchObject({ row: 5, verdict: null, error: { code: 'INVALID_INPUT' } });
    expect(stderr).toContain('errors 1');
    expect(code).toBe(1);
  });

  it('exits 0 when every row is NO_HIT, and 3 when a row could not be read', async () => {
    const clear = join(dir, 'clear.jsonl');
    writeFileSync(clear, `${JSON.stringify({ documentNumber: 'X1', issuingState: 'UTO' })}\n`);
    expect((await runCli(['screen', clear])).code).toBe(0);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'surname,document_number,issuing_state\n,BAD@NUMBER,UTO\nNOBODY,,\n');
    const { code, stdout, stderr } = await runCli(['screen', bad]);
    expect(code).toBe(3);
    const rows = rowsOf(stdout);
    expect(rows.find((r) => r.id === '1')!.error!.code).toBe('INVALID_INPUT');
    expect(stdout).not.toContain('BAD@NUMBER');
    expect(stderr).not.toContain('BAD@NUMBER');
  });

  it('exits 4 for a manifest it cannot read or a CSV header with no known column', async () => {
    const missing = await runCli(['screen', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe(`borderlink: cannot read the manifest file "${join(dir, 'nope.csv')}": it does not exist (ENOENT)\n`);
    const odd = join(dir, 'odd.csv');
    writeFileSync(odd, 'seat,meal\n1A,veg\n');
    const header = await runCli(['screen', odd]);
    expect(header.code).toBe(4);
    expect(header.stderr).toMatch(/^borderlink: the CSV header names no known column/);
  });

  it('exits 8 when the gateway refuses the rows for their credentials, each row carrying the error', async () => {
    const gateway = await startGateway(['--token', 'secret-token']);
    try {
      const manifest = join(dir, 'few.csv');
      writeFileSync(manifest, 'id,document_number,issuing_state\na,X1,UTO\nb,L898902C3,UTO\n');
      const { code, stdout } = await runCli(['screen', manifest, '--gateway', gateway.url, '--authority', 'UTO-POLICE', '--operator', 'ops', '--purpose', 'MANIFEST_SCREENING']);
      expect(code).toBe(8);
      const rows = rowsOf(stdout);
      expect(rows.map((r) => r.error?.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
      expect(rows[0]!.gateway).toBeUndefined();
    } finally {
      await gateway.stop();
    }
  });
});
