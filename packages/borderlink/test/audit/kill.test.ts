// A log written by a process killed with a real SIGKILL, in the middle of a write of many megabytes: it verifies up to
// its last complete line and says where it stops, and the next writer carries the chain on from there.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditLog, type AuditLogReport } from 'borderlink/audit';
import { auditEvent, keyPair, linesOf, logFilesIn, scratch } from './fixtures';

const child = fileURLToPath(new URL('./writer-child.ts', import.meta.url));
const keys = keyPair();
const tmp = scratch();
afterAll(() => tmp.remove());

const newestFile = (dir: string) => join(dir, readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort().pop()!);

/**
 * Runs the child on `dir` and kills it with SIGKILL as soon as its big write has begun (the newest file grows):
 * resolves with how many records the child knew to be on disk before.
 */
function runAndKill(dir: string): Promise<number> {
  const keyFile = `${dir}.key.pem`;
  writeFileSync(keyFile, keys.privateKey);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, keyFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    let written = 0;
    proc.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /^written (\d+)$/.exec(line);
      if (m !== null) written = Number(m[1]);
      if (line !== 'burst') return;
      const file = newestFile(dir);
      const size = statSync(file).size;
      const poll = () => (statSync(file).size > size ? proc.kill('SIGKILL') : setImmediate(poll));
      poll();
    });
    proc.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(written) : reject(new Error(`the child exited without being killed: ${errors}`))));
  });
}

describe('an audit log whose writer was killed with SIGKILL', () => {
  it('verifies up to its last complete line and says where it stops; the next writer carries the chain on', async () => {
    // A kill lands inside the write nearly always; a kill that lands between two writes leaves whole lines, which
    // must verify too. Up to three runs, until one leaves a line cut off.
    let report: AuditLogReport | undefined;
    let dir = '';
    for (let run = 0; run < 3 && report?.endsCutOff === undefined; run++) {
      dir = tmp.path(`killed-${run}`);
      const written = await runAndKill(dir);
      report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
      expect(report).toMatchObject({ ok: true, closed: false });
      expect(report.records).toBeGreaterThanOrEqual(written);
    }
    expect(report?.endsCutOff).toBeDefined();
    const stop = report!.endsCutOff!;
    const file = newestFile(dir);
    // The last complete line is the last record that holds; the line after it is where the log stops.
    const lines = linesOf(file);
    expect(report!.last).toMatchObject({ file, line: lines.length - 1, seq: report!.records - 1 });
    expect(stop).toMatchObject({ file, line: lines.length });
    expect(stop.offset).toBe(Buffer.byteLength(lines.slice(0, -1).map((l) => `${l}\n`).join('')));

    // The next writer takes over the lock the killed one left, starts a new file and links it to the last whole line.
    const files = logFilesIn(dir).length;
    const log = openAuditLog({ dir, checkpoint: { privateKey: keys.privateKey } });
    log.append(auditEvent(1));
    expect(await log.close()).toBe(true);
    const after = await verifyAuditLog([dir], { publicKey: keys.publicKey });
    expect(after).toMatchObject({ ok: true, closed: true, files: files + 1, cutOff: [stop] });
    expect(after.endsCutOff).toBeUndefined();
  });
});
