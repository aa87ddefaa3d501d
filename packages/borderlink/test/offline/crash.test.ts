// A sync killed half way leaves the previous copy whole: a child process applying a snapshot of 30,000 records (a
// full one, or a delta of 60,000 changes) is killed with SIGKILL at random moments, four times each, among them after
// it read the end line (while the copy is indexed, merged and moved). After each kill the file passes SQLite's integrity check and answers
// for exactly one of the two copies, all of it; a sync that is not killed then applies over what the kills left.
// And a process queuing writes in the outbox, killed the same way, loses none that enqueue returned for.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineKeysOfSubject } from '../../src/stores/keys';
import type { SqliteOfflineStore } from 'borderlink/offline';
import { COPY_SIZE, copyRecords } from './crash-copies';
import { open, scratch } from './fixtures';

const child = fileURLToPath(new URL('./apply-child.ts', import.meta.url));
/** Kills of each kind of sync: a full snapshot, a delta. */
const KILLS_EACH = 4;

/** A small seeded generator, so a failing run can be told by its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  /** Lines the child printed, in order. */
  said: string[];
  /** When it printed the end line's marker and `done`, in milliseconds from `start`. */
  endReadMs?: number;
  doneMs?: number;
  /** Whether it was killed before it finished. */
  killed: boolean;
}

/**
 * Runs the child on `path`; `killAt` picks, from what the child said so far, whether to kill it now (it is asked after
 * every line and every 5 ms).
 */
function runChild(path: string, killAt?: (said: readonly string[], sinceStartMs: number) => boolean, mode: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path, ...mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    const said: string[] = [];
    let startedAt: number | undefined;
    let killed = false;
    let errors = '';
    proc.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const consider = () => {
      if (killed || killAt === undefined || startedAt === undefined) return;
      if (killAt(said, performance.now() - startedAt)) {
        killed = proc.kill('SIGKILL');
      }
    };
    const at: { endReadMs?: number; doneMs?: number } = {};
    createInterface({ input: proc.stdout }).on('line', (line) => {
      said.push(line);
      if (line.startsWith('start')) startedAt = performance.now();
      if (startedAt !== undefined && line === 'end-read') at.endReadMs = performance.now() - startedAt;
      if (startedAt !== undefined && line === 'done') at.doneMs = performance.now() - startedAt;
      consider();
    });
    const timer = setInterval(consider, 5);
    proc.on('exit', (code, signal) => {
      clearInterval(timer);
      if (signal === 'SIGKILL' && killed) resolve({ said, killed: true, ...at });
      else if (code === 0) resolve({ said, killed: false, ...at });
      else reject(new Error(`the child exited with ${code ?? signal}: ${errors}`));
    });
  });
}

/** The lookup keys of every 997th record of a copy, and of its last. */
const sample = (copy: 'X' | 'Y'): string[] =>
  copyRecords(copy)
    .filter((_, i) => i % 997 === 0 || i === COPY_SIZE - 1)
    .flatMap((r) => (r.source === 'SLTD' ? offlineKeysOfSubject({ kind: 'document', documentNumber: r.document.documentNumber!, issuingState: 'UTO', documentType: 'PASSPORT' }, 'SLTD') : []));

/** Which copy the store answers for: all of one, none of the other, or a failed expectation. */
function answering(store: SqliteOfflineStore, context: string): 'X' | 'Y' {
  const cursor = store.state('SLTD')?.cursor;
  expect(cursor === 'X' || cursor === 'Y', `${context}: cursor`).toBe(true);
  const other = cursor === 'X' ? 'Y' : 'X';
  expect(sample(cursor as 'X' | 'Y').every((key) => store.lookup('SLTD', key).length === 1), `${context}: every record of ${cursor} found`).toBe(true);
  expect(sample(other).some((key) => store.lookup('SLTD', key).length > 0), `${context}: a record of ${other} found`).toBe(false);
  expect(store.state('SLTD')?.recordCount, context).toBe(COPY_SIZE);
  return cursor as 'X' | 'Y';
}

