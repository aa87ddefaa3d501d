// The `@example`s of the public TSDoc, as programs for the docs test to compile. The API reference and the editor's
// hover show them; a user copies them. The rule, decided once for every example:
//
// - Every `@example` of the public TSDoc of packages/borderlink/src is compiled: on a declaration an entry point
//   exports, or a member of one, and not `@internal` (the command has no importable API, and so no public TSDoc). Its
//   code is the fenced block's content, or the tag's whole text when it has no fence.
// - A value: an example on a property without a fence is a value of that property, written `value` or `name: value`
//   (`@example token: process.env.X`), or an object literal of the type that holds the property; an example on a type
//   whose code starts with `{` or `[` is one value of that type or more, one after the other. Each is compiled as a
//   value of its type: `{ token: process.env.X }` as a `Pick<HttpTransportOptions, 'token'>`.
// - Any other example is statements, compiled as a module. It may import what it likes; a public export of an entry
//   point it names without importing is imported for it (the example sits on that API), and the names of
//   EXAMPLE_SURROUNDINGS it uses without declaring (`client`, `hit`, an integrator's `openGate()`) are declared with
//   their types. Nothing else is given: an unknown name, a wrong option or a `...` fails.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One `@example` of the library's TSDoc. */
export interface TsdocExample {
  /** Repository-relative path of the source file. */
  file: string;
  /** 1-based line of the example's first code line in that file. */
  line: number;
  /** The declaration it documents, as `Owner.member` or `name`. */
  host: string;
  /** The top-level declaration it sits on (the owner of a member): an example is public when an entry point exports it. */
  declaration: string;
  /** Whether it, or the type it is a member of, is tagged `@internal` (then it is not public either). */
  internal: boolean;
  /** How it is compiled (see the rule above). */
  as: { kind: 'statements' } | { kind: 'values'; type: string; of: 'type' } | { kind: 'values'; type: string; of: 'property'; property: string };
  code: string;
}

/**
 * The entry points of `borderlink` and where their source is (the root tsconfig's `paths`, `borderlink` first): what
 * an example may use without importing it.
 */
