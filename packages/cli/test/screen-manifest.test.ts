// What `screen` makes of a manifest it did not write: columns it cannot map, manifests with nothing to screen, row ids
// that are missing or repeat, and lines past the cap. None of them may come out as a clean screen.
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function manifest(text: string, ext = 'csv'): string {
  const path = join(dir, `m${++files}.${ext}`);
  writeFileSync(path, text);
  return path;
}

interface Row {
  id: string | null;
  row?: number;
  verdict: string | null;
  error?: { code: string; message: string };
}
const rowsOf = (text: string): Row[] => (text.trim() === '' ? [] : text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row));
/** Rows come out as they are answered, refused ones first: compared in a fixed order. */
const sorted = <T>(list: T[]): T[] => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe.concurrent('screen: columns', () => {
  it('refuses a column it cannot map (exit 4), naming it and the known names, and screens nothing', async () => {
    const { code, stdout, stderr } = await runCli(['screen', manifest('id,surname,passprt_no,seat\n1,DOE,L898902C3,12A\n')]);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('column 3 "passprt_no"');
    expect(stderr).toContain('column 4 "seat"');
    expect(stderr).toContain('documentNumber');
    expect(stderr).toContain('--ignore-column');
  });

  it('names an unknown column without its control characters and cut to 40 characters', async () => {
    const long = `notes${'x'.repeat(200)}`;
    const { code, stderr } = await runCli(['screen', manifest(`document_number,issuing_state,"seat\u001b[2J\u009b\u202e",${long}\nX1,UTO,1A,\n`)]);
    expect(code).toBe(4);
    expect(stderr).toContain('column 3 "seat[2J"');
    expect(stderr).toContain(`column 4 "${long.slice(0, 40)}…"`);
    expect(stderr).not.toContain('x'.repeat(41));
    expect(stderr.replace(/\n$/, '')).not.toMatch(/[\p{Cc}\p{Bidi_Control}]/u);
  });

  it('screens a manifest whose unknown columns --ignore-column names (repeatable, compared like headers)', async () => {
    const path = manifest('id,document_number,issuing_state,Seat No.,meal\na,L898902C3,UTO,12A,veg\n');
    const { code, stdout } = await runCli(['screen', path, '--ignore-column', 'seat_no', '--ignore-column', 'MEAL']);
    expect(code).toBe(1);
    expect(rowsOf(stdout)).toMatchObject([{ id: 'a', verdict: 'HIT' }]);
    expect(stdout).not.toContain('12A');
    const one = await runCli(['screen', path, '--ignore-column', 'meal']);
    expect(one.code).toBe(4);
    expect(one.stderr).toContain('"Seat No."');
  });

  it('maps the common spellings of the document number: a passport column is checked, not dropped', async () => {
    for (const header of ['passport', 'passport_no', 'Passport No.', 'passport number', 'document', 'doc_no', 'doc number', 'Document Number', 'travel document number']) {
      const { code, stdout } = await runCli(['screen', manifest(`${header},issuing_state,surname\nL898902C3,UTO,DOE\n`)]);
      expect({ header, code }).toEqual({ header, code: 1 });
      expect(rowsOf(stdout)[0]!.verdict).toBe('HIT');
    }
  });

  it('maps the common spellings of the other fields', async () => {
    const header = 'Doc No,Country of Issue,Doc Type,Family Name,Forenames,Birth Date,Citizenship,Gender';
    const { code, stdout, stderr } = await runCli(['screen', manifest(`${header}\nL898902C3,UTO,P,STORGARD,NILS ERIK,1968-03-22,UTO,M\n`)]);
    expect(code).toBe(1);
    expect(rowsOf(stdout)[0]!.verdict).toBe('HIT');
    expect(stderr).toContain('sources asked: SLTD 1 · TDAWN 1 · NOMINAL 1');
    expect(stderr).toContain('hits by source: SLTD 1, NOMINAL 1');
  });

  it('refuses two columns for one field, which would leave one of them unchecked', async () => {
    const { code, stderr } = await runCli(['screen', manifest('passport,document_number,issuing_state\nX1,L898902C3,UTO\n')]);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: columns 1 and 2 both name documentNumber: leave one out with --ignore-column NAME\n');
  });

  it('refuses a first JSONL row with a key it cannot map (exit 4); a later one is a row error', async () => {
    const first = await runCli(['screen', manifest(`${JSON.stringify({ id: 'a', passprt: 'L898902C3', surname: 'DOE' })}\n`, 'jsonl')]);
    expect(first.code).toBe(4);
    expect(first.stdout).toBe('');
    expect(first.stderr).toContain('"passprt"');
    const later = await runCli(['screen', manifest(
      [{ id: 'a', passport: 'L898902C3', issuingState: 'UTO' }, { id: 'b', passprt: 'X1', surname: 'DOE' }].map((r) => JSON.stringify(r)).join('\n'),
      'jsonl',
    )]);
    expect(later.code).toBe(1);
    const rows = rowsOf(later.stdout);
    expect(rows.find((r) => r.id === 'a')!.verdict).toBe('HIT');
    expect(rows.find((r) => r.id === 'b')).toMatchObject({ verdict: null, error: { code: 'INVALID_INPUT' } });
    expect(later.stdout).not.toContain('passprt');
  });

  it('says in the summary which sources were asked for how many rows', async () => {
    const path = manifest('id,document_number,issuing_state,surname\na,X1234567,UTO,\nb,X7654321,UTO,\nc,,,DOE\n');
    const { code, stderr } = await runCli(['screen', path]);
    expect(code).toBe(0);
    expect(stderr).toContain('sources asked: SLTD 2 · TDAWN 2 · NOMINAL 1');
  });
});

