// Review of re-screening (the delayed hit): what the copy answered is sent again online until the gateway answers it,
// once, and any lead the gateway gives for it is a lateHit. Over real sockets: the mock gateway, or a gateway we did
// not write that answers what the test scripts.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, StoreError, type ClientEvent, type OfflineRecord, type OfflineStore, type SnapshotChange, type SnapshotEnd, type Source } from 'borderlink';
import { createMockGateway, memoryOfflineStore, type MemoryOfflineStore } from 'borderlink/testing';
import { startHostileGateway, type HostileAnswer, type HostileGateway } from '../hostile/server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const UNKNOWN = { documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const OTHER = { documentNumber: 'ZZ0000002', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function* full(source: Source, records: OfflineRecord[] = []): AsyncIterable<SnapshotChange | SnapshotEnd> {
  for (const record of records) yield { op: 'upsert', record };
  yield { op: 'end', source, cursor: 'c1', dataAsOf: new Date().toISOString(), full: true, changes: records.length, recordCount: records.length };
}

async function seeded(): Promise<MemoryOfflineStore> {
  const store = memoryOfflineStore();
  for (const s of ['SLTD', 'TDAWN'] as const) await store.apply(s, full(s));
  return store;
}

async function hostile(): Promise<HostileGateway> {
  const g = await startHostileGateway();
  closers.push(() => g.close());
  return g;
}

function client(url: string, store: OfflineStore, mode: 'fallback' | 'first' = 'fallback') {
  const events: ClientEvent[] = [];
  const c = createClient({ transport: httpTransport({ baseUrl: url }), context, retry: { retries: 0 }, breaker: false, timeoutMs: 5000, offline: { store, mode } });
  c.on('lateHit', (e) => events.push(e));
  closers.push(() => c.close());
  return { c, events };
}

const json = (status: number, body: unknown): HostileAnswer => ({ status, headers: [['content-type', 'application/json']], body: JSON.stringify(body) });
const unavailable = json(503, { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'down' } });
const checks = (g: HostileGateway) => g.requests.filter((r) => r.path === '/v1/checks');

