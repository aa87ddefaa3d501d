import { defineConfig } from 'tsup';

// The `borderlink` command: ESM only. Its dependencies (borderlink itself among them) stay external.
export default defineConfig({
  entry: { cli: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
});
