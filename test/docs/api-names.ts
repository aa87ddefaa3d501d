// The names of the API the guides write in code spans, checked against the types. A guide that names an option, a
// field or a method that does not exist (`hooks.emit`, a `createClient({ baseUrl })`) reads as true and fails the
// user who follows it. The rules, over the guides' prose and tables (code blocks are compiled, see snippets.test.ts):
//
// 1. A call written with an object, `name({ a, b: … })`, where `name` is a public function or a method of a public
//    type: each key is a property of what it takes.
// 2. An options table (a table whose first header is `Option`): the first code span of each row, a dotted path
//    (`retry.retries`, `retry: false`), is a path through one of the public options types (`…Options`, `…Settings`).
// 3. A dotted path anywhere else (`privacy.hashKey`, `result.mrz.valid`, `hits.N.source`): its first name is a public
//    export, or a field or method of a public type, and each name after it (`N` is an array index) is a field or
//    method of what the one before it holds. The guides' usual names for values (`client`, `hit`, `err`) stand for
//    their types (GUIDE_VALUES). A path whose first name is not the API's (`JSON.stringify`, undici's `Pool.request`,
//    a file name) is named in NOT_API; a telemetry name (`borderlink.call.duration`) must be one `borderlink/telemetry`
//    writes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** The names the guides give values of the API, and the public type each stands for. */
export const GUIDE_VALUES: Readonly<Record<string, string>> = {
  client: 'BorderlinkClient',
  hit: 'Hit',
  err: 'BorderlinkError',
  gateway: 'MockGateway',
  request: 'TransportRequest',
  options: 'WriteOptions',
};

/** Roots (or whole paths) of dotted paths the guides write that are not the library's API: what they are. */
export const NOT_API: Readonly<Record<string, string>> = {
  JSON: 'the global',
  Math: 'the global',
  Pool: "undici's",
  url: 'an OpenTelemetry attribute (url.template)',
  http: 'OpenTelemetry attributes and metrics (http.request.method, …)',
  server: 'OpenTelemetry attributes (server.address, server.port)',
  'error.type': 'an OpenTelemetry attribute',
};

interface Api {
  /** Public exports by name: the type of the value, or the declared type. */
  exports: Map<string, ts.Type[]>;
  /** Every field and method of every public type, by name: the types it holds. */
  members: Map<string, ts.Type[]>;
  /** The public options types. */
  options: ts.Type[];
  checker: ts.TypeChecker;
}

/** The public types, read from the entry points and everything reachable from them. */
export function readApi(program: ts.Program, entryFiles: readonly string[], isLibrary: (fileName: string) => boolean): Api {
  const checker = program.getTypeChecker();
  const exports = new Map<string, ts.Type[]>();
  const members = new Map<string, ts.Type[]>();
  const options: ts.Type[] = [];
  const seen = new Set<ts.Type>();
  const add = (map: Map<string, ts.Type[]>, name: string, type: ts.Type) => (map.get(name) ?? map.set(name, []).get(name)!).push(type);
  const walk = (type: ts.Type): void => {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnion() || type.isIntersection()) return type.types.forEach(walk);
    if (!(type.flags & ts.TypeFlags.Object)) return;
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const ours = symbol?.declarations?.some((d) => isLibrary(d.getSourceFile().fileName)) ?? false;
    if (((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0) checker.getTypeArguments(type as ts.TypeReference).forEach(walk);
    for (const s of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      s.getParameters().forEach((p) => walk(checker.getTypeOfSymbol(p)));
      walk(s.getReturnType());
    }
    if (!ours) return;
    for (const p of checker.getPropertiesOfType(type)) {
      const t = checker.getTypeOfSymbol(p);
      add(members, p.name, t);
      walk(t);
    }
  };
  for (const file of entryFiles) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const types: ts.Type[] = [];
      if (symbol.flags & ts.SymbolFlags.Value) types.push(checker.getTypeOfSymbol(symbol));
      if (symbol.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Class)) types.push(checker.getDeclaredTypeOfSymbol(symbol));
      for (const t of types) {
        add(exports, exported.name, t);
        walk(t);
      }
      if (/(Options|Settings)$/.test(exported.name) && symbol.flags & ts.SymbolFlags.Type) options.push(checker.getDeclaredTypeOfSymbol(symbol));
    }
  }
  return { exports, members, options, checker };
}

