// What the socket benchmarks share: a gateway in a child process, and a fixed number of calls in flight.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DocumentHit } from '../packages/borderlink/src/queries/types';

/** What a gateway process received. */
export interface GatewayStats {
  requests: number;
  items: number;
}

/** A mock gateway running in a child process. */
export interface GatewayProcess {
  readonly url: string;
  /** What the gateway has received so far: requests, and check items in them. */
  stats(): Promise<GatewayStats>;
  /** Stops the child and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts bench/gateway-process.ts in a child process (`node --import tsx`) and waits for the URL it prints. The
 * child also exits when our end of its stdin closes, so it cannot outlive a benchmark that crashes.
 */
export async function startGatewayProcess(latencyMs: number): Promise<GatewayProcess> {
  const script = fileURLToPath(new URL('./gateway-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--latency', String(latencyMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the gateway process did not print its URL within 20 s')), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway process exited (code ${code}) before printing its URL`));
    });
  });
  return {
    url,
    stats() {
      return new Promise<GatewayStats>((resolve) => {
        lines.once('line', (line) => resolve(JSON.parse(line) as GatewayStats));
        child.stdin.write('stats\n');
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      lines.close();
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