describe('re-screening a check the copy answered', () => {
  it('raises lateHit for an online lead whose record could not be read', async () => {
    const g = await hostile();
    const store = await seeded();
    const { c, events } = client(g.url, store);
    g.answer(() => unavailable);
    const offline = await c.checkDocument(UNKNOWN);
    expect(offline).toMatchObject({ servedFrom: 'offline', verdict: 'NO_HIT' });
    // SLTD says it holds a record, and the hit it sends has no readable kind: a lead all the same.
    g.answer(() =>
      json(200, {
        requestId: 'gw-1',
        items: [{ itemId: '1', outcomes: [{ source: 'SLTD', status: 'HIT' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [{ hitId: 'H-1', source: 'SLTD' }] }],
      }),
    );
    expect(await c.offline!.rescreen()).toBe(1);
    expect(events).toEqual([expect.objectContaining({ type: 'lateHit', requestId: offline.requestId, verdict: 'POSSIBLE_HIT', records: [] })]);
  });

  for (const [name, answer] of [
    ['rate-limited (429)', json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } })],
    ['refused for its token (401)', json(401, { error: { code: 'UNAUTHENTICATED', message: 'token' } })],
  ] as const) {
    it(`keeps a check whose re-screen was ${name}, and sends it once the gateway takes it`, async () => {
      const g = await hostile();
      const store = await seeded();
      const { c } = client(g.url, store);
      g.answer(() => unavailable);
      await c.checkDocument(UNKNOWN);
      g.answer(() => answer);
      expect(await c.offline!.rescreen()).toBe(0);
      expect(store.rescreenDue(0, 10)).toHaveLength(1);
      g.answer(() => json(200, { requestId: 'gw-2', items: [{ itemId: '1', outcomes: [{ source: 'SLTD', status: 'NO_HIT' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [] }] }));
      expect(await c.offline!.rescreen()).toBe(1);
      expect(store.rescreenDue(0, 10)).toHaveLength(0);
    });
  }

  it('keeps a check whose re-screen was in flight when the client closed', async () => {
    const g = await hostile();
    const store = await seeded();
    const { c } = client(g.url, store);
    g.answer(() => unavailable);
    await c.checkDocument(UNKNOWN);
    g.answer(() => ({ hang: true }));
    const sent = checks(g).length;
    const running = c.offline!.rescreen();
    await expect.poll(() => checks(g).length).toBe(sent + 1);
    await c.close();
    await running.catch(() => undefined);
    expect(store.rescreenDue(0, 10)).toHaveLength(1);
  });

  it('survives a store that fails while re-screening starts by itself: no unhandled rejection', async () => {
    const g = await createMockGateway();
    closers.push(() => g.close());
    const inner = await seeded();
    const store: OfflineStore = {
      ...inner,
      rescreenDue: () => {
        throw new StoreError('SQLite failed (SQLITE_IOERR)', { code: 'STORE_FAILED' });
      },
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    closers.push(() => void process.off('unhandledRejection', onUnhandled));
    const { c } = client(g.url, store);
    // The gateway answers: the client re-screens by itself, and the store fails.
    expect((await c.checkDocument(UNKNOWN)).servedFrom).toBe('network');
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
    // Asked for by name, the failure is the caller's to see.
    await expect(c.offline!.rescreen()).rejects.toBeInstanceOf(StoreError);
  });
});

describe("re-screening in mode 'first'", () => {
  it('sends each check online once and raises one lateHit for it, while its background check is still in flight', async () => {
    const g = await createMockGateway({ latencyMs: 150 });
    closers.push(() => g.close());
    for (const [i, d] of [UNKNOWN, OTHER].entries()) g.upsertRecord({ source: 'SLTD', recordId: `SLTD-LATE-${i}`, ...d, status: 'STOLEN' });
    const store = await seeded();
    const { c, events } = client(g.url, store, 'first');
    const a = await c.checkDocument(UNKNOWN);
    const b = await c.checkDocument(OTHER);
    expect([a.servedFrom, b.servedFrom]).toEqual(['offline', 'offline']);
    await expect.poll(() => events.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    // Whatever re-screen run the first answer started has ended once this one (joined, or a new one) resolves.
    await c.offline!.rescreen();
    await expect.poll(() => store.rescreenDue(0, 10).length).toBe(0);
    await c.offline!.rescreen();
    expect(events.map((e) => (e as { requestId: string }).requestId).sort()).toEqual([a.requestId, b.requestId].sort());
    expect(g.requests.filter((r) => r.path === '/v1/checks')).toHaveLength(2);
  });
});

describe('a check kept by a store of another make', () => {
  it('is not sent again when what the store gives back no longer says who asks, for which authority and why', async () => {
    const inner = await seeded();
    const store: OfflineStore = {
      ...inner,
      rescreenDue: (since, limit) => inner.rescreenDue(since, limit).map((e) => ({ ...e, context: { operatorId: e.context.operatorId } as never })),
    };
    const gone = await createMockGateway();
    const { url } = gone;
    const port = Number(new URL(url).port);
    await gone.close();
    const { c } = client(url, store);
    expect((await c.checkDocument(UNKNOWN)).servedFrom).toBe('offline');
    const back = await createMockGateway({ port });
    closers.push(() => back.close());
    expect(await c.offline!.rescreen()).toBe(0);
    expect(back.requests).toHaveLength(0);
    // Refused as input: settled, never tried again.
    expect(inner.rescreenDue(0, 10)).toHaveLength(0);
  });
});

describe('a re-screen the gateway answered in part', () => {
  it('sends again, on the next run, only the sources that did not answer, and raises each late hit once', async () => {
    const g = await hostile();
    const store = await seeded();
    const { c, events } = client(g.url, store);
    g.answer(() => unavailable);
    const offline = await c.checkDocument(UNKNOWN);
    expect(offline.verdict).toBe('NO_HIT');
    const answer = (outcomes: { source: string; status: string }[], hits: unknown[] = []) =>
      json(200, { requestId: 'gw-3', items: [{ itemId: '1', outcomes, hits }] });
    // SLTD answers; TDAWN timed out behind the gateway.
    g.answer(() => answer([{ source: 'SLTD', status: 'NO_HIT' }, { source: 'TDAWN', status: 'TIMEOUT' }]));
    expect(await c.offline!.rescreen()).toBe(1);
    const kept = store.rescreenDue(0, 10);
    expect(kept).toEqual([expect.objectContaining({ requestId: offline.requestId, sources: ['TDAWN'] })]);
    // The next run asks TDAWN alone, which now holds a notice on the document.
    const linked = {
      hitId: 'H-2', source: 'TDAWN', kind: 'linked-document', recordId: 'TDAWN-LATE-1', ownerCountry: 'UTO',
      match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber'] }, confirmation: { state: 'UNCONFIRMED' },
      document: { ...UNKNOWN, status: 'VALID' }, notice: { type: 'RED', reference: 'A-1/2026', requestingCountry: 'UTO' },
    };
    g.answer(() => answer([{ source: 'TDAWN', status: 'HIT' }], [linked]));
    expect(await c.offline!.rescreen()).toBe(1);
    expect(JSON.parse(checks(g).at(-1)!.body).items[0].sources).toEqual(['TDAWN']);
    expect(events).toEqual([expect.objectContaining({ type: 'lateHit', requestId: offline.requestId, records: [{ source: 'TDAWN', recordId: 'TDAWN-LATE-1' }] })]);
    expect(store.rescreenDue(0, 10)).toEqual([]);
    expect(await c.offline!.rescreen()).toBe(0);
  });
});

describe("mode 'first' and close()", () => {
  it('ends the background check with the client, and keeps the check for a later re-screen', async () => {
    const g = await hostile();
    g.answer(() => ({ hang: true }));
    const store = await seeded();
    const { c, events } = client(g.url, store, 'first');
    const r = await c.checkDocument(UNKNOWN);
    expect(r.servedFrom).toBe('offline');
    await expect.poll(() => checks(g).length).toBe(1);
    await c.close();
    expect(store.rescreenDue(0, 10)).toEqual([expect.objectContaining({ requestId: r.requestId })]);
    // A client made afterwards on the same store re-screens it.
    g.answer(() => json(200, { requestId: 'gw-9', items: [{ itemId: '1', outcomes: [{ source: 'SLTD', status: 'NO_HIT' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [] }] }));
    const { c: again } = client(g.url, store);
    expect(await again.offline!.rescreen()).toBe(1);
    expect(events).toEqual([]);
  });
});
