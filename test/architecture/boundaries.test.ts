// The plan of ARCHITECTURE.md, enforced: every import of packages/*/src against the table in rules.ts. The planted
// trees below prove the checker catches each kind of violation, so a green run on the real tree means something.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBoundaries, checkRulesTable, importsOf, NO_CYCLE, readSourceTree, type SourceTree, type ViolationKind } from './boundaries';
import { BOUNDARY_RULES, type BoundaryRule } from './rules';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the source tree', () => {
  it('keeps every import rule of ARCHITECTURE.md', () => {
    const messages = checkBoundaries(readSourceTree(root), BOUNDARY_RULES).map((v) => v.message);
    expect(messages).toEqual([]);
  });

  it('has a rules table in which each rule names only known rules above it', () => {
    expect(checkRulesTable(BOUNDARY_RULES)).toEqual([]);
  });

  it('is described by ARCHITECTURE.md with the same folders each rule may import', () => {
    const doc = readFileSync(`${root}/ARCHITECTURE.md`, 'utf8');
    const names = new Set(BOUNDARY_RULES.map((rule) => rule.name));
    // Rows of the rules table: | `name` | `path` | `folder`, `folder` | packages | owns |
    const documented = new Map<string, string[]>();
    for (const line of doc.split('\n')) {
      const cells = line.split('|').map((cell) => cell.trim());
      const name = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
      if (name === undefined || !names.has(name) || cells.length < 5) continue;
      const folders = [...(cells[3] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((n) => names.has(n));
      documented.set(name, folders.sort());
    }
    const table = new Map(BOUNDARY_RULES.map((rule) => [rule.name, [...rule.folders].sort()]));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(table));
  });
});

