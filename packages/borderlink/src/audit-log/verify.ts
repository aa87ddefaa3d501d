// The verifier: reads the log's files in the chain's order and reports the first link that does not hold, by file,
// line and byte offset, never by what the line says (an audit log holds who searched for what).
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ConfigError } from '../errors/index';
import { optionError } from '../internal/options';
import { MAX_LINE_BYTES, fileLines, readHead, type FileLine } from './files';
import { resolveVerifyOptions, type AuditCheckpoint, type VerifyAuditLogOptions } from './options';
import { GENESIS, checkpointVerifies, isRecord, keyIdOf, lineHash, parseFileName, referenceCanonical } from './record';

/** Where a line is: the file (as given, or joined to the folder given), its line from 1, and its first byte from 0. */
export interface AuditLogPosition {
  file: string;
  line: number;
  offset: number;
}

/**
 * Why the chain breaks at a line:
 * - `unreadable`: the line is not a record (not JSON, or without `seq`, `prev`, `at` and `type`);
 * - `not-canonical`: a record, but not in the canonical form the log writes: it was edited;
 * - `changed`: the line after it does not carry its hash: this line was changed (or, when `line` is the later of the
 *   two and the one after it cannot tell, one of the two);
 * - `lines-missing`: a record where an earlier one was expected: records were removed before it;
 * - `reordered`: a record where an earlier one was expected, and the expected one comes later: lines were moved;
 * - `file-missing`: a file starts where a later record was expected: a file of the rotation is missing;
 * - `start-missing`: the log starts after its first record, and no retention record in it says why;
 * - `bad-checkpoint`: a checkpoint whose signature does not verify under the public key;
 * - `checkpoint-key`: a checkpoint signed with another key than the public key given;
 * - `checkpoint-missing`: more records since the last checkpoint than the writer's `open` record says it leaves
 *   between two, or a `close` not followed by one: checkpoints were removed (and the chain mended around them);
 * - `checkpoint-not-found`: a checkpoint given in `checkpoints` (kept away from the log) is not in it as it was
 *   signed: the log was cut short before it, or rewritten.
 */
export type AuditLogBreakReason =
  | 'unreadable'
  | 'not-canonical'
  | 'changed'
  | 'lines-missing'
  | 'reordered'
  | 'file-missing'
  | 'start-missing'
  | 'bad-checkpoint'
  | 'checkpoint-key'
  | 'checkpoint-missing'
  | 'checkpoint-not-found';

/** The first link that does not hold. */
export interface AuditLogBreak extends AuditLogPosition {
  reason: AuditLogBreakReason;
  /** The seq the chain expected here, and the one the line has (for the seq reasons). */
  expectedSeq?: number;
  foundSeq?: number;
  /** One sentence on what is wrong, with positions and seqs only. */
  explanation: string;
}

/**
 * What {@link verifyAuditLog} found.
 * @example
 * ```ts
 * { ok: true, files: 3, records: 1204,
 *   checkpoints: { verified: 2, unverified: 0, last: { file: 'audit/audit-20250601-1001.jsonl', line: 203, offset: 81_920, seq: 1203 }, afterLast: 0, found: 0 },
 *   last: { file: 'audit/audit-20250601-1001.jsonl', line: 204, offset: 82_304, seq: 1204, at: '2025-06-01T10:00:00.000Z' },
 *   cutOff: [], gaps: { records: 0, dropped: 0 }, removed: 0, closed: true }
 * ```
 */
