// `borderlink screen` on an airline's PAXLST: told from CSV by its first segment, screened traveller by traveller
// with the verdicts of its CSV twin, refused by position when broken, and answered with --cusres.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenizeEdifact } from 'borderlink/manifests';
import { root, runCli } from './run';

const fixtures = `${root}packages/borderlink/test/manifests/fixtures`;
const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-paxlst-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  id: string | null;
  row?: number;
  verdict: string | null;
  hits: { recordId: string }[];
  outcomes: { source: string; status: string }[];
  error?: { code: string; message: string };
}
const rowsOf = (text: string): Row[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);
const verdicts = (rows: Row[]) =>
  rows
    .map((r) => ({ id: r.id, verdict: r.verdict, hits: r.hits.map((h) => h.recordId), outcomes: r.outcomes.map((o) => `${o.source}:${o.status}`) }))
    .sort((a, b) => Number(a.id) - Number(b.id));

describe.concurrent('borderlink screen on a PAXLST', () => {
  it('screens a PAXLST with the same verdicts, hits and outcomes as its CSV twin', async () => {
    const paxlst = await runCli(['screen', `${fixtures}/passengers.edi`, '--no-progress']);
    const csv = await runCli(['screen', `${fixtures}/passengers.csv`, '--no-progress']);
    expect(paxlst.code).toBe(1);
    expect(csv.code).toBe(1);
    const rows = verdicts(rowsOf(paxlst.stdout));
    expect(rows.map((r) => r.verdict)).toEqual(['HIT', 'POSSIBLE_HIT', 'NO_HIT', 'HIT', 'NO_HIT']);
    expect(rows).toEqual(verdicts(rowsOf(csv.stdout)));
    expect(paxlst.stderr).toContain('HIT 2 · POSSIBLE_HIT 1 · INCOMPLETE 0 · NO_HIT 2 · errors 0');
  });

  it('tells a PAXLST by its first segment, whatever the file is called, and on standard input', async () => {
    const misnamed = join(dir, 'crew-list.csv');
    copyFileSync(`${fixtures}/crew.edi`, misnamed);
    const byName = await runCli(['screen', misnamed, '--no-progress']);
    expect(rowsOf(byName.stdout).map((r) => r.id).sort()).toEqual(['1', '2', '3']);
    const stdin = await runCli(['screen', '-', '--no-progress'], { input: readFileSync(`${fixtures}/multileg.edi`, 'utf8') });
    expect(rowsOf(stdin.stdout)).toHaveLength(2);
    expect(stdin.code).toBe(0);
  });

  it('writes the CUSRES answer: board only for a clear result, marked as a test interchange from the demo gateway', async () => {
    const out = join(dir, 'answer.edi');
    const { code } = await runCli(['screen', `${fixtures}/passengers.edi`, '--no-progress', '--cusres', out, '--cusres-reference', 'ANS42']);
    expect(code).toBe(1);
    const segments = tokenizeEdifact(readFileSync(out, 'utf8'));
    expect(segments.filter((s) => s.tag === 'ERC').map((s) => s.elements[0]![0])).toEqual(['1Z', '2Z', '0Z', '1Z', '0Z']);
    const unb = segments.find((s) => s.tag === 'UNB')!;
    expect([unb.elements[4]![0], unb.elements[10]![0]]).toEqual(['ANS42', '1']);
    expect(segments.at(-1)!.elements).toEqual([['1'], ['ANS42']]);
  });

  it('answers a traveller that cannot be checked as a row error and contact, and screens the others', async () => {
    const out = join(dir, 'answer-bad-date.edi');
    const { code, stdout } = await runCli(['screen', `${fixtures}/broken-bad-date.edi`, '--no-progress', '--cusres', out]);
    const rows = rowsOf(stdout).sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows.map((r) => [r.id, r.row, r.verdict, r.error?.code])).toEqual([
      ['1', 1, null, 'INVALID_EDIFACT'],
      ['2', undefined, 'NO_HIT', undefined],
    ]);
    expect(rows[0]!.error!.message).toContain('segment 15 (DTM, line 15, element 1)');
    expect(stdout).not.toContain('TANAKA');
    expect(code).toBe(3);
    expect(tokenizeEdifact(readFileSync(out, 'utf8')).filter((s) => s.tag === 'ERC').map((s) => s.elements[0]![0])).toEqual(['2Z', '0Z']);
  });

  it('refuses a broken PAXLST before screening anyone, naming the segment and never a value', async () => {
    const { code, stdout, stderr } = await runCli(['screen', `${fixtures}/broken-unt-count.edi`, '--no-progress']);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toContain('segment 28 (UNT, line 28, element 1)');
    expect(stderr).not.toMatch(/TANAKA|X3000001|ML0001/);
  });

  it('refuses --cusres for a manifest that is not a PAXLST, and a bad --cusres-reference', async () => {
    const csv = await runCli(['screen', `${fixtures}/passengers.csv`, '--cusres', join(dir, 'x.edi')]);
    expect(csv.code).toBe(4);
    expect(csv.stderr).toContain('--cusres answers a PAXLST manifest');
    const ref = await runCli(['screen', `${fixtures}/passengers.edi`, '--cusres', join(dir, 'y.edi'), '--cusres-reference', 'no spaces!']);
    expect(ref.code).toBe(4);
  });

  it('reads a CSV whose first column happens to start with UN as a CSV', async () => {
    const path = join(dir, 'un.csv');
    writeFileSync(path, 'UNIT,document_number,issuing_state\nA,X1000003,UTO\n');
    const { code, stderr } = await runCli(['screen', path, '--no-progress', '--ignore-column', 'unit']);
    expect(stderr).toContain('NO_HIT 1');
    expect(code).toBe(0);
  });
});
