// Cold start as whole processes, against `node -e 0` in the same run: `import('borderlink')` (ESM), `require` of the
// CJS build, and `borderlink --version`. The processes alternate (each round runs every kind once, in an order that
// rotates) so that machine noise falls on all alike; each figure is the median of the per-round differences to the
// baseline process, with their spread. One JSON line per figure.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 21;

const KINDS: Readonly<Record<string, readonly string[]>> = {
  baseline: ['-e', '0'],
  importEsm: ['--input-type=module', '-e', "await import('borderlink')"],
  requireCjs: ['-e', "require('borderlink')"],
  cliVersion: [fileURLToPath(new URL('../packages/cli/bin/borderlink.js', import.meta.url)), '--version'],
};

function wallMs(args: readonly string[]): number {
  const start = performance.now();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - start;
}

function median(values: readonly number[]): number {
  const sorted = values.slice().sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round = (value: number): number => Number(value.toFixed(1));

export async function run(): Promise<void> {
  const names = Object.keys(KINDS);
  for (const name of names) wallMs(KINDS[name] as string[]);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length] as string;
      (times[name] as number[]).push(wallMs(KINDS[name] as string[]));
    }
  }
  const base = times.baseline as number[];
  console.log(JSON.stringify({ bench: 'coldstart', figure: 'baseline-node-e-0', medianMs: round(median(base)) }));
  for (const name of names.filter((n) => n !== 'baseline')) {
    const own = times[name] as number[];
    const over = own.map((t, i) => t - (base[i] as number));
    console.log(JSON.stringify({
      bench: 'coldstart', figure: name, medianMs: round(median(own)), overBaselineMs: round(median(over)),
      overBaselineRange: [round(Math.min(...over)), round(Math.max(...over))],
    }));
  }
}