export interface AuditLogReport {
  /** Every complete line links to the one before it and every checkpoint verifies (checked ones, with a key). */
  ok: boolean;
  files: number;
  /** Complete records read in order up to the end, or up to the first break. */
  records: number;
  /**
   * Checkpoints verified under the public key, those not checked (no key given), the last one verified, the kept ones
   * (`checkpoints` of the options) found as they were signed, and how many records
   * follow it: those the chain alone vouches for (the end of a log can be cut away unseen, up to its last checkpoint;
   * compare with a checkpoint kept elsewhere, `checkpoints` of the options).
   */
  checkpoints: { verified: number; unverified: number; last?: AuditLogPosition & { seq: number }; afterLast: number; found: number };
  /** The first record read and the last record that holds. */
  first?: AuditLogPosition & { seq: number; at: string };
  last?: AuditLogPosition & { seq: number; at: string };
  /** The first broken link. */
  broken?: AuditLogBreak;
  /**
   * The log ends in a line cut off (a writer stopped mid-write: killed, or the machine lost power): everything up to
   * `last` verifies, and this is where the log stops.
   */
  endsCutOff?: AuditLogPosition;
  /**
   * Lines cut off inside the log, each at the end of a file whose next file carries the chain on from the last
   * complete line (a writer stopped mid-write, and the log was opened again).
   */
  cutOff: AuditLogPosition[];
  /** `gap` records: events the sink could not keep (a disk that refused them beyond the buffer), and how many. */
  gaps: { records: number; dropped: number };
  /** Files the chain says retention removed. */
  removed: number;
  /** The last writer closed the log (its last records are `close` and, with a key, a checkpoint). */
  closed: boolean;
}

interface LogInput {
  path: string;
  sortSeq: number;
}

/**
 * Verifies an audit log written by `openAuditLog`: its files (or folders holding them), read in the chain's order.
 * Reports the first broken link by position, never by content.
 * @throws {ConfigError} for a wrong option, a path that does not exist or cannot be read, or no log file at all.
 * @example
 * ```ts
 * import { verifyAuditLog } from 'borderlink/audit';
 * const report = await verifyAuditLog(['./audit'], { publicKey: process.env.AUDIT_PUBLIC_KEY });
 * if (!report.ok) console.error(report.broken?.explanation);
 * ```
 */
export async function verifyAuditLog(paths: readonly string[], options?: VerifyAuditLogOptions): Promise<AuditLogReport> {
  const { publicKey, prefix, checkpoints } = resolveVerifyOptions(options);
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p !== '')) {
    throw optionError('verifyAuditLog', 'paths', 'must list the log files or folders');
  }
  const files = collect(paths, prefix);
  return new Verifier(publicKey, checkpoints).run(files);
}