describe('the boundary checker', () => {
  const lib = 'packages/borderlink/src';
  const cli = 'packages/cli/src';
  const packages: SourceTree['packages'] = [
    {
      dir: 'packages/borderlink',
      name: 'borderlink',
      dependencies: ['lru-cache', 'mrz', 'p-retry', 'undici', 'zod'],
      optionalPeers: ['better-sqlite3'],
      entryPoints: new Map([
        ['borderlink', `${lib}/index.ts`],
        ['borderlink/testing', `${lib}/testing/index.ts`],
      ]),
    },
    { dir: 'packages/cli', name: '@borderlink/cli', dependencies: ['borderlink', 'cli-progress', 'csv-parse'], entryPoints: new Map() },
  ];

  // A miniature of the target tree, every import form once, every rule kept.
  const clean: Record<string, string> = {
    [`${lib}/errors/index.ts`]: `export class BorderlinkError extends Error {}\n`,
    [`${lib}/mrz/check-digit.ts`]: `export const digit = 1;\n`,
    [`${lib}/mrz/parse.ts`]: `import { parse } from 'mrz';\nimport { digit } from './check-digit';\nimport { createHash } from 'node:crypto';\n`,
    [`${lib}/version.ts`]: `export const VERSION = '0.1.0';\n`,
    [`${lib}/internal/abort.ts`]: `export const abort = 1;\n`,
    [`${lib}/transport/http.ts`]: `import { Pool } from 'undici';\nimport type { Dispatcher } from 'undici/types/dispatcher';\nimport { BorderlinkError } from '../errors';\nimport { abort } from '../internal/abort.js';\n`,
    [`${lib}/queries/types.ts`]: `export type Subject = { kind: 'document' };\n`,
    [`${lib}/queries/verdict.ts`]: `import { z } from 'zod';\nimport type { Subject } from './types';\nimport { parseMrz } from '../mrz/index';\n`,
    [`${lib}/reports/index.ts`]: `type S = import('../queries/types').Subject;\nexport type { S };\n`,
    [`${lib}/audit/index.ts`]: `import type { Subject } from '../queries/types';\n`,
    [`${lib}/stores/types.ts`]: `import type { Subject } from '../queries/types';\nexport type Store = { subject: Subject };\n`,
    [`${lib}/offline/store.ts`]: `import { createRequire } from 'node:module';\nimport type Database from 'better-sqlite3';\nimport { z } from 'zod';\nimport { BorderlinkError } from '../errors/index';\nimport type { Store } from '../stores/types';\nexport function load(): typeof Database {\n  const require = createRequire(import.meta.url);\n  return require('better-sqlite3');\n}\n`,
    [`${lib}/protocol/index.ts`]: `import { z } from 'zod';\nimport type { Subject } from '../queries/types';\nexport * from '../reports/index';\nimport type { TransportResponse } from '../transport/http';\n`,
    [`${lib}/resilience/retry.ts`]: `import pRetry from 'p-retry';\nimport type { Transport } from '../transport/http';\nimport { abort } from '../internal/abort';\n`,
    [`${lib}/client/client.ts`]: `import { VERSION } from '../version';\nimport { retry } from '../resilience/retry';\nimport { LRUCache } from 'lru-cache';\nconst decode = () => import('../protocol/index');\n`,
    [`${lib}/index.ts`]: `export * from './client/client';\nexport { VERSION } from './version';\nexport type { Subject } from './queries/types';\n`,
    [`${lib}/testing/handler.ts`]: `import { ConfigError, type Subject } from 'borderlink';\nimport { PATHS } from '../protocol/index';\nimport { z } from 'zod';\nimport { dataset } from './dataset';\n`,
    [`${lib}/testing/dataset.ts`]: `export const dataset = {};\n`,
    [`${lib}/testing/index.ts`]: `export * from './handler';\n`,
    [`${cli}/main.ts`]: `import { createClient } from 'borderlink';\nimport { mockTransport } from 'borderlink/testing';\nimport { parse } from 'csv-parse';\nimport { readFile } from 'node:fs/promises';\nimport { run } from './check';\n`,
    [`${cli}/check.ts`]: `export const run = 1;\n`,
  };
  const tree = (files: Record<string, string>): SourceTree => ({ files: new Map(Object.entries(files)), packages });
  // A triple-slash directive counts only above the first statement, so those plants go at the top.
  const planted = (file: string, line: string, top = false) =>
    tree({ ...clean, [file]: top ? `${line}\n${clean[file] ?? ''}` : `${clean[file] ?? ''}${line}\n` });

  it('finds nothing to say about a tree that keeps the rules', () => {
    expect(checkBoundaries(tree(clean), BOUNDARY_RULES)).toEqual([]);
  });

  it('reads every kind of import specifier and no text in comments', () => {
    const text = [
      `import a from './a';`,
      `import type { B } from './b';`,
      `export { c } from './c';`,
      `export * from './d';`,
      `import e = require('./e');`,
      `const f = require('./f');`,
      `const g = await import('./g');`,
      `type H = import('./h').H;`,
      `import './i';`,
      `/** import { x } from './not-an-import'; */`,
      `const j = import(name);`,
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: './a', line: 1 },
      { specifier: './b', line: 2 },
      { specifier: './c', line: 3 },
      { specifier: './d', line: 4 },
      { specifier: './e', line: 5 },
      { specifier: './f', line: 6 },
      { specifier: './g', line: 7 },
      { specifier: './h', line: 8 },
      { specifier: './i', line: 9 },
      { specifier: undefined, line: 11 },
    ]);
  });

  it('reads triple-slash path and types references as imports, and a path reference as relative to the file', () => {
    const text = [`/// <reference path="../b/b.ts" />`, `/// <reference types="vitest" />`, `/// <reference path="c.d.ts" />`, `export {};`, `/// <reference path="./not-a-directive.ts" />`].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: '../b/b.ts', line: 1 },
      { specifier: 'vitest', line: 2 },
      { specifier: './c.d.ts', line: 3 },
    ]);
  });

  it('reads each module loader a file gets hold of once, and no key or declared name called require', () => {
    const text = [
      `import { createRequire } from 'node:module';`,
      `const load = createRequire(import.meta.url);`,
      `const r = module.require;`,
      `const s = require;`,
      `const options = { require: true };`,
      `interface O { require: boolean }`,
      `const t = require('./t');`,
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: 'node:module', line: 1 },
      { specifier: 'createRequire', line: 2, loader: true },
      { specifier: 'require', line: 3, loader: true },
      { specifier: './t', line: 7 },
    ]);
  });

  it('reads a require a file makes its own with createRequire as a require, each of its calls an import', () => {
    const text = [
      `import { createRequire } from 'node:module';`,
      `export function load() {`,
      `  const require = createRequire(import.meta.url);`,
      `  return [require('better-sqlite3'), require('./local')];`,
      `}`,
      `let require2 = createRequire(import.meta.url);`,
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: 'node:module', line: 1 },
      { specifier: 'better-sqlite3', line: 4 },
      { specifier: './local', line: 4 },
      { specifier: 'createRequire', line: 6, loader: true },
    ]);
  });

  it('reads an import inside JSX in a .tsx file', () => {
    // Read as plain TypeScript, `<a href="x">` is a broken type assertion and the import in it is lost.
    expect(importsOf('x.tsx', `export const v = <a href="x">{import('./lazy')}</a>;\n`)).toEqual([{ specifier: './lazy', line: 1 }]);
  });

  // Each planted line breaks one rule; the checker must name the file, the specifier and the rule.
  const cases: { what: string; file: string; line: string; kind: ViolationKind; specifier: string; rule: string; top?: boolean }[] = [
    { what: 'transport importing queries', file: `${lib}/transport/http.ts`, line: `import type { Subject } from '../queries/types';`, kind: 'folder', specifier: '../queries/types', rule: 'transport' },
    { what: 'transport importing the client by a dynamic import', file: `${lib}/transport/http.ts`, line: `const c = await import('../client/client');`, kind: 'folder', specifier: '../client/client', rule: 'transport' },
    { what: 'mrz importing errors', file: `${lib}/mrz/parse.ts`, line: `import { BorderlinkError } from '../errors/index';`, kind: 'folder', specifier: '../errors/index', rule: 'mrz' },
    { what: 'mrz importing a dependency other than mrz', file: `${lib}/mrz/parse.ts`, line: `import { z } from 'zod';`, kind: 'package', specifier: 'zod', rule: 'mrz' },
    { what: 'errors importing internal', file: `${lib}/errors/index.ts`, line: `import { abort } from '../internal/abort';`, kind: 'folder', specifier: '../internal/abort', rule: 'errors' },
    { what: 'errors importing a dependency', file: `${lib}/errors/index.ts`, line: `import { z } from 'zod';`, kind: 'package', specifier: 'zod', rule: 'errors' },
    { what: 'library code importing testing', file: `${lib}/client/client.ts`, line: `import { mockTransport } from '../testing/index';`, kind: 'folder', specifier: '../testing/index', rule: 'client' },
    { what: 'library code importing the command', file: `${lib}/client/client.ts`, line: `import { run } from '../../../cli/src/check';`, kind: 'folder', specifier: '../../../cli/src/check', rule: 'client' },
    { what: 'library code importing a devDependency', file: `${lib}/client/client.ts`, line: `import fc from 'fast-check';`, kind: 'package', specifier: 'fast-check', rule: 'client' },
    { what: "library code importing the command's dependency", file: `${lib}/queries/verdict.ts`, line: `import { parse } from 'csv-parse/sync';`, kind: 'package', specifier: 'csv-parse/sync', rule: 'queries' },
    { what: 'library code importing its own package by name', file: `${lib}/queries/verdict.ts`, line: `import { isClear } from 'borderlink';`, kind: 'package', specifier: 'borderlink', rule: 'queries' },
    { what: 'testing importing ../errors', file: `${lib}/testing/handler.ts`, line: `import { ConfigError } from '../errors/index';`, kind: 'folder', specifier: '../errors/index', rule: 'testing' },
    { what: 'testing importing a protocol file beside the seam', file: `${lib}/testing/handler.ts`, line: `import { PATHS } from '../protocol/wire';`, kind: 'folder', specifier: '../protocol/wire', rule: 'testing' },
    { what: 'the command importing library source', file: `${cli}/main.ts`, line: `import { InputError } from '../../borderlink/src/errors/index';`, kind: 'folder', specifier: '../../borderlink/src/errors/index', rule: 'cli' },
    { what: 'the command importing a file inside the package', file: `${cli}/main.ts`, line: `import { x } from 'borderlink/dist/index.js';`, kind: 'package', specifier: 'borderlink/dist/index.js', rule: 'cli' },
    { what: 'resilience re-exporting protocol', file: `${lib}/resilience/retry.ts`, line: `export * from '../protocol/index';`, kind: 'folder', specifier: '../protocol/index', rule: 'resilience' },
    { what: 'resilience requiring queries', file: `${lib}/resilience/retry.ts`, line: `const q = require('../queries/types');`, kind: 'folder', specifier: '../queries/types', rule: 'resilience' },
    { what: 'queries naming a protocol type', file: `${lib}/queries/verdict.ts`, line: `type W = import('../protocol/index').W;`, kind: 'folder', specifier: '../protocol/index', rule: 'queries' },
    { what: 'queries importing the client', file: `${lib}/queries/verdict.ts`, line: `import type { C } from '../client/client';`, kind: 'folder', specifier: '../client/client', rule: 'queries' },
    { what: 'the entry point exporting from internal', file: `${lib}/index.ts`, line: `export { abort } from './internal/abort';`, kind: 'folder', specifier: './internal/abort', rule: 'index' },
    { what: 'a builtin without its node: prefix', file: `${lib}/internal/abort.ts`, line: `import { createHash } from 'crypto';`, kind: 'package', specifier: 'crypto', rule: 'internal' },
    { what: 'an import leaving the source folders', file: `${lib}/client/client.ts`, line: `import { certs } from '../../test/helpers/certs';`, kind: 'outside', specifier: '../../test/helpers/certs', rule: 'client' },
    { what: 'an import whose module is computed', file: `${lib}/client/client.ts`, line: `const m = await import(name);`, kind: 'computed', specifier: '(computed)', rule: 'client' },
    { what: 'transport reaching queries through a triple-slash path reference', file: `${lib}/transport/http.ts`, line: `/// <reference path="../queries/types.ts" />`, kind: 'folder', specifier: '../queries/types.ts', rule: 'transport', top: true },
    { what: 'library code referencing the types of a devDependency', file: `${lib}/client/client.ts`, line: `/// <reference types="vitest" />`, kind: 'package', specifier: 'vitest', rule: 'client', top: true },
    { what: 'transport loading queries through createRequire', file: `${lib}/transport/http.ts`, line: `import { createRequire } from 'node:module';\nconst load = createRequire(import.meta.url);\nexport const q = load('../queries/types');`, kind: 'loader', specifier: 'createRequire', rule: 'transport' },
    { what: 'transport loading queries through module.require', file: `${lib}/transport/http.ts`, line: `export const q = module.require('../queries/types');`, kind: 'loader', specifier: 'require', rule: 'transport' },
    { what: 'resilience calling require by another name', file: `${lib}/resilience/retry.ts`, line: `const load = require;\nexport const q = load('../queries/types');`, kind: 'loader', specifier: 'require', rule: 'resilience' },
    { what: 'an import by an absolute path', file: `${lib}/client/client.ts`, line: `import { x } from '/work/elsewhere/x';`, kind: 'outside', specifier: '/work/elsewhere/x', rule: 'client' },
    { what: 'a JavaScript file under src', file: `${lib}/internal/legacy.js`, line: `export const legacy = 1;`, kind: 'javascript', specifier: '', rule: 'internal' },
    { what: 'a folder without a rule', file: `${lib}/no-rule-here/example.ts`, line: `export const tracer = 1;`, kind: 'unlisted', specifier: '', rule: '(none)' },
    { what: 'library code beside offline importing its optional peer', file: `${lib}/client/client.ts`, line: `import Database from 'better-sqlite3';`, kind: 'package', specifier: 'better-sqlite3', rule: 'client' },
    { what: 'offline importing a dependency it does not need', file: `${lib}/offline/store.ts`, line: `import { Pool } from 'undici';`, kind: 'package', specifier: 'undici', rule: 'offline' },
    { what: 'offline importing the client', file: `${lib}/offline/store.ts`, line: `import { createClient } from '../client/client';`, kind: 'folder', specifier: '../client/client', rule: 'offline' },
    { what: 'the entry point re-exporting offline', file: `${lib}/index.ts`, line: `export * from './offline/store';`, kind: 'folder', specifier: './offline/store', rule: 'index' },
    { what: 'offline resolving, through its own require, a dependency it does not need', file: `${lib}/offline/store.ts`, line: `export const where = () => require.resolve('undici');`, kind: 'package', specifier: 'undici', rule: 'offline' },
    { what: 'offline handing require.resolve on unread', file: `${lib}/offline/store.ts`, line: `export const resolver = require.resolve;`, kind: 'loader', specifier: 'require', rule: 'offline' },
    { what: 'offline calling createRequire without making its own require', file: `${lib}/offline/store.ts`, line: `export const q = createRequire(import.meta.url)('../client/client');`, kind: 'loader', specifier: 'createRequire', rule: 'offline' },
    { what: 'a file at the top of src without a rule', file: `${lib}/utils.ts`, line: `export const util = 1;`, kind: 'unlisted', specifier: '', rule: '(none)' },
  ];

  it.each(cases)('reports $what', ({ file, line, kind, specifier, rule, top }) => {
    const violations = checkBoundaries(planted(file, line, top), BOUNDARY_RULES);
    const found = violations.find((v) => v.kind === kind && v.file === file && v.specifier === specifier);
    expect(found).toMatchObject({ kind, file, specifier, rule });
    expect(found?.message).toContain(file);
    if (specifier !== '') expect(found?.message).toContain(`'${specifier}'`);
    if (specifier === 'better-sqlite3') expect(found?.message).toContain('better-sqlite3 is an optional peer of borderlink, installed only by a user of offline: no other folder may import it');
    if (kind === 'unlisted') expect(found?.message).toMatch(/add it to ARCHITECTURE\.md and to the table in test\/architecture\/rules\.ts/);
    else if (kind === 'javascript') expect(found?.message).toMatch(/is JavaScript: source under packages\/\*\/src is TypeScript/);
    else expect(found?.message).toContain(`rule '${rule}'`);
    // The clean tree is silent, so every other report is caused by the same planted line (a cycle it closes).
    expect(violations.filter((v) => v.kind !== 'cycle').length).toBe(1);
  });

  it('reports a folder cycle with each import that makes it', () => {
    // queries → protocol breaks a rule and closes queries → protocol → queries.
    const violations = checkBoundaries(planted(`${lib}/queries/verdict.ts`, `import { W } from '../protocol/index';`), BOUNDARY_RULES);
    const cycle = violations.filter((v) => v.kind === 'cycle').map(({ file, specifier, rule }) => ({ file, specifier, rule }));
    expect(cycle).toEqual([
      { file: `${lib}/protocol/index.ts`, specifier: '../queries/types', rule: NO_CYCLE },
      { file: `${lib}/queries/verdict.ts`, specifier: '../protocol/index', rule: NO_CYCLE },
    ]);
    expect(violations.find((v) => v.kind === 'cycle')?.message).toBe(
      `${lib}/protocol/index.ts:2 imports '../queries/types', against rule '${NO_CYCLE}': it is one step of protocol → queries → protocol`,
    );
  });

  it('reports a library folder importing testing as a cycle through the public entry point', () => {
    const violations = checkBoundaries(planted(`${lib}/client/client.ts`, `import { mockTransport } from '../testing/index';`), BOUNDARY_RULES);
    expect(violations.filter((v) => v.kind === 'cycle').map((v) => v.specifier)).toEqual(['../testing/index', 'borderlink', './client/client']);
  });

  it('reports a cycle even where the table allows both directions, and the table check refuses such a table', () => {
    const loose: BoundaryRule[] = [
      { name: 'a', path: 'packages/x/src/a', folders: ['b'], packages: [] },
      { name: 'b', path: 'packages/x/src/b', folders: ['a'], packages: [] },
    ];
    const violations = checkBoundaries(
      {
        files: new Map([
          ['packages/x/src/a/one.ts', `import { two } from '../b/two';\n`],
          ['packages/x/src/b/two.ts', `import { one } from '../a/one';\n`],
        ]),
        packages: [{ dir: 'packages/x', name: 'x', dependencies: [], entryPoints: new Map() }],
      },
      loose,
    );
    expect(violations.map(({ kind, file, specifier }) => ({ kind, file, specifier }))).toEqual([
      { kind: 'cycle', file: 'packages/x/src/a/one.ts', specifier: '../b/two' },
      { kind: 'cycle', file: 'packages/x/src/b/two.ts', specifier: '../a/one' },
    ]);
    expect(checkRulesTable(loose)).toEqual(["rule 'a' names 'b', which is not above it in the table"]);
  });

  describe('reading a tree on disk', () => {
    // The clean miniature written out as a repository, plus `extra`; the checker's answer on what readSourceTree found.
    const onDisk = (extra: Record<string, string>, folders: readonly string[] = [], { optionalPeer = true, peers = {} as Record<string, string> } = {}) => {
      const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
      try {
        const write = (file: string, text: string) => {
          mkdirSync(dirname(join(dir, file)), { recursive: true });
          writeFileSync(join(dir, file), text);
        };
        write('tsconfig.json', JSON.stringify({ compilerOptions: { paths: { borderlink: [`./${lib}/index.ts`], 'borderlink/testing': [`./${lib}/testing/index.ts`] } } }));
        write(
          'packages/borderlink/package.json',
          JSON.stringify({
            name: 'borderlink',
            dependencies: Object.fromEntries(packages[0]!.dependencies.map((d) => [d, '*'])),
            peerDependencies: { 'better-sqlite3': '*', ...peers },
            peerDependenciesMeta: { 'better-sqlite3': { optional: optionalPeer } },
            exports: { '.': './dist/index.js', './testing': './dist/testing/index.js' },
          }),
        );
        write('packages/cli/package.json', JSON.stringify({ name: '@borderlink/cli', dependencies: Object.fromEntries(packages[1]!.dependencies.map((d) => [d, '*'])) }));
        for (const [file, text] of Object.entries({ ...clean, ...extra })) write(file, text);
        for (const folder of folders) mkdirSync(join(dir, folder), { recursive: true });
        const read = readSourceTree(dir);
        return { files: [...read.files.keys()], violations: checkBoundaries(read, BOUNDARY_RULES) };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    it('reads the clean tree as it was planted in memory', () => {
      const { files, violations } = onDisk({});
      expect(files.sort()).toEqual(Object.keys(clean).sort());
      expect(violations).toEqual([]);
    });

    it('reads optional peers from peerDependenciesMeta, and a peer not marked optional is not one', () => {
      const file = `${lib}/offline/store.ts`;
      expect(onDisk({}, [], { optionalPeer: false }).violations.map(({ kind, file, specifier }) => ({ kind, file, specifier }))).toEqual([
        { kind: 'package', file, specifier: 'better-sqlite3' },
        { kind: 'package', file, specifier: 'better-sqlite3' },
      ]);
      const planted = { [`${lib}/offline/store.ts`]: `${clean[file]}import pg from 'pg';\n` };
      expect(onDisk(planted, [], { peers: { pg: '*' } }).violations.map((v) => v.specifier)).toEqual(['pg']);
    });

    it.each(['mts', 'cts', 'tsx', 'd.ts'])('reads a .%s file under src and judges its imports', (ext) => {
      const file = `${lib}/transport/extra.${ext}`;
      const { violations } = onDisk({ [file]: `import type { Subject } from '../queries/types';\nexport type S = Subject;\n` });
      expect(violations.filter((v) => v.kind !== 'cycle').map(({ kind, file, specifier, rule }) => ({ kind, file, specifier, rule }))).toEqual([
        { kind: 'folder', file, specifier: '../queries/types', rule: 'transport' },
      ]);
    });

    it.each(['js', 'mjs', 'cjs', 'jsx'])('reports a .%s file under src as JavaScript, and judges its imports too', (ext) => {
      const file = `${lib}/transport/legacy.${ext}`;
      const { violations } = onDisk({ [file]: `import { q } from '../queries/types';\nexport const x = q;\n` });
      expect(violations.filter((v) => v.kind !== 'cycle').map(({ kind, file, specifier }) => ({ kind, file, specifier }))).toEqual([
        { kind: 'javascript', file, specifier: '' },
        { kind: 'folder', file, specifier: '../queries/types' },
      ]);
    });

    it('reads no file under src that is not source, nor a folder named like one', () => {
      const { files } = onDisk({ [`${lib}/queries/codes.json`]: '{}', [`${lib}/queries/README.md`]: '# q\n' }, [`${lib}/queries/odd.ts`]);
      expect(files.sort()).toEqual(Object.keys(clean).sort());
    });
  });

  it('refuses a table that names an unknown rule or a seam no rule covers', () => {
    const table: BoundaryRule[] = [
      { name: 'a', path: 'packages/x/src/a', folders: ['nowhere'], packages: [], seams: ['packages/x/src/b/index.ts'] },
    ];
    expect(checkRulesTable(table)).toEqual([
      "rule 'a' names an unknown rule 'nowhere'",
      "rule 'a' declares the seam packages/x/src/b/index.ts, which no rule covers",
    ]);
  });
});
