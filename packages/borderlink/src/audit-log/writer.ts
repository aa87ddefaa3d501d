// The sink. `append` is what a client calls on every audited call, so it never waits and never throws: it builds the
// event's line (canonical text, seq, the previous line's hash) at once, so the chain's order is the order of the
// calls, and queues it. Writing happens behind it, one batch at a time (every line queued meanwhile in one `write`,
// then one `fdatasync` under the default policy). A disk that refuses is retried with back-off while the queue holds
// up to `maxBufferedEvents`; beyond that events are counted, not kept, and the first record after them is a `gap`
// saying how many, so a reader of the log knows what it lacks.
import { closeSync, fdatasync, fsync, mkdirSync, openSync, unlinkSync, write } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent } from '../audit/index';
import { ConfigError } from '../errors/index';
import { optionError } from '../internal/options';
import { VERSION } from '../version';
import { MAX_LINE_BYTES, logFiles, readHead, readTail } from './files';
import { releaseLock, takeLock } from './lock';

/** Room on a line for the record around its event (`at`, `prev`, `seq`, `type`), with a margin. */
const MAX_EVENT_BYTES = MAX_LINE_BYTES - 512;
/** Below this many UTF-16 units no text can be MAX_EVENT_BYTES of UTF-8 (three bytes a unit at most). */
const MAX_EVENT_CHARS = Math.floor(MAX_EVENT_BYTES / 3);
import { resolveAuditLogOptions, type AuditCheckpoint, type AuditLogNotice, type AuditLogOptions, type ResolvedAuditLogOptions } from './options';
import { GENESIS, canonical, checkpointLine, eventLine, fileName, isRecord, keyIdOf, lineHash, recordLine, utcDay, type RemovedFile } from './record';

/** Where the sink stands. */
export interface AuditLogStatus {
  /** The file being written, once one is open. */
  file: string | undefined;
  /** Records appended so far in the whole log (the seq the next one gets). */
  seq: number;
  /** Records appended and not yet written. */
  buffered: number;
  /** Events dropped and not yet recorded by a `gap` record. */
  dropped: number;
  /** Whether the last write failed (the sink retries by itself). */
  failing: boolean;
  closed: boolean;
}

/**
 * A tamper-evident audit log: pass `append` as the client's `onAudit`.
 * @example
 * ```ts
 * import { createClient } from 'borderlink';
 * import { openAuditLog } from 'borderlink/audit';
 * import { mockTransport } from 'borderlink/testing';
 *
 * const audit = openAuditLog({ dir: './audit' });
 * const client = createClient({
 *   transport: mockTransport(),
 *   context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' },
 *   onAudit: audit.append,
 * });
 * await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
 * await client.close();
 * await audit.close();
 * ```
 */
export interface AuditLog {
  /** Appends one event; never waits, never throws. A bound function: pass it as `onAudit` as it is. */
  readonly append: (event: AuditEvent) => void;
  /**
   * Resolves once every record appended so far is written and synced: `true`, or `false` when the disk would not
   * take them (they stay queued and the sink keeps trying). Never rejects.
   */
  flush(): Promise<boolean>;
  /**
   * Writes a `close` record and, with a key, a last checkpoint, then everything still queued, and releases the file
   * and the folder's lock. Resolves `true` when all of it reached the disk. Events appended after it are dropped.
   */
  close(): Promise<boolean>;
  readonly status: AuditLogStatus;
}

/** Back-off of retries after a failed write. @unit milliseconds */
const RETRY_MS = [250, 1000, 5000, 15_000, 30_000] as const;

interface Queued {
  seq: number;
  line: string;
}

interface Waiter {
  seq: number;
  resolve: (ok: boolean) => void;
}

interface OpenFile {
  path: string;
  name: string;
  day: string;
  size: number;
  fd: number;
}

/**
 * Opens the audit log in `options.dir`, carrying on the chain of the files already there (a new file starts at each
 * open). Synchronous, so a client can be made with it at once.
 * @throws {ConfigError} for a wrong option, a folder that cannot be made or read, a log whose last line cannot be
 * read, or a folder whose log another process is writing.
 */
export function openAuditLog(options: AuditLogOptions): AuditLog {
  return new Sink(resolveAuditLogOptions(options));
}

const codeOf = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'EIO';
};

