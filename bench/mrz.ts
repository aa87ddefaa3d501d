// MRZ parse rate against the `mrz` package on the same inputs, measured alternately in one run, and the rate of
// repairing one-character OCR errors. One JSON line per figure.
import { parse } from 'mrz';
import { formatMrz, parseMrz } from '../src/mrz/index';

const PERSON = {
  issuingState: 'GBR', nationality: 'GBR', surname: 'Smith', givenNames: ['John', 'Peter'], birthDate: '1980-01-01',
  sex: 'M', expiryDate: '2030-01-01',
} as const;
const TD3 = formatMrz({ ...PERSON, format: 'TD3', documentCode: 'P', documentNumber: '123456789' });
const TD1 = formatMrz({ ...PERSON, format: 'TD1', documentCode: 'I', documentNumber: 'D23145890' });
const REFERENCE = { referenceDate: new Date('2025-06-01') };

function rate(fn: () => void, ms: number): number {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 200; i++) fn();
    count += 200;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

/** Alternates the two parsers in short slices so that machine noise hits both alike. */
function compare(a: () => void, b: () => void, rounds: number, ms: number): [number, number] {
  let ra = 0;
  let rb = 0;
  for (let i = 0; i < rounds; i++) {
    ra += rate(a, ms);
    rb += rate(b, ms);
  }
  return [ra / rounds, rb / rounds];
}

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

export async function run(): Promise<void> {
  for (const [figure, lines] of [['td3-valid', TD3], ['td1-valid', TD1]] as const) {
    if (!parseMrz(lines, REFERENCE).valid || !parse(lines).valid) throw new Error(`bench input ${figure} is not valid`);
    rate(() => parseMrz(lines, REFERENCE), 300);
    rate(() => parse(lines), 300);
    const [ours, theirs] = compare(() => parseMrz(lines, REFERENCE), () => parse(lines), 5, 400);
    console.log(JSON.stringify({
      bench: 'mrz', figure, borderlinkPerSec: Math.round(ours), mrzPackagePerSec: Math.round(theirs),
      ratio: Number((ours / theirs).toFixed(1)),
    }));
  }
  const broken = [...oneCharErrors(TD3), ...oneCharErrors(TD1)];
  let k = 0;
  const next = (): string[] => broken[k++ % broken.length] as string[];
  let repaired = 0;
  for (const lines of broken) if (parseMrz(lines, REFERENCE).valid) repaired++;
  const [repairRate, validRate] = compare(() => parseMrz(next(), REFERENCE), () => parseMrz(TD3, REFERENCE), 5, 400);
  console.log(JSON.stringify({
    bench: 'mrz', figure: 'repair-one-char', inputs: broken.length, repairedToValid: repaired,
    borderlinkPerSec: Math.round(repairRate), validParsePerSec: Math.round(validRate),
    ratio: Number((repairRate / validRate).toFixed(2)),
  }));
}
