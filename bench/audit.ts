// Audited checks against the mock transport, with the tamper-evident audit log (borderlink/audit) as `onAudit`,
// against the same audited checks with the sink off (an `onAudit` that keeps nothing): target ≥ 0.8 of their
// throughput, with the default fsync policy (one `fdatasync` per batch of events). Also printed: both against checks
// with no `onAudit` at all, where the client does not even make the event.
//
// Throughput is checks per second of the process's CPU time (user + system: the writer's and fsync's threads are the
// process's too): on these shared machines wall-clock ratios swing by half with the neighbours' load, CPU time far
// less. Wall-clock figures are printed beside it. Each timed chunk ends once the log has written and synced every
// event of it, so the disk's share is in the figure; the sides alternate in rotating order, and each figure is the
// median of the per-round ratios with their spread. Every check is of a document never checked before.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type BorderlinkClient } from 'borderlink';
import { openAuditLog, verifyAuditLog } from 'borderlink/audit';
import { mockTransport } from 'borderlink/testing';
import { BENCH_CONTEXT, freshNumber, medianAndSpread, round, timedInFlight } from './lib';

const ROUNDS = 15;
const CHECKS = 4000;
const IN_FLIGHT = 16;
const TARGET = 0.8;

type Side = 'sink' | 'off' | 'none';

/** One check; every 32nd turns the event loop, as a service's checks do between network reads (the log writes then). */
function checker(client: BorderlinkClient): (i: number) => Promise<void> {
  return async (i) => {
    const result = await client.checkDocument({ documentNumber: freshNumber(), issuingState: 'UTO', documentType: 'PASSPORT' });
    if (result.verdict !== 'NO_HIT') throw new Error(`bench: unexpected verdict ${result.verdict}`);
    if (i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
  };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'borderlink-bench-audit-'));
  const log = openAuditLog({ dir, fsync: 'batch' });
  let kept = 0;
  const clients: Record<Side, BorderlinkClient> = {
    sink: createClient({ transport: mockTransport(), context: BENCH_CONTEXT, onAudit: log.append }),
    off: createClient({ transport: mockTransport(), context: BENCH_CONTEXT, onAudit: () => void kept++ }),
    none: createClient({ transport: mockTransport(), context: BENCH_CONTEXT }),
  };
  const tasks = { sink: checker(clients.sink), off: checker(clients.off), none: checker(clients.none) };
  const timed = async (side: Side): Promise<{ cpu: number; wall: number }> => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await timedInFlight(CHECKS, IN_FLIGHT, tasks[side]);
    if (side === 'sink' && !(await log.flush())) throw new Error('bench: the audit log could not write');
    const used = process.cpuUsage(cpu);
    return { cpu: (CHECKS * 1e6) / (used.user + used.system), wall: (CHECKS * 1000) / (performance.now() - start) };
  };
  try {
    for (const side of ['sink', 'off', 'none'] as const) await timed(side);
    const per: Record<Side, { cpu: number; wall: number }[]> = { sink: [], off: [], none: [] };
    const sides: Side[] = ['sink', 'off', 'none'];
    for (let r = 0; r < ROUNDS; r++) {
      // Each side first, second and third in turn.
      for (const side of [...sides.slice(r % 3), ...sides.slice(0, r % 3)]) per[side].push(await timed(side));
    }
    await log.close();
    const ratio = (a: Side, b: Side, kind: 'cpu' | 'wall') => medianAndSpread(per[a].map((x, i) => x[kind] / per[b][i]![kind]), 3);
    const rate = (side: Side, kind: 'cpu' | 'wall') => Math.round(medianAndSpread(per[side].map((x) => x[kind]), 0).median);
    const files = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
    const bytes = files.reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
    const report = await verifyAuditLog([dir]);
    const main = ratio('sink', 'off', 'cpu');
    const wall = ratio('sink', 'off', 'wall');
    console.log(
      JSON.stringify({
        bench: 'audit',
        figure: 'audited-checks-sink-on-vs-off',
        fsync: 'batch',
        checksPerCpuSecOn: rate('sink', 'cpu'),
        checksPerCpuSecOff: rate('off', 'cpu'),
        ratio: main.median,
        spread: [main.low, main.high],
        target: `>= ${TARGET}`,
        met: main.median >= TARGET,
        wallClock: { checksPerSecOn: rate('sink', 'wall'), checksPerSecOff: rate('off', 'wall'), ratio: wall.median, spread: [wall.low, wall.high] },
        log: { records: report.records, verified: report.ok, dropped: report.gaps.dropped, files: files.length, mb: round(bytes / 2 ** 20, 1) },
      }),
    );
    const none = ratio('sink', 'none', 'cpu');
    const event = ratio('off', 'none', 'cpu');
    console.log(
      JSON.stringify({
        bench: 'audit',
        figure: 'audited-checks-against-unaudited',
        checksPerCpuSecUnaudited: rate('none', 'cpu'),
        sinkRatio: none.median,
        sinkSpread: [none.low, none.high],
        eventOnlyRatio: event.median,
        eventOnlySpread: [event.low, event.high],
        note: 'no onAudit at all: the client makes no event; the audit event itself (keyed hashes of the subjects, its fields) is eventOnlyRatio',
      }),
    );
    if (kept === 0) throw new Error('bench: the sink-off client made no event');
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
