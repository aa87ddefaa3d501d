// The offline copy end to end, through the client: a full sync of a 1,000,000-record snapshot from a mock gateway in
// a process of its own (over httpTransport's stream, read, checked and applied by the SQLite store), then a delta of
// 100,000 changed records; each against a bare undici GET of the same snapshot that only drains the bytes (what the
// wire and the gateway cost alone). Each sync says the CPU time it took, the client's (all its threads, and its main
// thread alone: the store seals a large snapshot in a worker thread) and the gateway's own (a figure whose server is
// the bottleneck measures nothing of ours), and the machine's load, since the wall time depends on the cores free.
// Then checks answered from the copy with the gateway gone (the breaker open, as on a lane without a link), against
// the store's own lookup of the same keys. One JSON line per figure.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { request } from 'undici';
import { createClient, httpTransport, offlineKeysOfSubject, type DocumentQuery } from 'borderlink';
import { syntheticDataset } from 'borderlink/testing';
import { openOfflineStore } from 'borderlink/offline';
import { BENCH_CONTEXT, callsPerSec, callsPerSecAsync, medianAndSpread, round, startGatewayProcess } from './lib';

const RECORDS = Number(process.env.BENCH_SYNC_RECORDS ?? 1_000_000);
const DELTA = Math.round(RECORDS / 10);
const TARGET_FULL_S = 30;
const TARGET_DELTA_S = 5;
const TARGET_CHECKS = 50_000;
const ROUNDS = 5;
const SLICE_MS = 250;

const sizeOf = (path: string): number => {
  let bytes = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      bytes += statSync(p).size;
    } catch {
      // No WAL right now.
    }
  }
  return bytes;
};

/** This process's main thread's CPU time so far, in seconds, where Linux tells it; `undefined` elsewhere. */
function mainThreadCpuS(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * The CPU a sync took (the client's, all threads and its main thread; the gateway's), the machine's load meanwhile,
 * the client's peak resident memory (a streamed sync holds a few batches, whatever the snapshot's size), and how long
 * the event loop was held at a time (what an offline check arriving during the sync waits).
 */
async function cpuOf<T>(gateway: { ask(line: string): Promise<unknown> }, work: () => Promise<T>): Promise<{ result: T; seconds: number; cpu: Record<string, number | undefined> }> {
  type Usage = { user: number; system: number };
  const gatewayBefore = (await gateway.ask('cpu')) as Usage;
  const mainBefore = mainThreadCpuS();
  const loadBefore = loadavg()[0]!;
  const before = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  const sampling = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  // How long a lookup arriving during the sync could wait for the event loop.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const result = await work().finally(() => {
    clearInterval(sampling);
    delay.disable();
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(before);
  const mainAfter = mainThreadCpuS();
  const gatewayAfter = (await gateway.ask('cpu')) as Usage;
  return {
    result,
    seconds,
    cpu: {
      clientCpuSeconds: round((used.user + used.system) / 1e6, 1),
      clientMainThreadCpuSeconds: mainBefore === undefined || mainAfter === undefined ? undefined : round(mainAfter - mainBefore, 1),
      gatewayCpuSeconds: round((gatewayAfter.user + gatewayAfter.system - gatewayBefore.user - gatewayBefore.system) / 1e6, 1),
      loadAverage: round((loadBefore + loadavg()[0]!) / 2, 1),
      clientPeakRssMB: round(peakRss / 1e6, 0),
      eventLoopDelayP99Ms: round(delay.percentile(99) / 1e6, 0),
      eventLoopDelayMaxMs: round(delay.max / 1e6, 0),
    },
  };
}

