import { defineConfig, type Options } from 'tsup';

// zod is built once into dist/vendor/ (one file per format, from build/vendor/zod.ts), and every entry point imports
// that file instead of the package; the other dependencies loaded at import (mrz, p-retry with is-network-error,
// lru-cache), which only the `borderlink` entry point uses, are bundled into it. Loaded as packages, zod is 95 modules
// (its 63 locales among them) and mrz 50: resolving and compiling them one by one was most of the cost of importing
// `borderlink`. It also lets the CommonJS build load p-retry, is-network-error and mrz, which ship ESM only (Node 20
// cannot require() them). The packages stay dependencies: the copies are built from the versions installed with
// borderlink, so npm audit sees them and their licences come with them. undici, the largest, is loaded by the
// transport at its first request.
const VENDORED = ['zod'] as const;
const bundledIntoIndex = ['mrz', 'p-retry', 'is-network-error', 'lru-cache'];
const vendor = {
  target: 'node20',
  entry: Object.fromEntries(VENDORED.map((name) => [`vendor/${name}`, `build/vendor/${name}.ts`])),
  noExternal: [...VENDORED],
  dts: false,
  sourcemap: false,
  banner: { js: `/*! Built from ${VENDORED.join(', ')} as installed with borderlink (MIT licence: see its LICENSE in node_modules). */` },
} satisfies Options;

/** Resolves the vendored packages to dist/vendor/ from an entry point `up` folders below dist/ ('./' or '../'). */
const fromVendor = (up: './' | '../', extension: '.js' | '.cjs'): NonNullable<Options['esbuildPlugins']>[number] => ({
  name: 'borderlink-vendor',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${VENDORED.join('|')})$`) }, (args) => ({ path: `${up}vendor/${args.path}${extension}`, external: true }));
  },
});
/**
 * What an entry point `up` folders below dist/ needs to import the vendored files (`noExternal`, so that tsup's own
 * resolution of dependencies leaves them to the plugin), with the packages it bundles besides.
 */
const vendored = (up: './' | '../', format: 'esm' | 'cjs', bundled: readonly string[] = []) =>
  ({ format: [format], noExternal: [...VENDORED, ...bundled], esbuildPlugins: [fromVendor(up, format === 'esm' ? '.js' : '.cjs')] }) satisfies Options;

const common = { target: 'node20', sourcemap: true, dts: true } satisfies Options;
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
  { ...vendor, format: ['esm'], clean: true },
  { ...vendor, format: ['cjs'] },
  { ...common, entry: { index: 'src/index.ts' }, ...vendored('./', 'esm', bundledIntoIndex) },
  { ...common, entry: { index: 'src/index.ts' }, ...vendored('./', 'cjs', bundledIntoIndex) },
  { ...testing, ...vendored('../', 'esm') },
  { ...testing, ...vendored('../', 'cjs') },
  { ...offline, ...vendored('../', 'esm') },
  { ...offline, ...vendored('../', 'cjs') },
  { ...audit, ...vendored('../', 'esm') },
  {
    ...audit,
    ...vendored('../', 'cjs'),
    noExternal: [...VENDORED, 'canonicalize'],
    // canonicalize is Apache-2.0: the copy this build carries says so, and its licence comes with the dependency.
    banner: { js: '/*! Carries canonicalize 4 (https://github.com/erdtman/canonicalize), Apache License 2.0: see canonicalize/LICENSE, installed with borderlink. */' },
  },
  { ...telemetry, ...vendored('../', 'esm') },
  { ...telemetry, ...vendored('../', 'cjs') },
  { ...manifests, format: ['esm'] },
  { ...manifests, format: ['cjs'] },
]);
