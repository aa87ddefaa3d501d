// The import rules of ARCHITECTURE.md, as data. This table is the source of truth: ARCHITECTURE.md repeats it for
// readers, and boundaries.test.ts checks every source file of packages/*/src against it. A new folder is a new row
// here and a new line in ARCHITECTURE.md, or the test fails.

/** What the files under one path may import, besides their own files and `node:` builtins (always allowed). */
export interface BoundaryRule {
  /** The name a rule is called by, in `folders` and in messages. */
  readonly name: string;
  /** Repository-relative folder (every file under it) or single file. The longest matching path wins. */
  readonly path: string;
  /** Names of the other rules whose files it may import by a relative path. */
  readonly folders: readonly string[];
  /**
   * npm packages it may import: `'dependencies'` is every runtime dependency of the package.json of its own package
   * (never a devDependency, never another package's dependency); a list narrows that further.
   */
  readonly packages: 'dependencies' | readonly string[];
  /**
   * Optional peer dependencies of its package it may import besides `packages` (each must be marked optional in that
   * package.json): what a user installs only to use this folder, so no other folder may load it.
   */
  readonly optionalPeers?: readonly string[];
  /** May import our workspace packages by their public entry points (`borderlink`, `borderlink/testing`). */
  readonly entryPoints?: boolean;
  /** Single files of other folders it may import although their folder is not in `folders`: a declared seam. */
  readonly seams?: readonly string[];
}

const lib = 'packages/borderlink/src';

// Ordered from the bottom of the house up: each row may only name rows above it, so the table itself has no cycle.
export const BOUNDARY_RULES: readonly BoundaryRule[] = [
  { name: 'errors', path: `${lib}/errors`, folders: [], packages: [] },
  { name: 'version', path: `${lib}/version.ts`, folders: [], packages: [] },
  { name: 'internal', path: `${lib}/internal`, folders: ['errors'], packages: 'dependencies' },
  // The ICAO name tables sit under the MRZ engine: formatMrz writes names with them, and queries send their forms.
  { name: 'names', path: `${lib}/names`, folders: ['errors', 'internal'], packages: 'dependencies' },
  { name: 'mrz', path: `${lib}/mrz`, folders: ['names'], packages: ['mrz'] },
  { name: 'logging', path: `${lib}/logging`, folders: [], packages: [] },
  { name: 'transport', path: `${lib}/transport`, folders: ['errors', 'internal'], packages: 'dependencies' },
  { name: 'queries', path: `${lib}/queries`, folders: ['errors', 'internal', 'names', 'mrz'], packages: 'dependencies' },
  { name: 'reports', path: `${lib}/reports`, folders: ['errors', 'internal', 'queries'], packages: 'dependencies' },
  { name: 'stores', path: `${lib}/stores`, folders: ['names', 'queries'], packages: [] },
  {
    name: 'audit',
    path: `${lib}/audit`,
    folders: ['errors', 'internal', 'queries', 'reports'],
    packages: 'dependencies',
  },
  {
    name: 'protocol',
    path: `${lib}/protocol`,
    folders: ['errors', 'internal', 'transport', 'queries', 'reports', 'stores'],
    packages: 'dependencies',
  },
  {
    name: 'resilience',
    path: `${lib}/resilience`,
    folders: ['errors', 'internal', 'transport'],
    packages: 'dependencies',
  },
  {
    name: 'client',
    path: `${lib}/client`,
    folders: ['errors', 'mrz', 'version', 'internal', 'logging', 'transport', 'queries', 'reports', 'stores', 'audit', 'protocol', 'resilience'],
    packages: 'dependencies',
  },
  // `borderlink/offline`: the SQLite store, the one folder that may load better-sqlite3 (an optional peer). Nothing
  // imports it: the client reaches a store through the contracts of stores/ only.
  {
    name: 'offline',
    path: `${lib}/offline`,
    folders: ['errors', 'internal', 'queries', 'stores'],
    packages: ['zod'],
    optionalPeers: ['better-sqlite3'],
  },
  // `borderlink/audit`: the tamper-evident audit log and its verifier. Nothing imports it: the client hands its events
  // to `onAudit`, and the integrator points that at the log.
  {
    name: 'audit-log',
    path: `${lib}/audit-log`,
    folders: ['errors', 'internal', 'version', 'audit'],
    packages: ['zod', 'canonicalize'],
  },
  // `borderlink/telemetry`: OpenTelemetry, the one folder that may load @opentelemetry/api (an optional peer). It
  // builds on the client's events and its call hook (client/observe.ts), whose types it reads, and names attempts by
  // protocol v1's path templates (protocol/wire.ts); nothing imports it.
  {
    name: 'telemetry',
    path: `${lib}/telemetry`,
    folders: ['errors', 'internal', 'version', 'queries', 'protocol', 'resilience', 'client'],
    packages: ['zod'],
    optionalPeers: ['@opentelemetry/api'],
  },
  // `borderlink/manifests`: the EDIFACT tokenizer, PAXLST and CUSRES, on the public API like any user; no package at
  // all (the tokenizer is ours), so a user who screens no manifest loads nothing of it.
  { name: 'manifests', path: `${lib}/manifests`, folders: [], packages: [], entryPoints: true },
  // The `borderlink` entry point: re-exports only, and nothing public from internal/.
  {
    name: 'index',
    path: `${lib}/index.ts`,
    folders: ['errors', 'names', 'mrz', 'version', 'logging', 'transport', 'queries', 'reports', 'stores', 'audit', 'protocol', 'resilience', 'client'],
    packages: [],
  },
  // `borderlink/testing` builds on the public API like any user, plus one seam: the wire schemas and paths the mock
  // gateway must share with the client (one definition of the protocol, not two that drift).
  {
    name: 'testing',
    path: `${lib}/testing`,
    folders: [],
    packages: 'dependencies',
    entryPoints: true,
    seams: [`${lib}/protocol/index.ts`],
  },
  { name: 'cli', path: 'packages/cli/src', folders: [], packages: 'dependencies', entryPoints: true },
];
