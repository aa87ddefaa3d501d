// Checks answered from the copy are kept for re-screening before they are answered, the checks of one turn in one
// commit; an open breaker answers from the copy without a request being built, and still lets its probe through; in
// mode `first` nothing is sent in the background while the breaker would refuse it. Over real sockets.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient, httpTransport, type AuditEvent, type OfflineStore } from 'borderlink';
import { openOfflineStore } from 'borderlink/offline';
import { createMockGateway, demoDataset } from 'borderlink/testing';
import { full, recordsOf, seeded } from '../helpers/offline-copy';
import { closeAfterEach, deadUrl } from '../helpers/outbox';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const doc = (i: number) => ({ documentNumber: `ZZ${String(i).padStart(7, '0')}`, issuingState: 'UTO', documentType: 'PASSPORT' }) as const;

const closers = closeAfterEach();

/** The store, counting how the client keeps its entries: each commit's size, and entries kept alone. */
function counted(inner: OfflineStore, manyFails = false) {
  const commits: number[] = [];
  let alone = 0;
  const store: OfflineStore = {
    apply: (source, lines, onProgress) => inner.apply(source, lines, onProgress),
    lookup: (source, key) => inner.lookup(source, key),
    state: (source) => inner.state(source),
    inventory: () => inner.inventory(),
    rescreenDue: (since, limit) => inner.rescreenDue(since, limit),
    settleRescreen: (id) => inner.settleRescreen(id),
    close: () => inner.close(),
    keepForRescreen: (entry) => {
      alone++;
      return inner.keepForRescreen(entry);
    },
    keepManyForRescreen: (entries) => {
      if (manyFails) throw new Error('disk I/O error');
      commits.push(entries.length);
      return inner.keepManyForRescreen!(entries);
    },
  };
  return { store, commits, kept: () => commits.reduce((a, b) => a + b, 0) + alone, alone: () => alone };
}

function client(url: string, offline: Record<string, unknown>, breaker: Record<string, unknown> = { failureThreshold: 1, openMs: 60_000 }) {
  const audits: AuditEvent[] = [];
  const c = createClient({ transport: httpTransport({ baseUrl: url }), context, retry: { retries: 0 }, timeoutMs: 10_000, breaker, onAudit: (e) => audits.push(e), offline: offline as never });
  closers.push(() => c.close());
  return { c, audits };
}

describe('checks answered from the copy', () => {
  it('are kept, those of one turn in one commit, before any of them is answered', async () => {
    const { store, commits, kept } = counted(await seeded());
    const { url } = await deadUrl();
    const { c } = client(url, { store });
    // The first opens the breaker; the eight after it are refused at once, all in one turn.
    expect((await c.checkDocument(doc(0))).offlineReason).toBe('CONNECTION_FAILED');
    const keptWhenAnswered: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        c.checkDocument(doc(i + 1)).then((r) => {
          keptWhenAnswered.push(kept());
          return r;
        }),
      ),
    );
    expect(results.every((r) => r.servedFrom === 'offline' && r.offlineReason === 'CIRCUIT_OPEN')).toBe(true);
    expect(commits.slice(-1)).toEqual([8]);
    expect(keptWhenAnswered.every((n) => n === 9)).toBe(true);
  });

  it('are kept each alone when the store cannot keep them together, none lost', async () => {
    const inner = await seeded();
    const { store, alone } = counted(inner, true);
    const { url } = await deadUrl();
    const { c } = client(url, { store });
    await c.checkDocument(doc(0));
    await Promise.all(Array.from({ length: 4 }, (_, i) => c.checkDocument(doc(i + 1))));
    expect(alone()).toBe(5);
    expect(inner.rescreenDue(0, 100)).toHaveLength(5);
  });

  it('are kept in the SQLite store in one commit each turn, every one due for re-screening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bl-kept-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const sqlite = openOfflineStore({ path: join(dir, 'copy.db'), hmacKey: randomBytes(32), encryptionKey: randomBytes(32) });
    closers.push(() => sqlite.close());
    await sqlite.apply('SLTD', full('SLTD', recordsOf(demoDataset).SLTD, new Date().toISOString()));
    const { store, commits } = counted(sqlite);
    const { url } = await deadUrl();
    const { c } = client(url, { store, sources: ['SLTD'] });
    await c.checkDocument(doc(0), { sources: ['SLTD'] });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => c.checkDocument(doc(i + 1), { sources: ['SLTD'] })));
    expect(commits.slice(-1)).toEqual([50]);
    const due = sqlite.rescreenDue(0, 100);
    expect(due).toHaveLength(51);
    expect(new Set(due.map((e) => e.id)).size).toBe(51);
    const dueIds = new Set(due.map((e) => e.requestId));
    expect(results.every((r) => dueIds.has(r.requestId))).toBe(true);
  });

  it('do not keep the breaker from letting its probe through once openMs has passed: a gateway back is heard', async () => {
    const store = await seeded();
    const { url, port } = await deadUrl();
    const { c } = client(url, { store }, { failureThreshold: 1, openMs: 50 });
    expect((await c.checkDocument(doc(1))).servedFrom).toBe('offline');
    expect((await c.checkDocument(doc(2))).offlineReason).toBe('CIRCUIT_OPEN');
    const g = await createMockGateway({ port });
    closers.push(() => g.close());
    await new Promise((r) => setTimeout(r, 80));
    expect((await c.checkDocument(doc(3))).servedFrom).toBe('network');
  });
});

describe("mode 'first'", () => {
  it('sends a burst of checks online a few at a time, the rest through the re-screen run, each once', async () => {
    const g = await createMockGateway({ latencyMs: 250 });
    closers.push(() => g.close());
    const { c } = client(g.url, { store: await seeded(), mode: 'first' });
    let sent = 0;
    c.on('request', () => sent++);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.checkDocument(doc(i))));
    expect(results.every((r) => r.servedFrom === 'offline')).toBe(true);
    // Answered at once; what goes online meanwhile is bounded, not a request per check: the next goes once an answer
    // came back.
    await expect.poll(() => sent).toBe(8);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toBe(8);
    await expect.poll(() => g.requests.length, { timeout: 10_000 }).toBe(20);
    // The run that sent the rest ends; nothing is left for another.
    await c.offline!.rescreen();
    expect(await c.offline!.rescreen()).toBe(0);
    expect(g.requests).toHaveLength(20);
    const bodies = g.requests.map((r) => JSON.stringify(r.body));
    expect(results.every((_, i) => bodies.filter((b) => b.includes(doc(i).documentNumber)).length === 1)).toBe(true);
  });

  it('sends nothing in the background while the breaker would refuse it, and leaves the check to the re-screen run', async () => {
    const store = await seeded();
    const { url, port } = await deadUrl();
    const { c, audits } = client(url, { store, mode: 'first' });
    await c.checkDocument(doc(1));
    // Its background check failed and opened the breaker.
    await expect.poll(() => audits.filter((a) => a.action === 'RESCREEN').length).toBe(1);
    const second = await c.checkDocument(doc(2));
    expect(second).toMatchObject({ servedFrom: 'offline', offlineReason: 'OFFLINE_FIRST' });
    await new Promise((r) => setTimeout(r, 20));
    expect(audits.filter((a) => a.action === 'RESCREEN')).toHaveLength(1);
    const g = await createMockGateway({ port });
    closers.push(() => g.close());
    const { c: back } = client(g.url, { store, mode: 'first' });
    expect(await back.offline!.rescreen()).toBe(2);
  });
});
