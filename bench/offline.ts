// The offline store on a copy of 1,000,000 records: a full snapshot applied (time, size on disk), a delta of 100,000
// changes applied over it, offline lookups per second against a bare better-sqlite3 point lookup on the same file
// (alternating slices, so machine noise hits both alike), and checks answered from the copy through the client with
// the gateway gone, against the same bare lookup. The snapshots are generated here as the store takes them, an async
// iterable of lines: what the gateway and the wire reader add is measured elsewhere. One JSON line per figure, each
// with the load average it was measured under (the machines these run on are shared).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createClient, httpTransport, type DocumentQuery, type SnapshotChange, type SnapshotEnd } from 'borderlink';
import { openOfflineStore, type SqliteOfflineStore } from 'borderlink/offline';
import { offlineKeysOfSubject } from '../packages/borderlink/src/stores/keys';
import { BENCH_CONTEXT, callsPerSec, cpuMsSince, medianAndSpread, round } from './lib';

const RECORDS = Number(process.env.BENCH_OFFLINE_RECORDS ?? 1_000_000);
const DELTA = Math.round(RECORDS / 10);
const TARGET_FULL_S = 30;
const TARGET_DELTA_S = 5;
const TARGET_LOOKUPS = 50_000;
const TARGET_RATIO = 0.5;
const ROUNDS = 7;
const SLICE_MS = 250;
/** Where no gateway listens: every check's connection is refused. */
const GONE = 'http://127.0.0.1:9';
const load = (): number => round(loadavg()[0]!, 1);

const number = (i: number): string => `B${i.toString(36).toUpperCase().padStart(8, '0')}`;
const STATUSES = ['STOLEN', 'LOST', 'STOLEN_BLANK', 'REVOKED'] as const;

/** The lines of a full SLTD snapshot of `n` passports, then its end line: generated as they are read. */
async function* fullSnapshot(n: number): AsyncGenerator<SnapshotChange | SnapshotEnd> {
  for (let i = 0; i < n; i++) {
    yield {
      op: 'upsert',
      record: {
        source: 'SLTD',
        recordId: `SLTD-${i}`,
        ownerCountry: 'UTO',
        actionToBeTaken: 'SEIZE_DOCUMENT',
        document: { documentNumber: number(i), issuingState: 'UTO', documentType: 'PASSPORT', status: STATUSES[i % 4], incidentDate: '2024-03-01' },
      },
    };
  }
  // As of now: the copy is fresh, so a check it finds nothing for reads NO_HIT, as on a lane synced this morning.
  yield { op: 'end', source: 'SLTD', cursor: 'full', dataAsOf: new Date().toISOString(), full: true, changes: n, recordCount: n };
}

/** A delta of `m` changes over the full snapshot: half of them changed records, a quarter new, a quarter deleted. */
async function* delta(n: number, m: number): AsyncGenerator<SnapshotChange | SnapshotEnd> {
  let added = 0;
  let removed = 0;
  for (let j = 0; j < m; j++) {
    const old = (j * 7919) % n;
    if (j % 4 === 0) {
      added += 1;
      yield { op: 'upsert', record: { source: 'SLTD', recordId: `SLTD-N${j}`, ownerCountry: 'UTO', document: { documentNumber: `N${j}`, issuingState: 'UTO', status: 'LOST' } } };
    } else if (j % 4 === 1) {
      removed += 1;
      yield { op: 'delete', source: 'SLTD', recordId: `SLTD-${old}` };
    } else {
      yield { op: 'upsert', record: { source: 'SLTD', recordId: `SLTD-${old}`, ownerCountry: 'UTO', actionToBeTaken: 'CONTACT_OWNER', document: { documentNumber: number(old), issuingState: 'UTO', status: 'STOLEN' } } };
    }
  }
  yield { op: 'end', source: 'SLTD', cursor: 'delta', dataAsOf: new Date().toISOString(), full: false, changes: m, recordCount: n + added - removed };
}

