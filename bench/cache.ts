// The cache-hit path, against an lru-cache get of the same object in the same run (alternating slices, so machine
// noise hits both alike): the cache layer alone (get and the caller's own wrapper), the keyed hash then the get, and a
// whole checkDocument served from the cache (options, validation, context, body, key, get, result, audit). One JSON
// line per figure.
import { LRUCache } from 'lru-cache';
import { createClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import type { CheckResult } from '../packages/borderlink/src/queries/types';
import { cacheTtlOf } from '../packages/borderlink/src/queries/results';
import { memoryKey, memoryKeySecret } from '../packages/borderlink/src/internal/hash';
import { createCheckCache, resolveResilienceOptions } from '../packages/borderlink/src/resilience/index';
import { SAMPLE_HIT, callsPerSec, callsPerSecAsync } from './lib';

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

const rate = (fn: () => unknown, ms: number): number => callsPerSec(fn, ms, 500);
const rateAsync = (fn: () => Promise<unknown>, ms: number): Promise<number> => callsPerSecAsync(fn, ms, 500);

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
  const key = memoryKeySecret(secret);
  const keys = Array.from({ length: 1000 }, (_, i) => memoryKey(key, `{"documentNumber":"X${i}","issuingState":"UTO"}`));
  const lru = new LRUCache<string, CheckResult>({ max: 10_000 });
  for (const k of keys) {
    cache.set(k, RESULT);
    lru.set(k, RESULT);
  }
  let i = 0;
  let sink = 0;
  const cacheGet = () => {
    const r = cache.get(keys[i++ % 1000] as string);
    sink += r === undefined ? 0 : r.outcomes.length;
  };
  const lruGet = () => {
    const r = lru.get(keys[i++ % 1000] as string);
    sink += r === undefined ? 0 : r.outcomes.length;
  };
  const keyAndGet = () => {
    const r = cache.get(memoryKey(key, `{"documentNumber":"X${i++ % 1000}","issuingState":"UTO"}`));
    sink += r === undefined ? 0 : r.outcomes.length;
  };
  rate(cacheGet, 200);
  rate(lruGet, 200);
  const [ours, plain] = compare(cacheGet, lruGet, 5, 300);
  console.log(JSON.stringify({
    bench: 'cache', figure: 'hit-get-and-wrap', cacheGetPerSec: Math.round(ours), lruGetPerSec: Math.round(plain),
    ratio: Number((ours / plain).toFixed(3)),
  }));
  const [withKey, plain2] = compare(keyAndGet, lruGet, 3, 300);
  console.log(JSON.stringify({ bench: 'cache', figure: 'key-then-hit', perSec: Math.round(withKey), ratio: Number((withKey / plain2).toFixed(3)) }));

  // A whole check served from the cache, on one core (the client and its mock transport share the thread, and every
  // check but the first of each document is a hit: the transport says how many reached it).
  const transport = mockTransport();
  const client = createClient({
    transport,
    context: { authorityId: 'UTO-POLICE', operatorId: 'bench-0001', purpose: 'BORDER_CHECK' },
    cache: { hitTtlMs: 600_000, noHitTtlMs: 600_000 },
  });
  const documents = Array.from({ length: 100 }, (_, n) => ({ documentNumber: `ZZ${String(n).padStart(7, '0')}`, issuingState: 'UTO', documentType: 'PASSPORT' }) as const);
  let d = 0;
  let served = 0;
  const cachedCheck = async () => {
    const r = await client.checkDocument(documents[d++ % 100]!);
    if (r.servedFrom === 'cache') served++;
  };
  await rateAsync(cachedCheck, 500);
  let checks = 0;
  let lruGets = 0;
  for (let round = 0; round < 5; round++) {
    checks += await rateAsync(cachedCheck, 300);
    lruGets += rate(lruGet, 300);
  }
  checks /= 5;
  lruGets /= 5;
  console.log(JSON.stringify({
    bench: 'cache', figure: 'cached-check-document', checksPerSec: Math.round(checks), lruGetPerSec: Math.round(lruGets),
    ratio: Number((checks / lruGets).toFixed(3)), target: '>= 500000/s', met: checks >= 500_000,
    gatewaySaw: { requests: transport.requests.length, items: transport.requests.length }, servedFromCache: served,
  }));
  await client.close();
  if (sink < 0) console.log(sink);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
