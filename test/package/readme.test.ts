// The README's first command, run as a new user runs it after `npm ci` (which builds the package).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the README', () => {
  it('shows a check command that runs on the embedded demo gateway and answers HIT for the specimen', () => {
    const readme = readFileSync(`${root}/README.md`, 'utf8');
    const line = readme.split('\n').find((l) => l.startsWith('npm ci && npx borderlink check --mrz '));
    expect(line).toBeDefined();
    const lines = [...line!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    expect(lines).toHaveLength(2);
    const run = spawnSync('npx', ['--no-install', 'borderlink', 'check', '--mrz', ...lines], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      // As on a fresh machine: no BORDERLINK_ variable at all (even an empty one means a real gateway is intended).
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BORDERLINK_'))), NO_COLOR: '1' },
    });
    expect(run.stdout).toMatch(/^DEMO │ HIT\b/m);
    expect(run.stdout).toContain('DEMO GATEWAY');
    expect(run.status).toBe(1); // exit code 1 = HIT (docs/cli.md)
  });

  it('shows the test command that .ci/run runs', () => {
    const readme = readFileSync(`${root}/README.md`, 'utf8');
    const ci = readFileSync(`${root}/.ci/run`, 'utf8');
    expect(readme).toContain('npm ci && npm test');
    expect(ci).toMatch(/^npm ci && npm test$/m);
  });
});
