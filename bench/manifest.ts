// Manifest throughput: client.checkMany against an ideal bare-undici client that sends the same batches (same
// bodies) with the same concurrency, to one mock gateway in a child process that adds a fixed latency per request.
// The two alternate, one whole manifest at a time. Both are also compared with the latency bound
// ceil(items / batchSize / concurrency) × latency, which no client can beat. One JSON line per figure.
//
// At zero latency the figure is the client's own CPU against the ideal client's, on a machine shared with the gateway
// process (and, here, with other work): one manifest takes some 150-350 ms, and a scavenge or another process's burst
// lands in one of them. So it is measured in more pairs, each pair a ratio of its own (ABBA: the order alternates),
// and printed as the median of the pairs with their spread, beside the same ratio of client-process CPU time, which a
// busy machine moves less, and the machine's load average while it ran.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Pool } from 'undici';
import { VERSION, createClient, httpTransport, type BatchItem } from 'borderlink';
import { cpuMsSince, medianAndSpread, round, startGatewayProcess, timedInFlight, type GatewaySeen } from './lib';

const LATENCY_MS = 20;
const ITEMS = 10_000;
const BATCH_SIZE = 100;
const CONCURRENCY = 4;
const ROUNDS = 3;
/** Pairs at zero latency: cheap (a manifest each way is well under a second), and the median needs them. */
const ZERO_LATENCY_ROUNDS = 12;
const TARGET = 1.1;
/** At zero gateway latency the client's own CPU is the whole difference. */
const ZERO_LATENCY_TARGET = 1.2;
/** Other batch shapes, measured once each with checkMany only, for the guide in docs/manifest-screening.md. */
const SHAPES = [
  { batchSize: 25, concurrency: 4 },
  { batchSize: 50, concurrency: 8 },
  { batchSize: 250, concurrency: 4 },
  { batchSize: 1000, concurrency: 1 },
  { batchSize: 1000, concurrency: 4 },
] as const;

const context = { authorityId: 'UTO-POLICE', operatorId: 'bench-0001', purpose: 'MANIFEST_SCREENING' } as const;
const userAgent = `borderlink/${VERSION}`;

