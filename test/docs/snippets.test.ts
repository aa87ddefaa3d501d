// The docs are what users copy from: every complete ```ts block in docs/*.md and the README, and every `@example` of
// the library's TSDoc (the API reference and the editor's hover), must compile against the real API, in one program
// under exactOptionalPropertyTypes; and every relative link in docs/*.md and README.md must point to a file (and
// heading) that exists.
//
// A block of a guide is complete, and type-checked, when it imports from 'borderlink' or 'borderlink/…'. Other ts
// blocks are fragments (they use a `client` or `doc` from the surrounding text) and are left alone. An @example is
// always checked, by the rule written at the top of tsdoc-examples.ts.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CALL_KINDS } from 'borderlink';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readApi, telemetryNames, unknownApiNames } from './api-names';
import { optionalsWithoutUndefined } from './input-types';
import { ENTRY_POINTS, EXAMPLE_SURROUNDINGS, examplesOfSource, exampleModule, libraryExamples, publicNames, splitValues, type TsdocExample } from './tsdoc-examples';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docsDir = join(root, 'packages', 'borderlink', 'docs');
const outDir = join(root, '.tmp', 'snippets');

interface Block {
  doc: string;
  /** 1-based line of the first code line in the markdown file. */
  line: number;
  lang: string;
  code: string;
}

