import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
};

export default defineConfig([
  {
    entry,
    format: ['esm'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
  },
  {
    entry,
    format: ['cjs'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    // p-retry, its is-network-error and mrz ship ESM only: Node 20 cannot require() them, so the CJS build carries them.
    noExternal: ['p-retry', 'is-network-error', 'mrz'],
  }
]);