/** A manifest of passports nobody has checked yet. */
function manifest(n: number, tag: string): BatchItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${i}`,
    subjects: [{ kind: 'document', documentNumber: `${tag}${i.toString(36).toUpperCase().padStart(6, '0')}`, issuingState: 'UTO', documentType: 'PASSPORT' }],
  }));
}

const boundMs = (items: number, batchSize: number, concurrency: number, latencyMs = LATENCY_MS): number =>
  Math.ceil(items / batchSize / concurrency) * latencyMs;

export async function run(): Promise<void> {
  await measure(LATENCY_MS);
  await measure(0);
}

async function measure(latencyMs: number): Promise<void> {
  const gateway = await startGatewayProcess(latencyMs);
  const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context });
  const pool = new Pool(gateway.url, { connections: CONCURRENCY, keepAliveTimeout: 4000 });
  let runs = 0;
  try {
    const viaCheckMany = async (batchSize: number, concurrency: number): Promise<number> => {
      const items = manifest(ITEMS, `M${(runs++).toString(36).toUpperCase()}`);
      const start = performance.now();
      let rows = 0;
      for await (const row of client.checkMany(items, { batchSize, concurrency })) {
        if (row.error !== undefined) throw new Error(`bench: row ${row.id} failed with ${row.error.code}`);
        rows++;
      }
      const ms = performance.now() - start;
      if (rows !== ITEMS) throw new Error(`bench: ${rows} rows came back, not ${ITEMS}`);
      return ms;
    };

    // The ideal client: the request bodies checkMany sends (items with itemId, subjects and the default sources),
    // `concurrency` workers each taking the next batch as soon as its last one is answered, no validation.
    const viaUndici = async (batchSize: number, concurrency: number): Promise<number> => {
      const items = manifest(ITEMS, `M${(runs++).toString(36).toUpperCase()}`);
      const batches = Math.ceil(ITEMS / batchSize);
      let rows = 0;
      const ms = await timedInFlight(batches, concurrency, async (b) => {
        const slice = items.slice(b * batchSize, (b + 1) * batchSize);
        const body = JSON.stringify({
          context,
          items: slice.map((item, i) => ({ itemId: String(b * batchSize + i), subjects: item.subjects, sources: ['SLTD', 'TDAWN'] })),
        });
        const response = await pool.request({
          path: '/v1/checks',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': randomUUID(), 'user-agent': userAgent },
          body,
        });
        const json = JSON.parse(await response.body.text()) as { items?: unknown[] };
        if (response.statusCode !== 200) throw new Error(`bench: unexpected status ${response.statusCode}`);
        rows += json.items?.length ?? 0;
      });
      if (rows !== ITEMS) throw new Error(`bench: ${rows} rows came back, not ${ITEMS}`);
      return ms;
    };

    // Warm-up, then whole manifests alternately, ABBA.
    await viaCheckMany(BATCH_SIZE, CONCURRENCY);
    await viaUndici(BATCH_SIZE, CONCURRENCY);
    await gateway.stats();
    const seen = { checkMany: { requests: 0, items: 0 }, ideal: { requests: 0, items: 0 } };
    const add = (into: GatewaySeen, s: GatewaySeen) => {
      into.requests += s.requests;
      into.items += s.items;
    };
    let sdkMs = 0;
    let idealMs = 0;
    let sdkCpuMs = 0;
    let idealCpuMs = 0;
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const rounds = latencyMs === 0 ? ZERO_LATENCY_ROUNDS : ROUNDS;
    /** One manifest: its wall time and the client process's CPU time, in milliseconds. */
    const oneSdk = async (): Promise<[number, number]> => {
      const cpu = process.cpuUsage();
      const ms = await viaCheckMany(BATCH_SIZE, CONCURRENCY);
      const cpuMs = cpuMsSince(cpu);
      sdkCpuMs += cpuMs;
      add(seen.checkMany, await gateway.stats());
      sdkMs += ms;
      return [ms, cpuMs];
    };
    const oneIdeal = async (): Promise<[number, number]> => {
      const cpu = process.cpuUsage();
      const ms = await viaUndici(BATCH_SIZE, CONCURRENCY);
      const cpuMs = cpuMsSince(cpu);
      idealCpuMs += cpuMs;
      add(seen.ideal, await gateway.stats());
      idealMs += ms;
      return [ms, cpuMs];
    };
    const load = loadavg()[0]!;
    for (let r = 0; r < rounds; r++) {
      let a: [number, number];
      let b: [number, number];
      if (r % 2 === 0) {
        a = await oneSdk();
        b = await oneIdeal();
      } else {
        b = await oneIdeal();
        a = await oneSdk();
      }
      ratios.push(a[0] / b[0]);
      cpuRatios.push(a[1] / b[1]);
    }
    const ratio = medianAndSpread(ratios);
    const cpuRatio = medianAndSpread(cpuRatios);
    const loadAverage = [round(load, 1), round(loadavg()[0]!, 1)];
    const target = latencyMs === 0 ? ZERO_LATENCY_TARGET : TARGET;
    const suffix = latencyMs === 0 ? '-zero-latency' : '';
    const bound = boundMs(ITEMS, BATCH_SIZE, CONCURRENCY, latencyMs);
    console.log(JSON.stringify({
      bench: 'manifest', figure: `checkMany-vs-ideal${suffix}`, items: ITEMS, batchSize: BATCH_SIZE, concurrency: CONCURRENCY,
      latencyMs, checkManyMs: Math.round(sdkMs / rounds), idealMs: Math.round(idealMs / rounds),
      rounds, ratio: ratio.median, spread: [ratio.low, ratio.high], target, met: ratio.median <= target,
      cpuRatio: cpuRatio.median, cpuSpread: [cpuRatio.low, cpuRatio.high], ...(latencyMs === 0 ? { cpuMet: cpuRatio.median <= target } : {}), loadAverage,
      ...(bound > 0 ? { boundMs: bound, checkManyOverBound: round(sdkMs / rounds / bound, 2), idealOverBound: round(idealMs / rounds / bound, 2) } : {}),
      gatewaySaw: seen,
    }));
    // Client-process CPU per row over all the pairs: what the client adds to each batch's round trip.
    console.log(JSON.stringify({
      bench: 'manifest', figure: `client-cpu-per-row${suffix}`, checkManyMicros: round((sdkCpuMs * 1000) / (rounds * ITEMS), 1),
      idealMicros: round((idealCpuMs * 1000) / (rounds * ITEMS), 1), ratio: round(sdkCpuMs / idealCpuMs, 2),
    }));
    if (latencyMs === 0) return;

    for (const { batchSize, concurrency } of SHAPES) {
      const ms = await viaCheckMany(batchSize, concurrency);
      const shapeBound = boundMs(ITEMS, batchSize, concurrency);
      console.log(JSON.stringify({
        bench: 'manifest', figure: `shape-b${batchSize}-c${concurrency}`, items: ITEMS, batchSize, concurrency, latencyMs: LATENCY_MS,
        checkManyMs: Math.round(ms), rowsPerSec: Math.round((ITEMS * 1000) / ms), boundMs: shapeBound, overBound: round(ms / shapeBound, 2),
      }));
    }
  } finally {
    await client.close();
    await pool.close();
    await gateway.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
