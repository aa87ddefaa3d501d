// Review: two processes on one store file (a lane and a `borderlink outbox flush` from cron, or two lanes of one
// booth) queueing reports at once. Queueing read the queue, then wrote it, in a deferred transaction: when the other
// process committed in between, SQLite refused the upgrade to a write at once (SQLITE_BUSY, no busy wait), and the
// report that could not reach the gateway failed instead of queueing (most of them, under load).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGatewayHandler } from 'borderlink/testing';
import { openOfflineStore } from '../../src/offline/index';

const CHILD = resolve(__dirname, '../offline/fixtures/outbox-child.mts');
const env = { ...process.env, BL_TEST_HMAC_KEY: randomBytes(32).toString('hex'), BL_TEST_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
const keys = () => ({ hmacKey: Buffer.from(env.BL_TEST_HMAC_KEY, 'hex'), encryptionKey: Buffer.from(env.BL_TEST_ENCRYPTION_KEY, 'hex') });

const handle = createGatewayHandler({
  faults: { random: { rate: 0.5, seed: 12, faults: [{ type: 'status', status: 503 }, { type: 'reset' }, { type: 'lost-response' }] }, paths: ['/v1/reports/*'] },
});
const server: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') }).then((a) => {
      if (a.disconnect !== undefined) return req.socket.destroy();
      res.writeHead(a.status, a.headers);
      res.end(a.body);
    });
  });
});
const dir = mkdtempSync(join(tmpdir(), 'bl-outbox-two-'));
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** A lane process (never the tsx command: killed, it would leave the script running), and what it printed. */
function lane(args: string[]): Promise<{ lines: string[]; code: number | null }> {
  return new Promise((done) => {
    const c = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', () => undefined);
    c.on('exit', (code) => done({ lines: out.split('\n').filter((l) => l !== ''), code }));
  });
}

describe('two processes queueing reports on one store file at once', () => {
  it('queue every report the gateway could not take, and each is stored once, under its key, by either', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const db = join(dir, 'lane.db');
    openOfflineStore({ path: db, ...keys() }).close();
    const [a, b] = await Promise.all([lane([db, url, '0', '60', 'report']), lane([db, url, '1000', '60', 'report'])]);
    for (const run of [a, b]) {
      expect(run.code).toBe(0);
      expect(run.lines).toContain('DONE');
    }
    const acknowledged = [...a.lines, ...b.lines].flatMap((l) => /^ACK (\S+) (STORED|QUEUED)$/.exec(l)?.[1] ?? []);
    expect(acknowledged).toHaveLength(120);
    expect([...a.lines, ...b.lines].some((l) => l.endsWith(' QUEUED'))).toBe(true);

    handle.setFaults();
    const last = await lane([db, url, '0', '0', 'flush']);
    expect(last.lines).toContain('PENDING 0');
    const storedKeys = handle.reports.map((r) => r.idempotencyKey);
    expect(new Set(storedKeys).size).toBe(storedKeys.length);
    expect([...storedKeys].sort()).toEqual([...acknowledged].sort());

    // Queued, replayed and delivered: no document number readable in the file or its log.
    for (const file of [db, `${db}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      for (const r of handle.reports) expect(bytes.includes(r.report.documentNumber)).toBe(false);
      expect(bytes.includes('officer-0042')).toBe(false);
    }
  }, 120_000);
});
