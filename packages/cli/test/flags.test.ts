// What the command says about a wrong command line: a mistyped flag by its name (never a value, nor what only looks
// like a flag), one rule for a document type in `check --type` and a manifest's type column, and why a manifest file
// cannot be read, with the path as given when it is safe to print.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentTypeOf } from '../src/document-type';
import { readProblem, shownPath } from '../src/files';
import { runCli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsOf = (text: string) =>
  text.trimEnd().split('\n').map((l) => JSON.parse(l) as { verdict: string | null; outcomes: { source: string; status: string }[]; error?: { code: string; message: string } });

describe.concurrent('a mistyped flag', () => {
  it('is named, up to its =, with the flag it is near', async () => {
    const { code, stderr } = await runCli(['check', 'document', '--numbr=L898902C3', '--state', 'UTO', '--type', 'PASSPORT']);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: unknown option --numbr (did you mean --number?)\n');
  });

  it('is named with the flags the command takes when it is near none of them', async () => {
    const { code, stderr } = await runCli(['screen', 'manifest.csv', '--json']);
    expect(code).toBe(4);
    expect(stderr).toMatch(/^borderlink: unknown option --json; this command takes --help, .*--out.*\n$/);
  });

  it('is never echoed when it only looks like a flag: capitals, digits, signs, control characters or too long', async () => {
    for (const typed of ['--P<UTOERIKSSON<<ANNA<MARIA', '--ERIKSSON', '--l898902c3', `--${'a'.repeat(60)}`, '--anna\u001b[2J', '-L898902C3']) {
      const { code, stderr } = await runCli(['check', 'document', typed, '--state', 'UTO']);
      expect(code, typed).toBe(4);
      expect(stderr, typed).toMatch(/^borderlink: an unknown option \(not shown: it may hold a value; .*\n$/);
      expect(stderr, typed).not.toContain(typed.replace(/^-+/, '').slice(0, 4));
    }
  });
});

describe.concurrent('a document type', () => {
  it('reads --type P as a P in a manifest\'s type column: one rule for check and screen', async () => {
    const check = await runCli(['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'P', '--json']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(1);
    const manifest = join(dir, 'type-p.csv');
    writeFileSync(manifest, 'document_number,issuing_state,type\nL898902C3,UTO,P\n');
    const screen = await runCli(['screen', manifest]);
    expect(screen.code).toBe(1);
    const [row] = rowsOf(screen.stdout);
    const checked = JSON.parse(check.stdout) as { verdict: string; outcomes: { source: string; status: string }[] };
    const shown = (r: { verdict: string | null; outcomes: { source: string; status: string }[] }) => [r.verdict, ...r.outcomes.map((o) => `${o.source}:${o.status}`)];
    expect(shown(row!)).toEqual(shown(checked));
  });

  it('that neither knows is refused by both, naming the field and the choices, never the value', async () => {
    const check = await runCli(['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASPORT']);
    expect(check.code).toBe(4);
    expect(check.stderr).toBe('borderlink: --type must be PASSPORT, ID_CARD, VISA or OTHER (or P, I, V)\n');
    const manifest = join(dir, 'type-bad.csv');
    writeFileSync(manifest, 'document_number,issuing_state,type\nL898902C3,UTO,PASPORT\n');
    const screen = await runCli(['screen', manifest]);
    const [row] = rowsOf(screen.stdout);
    expect(row!.error).toEqual({ code: 'INVALID_INPUT', message: expect.stringContaining('documentType') });
    expect(screen.stdout + screen.stderr).not.toContain('PASPORT');
  });

  it('has one table of spellings: the library\'s names, and the letters an MRZ starts with', () => {
    expect(['PASSPORT', 'passport', 'P', 'p', ' P '].map(documentTypeOf)).toEqual(['PASSPORT', 'PASSPORT', 'PASSPORT', 'PASSPORT', 'PASSPORT']);
    expect(['ID_CARD', 'id card', 'ID-CARD', 'IDCARD', 'ID', 'I'].map(documentTypeOf)).toEqual(Array(6).fill('ID_CARD'));
    expect(['VISA', 'V', 'OTHER'].map(documentTypeOf)).toEqual(['VISA', 'VISA', 'OTHER']);
    expect(['PASPORT', '', 'constructor', '__proto__', 'X'].map(documentTypeOf)).toEqual(Array(5).fill(undefined));
  });
});

describe.concurrent('a manifest file that cannot be read', () => {
  it('is named as given, with why: not found, a folder', async () => {
    const missing = join(dir, 'nope.csv');
    const notFound = await runCli(['screen', missing]);
    expect(notFound.code).toBe(4);
    expect(notFound.stderr).toBe(`borderlink: cannot read the manifest file "${missing}": it does not exist (ENOENT)\n`);
    const folder = join(dir, 'a-folder.csv');
    mkdirSync(folder);
    const isFolder = await runCli(['screen', folder]);
    expect(isFolder.code).toBe(4);
    expect(isFolder.stderr).toBe(`borderlink: cannot read the manifest file "${folder}": it is a folder (EISDIR)\n`);
    const inFile = await runCli(['screen', join(dir, 'type-p.csv', 'x.csv')]);
    expect(inFile.stderr).toMatch(/: a part of its path is not a folder \(ENOTDIR\)\n$/);
  });

  it('is not named when the path holds control characters or is too long to be a path someone typed', async () => {
    for (const path of [join(dir, 'nope\u001b[2J.csv'), join(dir, `${'n'.repeat(200)}.csv`)]) {
      const { code, stderr } = await runCli(['screen', path]);
      expect(code).toBe(4);
      expect(stderr).toBe('borderlink: cannot read the manifest file (the path given is not shown: it holds control characters or is longer than 120 characters): it does not exist (ENOENT)\n');
    }
  });

  it('says "permission denied" for EACCES and EPERM, and only the code of an errno it has no words for', () => {
    expect(readProblem({ code: 'EACCES' })).toBe('permission denied (EACCES)');
    expect(readProblem({ code: 'EPERM' })).toBe('permission denied (EPERM)');
    expect(readProblem({ code: 'EIO' })).toBe('EIO');
    expect(readProblem({ code: 'ERIKSSON ANNA' })).toBe('');
    expect(readProblem(new Error('L898902C3'))).toBe('');
    expect(shownPath('smith-john.csv')).toBe('"smith-john.csv"');
    expect(shownPath('a\u202eb.csv')).toBe('(the path given is not shown: it holds control characters or is longer than 120 characters)');
  });
});
