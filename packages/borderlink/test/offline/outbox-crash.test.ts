// Crash safety of the outbox, with a real SIGKILL: a child process reports documents through the outbox against a
// gateway that fails some requests (so reports queue) and is killed at random moments, and at some of them right
// after the gateway has answered and before the child can mark the write delivered. At the end every report the
// child acknowledged (stored or queued) is stored exactly once at the gateway, none twice, and the database passes
// SQLite's integrity check.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGatewayHandler } from 'borderlink/testing';
import { openOfflineStore } from '../../src/offline/index';

const CHILD = resolve(__dirname, 'fixtures/outbox-child.mts');
const KILLS = Number(process.env.BL_KILLS ?? 24);
const env = { ...process.env, BL_TEST_HMAC_KEY: randomBytes(32).toString('hex'), BL_TEST_ENCRYPTION_KEY: randomBytes(32).toString('hex') };

/** A seeded random, so a failing run can be replayed: the seed is in the test's name. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const SEED = Number(process.env.BL_CRASH_SEED ?? Date.now() % 100_000);
const rand = random(SEED);

// The gateway lives in the test process, so it outlives every child: its write store is the truth.
const handle = createGatewayHandler({
  faults: {
    random: { rate: 0.3, seed: SEED, faults: [{ type: 'status', status: 503 }, { type: 'reset' }, { type: 'lost-response' }] },
    paths: ['/v1/reports/*'],
  },
});
let child: ReturnType<typeof spawn> | undefined;
let killAfterAnswer = false;
let killsAfterAnswer = 0;
const server: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') }).then((a) => {
      if (a.disconnect !== undefined) return req.socket.destroy();
      res.writeHead(a.status, a.headers);
      res.end(a.body, () => {
        // Killed between the gateway's acknowledgement and the local "delivered" mark.
        if (killAfterAnswer && a.status < 300 && child !== undefined && child.exitCode === null) {
          killAfterAnswer = false;
          killsAfterAnswer++;
          child.kill('SIGKILL');
        }
      });
    });
  });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function runChild(args: string[], killAtMs: number | undefined): Promise<string[]> {
  return new Promise((resolveLines) => {
    // Node itself with the TypeScript loader, not the tsx command: that one runs the script in a process of its own,
    // which a SIGKILL of the command leaves running (and writing) as an orphan.
    const c = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    child = c;
    let out = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The moment is counted from when the child is ready to work: its start-up (compiling, opening the file) varies.
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const ready = /^READY (\d+)$/m.exec(out);
      // The process killed must be the one that writes.
      if (ready !== null && Number(ready[1]) !== c.pid) throw new Error(`the writer is process ${ready[1]}, not the one spawned (${c.pid})`);
      if (timer === undefined && killAtMs !== undefined && ready !== null) timer = setTimeout(() => c.kill('SIGKILL'), killAtMs);
    });
    c.on('exit', () => {
      if (timer) clearTimeout(timer);
      resolveLines(out.split('\n').filter((l) => l !== ''));
    });
  });
}

describe(`the outbox under SIGKILL (seed ${SEED})`, () => {
  it('stores every acknowledged report exactly once, whenever the process dies', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'bl-outbox-crash-'));
    const db = join(dir, 'lane.db');
    const acknowledged = new Set<string>();
    let next = 0;
    for (let k = 0; k < KILLS; k++) {
      // Every third run dies right after the gateway answers a write; the others at a random moment.
      killAfterAnswer = k % 3 === 2;
      const lines = await runChild([db, url, String(next), '40', 'report'], killAfterAnswer ? 15_000 : 20 + Math.floor(rand() * 600));
      for (const line of lines) {
        const m = /^ACK (\S+) (STORED|QUEUED)$/.exec(line);
        if (m) acknowledged.add(m[1]!);
      }
      next += 40;
    }
    killAfterAnswer = false;
    handle.setFaults();
    const last = await runChild([db, url, '0', '0', 'flush'], undefined);
    expect(last).toContain('PENDING 0');

    expect(acknowledged.size).toBeGreaterThan(0);
    expect(killsAfterAnswer).toBeGreaterThan(0);
    const storedKeys = handle.reports.map((r) => r.idempotencyKey);
    const storedNumbers = handle.reports.map((r) => r.report.documentNumber);
    // None twice, by key or by document.
    expect(new Set(storedKeys).size).toBe(storedKeys.length);
    expect(new Set(storedNumbers).size).toBe(storedNumbers.length);
    // Every acknowledged one stored.
    const missing = [...acknowledged].filter((k) => !storedKeys.includes(k));
    expect(missing).toEqual([]);

    const store = openOfflineStore({ path: db, hmacKey: Buffer.from(env.BL_TEST_HMAC_KEY, 'hex'), encryptionKey: Buffer.from(env.BL_TEST_ENCRYPTION_KEY, 'hex') });
    try {
      expect(store.checkIntegrity()).toMatchObject({ ok: true });
      expect(store.outbox.pending()).toEqual([]);
    } finally {
      store.close();
    }
  }, 240_000);
});
