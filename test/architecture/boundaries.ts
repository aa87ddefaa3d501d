// The checker behind boundaries.test.ts: reads every import of a source tree with the TypeScript parser and judges it
// against the rules table. It is a pure function of an in-memory tree, so the test can run it over the real
// repository and over planted fixtures alike.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';
import type { BoundaryRule } from './rules';

/** One of our workspace packages, as far as the rules need it. */
export interface WorkspacePackage {
  /** Repository-relative folder, e.g. `packages/borderlink`. */
  readonly dir: string;
  readonly name: string;
  /** Names in `dependencies` (not dev, not peer). */
  readonly dependencies: readonly string[];
  /**
   * Names in `peerDependencies` marked optional in `peerDependenciesMeta`: installed only by a user who wants what
   * needs them, so only the rules that name them (`optionalPeers`) may import them.
   */
  readonly optionalPeers?: readonly string[];
  /** Public entry specifier (`borderlink/testing`) → the source file it stands for. */
  readonly entryPoints: ReadonlyMap<string, string>;
}

export interface SourceTree {
  /** Repository-relative posix path → text, for every source file (TypeScript or JavaScript) under packages/x/src. */
  readonly files: ReadonlyMap<string, string>;
  readonly packages: readonly WorkspacePackage[];
}

export type ViolationKind = 'folder' | 'package' | 'cycle' | 'unlisted' | 'outside' | 'computed' | 'loader' | 'javascript';

export interface Violation {
  readonly kind: ViolationKind;
  readonly file: string;
  readonly line: number;
  /** The import specifier as written; empty for a folder no rule covers. */
  readonly specifier: string;
  /** The rule broken: a rule's name, {@link NO_CYCLE}, or `(none)` for a file no rule covers. */
  readonly rule: string;
  readonly message: string;
}

export interface ImportSite {
  /** The module named, as written; for a `loader` site, the loader's name (`createRequire`, `require`). */
  readonly specifier: string | undefined;
  readonly line: number;
  /**
   * Set when the file gets at a module loader (`createRequire`, `module.require`, `require` passed around) instead
   * of naming a module in an import form: what such a loader loads cannot be read off the text.
   */
  readonly loader?: true;
}

const RULES_FILE = 'test/architecture/rules.ts';
/** The rule a cycle breaks: no two folders import each other, however far round. */
export const NO_CYCLE = 'no folder cycle';

/** Every file extension read as source: TypeScript in all its module flavours, and JavaScript, to be refused. */
export const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const JAVASCRIPT_FILE = /\.[cm]?jsx?$/;

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return JAVASCRIPT_FILE.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** Names under which a file reaches Node's module loader rather than an import form the checker can read. */
const LOADERS = new Set(['require', 'createRequire']);

/**
 * `const require = createRequire(…)`: a require of the file's own, under the name the checker reads every
 * `require('…')` call by, so what it loads is judged as any import. (`createRequire` is how a CommonJS optional peer
 * is loaded synchronously from ESM, when it is needed and not before.)
 */
function isOwnRequire(call: ts.Node): boolean {
  const declaration = call.parent;
  return (
    ts.isCallExpression(call) &&
    ts.isVariableDeclaration(declaration) &&
    declaration.initializer === call &&
    ts.isIdentifier(declaration.name) &&
    declaration.name.text === 'require' &&
    ts.isVariableDeclarationList(declaration.parent) &&
    (declaration.parent.flags & ts.NodeFlags.Const) !== 0
  );
}

/** `require.resolve` called: the property access of a `require.resolve(…)` call. */
function isRequireResolve(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.name.text === 'resolve' &&
    ts.isCallExpression(node.parent) &&
    node.parent.expression === node
  );
}

/** Whether `node` is a loader name used as a value, other than as the callee of a plain `require('…')`. */
function isLoaderUse(node: ts.Identifier): boolean {
  if (!LOADERS.has(node.text)) return false;
  const parent = node.parent;
  if (node.text === 'createRequire') {
    // Named in its import, or called to make the file's own `require`; any other use hands a loader on unread.
    if (ts.isImportSpecifier(parent) && parent.name === node) return false;
    return !(ts.isCallExpression(parent) && parent.expression === node && isOwnRequire(parent));
  }
  if (ts.isCallExpression(parent) && parent.expression === node) return false;
  // `require.resolve('…')` names the module it resolves, read as an import of it.
  if (isRequireResolve(parent)) return false;
  // A key or a declared name called `require` loads nothing; `x.require` and `{ require }` hand the loader on.
  const declares =
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isParameter(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isBindingElement(parent)) &&
    parent.name === node;
  return !declares && !ts.isQualifiedName(parent);
}

