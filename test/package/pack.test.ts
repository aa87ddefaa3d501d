// The published package as a user gets it: packed, installed into a new project, used from ESM, CommonJS and
// TypeScript, and its command run. Also lints the tarball with publint and @arethetypeswrong/cli.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
let work: string;
let project: string;
let tarball: string;
let commandTarball: string;

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'borderlink-pack-'));
  // `npm test` has built dist/ already; packing must not build again.
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent', '--workspace', 'packages/borderlink', '--workspace', 'packages/cli'], root);
  tarball = join(work, readdirSync(work).find((f) => f.startsWith('borderlink-') && f.endsWith('.tgz'))!);
  commandTarball = join(work, readdirSync(work).find((f) => f.startsWith('borderlink-cli-') && f.endsWith('.tgz'))!);
  project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  run('npm', ['install', tarball, commandTarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--silent'], project);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const check = `client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' })
  .then(async (r) => { console.log(r.verdict); await client.close(); });`;
const make = `const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' } });`;

describe('the packed package', () => {
  it('passes publint', () => {
    expect(run(bin('publint'), ['run', tarball, '--strict'], root)).toMatch(/All good/);
  });

  it('passes @arethetypeswrong/cli for Node 16+ resolution (ESM and CJS) and bundlers', () => {
    // node10 resolution has no `exports`, so the `borderlink/testing` subpath cannot resolve there; Node ≥ 20 is required.
    // attw exits non-zero on any problem in the profile; execFileSync then throws.
    const out = run(bin('attw'), [tarball, '--profile', 'node16'], root);
    expect(out).toContain('"borderlink/testing"');
    expect(out).not.toMatch(/node16 \(from (CJS|ESM)\): (?!🟢)/u);
  });

  it('ships only dist/, the README and package.json', () => {
    const files = run('tar', ['-tzf', tarball], root).trim().split('\n');
    expect(files.every((f) => /^package\/(dist\/|docs\/[a-z-]+\.(md|yaml)$|testing\/package\.json$|(README|CHANGELOG|SECURITY)\.md$|package\.json$|LICENSE$)/.test(f))).toBe(true);
    expect(files.some((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toBe(false);
  });

  it('works from ESM', () => {
    const out = run(process.execPath, ['--input-type=module', '-e', `import { createClient } from 'borderlink'; import { mockTransport } from 'borderlink/testing'; ${make} ${check}`], project);
    expect(out.trim()).toBe('HIT');
  });

  it('works from CommonJS', () => {
    const out = run(process.execPath, ['--input-type=commonjs', '-e', `const { createClient } = require('borderlink'); const { mockTransport } = require('borderlink/testing'); ${make} ${check}`], project);
    expect(out.trim()).toBe('HIT');
  });

  it('type-checks a TypeScript consumer under NodeNext resolution', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { createClient, isClear, TimeoutError, type CheckResult } from 'borderlink';
import { mockTransport, createMockGateway } from 'borderlink/testing';
const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' } });
export async function lane(): Promise<boolean> {
  const result: CheckResult = await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
  void createMockGateway;
  void new TimeoutError('x');
  return isClear(result);
}
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    expect(() => run(bin('tsc'), ['-p', 'tsconfig.json'], project)).not.toThrow();
  });

  it('runs the borderlink command', () => {
    const out = run(join(project, 'node_modules', '.bin', 'borderlink'), ['--version'], project);
    expect(out.trim()).toMatch(/\d+\.\d+\.\d+/);
  });
});
