// Rule 1 at the gate, in screen's JSON lines: a PAXLST traveller carries the answer the carrier gets for it
// (`boarding`, the CUSRES answer), so a traveller whose row reads NO_HIT (its person, the one thing it had to search)
// but who is not cleared to board never reads as cleared.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenizeEdifact } from 'borderlink/manifests';
import { root, runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-boarding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function paxlst(body: string[]): string {
  const segments = ['UNH+1+PAXLST:D:05B:UN:IATA', 'BGM+745', 'TDT+20+ZZ1', 'LOC+125+FRA', 'LOC+87+UTO', ...body];
  return `UNB+UNOA:4+ZZAIRLINE+UTOAPI+250301:0900+1'\n${segments.map((s) => `${s}'\n`).join('')}UNT+${segments.length + 1}+1'\nUNZ+1+1'\n`;
}

interface Row {
  id: string | null;
  verdict: string | null;
  boarding?: string;
  error?: { code: string };
}
const rowsOf = (text: string): Row[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);

describe.concurrent('screen on a PAXLST: the boarding answer of each traveller', () => {
  it('marks a traveller without a document CONTACT though its person answered NO_HIT, as the CUSRES answer does', async () => {
    const path = join(dir, 'no-document.edi');
    const cusres = join(dir, 'no-document-answer.edi');
    writeFileSync(path, paxlst(['NAD+FL+++OTHER:JO', 'DTM+329:19770707:102', 'DOC+P+X1234567', 'LOC+91+UTO', 'NAD+FL+++NODOC:JO', 'DTM+329:19800101:102']));
    const { code, stdout, stderr } = await runCli(['screen', path, '--cusres', cusres]);
    const rows = rowsOf(stdout).sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows.map((r) => [r.id, r.verdict, r.boarding])).toEqual([
      ['1', 'NO_HIT', 'BOARD'],
      ['2', 'NO_HIT', 'CONTACT'],
    ]);
    const answers = tokenizeEdifact(readFileSync(cusres, 'utf8')).filter((s) => s.tag === 'ERC').map((s) => s.elements[0]![0]);
    expect(answers).toEqual(['0Z', '2Z']);
    expect(stderr).toContain('  boarding (the CUSRES answer): BOARD 1 · NO_BOARD 0 · CONTACT 1');
    // The exit code is still the rows' verdicts'; what the carrier is told is the boarding answer.
    expect(code).toBe(0);
  });

  it('gives every traveller its answer: NO_BOARD for a HIT, CONTACT for a possible hit and for a traveller not checked', async () => {
    const { stdout } = await runCli(['screen', `${root}packages/borderlink/test/manifests/fixtures/passengers.edi`]);
    const rows = rowsOf(stdout).sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows.map((r) => [r.verdict, r.boarding])).toEqual([
      ['HIT', 'NO_BOARD'],
      ['POSSIBLE_HIT', 'CONTACT'],
      ['NO_HIT', 'BOARD'],
      ['HIT', 'NO_BOARD'],
      ['NO_HIT', 'BOARD'],
    ]);
    const broken = join(dir, 'doc-without-issuer.edi');
    writeFileSync(broken, paxlst(['NAD+FL+++OTHER:JO', 'DTM+329:19770707:102', 'DOC+P+X1234567']));
    const refused = rowsOf((await runCli(['screen', broken])).stdout);
    expect(refused.map((r) => [r.verdict, r.boarding, r.error !== undefined])).toEqual([[null, 'CONTACT', true]]);
  });

  it('adds no boarding answer to a CSV row: a CSV has no carrier to answer', async () => {
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, 'surname,given_names\nNODOC,JO\n');
    const [row] = rowsOf((await runCli(['screen', csv])).stdout);
    expect(row!.verdict).toBe('NO_HIT');
    expect(row).not.toHaveProperty('boarding');
  });
});