export const ENTRY_POINTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(
    (JSON.parse(readFileSync(new URL('../../tsconfig.json', import.meta.url), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths,
  ).map(([module, [path]]) => [module, path!.replace(/^\.\//, '')]),
);

/**
 * What an example may take from the text around it, declared with its real type when it is ours: the client the
 * guides build, a hit a check found, a manifest parsed. The second half is the integrator's own code an example calls
 * (`openGate()`, `metrics.increment(...)`). Every name here must be used by some example (the test checks it).
 */
export const EXAMPLE_SURROUNDINGS: Readonly<Record<string, string>> = {
  // Ours.
  client: "import('borderlink').BorderlinkClient",
  transport: "import('borderlink').Transport",
  context: "import('borderlink').QueryContext",
  doc: "import('borderlink').DocumentQuery",
  result: "import('borderlink').CheckResult",
  hit: "import('borderlink').Hit",
  confirmation: "import('borderlink').Confirmation",
  outbox: "import('borderlink').OutboxHandle",
  passengers: "import('borderlink').BatchItem[]",
  items: "import('borderlink').BatchItem[]",
  request: "import('borderlink').StreamRequest",
  headers: 'Record<string, string>',
  err: 'unknown',
  line1: 'string',
  line2: 'string',
  manifest: "import('borderlink/manifests').PaxlstManifest",
  gateway: "import('borderlink/testing').MockGateway",
  store: "import('borderlink/offline').SqliteOfflineStore",
  hmacKey: 'Uint8Array',
  encryptionKey: 'Uint8Array',
  tracerProvider: "import('@opentelemetry/api').TracerProvider",
  meterProvider: "import('@opentelemetry/api').MeterProvider",
  readFileSync: "typeof import('node:fs').readFileSync",
  readFile: "typeof import('node:fs/promises').readFile",
  // The integrator's own code.
  log: '{ [level in "error" | "warn" | "info" | "debug"]: (fields: object, message?: string) => void }',
  alertOfficer: "(hits: import('borderlink').Hit[]) => void",
  showIncomplete: "(outcomes: import('borderlink').SourceOutcome[]) => void",
  flagForSecondLine: "(id: string, result: import('borderlink').CheckResult) => void",
  showInstructions: '(instructions: string | undefined) => void',
  showNotice: "(notice: import('borderlink').NoticeDetails | undefined) => void",
  openGate: '() => void',
  referToSecondLine: "(result: import('borderlink').CheckResult) => void",
  showRetryButton: '() => void',
  showMaintenanceBanner: '() => void',
  closeTheCase: "(state: import('borderlink').ConfirmationRequestState) => void",
  flagForManualCheck: '(id: string, code: string) => void',
  saveWithCase: '(confirmationId: string) => void',
  showToSupervisor: '(idempotencyKey: string, code: string) => void',
  markSent: '(idempotencyKey: string) => void',
  alertOperator: '(message: string) => void',
  savedCase: '{ confirmationId: string }',
  metrics: '{ increment(name: string, tags?: Record<string, string>): void }',
  bar: '{ update(done: number): void }',
  parser: '{ write(part: Uint8Array): void }',
  rpc: '{ call(path: string, body: string | undefined, options: { timeout: number; signal?: AbortSignal | undefined }): Promise<{ status: number; payload: string }>; close(): Promise<void> }',
};

/** Every `.ts` file under `dir`, sorted. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const nameOf = (node: ts.Node, sf: ts.SourceFile): string => {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText(sf)).join(', ');
  const name = (node as { name?: ts.Node }).name;
  return name === undefined ? '(anonymous)' : name.getText(sf);
};

/** The raw lines of a tag (from just after `@example` to the tag's end), with the comment's `*` margins removed. */
function tagLines(sf: ts.SourceFile, tag: ts.JSDocTag): { first: number; lines: string[] } {
  const start = tag.tagName.getEnd();
  const raw = sf.text.slice(start, tag.getEnd()).replace(/\*\/\s*$/, '');
  const first = sf.getLineAndCharacterOfPosition(start).line + 1;
  const lines = raw.split('\n').map((l, i) => (i === 0 ? l : l.replace(/^\s*\*( |$)/, '')));
  return { first, lines };
}

/** The code of a tag and its first line: a fenced block's content, or the whole text. */
function codeOf(sf: ts.SourceFile, tag: ts.JSDocTag): { line: number; code: string; fenced: boolean } {
  const { first, lines } = tagLines(sf, tag);
  const open = lines.findIndex((l) => /^\s*```/.test(l));
  if (open >= 0) {
    const close = lines.findIndex((l, i) => i > open && /^\s*```\s*$/.test(l));
    if (close < 0) throw new Error(`${relative(process.cwd(), sf.fileName)}:${first + open}: an @example whose fence is not closed`);
    return { line: first + open + 1, code: lines.slice(open + 1, close).join('\n'), fenced: true };
  }
  let skip = 0;
  while (skip < lines.length && lines[skip]!.trim() === '') skip++;
  const body = lines.slice(skip);
  while (body.length > 0 && body.at(-1)!.trim() === '') body.pop();
  return { line: first + skip, code: body.join('\n').trim(), fenced: false };
}

const startsAsValue = (code: string): boolean => /^[{[]/.test(code.replace(/^(\s|\/\/[^\n]*\n)+/, ''));

/** The `@example`s of one source text. */
export function examplesOfSource(file: string, text: string): TsdocExample[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: TsdocExample[] = [];
  const visit = (node: ts.Node): void => {
    for (const doc of (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []) {
      for (const tag of doc.tags ?? []) {
        if (tag.tagName.text !== 'example') continue;
        const { line, code, fenced } = codeOf(sf, tag);
        const owner = ts.isInterfaceDeclaration(node.parent) || ts.isClassDeclaration(node.parent) ? nameOf(node.parent, sf) : undefined;
        const host = owner === undefined ? nameOf(node, sf) : `${owner}.${nameOf(node, sf)}`;
        const internal = [node, node.parent].some((n) => ts.getJSDocTags(n).some((t) => t.tagName.text === 'internal'));
        let as: TsdocExample['as'] = { kind: 'statements' };
        if ((ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) && owner !== undefined && !fenced) {
          as = { kind: 'values', type: owner, of: 'property', property: nameOf(node, sf) };
        } else if ((ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && startsAsValue(code)) {
          as = { kind: 'values', type: nameOf(node, sf), of: 'type' };
        }
        found.push({ file, line, host, declaration: owner ?? nameOf(node, sf), internal, as, code });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Every `@example` of the library's public TSDoc: on a declaration an entry point exports (or a member of one), not
 * `@internal`. An example elsewhere documents an implementation for its maintainers and is not compiled.
 */
export function libraryExamples(root: string): TsdocExample[] {
  const names = publicNames(root);
  return sourceFiles(join(root, 'packages', 'borderlink', 'src'))
    .flatMap((path) => examplesOfSource(relative(root, path), readFileSync(path, 'utf8')))
    .filter((e) => names.has(e.declaration) && !e.internal);
}

/** The public names of the entry points: which module exports each, and whether only as a type. */
export function publicNames(root: string): Map<string, { module: string; typeOnly: boolean }> {
  const names = new Map<string, { module: string; typeOnly: boolean }>();
  for (const [module, path] of Object.entries(ENTRY_POINTS)) {
    const sf = ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const statement of sf.statements) {
      if (!ts.isExportDeclaration(statement) || statement.exportClause === undefined || !ts.isNamedExports(statement.exportClause)) continue;
      for (const element of statement.exportClause.elements) {
        const name = element.name.text;
        const typeOnly = statement.isTypeOnly || element.isTypeOnly;
        // The first entry point that exports a name is the one it is imported from (`borderlink` before the others).
        if (!names.has(name)) names.set(name, { module, typeOnly });
      }
    }
  }
  return names;
}

/** Names an example's code declares or imports at its top level: those are its own, never given to it. */
function ownNames(code: string): Set<string> {
  const sf = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true);
  const own = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) own.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause !== undefined) {
      const { name, namedBindings } = s.importClause;
      if (name !== undefined) own.add(name.text);
      if (namedBindings !== undefined) {
        if (ts.isNamespaceImport(namedBindings)) own.add(namedBindings.name.text);
        else for (const e of namedBindings.elements) own.add(e.name.text);
      }
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) bind(d.name);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name !== undefined) {
      own.add(s.name.text);
    }
  }
  return own;
}

/** The keys of an object literal, or undefined when the text is not one. */
function objectKeys(text: string): string[] | undefined {
  const sf = ts.createSourceFile('value.ts', `(${text})`, ts.ScriptTarget.ES2022, true);
  const statement = sf.statements[0];
  if (statement === undefined || !ts.isExpressionStatement(statement) || !ts.isParenthesizedExpression(statement.expression)) return undefined;
  const object = statement.expression.expression;
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  return object.properties.flatMap((p) => (p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [p.name.text] : []));
}

const mentions = (code: string, name: string): boolean => new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}\\b`).test(code);

/**
 * An example as the text of a module: its code first, line for line (so a problem's line is the example's), then one
 * line of the imports it was given and one of the surroundings it uses. `given` tells the caller which line is which.
 */
export function exampleModule(example: TsdocExample, names: Map<string, { module: string; typeOnly: boolean }>): string {
  const { as } = example;
  let body: string;
  let uses: string;
  if (as.kind === 'values') {
    const target = as.of === 'type' ? as.type : `Pick<${as.type}, '${as.property}'>`;
    const prop = as.of === 'property' ? as.property : undefined;
    // Each value on the line it starts on, so that a problem's line is the example's.
    body = '';
    let line = 0;
    splitValues(example.code).forEach((v, i) => {
      body += '\n'.repeat(Math.max(0, v.line - line));
      line = Math.max(line, v.line);
      let statement: string;
      if (prop === undefined) statement = `const __example${i}: ${target} = ${v.text};`;
      else if (v.text.startsWith(`${prop}:`)) statement = `const __example${i}: ${target} = { ${v.text} };`;
      else if (objectKeys(v.text)?.includes(prop)) statement = `const __example${i}: ${as.type} = ${v.text};`;
      else statement = `const __example${i}: ${target} = { ${prop}: ${v.text} };`;
      body += statement;
      line += statement.split('\n').length - 1;
    });
    uses = `${body} ${as.type}`;
  } else {
    body = example.code;
    uses = body;
  }
  const own = ownNames(as.kind === 'statements' ? body : '');
  const values: Record<string, string[]> = {};
  for (const [name, { module, typeOnly }] of names) {
    if (own.has(name) || !mentions(uses, name)) continue;
    (values[module] ??= []).push(typeOnly ? `type ${name}` : name);
  }
  const imports = Object.entries(values)
    .map(([module, list]) => `import { ${list.join(', ')} } from '${module}';`)
    .join(' ');
  const surroundings = Object.entries(EXAMPLE_SURROUNDINGS)
    .filter(([name]) => !own.has(name) && !names.has(name) && mentions(body, name))
    .map(([name, type]) => `declare const ${name}: ${type};`)
    .join(' ');
  return `${body}\n${imports}\n${surroundings}\nexport {};\n`;
}

/**
 * The values of a value example, each with the line (from 0) it starts on: literals one after the other, each a whole
 * bracketed expression or a `name: value` up to the end of its line. A comment after a value is dropped.
 */
export function splitValues(code: string): { line: number; text: string }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, code);
  const values: { line: number; text: string }[] = [];
  let depth = 0;
  let start = -1;
  let lastEnd = 0;
  const lineAt = (pos: number) => code.slice(0, pos).split('\n').length - 1;
  const close = () => {
    if (start >= 0) values.push({ line: lineAt(start), text: code.slice(start, lastEnd).trim().replace(/,$/, '') });
    start = -1;
  };
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia || token === ts.SyntaxKind.WhitespaceTrivia) continue;
    if (token === ts.SyntaxKind.NewLineTrivia) {
      if (depth === 0) close();
      continue;
    }
    if (start < 0) start = scanner.getTokenStart();
    if (token === ts.SyntaxKind.OpenBraceToken || token === ts.SyntaxKind.OpenBracketToken || token === ts.SyntaxKind.OpenParenToken) depth++;
    if (token === ts.SyntaxKind.CloseBraceToken || token === ts.SyntaxKind.CloseBracketToken || token === ts.SyntaxKind.CloseParenToken) depth--;
    lastEnd = scanner.getTokenEnd();
    if (depth === 0 && (token === ts.SyntaxKind.CloseBraceToken || token === ts.SyntaxKind.CloseBracketToken)) {
      // A bracketed value ends at its closing bracket, unless the line goes on (`new Date(…)`, `{ … }.x`).
      const rest = code.slice(lastEnd).split('\n', 1)[0]!.replace(/\/\/.*$/, '').trim();
      if (rest === '' || rest === ',') close();
    }
  }
  close();
  return values;
}
