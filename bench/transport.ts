// The SDK's cost per check over a real socket: client.checkDocument over httpTransport (default client options:
// retries, breaker, retry budget, dedupe) against a bare undici Pool.request posting the same bodies with the same
// headers, both with the same calls in flight, to one mock gateway in a child process (latency 0). Every call checks
// a document never checked before, so neither de-duplication nor a cache can help. The two alternate in short chunks
// and their times are summed: these machines drift on sub-second scales. One JSON line per figure. The `-queued`
// figures run 64 in flight over 4 connections, so most calls wait: the SDK in its transport's own queue, undici in
// its pool's.
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { VERSION, createClient, httpTransport } from 'borderlink';
import { cpuMsSince, round, startGatewayProcess, timedInFlight } from './lib';

const ROUNDS = 20;
const PER_CHUNK = 500;
const WARM_UP = 5000;
const TARGET = 0.9;

const context = { authorityId: 'UTO-POLICE', operatorId: 'bench-0001', purpose: 'BORDER_CHECK' } as const;
const userAgent = `borderlink/${VERSION}`;

let serial = 0;
/** A document number no earlier call used. */
const freshNumber = (): string => `B${(serial++).toString(36).toUpperCase().padStart(9, '0')}`;

export async function run(): Promise<void> {
  await measure(16, 16, '');
  await measure(64, 4, '-queued');
}

async function measure(concurrency: number, connections: number, suffix: string): Promise<void> {
  const gateway = await startGatewayProcess(0);
  const client = createClient({ transport: httpTransport({ baseUrl: gateway.url, connections }), context });
  const pool = new Pool(gateway.url, { connections, keepAliveTimeout: 4000 });
  try {
    const sdk = async (): Promise<void> => {
      const result = await client.checkDocument({ documentNumber: freshNumber(), issuingState: 'UTO', documentType: 'PASSPORT' });
      if (result.verdict !== 'NO_HIT') throw new Error(`bench: unexpected verdict ${result.verdict}`);
    };
    const raw = async (): Promise<void> => {
      const body = JSON.stringify({
        context,
        items: [{ itemId: '1', subjects: [{ kind: 'document', documentNumber: freshNumber(), issuingState: 'UTO', documentType: 'PASSPORT' }], sources: ['SLTD', 'TDAWN'] }],
      });
      const response = await pool.request({
        path: '/v1/checks',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': randomUUID(), 'user-agent': userAgent },
        body,
      });
      const json = JSON.parse(await response.body.text()) as { items?: unknown[] };
      if (response.statusCode !== 200 || json.items?.length !== 1) throw new Error(`bench: unexpected answer ${response.statusCode}`);
    };

    // Warm-up: connections open and code optimised. Measured: after 500 calls the SDK still spent about 70 µs of CPU
    // per call, after 5,000 about 41 µs; the JIT needs thousands of calls, not hundreds.
    for (let i = 0; i < WARM_UP / PER_CHUNK; i++) {
      await timedInFlight(PER_CHUNK, concurrency, sdk);
      await timedInFlight(PER_CHUNK, concurrency, raw);
    }

    let sdkMs = 0;
    let rawMs = 0;
    let sdkCpuMs = 0;
    let rawCpuMs = 0;
    const measureSdk = async () => {
      const cpu = process.cpuUsage();
      sdkMs += await timedInFlight(PER_CHUNK, concurrency, sdk);
      sdkCpuMs += cpuMsSince(cpu);
    };
    const measureRaw = async () => {
      const cpu = process.cpuUsage();
      rawMs += await timedInFlight(PER_CHUNK, concurrency, raw);
      rawCpuMs += cpuMsSince(cpu);
    };
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which side goes first, so a drift within a round favours neither.
      if (r % 2 === 0) {
        await measureSdk();
        await measureRaw();
      } else {
        await measureRaw();
        await measureSdk();
      }
    }
    const calls = ROUNDS * PER_CHUNK;
    const ratio = rawMs / sdkMs;
    console.log(JSON.stringify({
      bench: 'transport', figure: `sdk-vs-undici${suffix}`, concurrency, connections, calls,
      sdkPerSec: Math.round((calls * 1000) / sdkMs), undiciPerSec: Math.round((calls * 1000) / rawMs),
      ratio: round(ratio, 2), target: TARGET, met: ratio >= TARGET,
    }));
    // Client-process CPU per call: the part of the cost that a faster gateway would expose.
    console.log(JSON.stringify({
      bench: 'transport', figure: `client-cpu-per-call${suffix}`, sdkMicros: round((sdkCpuMs * 1000) / calls, 1),
      undiciMicros: round((rawCpuMs * 1000) / calls, 1), ratio: round(sdkCpuMs / rawCpuMs, 2),
    }));
  } finally {
    await client.close();
    await pool.close();
    await gateway.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
