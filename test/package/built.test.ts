// Runs the *built* package both ways, as a user's ESM and CJS code would load it. `npm test` builds before vitest.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from 'borderlink';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 30_000 });

const script = (load: string) => `
${load}
const client = createClient({
  transport: mockTransport(),
  context: { authorityId: 'UTO-POLICE', operatorId: 'smoke', purpose: 'TEST' },
});
client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' })
  .then(async (r) => { console.log(JSON.stringify({ verdict: r.verdict, kinds: r.hits.map((h) => h.kind) })); await client.close(); })
  .catch((e) => { console.error(e); process.exit(1); });
`;

describe('the built package', () => {
  it('has been built', () => {
    expect(existsSync(`${root}/packages/borderlink/dist/index.js`) && existsSync(`${root}/packages/borderlink/dist/index.cjs`)).toBe(true);
  });

  it('runs a check when imported as ESM', () => {
    const out = run([
      '--input-type=module',
      '-e',
      script(`import { createClient } from 'borderlink'; import { mockTransport } from 'borderlink/testing';`),
    ]);
    expect(JSON.parse(out)).toEqual({ verdict: 'HIT', kinds: ['document'] });
  });

  it('runs a check when required as CommonJS on this Node (ESM-only dependencies bundled)', () => {
    const out = run([
      '--input-type=commonjs',
      '-e',
      script(`const { createClient } = require('borderlink'); const { mockTransport } = require('borderlink/testing');`),
    ]);
    expect(JSON.parse(out)).toEqual({ verdict: 'HIT', kinds: ['document'] });
  });

  it('keeps instanceof across the ESM and CJS copies', async () => {
    const out = run([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       import { TimeoutError, BorderlinkError } from 'borderlink';
       const cjs = createRequire(import.meta.url)('borderlink');
       const e = new cjs.TimeoutError('x');
       console.log(JSON.stringify([e instanceof TimeoutError, e instanceof BorderlinkError, new TimeoutError('y') instanceof cjs.TimeoutError, e instanceof cjs.ConnectionError]));`,
    ]);
    expect(JSON.parse(out)).toEqual([true, true, true, false]);
  });

  it('never loads better-sqlite3 from the borderlink entry point, nor from borderlink/testing, built as ESM and CJS', () => {
    // Every file each entry point loads, following its relative imports (a chunk would be one).
    const loaded = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from\s*|require\(|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) loaded(fileURLToPath(new URL(spec!, pathToFileURL(file))), seen);
      return seen;
    };
    for (const entry of ['index.js', 'index.cjs', 'testing/index.js', 'testing/index.cjs']) {
      for (const file of loaded(`${root}/packages/borderlink/dist/${entry}`)) expect(readFileSync(file, 'utf8')).not.toContain('better-sqlite3');
    }
    const out = run(['--input-type=commonjs', '-e', `require('borderlink'); require('borderlink/testing'); console.log(Object.keys(require.cache).filter((k) => k.includes('better-sqlite3')).length)`]);
    expect(out.trim()).toBe('0');
  });

  it('loads nothing of the audit log or telemetry from the borderlink entry point, nor canonicalize or @opentelemetry/api, built as ESM and CJS', () => {
    const loaded = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from\s*|require\(|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) loaded(fileURLToPath(new URL(spec!, pathToFileURL(file))), seen);
      return seen;
    };
    for (const entry of ['index.js', 'index.cjs', 'testing/index.js', 'testing/index.cjs']) {
      for (const file of loaded(`${root}/packages/borderlink/dist/${entry}`)) {
        const text = readFileSync(file, 'utf8');
        for (const marker of ['canonicalize', '@opentelemetry/api', 'checkpointLine', 'BorderlinkAuditWarning', 'createInstruments']) expect(text).not.toContain(marker);
      }
    }
    const out = run([
      '--input-type=commonjs',
      '-e',
      `require('borderlink'); require('borderlink/testing'); console.log(Object.keys(require.cache).filter((k) => /canonicalize|@opentelemetry|[\\/]dist[\\/](audit|telemetry)[\\/]/.test(k)).length)`,
    ]);
    expect(out.trim()).toBe('0');
    // Importing borderlink/telemetry loads no @opentelemetry/api either: only openTelemetry() does.
    const telemetry = run(['--input-type=commonjs', '-e', `require('borderlink/telemetry'); console.log(Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length)`]);
    expect(telemetry.trim()).toBe('0');
  });

  it('writes and verifies an audit log with the built borderlink/audit, as ESM and as CommonJS (canonicalize carried)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'borderlink-built-audit-'));
    try {
      const use = (load: string, sub: string) => `${load}
const { generateKeyPairSync } = require('node:crypto');
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const log = openAuditLog({ dir: ${JSON.stringify(join(dir, 'x'))} + '${sub}', checkpoint: { privateKey } });
log.append({ at: '2025-06-01T10:00:00.000Z', requestId: 'r', action: 'CHECK', authorityId: 'A', operatorId: 'o', purpose: 'TEST', subjects: [], outcome: 'OK', hitIds: [], durationMs: 1, attempts: 1 });
log.close().then(() => verifyAuditLog([${JSON.stringify(join(dir, 'x'))} + '${sub}'], { publicKey })).then((r) => console.log(JSON.stringify([r.ok, r.records, r.checkpoints.verified])));`;
      const esm = `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); import { openAuditLog, verifyAuditLog } from 'borderlink/audit';`;
      expect(JSON.parse(run(['--input-type=module', '-e', use(esm, 'esm')]))).toEqual([true, 4, 1]);
      expect(JSON.parse(run(['--input-type=commonjs', '-e', use(`const { openAuditLog, verifyAuditLog } = require('borderlink/audit');`, 'cjs')]))).toEqual([true, 4, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports the spans of a check with the built borderlink/telemetry, as ESM and as CommonJS', () => {
    const use = (load: string) => `${load}
const exporter = new InMemorySpanExporter();
const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' },
  telemetry: openTelemetry({ tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }), metrics: false }) });
client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' })
  .then(async () => { console.log(JSON.stringify(exporter.getFinishedSpans().map((s) => s.name).sort())); await client.close(); });`;
    const esm = `import { createClient } from 'borderlink'; import { mockTransport } from 'borderlink/testing'; import { openTelemetry } from 'borderlink/telemetry'; import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';`;
    const cjs = `const { createClient } = require('borderlink'); const { mockTransport } = require('borderlink/testing'); const { openTelemetry } = require('borderlink/telemetry'); const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');`;
    for (const [type, load] of [['module', esm], ['commonjs', cjs]] as const) {
      expect(JSON.parse(run([`--input-type=${type}`, '-e', use(load)]))).toEqual(['POST /v1/checks', 'borderlink.check']);
    }
  });

  it('builds borderlink/manifests on the borderlink entry point alone, and loads it from neither borderlink nor borderlink/testing', () => {
    for (const entry of ['manifests/index.js', 'manifests/index.cjs']) {
      const text = readFileSync(`${root}/packages/borderlink/dist/${entry}`, 'utf8');
      const packages = [...text.matchAll(/(?:from\s*|require\(|import\()\s*["']([^"'.][^"']*)["']/g)].map((m) => m[1]!);
      expect([...new Set(packages.filter((name) => !name.startsWith('node:')))]).toEqual(['borderlink']);
    }
    const out = run(['--input-type=commonjs', '-e', `require('borderlink'); require('borderlink/testing'); console.log(Object.keys(require.cache).filter((k) => k.includes('manifests')).length)`]);
    expect(out.trim()).toBe('0');
  });

  it('opens an offline store from the built borderlink/offline, as ESM and as CommonJS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'borderlink-built-offline-'));
    try {
      const use = (load: string, file: string) => `${load}
const store = openOfflineStore({ path: ${JSON.stringify(join(dir, file))}, hmacKey: Buffer.alloc(32, 1), encryptionKey: Buffer.alloc(32, 2) });
store.outbox.enqueue({ idempotencyKey: 'k-1', kind: 'report', path: '/v1/reports', body: '{}', queuedAt: 1 });
console.log(JSON.stringify([store.outbox.pending().length, store.checkIntegrity().ok]));
store.close();`;
      expect(JSON.parse(run(['--input-type=module', '-e', use(`import { openOfflineStore } from 'borderlink/offline';`, 'esm.db')]))).toEqual([1, true]);
      expect(JSON.parse(run(['--input-type=commonjs', '-e', use(`const { openOfflineStore } = require('borderlink/offline');`, 'cjs.db')]))).toEqual([1, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads zod as one file that every entry point shares, and carries mrz, p-retry and lru-cache: no module of them from node_modules, as ESM and as CommonJS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'borderlink-built-modules-'));
    const entries = ['borderlink', 'borderlink/testing', 'borderlink/offline', 'borderlink/audit', 'borderlink/telemetry', 'borderlink/manifests'];
    const dependency = /\/node_modules\/(zod|mrz|p-retry|is-network-error|lru-cache)\//;
    const vendor = (file: string) => pathToFileURL(`${root}/packages/borderlink/dist/vendor/${file}`).href;
    try {
      // Every module file the ESM loader loads, as the hook sees it.
      writeFileSync(join(dir, 'hook.mjs'), `export async function load(url, context, next) { if (url.startsWith('file:')) console.error('LOADED ' + url); return next(url, context); }`);
      writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});`);
      const esm = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--input-type=module', '-e', entries.map((e) => `await import('${e}');`).join(' ')], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      expect(esm.status).toBe(0);
      const loaded = esm.stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => line.slice('LOADED '.length));
      expect(loaded.length).toBeGreaterThan(entries.length);
      expect(loaded.filter((url) => dependency.test(url))).toEqual([]);
      expect(loaded.filter((url) => url.includes('/dist/vendor/'))).toEqual([vendor('zod.js')]);
      const cjs = run(['--input-type=commonjs', '-e', `${entries.map((e) => `require('${e}');`).join(' ')} console.log(JSON.stringify(Object.keys(require.cache)))`]);
      const required = (JSON.parse(cjs) as string[]).map((file) => pathToFileURL(file).href);
      expect(required.filter((url) => dependency.test(url))).toEqual([]);
      expect(required.filter((url) => url.includes('/dist/vendor/'))).toEqual([vendor('zod.cjs')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends nothing without an operator and a purpose, nor with a purpose it does not know, through the built zod, as ESM and as CommonJS', () => {
    const script = (load: string) => `${load}
const transport = mockTransport();
const out = [];
const refused = (context) => createClient({ transport, context }).checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' })
  .then(() => out.push('sent'), (e) => out.push([e.name, e.issues.map((i) => i.path)]));
refused({ authorityId: 'UTO-POLICE' })
  .then(() => refused({ authorityId: 'UTO-POLICE', operatorId: 'o', purpose: 'FISHING' }))
  .then(() => console.log(JSON.stringify({ out, sent: transport.requests.length })));`;
    const expected = { out: [['InputError', ['context.operatorId', 'context.purpose']], ['InputError', ['context.purpose']]], sent: 0 };
    expect(JSON.parse(run(['--input-type=module', '-e', script(`import { createClient } from 'borderlink'; import { mockTransport } from 'borderlink/testing';`)]))).toEqual(expected);
    expect(JSON.parse(run(['--input-type=commonjs', '-e', script(`const { createClient } = require('borderlink'); const { mockTransport } = require('borderlink/testing');`)]))).toEqual(expected);
  });

  it('says the same version as package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(`${root}/packages/borderlink/package.json`, 'utf8')).version);
  });
});
