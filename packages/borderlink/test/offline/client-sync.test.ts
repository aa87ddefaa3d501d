// client.offline.sync() over real sockets against the mock gateway: a full snapshot first, deltas from the cursor
// afterwards (a record added or removed on the gateway shows in the copy after the next sync), a full snapshot again
// when the gateway no longer knows the cursor, and a sync cut half way leaves the previous copy answering.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type ClientEvent, type OfflineStore } from 'borderlink';
import { createMockGateway, memoryOfflineStore, type MockGateway } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const ADDED = { documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function setup(store: OfflineStore = memoryOfflineStore(), gateway?: MockGateway) {
  const g = gateway ?? (await createMockGateway());
  if (gateway === undefined) closers.push(() => g.close());
  const events: ClientEvent[] = [];
  const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, retry: { retries: 0 }, offline: { store } });
  for (const t of ['sync', 'syncFailed', 'syncProgress'] as const) client.on(t, (e: ClientEvent) => events.push(e));
  closers.push(() => client.close());
  return { g, client, store, events };
}

describe('client.offline.sync()', () => {
  it('takes a full snapshot of every source first, then deltas that carry what changed on the gateway', async () => {
    const { g, client, store, events } = await setup();
    const first = await client.offline!.sync();
    expect(first.map((r) => r.ok && r.full)).toEqual([true, true, true, true]);
    expect(client.offline!.inventory().map((s) => s.source).sort()).toEqual(['NOMINAL', 'SLTD', 'SMV', 'TDAWN']);
    expect(events.filter((e) => e.type === 'sync')).toHaveLength(4);

    g.upsertRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0099', ...ADDED, status: 'STOLEN' });
    g.removeRecord('SLTD', 'SLTD-UTO-0002');
    const second = await client.offline!.sync({ sources: ['SLTD'] });
    expect(second).toEqual([expect.objectContaining({ source: 'SLTD', ok: true, full: false, changes: 2 })]);
    const added = store.lookup('SLTD', (await import('borderlink')).offlineKeysOfSubject({ kind: 'document', ...ADDED }, 'SLTD')[0]!);
    expect(added.map((r) => r.recordId)).toEqual(['SLTD-UTO-0099']);
    expect(store.state('SLTD')!.recordCount).toBe(2);
  });

  it('answers from the synced copy once the gateway is gone', async () => {
    const store = memoryOfflineStore();
    const g = await createMockGateway();
    const { client } = await setup(store, g);
    await client.offline!.sync();
    g.upsertRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0099', ...ADDED, status: 'STOLEN' });
    await client.offline!.sync({ sources: ['SLTD'] });
    await g.close();
    const r = await client.checkDocument(ADDED);
    expect(r).toMatchObject({ verdict: 'HIT', servedFrom: 'offline' });
  });

  it('takes a full snapshot again when the gateway no longer knows the stored cursor', async () => {
    const store = memoryOfflineStore();
    const g1 = await createMockGateway();
    const port = Number(new URL(g1.url).port);
    const a = await setup(store, g1);
    await a.client.offline!.sync({ sources: ['SLTD'] });
    await g1.close();
    // Another gateway instance on the same address: the cursor is not one it gave.
    const g2 = await createMockGateway({ port });
    closers.push(() => g2.close());
    const again = await a.client.offline!.sync({ sources: ['SLTD'] });
    expect(again).toEqual([expect.objectContaining({ ok: true, full: true })]);
  });

  it('keeps the previous copy whole when a snapshot is cut half way, and says so', async () => {
    const { g, client, store, events } = await setup();
    await client.offline!.sync({ sources: ['SLTD'] });
    const before = store.state('SLTD')!;
    g.upsertRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0099', ...ADDED, status: 'STOLEN' });
    g.setFaults({ sequence: [{ type: 'truncated' }] });
    const cut = await client.offline!.sync({ sources: ['SLTD'] });
    expect(cut).toEqual([expect.objectContaining({ source: 'SLTD', ok: false })]);
    expect(events.at(-1)).toMatchObject({ type: 'syncFailed', source: 'SLTD' });
    expect(store.state('SLTD')).toEqual(before);
    // The next sync resumes from the stored cursor.
    expect(await client.offline!.sync({ sources: ['SLTD'] })).toEqual([expect.objectContaining({ ok: true, full: false, changes: 1 })]);
  });

  it('sends who asks, for which authority and why with every snapshot request', async () => {
    const { g, client } = await setup();
    await client.offline!.sync({ sources: ['SMV'] });
    const req = g.requests.find((r) => r.path.startsWith('/v1/snapshots/SMV'))!;
    expect(req.headers).toMatchObject({ 'x-authority-id': 'UTO-POLICE', 'x-operator-id': 'officer-0042', 'x-purpose': 'BORDER_CHECK' });
  });

  it('syncs on its own every syncIntervalMs, starting at once', async () => {
    const g = await createMockGateway();
    closers.push(() => g.close());
    const store = memoryOfflineStore();
    const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, offline: { store, syncIntervalMs: 1000, sources: ['SLTD'] } });
    closers.push(() => client.close());
    await expect.poll(() => store.state('SLTD')).toBeDefined();
    g.upsertRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0099', ...ADDED, status: 'STOLEN' });
    await expect.poll(() => store.state('SLTD')!.recordCount, { timeout: 5000 }).toBe(3);
  });
});
