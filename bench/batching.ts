// Automatic batching over a real socket, against one mock gateway in a child process (latency 0):
//   - throughput at 64 and 256 checks in flight: client.checkDocument with `batching` on against a bare undici
//     Pool.request posting single-item bodies with the same headers (target ≥ 5×);
//   - client CPU per check with batching on, at 64 in flight;
//   - latency at 1 check in flight, p50 and p99, batching on against off (target: within 5%).
// Every call checks a document never checked before, so neither de-duplication nor a cache can help. The two sides
// alternate ABBA, in chunks for throughput and call by call for latency, and each figure is the median of the per-round ratios with their spread; each is printed
// with what the gateway received for it (requests, items), so no figure can be won by skipping work.
import { Pool } from 'undici';
import { createClient, httpTransport, type BorderlinkClient } from 'borderlink';
import { BENCH_CONTEXT, bareCheck, cpuMsSince, freshNumber, round, startGatewayProcess, timedInFlight, type GatewayProcess, type GatewaySeen } from './lib';

const ROUNDS = 10;
const CONNECTIONS = 8;
const THROUGHPUT_TARGET = 5;
const LATENCY_TOLERANCE = 0.05;

const context = BENCH_CONTEXT;


const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const spread = (xs: readonly number[], digits = 2) => ({ min: round(Math.min(...xs), digits), max: round(Math.max(...xs), digits) });

/** The gateway's counts during `work`. */
async function counted(gateway: GatewayProcess, work: () => Promise<void>): Promise<GatewaySeen> {
  await gateway.stats(); // each count is of what came since the last one
  await work();
  return gateway.stats();
}

function sdkCheck(client: BorderlinkClient): () => Promise<void> {
  return async () => {
    const result = await client.checkDocument({ documentNumber: freshNumber(), issuingState: 'UTO', documentType: 'PASSPORT' });
    if (result.verdict !== 'NO_HIT') throw new Error(`bench: unexpected verdict ${result.verdict}`);
  };
}

function rawCheck(pool: Pool): () => Promise<void> {
  return () => bareCheck(pool, freshNumber());
}

export async function run(): Promise<void> {
  const gateway = await startGatewayProcess(0);
  const transportOptions = { baseUrl: gateway.url, connections: CONNECTIONS };
  const batched = createClient({ transport: httpTransport(transportOptions), context, batching: { maxItems: 100, maxDelayMs: 0 } });
  const single = createClient({ transport: httpTransport(transportOptions), context });
  const pool = new Pool(gateway.url, { connections: CONNECTIONS, keepAliveTimeout: 4000 });
  try {
    const on = sdkCheck(batched);
    const off = sdkCheck(single);
    const raw = rawCheck(pool);
    // Warm-up: connections open and code optimised (the JIT needs thousands of calls).
    for (let i = 0; i < 4; i++) {
      await timedInFlight(2000, 64, on);
      await timedInFlight(2000, 64, raw);
      await timedInFlight(500, 1, off);
      await timedInFlight(500, 1, on);
    }
    for (const concurrency of [64, 256]) await throughput(gateway, on, raw, concurrency);
    await latency(gateway, on, off);
  } finally {
    await batched.close();
    await single.close();
    await pool.close();
    await gateway.stop();
  }
}

