// CSV manifests split by something other than a comma: semicolon exports (common in Europe), tabs and pipes, found
// from the header line when --delimiter is not given, and the same verdicts as the comma-separated manifest.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvRecordParser, delimiterOfHeader } from '../src/manifest';
import { root, runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-delimiter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  id: string | null;
  verdict: string | null;
  outcomes: { source: string; status: string }[];
  error?: { code: string };
}
const rowsOf = (text: string): Row[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);
const verdicts = (text: string) => rowsOf(text).map((r) => ({ id: r.id, verdict: r.verdict, outcomes: r.outcomes.map((o) => `${o.source}:${o.status}`), error: r.error?.code }));

const comma = readFileSync(`${root}packages/borderlink/test/manifests/fixtures/passengers.csv`, 'utf8');
/** The fixture split by `delimiter`, its given names quoted. */
function splitBy(delimiter: string): string {
  return comma
    .trimEnd()
    .split('\n')
    .map((line) => line.split(',').map((field, i) => (i === 1 ? `"${field}"` : field)).join(delimiter))
    .join('\r\n');
}

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe.concurrent('screen --delimiter', () => {
  it('finds the semicolon of a European export with a byte order mark and CRLF, with the verdicts of the comma file', async () => {
    const reference = await runCli(['screen', file('comma.csv', comma)]);
    const semicolon = await runCli(['screen', file('semicolon.csv', `\uFEFF${splitBy(';')}\r\n`)]);
    expect(semicolon.stderr).toContain('Screened 5 rows');
    expect(semicolon.code).toBe(reference.code);
    expect(verdicts(semicolon.stdout)).toEqual(verdicts(reference.stdout));
  });

  it('keeps a quoted field holding the other delimiter whole', async () => {
    // A semicolon file whose quoted names hold commas, and a comma file whose quoted names hold semicolons.
    const semicolons = 'id;surname;given_names;document_number;issuing_state\r\n1;"DOE, JR";"JOHN";X1234567;UTO\r\n2;"ERIKSSON";"ANNA, MARIA";L898902C3;UTO\r\n';
    const commas = 'id,"surname;family",given_names,document_number,issuing_state\n1,"DOE; JR",JOHN,X1234567,UTO\n2,ERIKSSON,"ANNA;MARIA",L898902C3,UTO\n';
    const bySemicolon = await runCli(['screen', file('quoted-commas.csv', semicolons)]);
    expect(rowsOf(bySemicolon.stdout).map((r) => r.verdict)).toEqual(['NO_HIT', 'HIT']);
    const byComma = await runCli(['screen', file('quoted-semicolons.csv', commas), '--ignore-column', 'surname;family']);
    expect(rowsOf(byComma.stdout).map((r) => r.verdict)).toEqual(['NO_HIT', 'HIT']);
    expect(byComma.code).toBe(1);
  });

  it('finds a tab and a pipe, and takes any of them as --delimiter, on standard input too', async () => {
    const reference = verdicts((await runCli(['screen', file('reference.csv', comma)])).stdout);
    for (const [name, delimiter, flag] of [['tab', '\t', 'tab'], ['pipe', '|', '|'], ['semicolon', ';', ';']] as const) {
      const found = await runCli(['screen', file(`${name}.csv`, splitBy(delimiter))]);
      expect(verdicts(found.stdout), name).toEqual(reference);
      const given = await runCli(['screen', '-', '--format', 'csv', '--delimiter', flag], { input: splitBy(delimiter) });
      expect(verdicts(given.stdout), name).toEqual(reference);
    }
  });

  it('refuses a header it cannot tell the delimiter of, asking for --delimiter', async () => {
    const { code, stderr, stdout } = await runCli(['screen', file('both.csv', 'id;surname,given_names\n1;DOE,JOHN\n')]);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toBe('borderlink: the CSV header holds more than one of , ; tab | outside quotes: give --delimiter (one of , ; tab |)\n');
    const given = await runCli(['screen', file('both-given.csv', 'id;surname,given_names\n1;DOE,JOHN\n'), '--delimiter', ';', '--ignore-column', 'surname,given_names']);
    expect(given.stderr).toMatch(/the CSV header names no known column/);
  });

  it('makes a row split by another delimiter than its header a row error, never a clear', async () => {
    // The stolen passport's row, its fields joined by the delimiter the header does not use: one unreadable field.
    const { code, stdout } = await runCli(['screen', file('mixed.csv', 'document_number;issuing_state\nL898902C3,UTO\n')]);
    expect(rowsOf(stdout).map((r) => [r.verdict, r.error?.code])).toEqual([[null, 'INVALID_INPUT']]);
    expect(code).not.toBe(0);
  });

  it('takes no stray tab or space after the last column for a second delimiter', async () => {
    const { code, stdout } = await runCli(['screen', file('trailing-tab.csv', 'document_number,issuing_state\t \nL898902C3,UTO\n')]);
    expect(rowsOf(stdout).map((r) => r.verdict)).toEqual(['HIT']);
    expect(code).toBe(1);
  });

  it('refuses a delimiter it does not know, and --delimiter for a manifest that is not CSV', async () => {
    const odd = await runCli(['screen', file('x.csv', comma), '--delimiter', ':']);
    expect(odd.code).toBe(4);
    expect(odd.stderr).toBe('borderlink: --delimiter must be one of , ; tab |\n');
    const jsonl = await runCli(['screen', file('x.jsonl', '{"surname":"DOE"}\n'), '--delimiter', ';']);
    expect(jsonl.stderr).toBe('borderlink: --delimiter goes with a CSV manifest: the input is JSONL\n');
    const guessed = await runCli(['screen', '-', '--delimiter', ';'], { input: '{"surname":"DOE"}\n' });
    expect(guessed.stderr).toBe('borderlink: --delimiter goes with a CSV manifest: the input is JSONL\n');
    const paxlst = await runCli(['screen', `${root}packages/borderlink/test/manifests/fixtures/crew.edi`, '--delimiter', ';']);
    expect(paxlst.stderr).toBe('borderlink: --delimiter goes with a CSV manifest: the input is a PAXLST\n');
  });

  it('counts the candidates outside quotes only, and a header of one column is split by nothing', () => {
    expect(delimiterOfHeader('id;surname;"given, names"')).toBe(';');
    expect(delimiterOfHeader('"a;b",c,d')).toBe(',');
    expect(delimiterOfHeader('a\tb\t"c|d"')).toBe('\t');
    expect(delimiterOfHeader('mrz')).toBe(',');
    expect(delimiterOfHeader('"doubled "";"" quote",b')).toBe(',');
    expect(delimiterOfHeader('a;b|c')).toBeUndefined();
  });

  it('splits records by the delimiter it was made with, never by a comma then', () => {
    const parser = new CsvRecordParser(undefined, ';');
    expect(parser.line('a;"b;c",d;"e ""f"""')).toEqual(['a', 'b;c,d', 'e "f"']);
  });
});