/** Fenced code blocks of a markdown text, with the line their code starts on. */
function codeBlocks(doc: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split(/\r?\n/);
  let open: { fence: string; lang: string; start: number; body: string[] } | undefined;
  lines.forEach((line, i) => {
    if (open === undefined) {
      const m = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (m) open = { fence: m[1]!, lang: m[2]!.toLowerCase(), start: i + 2, body: [] };
      return;
    }
    if (line.trim().startsWith(open.fence[0]!.repeat(open.fence.length)) && line.trim().replace(/[`~]/g, '') === '') {
      blocks.push({ doc, line: open.start, lang: open.lang, code: open.body.join('\n') });
      open = undefined;
      return;
    }
    open.body.push(line);
  });
  return blocks;
}

const importsBorderlink = /\bfrom\s+['"]borderlink(\/[^'"]*)?['"]|\bimport\s+['"]borderlink(\/[^'"]*)?['"]/;
const isComplete = (b: Block): boolean => (b.lang === 'ts' || b.lang === 'typescript') && importsBorderlink.test(b.code);

const markdownFiles = (): string[] =>
  readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(docsDir, f));

/**
 * The root tsconfig's options, for the snippets: as a user with the strictest common settings compiles them,
 * exactOptionalPropertyTypes on (stricter than off: what compiles with it compiles without it, so one program is enough).
 */
function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    moduleDetection: ts.ModuleDetectionKind.Force, // every snippet is a module: top-level await, no shared globals
    noUnusedLocals: false,
    noUnusedParameters: false,
    exactOptionalPropertyTypes: true,
  };
}

interface Problem {
  where: string;
  message: string;
}

/** One file of the program: a snippet, a README block or an @example, and how to name a line of it. */
interface Unit {
  group: string;
  /** The file's name under the output folder. */
  name: string;
  text: string;
  /** Where the unit's 0-based line `line` is, as `file:line`. */
  where(line: number): string;
}

const blockUnit = (group: string, b: Block, n: number): Unit => ({
  group,
  name: `${group}/${b.doc.replace(/^\.\.\//, '').replace(/\.md$/, '')}-${n}.ts`,
  text: `${b.code}\n`,
  where: (line) => `docs/${b.doc}:${b.line + line}`,
});

function blockUnits(group: string, blocks: Block[]): Unit[] {
  const counts = new Map<string, number>();
  return blocks.map((b) => {
    const n = (counts.get(b.doc) ?? 0) + 1;
    counts.set(b.doc, n);
    return blockUnit(group, b, n);
  });
}

function exampleUnits(group: string, examples: TsdocExample[], names: ReturnType<typeof publicNames>): Unit[] {
  return examples.map((e, i) => {
    const lines = e.code.split('\n').length;
    return {
      group,
      name: `${group}/${e.file.replace(/[/.]/g, '_')}-${i}.ts`,
      text: exampleModule(e, names),
      // A line past the example's own is the line of what it was given (imports, surroundings): named by the example.
      where: (line) => (line < lines ? `${e.file}:${e.line + line}` : `${e.file}:${e.line} (${e.host}: the names it was given)`),
    };
  });
}

/**
 * Writes the units to `dir` and type-checks them in one program; only the units' own problems are reported (the
 * library's source, which they resolve to, is checked by the root tsconfig as it is built). Also gives the program,
 * for the checks that read the library's types.
 */
function typecheck(units: Unit[], dir: string): { problems: Map<string, Problem[]>; program: ts.Program } {
  rmSync(dir, { recursive: true, force: true });
  const origin = new Map<string, Unit>();
  for (const u of units) {
    const file = join(dir, u.name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, u.text);
    origin.set(resolve(file), u);
  }
  const entryFiles = Object.values(ENTRY_POINTS).map((f) => join(root, f));
  const program = ts.createProgram([...origin.keys(), ...entryFiles], compilerOptions());
  const problems = new Map<string, Problem[]>(units.map((u) => [u.group, []]));
  const add = (group: string, p: Problem) => (problems.get(group) ?? problems.set(group, []).get(group)!).push(p);
  for (const d of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]) {
    add('(program)', { where: '(program)', message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
  }
  for (const sf of program.getSourceFiles()) {
    const u = origin.get(resolve(sf.fileName));
    if (u === undefined) continue;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      add(u.group, { where: u.where(line), message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
    }
  }
  return { problems, program };
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = m[1]!
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Relative links (inline and reference-style) outside code, with their line. */
function relativeLinks(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  let inFence = false;
  markdown.split(/\r?\n/).forEach((raw, i) => {
    if (/^ {0,3}(`{3,}|~{3,})/.test(raw)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const line = raw.replace(/`[^`]*`/g, '');
    const found = [...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...line.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)];
    for (const m of found) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // http:, mailto:, …
      links.push({ target, line: i + 1 });
    }
  });
  return links;
}

function brokenLinks(files: string[]): string[] {
  const broken: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const { target, line } of relativeLinks(text)) {
      const [path = '', anchor] = target.split('#', 2);
      const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      const where = `${relative(root, file)}:${line}`;
      if (!existsSync(resolved)) {
        broken.push(`${where}: ${target} (no such file)`);
        continue;
      }
      if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && statSync(resolved).isFile()) {
        if (!anchorsOf(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor).toLowerCase())) {
          broken.push(`${where}: ${target} (no such heading)`);
        }
      }
    }
  }
  return broken;
}

const allBlocks = () => markdownFiles().flatMap((f) => codeBlocks(relative(docsDir, f), readFileSync(f, 'utf8')));
/** The library's README, the first page a user copies from. */
const readmeBlocks = () => codeBlocks('../README.md', readFileSync(join(root, 'packages', 'borderlink', 'README.md'), 'utf8'));

/** A whole TypeScript program: seconds on a free machine, a minute or more on a busy one. */
const COMPILE_TIMEOUT_MS = 180_000;

/** Wrong on purpose, in the same program: each must be caught, at its line. */
const BROKEN_SNIPPET: Block = { doc: 'broken.md', line: 10, lang: 'ts', code: "import { createClient } from 'borderlink';\n\nconst n: number = createClient;\n" };
const BROKEN_EXAMPLES = examplesOfSource(
  'broken/example.ts',
  [
    '/**',
    ' * @example',
    ' * ```ts',
    ' * const gateway = await createMockGateway();',
    ' * const client = createClient({ baseUrl: gateway.url, context });',
    ' * ```',
    ' */',
    'export function a(): void {}',
    'export interface SourceOutcome {',
    '  /** @example dataAsOf: process.env.DATA_AS_OF */',
    '  dataAsOf?: string;',
    '}',
  ].join('\n'),
);

let examples: TsdocExample[] | undefined;
/** The library's public @examples, read once. */
const publicExamples = (): TsdocExample[] => (examples ??= libraryExamples(root));

let compiled: ReturnType<typeof typecheck> | undefined;
/** The one program of every snippet, README block, @example and broken unit (compiled once, by the first test that asks). */
function everything(): ReturnType<typeof typecheck> {
  if (compiled !== undefined) return compiled;
  const names = publicNames(root);
  const units = [
    ...blockUnits('guides', allBlocks().filter(isComplete)),
    ...blockUnits('readme', readmeBlocks().filter(isComplete)),
    ...exampleUnits('examples', publicExamples(), names),
    blockUnit('broken-snippet', BROKEN_SNIPPET, 1),
    ...exampleUnits('broken-examples', BROKEN_EXAMPLES, names),
  ];
  compiled = typecheck(units, outDir);
  return compiled;
}
const problemsOf = (group: string): string => (everything().problems.get(group) ?? []).map((p) => `${p.where}: ${p.message}`).join('\n');

describe('docs', () => {
  it('compiles the snippets, the README and the @examples as one program, without a problem of its own', () => {
    expect(problemsOf('(program)')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it('every complete ts snippet in docs/*.md compiles against the real API, under exactOptionalPropertyTypes', () => {
    expect(allBlocks().filter(isComplete).length).toBeGreaterThan(10);
    expect(problemsOf('guides')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it("the library README's quick start compiles, under exactOptionalPropertyTypes", () => {
    expect(readmeBlocks().filter(isComplete).length).toBeGreaterThan(0);
    expect(problemsOf('readme')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it('every @example of the public TSDoc compiles against the real API, under exactOptionalPropertyTypes', () => {
    expect(publicExamples().length).toBeGreaterThan(100);
    expect(problemsOf('examples')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it('the check catches a broken snippet, at its line in the doc', () => {
    expect(problemsOf('broken-snippet').split('\n')).toEqual([expect.stringMatching(/^docs\/broken\.md:12: /)]);
  }, COMPILE_TIMEOUT_MS);

  it('the check catches an @example with an option that does not exist, and a possibly undefined value a property does not take, at their lines', () => {
    const problems = everything().problems.get('broken-examples') ?? [];
    // createClient has no baseUrl (it takes a transport); `dataAsOf?: string` takes no undefined under exactOptionalPropertyTypes.
    expect(problems.map((p) => p.where)).toEqual(['broken/example.ts:5', 'broken/example.ts:10']);
    expect(problems[0]!.message).toContain("'baseUrl' does not exist");
    expect(problems[1]!.message).toContain("Type 'undefined' is not assignable");
  }, COMPILE_TIMEOUT_MS);

  it('every optional property of a type a user passes in takes undefined, as exactOptionalPropertyTypes asks', () => {
    const { program } = everything();
    const library = join(root, 'packages', 'borderlink', 'src') + '/';
    const entryFiles = Object.values(ENTRY_POINTS).map((f) => join(root, f));
    const found = optionalsWithoutUndefined(program, entryFiles, (f) => resolve(f).startsWith(library)).map((l) => l.replace(root, ''));
    expect(found.join('\n')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it('finds the optional properties that do not take undefined among what goes into a function, not what comes out', () => {
    const file = join(root, '.tmp', 'input-types', 'api.ts');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      [
        'export interface Options { a?: string; b?: string | undefined; onEvent?: (e: Event) => Answer; nested?: Nested | undefined; run?(x: number): void }',
        'export interface Nested { c?: number }',
        'export interface Event { d?: string }',
        'export interface Answer { e?: string }',
        'export interface Result { f?: string }',
        'export function f(options: Options): Result { return {}; }',
        'export function g(result: Result): void {}',
      ].join('\n'),
    );
    const program = ts.createProgram([file], { ...compilerOptions(), noEmit: true, types: [] });
    const found = optionalsWithoutUndefined(program, [file], (f) => resolve(f) === resolve(file)).map((l) => l.replace(/^\S+ /, ''));
    // `a`, `onEvent`, `c` and `e` go in (the answer of the user's callback too); `b` takes undefined, `run` is a
    // method, `d` is handed to the user, `f` comes out.
    expect(found.sort()).toEqual(['Answer.e (f(options).onEvent())', 'Nested.c (f(options).nested)', 'Options.a (f(options))', 'Options.onEvent (f(options))']);
  });

  it('every option, field and method a guide or the README names in its prose and tables exists', () => {
    const { program } = everything();
    const library = join(root, 'packages', 'borderlink', 'src') + '/';
    const api = readApi(program, Object.values(ENTRY_POINTS).map((f) => join(root, f)), (f) => resolve(f).startsWith(library));
    const files = [...markdownFiles(), join(root, 'packages', 'borderlink', 'README.md')].map((f) => ({ name: relative(root, f), text: readFileSync(f, 'utf8') }));
    expect(unknownApiNames(api, files, telemetryNames(root, Object.values(CALL_KINDS))).join('\n')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it('the check of the names catches an option, a key, a field and a telemetry name that do not exist, at their lines', () => {
    const { program } = everything();
    const library = join(root, 'packages', 'borderlink', 'src') + '/';
    const api = readApi(program, Object.values(ENTRY_POINTS).map((f) => join(root, f)), (f) => resolve(f).startsWith(library));
    const text = [
      '| Option | Default |',
      '| --- | --- |',
      '| `retry.retries` | `2` |',
      '| `retry.backoff` | none |',
      '| `retry: false` | |',
      '',
      'Give `createClient({ clock, hooks })`, read `result.mrz.valid`, `hits.N.match.score`, `hooks.emit` and `hit.nope`;',
      'spans are `borderlink.check`, not `borderlink.nope`; `JSON.stringify` is no API.',
      '```ts',
      'hooks.emit(); // code is compiled, not read here',
      '```',
    ].join('\n');
    expect(unknownApiNames(api, [{ name: 'x.md', text }], telemetryNames(root, Object.values(CALL_KINDS)))).toEqual([
      'x.md:4: retry.backoff (no option of that name)',
      'x.md:7: createClient({ hooks }) (createClient takes no hooks)',
      'x.md:7: hooks.emit (hooks is no public export, field or method)',
      'x.md:7: hit.nope (does not resolve on the types hit holds)',
      'x.md:8: borderlink.nope (no telemetry name of that name)',
    ]);
  }, COMPILE_TIMEOUT_MS);

  it('every name an @example may take from its surroundings is used by one', () => {
    const codes = publicExamples().map((e) => e.code);
    const unused = Object.keys(EXAMPLE_SURROUNDINGS).filter((name) => !codes.some((c) => new RegExp(`\\b${name}\\b`).test(c)));
    expect(unused).toEqual([]);
  });

  it('reads an @example as a value of its property or type, or as statements', () => {
    const examples = examplesOfSource(
      'x.ts',
      [
        '/**',
        ' * A type.',
        ' * @example { a: 1 }',
        ' * @example',
        ' * ```ts',
        ' * { a: 2 }',
        ' * { a: 3 }',
        ' * ```',
        ' */',
        'export interface T {',
        "  /** @example 'x' @example b: 'y' */",
        '  b?: string;',
        '  /**',
        '   * @example',
        '   * ```ts',
        '   * if (t.b) go();',
        '   * ```',
        '   */',
        '  c: number;',
        '}',
        '/** @example f(1) // 2 */',
        'export function f(n: number): number { return n + 1; }',
        '/** @internal @example g() */',
        'export function g(): void {}',
      ].join('\n'),
    );
    // Only the public TSDoc is compiled: what an entry point exports, and not @internal.
    expect(examples.map((e) => [e.declaration, e.internal])).toEqual([['T', false], ['T', false], ['T', false], ['T', false], ['T', false], ['f', false], ['g', true]]);
    expect(examples.map((e) => [e.line, e.host, e.as.kind, e.code])).toEqual([
      [3, 'T', 'values', '{ a: 1 }'],
      [6, 'T', 'values', '{ a: 2 }\n{ a: 3 }'],
      [11, 'T.b', 'values', "'x'"],
      [11, 'T.b', 'values', "b: 'y'"],
      [16, 'T.c', 'statements', 'if (t.b) go();'],
      [21, 'f', 'statements', 'f(1) // 2'],
      [23, 'g', 'statements', 'g()'],
    ]);
    expect(splitValues('{ a: 2 }\n{ a: 3,\n  b: [1] } // one\n[1, 2]')).toEqual([
      { line: 0, text: '{ a: 2 }' },
      { line: 1, text: '{ a: 3,\n  b: [1] }' },
      { line: 3, text: '[1, 2]' },
    ]);
  });

  it('only blocks that import from borderlink are checked', () => {
    const blocks = codeBlocks('x.md', "```ts\nclient.checkDocument(doc);\n```\n\n```ts\nimport { isClear } from 'borderlink';\n```\n\n```sh\nnpm test\n```\n");
    expect(blocks.map((b) => [b.lang, b.line, isComplete(b)])).toEqual([
      ['ts', 2, false],
      ['ts', 6, true],
      ['sh', 10, false],
    ]);
  });

  it('every relative link in docs/*.md and README.md points to an existing file and heading', () => {
    const readmes = ['README.md', 'packages/borderlink/README.md', 'packages/borderlink/CHANGELOG.md', 'packages/borderlink/SECURITY.md', 'packages/cli/README.md'];
    expect(brokenLinks([...readmes.map((f) => join(root, f)), ...markdownFiles()])).toEqual([]);
  });
});
