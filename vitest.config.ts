import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./packages/borderlink/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the public entry points by name and run them from source; tests of the built package spawn Node.
    alias: [
      { find: /^borderlink$/, replacement: src('index.ts') },
      { find: /^borderlink\/testing$/, replacement: src('testing/index.ts') },
      { find: /^borderlink\/offline$/, replacement: src('offline/index.ts') },
      { find: /^borderlink\/audit$/, replacement: src('audit-log/index.ts') },
      { find: /^borderlink\/telemetry$/, replacement: src('telemetry/index.ts') },
      { find: /^borderlink\/manifests$/, replacement: src('manifests/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
