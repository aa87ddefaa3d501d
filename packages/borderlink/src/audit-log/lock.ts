// The folder's lock: one writer per log, or the chain forks. The lock file names its writer by pid and, where the
// system tells it (Linux's /proc), by the time that process started: the system reuses pids, so a lock whose pid now
// names another process (after a reboot, on a busy machine) is a dead writer's. A lock is made whole or not at all (a
// file written aside, then linked into place, so no one reads it half written), and a dead writer's is taken over by
// moving it aside first: of two processes taking over at once, one moves it, and the other finds a live lock.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../errors/index';
import { optionError } from '../internal/options';

/** The locks this process holds: a second writer of one folder in one process would fork the chain as well. */
const HELD = new Set<string>();

const codeOf = (err: unknown): string => String((err as { code?: unknown } | null)?.code ?? 'UNKNOWN');

/**
 * When process `pid` started, in clock ticks since boot (field 22 of `/proc/PID/stat`), or undefined where the
 * system does not say. @internal
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2, the command's name, is in parentheses and may hold spaces and parentheses: the fields after it follow
    // its last ')'. The first of them is field 3, so field 22 is the 20th.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start !== undefined && /^\d+$/.test(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

/** What a lock file says of this process. */
function identity(): string {
  const start = processStart(process.pid);
  return start === undefined ? String(process.pid) : `${process.pid} ${start}`;
}

/** The pid a lock names when the process it names still runs, else undefined (a lock of the older form: a pid alone). */
function liveHolder(text: string): number | undefined {
  const [pidText, start] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return undefined;
  if (start === undefined) return pid;
  const now = processStart(pid);
  // Another process under the pid: the writer that held it is gone.
  return now === undefined || now === start ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return codeOf(err) === 'EPERM';
  }
}

/** A name beside the lock that no other process picks. */
const aside = (path: string, what: string): string => `${path}.${process.pid}.${randomBytes(6).toString('hex')}.${what}`;

/** Links a lock naming this process into place; false when there is one already. */
function place(path: string): boolean {
  const fresh = aside(path, 'new');
  try {
    writeFileSync(fresh, identity(), { mode: 0o640, flag: 'wx' });
  } catch (err) {
    throw optionError('openAuditLog', 'dir', `could not be written (${codeOf(err)})`);
  }
  try {
    linkSync(fresh, path);
    return true;
  } catch (err) {
    if (codeOf(err) === 'EEXIST') return false;
    throw optionError('openAuditLog', 'dir', `could not be written (${codeOf(err)})`);
  } finally {
    try {
      unlinkSync(fresh);
    } catch {
      // Gone already.
    }
  }
}

const another = (pid: number) =>
  new ConfigError(`openAuditLog: another process (pid ${pid}) writes the audit log in this folder: one writer per log, or the chain forks`);

/**
 * Takes the lock at `path` for this process, taking over one a dead writer left.
 * @throws {ConfigError} when another live process, or this one, holds it. @internal
 */
export function takeLock(path: string): void {
  if (HELD.has(path)) throw new ConfigError('openAuditLog: this process already writes the audit log in this folder: open it once and share it');
  for (let tries = 0; tries < 8; tries++) {
    if (place(path)) {
      HELD.add(path);
      sweepAside(path);
      return;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if (codeOf(err) === 'ENOENT') continue; // moved or released meanwhile: try again
      throw optionError('openAuditLog', 'dir', `could not be read (${codeOf(err)})`);
    }
    const holder = liveHolder(text);
    if (holder !== undefined) throw another(holder);
    // A dead writer's lock: moved aside, by one process only.
    const moved = aside(path, 'stale');
    try {
      renameSync(path, moved);
    } catch (err) {
      if (codeOf(err) === 'ENOENT') continue; // another process moved it first
      throw optionError('openAuditLog', 'dir', `could not be written (${codeOf(err)})`);
    }
    let movedText: string | undefined;
    try {
      movedText = readFileSync(moved, 'utf8');
    } catch {
      movedText = undefined;
    }
    if (movedText !== text) {
      // Between the reading and the move, another process took the lock over: its lock goes back, and it writes.
      const taker = liveHolder(movedText ?? '');
      try {
        linkSync(moved, path);
      } catch {
        // A third took the place meanwhile: it will find the taker's lock gone and judge for itself.
      }
      try {
        unlinkSync(moved);
      } catch {
        // Gone already.
      }
      if (taker !== undefined) throw another(taker);
      continue;
    }
    try {
      unlinkSync(moved);
    } catch {
      // Gone already.
    }
  }
  throw new ConfigError('openAuditLog: the lock of the audit log in this folder could not be taken: other processes keep taking it');
}

/** What aside() names: the lock's name, the pid of the process that made it, a random tag, and what it is for. */
const ASIDE = /^\.(\d{1,10})\.[0-9a-f]{12}\.(?:new|stale)$/;

/**
 * Removes the files beside the lock that processes now gone left half way (killed between writing one and removing
 * it): nothing reads them, but a folder of a writer killed often would fill with them. A live process's are its own.
 */
function sweepAside(path: string): void {
  const name = basename(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const other of names) {
    if (!other.startsWith(name)) continue;
    const m = ASIDE.exec(other.slice(name.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || (pid > 0 && alive(pid))) continue;
    try {
      unlinkSync(join(dirname(path), other));
    } catch {
      // Gone already, or not ours to remove: it harms nothing.
    }
  }
}

/** Lets the lock go, if this process holds it. @internal */
export function releaseLock(path: string): void {
  if (!HELD.delete(path)) return;
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
