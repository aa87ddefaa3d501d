// What the socket benchmarks share: a gateway in a child process, and a fixed number of calls in flight.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'undici';
import { VERSION } from 'borderlink';
import type { DocumentHit } from '../packages/borderlink/src/queries/types';

/** A mock gateway running in a child process. */
export interface GatewayProcess {
  readonly url: string;
  /** What the gateway saw since the last call (or its start): requests, and check items across them. */
  stats(): Promise<GatewaySeen>;
  /** Sends one command line to the gateway process (see gateway-process.ts) and resolves with its JSON answer. */
  ask(line: string): Promise<unknown>;
  /** Stops the child and waits for it to exit. */
  stop(): Promise<void>;
}

/** Requests and check items a gateway received. */
export interface GatewaySeen {
  requests: number;
  items: number;
}

/**
 * Starts bench/gateway-process.ts in a child process (`node --import tsx`) and waits for the URL it prints. The
 * child also exits when our end of its stdin closes, so it cannot outlive a benchmark that crashes.
 */
export async function startGatewayProcess(latencyMs: number, extraArgs: readonly string[] = [], startTimeoutMs = 20_000): Promise<GatewayProcess> {
  const script = fileURLToPath(new URL('./gateway-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--latency', String(latencyMs), ...extraArgs], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway process did not print its URL within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway process exited (code ${code}) before printing its URL`));
    });
  });
  const answers: ((answer: unknown) => void)[] = [];
  lines.on('line', (line) => answers.shift()?.(JSON.parse(line)));
  const ask = (command: string): Promise<unknown> =>
    new Promise((resolve) => {
      answers.push(resolve);
      child.stdin.write(`${command}\n`);
    });
  return {
    url,
    stats: () => ask('stats') as Promise<GatewaySeen>,
    ask,
    async stop() {
      lines.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `task(0)` … `task(n - 1)` with at most `concurrency` in flight; resolves with the elapsed milliseconds. */
export async function timedInFlight(n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await task(next++);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return performance.now() - start;
}

/** The client process's CPU time (user + system) since `since`, in milliseconds. */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** A typical SLTD hit, as the gateway sends it and the client hands it out: the fixture of the answer-path benches. */
export const SAMPLE_HIT: DocumentHit = {
  kind: 'document',
  hitId: 'h-1',
  source: 'SLTD',
  recordId: 'SLTD-2024-000123',
  ownerCountry: 'UTO',
  match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber', 'issuingState'] },
  actionToBeTaken: 'SEIZE_DOCUMENT',
  confirmation: { state: 'UNCONFIRMED' },
  document: { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2024-03-01' },
};

export const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

/** The median of `xs` and its spread (lowest and highest), for figures measured in alternating chunks. */
export function medianAndSpread(xs: readonly number[], digits = 2): { median: number; low: number; high: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: round(median, digits), low: round(sorted[0]!, digits), high: round(sorted[sorted.length - 1]!, digits) };
}

/** The query context every socket benchmark sends, the SDK and the bare client alike. */
export const BENCH_CONTEXT = { authorityId: 'UTO-POLICE', operatorId: 'bench-0001', purpose: 'BORDER_CHECK' } as const;

let serial = 0;
/** A document number no earlier call of this process used, so neither de-duplication nor a cache can help. */
export const freshNumber = (): string => `B${(serial++).toString(36).toUpperCase().padStart(9, '0')}`;

/**
 * The baseline of the socket benchmarks: a bare undici `Pool.request` posting one single-item check, with the headers
 * the SDK sends, and reading its answer.
 */
export async function bareCheck(pool: Pool, documentNumber: string): Promise<void> {
  const body = JSON.stringify({
    context: BENCH_CONTEXT,
    items: [{ itemId: '1', subjects: [{ kind: 'document', documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' }], sources: ['SLTD', 'TDAWN'] }],
  });
  const response = await pool.request({
    path: '/v1/checks',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': randomUUID(), 'user-agent': `borderlink/${VERSION}` },
    body,
  });
  const json = JSON.parse(await response.body.text()) as { items?: unknown[] };
  if (response.statusCode !== 200 || json.items?.length !== 1) throw new Error(`bench: unexpected answer ${response.statusCode}`);
}

/** Calls of `fn` per second over `ms` milliseconds, the clock read once every `lap` calls. */
export function callsPerSec(fn: () => unknown, ms: number, lap: number): number {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < lap; i++) fn();
    count += lap;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

/** As {@link callsPerSec}, each call awaited before the next. */
export async function callsPerSecAsync(fn: () => Promise<unknown>, ms: number, lap: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < lap; i++) await fn();
    count += lap;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}
