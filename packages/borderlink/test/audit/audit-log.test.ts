// The audit log as a supervisory authority relies on it: canonical, hash-chained lines across rotated files, and a
// verifier that finds one byte changed, a line deleted, two lines swapped, a rotated file dropped and a checkpoint
// that does not verify, each by its position, never its content.
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, unlinkSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditLog, type AuditLog, type AuditLogNotice, type AuditLogOptions } from 'borderlink/audit';
import { PLANTED, auditEvent, keyPair, linesOf, logFilesIn, scratch, writeLines } from './fixtures';

const keys = keyPair();
const folders: ReturnType<typeof scratch>[] = [];
const logs: AuditLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((l) => l.close()));
  for (const f of folders.splice(0)) f.remove();
});

function folder(): ReturnType<typeof scratch> {
  const f = scratch();
  folders.push(f);
  return f;
}

/** A log of `n` events in `dir`, closed; with a small `maxBytes` it spans several files. */
async function writeLog(dir: string, n: number, options: Partial<AuditLogOptions> = {}): Promise<void> {
  const log = openAuditLog({ dir, checkpoint: { privateKey: keys.privateKey, everyEvents: 10 }, ...options });
  for (let i = 0; i < n; i++) {
    log.append(auditEvent(i));
    // Several batches, so a small maxBytes rotates between them.
    if (i % 7 === 6) expect(await log.flush()).toBe(true);
  }
  expect(await log.close()).toBe(true);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the audit log', () => {
  it('writes each record as canonical JSON carrying the SHA-256 of the line before it, the first linked to zeros', async () => {
    const { dir } = folder();
    await writeLog(dir, 25);
    const [file, ...others] = logFilesIn(dir);
    expect(others).toEqual([]);
    const lines = linesOf(file!);
    const records = lines.map((l) => JSON.parse(l) as { seq: number; prev: string; type: string; event?: unknown });
    expect(records[0]).toMatchObject({ seq: 0, prev: '0'.repeat(64), type: 'open' });
    records.forEach((r, i) => {
      expect(r.seq).toBe(i);
      expect(canonicalize(r)).toBe(lines[i]);
      if (i > 0) expect(r.prev).toBe(sha256(lines[i - 1]!));
    });
    expect(records.filter((r) => r.type === 'event').map((r) => r.event)).toEqual(Array.from({ length: 25 }, (_, i) => auditEvent(i)));
    // A checkpoint every 10 records, and the last two records say the writer closed the log.
    expect(records.filter((r) => r.type === 'checkpoint').length).toBeGreaterThanOrEqual(3);
    expect(records.slice(-2).map((r) => r.type)).toEqual(['close', 'checkpoint']);
    const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
    expect(report).toMatchObject({ ok: true, files: 1, records: lines.length, closed: true, cutOff: [], removed: 0 });
    expect(report.checkpoints.verified).toBe(records.filter((r) => r.type === 'checkpoint').length);
  });

  it('carries the chain across rotated files and across a reopening', async () => {
    const { dir } = folder();
    await writeLog(dir, 40, { rotate: { maxBytes: 4096 } });
    await writeLog(dir, 5);
    const files = logFilesIn(dir);
    expect(files.length).toBeGreaterThan(3);
    for (let i = 1; i < files.length; i++) {
      const before = linesOf(files[i - 1]!);
      const first = JSON.parse(linesOf(files[i]!)[0]!) as { prev: string; seq: number };
      expect(first.prev).toBe(sha256(before[before.length - 1]!));
      expect(first.seq).toBe((JSON.parse(before[before.length - 1]!) as { seq: number }).seq + 1);
    }
    const report = await verifyAuditLog(files.slice().reverse(), { publicKey: keys.publicKey });
    expect(report).toMatchObject({ ok: true, files: files.length, closed: true });
  });

  describe('verification', () => {
    /** A closed log of 60 events over several files, and its files. */
    async function sample(): Promise<{ dir: string; files: string[] }> {
      const { dir } = folder();
      await writeLog(dir, 60, { rotate: { maxBytes: 4096 } });
      return { dir, files: logFilesIn(dir) };
    }

    const explained = (report: Awaited<ReturnType<typeof verifyAuditLog>>) => {
      // Positions and seqs only: nothing the lines hold.
      expect(JSON.stringify(report)).not.toContain(PLANTED);
      expect(JSON.stringify(report)).not.toContain('officer-0042');
      return report.broken;
    };

    it('finds one byte changed, at the line it is in', async () => {
      const { dir, files } = await sample();
      const file = files[1]!;
      const lines = linesOf(file);
      const at = lines.findIndex((l, i) => i > 0 && l.includes(PLANTED) && l.includes('"type":"event"'));
      expect(at).toBeGreaterThan(0);
      const line = lines[at]!;
      const i = line.indexOf(PLANTED);
      // L → M inside a string: still canonical JSON, so only the chain can tell.
      lines[at] = `${line.slice(0, i)}M${line.slice(i + 1)}`;
      writeLines(file, lines);
      const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
      expect(report.ok).toBe(false);
      expect(explained(report)).toMatchObject({ reason: 'changed', file, line: at + 1 });
    });

    it('finds a deleted line, at the line after the gap, with the seqs it expected and found', async () => {
      const { dir, files } = await sample();
      const file = files[1]!;
      const lines = linesOf(file);
      const seq = (JSON.parse(lines[3]!) as { seq: number }).seq;
      lines.splice(3, 1);
      writeLines(file, lines);
      const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
      expect(explained(report)).toMatchObject({ reason: 'lines-missing', file, line: 4, expectedSeq: seq, foundSeq: seq + 1 });
    });

    it('finds two lines swapped', async () => {
      const { dir, files } = await sample();
      const file = files[2]!;
      const lines = linesOf(file);
      [lines[2], lines[3]] = [lines[3]!, lines[2]!];
      writeLines(file, lines);
      const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
      expect(explained(report)).toMatchObject({ reason: 'reordered', file, line: 3 });
    });

    it('finds a rotated file dropped from the middle, and from the start', async () => {
      const middle = await sample();
      unlinkSync(middle.files[2]!);
      expect(explained(await verifyAuditLog([middle.dir], { publicKey: keys.publicKey }))).toMatchObject({ reason: 'file-missing', file: middle.files[3], line: 1 });
      const start = await sample();
      unlinkSync(start.files[0]!);
      expect(explained(await verifyAuditLog([start.dir], { publicKey: keys.publicKey }))).toMatchObject({ reason: 'start-missing', file: start.files[1], line: 1, expectedSeq: 0 });
    });

    it('finds a checkpoint whose signature was changed, and one signed with another key', async () => {
      const { dir, files } = await sample();
      const file = files.find((f) => linesOf(f).some((l) => l.includes('"type":"checkpoint"')))!;
      const lines = linesOf(file);
      const at = lines.findIndex((l) => l.includes('"type":"checkpoint"'));
      const record = JSON.parse(lines[at]!) as { sig: string };
      const sig = Buffer.from(record.sig, 'base64');
      sig[5] = sig[5]! ^ 1;
      lines[at] = lines[at]!.replace(record.sig, sig.toString('base64'));
      writeLines(file, lines);
      expect(explained(await verifyAuditLog([dir], { publicKey: keys.publicKey }))).toMatchObject({ reason: 'bad-checkpoint', file, line: at + 1 });

      const other = await sample();
      expect(explained(await verifyAuditLog([other.dir], { publicKey: keyPair().publicKey }))).toMatchObject({ reason: 'checkpoint-key' });
      // Without a key, the chain alone is checked and the checkpoints are counted as not checked.
      const unchecked = await verifyAuditLog([other.dir]);
      expect(unchecked.ok).toBe(true);
      expect(unchecked.checkpoints.verified).toBe(0);
      expect(unchecked.checkpoints.unverified).toBeGreaterThan(0);
    });

    it('finds a changed last record of a closed log: the final checkpoint signs it', async () => {
      const { dir, files } = await sample();
      const file = files[files.length - 1]!;
      const lines = linesOf(file);
      const last = lines[lines.length - 1]!;
      const i = last.indexOf('Z"');
      lines[lines.length - 1] = `${last.slice(0, i - 1)}${last[i - 1] === '1' ? '2' : '1'}${last.slice(i)}`;
      writeLines(file, lines);
      expect(explained(await verifyAuditLog([dir], { publicKey: keys.publicKey }))).toMatchObject({ reason: 'bad-checkpoint', file, line: lines.length });
    });

    it('finds a line that is not a record, and one edited out of the canonical form', async () => {
      const { dir, files } = await sample();
      const lines = linesOf(files[0]!);
      lines[4] = lines[4]!.replace('{', '{ ');
      writeLines(files[0]!, lines);
      expect(explained(await verifyAuditLog([dir], { publicKey: keys.publicKey }))).toMatchObject({ reason: 'not-canonical', line: 5 });
      lines[4] = 'not json';
      writeLines(files[0]!, lines);
      expect(explained(await verifyAuditLog([dir], { publicKey: keys.publicKey }))).toMatchObject({ reason: 'unreadable', line: 5 });
    });

    it('reads a log that ends in a line cut off as verified up to its last complete line, and says where it stops', async () => {
      const { dir, files } = await sample();
      const file = files[files.length - 1]!;
      const size = readFileSync(file).length;
      appendFileSync(file, '{"at":"2025-06-01T10:00:00.000Z","event":{"action":"CH');
      const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
      expect(report.ok).toBe(true);
      expect(report.endsCutOff).toEqual({ file, line: linesOf(file).length, offset: size });
      expect(report.last).toMatchObject({ file, line: linesOf(file).length - 1 });
      expect(report.closed).toBe(false);
    });
  });

  it('starts a new file after a line cut off, and the chain goes on from the last complete line', async () => {
    const { dir } = folder();
    await writeLog(dir, 12);
    const [file] = logFilesIn(dir);
    appendFileSync(file!, '{"at":"2025-06-01T1');
    await writeLog(dir, 3);
    const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
    expect(report).toMatchObject({ ok: true, files: 2, closed: true });
    expect(report.cutOff).toEqual([{ file, line: linesOf(file!).length, offset: expect.any(Number) }]);
  });

  it('refuses a second writer on one folder, and a key that is not Ed25519', async () => {
    const { dir } = folder();
    const log = openAuditLog({ dir });
    logs.push(log);
    expect(() => openAuditLog({ dir })).toThrow(/already writes the audit log in this folder/);
    expect(() => openAuditLog({ dir: `${dir}/other`, checkpoint: { privateKey: 'not a key' } })).toThrow(
      /openAuditLog: option `checkpoint.privateKey` must be an Ed25519 private key/,
    );
    expect(() => openAuditLog({ dir, rotate: { maxBytes: 10 } } as AuditLogOptions)).toThrow(/option `rotate.maxBytes` must be an integer from 4096/);
    expect(() => openAuditLog({ dir, fsync: 'sometimes' } as unknown as AuditLogOptions)).toThrow(/option `fsync`/);
    expect(() => openAuditLog({ dir, colour: 'red' } as unknown as AuditLogOptions)).toThrow(/option `colour` is not known/);
  });

  it('records events it could not serialise as a gap of one, so the log says an event is missing', async () => {
    const { dir } = folder();
    const notices: AuditLogNotice[] = [];
    const log = openAuditLog({ dir, onNotice: (n) => notices.push(n) });
    log.append(auditEvent(0));
    log.append({ ...auditEvent(1), durationMs: Number.NaN });
    log.append(auditEvent(2));
    await log.close();
    const types = linesOf(logFilesIn(dir)[0]!).map((l) => JSON.parse(l) as { type: string; dropped?: number; reason?: string });
    expect(types.map((t) => t.type)).toEqual(['open', 'event', 'gap', 'event', 'close']);
    expect(types[2]).toMatchObject({ dropped: 1, reason: 'NOT_JSON' });
    expect(await verifyAuditLog([dir])).toMatchObject({ ok: true, gaps: { records: 1, dropped: 1 } });
    expect(notices).toEqual([{ type: 'gap', dropped: 1, reason: 'NOT_JSON' }]);
  });

  it('gives each checkpoint to onNotice, to keep a copy away from the log', async () => {
    const { dir } = folder();
    const notices: AuditLogNotice[] = [];
    const log = openAuditLog({ dir, checkpoint: { privateKey: keys.privateKey, everyEvents: 5 }, onNotice: (n) => notices.push(n) });
    for (let i = 0; i < 12; i++) log.append(auditEvent(i));
    await log.close();
    const checkpoints = notices.filter((n) => n.type === 'checkpoint');
    expect(checkpoints.length).toBe(3);
    const lines = linesOf(logFilesIn(dir)[0]!);
    for (const n of checkpoints) expect(lines[n.checkpoint.seq]).toBe(canonicalize(n.checkpoint));
  });
});