/**
 * Every module a file names: import/export-from, `import x = require()`, `require()`, `import()`, `import('…')` types
 * and triple-slash `path`/`types` references (a path reference is relative to the file, as tsc reads it); and each
 * loader the file gets hold of, once per name, at its first use.
 */
export function importsOf(file: string, text: string): ImportSite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const sites: ImportSite[] = [];
  const lineAt = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const at = (node: ts.Node, specifier: ts.Node | undefined) =>
    sites.push({
      specifier: specifier !== undefined && ts.isStringLiteralLike(specifier) ? specifier.text : undefined,
      line: lineAt(node.getStart(source)),
    });
  for (const reference of source.referencedFiles) {
    const path = reference.fileName;
    const relative = path.startsWith('.') || path.startsWith('/') ? path : `./${path}`;
    sites.push({ specifier: relative, line: lineAt(reference.pos) });
  }
  for (const reference of source.typeReferenceDirectives) sites.push({ specifier: reference.fileName, line: lineAt(reference.pos) });
  const loadersSeen = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isLoaderUse(node) && !loadersSeen.has(node.text)) {
      loadersSeen.add(node.text);
      sites.push({ specifier: node.text, line: lineAt(node.getStart(source)), loader: true });
    }
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      at(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      at(node, node.moduleReference.expression);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require') ||
        isRequireResolve(node.expression))
    ) {
      at(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      at(node, node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites.sort((a, b) => a.line - b.line);
}

const covers = (rule: BoundaryRule, file: string) => file === rule.path || file.startsWith(`${rule.path}/`);

/** The rule whose path is the longest prefix of `file`. */
function ruleFor(rules: readonly BoundaryRule[], file: string): BoundaryRule | undefined {
  let best: BoundaryRule | undefined;
  for (const rule of rules) if (covers(rule, file) && (best === undefined || rule.path.length > best.path.length)) best = rule;
  return best;
}

const packageName = (specifier: string) =>
  specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const withoutExtension = (path: string) => path.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');

/** The folder a file outside every rule stands in: the first segment below its package's src/. */
function unlistedFolder(file: string): string {
  const parts = file.split('/');
  const src = parts.indexOf('src');
  return src < 0 ? posix.dirname(file) : parts.slice(0, Math.min(src + 2, parts.length)).join('/');
}

const list = (names: readonly string[]) => (names.length === 0 ? 'nothing of ours' : names.join(', '));

function allowedText(rule: BoundaryRule, packages: readonly WorkspacePackage[]): string {
  const parts: string[] = [];
  if (rule.folders.length > 0) parts.push(rule.folders.join(', '));
  if (rule.entryPoints) parts.push(`the entry points ${packages.flatMap((p) => [...p.entryPoints.keys()]).map((s) => `'${s}'`).join(', ')}`);
  if (rule.seams !== undefined && rule.seams.length > 0) parts.push(`the seam ${rule.seams.join(', ')}`);
  return parts.length === 0 ? 'nothing of ours but its own files' : `only its own files and ${parts.join(', ')}`;
}

/** Judges every import of `tree` against `rules`; an empty answer means the tree keeps them all. */
export function checkBoundaries(tree: SourceTree, rules: readonly BoundaryRule[]): Violation[] {
  const violations: Violation[] = [];
  const entryFiles = new Map<string, string>();
  for (const pkg of tree.packages) for (const [specifier, file] of pkg.entryPoints) entryFiles.set(specifier, file);
  // Folder graph for the cycle check: from → to → the first import that makes the edge.
  const edges = new Map<string, Map<string, { file: string; line: number; specifier: string }>>();
  const edge = (from: string, to: string, site: { file: string; line: number; specifier: string }) => {
    if (from === to) return;
    const out = edges.get(from) ?? new Map();
    edges.set(from, out);
    if (!out.has(to)) out.set(to, site);
  };

  const unlisted = new Map<string, string>();
  for (const file of [...tree.files.keys()].sort()) {
    const rule = ruleFor(rules, file);
    if (JAVASCRIPT_FILE.test(file)) {
      violations.push({
        kind: 'javascript',
        file,
        line: 1,
        specifier: '',
        rule: rule?.name ?? '(none)',
        message: `${file} is JavaScript: source under packages/*/src is TypeScript, so the compiler checks it and the rules can read its types`,
      });
    }
    if (rule === undefined) {
      const folder = unlistedFolder(file);
      if (!unlisted.has(folder)) unlisted.set(folder, file);
      continue;
    }
    const own = tree.packages.find((p) => file.startsWith(`${p.dir}/`));
    const say = (kind: ViolationKind, line: number, specifier: string, why: string) =>
      violations.push({
        kind,
        file,
        line,
        specifier,
        rule: rule.name,
        message: `${file}:${line} imports '${specifier}', against rule '${rule.name}': ${why}`,
      });

    for (const { specifier, line, loader } of importsOf(file, tree.files.get(file) ?? '')) {
      if (specifier === undefined) {
        say('computed', line, '(computed)', 'a computed specifier cannot be checked; name the module');
        continue;
      }
      if (loader === true) {
        say('loader', line, specifier, 'what a module loader obtained at run time loads cannot be checked; name the module in an import');
        continue;
      }
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('/') || specifier.startsWith('file:')) {
        say('outside', line, specifier, 'an absolute path names no folder of the rules table; import by a relative path');
        continue;
      }

      if (specifier.startsWith('.')) {
        const target = withoutExtension(posix.normalize(posix.join(posix.dirname(file), specifier)));
        // A specifier names a file, a file without its extension, or a folder by its index.
        const targetRule = [target, `${target}.ts`, `${target}/index.ts`]
          .map((candidate) => ruleFor(rules, candidate))
          .find((found) => found !== undefined);
        if (targetRule === undefined) {
          say('outside', line, specifier, `${target} is outside every folder of the rules table`);
          continue;
        }
        edge(rule.name, targetRule.name, { file, line, specifier });
        if (targetRule === rule) continue;
        const isSeam = (rule.seams ?? []).some((seam) => {
          const s = withoutExtension(seam);
          return target === s || `${target}/index` === s;
        });
        if (!rule.folders.includes(targetRule.name) && !isSeam) {
          say('folder', line, specifier, `${rule.name} may import ${allowedText(rule, tree.packages)}, not ${targetRule.name}`);
        }
        continue;
      }

      const name = packageName(specifier);
      const ours = tree.packages.find((p) => p.name === name);
      if (ours !== undefined) {
        const entry = entryFiles.get(specifier);
        const entryRule = entry === undefined ? undefined : ruleFor(rules, entry);
        if (entryRule !== undefined) edge(rule.name, entryRule.name, { file, line, specifier });
        if (!rule.entryPoints) {
          say('package', line, specifier, `${rule.name} may not import our package ${name} by name (${list(rule.folders)} by relative path only)`);
        } else if (entry === undefined) {
          say('package', line, specifier, `only the public entry points ${[...ours.entryPoints.keys()].map((s) => `'${s}'`).join(', ')} of ${name}, never a file inside it`);
        }
        continue;
      }
      const dependencies = own?.dependencies ?? [];
      const optionalPeers = own?.optionalPeers ?? [];
      const allowed = [
        ...(rule.packages === 'dependencies' ? dependencies : rule.packages.filter((p) => dependencies.includes(p))),
        ...(rule.optionalPeers ?? []).filter((p) => optionalPeers.includes(p)),
      ];
      if (!allowed.includes(name)) {
        const peerOf = rules.filter((r) => r.optionalPeers?.includes(name)).map((r) => r.name);
        const why = isBuiltin(specifier)
          ? `a builtin is imported as 'node:${specifier}'`
          : optionalPeers.includes(name)
            ? `${name} is an optional peer of ${own?.name ?? 'its package'}, installed only by a user of ${peerOf.length === 0 ? 'no folder' : peerOf.join(', ')}: no other folder may import it`
            : !dependencies.includes(name)
            ? `${name} is not in the dependencies of ${own?.name ?? 'its package'} (devDependencies and other packages' dependencies are not installed for its users)`
            : `${rule.name} may import the packages ${list(allowed)} only`;
        say('package', line, specifier, why);
      }
    }
  }

  for (const [folder, file] of unlisted) {
    violations.push({
      kind: 'unlisted',
      file,
      line: 1,
      specifier: '',
      rule: '(none)',
      message: `${folder} (${file}) has no rule: add it to ARCHITECTURE.md and to the table in ${RULES_FILE}`,
    });
  }

  for (const cycle of folderCycles(edges)) {
    const names = cycle.map((step) => step.from);
    const path = [...names, names[0]].join(' → ');
    for (const step of cycle) {
      violations.push({
        kind: 'cycle',
        file: step.file,
        line: step.line,
        specifier: step.specifier,
        rule: NO_CYCLE,
        message: `${step.file}:${step.line} imports '${step.specifier}', against rule '${NO_CYCLE}': it is one step of ${path}`,
      });
    }
  }

  return violations;
}

interface CycleStep {
  from: string;
  file: string;
  line: number;
  specifier: string;
}

/** One cycle per strongly connected component of the folder graph (Tarjan), as the imports that make it. */
function folderCycles(edges: ReadonlyMap<string, ReadonlyMap<string, { file: string; line: number; specifier: string }>>): CycleStep[][] {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of [...(edges.get(node)?.keys() ?? [])].sort()) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);

  // Within a component every node reaches every other: walk the shortest way back from its first node to itself.
  return components.map((component) => {
    const inside = new Set(component);
    const start = component[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    while (queue.length > 0 && closing === undefined) {
      const node = queue.shift()!;
      for (const next of [...(edges.get(node)?.keys() ?? [])].sort()) {
        if (!inside.has(next)) continue;
        if (next === start) {
          closing = node;
          break;
        }
        if (!previous.has(next)) {
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
    const order = [closing!];
    while (order[0] !== start) order.unshift(previous.get(order[0]!)!);
    return order.map((from, i) => {
      const to = order[i + 1] ?? start;
      const site = edges.get(from)!.get(to)!;
      return { from, ...site };
    });
  });
}

/** The real tree: every source file under packages/x/src (see {@link SOURCE_FILE}), and each workspace package's dependencies and entry points. */
export function readSourceTree(root: string): SourceTree {
  const files = new Map<string, string>();
  const packages: WorkspacePackage[] = [];
  const tsconfig = ts.readConfigFile(posix.join(root, 'tsconfig.json'), ts.sys.readFile);
  const paths = (tsconfig.config?.compilerOptions?.paths ?? {}) as Record<string, string[]>;
  for (const dir of readdirSync(posix.join(root, 'packages')).sort()) {
    const manifestPath = posix.join(root, 'packages', dir, 'package.json');
    let manifest: {
      name: string;
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
      exports?: Record<string, unknown>;
    };
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    } catch {
      continue;
    }
    const entryPoints = new Map<string, string>();
    for (const key of Object.keys(manifest.exports ?? {})) {
      if (key.endsWith('.json')) continue;
      const specifier = key === '.' ? manifest.name : `${manifest.name}/${key.replace(/^\.\//, '')}`;
      const target = paths[specifier]?.[0];
      if (target === undefined) throw new Error(`tsconfig.json#paths has no source file for the entry point '${specifier}'`);
      entryPoints.set(specifier, posix.normalize(target));
    }
    packages.push({
      dir: `packages/${dir}`,
      name: manifest.name,
      dependencies: Object.keys(manifest.dependencies ?? {}),
      optionalPeers: Object.keys(manifest.peerDependencies ?? {}).filter((name) => manifest.peerDependenciesMeta?.[name]?.optional === true),
      entryPoints,
    });
    const src = posix.join(root, 'packages', dir, 'src');
    let entries: string[];
    try {
      if (!statSync(src).isDirectory()) continue;
      entries = readdirSync(src, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const path = posix.join(src, entry.split('\\').join('/'));
      if (!SOURCE_FILE.test(entry) || !statSync(path).isFile()) continue;
      files.set(`packages/${dir}/src/${entry.split('\\').join('/')}`, readFileSync(path, 'utf8'));
    }
  }
  return { files, packages };
}

/** Problems of the table itself: unknown or repeated names and paths, and a cycle among the rules' `folders`. */
export function checkRulesTable(rules: readonly BoundaryRule[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name)) problems.push(`the rule name '${rule.name}' is used twice`);
    if (paths.has(rule.path)) problems.push(`the path ${rule.path} has two rules`);
    names.add(rule.name);
    paths.add(rule.path);
  }
  // Each rule may name only rules listed above it, which keeps the allowed graph acyclic by construction.
  const above = new Set<string>();
  for (const rule of rules) {
    for (const name of rule.folders) {
      if (!names.has(name)) problems.push(`rule '${rule.name}' names an unknown rule '${name}'`);
      else if (!above.has(name)) problems.push(`rule '${rule.name}' names '${name}', which is not above it in the table`);
    }
    for (const seam of rule.seams ?? []) {
      if (ruleFor(rules, seam) === undefined) problems.push(`rule '${rule.name}' declares the seam ${seam}, which no rule covers`);
    }
    above.add(rule.name);
  }
  return problems;
}
