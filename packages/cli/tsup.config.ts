import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
// The command depends on one exact borderlink version (package.json), so `--version` can print it without loading it.
const borderlinkVersion = manifest.dependencies.borderlink;
if (borderlinkVersion === undefined || !/^\d+\.\d+\.\d+$/.test(borderlinkVersion)) {
  throw new Error('packages/cli/package.json must depend on one exact borderlink version');
}

// The `borderlink` command: ESM only. Its dependencies (borderlink itself among them) stay external.
export default defineConfig({
  entry: { cli: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
  define: { __BORDERLINK_VERSION__: JSON.stringify(borderlinkVersion) },
});
