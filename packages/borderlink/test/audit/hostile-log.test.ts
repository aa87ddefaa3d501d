// The verifier against someone who edits the log with care: checkpoints removed and the chain mended around them, the
// last checkpoint cut away, the end of the log cut away before a checkpoint kept elsewhere, and a forged record that
// would make the verifier repeat what it holds. Each is found, by position, and nothing of the lines is repeated.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditLog, type AuditCheckpoint, type AuditLogNotice } from 'borderlink/audit';
import { PLANTED, auditEvent, keyPair, linesOf, logFilesIn, scratch, writeLines } from './fixtures';

const keys = keyPair();
const folders: ReturnType<typeof scratch>[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) f.remove();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A closed log of `n` events in one file, signed every 10 records; its file and the checkpoints onNotice gave. */
async function signedLog(n: number): Promise<{ dir: string; file: string; kept: AuditCheckpoint[] }> {
  const f = scratch();
  folders.push(f);
  const kept: AuditCheckpoint[] = [];
  const onNotice = (notice: AuditLogNotice) => void (notice.type === 'checkpoint' && kept.push(notice.checkpoint));
  const log = openAuditLog({ dir: f.dir, checkpoint: { privateKey: keys.privateKey, everyEvents: 10 }, onNotice });
  for (let i = 0; i < n; i++) log.append(auditEvent(i));
  expect(await log.close()).toBe(true);
  const [file, ...others] = logFilesIn(f.dir);
  expect(others).toEqual([]);
  return { dir: f.dir, file: file!, kept };
}

/** The lines again as a writer would have written them: each record numbered in order and linked to the one before. */
function mend(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const record = JSON.parse(line) as Record<string, unknown>;
    if (out.length > 0) {
      const before = JSON.parse(out[out.length - 1]!) as { seq: number };
      record.seq = before.seq + 1;
      record.prev = sha256(out[out.length - 1]!);
    }
    out.push(canonicalize(record)!);
  }
  return out;
}

const isCheckpoint = (line: string) => (JSON.parse(line) as { type: string }).type === 'checkpoint';
const positionsOnly = (report: object) => {
  expect(JSON.stringify(report)).not.toContain(PLANTED);
  expect(JSON.stringify(report)).not.toContain('officer-0042');
};

