// The API reference (`npm run docs`, typedoc.config.mjs) opens on the README's quick start and holds every guide as a
// page: building it takes a minute, so this checks what it is built from.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const guides = readdirSync(join(root, 'packages', 'borderlink', 'docs')).filter((f) => f.endsWith('.md'));

describe('the API reference', () => {
  it("opens on the library README, whose quick start is a complete program, and has every guide as a page", async () => {
    const config = (await import(pathToFileURL(join(root, 'typedoc.config.mjs')).href)).default as { readme: string; projectDocuments: string[] };
    expect(config.readme).toBe('packages/borderlink/README.md');
    const readme = readFileSync(join(root, config.readme), 'utf8');
    const quickStart = readme.slice(readme.indexOf('\n## Quick start\n'));
    expect(quickStart).toMatch(/^\n## Quick start\n\n```ts\nimport \{[^}]*\bcreateClient\b[^}]*\} from 'borderlink';/);
    expect(config.projectDocuments).toEqual(['packages/borderlink/docs/*.md']);
    expect(guides.length).toBeGreaterThan(10);
    for (const guide of guides) expect(existsSync(join(root, 'packages', 'borderlink', 'docs', guide))).toBe(true);
  });

  it('links every guide from the README, so the landing page leads to each', () => {
    const readme = readFileSync(join(root, 'packages', 'borderlink', 'README.md'), 'utf8');
    const linked = new Set([...readme.matchAll(/\]\(docs\/([^)#]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]));
    expect(guides.filter((g) => !linked.has(g))).toEqual([]);
  });
});
