// The cache-hit path: get + copy of a typical answer, against a plain Map get of the same object in the same run
// (alternating slices, so machine noise hits both alike). One JSON line per figure.
import type { CheckResult } from '../packages/borderlink/src/queries/types';
import { cacheTtlOf } from '../packages/borderlink/src/queries/results';
import { keyedHash } from '../packages/borderlink/src/internal/hash';
import { createCheckCache, resolveResilienceOptions } from '../packages/borderlink/src/resilience/index';
import { SAMPLE_HIT } from './lib';

const RESULT: CheckResult = {
  verdict: 'HIT',
  hits: [SAMPLE_HIT],
  outcomes: [
    { source: 'SLTD', status: 'HIT', dataAsOf: '2025-06-01T00:00:00Z' },
    { source: 'TDAWN', status: 'NO_HIT', dataAsOf: '2025-06-01T00:00:00Z' },
  ],
  requestId: '6f1c2a4e-0000-4000-8000-000000000001',
  warnings: [],
  attempts: 1,
  durationMs: 84,
  servedFrom: 'network',
};

function rate(fn: () => void, ms: number): number {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 500; i++) fn();
    count += 500;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

function compare(a: () => void, b: () => void, rounds: number, ms: number): [number, number] {
  let ra = 0;
  let rb = 0;
  for (let i = 0; i < rounds; i++) {
    ra += rate(a, ms);
    rb += rate(b, ms);
  }
  return [ra / rounds, rb / rounds];
}

export async function run(): Promise<void> {
  const secret = new Uint8Array(32).fill(1);
  const resolved = resolveResilienceOptions({ cache: { hitTtlMs: 60_000, noHitTtlMs: 60_000 } });
  const cache = createCheckCache<CheckResult>(resolved, (r) => cacheTtlOf(r, resolved.cache));
  if (cache === undefined) throw new Error('cache is off');
  const keys = Array.from({ length: 1000 }, (_, i) => keyedHash(secret, `{"documentNumber":"X${i}","issuingState":"UTO"}`));
  const map = new Map<string, CheckResult>();
  for (const k of keys) {
    cache.set(k, RESULT);
    map.set(k, RESULT);
  }
  let i = 0;
  let sink = 0;
  const cacheGet = () => {
    const r = cache.get(keys[i++ % 1000] as string);
    sink += r === undefined ? 0 : r.outcomes.length;
  };
  const mapGet = () => {
    const r = map.get(keys[i++ % 1000] as string);
    sink += r === undefined ? 0 : r.outcomes.length;
  };
  const keyAndGet = () => {
    const r = cache.get(keyedHash(secret, `{"documentNumber":"X${i++ % 1000}","issuingState":"UTO"}`));
    sink += r === undefined ? 0 : r.outcomes.length;
  };
  rate(cacheGet, 200);
  rate(mapGet, 200);
  const [ours, plain] = compare(cacheGet, mapGet, 5, 300);
  console.log(JSON.stringify({
    bench: 'cache', figure: 'hit-get-and-copy', cacheGetPerSec: Math.round(ours), mapGetPerSec: Math.round(plain),
    ratio: Number((ours / plain).toFixed(3)), target: '>= 500000/s',
  }));
  const [withKey] = compare(keyAndGet, mapGet, 3, 300);
  console.log(JSON.stringify({ bench: 'cache', figure: 'hmac-key-then-hit', perSec: Math.round(withKey) }));
  if (sink < 0) console.log(sink);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