/**
 * Checks made for `ms` milliseconds, `concurrency` of them in flight (each awaited before its worker makes the next): per
 * second of the clock and per second of this process's CPU time (what the load of other processes changes least).
 */
async function checksFor(check: () => Promise<void>, concurrency: number, ms: number): Promise<{ perSec: number; perCpuSec: number }> {
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const until = start + ms;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      for (let i = 0; i < 16; i++) await check();
      count += 16;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - start;
  return { perSec: (count * 1000) / elapsed, perCpuSec: (count * 1000) / Math.max(1, cpuMsSince(cpu)) };
}

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};
const mb = (bytes: number): number => round(bytes / 1e6, 1);

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'borderlink-bench-offline-'));
  const path = join(dir, 'offline.db');
  const keys = { hmacKey: randomBytes(32), encryptionKey: randomBytes(32) };
  let store: SqliteOfflineStore | undefined;
  try {
    store = openOfflineStore({ path, ...keys });
    const heapBefore = process.memoryUsage().rss;
    let peakRss = heapBefore;
    const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    // Staging ends with the last progress report before the copy moves (every 4096 lines); the rest is indexing it.
    const stagedAt = (from: number, total: number) => {
      let at = 0;
      return { onProgress: (p: { changes: number }) => void (p.changes > total - 4096 && at === 0 && (at = performance.now() - from)), at: () => at / 1000 };
    };
    let start = performance.now();
    let cpu = process.cpuUsage();
    const fullStaged = stagedAt(start, RECORDS);
    await store.apply('SLTD', fullSnapshot(RECORDS), fullStaged.onProgress);
    const fullS = (performance.now() - start) / 1000;
    const fullCpuS = cpuMsSince(cpu) / 1000;
    clearInterval(sample);
    console.log(
      JSON.stringify({
        bench: 'offline',
        figure: 'full-snapshot',
        load: load(),
        records: RECORDS,
        seconds: round(fullS, 1),
        stagedSeconds: round(fullStaged.at(), 1),
        cpuSeconds: round(fullCpuS, 1),
        recordsPerSec: Math.round(RECORDS / fullS),
        dbMB: mb(sizeOf(path)),
        walMB: mb(sizeOf(`${path}-wal`)),
        peakRssMB: mb(peakRss),
        targetSeconds: TARGET_FULL_S,
        met: fullS <= TARGET_FULL_S,
      }),
    );

    start = performance.now();
    cpu = process.cpuUsage();
    const deltaStaged = stagedAt(start, DELTA);
    await store.apply('SLTD', delta(RECORDS, DELTA), deltaStaged.onProgress);
    const deltaS = (performance.now() - start) / 1000;
    const deltaCpuS = cpuMsSince(cpu) / 1000;
    // The versions the delta made dead are collected after the apply returned (invisible meanwhile): until when.
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    const watch = new Database(path, { readonly: true });
    const epochNow = watch.prepare("SELECT epoch FROM copies WHERE source = 'SLTD'").pluck().get() as number;
    const dead = watch.prepare(`SELECT count(*) FROM d_${epochNow}`).pluck();
    while ((dead.get() as number) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const collectedS = (performance.now() - start) / 1000;
    watch.close();
    console.log(
      JSON.stringify({
        bench: 'offline',
        figure: 'delta',
        load: load(),
        changes: DELTA,
        seconds: round(deltaS, 2),
        stagedSeconds: round(deltaStaged.at(), 2),
        collectedSeconds: round(collectedS, 2),
        cpuSeconds: round(deltaCpuS, 2),
        changesPerSec: Math.round(DELTA / deltaS),
        dbMB: mb(sizeOf(path)),
        walMB: mb(sizeOf(`${path}-wal`)),
        targetSeconds: TARGET_DELTA_S,
        met: deltaS <= TARGET_DELTA_S,
      }),
    );

    // Lookups as the client makes them: the subject's key by the one key rule, then the store. Misses (a document the
    // copy does not hold: nearly every check at a border) and hits (decrypted and checked against the key) apart.
    // The baseline: a bare better-sqlite3 point lookup of the same key index on the same file, its keys already made.
    const bare = new Database(path, { readonly: true });
    const epoch = bare.prepare("SELECT epoch FROM copies WHERE source = 'SLTD'").pluck().get() as number;
    const point = bare.prepare(`SELECT id FROM k_${epoch} WHERE k = ?`).pluck();
    // What a hit must read beside the key: the record's row. A bare lookup of it, to tell SQLite's part of a hit from
    // ours (the decrypt, the parse, the check that the record holds the key).
    const record = bare.prepare(`SELECT v.payload FROM k_${epoch} k JOIN v_${epoch} v ON v.id = k.id WHERE k.k = ?`).pluck();
    const stored = bare.prepare(`SELECT k FROM k_${epoch} ORDER BY random() LIMIT 65536`).pluck().all() as Buffer[];
    const key = (documentNumber: string) => offlineKeysOfSubject({ kind: 'document', documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' }, 'SLTD')[0]!;
    // Records 2/4 of the delta (j % 4 === 2 or 3) still hold their first document number: hits.
    const kinds = {
      miss: { ours: Array.from({ length: 65_536 }, (_, i) => key(`Z${i}`)), bare: Array.from({ length: 65_536 }, () => randomBytes(16)) },
      hit: { ours: Array.from({ length: 65_536 }, (_, i) => key(number((i * 104_729) % RECORDS))), bare: stored },
    };
    let found = 0;
    for (const [kind, keys] of Object.entries(kinds)) {
      let i = 0;
      const ours = () => {
        found += store!.lookup('SLTD', keys.ours[i++ & 65_535]!).length;
      };
      const baseline = () => {
        found += point.get(keys.bare[i++ % keys.bare.length]!) === undefined ? 0 : 1;
      };
      const withRecord = () => {
        found += record.get(keys.bare[i++ % keys.bare.length]!) === undefined ? 0 : 1;
      };
      callsPerSec(ours, 300, 1000);
      callsPerSec(baseline, 300, 1000);
      const oursRates: number[] = [];
      const bareRates: number[] = [];
      const recordRates: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        oursRates.push(callsPerSec(ours, SLICE_MS, 1000));
        bareRates.push(callsPerSec(baseline, SLICE_MS, 1000));
        if (kind === 'hit') recordRates.push(callsPerSec(withRecord, SLICE_MS, 1000));
      }
      const lookups = medianAndSpread(oursRates, 0);
      const points = medianAndSpread(bareRates, 0);
      const ratios = medianAndSpread(oursRates.map((o, r) => o / bareRates[r]!), 3);
      console.log(
        JSON.stringify({
          bench: 'offline',
          figure: `lookups-${kind}`,
          load: load(),
          copy: RECORDS,
          lookupsPerSec: lookups.median,
          barePointLookupsPerSec: points.median,
          ratio: ratios.median,
          ratioSpread: [ratios.low, ratios.high],
          ...(kind === 'hit'
            ? {
                bareRecordLookupsPerSec: medianAndSpread(recordRates, 0).median,
                ratioToBareRecordLookup: medianAndSpread(oursRates.map((o, r) => o / recordRates[r]!), 3).median,
              }
            : {}),
          targetPerSec: TARGET_LOOKUPS,
          targetRatio: TARGET_RATIO,
          met: lookups.median >= TARGET_LOOKUPS && ratios.median >= TARGET_RATIO,
        }),
      );
    }
    if (found === 0) throw new Error('bench: no lookup found anything');

    // Checks through the client, the gateway gone. `fallback` with the breaker open (a lane without a link, once a
    // few checks have failed): the copy answers at once; `first`: the copy answers, and a check it answers goes online
    // in the background when the breaker lets it; `fallback` without a breaker: each check tries the connection
    // first. Every answer is kept for re-screening before it is given (one commit per turn of the event loop), so one
    // check at a time pays a commit each, and many at once share one. Documents the copy does not hold (the common
    // case at a border, and NO_HIT from a fresh copy), and documents it holds (a HIT, decrypted). Against the bare
    // point lookup of the key index, in alternating slices.
    const missQueries: DocumentQuery[] = Array.from({ length: 65_536 }, (_, i) => ({ documentNumber: `Z${i}`, issuingState: 'UTO', documentType: 'PASSPORT' }));
    const hitQueries: DocumentQuery[] = Array.from({ length: 65_536 }, (_, i) => ({ documentNumber: number((i * 104_729) % RECORDS), issuingState: 'UTO', documentType: 'PASSPORT' }));
    const misses = kinds.miss.bare;
    let b = 0;
    const barePoint = () => {
      found += point.get(misses[b++ & 65_535]!) === undefined ? 0 : 1;
    };
    // The hit queries' records: a few (those the delta removed) are no longer in the copy, and read NO_HIT.
    const clients: { name: string; mode: 'fallback' | 'first'; breaker: boolean; concurrency: number; queries: DocumentQuery[] }[] = [
      { name: 'fallback, breaker open, one at a time', mode: 'fallback', breaker: true, concurrency: 1, queries: missQueries },
      { name: 'fallback, breaker open, 64 at once', mode: 'fallback', breaker: true, concurrency: 64, queries: missQueries },
      { name: 'fallback, breaker open, 64 at once, documents the copy holds', mode: 'fallback', breaker: true, concurrency: 64, queries: hitQueries },
      { name: 'first, 64 at once', mode: 'first', breaker: true, concurrency: 64, queries: missQueries },
      { name: 'fallback, no breaker (each check tries the link), one at a time', mode: 'fallback', breaker: false, concurrency: 1, queries: missQueries },
    ];
    for (const spec of clients) {
      const client = createClient({
        transport: httpTransport({ baseUrl: GONE }),
        context: BENCH_CONTEXT,
        retry: { retries: 0 },
        ...(spec.breaker ? {} : { breaker: false as const }),
        offline: { store, mode: spec.mode, sources: ['SLTD'] },
      });
      try {
        let n = 0;
        let hits = 0;
        const check = async (): Promise<void> => {
          const r = await client.checkDocument(spec.queries[n++ & 65_535]!, { sources: ['SLTD'] });
          if (r.servedFrom !== 'offline' || (r.verdict !== 'NO_HIT' && r.verdict !== 'HIT')) throw new Error(`bench: a check answered ${r.verdict} from ${r.servedFrom}`);
          if (r.verdict === 'HIT') hits++;
        };
        // Enough failures to open the breaker, and the code warm.
        await checksFor(check, spec.concurrency, 300);
        const rates: number[] = [];
        const cpuRates: number[] = [];
        const bareRates: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const slice = await checksFor(check, spec.concurrency, SLICE_MS);
          rates.push(slice.perSec);
          cpuRates.push(slice.perCpuSec);
          bareRates.push(callsPerSec(barePoint, SLICE_MS, 1000));
        }
        const checks = medianAndSpread(rates, 0);
        const ratios = medianAndSpread(rates.map((c, r) => c / bareRates[r]!), 3);
        console.log(
          JSON.stringify({
            bench: 'offline',
            figure: `client: ${spec.name}`,
            load: load(),
            copy: RECORDS,
            checksPerSec: checks.median,
            spread: [checks.low, checks.high],
            checksPerCpuSec: medianAndSpread(cpuRates, 0).median,
            barePointLookupsPerSec: medianAndSpread(bareRates, 0).median,
            ratio: ratios.median,
            ratioSpread: [ratios.low, ratios.high],
            hitShare: round(hits / Math.max(1, n), 2),
            targetPerSec: TARGET_LOOKUPS,
            targetRatio: TARGET_RATIO,
            met: checks.median >= TARGET_LOOKUPS && ratios.median >= TARGET_RATIO,
          }),
        );
      } finally {
        await client.close();
      }
    }
    bare.close();
  } finally {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
