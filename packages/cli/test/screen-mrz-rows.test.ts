// `screen` rows that carry an MRZ: what the row gives must be checked, or the row must not come out clear. Today the
// MRZ column wins over every other column, and a holder the MRZ names but the client cannot search is dropped
// without a trace (check --mrz says INCOMPLETE for the same MRZ; screen says NO_HIT and exits 0).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatMrz } from 'borderlink';
import { runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-review-mrz-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function manifest(text: string, ext = 'csv'): string {
  const path = join(dir, `m${++files}.${ext}`);
  writeFileSync(path, text);
  return path;
}
const rowsOf = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; verdict: string | null; outcomes: { source: string; status: string }[] });

// A clean passport (not in the demo dataset), as an MRZ.
const cleanMrz = formatMrz({
  format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'ZZ9876543', surname: 'NOBODY', givenNames: ['JOHN'],
  nationality: 'UTO', birthDate: '1980-01-01', sex: 'M', expiryDate: '2032-04-15',
}).join('|');
// A valid MRZ whose holder has eleven given names (the protocol carries ten).
const manyNamesMrz = formatMrz({
  format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'ZZ9876543', surname: 'X',
  givenNames: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F',
  expiryDate: '2032-04-15',
}).join('|');

describe.concurrent('screen: a row with an MRZ', () => {
  it('never exits 0 with a document number column holding a stolen passport beside an MRZ of another document', async () => {
    // L898902C3 (UTO) is a stolen passport in the demo dataset.
    const path = manifest(`id,document_number,issuing_state,mrz\nr1,L898902C3,UTO,${cleanMrz}\n`);
    const { code, stdout } = await runCli(['screen', path, '--no-progress']);
    expect(rowsOf(stdout)[0]!.verdict).not.toBe('NO_HIT');
    expect(code).not.toBe(0);
  });

  it('never exits 0 in JSONL either, with a documentNumber key beside an mrz key', async () => {
    const path = manifest(`${JSON.stringify({ id: 'r1', documentNumber: 'L898902C3', issuingState: 'UTO', mrz: cleanMrz })}\n`, 'jsonl');
    const { code, stdout } = await runCli(['screen', path, '--no-progress']);
    expect(rowsOf(stdout)[0]!.verdict).not.toBe('NO_HIT');
    expect(code).not.toBe(0);
  });

  it('searches the holder of an MRZ with eleven given names in NOMINAL, as check --mrz does (the first ten are sent)', async () => {
    const check = await runCli(['check', '--mrz', ...manyNamesMrz.split('|'), '--json']);
    const checked = JSON.parse(check.stdout) as { outcomes: { source: string; status: string }[] };
    expect(checked.outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN', 'NOMINAL']);
    const { code, stdout } = await runCli(['screen', manifest(`id,mrz\nr1,${manyNamesMrz}\n`), '--no-progress']);
    const [row] = rowsOf(stdout);
    expect(row!.outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN', 'NOMINAL']);
    expect(code).toBe(check.code);
  });
});
