// Transliterations per second of Latin names (the hot path of manifest screening: every person row of a manifest is
// written in its ICAO form before it is sent), against String.prototype.normalize('NFD') on the very same names, the
// cheapest thing any accent-folding scheme must do. One JSON line per figure.
//
// Fairness: both sides get the same names in the same order, one call per name; each is warmed up before timing; the
// timed slices alternate and swap order every round, so machine noise hits both alike; every result is consumed.
// Rates and ratio are medians over the rounds; `ratioRange` is the spread of the per-round ratios.
import { transliterateName } from 'borderlink';

/** Names as manifests give them: upper case (the MRZ's), mixed case, spaces, hyphens, apostrophes. */
const ASCII_PARTS = [
  'ERIKSSON', 'ANNA', 'MARIA', 'Smith', 'John', "O'Brien", 'Jean-Pierre', 'de la Cruz', 'VAN DER BERG', 'Nguyen',
  'GARCIA', 'Lopez', 'MOHAMMED', 'Ali', 'Kowalski', 'SCHMIDT', 'Rossi', 'DUBOIS', 'Marie Claire', 'PETERSEN',
  'Hansen', 'Olsen', 'MacDonald', 'FITZGERALD', 'Wong', 'Kim', 'Singh', 'PATEL', 'Silva', 'SANTOS',
];
/** Latin names with diacritics: German, Nordic, Icelandic, Polish, Czech, Turkish, Spanish, French. */
const DIACRITIC_PARTS = [
  'MÜLLER', 'Jürgen', 'Ødegård', 'Åsa', 'Þórðardóttir', 'Guðrún', 'Łukasz', 'Wałęsa', 'Dvořák', 'Šťastný', 'Çelik',
  'Şahin', 'García Márquez', 'Núñez', 'Thérèse', 'Françoise', 'Straße', 'Björk', 'Ærø', 'Ševčík',
];

const ROUNDS = 30;
const SLICE_MS = 60;
const WARMUP_MS = 500;

let sink = 0;

/** Names per second of `fn` over `names`, for `ms` milliseconds. */
function rate(fn: (name: string) => string, names: readonly string[], ms: number): number {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < names.length; i++) sink += fn(names[i]!).length;
    count += names.length;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

function compare(names: readonly string[]): { ours: number; nfd: number; ratio: number; low: number; high: number } {
  const ours = (n: string) => transliterateName(n);
  const nfd = (n: string) => n.normalize('NFD');
  rate(ours, names, WARMUP_MS);
  rate(nfd, names, WARMUP_MS);
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let x: number;
    let y: number;
    if (i % 2 === 0) {
      x = rate(ours, names, SLICE_MS);
      y = rate(nfd, names, SLICE_MS);
    } else {
      y = rate(nfd, names, SLICE_MS);
      x = rate(ours, names, SLICE_MS);
    }
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  return { ours: median(a), nfd: median(b), ratio: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

/** `n` names drawn in a fixed order from `parts`, so every run times the same input. */
function names(parts: readonly string[], n: number): string[] {
  return Array.from({ length: n }, (_, i) => parts[(i * 7 + (i >> 3)) % parts.length]!);
}

export async function run(): Promise<void> {
  const inputs = [
    ['latin-ascii-names', names(ASCII_PARTS, 1000)],
    ['latin-diacritic-names', names(DIACRITIC_PARTS, 1000)],
  ] as const;
  for (const [figure, input] of inputs) {
    const c = compare(input);
    console.log(
      JSON.stringify({
        bench: 'names', figure, transliterationsPerSec: Math.round(c.ours), nfdPerSec: Math.round(c.nfd),
        ratioToNfd: round(c.ratio, 2), ratioRange: [round(c.low, 2), round(c.high, 2)],
      }),
    );
  }
  if (sink < 0) console.log(sink);
}