function collect(paths: readonly string[], prefix: string | undefined): LogInput[] {
  const inputs: LogInput[] = [];
  paths.forEach((path, i) => {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw optionError('verifyAuditLog', ['paths', i], 'does not exist or cannot be read');
    }
    if (!isDir) {
      inputs.push({ path, sortSeq: sortSeqOf(path, parseFileName(path.split(/[\\/]/).pop() ?? '')?.firstSeq) });
      return;
    }
    const names = readdirSync(path).filter((n) => {
      const parsed = parseFileName(n);
      return parsed !== undefined && (prefix === undefined || parsed.prefix === prefix);
    });
    const prefixes = new Set(names.map((n) => parseFileName(n)!.prefix));
    if (prefixes.size > 1) {
      throw optionError('verifyAuditLog', 'prefix', `is needed: folder paths.${i} holds the files of ${prefixes.size} logs (${[...prefixes].sort().join(', ')})`);
    }
    for (const n of names) inputs.push({ path: join(path, n), sortSeq: sortSeqOf(join(path, n), parseFileName(n)!.firstSeq) });
  });
  if (inputs.length === 0) throw new ConfigError('verifyAuditLog: no audit log file among the paths');
  // The chain's order, whatever the files are called: the seq of each file's first record, or its name's when that
  // line cannot be read (the line is then reported as it comes).
  return inputs.sort((a, b) => a.sortSeq - b.sortSeq || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function sortSeqOf(path: string, fromName: number | undefined): number {
  try {
    const head = readHead(path);
    if (head !== undefined) {
      const record: unknown = JSON.parse(head.toString('utf8'));
      if (isRecord(record)) return record.seq;
    }
  } catch {
    // Read as it comes.
  }
  return fromName ?? Number.MAX_SAFE_INTEGER;
}

interface Line extends FileLine {
  pos: AuditLogPosition;
}

async function* allLines(files: readonly LogInput[]): AsyncGenerator<Line> {
  for (const f of files) {
    let line = 0;
    let lines: AsyncGenerator<FileLine>;
    try {
      lines = fileLines(f.path);
    } catch {
      throw new ConfigError('verifyAuditLog: a log file could not be read');
    }
    for await (const l of lines) yield { ...l, pos: { file: f.path, line: ++line, offset: l.offset } };
  }
}

class Verifier {
  readonly #publicKey: KeyObject | undefined;
  readonly #keyId: string | undefined;
  /** The checkpoints kept away from the log, by seq: each must be found in it as it was signed. */
  readonly #kept: Map<number, AuditCheckpoint>;

  constructor(publicKey: KeyObject | undefined, kept: readonly AuditCheckpoint[]) {
    this.#publicKey = publicKey;
    this.#keyId = publicKey === undefined ? undefined : keyIdOf(publicKey);
    this.#kept = new Map(kept.map((c) => [c.seq, c]));
  }

  async run(files: LogInput[]): Promise<AuditLogReport> {
    const report: AuditLogReport = {
      ok: true,
      files: files.length,
      records: 0,
      checkpoints: { verified: 0, unverified: 0, afterLast: 0, found: 0 },
      cutOff: [],
      gaps: { records: 0, dropped: 0 },
      removed: 0,
      closed: false,
    };
    const lines = allLines(files);
    let ahead: IteratorResult<Line> | undefined;
    const next = async (): Promise<IteratorResult<Line>> => {
      if (ahead !== undefined) {
        const a = ahead;
        ahead = undefined;
        return a;
      }
      return lines.next();
    };
    const peek = async (): Promise<IteratorResult<Line>> => (ahead ??= await lines.next());
    const fail = (pos: AuditLogPosition, reason: AuditLogBreakReason, explanation: string, seqs: { expectedSeq?: number; foundSeq?: number } = {}): AuditLogReport => {
      report.ok = false;
      report.broken = { ...pos, reason, ...seqs, explanation };
      return report;
    };
    const where = (p: AuditLogPosition) => `line ${p.line} of ${p.file}`;

    let expect: number | undefined;
    let prevHash = GENESIS;
    let prevPos: AuditLogPosition | undefined;
    let start: { seq: number; prev: string; pos: AuditLogPosition } | undefined;
    const removedEnds = new Set<string>();
    let cut: AuditLogPosition | undefined;
    let closed = false;
    let beforeLast: AuditLogReport['last'];
    // The signing policy of the session (from its open record): at most `every` records between two checkpoints.
    let every: number | undefined;
    let since = 0;
    let afterClose: AuditLogPosition | undefined;
    const kept = this.#kept;

    try {
      for (let r = await next(); r.done !== true; r = await next()) {
        const l = r.value;
        if (l.overlong === true) return fail(l.pos, 'unreadable', `${where(l.pos)} is longer than any record the log writes (${MAX_LINE_BYTES} bytes): it is not a record of the log`);
        if (!l.complete) {
          cut = l.pos;
          continue;
        }
        const text = l.bytes.toString('utf8');
        let record: unknown;
        try {
          record = JSON.parse(text);
        } catch {
          record = undefined;
        }
        if (!isRecord(record)) return fail(l.pos, 'unreadable', `${where(l.pos)} is not a record of the log`);
        let canonicalText: string | undefined;
        try {
          canonicalText = referenceCanonical(record);
        } catch {
          canonicalText = undefined;
        }
        if (canonicalText !== text) return fail(l.pos, 'not-canonical', `${where(l.pos)} is not in the canonical form the log writes: it was edited`);

        if (expect === undefined) {
          if (record.seq === 0 && record.prev !== GENESIS) return fail(l.pos, 'changed', `${where(l.pos)} is the first record but does not start the chain: it was changed`);
          if (record.seq !== 0) start = { seq: record.seq, prev: record.prev, pos: l.pos };
          report.first = { ...l.pos, seq: record.seq, at: record.at };
        } else {
          if (record.seq !== expect) {
            const seqs = { expectedSeq: expect, foundSeq: record.seq };
            if (l.pos.line === 1 && record.seq > expect) {
              return fail(l.pos, 'file-missing', `${l.pos.file} starts at record ${record.seq} where record ${expect} was expected: a file of the log is missing before it`, seqs);
            }
            if (record.seq > expect && !(await comesNext(expect, peek))) {
              return fail(l.pos, 'lines-missing', `${where(l.pos)} is record ${record.seq} where record ${expect} was expected: ${record.seq - expect} records are missing before it`, seqs);
            }
            return fail(l.pos, 'reordered', `${where(l.pos)} is record ${record.seq} where record ${expect} was expected: lines were moved`, seqs);
          }
          if (record.prev !== prevHash) {
            // Which of the two lines changed: this one is intact when the line after it carries its hash.
            const after = await peek();
            const intact = after.done !== true && after.value.complete && linksTo(after.value.bytes, lineHash(l.bytes));
            if (intact && prevPos !== undefined) {
              // The changed line is no longer counted as verified.
              report.records--;
              if (beforeLast === undefined) delete report.last;
              else report.last = beforeLast;
              return fail(prevPos, 'changed', `${where(prevPos)} was changed: the line after it does not carry its hash`);
            }
            return fail(l.pos, 'changed', `${where(l.pos)} does not carry the hash of the line before it: one of the two was changed`);
          }
        }
        if (cut !== undefined) {
          // The line cut off at the end of the last file was never a record: the chain goes on from the line before it.
          report.cutOff.push(cut);
          cut = undefined;
        }

        if (afterClose !== undefined && record.type !== 'checkpoint') {
          return fail(afterClose, 'checkpoint-missing', `the close record at ${where(afterClose)} is not followed by the checkpoint its writer signs it with: it was removed`);
        }
        afterClose = undefined;
        if (record.type === 'open') {
          every = Number.isSafeInteger(record.checkpointEvery) && (record.checkpointEvery as number) >= 1 ? (record.checkpointEvery as number) : undefined;
          since = 0;
        }
        if (record.type === 'checkpoint') {
          since = 0;
          report.checkpoints.afterLast = 0;
        } else {
          report.checkpoints.afterLast++;
          if (every !== undefined && ++since > every) {
            return fail(l.pos, 'checkpoint-missing', `${where(l.pos)} is record ${since} since the last checkpoint, where its writer signs every ${every}: a checkpoint was removed`);
          }
          if (every !== undefined && record.type === 'close') afterClose = l.pos;
        }
        const keptHere = kept.get(record.seq);
        if (keptHere !== undefined) {
          if (record.type !== 'checkpoint' || !sameCheckpoint(record, keptHere)) {
            return fail(l.pos, 'checkpoint-not-found', `${where(l.pos)} is record ${record.seq}, which is not the checkpoint kept for it: the log was rewritten`);
          }
          kept.delete(record.seq);
          report.checkpoints.found++;
        }

        if (record.type === 'checkpoint') {
          const broken = this.#checkpoint(record, l.pos, report);
          if (broken !== undefined) return fail(l.pos, broken.reason, broken.explanation);
        } else if (record.type === 'retention') {
          for (const removed of Array.isArray(record.removed) ? (record.removed as unknown[]) : []) {
            const r2 = removed as { lastSeq?: unknown; lastHash?: unknown };
            if (typeof r2.lastSeq === 'number' && typeof r2.lastHash === 'string') removedEnds.add(`${r2.lastSeq}:${r2.lastHash}`);
            report.removed++;
          }
        } else if (record.type === 'gap') {
          report.gaps.records++;
          if (typeof record.dropped === 'number') report.gaps.dropped += record.dropped;
        }
        closed = record.type === 'close' || (closed && record.type === 'checkpoint');

        prevHash = lineHash(l.bytes);
        prevPos = l.pos;
        expect = record.seq + 1;
        report.records++;
        beforeLast = report.last;
        report.last = { ...l.pos, seq: record.seq, at: record.at };
      }
    } finally {
      await lines.return(undefined);
    }
    if (cut !== undefined) report.endsCutOff = cut;
    report.closed = closed && cut === undefined;
    if (afterClose !== undefined) {
      return fail(afterClose, 'checkpoint-missing', `the close record at ${where(afterClose)} is not followed by the checkpoint its writer signs it with: it was removed`);
    }
    if (kept.size > 0) {
      const seq = Math.min(...kept.keys());
      const end = report.last ?? { file: files[files.length - 1]!.path, line: 0, offset: 0 };
      return fail(end, 'checkpoint-not-found', `the log ends at record ${report.last?.seq ?? -1} (${where(end)}), before the checkpoint kept for record ${seq}: its end was cut away`, {
        expectedSeq: seq,
      });
    }
    if (start !== undefined && !removedEnds.has(`${start.seq - 1}:${start.prev}`)) {
      return fail(start.pos, 'start-missing', `the log starts at record ${start.seq} (${where(start.pos)}) and no retention record in it says the records before it were removed: files are missing`, {
        expectedSeq: 0,
        foundSeq: start.seq,
      });
    }
    return report;
  }

  #checkpoint(record: Record<string, unknown>, pos: AuditLogPosition, report: AuditLogReport): { reason: AuditLogBreakReason; explanation: string } | undefined {
    const publicKey = this.#publicKey;
    const at = `the checkpoint at line ${pos.line} of ${pos.file}`;
    if (typeof record.key !== 'string' || typeof record.sig !== 'string') return { reason: 'bad-checkpoint', explanation: `${at} has no key id or signature` };
    if (publicKey === undefined) {
      report.checkpoints.unverified++;
      return undefined;
    }
    if (record.key !== this.#keyId) {
      return { reason: 'checkpoint-key', explanation: `${at} was signed with another key (${/^[0-9a-f]{32}$/.test(record.key) ? record.key : 'an unknown id'}) than the public key given (${this.#keyId})` };
    }
    if (!checkpointVerifies(record, publicKey)) return { reason: 'bad-checkpoint', explanation: `${at} does not verify under the public key: it was changed or forged` };
    report.checkpoints.verified++;
    report.checkpoints.last = { ...pos, seq: record.seq as number };
    return undefined;
  }
}

/** Whether a checkpoint record is the one kept: the same head, time, key and signature. */
function sameCheckpoint(record: Record<string, unknown>, kept: AuditCheckpoint): boolean {
  return record.prev === kept.prev && record.at === kept.at && record.key === kept.key && record.sig === kept.sig;
}

/** Whether the record `seq` is the next line (two lines swapped), so the one found is out of order rather than early. */
async function comesNext(seq: number, peek: () => Promise<IteratorResult<Line>>): Promise<boolean> {
  const after = await peek();
  if (after.done === true || !after.value.complete) return false;
  try {
    const record: unknown = JSON.parse(after.value.bytes.toString('utf8'));
    return isRecord(record) && record.seq === seq;
  } catch {
    return false;
  }
}

function linksTo(bytes: Buffer, hash: string): boolean {
  try {
    const record: unknown = JSON.parse(bytes.toString('utf8'));
    return isRecord(record) && record.prev === hash;
  } catch {
    return false;
  }
}