let files: ReturnType<typeof scratch>;
beforeAll(async () => {
  files = scratch();
  // The first copy, X, whole: a run nobody kills, which also says how long a sync takes here.
  const first = await runChild(files.path);
  took.full = { doneMs: first.doneMs ?? 1000, finishMs: (first.doneMs ?? 1000) - (first.endReadMs ?? 0) };
});

/** How long the last sync of each kind that was not killed took: all of it, and from the end line on. */
const took = { full: { doneMs: 1000, finishMs: 300 }, delta: { doneMs: 1500, finishMs: 600 } };
afterAll(() => files.done());

describe('a sync killed with SIGKILL', () => {
  it('leaves the file whole and the previous copy answering, whenever the kill lands, and the next sync applies', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    let store = open(files.path);
    expect(answering(store, `seed ${seed}, before`)).toBe('X');
    store.close();
    // From X the child applies a full snapshot of Y; from Y, a delta back to X.
    const kills = { full: 0, delta: 0 };
    const moments: string[] = [];
    let current: 'X' | 'Y' = 'X';
    for (let i = 0; (kills.full < KILLS_EACH || kills.delta < KILLS_EACH) && i < KILLS_EACH * 8; i++) {
      const kind = current === 'X' ? 'full' : 'delta';
      let run: Run;
      let what: string;
      if (kills[kind] >= KILLS_EACH) {
        run = await runChild(files.path);
        what = `${kind} not killed`;
      } else {
        // Every other run: at a random time into the sync; else a random moment after the end line was read, while
        // the copy is indexed, merged and moved.
        const afterEnd = i % 2 === 1;
        const delayMs = next() * 0.9 * (afterEnd ? took[kind].finishMs : took[kind].doneMs);
        let endSeenAt: number | undefined;
        run = await runChild(files.path, (said, sinceStart) => {
          if (!afterEnd) return sinceStart >= delayMs;
          if (endSeenAt === undefined && said.includes('end-read')) endSeenAt = sinceStart;
          return endSeenAt !== undefined && sinceStart - endSeenAt >= delayMs;
        });
        const cut = run.killed && !run.said.includes('done');
        what = `${kind} ${cut ? 'killed' : 'not killed in time'} ${afterEnd ? 'after the end line +' : 'at'} ${Math.round(delayMs)} ms (${run.said.at(-1)})`;
        if (cut) kills[kind] += 1;
      }
      if (run.doneMs !== undefined && run.endReadMs !== undefined) took[kind] = { doneMs: run.doneMs, finishMs: run.doneMs - run.endReadMs };
      moments.push(what);
      store = open(files.path);
      const context = `seed ${seed}, run ${i}: ${what}`;
      expect(store.checkIntegrity(), context).toEqual({ ok: true, problems: [] });
      const now = answering(store, context);
      // A sync that finished moved the copy. A killed one left it where it was, or moved it whole if the kill came
      // after the update that moves it.
      if (!run.killed || run.said.includes('done')) expect(now, context).not.toBe(current);
      moments[moments.length - 1] += now === current ? ', copy unmoved' : ', copy moved';
      current = now;
      store.close();
    }
    if (process.env.CRASH_SAY) console.log(moments.join('\n'));
    expect(kills, moments.join('; ')).toEqual({ full: KILLS_EACH, delta: KILLS_EACH });

    // A sync nobody kills applies over whatever the kills left, and leaves one table set: the copy's.
    const last = await runChild(files.path);
    expect(last.said.at(-1)).toBe('done');
    store = open(files.path);
    expect(answering(store, `seed ${seed}, last`)).toBe(current === 'X' ? 'Y' : 'X');
    expect(store.checkIntegrity().ok).toBe(true);
    store.close();
    const { loadSqlite } = await import('../../src/offline/driver');
    const Database = loadSqlite();
    const raw = new Database(files.path, { readonly: true });
    const sets = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB '[vkd]_[0-9]*' ORDER BY name").pluck().all() as string[];
    const epoch = raw.prepare("SELECT epoch FROM copies WHERE source = 'SLTD'").pluck().get() as number;
    expect(raw.prepare('SELECT count(*) FROM staging').pluck().get()).toBe(0);
    raw.close();
    expect(sets).toEqual([`d_${epoch}`, `k_${epoch}`, `v_${epoch}`]);
  }, 300_000);

  it('keeps every write enqueue returned for, once and in order, whenever the kill lands', async () => {
    const outbox = scratch();
    try {
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
      const next = random(seed);
      const acknowledged: string[] = [];
      for (let i = 0; i < 3; i++) {
        const delayMs = 30 + next() * 300;
        const run = await runChild(outbox.path, (_, sinceStart) => sinceStart >= delayMs, ['outbox']);
        expect(run.killed).toBe(true);
        acknowledged.push(...run.said.filter((line) => line.startsWith('queued ')).map((line) => line.slice('queued '.length)));
        const store = open(outbox.path);
        const context = `seed ${seed}, run ${i}, killed at ${Math.round(delayMs)} ms`;
        expect(store.checkIntegrity(), context).toEqual({ ok: true, problems: [] });
        const pending: string[] = [];
        for (let page = store.outbox.pending(10_000); page.length > 0; page = store.outbox.pending(10_000, page.at(-1)!.position)) {
          pending.push(...page.map((e) => e.idempotencyKey));
        }
        expect(store.outbox.pendingCount(), context).toBe(pending.length);
        store.close();
        // What the child was told was queued is there; at most the one it was queuing when killed is there besides.
        expect(pending.slice(0, acknowledged.length), context).toEqual(acknowledged);
        expect(pending.length - acknowledged.length, context).toBeLessThanOrEqual(1);
        expect(new Set(pending).size, context).toBe(pending.length);
        acknowledged.splice(0, acknowledged.length, ...pending);
      }
      expect(acknowledged.length).toBeGreaterThan(10);
    } finally {
      outbox.done();
    }
  }, 120_000);

  it('keeps every write queued during a sync, once and in order, and one copy whole, whenever the kill lands', async () => {
    // The sync's checkpoints run in the store's worker thread meanwhile: kills land while it copies the log.
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const acknowledged: string[] = [];
    let killedDuring = 0;
    for (let i = 0; i < 4; i++) {
      const kind = i % 2 === 0 ? 'full' : 'delta';
      const delayMs = (0.2 + next() * 0.7) * took[kind].doneMs;
      const run = await runChild(files.path, (_, sinceStart) => sinceStart >= delayMs, ['outbox-during-apply']);
      if (run.killed && !run.said.includes('done')) killedDuring += 1;
      acknowledged.push(...run.said.filter((line) => line.startsWith('queued ')).map((line) => line.slice('queued '.length)));
      const store = open(files.path);
      const context = `seed ${seed}, run ${i} (${kind}), killed at ${Math.round(delayMs)} ms: ${run.said.at(-1)}`;
      expect(store.checkIntegrity(), context).toEqual({ ok: true, problems: [] });
      answering(store, context);
      const pending: string[] = [];
      for (let page = store.outbox.pending(10_000); page.length > 0; page = store.outbox.pending(10_000, page.at(-1)!.position)) {
        pending.push(...page.map((e) => e.idempotencyKey));
      }
      store.close();
      expect(pending.slice(0, acknowledged.length), context).toEqual(acknowledged);
      expect(pending.length - acknowledged.length, context).toBeLessThanOrEqual(1);
      expect(new Set(pending).size, context).toBe(pending.length);
      acknowledged.splice(0, acknowledged.length, ...pending);
    }
    expect(killedDuring).toBeGreaterThanOrEqual(2);
    expect(acknowledged.length).toBeGreaterThan(10);
  }, 180_000);
});