async function throughput(gateway: GatewayProcess, on: () => Promise<void>, raw: () => Promise<void>, concurrency: number): Promise<void> {
  const perChunk = concurrency * 40;
  const ratios: number[] = [];
  const cpuMicros: number[] = [];
  let onMs = 0;
  let rawMs = 0;
  const seenOn: GatewaySeen = { requests: 0, items: 0 };
  const seenRaw: GatewaySeen = { requests: 0, items: 0 };
  const add = (into: GatewaySeen, s: GatewaySeen) => {
    into.requests += s.requests;
    into.items += s.items;
  };
  for (let r = 0; r < ROUNDS; r++) {
    let roundOn = 0;
    let roundRaw = 0;
    const sideOn = async () => {
      add(
        seenOn,
        await counted(gateway, async () => {
          const cpu = process.cpuUsage();
          roundOn = await timedInFlight(perChunk, concurrency, on);
          cpuMicros.push((cpuMsSince(cpu) * 1000) / perChunk);
        }),
      );
    };
    const sideRaw = async () => {
      add(
        seenRaw,
        await counted(gateway, async () => {
          roundRaw = await timedInFlight(perChunk, concurrency, raw);
        }),
      );
    };
    // ABBA: which side goes first alternates, so a drift within a round favours neither.
    if (r % 2 === 0) {
      await sideOn();
      await sideRaw();
    } else {
      await sideRaw();
      await sideOn();
    }
    onMs += roundOn;
    rawMs += roundRaw;
    ratios.push(roundRaw / roundOn);
  }
  const calls = ROUNDS * perChunk;
  const ratio = median(ratios);
  console.log(JSON.stringify({
    bench: 'batching', figure: 'batched-vs-undici', concurrency, connections: CONNECTIONS, calls,
    batchedPerSec: Math.round((calls * 1000) / onMs), undiciPerSec: Math.round((calls * 1000) / rawMs),
    ratio: round(ratio, 2), spread: spread(ratios), target: THROUGHPUT_TARGET, met: ratio >= THROUGHPUT_TARGET,
    gatewaySaw: { batched: seenOn, undici: seenRaw },
  }));
  if (concurrency === 64) {
    console.log(JSON.stringify({
      bench: 'batching', figure: 'client-cpu-per-check-batched', concurrency, micros: round(median(cpuMicros), 1), spread: spread(cpuMicros, 1),
      gatewaySaw: seenOn,
    }));
  }
}

async function latency(gateway: GatewayProcess, on: () => Promise<void>, off: () => Promise<void>): Promise<void> {
  // One call at a time, the two sides alternating call by call (on, off, off, on, …): a neighbour's burst on this
  // shared machine then lands on both alike, where chunks of a thousand calls a side let it land on one.
  const perRound = 1000;
  const samples = { on: [] as number[], off: [] as number[] };
  const p50Ratios: number[] = [];
  const p99Ratios: number[] = [];
  const timed = async (task: () => Promise<void>, into: number[]): Promise<void> => {
    const t = performance.now();
    await task();
    into.push(performance.now() - t);
  };
  const seen = await counted(gateway, async () => {
    for (let r = 0; r < ROUNDS; r++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < perRound; i++) {
        if (((i + r) & 3) === 0 || ((i + r) & 3) === 3) {
          await timed(on, a);
          await timed(off, b);
        } else {
          await timed(off, b);
          await timed(on, a);
        }
      }
      samples.on.push(...a);
      samples.off.push(...b);
      p50Ratios.push(quantile(a, 0.5) / quantile(b, 0.5));
      p99Ratios.push(quantile(a, 0.99) / quantile(b, 0.99));
    }
  });
  const us = (ms: number) => round(ms * 1000, 1);
  for (const [q, ratios] of [[0.5, p50Ratios], [0.99, p99Ratios]] as const) {
    const ratio = median(ratios);
    console.log(JSON.stringify({
      bench: 'batching', figure: `latency-p${q * 100}-1-in-flight`, concurrency: 1, calls: ROUNDS * perRound,
      batchedMicros: us(quantile(samples.on, q)), singleMicros: us(quantile(samples.off, q)),
      ratio: round(ratio, 3), spread: spread(ratios, 3), target: `within ${LATENCY_TOLERANCE * 100}%`, met: Math.abs(ratio - 1) <= LATENCY_TOLERANCE,
      // Both sides together: as many requests as calls, so each batched call went alone.
      gatewaySaw: { bothSides: seen, calls: 2 * ROUNDS * perRound },
    }));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
