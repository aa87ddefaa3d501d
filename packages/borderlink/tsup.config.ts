import { defineConfig, type Options } from 'tsup';

const common = { target: 'node20', sourcemap: true, dts: true } satisfies Options;
// p-retry, its is-network-error and mrz ship ESM only: Node 20 cannot require() them, so the CJS build carries them.
const esmOnly = ['p-retry', 'is-network-error', 'mrz'];
// borderlink/testing uses the public entry point: it imports 'borderlink' rather than carrying its own copy of the
// library (one set of error classes, so instanceof holds across the two entry points). For its declarations, the
// name resolves to the source, so they import the public types by name instead of inlining them.
const testing = {
  ...common,
  entry: { 'testing/index': 'src/testing/index.ts' },
  external: ['borderlink', 'borderlink/manifests'],
  dts: { compilerOptions: { paths: { borderlink: ['./src/index.ts'], 'borderlink/manifests': ['./src/manifests/index.ts'] } } },
} satisfies Options;

// borderlink/manifests builds on the public entry point like borderlink/testing (one set of error classes), and has
// no dependency of its own: the EDIFACT tokenizer is ours.
const manifests = {
  ...common,
  entry: { 'manifests/index': 'src/manifests/index.ts' },
  external: ['borderlink'],
  dts: { compilerOptions: { paths: { borderlink: ['./src/index.ts'] } } },
} satisfies Options;

// borderlink/offline carries what it needs of ours (its errors are branded, so instanceof holds across entry points)
// and loads better-sqlite3 itself, with a createRequire on its own URL: `shims` gives the CJS build that URL.
const offline = { ...common, entry: { 'offline/index': 'src/offline/index.ts' }, shims: true } satisfies Options;

// borderlink/audit carries what it needs of ours, as borderlink/offline does. canonicalize (RFC 8785) ships ESM only:
// the CJS build carries it, the ESM build imports it as the dependency it is.
const audit = { ...common, entry: { 'audit/index': 'src/audit-log/index.ts' } } satisfies Options;
// borderlink/telemetry loads the optional peer @opentelemetry/api itself when it is turned on (createRequire, so
// `shims` gives the CJS build its URL); importing the entry loads nothing of it.
const telemetry = { ...common, entry: { 'telemetry/index': 'src/telemetry/index.ts' }, shims: true } satisfies Options;

export default defineConfig([
  { ...common, entry: { index: 'src/index.ts' }, format: ['esm'], clean: true },
  { ...common, entry: { index: 'src/index.ts' }, format: ['cjs'], noExternal: esmOnly },
  { ...testing, format: ['esm'] },
  { ...testing, format: ['cjs'], noExternal: esmOnly },
  { ...offline, format: ['esm'] },
  { ...offline, format: ['cjs'] },
  { ...audit, format: ['esm'] },
  {
    ...audit,
    format: ['cjs'],
    noExternal: ['canonicalize'],
    // canonicalize is Apache-2.0: the copy this build carries says so, and its licence comes with the dependency.
    banner: { js: '/*! Carries canonicalize 4 (https://github.com/erdtman/canonicalize), Apache License 2.0: see canonicalize/LICENSE, installed with borderlink. */' },
  },
  { ...telemetry, format: ['esm'] },
  { ...telemetry, format: ['cjs'] },
  { ...manifests, format: ['esm'] },
  { ...manifests, format: ['cjs'] },
]);
