// MRZ parse rate against the `mrz` package on the same inputs, measured alternately in one run, and the rate of
// repairing one-character OCR errors. One JSON line per figure.
//
// Fairness: both sides get the very same line arrays; each is warmed up before timing; the timed slices alternate
// (and swap order every round) so that machine noise hits both alike; every result is consumed so that no call can
// be optimised away. Rates and ratio are medians over the rounds; `ratioRange` is the spread of the per-round
// ratios.
import { parse } from 'mrz';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatMrz, parseMrz } from 'borderlink';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BORDERLINK_DIST = fileURLToPath(new URL('../packages/borderlink/dist/index.js', import.meta.url));

const PERSON = {
  issuingState: 'GBR', nationality: 'GBR', surname: 'Smith', givenNames: ['John', 'Peter'], birthDate: '1980-01-01',
  sex: 'M', expiryDate: '2030-01-01',
} as const;
const TD3 = formatMrz({ ...PERSON, format: 'TD3', documentCode: 'P', documentNumber: '123456789' });
const TD1 = formatMrz({ ...PERSON, format: 'TD1', documentCode: 'I', documentNumber: 'D23145890' });
const REFERENCE = { referenceDate: new Date('2025-06-01') };

const ROUNDS = 40;
const SLICE_MS = 60;
const WARMUP_MS = 500;

/** Consumed results: keeps every call observable. */
let sink = 0;

function rate(fn: () => boolean, ms: number): number {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 100; i++) if (fn()) sink++;
    count += 100;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

function median(values: number[]): number {
  const sorted = values.slice().sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface Comparison {
  /** Median rates over the rounds. */
  readonly a: number;
  readonly b: number;
  /** Median, lowest and highest of the per-round ratios a / b. */
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Warms both functions up, then alternates them in short slices, swapping which goes first each round, so that a
 * burst of load on the shared machine falls on both sides alike. The ratio is the median of per-round ratios.
 */
function compare(a: () => boolean, b: () => boolean): Comparison {
  rate(a, WARMUP_MS);
  rate(b, WARMUP_MS);
  const ra: number[] = [];
  const rb: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let x: number;
    let y: number;
    if (i % 2 === 0) {
      x = rate(a, SLICE_MS);
      y = rate(b, SLICE_MS);
    } else {
      y = rate(b, SLICE_MS);
      x = rate(a, SLICE_MS);
    }
    ra.push(x);
    rb.push(y);
    ratios.push(x / y);
  }
  return { a: median(ra), b: median(rb), ratio: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Every one-character confusion substitution of `lines` that makes a check digit fail. */
function oneCharErrors(lines: readonly string[]): string[][] {
  const swaps: Record<string, string> = { '0': 'O', O: '0', '1': 'I', I: '1', '8': 'B', B: '8', '5': 'S', S: '5', '2': 'Z', Z: '2' };
  const out: string[][] = [];
  lines.forEach((line, l) => {
    for (let i = 0; i < line.length; i++) {
      const to = swaps[line[i] as string];
      if (to === undefined) continue;
      const copy = lines.slice();
      copy[l] = line.slice(0, i) + to + line.slice(i + 1);
      if (!parseMrz(copy, { ...REFERENCE, repair: false }).valid) out.push(copy);
    }
  });
  return out;
}

const FIRST = 20_000;
const FRESH_ROUNDS = 6;

/** The script a fresh process runs: imports one side, then times its first {@link FIRST} parses of `text`. */
function firstParsesScript(side: 'borderlink' | 'mrz', text: string): string {
  const library = side === 'borderlink' ? pathToFileURL(BORDERLINK_DIST).href : 'mrz';
  const call = side === 'borderlink' ? `m.parseMrz(t, { referenceDate: new Date('2025-06-01') })` : 'm.parse(t)';
  return [
    `const m = await import(${JSON.stringify(library)});`,
    `const t = ${JSON.stringify(text)};`,
    'let ok = 0; const s = performance.now();',
    `for (let i = 0; i < ${FIRST}; i++) if (${call}.valid) ok++;`,
    `process.stdout.write(JSON.stringify({ ms: performance.now() - s, ok }));`,
  ].join('\n');
}

/**
 * The first {@link FIRST} parses in a fresh process, where the JIT has not warmed up yet: what a lane application
 * sees after a restart. Each side runs in processes of its own, alternated (ABBA) so that machine noise hits both.
 */
function firstParses(text: string): Record<string, unknown> {
  const ours = firstParsesScript('borderlink', text);
  // The `mrz` package refuses a trailing line break, as above: it gets the text without one.
  const theirs = firstParsesScript('mrz', text.replace(/\r\n$/, ''));
  const time = (script: string): number => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const { ms, ok } = JSON.parse(out) as { ms: number; ok: number };
    if (ok !== FIRST) throw new Error('a fresh-process parse was not valid');
    return ms;
  };
  const ratios: number[] = [];
  const oursMs: number[] = [];
  const theirsMs: number[] = [];
  for (let i = 0; i < FRESH_ROUNDS; i++) {
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = time(ours);
      b = time(theirs);
    } else {
      b = time(theirs);
      a = time(ours);
    }
    oursMs.push(a);
    theirsMs.push(b);
    ratios.push(b / a);
  }
  return {
    bench: 'mrz', figure: 'td3-crlf-string-first-20000-fresh-process', borderlinkMs: round(median(oursMs), 1),
    mrzPackageMs: round(median(theirsMs), 1), ratio: round(median(ratios), 1),
    ratioRange: [round(Math.min(...ratios), 1), round(Math.max(...ratios), 1)],
  };
}

export async function run(): Promise<void> {
  // What most scanners deliver: the lines joined by CR/LF, usually with a line break after the last. The `mrz`
  // package gets the same text without the trailing break, which it refuses (an empty last line).
  const td3Text = TD3.join('\r\n');
  const inputs = [
    ['td3-valid', TD3, TD3],
    ['td3-crlf-string', `${td3Text}\r\n`, td3Text],
    ['td1-valid', TD1, TD1],
  ] as const;
  for (const [figure, ours, theirs] of inputs) {
    if (!parseMrz(ours, REFERENCE).valid || !parse(theirs).valid) throw new Error(`bench input ${figure} is not valid`);
    const c = compare(() => parseMrz(ours, REFERENCE).valid, () => parse(theirs).valid);
    console.log(JSON.stringify({
      bench: 'mrz', figure, borderlinkPerSec: Math.round(c.a), mrzPackagePerSec: Math.round(c.b),
      ratio: round(c.ratio, 1), ratioRange: [round(c.low, 1), round(c.high, 1)],
    }));
  }
  console.log(JSON.stringify(firstParses(td3Text)));
  const broken = [...oneCharErrors(TD3), ...oneCharErrors(TD1)];
  let k = 0;
  const next = (): string[] => broken[k++ % broken.length] as string[];
  let repaired = 0;
  for (const lines of broken) if (parseMrz(lines, REFERENCE).valid) repaired++;
  const c = compare(() => parseMrz(next(), REFERENCE).valid, () => parseMrz(TD3, REFERENCE).valid);
  console.log(JSON.stringify({
    bench: 'mrz', figure: 'repair-one-char', inputs: broken.length, repairedToValid: repaired,
    borderlinkPerSec: Math.round(c.a), validParsePerSec: Math.round(c.b),
    ratio: round(c.ratio, 2), ratioRange: [round(c.low, 2), round(c.high, 2)],
  }));
  if (sink < 0) console.log(sink);
}
