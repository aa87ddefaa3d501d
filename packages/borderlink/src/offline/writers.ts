// Who is writing a snapshot into the file. Two processes may share a store (the lane application and a `borderlink
// sync` from cron): each writer leaves its token on what it writes, refreshes its beat as it goes, and takes over
// nothing whose writer is alive. A writer is dead when its beat is old, or when it ran on this machine and its process
// is gone (a kill), so a killed sync's leftovers are cleaned at once rather than after the lease runs out.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A writer that has not written for this long is taken for dead. @unit milliseconds */
export const LEASE_MS = 60_000;

/** Tokens of the writers running in this process. */
const live = new Set<string>();

/** A new writer of this process, live until {@link endWriter}. */
export function startWriter(): string {
  const token = `${hostname()}\u0000${process.pid}\u0000${randomBytes(8).toString('hex')}`;
  live.add(token);
  return token;
}

export function endWriter(token: string): void {
  live.delete(token);
}

/** Whether the writer `token`, last seen writing at `beat`, may still be writing. */
export function writerAlive(token: string | null, beat: number | null, now: number): boolean {
  if (token === null || beat === null || now - beat > LEASE_MS) return false;
  const [host, pidText] = token.split('\u0000');
  if (host !== hostname()) return true;
  const pid = Number(pidText);
  if (pid === process.pid) return live.has(token);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as { code?: unknown }).code !== 'ESRCH';
  }
}