/** The types a name holds on any of `types`: a field or a method (`N` on an array: its elements). */
function step(api: Api, types: readonly ts.Type[], name: string): ts.Type[] {
  const out: ts.Type[] = [];
  for (const type of types) {
    const t = api.checker.getNonNullableType(type);
    for (const part of t.isUnion() ? t.types : [t]) {
      if (name === 'N') {
        const element = part.getNumberIndexType();
        if (element !== undefined) out.push(element);
        continue;
      }
      const p = part.getProperty(name);
      if (p !== undefined) out.push(api.checker.getTypeOfSymbol(p));
    }
  }
  return out;
}

const resolves = (api: Api, roots: readonly ts.Type[], rest: readonly string[]): boolean => rest.reduce<ts.Type[]>((types, name) => step(api, types, name), [...roots]).length > 0;

/** The guides' prose and tables, line by line, without their code blocks. */
function proseLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence = false;
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) fence = !fence;
    else if (!fence) out.push({ line: i + 1, text: line });
  });
  return out;
}

/** What the guides name that the API does not have, as `file:line: name (why)`. */
export function unknownApiNames(api: Api, files: readonly { name: string; text: string }[], isTelemetryName: (name: string) => boolean): string[] {
  const problems: string[] = [];
  for (const { name: file, text } of files) {
    let optionTable = false;
    for (const { line, text: prose } of proseLines(text)) {
      const where = `${file}:${line}`;
      const cells = prose.startsWith('|') ? prose.split('|').slice(1, -1).map((c) => c.trim()) : undefined;
      if (cells !== undefined && cells[0] === 'Option') optionTable = true;
      else if (cells === undefined) optionTable = false;
      const spans = [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      // 2. The options table's row: its first code span is read here, and only here.
      let first: string | undefined;
      if (optionTable && cells !== undefined && !/^-+$/.test(cells[0] ?? '') && cells[0] !== 'Option') {
        first = /`([^`]+)`/.exec(cells[0] ?? '')?.[1];
        const path = first?.replace(/:\s*false$/, '').split('.');
        if (path === undefined || !api.options.some((o) => resolves(api, [o], path))) problems.push(`${where}: ${first ?? cells[0]} (no option of that name)`);
      }
      for (const span of spans) {
        if (span === first) continue;
        // 1. A call with an object.
        const call = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\(\{([^}]*)\}/.exec(span);
        if (call !== undefined && call !== null) {
          const fn = call[1]!.split('.').at(-1)!;
          const takes = [...(api.exports.get(fn) ?? []), ...(api.members.get(fn) ?? [])].flatMap((t) =>
            api.checker.getNonNullableType(t).getCallSignatures().flatMap((s) => (s.getParameters()[0] ? [api.checker.getTypeOfSymbol(s.getParameters()[0]!)] : [])),
          );
          const keys = call[2]!
            .split(',')
            .map((k) => /^\s*([A-Za-z_$][\w$]*)/.exec(k)?.[1])
            .filter((k): k is string => k !== undefined);
          if (takes.length === 0) problems.push(`${where}: ${fn} (no public function or method of that name)`);
          else for (const key of keys) if (!resolves(api, takes, [key])) problems.push(`${where}: ${fn}({ ${key} }) (${fn} takes no ${key})`);
          continue;
        }
        // 3. A dotted path.
        if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(span) || /\.(ts|md|ya?ml|json|js|db|pem|jsonl)$/.test(span)) continue;
        const [root, ...rest] = span.split('.');
        if (root! in NOT_API || span in NOT_API) continue;
        if (root === 'borderlink') {
          if (!isTelemetryName(span)) problems.push(`${where}: ${span} (no telemetry name of that name)`);
          continue;
        }
        const standsFor = GUIDE_VALUES[root!];
        const roots = standsFor !== undefined ? (api.exports.get(standsFor) ?? []) : [...(api.exports.get(root!) ?? []), ...(api.members.get(root!) ?? [])];
        if (roots.length === 0) problems.push(`${where}: ${span} (${root} is no public export, field or method)`);
        else if (!resolves(api, roots, rest)) problems.push(`${where}: ${span} (does not resolve on the types ${root} holds)`);
      }
    }
  }
  return problems;
}

/**
 * Whether `borderlink/telemetry` writes a name: one quoted in its source (an attribute, a metric), or a span's,
 * `borderlink.<kind>` for a kind of `CALL_KINDS`.
 */
export function telemetryNames(root: string, callKinds: readonly string[]): (name: string) => boolean {
  const dir = join(root, 'packages', 'borderlink', 'src', 'telemetry');
  const source = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const spans = new Set(callKinds.map((k) => `borderlink.${k}`));
  return (name) => spans.has(name) || source.includes(`'${name}'`) || source.includes(`'${name}.`);
}
