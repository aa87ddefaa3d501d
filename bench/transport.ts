// The SDK's cost per check over a real socket: client.checkDocument over httpTransport (default client options:
// retries, breaker, retry budget, dedupe; batching off) against a bare undici Pool.request posting the same bodies
// with the same headers, both with the same calls in flight, to one mock gateway in a child process (latency 0).
// Every call checks a document never checked before, so neither de-duplication nor a cache can help. The two
// alternate in short chunks, ABBA (which side goes first alternates), and each figure is the median of the per-round
// ratios with their spread: these machines drift on sub-second scales. Each figure says what the gateway saw from each
// side (requests, items), so no side can win by skipping work. At 64 in flight the calls share 4 connections, so most
// wait: the SDK in its transport's own queue, undici in its pool's.
import { Pool } from 'undici';
import { createClient, httpTransport } from 'borderlink';
import { BENCH_CONTEXT, bareCheck, cpuMsSince, freshNumber, medianAndSpread, round, startGatewayProcess, timedInFlight, type GatewaySeen } from './lib';

const ROUNDS = 20;
const PER_CHUNK = 500;
const WARM_UP = 5000;
/** In flight, connections, and the ratio the issue asks for. */
const SHAPES = [
  { concurrency: 1, connections: 1, target: 0.95 },
  { concurrency: 16, connections: 16, target: 1.0 },
  { concurrency: 64, connections: 4, target: 0.95 },
] as const;

const context = BENCH_CONTEXT;


export async function run(): Promise<void> {
  for (const { concurrency, connections, target } of SHAPES) await measure(concurrency, connections, target);
}

async function measure(concurrency: number, connections: number, target: number): Promise<void> {
  const gateway = await startGatewayProcess(0);
  const client = createClient({ transport: httpTransport({ baseUrl: gateway.url, connections }), context });
  const pool = new Pool(gateway.url, { connections, keepAliveTimeout: 4000 });
  try {
    const sdk = async (): Promise<void> => {
      const result = await client.checkDocument({ documentNumber: freshNumber(), issuingState: 'UTO', documentType: 'PASSPORT' });
      if (result.verdict !== 'NO_HIT') throw new Error(`bench: unexpected verdict ${result.verdict}`);
    };
    const raw = (): Promise<void> => bareCheck(pool, freshNumber());

    // Warm-up: connections open and code optimised. Measured: after 500 calls the SDK still spent about 70 µs of CPU
    // per call, after 5,000 about 41 µs; the JIT needs thousands of calls, not hundreds.
    for (let i = 0; i < WARM_UP / PER_CHUNK; i++) {
      await timedInFlight(PER_CHUNK, concurrency, sdk);
      await timedInFlight(PER_CHUNK, concurrency, raw);
    }

    await gateway.stats();
    const ratios: number[] = [];
    const seen = { sdk: { requests: 0, items: 0 }, undici: { requests: 0, items: 0 } };
    const add = (into: GatewaySeen, s: GatewaySeen) => {
      into.requests += s.requests;
      into.items += s.items;
    };
    let sdkMs = 0;
    let rawMs = 0;
    let sdkCpuMs = 0;
    let rawCpuMs = 0;
    const measureSdk = async (): Promise<number> => {
      const cpu = process.cpuUsage();
      const ms = await timedInFlight(PER_CHUNK, concurrency, sdk);
      sdkCpuMs += cpuMsSince(cpu);
      add(seen.sdk, await gateway.stats());
      sdkMs += ms;
      return ms;
    };
    const measureRaw = async (): Promise<number> => {
      const cpu = process.cpuUsage();
      const ms = await timedInFlight(PER_CHUNK, concurrency, raw);
      rawCpuMs += cpuMsSince(cpu);
      add(seen.undici, await gateway.stats());
      rawMs += ms;
      return ms;
    };
    for (let r = 0; r < ROUNDS; r++) {
      // ABBA: alternate which side goes first, so a drift within a round favours neither.
      let a: number;
      let b: number;
      if (r % 2 === 0) {
        a = await measureSdk();
        b = await measureRaw();
      } else {
        b = await measureRaw();
        a = await measureSdk();
      }
      ratios.push(b / a);
    }
    const calls = ROUNDS * PER_CHUNK;
    const ratio = medianAndSpread(ratios);
    console.log(JSON.stringify({
      bench: 'transport', figure: `sdk-vs-undici-${concurrency}`, concurrency, connections, calls,
      sdkPerSec: Math.round((calls * 1000) / sdkMs), undiciPerSec: Math.round((calls * 1000) / rawMs),
      ratio: ratio.median, spread: [ratio.low, ratio.high], target, met: ratio.median >= target, gatewaySaw: seen,
    }));
    // Client-process CPU per call: the part of the cost that a faster gateway would expose.
    console.log(JSON.stringify({
      bench: 'transport', figure: `client-cpu-per-call-${concurrency}`, sdkMicros: round((sdkCpuMs * 1000) / calls, 1),
      undiciMicros: round((rawCpuMs * 1000) / calls, 1), ratio: round(sdkCpuMs / rawCpuMs, 2),
    }));
  } finally {
    await client.close();
    await pool.close();
    await gateway.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
