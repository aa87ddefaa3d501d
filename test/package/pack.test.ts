// The published packages as a user gets them: packed, linted (publint, @arethetypeswrong/cli), installed into new
// projects the way npm installs them for a user (install scripts allowed, so one would run), and used from ESM,
// CommonJS and TypeScript under every module resolution; the library alone, and with the command.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const libraryManifest = JSON.parse(readFileSync(join(root, 'packages/borderlink/package.json'), 'utf8')) as { version: string };
const commandManifest = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
/** What only the command needs: a library user must not get any of it. */
const commandOnly = ['@borderlink/cli', ...Object.keys(commandManifest.dependencies).filter((name) => name !== 'borderlink')];

/**
 * Scripts npm runs on a user's machine when the package is installed: the install hooks for any package, `prepare`
 * (and its pre/post) for a package installed from git or a directory.
 */
const installTimeScripts = ['preinstall', 'install', 'postinstall', 'preprepare', 'prepare', 'postprepare', 'prepublish'];

let work: string;
/** A project with only the library installed. */
let library: string;
/** A project with the library and the command installed. */
let both: string;
let tarball: string;
let commandTarball: string;

const env = { ...process.env, NO_COLOR: '1' };

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, { cwd, encoding: 'utf8', timeout: 120_000, env });
}

function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
  return dir;
}

function packedFile(tgz: string, path: string): string {
  return run('tar', ['-xzOf', tgz, `package/${path}`], root);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'borderlink-pack-'));
  // `npm test` has built dist/ already; packing must not build again.
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent', '--workspace', 'packages/borderlink', '--workspace', 'packages/cli'], root);
  tarball = join(work, readdirSync(work).find((f) => /^borderlink-\d.*\.tgz$/.test(f))!);
  commandTarball = join(work, readdirSync(work).find((f) => f.startsWith('borderlink-cli-') && f.endsWith('.tgz'))!);
  // As a user installs: without --ignore-scripts, so an install script of ours would run here.
  const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent'];
  library = project('library-user');
  run('npm', [...install, tarball], library);
  both = project('command-user');
  run('npm', [...install, tarball, commandTarball], both);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const check = `client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' })
  .then(async (r) => { console.log(r.verdict); await client.close(); });`;
const make = `const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' } });`;

describe('the packed packages pass the linters', () => {
  it('passes publint --strict, the library and the command', () => {
    expect(run(bin('publint'), ['run', tarball, '--strict'], root)).toMatch(/All good/);
    expect(run(bin('publint'), ['run', commandTarball, '--strict'], root)).toMatch(/All good/);
  });

  it('passes @arethetypeswrong/cli on every resolution (node10, node16 from CJS and ESM, bundler) for every entry point', () => {
    // attw exits non-zero on any problem in the profile, and execFileSync then throws; `strict` checks every resolution.
    const report = JSON.parse(run(bin('attw'), [tarball, '--profile', 'strict', '--format', 'json'], root)) as {
      problems?: Record<string, unknown[]>;
      analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string; isTypeScript: boolean } }> }> };
    };
    expect(Object.values(report.problems ?? {}).flat()).toEqual([]);
    const types = (entry: string) =>
      Object.fromEntries(Object.entries(report.analysis.entrypoints[entry]?.resolutions ?? {}).map(([kind, r]) => [kind, r.resolution?.isTypeScript ? r.resolution.fileName : null]));
    expect(types('.')).toEqual({
      node10: '/node_modules/borderlink/dist/index.d.cts',
      'node16-cjs': '/node_modules/borderlink/dist/index.d.cts',
      'node16-esm': '/node_modules/borderlink/dist/index.d.ts',
      bundler: '/node_modules/borderlink/dist/index.d.ts',
    });
    for (const entry of ['testing', 'offline', 'manifests', 'audit', 'telemetry']) {
      expect(types(`./${entry}`)).toEqual({
        node10: `/node_modules/borderlink/dist/${entry}/index.d.cts`,
        'node16-cjs': `/node_modules/borderlink/dist/${entry}/index.d.cts`,
        'node16-esm': `/node_modules/borderlink/dist/${entry}/index.d.ts`,
        bundler: `/node_modules/borderlink/dist/${entry}/index.d.ts`,
      });
    }
  });
});