describe('the verifier against careful edits', () => {
  it('finds checkpoints removed and the chain mended around them', async () => {
    const { dir, file } = await signedLog(60);
    const lines = linesOf(file);
    const third = lines.map((l, i) => (isCheckpoint(l) ? i : -1)).filter((i) => i >= 0)[2]!;
    // Every checkpoint from the third on goes (they cannot be signed again), and the lines after are mended.
    writeLines(file, mend([...lines.slice(0, third), ...lines.slice(third).filter((l) => !isCheckpoint(l))]));
    const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
    expect(report.ok).toBe(false);
    // The record after the tenth since the last checkpoint: where the next one should have been.
    expect(report.broken).toMatchObject({ reason: 'checkpoint-missing', file, line: third + 1 });
    positionsOnly(report);
    // The key is not needed to see that checkpoints are missing.
    expect((await verifyAuditLog([dir])).broken).toMatchObject({ reason: 'checkpoint-missing', line: third + 1 });
  });

  it('finds a closed log whose last checkpoint was cut away', async () => {
    const { dir, file } = await signedLog(25);
    const lines = linesOf(file);
    expect(isCheckpoint(lines[lines.length - 1]!)).toBe(true);
    writeLines(file, lines.slice(0, -1));
    const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
    expect(report.broken).toMatchObject({ reason: 'checkpoint-missing', file, line: lines.length - 1 });
  });

  it('finds the end of a log cut away before a checkpoint kept elsewhere, and a kept checkpoint the log no longer holds as signed', async () => {
    const { dir, file, kept } = await signedLog(60);
    const lines = linesOf(file);
    // Cut right after a checkpoint: the chain and the signing rule alone cannot tell the log ended there.
    const cut = lines.map((l, i) => (isCheckpoint(l) ? i : -1)).filter((i) => i >= 0)[3]!;
    writeLines(file, lines.slice(0, cut + 1));
    const alone = await verifyAuditLog([dir], { publicKey: keys.publicKey });
    expect(alone).toMatchObject({ ok: true, closed: false, checkpoints: { afterLast: 0 } });
    // The checkpoints kept away from the log can.
    const report = await verifyAuditLog([dir], { publicKey: keys.publicKey, checkpoints: kept });
    expect(report.broken).toMatchObject({ reason: 'checkpoint-not-found', file, line: cut + 1, expectedSeq: kept[4]!.seq });
    expect(report.checkpoints.found).toBe(4);
    positionsOnly(report);

    // A kept checkpoint whose seq now holds another line: the log was rewritten.
    writeLines(file, lines);
    const forged = { ...kept[1]!, sig: Buffer.alloc(64, 7).toString('base64') };
    expect((await verifyAuditLog([dir], { checkpoints: [forged] })).broken).toMatchObject({ reason: 'checkpoint-not-found', line: forged.seq + 1 });
    expect(await verifyAuditLog([dir], { publicKey: keys.publicKey, checkpoints: kept })).toMatchObject({ ok: true, checkpoints: { found: kept.length } });
  });

  it('reports a record whose time is not one the writer writes as unreadable, and repeats none of it', async () => {
    const f = scratch();
    folders.push(f);
    // A log forged whole, canonical and chained: its `at` holds a terminal escape and a name.
    const hostile = '\u001b]0;ERIKSSON\u0007\u001b[2J';
    const open = canonicalize({ seq: 0, prev: '0'.repeat(64), at: hostile, type: 'open', writer: 'borderlink/0.1.0' })!;
    const close = canonicalize({ seq: 1, prev: sha256(open), at: hostile, type: 'close' })!;
    const file = f.path('audit-20250601-000000000000.jsonl');
    writeFileSync(file, `${open}\n${close}\n`);
    const report = await verifyAuditLog([f.dir]);
    expect(report.broken).toMatchObject({ reason: 'unreadable', file, line: 1 });
    expect(JSON.stringify(report)).not.toContain('ERIKSSON');
    expect(JSON.stringify(report)).not.toContain('\\u001b');
  });

  it('refuses a kept checkpoint that is not one, naming the option', async () => {
    const { dir } = await signedLog(1);
    await expect(verifyAuditLog([dir], { checkpoints: [{ seq: 1, prev: PLANTED } as unknown as AuditCheckpoint] })).rejects.toThrow(/option `checkpoints\.0/);
    await expect(verifyAuditLog([dir], { checkpoints: [{ seq: 1, prev: PLANTED } as unknown as AuditCheckpoint] })).rejects.not.toThrow(PLANTED);
  });
});

describe('lines longer than any record', () => {
  it('stop the verifier at their position, without holding them, with or without a line break after', async () => {
    for (const rest of ['the lines after it', 'nothing: the file ends in it']) {
      const { dir, file } = await signedLog(5);
      const lines = linesOf(file);
      // Three MiB of one line (what a file given by anyone may hold): a cut-off end of that size is no writer's either.
      const long = `{"seq":${'9'.repeat(3 << 20)}}`;
      writeFileSync(file, rest === 'nothing: the file ends in it' ? `${lines.slice(0, 2).join('\n')}\n${long}` : [...lines.slice(0, 2), long, ...lines.slice(2)].map((l) => `${l}\n`).join(''));
      const report = await verifyAuditLog([dir]);
      expect(report.ok).toBe(false);
      expect(report.broken).toMatchObject({ reason: 'unreadable', line: 3 });
      expect(report.broken!.explanation).toContain('longer than any record');
      positionsOnly(report);
    }
  });

  it('are never written: an event too large for a line is a gap of one, and the log verifies', async () => {
    const f = scratch();
    folders.push(f);
    const notices: AuditLogNotice[] = [];
    const log = openAuditLog({ dir: f.dir, onNotice: (n) => void notices.push(n) });
    log.append(auditEvent(0));
    log.append({ ...auditEvent(1), operatorId: `${PLANTED}${'x'.repeat(2 << 20)}` });
    log.append(auditEvent(2));
    expect(await log.close()).toBe(true);
    const report = await verifyAuditLog([f.dir]);
    expect(report.ok).toBe(true);
    expect(report.gaps).toEqual({ records: 1, dropped: 1 });
    const [file] = logFilesIn(f.dir);
    const records = linesOf(file!).map((l) => JSON.parse(l) as { type: string; reason?: string });
    expect(records.filter((r) => r.type === 'gap')).toEqual([expect.objectContaining({ reason: 'TOO_LARGE', dropped: 1 })]);
    expect(records.filter((r) => r.type === 'event')).toHaveLength(2);
    expect(JSON.stringify(notices)).not.toContain(PLANTED);
  });
});

describe('the lock of a log folder', () => {
  const lockOf = (dir: string) => join(dir, '.audit.lock');
  const start = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
  };

  it('is taken over when its pid now names another process (the system reused it), and refused while its writer runs', async () => {
    const f = scratch();
    folders.push(f);
    // A live process, but not the one that wrote the lock: it started at another time.
    writeFileSync(lockOf(f.dir), `${process.ppid} 1`);
    const log = openAuditLog({ dir: f.dir });
    expect(await log.close()).toBe(true);
    // The same pid with the time its process really started: that writer runs.
    writeFileSync(lockOf(f.dir), `${process.ppid} ${start(process.ppid)}`);
    expect(() => openAuditLog({ dir: f.dir })).toThrow(/another process \(pid \d+\) writes the audit log/);
    // A lock of the older form, a pid alone, of a live process: refused too.
    writeFileSync(lockOf(f.dir), String(process.ppid));
    expect(() => openAuditLog({ dir: f.dir })).toThrow(/another process/);
  });

  it('sweeps the files a writer killed while taking the lock left beside it, and keeps those of a live process', async () => {
    const f = scratch();
    folders.push(f);
    // A pid that named a process now gone.
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const gone = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)));
    const left = [`.audit.lock.${gone}.0123456789ab.new`, `.audit.lock.${gone}.ba9876543210.stale`];
    const live = `.audit.lock.${process.ppid}.00000000abcd.new`;
    const unrelated = 'notes.txt';
    for (const name of [...left, live, unrelated]) writeFileSync(join(f.dir, name), '1 1');
    const log = openAuditLog({ dir: f.dir });
    const names = readdirSync(f.dir);
    for (const name of left) expect(names).not.toContain(name);
    expect(names).toContain(live);
    expect(names).toContain(unrelated);
    expect(await log.close()).toBe(true);
  });

  it('is given to one of several processes taking over a dead writer\'s lock at once, never to two', async () => {
    const f = scratch();
    folders.push(f);
    const entry = new URL('../../dist/audit/index.js', import.meta.url).href;
    const script = `import { openAuditLog } from ${JSON.stringify(entry)};
      try { const log = openAuditLog({ dir: process.argv[1] }); process.stdout.write('took'); setTimeout(() => void log.close(), 1500); }
      catch (e) { process.stdout.write(/another process/.test(e.message) ? 'refused' : 'failed ' + e.message); }`;
    for (let round = 0; round < 3; round++) {
      // A writer killed before it could close: its pid is gone.
      writeFileSync(lockOf(f.dir), '999999999 1');
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script, f.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.on('error', reject);
            child.on('exit', () => resolve(out));
          }),
        ),
      );
      expect(outcomes.filter((o) => o === 'took'), outcomes.join(',')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'refused')).toHaveLength(3);
    }
  }, 30_000);
});