describe.concurrent('screen: nothing screened is never a clear', () => {
  it('exits 7, never 0, for an empty manifest, a header-only one, and one whose every row is an input error', async () => {
    for (const [text, ext] of [['', 'csv'], ['\n\n', 'csv'], ['id,document_number,issuing_state\n', 'csv'], ['id,document_number,issuing_state\r\n\r\n', 'csv'], ['', 'jsonl']] as const) {
      const { code, stdout, stderr } = await runCli(['screen', manifest(text, ext)]);
      expect({ text, code }).toEqual({ text, code: 7 });
      expect(stdout).toBe('');
      expect(stderr).toContain('no row was screened: this is NOT a clear result');
    }
    const fromStdin = await runCli(['screen', '-'], { input: '' });
    expect(fromStdin.code).toBe(7);
    const bad = await runCli(['screen', manifest('id,document_number,issuing_state\na,BAD@,UTO\nb,,\n')]);
    expect(bad.code).toBe(7);
    expect(rowsOf(bad.stdout).map((r) => r.error?.code)).toEqual(['INVALID_INPUT', 'INVALID_INPUT']);
    expect(bad.stderr).toContain('sources asked: none');
  });

  it('lists exit code 7 in the help', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/7 {2}screen: no row was screened/);
    expect((await runCli(['help', 'screen'])).stdout).toContain('7 when no row was screened');
  });
});

describe.concurrent('screen: row ids', () => {
  it('refuses a row whose id repeats an earlier one or is empty, naming the field id and not the value, and does not check it', async () => {
    const path = manifest('id,document_number,issuing_state\nA1,X1234567,UTO\nA1,L898902C3,UTO\n,L898902C3,UTO\n  ,L898902C3,UTO\nB2,X7654321,UTO\n');
    const { code, stdout } = await runCli(['screen', path]);
    // The repeated and empty rows hold the stolen passport: they must not be checked under a borrowed id.
    expect(code).toBe(3);
    const rows = rowsOf(stdout);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.id === 'A1')).toEqual([expect.objectContaining({ verdict: 'NO_HIT' })]);
    const refused = rows.filter((r) => r.error !== undefined);
    expect(refused.map((r) => [r.id, r.row, r.error!.code])).toEqual([
      [null, 2, 'INVALID_INPUT'],
      [null, 3, 'INVALID_INPUT'],
      [null, 4, 'INVALID_INPUT'],
    ]);
    for (const r of refused) expect(r.error!.message).toMatch(/\bid\b/);
    expect(refused[0]!.error!.message).not.toContain('A1');
    expect(rows.some((r) => r.verdict === 'HIT')).toBe(false);
  });

  it('refuses repeated and missing ids in JSONL too', async () => {
    const input = [{ id: 'p1', documentNumber: 'X1234567', issuingState: 'UTO' }, { id: 'p1', documentNumber: 'L898902C3', issuingState: 'UTO' }, { documentNumber: 'L898902C3', issuingState: 'UTO' }, { id: '', documentNumber: 'L898902C3', issuingState: 'UTO' }]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const { code, stdout } = await runCli(['screen', '-'], { input });
    expect(code).toBe(3);
    const rows = rowsOf(stdout);
    expect(sorted(rows.map((r) => [r.id, r.row ?? null, r.verdict, r.error?.code ?? null]))).toEqual(sorted([
      ['p1', null, 'NO_HIT', null],
      [null, 2, null, 'INVALID_INPUT'],
      [null, 3, null, 'INVALID_INPUT'],
      [null, 4, null, 'INVALID_INPUT'],
    ]));
  });

  it('without an id column, numbers the rows as their ids', async () => {
    const { stdout } = await runCli(['screen', manifest('document_number,issuing_state\nX1234567,UTO\nBAD@,UTO\nL898902C3,UTO\n')]);
    expect(rowsOf(stdout).map((r) => r.id).sort()).toEqual(['1', '2', '3']);
  });
});

