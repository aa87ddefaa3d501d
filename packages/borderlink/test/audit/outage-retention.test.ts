// What the sink does over time: a disk that refuses (it holds events within a bound, says so, and records the gap once
// it writes again), a new file each UTC day, and retention that removes only whole files and records it in the chain.
import { mkdirSync, renameSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from 'borderlink';
import { openAuditLog, verifyAuditLog, type AuditLogNotice } from 'borderlink/audit';
import { mockTransport } from 'borderlink/testing';
import { auditEvent, keyPair, linesOf, logFilesIn, scratch } from './fixtures';

const keys = keyPair();
const folders: ReturnType<typeof scratch>[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const f of folders.splice(0)) f.remove();
});

function folder(): ReturnType<typeof scratch> {
  const f = scratch();
  folders.push(f);
  return f;
}

const records = (file: string) => linesOf(file).map((l) => JSON.parse(l) as { type: string; seq: number; at: string; dropped?: number; reason?: string; removed?: { file: string }[] });

describe('an audit log whose disk refuses', () => {
  it('keeps checking, holds events up to its bound, says so, and records the gap once it writes again', async () => {
    const f = folder();
    const dir = f.path('log');
    const notices: AuditLogNotice[] = [];
    const log = openAuditLog({ dir, rotate: { maxBytes: 4096 }, maxBufferedEvents: 20, onNotice: (n) => notices.push(n) });
    const client = createClient({
      transport: mockTransport(),
      context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' },
      onAudit: log.append,
    });
    const check = () => client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
    for (let i = 0; i < 5; i++) await check();
    expect(await log.flush()).toBe(true);

    // The folder goes away (the file being written goes with it, still open): the next new file cannot be made.
    renameSync(dir, f.path('log.before'));
    for (let i = 0; i < 40; i++) {
      expect((await check()).verdict).toBe('HIT');
      // Until the disk refuses, the sink keeps up (each check waits for its record to be written): the bound is then met
      // because the disk refuses, not because 40 checks outran one write and its sync on a busy machine.
      await vi.waitFor(() => expect(log.status.failing || log.status.buffered === 0).toBe(true));
    }
    await vi.waitFor(() => expect(notices.map((n) => n.type)).toEqual(expect.arrayContaining(['write-failed', 'dropping'])));
    expect(notices.find((n) => n.type === 'write-failed')).toMatchObject({ code: 'ENOENT' });
    expect(log.status).toMatchObject({ failing: true });
    expect(log.status.buffered).toBeLessThanOrEqual(21);
    const dropped = log.status.dropped;
    expect(dropped).toBeGreaterThan(0);
    expect(await log.flush()).toBe(false);

    // The folder is back: the sink writes what it held, and the first record after the drop is the gap.
    mkdirSync(dir);
    await vi.waitFor(() => expect(notices.map((n) => n.type)).toContain('recovered'), { timeout: 5000 });
    await check();
    await client.close();
    expect(await log.close()).toBe(true);

    expect(notices.map((n) => n.type)).toEqual(['write-failed', 'dropping', 'recovered', 'gap']);
    expect(notices[3]).toEqual({ type: 'gap', dropped, reason: 'ENOENT' });
    const after = logFilesIn(dir).flatMap(records);
    const gap = after.find((r) => r.type === 'gap');
    expect(gap).toMatchObject({ dropped, reason: 'ENOENT' });
    expect(after[after.length - 1]).toMatchObject({ type: 'close' });
    const report = await verifyAuditLog([f.path('log.before'), dir]);
    expect(report).toMatchObject({ ok: true, closed: true, gaps: { records: 1, dropped } });
    const all = [...logFilesIn(f.path('log.before')), ...logFilesIn(dir)].flatMap(records);
    expect(report.records).toBe(all.length);
    // Every check is in the log but the ones dropped, which the gap counts.
    expect(all.filter((r) => r.type === 'event')).toHaveLength(5 + 40 + 1 - dropped);
  });
});

describe('an audit log over days', () => {
  it('starts a new file on the first write of a new UTC day, and the chain runs across', async () => {
    const { dir } = folder();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T23:59:59.500Z'));
    const log = openAuditLog({ dir });
    log.append(auditEvent(0));
    expect(await log.flush()).toBe(true);
    vi.setSystemTime(new Date('2025-06-02T00:00:00.500Z'));
    log.append(auditEvent(1));
    expect(await log.close()).toBe(true);
    const files = logFilesIn(dir);
    expect(files.map((p) => p.split('/').pop()!.slice(0, 14))).toEqual(['audit-20250601', 'audit-20250602']);
    expect(await verifyAuditLog([dir])).toMatchObject({ ok: true, files: 2, closed: true });
  });

  it('removes files older than the retention age whole, oldest first, after recording each in the chain', async () => {
    const { dir } = folder();
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const [day, n] of [['2025-01-01', 3], ['2025-01-10', 4], ['2025-02-20', 2]] as const) {
      vi.setSystemTime(new Date(`${day}T12:00:00Z`));
      const log = openAuditLog({ dir, checkpoint: { privateKey: keys.privateKey } });
      for (let i = 0; i < n; i++) log.append(auditEvent(i));
      expect(await log.close()).toBe(true);
    }
    const before = logFilesIn(dir);
    expect(before).toHaveLength(3);

    // On 1 March, with 30 days kept: the files of January go, the one of 20 February stays.
    vi.setSystemTime(new Date('2025-03-01T12:00:00Z'));
    const notices: AuditLogNotice[] = [];
    const log = openAuditLog({ dir, checkpoint: { privateKey: keys.privateKey }, retention: { maxAgeDays: 30 }, onNotice: (n) => notices.push(n) });
    await vi.waitFor(() => expect(notices.find((n) => n.type === 'removed')).toBeDefined());
    log.append(auditEvent(9));
    expect(await log.close()).toBe(true);

    const names = before.map((p) => p.split('/').pop()!);
    expect(notices.find((n) => n.type === 'removed')).toEqual({ type: 'removed', files: names.slice(0, 2) });
    const after = logFilesIn(dir);
    expect(after.slice(0, 1)).toEqual(before.slice(2));
    const retention = records(after[1]!).find((r) => r.type === 'retention');
    expect(retention?.removed?.map((r) => r.file)).toEqual(names.slice(0, 2));
    // The log now starts after its first record, and the chain says why.
    const report = await verifyAuditLog([dir], { publicKey: keys.publicKey });
    expect(report).toMatchObject({ ok: true, removed: 2, closed: true });
    expect(report.first?.seq).toBeGreaterThan(0);
  });
});
