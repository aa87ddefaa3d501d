// Never lose a hit: a manifest row whose name is a placeholder for an unknown name (`-`, `.`) still has its document
// checked. Today the whole row fails validation, so a stolen passport reads as an input error (exit 3) instead of a
// HIT (exit 1), while the same row with the name left empty is checked and hits.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-review-placeholder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('screen: a row whose surname is a placeholder', () => {
  it.each([['-'], ['.'], ["'"]])('still checks its document and keeps the HIT (surname %j)', async (surname) => {
    const path = join(dir, `p${surname.charCodeAt(0)}.csv`);
    // L898902C3 (UTO) is a stolen passport in the demo dataset.
    writeFileSync(path, `id,document_number,issuing_state,surname\nr1,L898902C3,UTO,"${surname}"\n`);
    const { code, stdout } = await runCli(['screen', path, '--no-progress']);
    expect(JSON.parse(stdout.trim())).toMatchObject({ id: 'r1', verdict: 'HIT' });
    expect(code).toBe(1);
  });
});
