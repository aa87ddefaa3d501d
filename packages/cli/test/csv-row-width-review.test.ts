// Review: a CSV row with more fields than its header has data no column names (a delimiter inside an unquoted field,
// a row split by another delimiter than the header's). Dropped, it would not be searched and the row could read
// NO_HIT on a stolen passport's number: the row is an error instead. Empty fields past the last column (a trailing
// delimiter of an export) hold nothing and are no reason to refuse it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-width-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const rowsOf = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string | null; verdict: string | null; error?: { code: string; message: string } });

describe.concurrent('screen: a CSV row wider than its header', () => {
  it('makes a row with a field past the last column a row error, never a clear of the columns it has', async () => {
    // The stolen passport's number sits past the last column: the header does not name it.
    const { code, stdout } = await runCli(['screen', file('wide.csv', 'id;surname;given_names;document_number;issuing_state\n1;DOE;JOHN;X1234567;UTO;L898902C3\n')]);
    const rows = rowsOf(stdout);
    expect(rows.map((r) => [r.id, r.verdict, r.error?.code])).toEqual([['1', null, 'INVALID_INPUT']]);
    expect(rows[0]!.error!.message).not.toContain('L898902C3');
    expect(code).not.toBe(0);
  });

  it('screens a row whose fields past the last column are empty (a trailing delimiter)', async () => {
    const { code, stdout } = await runCli(['screen', file('trailing.csv', 'document_number,issuing_state\nL898902C3,UTO,\nX1234567,UTO, ,\n')]);
    expect(rowsOf(stdout).map((r) => r.verdict)).toEqual(['HIT', 'NO_HIT']);
    expect(code).toBe(1);
  });
});