describe.concurrent('screen: line cap', () => {
  it('makes a line over 64 KiB a row error and reads the rows after it', async () => {
    const long = 'A'.repeat(70 * 1024);
    const csv = await runCli(['screen', manifest(`id,document_number,issuing_state,surname\r\na,X1234567,UTO,\r\nb,L898902C3,UTO,${long}\r\nc,L898902C3,UTO,\r\n`)]);
    expect(csv.code).toBe(1);
    const rows = rowsOf(csv.stdout);
    expect(sorted(rows.map((r) => [r.id, r.row ?? null, r.verdict, r.error?.code ?? null]))).toEqual(sorted([
      ['a', null, 'NO_HIT', null],
      [null, 2, null, 'INVALID_INPUT'],
      ['c', null, 'HIT', null],
    ]));
    expect(rows.find((r) => r.error !== undefined)!.error!.message).toContain('65536 bytes');
    const jsonl = await runCli(['screen', manifest(`${JSON.stringify({ id: 'a', surname: long })}\n${JSON.stringify({ id: 'b', documentNumber: 'L898902C3', issuingState: 'UTO' })}\n`, 'jsonl')]);
    expect(sorted(rowsOf(jsonl.stdout).map((r) => [r.id, r.row ?? null, r.verdict]))).toEqual(sorted([[null, 1, null], ['b', null, 'HIT']]));
  });

  it('makes a quoted CSV record over 64 KiB a row error, keeping its quotes, and reads the records after it', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}, "quoted", ${'x'.repeat(40)}`).join('\n');
    const text = `id,document_number,issuing_state,given_names\na,X1234567,UTO,"${lines.replace(/"/g, '""')}"\nb,L898902C3,UTO,"ANNA\nMARIA"\n`;
    const { code, stdout } = await runCli(['screen', manifest(text)]);
    expect(code).toBe(1);
    expect(sorted(rowsOf(stdout).map((r) => [r.id, r.row ?? null, r.verdict]))).toEqual(sorted([[null, 1, null], ['b', null, 'HIT']]));
  });

  it('reads a 100 MB line without holding it: the row is refused within a 64 MB heap', async () => {
    const path = join(dir, 'huge.csv');
    const stream = createWriteStream(path);
    stream.write('id,document_number,issuing_state,surname\na,');
    const block = Buffer.alloc(1 << 20, 'A');
    for (let i = 0; i < 100; i++) if (!stream.write(block)) await once(stream, 'drain');
    stream.end(',UTO,\nb,L898902C3,UTO,\n');
    await once(stream, 'finish');
    const { code, stdout, stderr } = await runCli(['screen', path], { env: { NODE_OPTIONS: '--max-old-space-size=64' } });
    expect(stderr).not.toMatch(/heap|allocation/i);
    expect(code).toBe(1);
    expect(sorted(rowsOf(stdout).map((r) => [r.id, r.row ?? null, r.verdict]))).toEqual(sorted([[null, 1, null], ['b', null, 'HIT']]));
  });
});