describe('the packed library', () => {
  it('ships only dist/, the guides, the node10 stubs of borderlink/testing, /offline, /manifests, /audit and /telemetry, the README, CHANGELOG, SECURITY and LICENSE', () => {
    const files = run('tar', ['-tzf', tarball], root).trim().split('\n');
    expect(files.every((f) => /^package\/(dist\/|docs\/[a-z-]+\.(md|yaml)$|(testing|offline|manifests|audit|telemetry)\/package\.json$|(README|CHANGELOG|SECURITY)\.md$|package\.json$|LICENSE$)/.test(f))).toBe(true);
    expect(files).toEqual(
      expect.arrayContaining(['package/testing/package.json', 'package/offline/package.json', 'package/manifests/package.json', 'package/audit/package.json', 'package/telemetry/package.json']),
    );
    expect(files.some((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toBe(false);
  });

  it('runs no script at install time, nor a native build', () => {
    for (const tgz of [tarball, commandTarball]) {
      const scripts = (JSON.parse(packedFile(tgz, 'package.json')) as { scripts?: Record<string, string> }).scripts ?? {};
      expect(installTimeScripts.filter((name) => Object.hasOwn(scripts, name))).toEqual([]);
      // npm runs `node-gyp rebuild` at install for a package with a binding.gyp, even without an install script.
      expect(run('tar', ['-tzf', tgz], root).split('\n')).not.toContain('package/binding.gyp');
    }
  });

  it("installs without the command or the command's dependencies", () => {
    expect(existsSync(join(library, 'node_modules', 'borderlink', 'package.json'))).toBe(true);
    expect(commandOnly.length).toBeGreaterThan(1);
    expect(commandOnly.filter((name) => existsSync(join(library, 'node_modules', name)))).toEqual([]);
    expect(existsSync(join(library, 'node_modules', '.bin', 'borderlink'))).toBe(false);
    const tree = JSON.stringify(JSON.parse(run('npm', ['ls', '--all', '--json'], library)));
    for (const name of commandOnly) expect(tree).not.toContain(`"${name}"`);
  });

  it('works from ESM', () => {
    const out = run(process.execPath, ['--input-type=module', '-e', `import { createClient } from 'borderlink'; import { mockTransport } from 'borderlink/testing'; ${make} ${check}`], library);
    expect(out.trim()).toBe('HIT');
  });

  // better-sqlite3 is an optional peer: npm does not install it, so this project shows what a user without it sees.
  it('says what to install when borderlink/offline opens a store without better-sqlite3, from ESM and CommonJS', () => {
    expect(existsSync(join(library, 'node_modules', 'better-sqlite3'))).toBe(false);
    const open = `try { openOfflineStore({ path: 'x.db', hmacKey: Buffer.alloc(32, 1), encryptionKey: Buffer.alloc(32, 2) }); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const said = 'ConfigError: openOfflineStore: the offline store needs better-sqlite3, an optional peer dependency of borderlink: npm install better-sqlite3@12';
    expect(run(process.execPath, ['--input-type=module', '-e', `import { openOfflineStore } from 'borderlink/offline'; ${open}`], library).trim()).toBe(said);
    expect(run(process.execPath, ['--input-type=commonjs', '-e', `const { openOfflineStore } = require('borderlink/offline'); ${open}`], library).trim()).toBe(said);
    expect(existsSync(join(library, 'x.db'))).toBe(false);
  });

  // @opentelemetry/api is an optional peer too: this project, without it, shows what a user who turns telemetry on sees.
  it('says what to install when borderlink/telemetry is turned on without @opentelemetry/api, from ESM and CommonJS', () => {
    expect(existsSync(join(library, 'node_modules', '@opentelemetry', 'api'))).toBe(false);
    const turnOn = `try { openTelemetry(); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const said = 'ConfigError: openTelemetry: telemetry needs @opentelemetry/api, an optional peer dependency of borderlink: npm install @opentelemetry/api@1';
    expect(run(process.execPath, ['--input-type=module', '-e', `import { openTelemetry } from 'borderlink/telemetry'; ${turnOn}`], library).trim()).toBe(said);
    expect(run(process.execPath, ['--input-type=commonjs', '-e', `const { openTelemetry } = require('borderlink/telemetry'); ${turnOn}`], library).trim()).toBe(said);
  });

  it('writes and verifies an audit log as installed, from ESM and CommonJS', () => {
    const script = `const log = openAuditLog({ dir: 'audit-DIR' });
log.append({ at: '2025-06-01T10:00:00.000Z', requestId: 'r', action: 'CHECK', authorityId: 'A', operatorId: 'o', purpose: 'TEST', subjects: [], outcome: 'OK', hitIds: [], durationMs: 1, attempts: 1 });
log.close().then(() => verifyAuditLog(['audit-DIR'])).then((r) => console.log(r.ok, r.records));`;
    expect(run(process.execPath, ['--input-type=module', '-e', `import { openAuditLog, verifyAuditLog } from 'borderlink/audit'; ${script.replaceAll('DIR', 'esm')}`], library).trim()).toBe('true 3');
    expect(run(process.execPath, ['--input-type=commonjs', '-e', `const { openAuditLog, verifyAuditLog } = require('borderlink/audit'); ${script.replaceAll('DIR', 'cjs')}`], library).trim()).toBe('true 3');
  });

  it('works from CommonJS', () => {
    const out = run(process.execPath, ['--input-type=commonjs', '-e', `const { createClient } = require('borderlink'); const { mockTransport } = require('borderlink/testing'); ${make} ${check}`], library);
    expect(out.trim()).toBe('HIT');
  });

  it('screens a PAXLST from borderlink/manifests, ESM and CommonJS, its errors the InputError of borderlink', () => {
    const use = `${make}
const text = writePaxlst({ messages: [{ flights: [], travellers: [{ surname: 'ERIKSSON', documents: [{ number: 'L898902C3', issuingState: 'UTO' }] }] }] });
let refused;
try { parsePaxlst(text.slice(0, -3)); } catch (e) { refused = e instanceof InputError && e.code; }
(async () => {
  const rows = [];
  for await (const row of screenPaxlst(client, text)) rows.push(row.result.verdict);
  console.log(JSON.stringify([rows, refused]));
  await client.close();
})();`;
    const said = JSON.stringify([['HIT'], 'INVALID_EDIFACT']);
    const esm = `import { createClient, InputError } from 'borderlink'; import { mockTransport, writePaxlst } from 'borderlink/testing'; import { parsePaxlst, screenPaxlst } from 'borderlink/manifests';`;
    const cjs = `const { createClient, InputError } = require('borderlink'); const { mockTransport, writePaxlst } = require('borderlink/testing'); const { parsePaxlst, screenPaxlst } = require('borderlink/manifests');`;
    expect(run(process.execPath, ['--input-type=module', '-e', `${esm} ${use}`], library).trim()).toBe(said);
    expect(run(process.execPath, ['--input-type=commonjs', '-e', `${cjs} ${use}`], library).trim()).toBe(said);
  });
});

// One consumer, written against every entry point: it fails to compile if either entry point's types do not resolve
// or do not say what the code uses (noImplicitAny turns an unresolved module into an error).
const consumer = `import { createClient, isClear, TimeoutError, type CheckResult } from 'borderlink';
import { mockTransport, createMockGateway, type MockGateway } from 'borderlink/testing';
import { openOfflineStore, type OfflineStoreOptions, type SqliteOfflineStore } from 'borderlink/offline';
import { openAuditLog, verifyAuditLog, type AuditLogReport } from 'borderlink/audit';
import { openTelemetry, type TelemetryOptions } from 'borderlink/telemetry';
import { EdifactError, formatCusres, parsePaxlst, screenPaxlst, type PaxlstManifest, type ScreenedTraveller } from 'borderlink/manifests';
import { writePaxlst } from 'borderlink/testing';
export async function audited(dir: string, telemetry: TelemetryOptions): Promise<AuditLogReport> {
  const log = openAuditLog({ dir, fsync: 'batch' });
  const observed = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' }, onAudit: log.append, telemetry: openTelemetry(telemetry) });
  await observed.close();
  await log.close();
  return verifyAuditLog([dir]);
}
export async function manifest(): Promise<string> {
  const m: PaxlstManifest = parsePaxlst(writePaxlst({ messages: [{ flights: [], travellers: [{ surname: 'DOE', documents: [{ number: 'X1', issuingState: 'UTO' }] }] }] }));
  const rows: ScreenedTraveller[] = [];
  for await (const row of screenPaxlst(client, m)) rows.push(row);
  void new EdifactError([{ code: 'BAD_DATE', segment: 1, line: 1, tag: 'DTM', message: 'x' }]);
  return formatCusres(rows, { reference: 'A1', manifest: m });
}
export function offline(options: OfflineStoreOptions): number {
  const store: SqliteOfflineStore = openOfflineStore(options);
  const count = store.inventory().reduce((sum, s) => sum + s.recordCount, 0) + store.outbox.pending(10).length;
  store.close();
  return count;
}
const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' } });
export async function lane(): Promise<boolean> {
  const result: CheckResult = await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
  const gateway: MockGateway = await createMockGateway();
  const url: string = gateway.url;
  await gateway.close();
  void url;
  void new TimeoutError('x');
  return isClear(result);
}
`;

const resolutions = [
  { name: 'node10', options: { module: 'CommonJS', moduleResolution: 'node10' }, files: { 'consumer.ts': consumer } },
  { name: 'node16', options: { module: 'Node16', moduleResolution: 'Node16' }, files: { 'consumer.cts': consumer, 'consumer.mts': consumer } },
  { name: 'nodenext', options: { module: 'NodeNext', moduleResolution: 'NodeNext' }, files: { 'consumer.cts': consumer, 'consumer.mts': consumer } },
  { name: 'bundler', options: { module: 'ESNext', moduleResolution: 'Bundler' }, files: { 'consumer.ts': consumer } },
] as const;

describe('a TypeScript consumer of the packed library', () => {
  it.each(resolutions)('type-checks under $name resolution, for every entry point', ({ name, options, files }) => {
    const dir = join(library, `ts-${name}`);
    mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          ...options,
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: Object.keys(files),
      }),
    );
    const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});

describe('the packed command, installed with the library', () => {
  it('runs the borderlink command', () => {
    const out = run(join(both, 'node_modules', '.bin', 'borderlink'), ['--version'], both);
    expect(out.trim()).toBe(commandManifest.version);
    expect(libraryManifest.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('installs no better-sqlite3 with the command, and a command that needs the store says what to install', () => {
    expect(existsSync(join(both, 'node_modules', 'better-sqlite3'))).toBe(false);
    const keys = { BORDERLINK_STORE_HMAC_KEY: 'a'.repeat(64), BORDERLINK_STORE_ENCRYPTION_KEY: 'b'.repeat(64) };
    const result = spawnSync(join(both, 'node_modules', '.bin', 'borderlink'), ['store', 'inventory', '--store', join(both, 'package.json')], {
      cwd: both,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BORDERLINK_'))), ...keys, NO_COLOR: '1' },
    });
    expect(result.status).toBe(4);
    expect(result.stderr).toContain('npm install better-sqlite3@12');
  });

  it('checks the specimen on the demo gateway and exits 1 for its HIT', () => {
    const lines = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
    const result = spawnSync(join(both, 'node_modules', '.bin', 'borderlink'), ['check', '--mrz', ...lines], {
      cwd: both,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BORDERLINK_'))), NO_COLOR: '1' },
    });
    expect(result.stdout).toMatch(/^DEMO │ HIT\b/m);
    expect(result.status).toBe(1);
  });
});