/** A bare GET of the snapshot, its body drained: the wire and the gateway alone. */
async function bareSnapshot(url: string, since?: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const path = `/v1/snapshots/SLTD${since !== undefined ? `?since=${encodeURIComponent(since)}` : ''}`;
  const res = await request(`${url}${path}`, {
    headers: { 'x-authority-id': BENCH_CONTEXT.authorityId, 'x-operator-id': BENCH_CONTEXT.operatorId, 'x-purpose': BENCH_CONTEXT.purpose },
    bodyTimeout: 60_000,
  });
  let bytes = 0;
  for await (const chunk of res.body) bytes += (chunk as Buffer).length;
  if (res.statusCode !== 200) throw new Error(`bench: the bare snapshot answered ${res.statusCode}`);
  return { ms: performance.now() - started, bytes };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bl-bench-sync-'));
  const path = join(dir, 'copy.db');
  // Building a million synthetic records takes the gateway a few seconds, more on a busy machine.
  const gateway = await startGatewayProcess(0, ['--synthetic', String(RECORDS)], 180_000);
  const store = openOfflineStore({ path, hmacKey: randomBytes(32), encryptionKey: randomBytes(32) });
  try {
    const online = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context: BENCH_CONTEXT, offline: { store, sources: ['SLTD'] } });

    // Full snapshot.
    const bareFull = await bareSnapshot(gateway.url);
    await gateway.stats();
    const fullRun = await cpuOf(gateway, () => online.offline!.sync());
    const [full] = fullRun.result;
    const fullS = fullRun.seconds;
    if (full === undefined || !full.ok || !full.full) throw new Error('bench: the full sync failed');
    const seenFull = await gateway.stats();
    console.log(
      JSON.stringify({
        bench: 'sync',
        figure: `full sync of ${RECORDS.toLocaleString('en')} records from a gateway process`,
        seconds: round(fullS, 1),
        target: `<= ${TARGET_FULL_S} s`,
        met: fullS <= TARGET_FULL_S,
        vsBareGet: round(fullS / (bareFull.ms / 1000), 2),
        bareGetSeconds: round(bareFull.ms / 1000, 1),
        snapshotMB: round(bareFull.bytes / 1e6, 0),
        sizeOnDiskMB: round(sizeOf(path) / 1e6, 0),
        recordCount: full.recordCount,
        ...fullRun.cpu,
        gatewaySaw: seenFull,
      }),
    );

    // Delta.
    const cursor = store.state('SLTD')!.cursor;
    await gateway.ask(`change ${DELTA}`);
    const bareDelta = await bareSnapshot(gateway.url, cursor);
    const deltaRun = await cpuOf(gateway, () => online.offline!.sync());
    const [delta] = deltaRun.result;
    const deltaS = deltaRun.seconds;
    if (delta === undefined || !delta.ok || delta.full) throw new Error('bench: the delta sync failed');
    console.log(
      JSON.stringify({
        bench: 'sync',
        figure: `delta of ${DELTA.toLocaleString('en')} changes over the copy`,
        seconds: round(deltaS, 2),
        target: `<= ${TARGET_DELTA_S} s`,
        met: deltaS <= TARGET_DELTA_S,
        changes: delta.changes,
        vsBareGet: round(deltaS / (bareDelta.ms / 1000), 2),
        sizeOnDiskMB: round(sizeOf(path) / 1e6, 0),
        ...deltaRun.cpu,
      }),
    );
    await online.close();
  } finally {
    await gateway.stop();
  }

  // Checks answered from the copy, the gateway gone: after a few failures the breaker is open and each check is the
  // copy's answer at once. Half the documents are in the copy (HIT), half not (NO_HIT from a fresh copy).
  const dead = createClient({
    transport: httpTransport({ baseUrl: 'http://127.0.0.1:9' }),
    context: BENCH_CONTEXT,
    retry: { retries: 0 },
    offline: { store, sources: ['SLTD'] },
  });
  const queries: DocumentQuery[] = [];
  // The synthetic dataset's first documents, as the gateway generated them (the copy holds them).
  const sample = syntheticDataset({ documents: Math.min(RECORDS, 65_536) }).documents;
  for (let i = 0; i < sample.length; i++) {
    const d = sample[i]!;
    queries.push(i % 2 === 0 ? { documentNumber: d.documentNumber, issuingState: d.issuingState, documentType: 'PASSPORT' } : { documentNumber: `ZZ${i}`, issuingState: 'UTO', documentType: 'PASSPORT' });
  }
  for (let i = 0; i < 20; i++) await dead.checkDocument(queries[i]!, { sources: ['SLTD'] });
  const keys = queries.map((q) => offlineKeysOfSubject({ kind: 'document', ...q }, 'SLTD')[0]!);
  let n = 0;
  let hits = 0;
  const viaClient = async (): Promise<void> => {
    const r = await dead.checkDocument(queries[n++ % queries.length]!, { sources: ['SLTD'] });
    if (r.servedFrom !== 'offline' || r.verdict === 'INCOMPLETE') throw new Error(`bench: an offline check answered ${r.verdict} from ${r.servedFrom}`);
    if (r.verdict === 'HIT') hits++;
  };
  let m = 0;
  const viaStore = (): void => {
    store.lookup('SLTD', keys[m++ % keys.length]!);
  };
  const clientRates: number[] = [];
  const storeRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    clientRates.push(await callsPerSecAsync(viaClient, SLICE_MS, 100));
    storeRates.push(callsPerSec(viaStore, SLICE_MS, 1000));
  }
  const checks = medianAndSpread(clientRates, 0);
  const ratio = medianAndSpread(clientRates.map((c, i) => c / storeRates[i]!), 3);
  console.log(
    JSON.stringify({
      bench: 'sync',
      figure: 'checks answered from the copy, gateway gone (breaker open), one core',
      checksPerSec: checks.median,
      spread: [checks.low, checks.high],
      target: `>= ${TARGET_CHECKS}`,
      met: checks.median >= TARGET_CHECKS,
      vsStoreLookup: ratio.median,
      vsStoreLookupSpread: [ratio.low, ratio.high],
      hitShare: round(hits / Math.max(1, n), 2),
    }),
  );
  await dead.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
