// The guides are documentation users copy from: every complete ```ts block in docs/*.md must compile against the real
// API, and every relative link in docs/*.md and README.md must point to a file (and heading) that exists.
//
// A block is complete, and type-checked, when it imports from 'borderlink' or 'borderlink/…'. Other ts blocks are
// fragments (they use a `client` or `doc` from the surrounding text) and are left alone.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

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

function compilerOptions(extra: ts.CompilerOptions = {}): ts.CompilerOptions {
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
    ...extra,
  };
}

interface Problem {
  where: string;
  message: string;
}

/** Writes the blocks to .tmp/snippets and type-checks them in one program. Problems are reported as doc.md:line. */
function typecheck(blocks: Block[], dir = outDir, extra: ts.CompilerOptions = {}): Problem[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const origin = new Map<string, Block>();
  const counts = new Map<string, number>();
  for (const b of blocks) {
    const n = (counts.get(b.doc) ?? 0) + 1;
    counts.set(b.doc, n);
    const file = join(dir, `${b.doc.replace(/\.md$/, '')}-${n}.ts`);
    writeFileSync(file, `${b.code}\n`);
    origin.set(resolve(file), b);
  }
  const program = ts.createProgram([...origin.keys()], compilerOptions(extra));
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined || d.start === undefined) return { where: '(program)', message };
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const b = origin.get(resolve(d.file.fileName));
    return b === undefined
      ? { where: `${relative(root, d.file.fileName)}:${line + 1}`, message }
      : { where: `docs/${b.doc}:${b.line + line}`, message };
  });
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
// A user's strict settings apply to the user's code: the library's own source, which the snippets resolve to here,
// is built without exactOptionalPropertyTypes, so only problems in the snippets count.
const inSnippets = (problems: Problem[]): Problem[] => problems.filter((p) => p.where.startsWith('docs/'));
const readmeBlocks = () => codeBlocks('../README.md', readFileSync(join(root, 'packages', 'borderlink', 'README.md'), 'utf8'));

/** A whole TypeScript program per test: seconds on a free machine, a minute or more on a busy one. */
const COMPILE_TIMEOUT_MS = 180_000;

describe('docs', () => {
  it('every complete ts snippet in docs/*.md compiles against the real API', () => {
    const blocks = allBlocks().filter(isComplete);
    expect(blocks.length).toBeGreaterThan(10);
    const problems = typecheck(blocks);
    expect(problems.map((p) => `${p.where}: ${p.message}`).join('\n')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it("the library README's quick start compiles, under exactOptionalPropertyTypes too", () => {
    const blocks = readmeBlocks().filter(isComplete);
    expect(blocks.length).toBeGreaterThan(0);
    expect(typecheck(blocks, join(root, '.tmp', 'snippets-readme')).map((p) => `${p.where}: ${p.message}`).join('\n')).toBe('');
    const strict = inSnippets(typecheck(blocks, join(root, '.tmp', 'snippets-readme-exact'), { exactOptionalPropertyTypes: true }));
    expect(strict.map((p) => `${p.where}: ${p.message}`).join('\n')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it('every complete ts snippet in docs/*.md compiles under exactOptionalPropertyTypes', () => {
    const problems = inSnippets(typecheck(allBlocks().filter(isComplete), join(root, '.tmp', 'snippets-exact'), { exactOptionalPropertyTypes: true }));
    expect(problems.map((p) => `${p.where}: ${p.message}`).join('\n')).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it('the check catches a broken snippet, at its line in the doc', () => {
    const broken: Block = {
      doc: 'broken.md',
      line: 10,
      lang: 'ts',
      code: "import { createClient } from 'borderlink';\n\nconst n: number = createClient;\n",
    };
    const problems = typecheck([broken], join(root, '.tmp', 'snippets-selftest'));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.where).toBe('docs/broken.md:12');
  }, COMPILE_TIMEOUT_MS);

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