class Sink implements AuditLog {
  readonly #o: ResolvedAuditLogOptions;
  readonly #lock: string;
  readonly #keyId: string | undefined;
  /** The seq the next record gets, and the hash of the last line made. */
  #seq: number;
  #head: string;
  #queue: Queued[] = [];
  /** Records of the write under way, out of the queue until it ends. */
  #inFlight = 0;
  /** Seq of the last record written (and synced, under `batch`). */
  #written: number;
  #file: OpenFile | undefined;
  /** Start a new file before the next write (at open, and after a write that may have left a line cut off). */
  #newFile = true;
  /** The current file may end in part of a line: read its end before writing to it again. */
  #suspect = false;
  #draining = false;
  /** When the last write started (performance.now()). */
  #lastWriteAt = Number.NEGATIVE_INFINITY;
  #dirty = false;
  #failing: { since: number; code: string; retry: number } | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #dropped: { count: number; firstAt: string; lastAt: string; reason: string } | undefined;
  #sinceCheckpoint = 0;
  readonly #timers: NodeJS.Timeout[] = [];
  #waiters: Waiter[] = [];
  #retaining = false;
  #closed = false;
  #closing: Promise<boolean> | undefined;

  constructor(o: ResolvedAuditLogOptions) {
    this.#o = o;
    this.#keyId = o.checkpoint === undefined ? undefined : keyIdOf(o.checkpoint.privateKey);
    try {
      mkdirSync(o.dir, { recursive: true });
    } catch (err) {
      throw optionError('openAuditLog', 'dir', `could not be made (${codeOf(err)})`);
    }
    this.#lock = join(o.dir, `.${o.prefix}.lock`);
    takeLock(this.#lock);
    try {
      const head = findHead(o.dir, o.prefix);
      this.#seq = head.seq;
      this.#head = head.hash;
    } catch (err) {
      releaseLock(this.#lock);
      throw err;
    }
    this.#written = this.#seq - 1;
    const { checkpoint, fsync } = o;
    // The open record says how often this writer signs, so a verifier can tell a checkpoint removed (and the chain
    // mended around it) from one never made.
    const policy = checkpoint === undefined ? {} : { checkpointEvery: checkpoint.everyEvents, key: this.#keyId };
    this.#push(recordLine(this.#seq, this.#head, now(), 'open', { writer: `borderlink/${VERSION}`, ...policy }));
    if (checkpoint !== undefined) this.#every(checkpoint.everyMs, () => this.#sinceCheckpoint > 0 && this.#checkpoint());
    if (typeof fsync === 'object') this.#every(fsync.everyMs, () => void this.#syncIfDirty());
    this.#retain();
    this.#schedule();
  }

  get status(): AuditLogStatus {
    return {
      file: this.#file?.path,
      seq: this.#seq,
      buffered: this.#queue.length + this.#inFlight,
      dropped: this.#dropped?.count ?? 0,
      failing: this.#failing !== undefined,
      closed: this.#closed,
    };
  }

  readonly append = (event: AuditEvent): void => {
    try {
      if (this.#closed) return this.#drop('CLOSED');
      // Beyond the bound, the event is counted rather than kept (the gap and checkpoint records may pass it by a few).
      if (this.#queue.length + this.#inFlight >= this.#o.maxBufferedEvents) return this.#drop(this.#failing?.code ?? 'BUFFER_FULL');
      let text: string;
      try {
        text = canonical(event);
      } catch {
        // Not JSON (NaN, a cycle, a lone surrogate): a gap of one, so the log says an event is missing.
        return this.#drop('NOT_JSON', true);
      }
      // Longer than a reader takes (a UTF-8 byte count only when it could be): a gap of one too.
      if (text.length > MAX_EVENT_CHARS && Buffer.byteLength(text) > MAX_EVENT_BYTES) return this.#drop('TOO_LARGE', true);
      this.#settleGap();
      const at = now();
      this.#push(eventLine(this.#seq, this.#head, at, text));
      this.#afterRecord();
    } catch {
      // The sink's own failure must not fail a border check.
    }
  };

  /**
   * Gives the next record its place in the chain and queues it. With a key, a checkpoint follows the `everyEvents`-th
   * record since the last one at once: never more records than that between two checkpoints, which the verifier holds
   * the log to.
   */
  #push(line: string, isCheckpoint = false): void {
    this.#queue.push({ seq: this.#seq, line });
    this.#seq++;
    this.#head = lineHash(line);
    const cp = this.#o.checkpoint;
    if (!isCheckpoint && cp !== undefined && ++this.#sinceCheckpoint >= cp.everyEvents) this.#checkpoint();
  }

  #afterRecord(): void {
    this.#schedule();
  }

  #drop(reason: string, recordNow = false): void {
    const at = now();
    if (this.#dropped === undefined) {
      this.#dropped = { count: 0, firstAt: at, lastAt: at, reason };
      if (!recordNow && reason !== 'CLOSED') this.#notice({ type: 'dropping', reason, buffered: this.#queue.length + this.#inFlight });
    }
    this.#dropped.count++;
    this.#dropped.lastAt = at;
    if (recordNow) {
      this.#settleGap();
      this.#afterRecord();
    }
  }

  /** Records the events dropped since the last record, before the next one. */
  #settleGap(): void {
    const d = this.#dropped;
    if (d === undefined || this.#closed) return;
    this.#dropped = undefined;
    this.#push(recordLine(this.#seq, this.#head, now(), 'gap', { dropped: d.count, firstAt: d.firstAt, lastAt: d.lastAt, reason: d.reason }));
    this.#notice({ type: 'gap', dropped: d.count, reason: d.reason });
  }

  #checkpoint(): void {
    const cp = this.#o.checkpoint;
    if (cp === undefined) return;
    this.#sinceCheckpoint = 0;
    const at = now();
    const line = checkpointLine(this.#seq, this.#head, at, cp.privateKey, this.#keyId!);
    this.#push(line, true);
    this.#notice({ type: 'checkpoint', checkpoint: JSON.parse(line) as AuditCheckpoint });
    this.#schedule();
  }

  #every(ms: number, fn: () => unknown): void {
    const timer = setInterval(() => {
      try {
        fn();
      } catch {
        // A timer of the sink must not bring the process down.
      }
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  #notice(notice: AuditLogNotice): void {
    const listener = this.#o.onNotice;
    try {
      if (listener !== undefined) listener(notice);
      else if (notice.type === 'write-failed') process.emitWarning(`the audit log cannot write (${notice.code}); ${notice.buffered} records are held in memory and the sink keeps trying`, 'BorderlinkAuditWarning');
      else if (notice.type === 'dropping') process.emitWarning(`the audit log is dropping events (${notice.reason}): ${notice.buffered} records are held and no more fit; the log will record the gap`, 'BorderlinkAuditWarning');
      else if (notice.type === 'recovered') process.emitWarning(`the audit log writes again after ${notice.failedForMs} ms`, 'BorderlinkAuditWarning');
      else if (notice.type === 'gap') process.emitWarning(`the audit log dropped ${notice.dropped} ${notice.dropped === 1 ? 'event' : 'events'} (${notice.reason}) and records the gap`, 'BorderlinkAuditWarning');
    } catch {
      // The listener's failure is the integrator's.
    }
  }

  #schedule(): void {
    if (this.#draining || this.#failing !== undefined || this.#queue.length === 0) return;
    this.#draining = true;
    const wait = this.#lastWriteAt + this.#o.writeIntervalMs - performance.now();
    // After the current call's own work at least, and a write interval after the last write: the events of a burst go
    // out in one write and one sync (each write costs far more than the bytes it carries).
    if (wait <= 0) setImmediate(() => void this.#drain());
    else setTimeout(() => void this.#drain(), wait);
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      for (;;) {
        // After a failed write, what reached the file is taken out of the queue before anything is written again.
        if (this.#suspect) this.#inspect();
        if (this.#queue.length === 0) break;
        const wait = this.#lastWriteAt + this.#o.writeIntervalMs - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const batch = this.#queue;
        this.#queue = [];
        this.#inFlight = batch.length;
        this.#lastWriteAt = performance.now();
        try {
          await this.#write(batch);
        } catch (err) {
          this.#inFlight = 0;
          // Everything not known to be written goes back in front, in order.
          this.#queue = batch.filter((q) => q.seq > this.#written).concat(this.#queue);
          this.#fail(err);
          return;
        }
        this.#inFlight = 0;
        this.#written = batch[batch.length - 1]!.seq;
        this.#recovered();
        this.#wake();
      }
      // A retry that found everything already on disk (the write went through, its sync did not say so) recovers too.
      this.#recovered();
      this.#wake();
    } finally {
      this.#draining = false;
    }
    if (this.#queue.length > 0) this.#schedule();
  }

  async #write(batch: Queued[]): Promise<void> {
    const text = Buffer.from(`${batch.map((q) => q.line).join('\n')}\n`);
    const t = Date.now();
    const file = this.#file;
    if (file === undefined || this.#newFile || (this.#o.daily && utcDay(t) !== file.day) || (file.size > 0 && file.size + text.length > this.#o.maxBytes)) {
      await this.#rotate(batch[0]!.seq, t);
    }
    const current = this.#file!;
    this.#suspect = true;
    await writeAll(current.fd, text);
    current.size += text.length;
    this.#suspect = false;
    if (this.#o.fsync === 'batch') await sync(current.fd);
    else this.#dirty = true;
  }

  /** A new file for the records from `firstSeq` on; the old one is synced and closed, and retention runs. */
  async #rotate(firstSeq: number, t: number): Promise<void> {
    const old = this.#file;
    this.#file = undefined;
    if (old !== undefined) {
      if (this.#o.fsync !== 'never') await sync(old.fd).catch(() => undefined);
      closeQuietly(old.fd);
    }
    const day = utcDay(t);
    for (let n = 0; ; n++) {
      const name = fileName(this.#o.prefix, day, firstSeq, n);
      const path = join(this.#o.dir, name);
      let fd: number;
      try {
        fd = openSync(path, 'ax', 0o640);
      } catch (err) {
        if (codeOf(err) === 'EEXIST' && n < 1000) continue;
        throw err;
      }
      this.#file = { path, name, day, size: 0, fd };
      break;
    }
    this.#newFile = false;
    // The new name must survive a crash too: sync the folder's entry.
    if (this.#o.fsync !== 'never') syncDir(this.#o.dir);
    if (old !== undefined) this.#retain();
  }

  /**
   * After a failed write, what reached the current file: records up to its last complete line are written (taken out
   * of the queue by their seq), and a file that ends in part of a line is never written to again.
   */
  #inspect(): void {
    const file = this.#file;
    this.#suspect = false;
    if (file === undefined) return;
    try {
      const tail = readTail(file.path);
      file.size = tail.size;
      if (tail.last !== undefined) {
        const record: unknown = JSON.parse(tail.last.bytes.toString('utf8'));
        if (isRecord(record) && record.seq > this.#written) {
          this.#written = record.seq;
          this.#queue = this.#queue.filter((q) => q.seq > record.seq);
        }
      }
      if (tail.tornBytes > 0) this.#newFile = true;
    } catch {
      this.#newFile = true;
    }
  }

  #fail(err: unknown): void {
    const code = codeOf(err);
    this.#suspect = true;
    if (this.#failing === undefined) {
      this.#failing = { since: Date.now(), code, retry: 0 };
      this.#notice({ type: 'write-failed', code, buffered: this.#queue.length + this.#inFlight });
    } else {
      this.#failing.code = code;
    }
    for (const w of this.#waiters.splice(0)) w.resolve(false);
    const delay = RETRY_MS[Math.min(this.#failing.retry++, RETRY_MS.length - 1)]!;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#draining) void this.#drain();
    }, delay);
    if (!this.#closing) this.#retryTimer.unref();
  }

  #recovered(): void {
    const failing = this.#failing;
    if (failing === undefined) return;
    this.#failing = undefined;
    this.#notice({ type: 'recovered', failedForMs: Date.now() - failing.since });
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.seq <= this.#written) w.resolve(true);
      else still.push(w);
    }
    this.#waiters = still;
  }

  async #syncIfDirty(): Promise<boolean> {
    if (!this.#dirty || this.#file === undefined) return true;
    this.#dirty = false;
    try {
      await sync(this.#file.fd);
      return true;
    } catch {
      this.#dirty = true;
      return false;
    }
  }

  async flush(): Promise<boolean> {
    const target = this.#seq - 1;
    if (target > this.#written) {
      if (this.#failing !== undefined) return false;
      const written = await new Promise<boolean>((resolve) => {
        this.#waiters.push({ seq: target, resolve });
        this.#schedule();
      });
      if (!written) return false;
    }
    return this.#syncIfDirty();
  }

  /**
   * Removes the oldest files whose last record is older than the retention age, never the current one: first a
   * `retention` record naming each (its seqs and the hash of its last line, so a verifier can tell where the kept log
   * begins and why), then, once that record is on disk, the files.
   */
  #retain(): void {
    const maxAge = this.#o.retentionMs;
    if (maxAge === undefined || this.#retaining || this.#closed) return;
    this.#retaining = true;
    const cutoff = Date.now() - maxAge;
    const removed: (RemovedFile & { path: string })[] = [];
    try {
      for (const f of logFiles(this.#o.dir, this.#o.prefix)) {
        if (f.path === this.#file?.path) break;
        const tail = readTail(f.path);
        if (tail.last === undefined) break;
        const last: unknown = JSON.parse(tail.last.bytes.toString('utf8'));
        const first: unknown = JSON.parse((readHead(f.path) ?? Buffer.from('null')).toString('utf8'));
        if (!isRecord(last) || !isRecord(first) || !(Date.parse(last.at) < cutoff)) break;
        removed.push({ file: f.name, path: f.path, firstSeq: first.seq, lastSeq: last.seq, lastHash: lineHash(tail.last.bytes), lastAt: last.at });
      }
    } catch {
      // A file that cannot be read is kept: retention never removes what it could not describe.
    }
    if (removed.length === 0) {
      this.#retaining = false;
      return;
    }
    this.#push(
      recordLine(this.#seq, this.#head, now(), 'retention', {
        olderThan: new Date(cutoff).toISOString(),
        removed: removed.map(({ path: _path, ...r }) => r),
      }),
    );
    this.#afterRecord();
    void this.flush().then((ok) => {
      this.#retaining = false;
      if (!ok) return;
      const gone: string[] = [];
      for (const r of removed) {
        try {
          unlinkSync(r.path);
          gone.push(r.file);
        } catch {
          // Left in place: the verifier reads a file the chain says was removed as any other.
        }
      }
      if (gone.length > 0) this.#notice({ type: 'removed', files: gone });
    });
  }

  close(): Promise<boolean> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<boolean> {
    this.#settleGap();
    this.#push(recordLine(this.#seq, this.#head, now(), 'close', {}));
    // The close record is signed at once (unless it just was, as the everyEvents-th record): the log ends signed.
    if (this.#o.checkpoint !== undefined && this.#sinceCheckpoint > 0) this.#checkpoint();
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    // A sink failing at close gets one more try now rather than after its back-off.
    if (this.#failing !== undefined && !this.#draining) {
      if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
      this.#failing.retry = RETRY_MS.length;
      await this.#drain();
    }
    let ok = this.#failing === undefined ? await this.flush() : false;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    const file = this.#file;
    if (file !== undefined) {
      if (ok) ok = await sync(file.fd).then(() => true, () => false);
      closeQuietly(file.fd);
      this.#file = undefined;
    }
    releaseLock(this.#lock);
    return ok && this.#queue.length === 0;
  }
}

let lastMs = Number.NaN;
let lastIso = '';
/** The time of a record, made once per millisecond: under load many records share one, and the ISO text is costly. */
function now(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Where the chain stands in the files already in the folder: the last complete line of the newest file that has one. */
function findHead(dir: string, prefix: string): { seq: number; hash: string } {
  let files;
  try {
    files = logFiles(dir, prefix);
  } catch (err) {
    throw optionError('openAuditLog', 'dir', `could not be read (${codeOf(err)})`);
  }
  for (let i = files.length - 1; i >= 0; i--) {
    const tail = readTail(files[i]!.path);
    if (tail.last === undefined) continue;
    let record: unknown;
    try {
      record = JSON.parse(tail.last.bytes.toString('utf8'));
    } catch {
      record = undefined;
    }
    if (!isRecord(record)) {
      throw new ConfigError(
        `openAuditLog: the last line of ${files[i]!.name} is not a record of the log, so the chain cannot go on from it: verify the log (borderlink audit verify) and move the damaged file out of the folder`,
      );
    }
    return { seq: record.seq + 1, hash: lineHash(tail.last.bytes) };
  }
  return { seq: 0, hash: GENESIS };
}

function writeAll(fd: number, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      write(fd, data, offset, data.length - offset, null, (err, n) => {
        if (err) return reject(err);
        if (offset + n >= data.length) return resolve();
        step(offset + n);
      });
    };
    step(0);
  });
}

function sync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsync(fd, () => closeQuietly(fd));
    } catch {
      closeQuietly(fd);
    }
  } catch {
    // Some systems cannot open a folder to sync it; the file's own data is still synced.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing is best effort once the data is written.
  }
}
