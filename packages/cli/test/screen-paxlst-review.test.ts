// `borderlink screen` on PAXLST files a fresh eye broke: an ISO 8859-1 (UNOC) manifest whose names hold bytes
// 0x80–0x9F, and what the command says about the segments it passed over.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenizeEdifact } from 'borderlink/manifests';
import { runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-paxlst-review-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function paxlst(syntax: string, body: string[]): string {
  const segments = ['UNH+1+PAXLST:D:05B:UN:IATA', 'BGM+745', 'TDT+20+ZZ1', 'LOC+125+FRA', 'LOC+87+UTO', ...body];
  return `UNB+${syntax}:4+ZZAIRLINE+UTOAPI+250301:0900+1'\n${segments.map((s) => `${s}'\n`).join('')}UNT+${segments.length + 1}+1'\nUNZ+1+1'\n`;
}

describe.concurrent('borderlink screen on a PAXLST, reviewed', () => {
  it('writes a UNOC answer whose names keep their bytes: no byte of a name turns into a separator', async () => {
    const path = join(dir, 'unoc.edi');
    const out = join(dir, 'unoc-answer.edi');
    writeFileSync(path, Buffer.from(paxlst('UNOC', ['NAD+FL+++DOE\u009bX\u0085Y:JO', 'DTM+329:19770707:102', 'DOC+P+X1', 'LOC+91+UTO']), 'latin1'));
    await runCli(['screen', path, '--no-progress', '--cusres', out]);
    const nad = tokenizeEdifact(readFileSync(out, 'latin1')).find((s) => s.tag === 'NAD')!;
    expect(nad.elements[3]).toEqual(['DOE\u009bX\u0085Y', 'JO']);
  });

  it('says what the PAXLST reading warned of, by position and code, never by what the segments hold', async () => {
    const path = join(dir, 'passed-over.edi');
    // An unknown segment after the flight, and one inside a traveller's group (which makes that traveller a row error).
    const text = paxlst('UNOA', ['ZZZ+PLANTEDVALUE', 'NAD+FL+++PLANTEDSURNAME:JO', 'DTM+329:19770707:102', 'DOC+P+PLANTDOC9', 'LOC+91+UTO', 'NAD+FL+++OTHER:JO', 'QQQ+PLANTEDNOTE', 'DOC+P+X1', 'LOC+91+UTO']);
    writeFileSync(path, text);
    const { stderr, stdout } = await runCli(['screen', path, '--no-progress']);
    expect(stderr).toContain('PAXLST: 2 warnings: segment 7 (line 7) UNKNOWN_SEGMENT, segment 13 (line 13) UNKNOWN_SEGMENT');
    expect(stdout).toContain('segment 13 (no known tag, line 13)');
    for (const planted of ['PLANTED', 'ZZZ', 'QQQ', 'PLANTDOC9', '19770707']) expect(stderr + stdout).not.toContain(planted);
  });
});
