// A mock gateway in a process of its own, so that a benchmark's client and server do not share a thread:
//   node --import tsx bench/gateway-process.ts --latency 20
// Prints the gateway's URL as one line on stdout, then serves until SIGTERM, SIGINT or the end of stdin (the parent
// went away), and closes the gateway.
import { createMockGateway } from 'borderlink/testing';

function latencyFromArgs(args: readonly string[]): number {
  const i = args.indexOf('--latency');
  if (i === -1) return 0;
  const ms = Number(args[i + 1]);
  if (!Number.isFinite(ms) || ms < 0) throw new Error('--latency needs a number of milliseconds, 0 or more');
  return ms;
}

// Requests are recorded (up to the gateway's cap of 10,000) until the parent asks for the count (a `stats` line on
// stdin), then forgotten: the parent asks after every chunk, which stays well under the cap.
const gateway = await createMockGateway({ latencyMs: latencyFromArgs(process.argv.slice(2)) });
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
process.stdin.setEncoding('utf8');
let pending = '';
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  let end: number;
  while ((end = pending.indexOf('\n')) !== -1) {
    const line = pending.slice(0, end).trim();
    pending = pending.slice(end + 1);
    if (line !== 'stats') continue;
    // What the gateway saw since the last count: requests, and check items across them.
    let items = 0;
    for (const r of gateway.requests) {
      const body = r.body as { items?: unknown[] } | undefined;
      items += Array.isArray(body?.items) ? body.items.length : 0;
    }
    const requests = gateway.requests.length;
    gateway.requests.length = 0;
    process.stdout.write(`${JSON.stringify({ requests, items })}\n`);
  }
});
process.stdout.write(`${gateway.url}\n`);
