// A mock gateway in a process of its own, so that a benchmark's client and server do not share a thread:
//   node --import tsx bench/gateway-process.ts --latency 20
// Prints the gateway's URL as one line on stdout, then serves until SIGTERM, SIGINT or the end of stdin (the parent
// went away), and closes the gateway. A line `stats` on stdin is answered with one JSON line on stdout: the requests
// and check items the gateway received since the last `stats`, so a figure can say what work it stood for.
import { createInterface } from 'node:readline';
import { createMockGateway, syntheticDataset } from 'borderlink/testing';

function latencyFromArgs(args: readonly string[]): number {
  const i = args.indexOf('--latency');
  if (i === -1) return 0;
  const ms = Number(args[i + 1]);
  if (!Number.isFinite(ms) || ms < 0) throw new Error('--latency needs a number of milliseconds, 0 or more');
  return ms;
}

/** `--synthetic N`: N generated stolen documents instead of the demo dataset (for the sync benchmark). */
function syntheticFromArgs(args: readonly string[]): number | undefined {
  const i = args.indexOf('--synthetic');
  if (i === -1) return undefined;
  const n = Number(args[i + 1]);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error('--synthetic needs a whole number of records');
  return n;
}

const synthetic = syntheticFromArgs(process.argv.slice(2));
const gateway = await createMockGateway({
  latencyMs: latencyFromArgs(process.argv.slice(2)),
  ...(synthetic !== undefined ? { dataset: syntheticDataset({ documents: synthetic }) } : {}),
});
// Counted as the gateway records each request: its list keeps only the latest ones, so the count is kept beside it.
const seen = { requests: 0, items: 0 };
const recorded = gateway.requests;
const record = recorded.push.bind(recorded);
recorded.push = (...entries: typeof recorded) => {
  for (const entry of entries) {
    seen.requests++;
    const items = (entry.body as { items?: unknown } | undefined)?.items;
    if (Array.isArray(items)) seen.items += items.length;
  }
  return record(...entries);
};
createInterface({ input: process.stdin }).on('line', (line) => {
  // `change N`: N of its documents change status (a delta of N records for the next sync), answered with one JSON line.
  const change = /^change (\d+)$/.exec(line.trim());
  if (change) {
    const n = Math.min(Number(change[1]), gateway.dataset.documents.length);
    for (let i = 0; i < n; i++) {
      const d = gateway.dataset.documents[i]!;
      gateway.upsertRecord({ ...d, source: 'SLTD', status: d.status === 'LOST' ? 'STOLEN' : 'LOST' });
    }
    process.stdout.write(`${JSON.stringify({ changed: n })}\n`);
    return;
  }
  if (line.trim() === 'cpu') {
    // The gateway's own CPU time so far (user and system, microseconds): a figure whose server is the bottleneck
    // measures nothing of the client's.
    process.stdout.write(`${JSON.stringify(process.cpuUsage())}\n`);
    return;
  }
  if (line.trim() !== 'stats') return;
  // What the gateway saw since the last count, then the count starts again.
  process.stdout.write(`${JSON.stringify(seen)}\n`);
  seen.requests = 0;
  seen.items = 0;
  recorded.length = 0;
});
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void gateway.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdout.write(`${gateway.url}\n`);
