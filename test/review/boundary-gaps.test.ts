// Review: import forms the boundary checker does not see. Each plant is a violation a newcomer could write by
// accident (or to get round the test); the checker should name it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBoundaries, readSourceTree, type SourceTree } from '../architecture/boundaries';
import { BOUNDARY_RULES } from '../architecture/rules';

const lib = 'packages/borderlink/src';
const packages: SourceTree['packages'] = [
  {
    dir: 'packages/borderlink',
    name: 'borderlink',
    dependencies: ['lru-cache', 'mrz', 'p-retry', 'undici', 'zod'],
    entryPoints: new Map([
      ['borderlink', `${lib}/index.ts`],
      ['borderlink/testing', `${lib}/testing/index.ts`],
    ]),
  },
];
const base: Record<string, string> = {
  [`${lib}/errors/index.ts`]: `export class BorderlinkError extends Error {}\n`,
  [`${lib}/queries/types.ts`]: `export type Subject = { kind: 'document' };\n`,
  [`${lib}/transport/http.ts`]: `export const x = 1;\n`,
};
const tree = (extra: Record<string, string>): SourceTree => ({ files: new Map(Object.entries({ ...base, ...extra })), packages });

describe('the boundary checker (review plants)', () => {
  it('finds a transport file that reaches queries through a triple-slash reference', () => {
    const found = checkBoundaries(tree({ [`${lib}/transport/http.ts`]: `/// <reference path="../queries/types.ts" />\nexport const x = 1;\n` }), BOUNDARY_RULES);
    expect(found.map((v) => v.rule)).toContain('transport');
  });

  it('finds a transport file that loads queries through createRequire', () => {
    const text = `import { createRequire } from 'node:module';\nconst load = createRequire(import.meta.url);\nexport const q = load('../queries/types');\n`;
    const found = checkBoundaries(tree({ [`${lib}/transport/http.ts`]: text }), BOUNDARY_RULES);
    expect(found.map((v) => v.rule)).toContain('transport');
  });

  describe('on a tree on disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'boundary-review-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(
      join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { paths: { borderlink: [`./${lib}/index.ts`], 'borderlink/testing': [`./${lib}/testing/index.ts`] } } }),
    );
    mkdirSync(join(root, 'packages/borderlink'), { recursive: true });
    writeFileSync(
      join(root, 'packages/borderlink/package.json'),
      JSON.stringify({ name: 'borderlink', dependencies: { zod: '^4' }, exports: { '.': './dist/index.js', './testing': './dist/testing/index.js' } }),
    );
    for (const [file, text] of Object.entries(base)) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), text);
    }

    for (const ext of ['mts', 'cts', 'tsx']) {
      it(`finds a violation in a .${ext} source file`, () => {
        writeFileSync(join(root, `${lib}/transport/extra.${ext}`), `import type { Subject } from '../queries/types';\nexport type S = Subject;\n`);
        const found = checkBoundaries(readSourceTree(root), BOUNDARY_RULES);
        rmSync(join(root, `${lib}/transport/extra.${ext}`));
        expect(found.map((v) => v.file)).toContain(`${lib}/transport/extra.${ext}`);
      });
    }
  });
});
