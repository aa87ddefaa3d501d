// Review: a snapshot that would empty most of the copy was applied on the gateway's word alone. Its lines were whole
// and its counts and content hash held (the reader checks them), but nothing asked whether the gateway meant it: a
// gateway that lost its data turned a lane's copy of ten records into one of two, and the copy then answered NO_HIT
// for the eight it had dropped. A sync that would remove more than `offline.maxShrink` (half, unless told) of a copy is
// now refused before the store commits it, with a `syncFailed` event carrying both counts; the copy stays as it was
// until a sync with `allowShrink` (or a larger maxShrink) takes it.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, StoreError, createClient, httpTransport, offlineKeysOfSubject, type ClientEvent, type OfflineStore, type Transport } from 'borderlink';
import { createMockGateway, memoryOfflineStore, syntheticDataset, type MockGateway } from 'borderlink/testing';
import { open, scratch } from '../offline/fixtures';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const RECORDS = 10;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function gateway(documents = RECORDS): Promise<MockGateway> {
  const g = await createMockGateway({ dataset: syntheticDataset({ documents }) });
  closers.push(() => g.close());
  return g;
}

function sqliteStore(): OfflineStore {
  const files = scratch();
  const store = open(files.path);
  closers.push(() => files.done(), () => store.close());
  return store;
}

/** A transport to whichever gateway `to.url` names now: the lane's gateway replaced by another. */
function switching(to: { url: string }): Transport {
  const of = () => httpTransport({ baseUrl: to.url });
  const transports = new Map<string, Transport>();
  const current = () => {
    let t = transports.get(to.url);
    if (t === undefined) transports.set(to.url, (t = of()));
    return t;
  };
  return {
    get endpoint() {
      return to.url;
    },
    send: (request) => current().send(request),
    stream: (request) => current().stream!(request),
    close: async () => {
      for (const t of transports.values()) await t.close();
    },
  };
}

function client(transport: Transport, store: OfflineStore, maxShrink?: number) {
  const events: ClientEvent[] = [];
  const c = createClient({ transport, context, retry: { retries: 0 }, offline: { store, sources: ['SLTD'], ...(maxShrink !== undefined ? { maxShrink } : {}) } });
  c.on('syncFailed', (e) => events.push(e));
  closers.push(() => c.close());
  return { c, events };
}

const documentOf = (g: MockGateway, i: number) => {
  const d = g.dataset.documents[i]!;
  return { kind: 'document' as const, documentNumber: d.documentNumber, issuingState: d.issuingState, documentType: 'PASSPORT' as const };
};
const finds = (store: OfflineStore, g: MockGateway, i: number) => store.lookup('SLTD', offlineKeysOfSubject(documentOf(g, i), 'SLTD')[0]!).length > 0;

describe.each([
  ['the SQLite store', sqliteStore],
  ['the memory store', () => memoryOfflineStore()],
])('a sync that would remove most of the copy, in %s', (_, makeStore) => {
  it('is refused, the copy answering as before, and a syncFailed event says how many records were held and offered', async () => {
    const g = await gateway();
    const store = makeStore();
    const { c, events } = client(httpTransport({ baseUrl: g.url }), store);
    expect(await c.offline!.sync()).toEqual([expect.objectContaining({ ok: true, recordCount: RECORDS })]);
    for (let i = 0; i < 8; i++) g.removeRecord('SLTD', g.dataset.documents[i]!.recordId);

    const [refused] = await c.offline!.sync();
    expect(refused).toMatchObject({ ok: false });
    const error = (refused as { error: StoreError }).error;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_SHRINK_REFUSED');
    expect(error.retryable).toBe(false);
    expect(events).toEqual([{ type: 'syncFailed', source: 'SLTD', code: 'STORE_SHRINK_REFUSED', heldRecords: RECORDS, offeredRecords: 2 }]);
    expect(store.state('SLTD')?.recordCount).toBe(RECORDS);
    expect(finds(store, g, 0)).toBe(true);

    // Confirmed: applied.
    expect(await c.offline!.sync({ allowShrink: true })).toEqual([expect.objectContaining({ ok: true, recordCount: 2 })]);
    expect(finds(store, g, 0)).toBe(false);
    expect(finds(store, g, 9)).toBe(true);
  });

  it('is refused when it is a full snapshot from a gateway that lost its data', async () => {
    const before = await gateway();
    const to = { url: before.url };
    const store = makeStore();
    const { c, events } = client(switching(to), store);
    await c.offline!.sync();
    // Another gateway, with one record: it does not know the cursor, so the client takes its full snapshot.
    to.url = (await gateway(1)).url;
    const [refused] = await c.offline!.sync();
    expect(refused).toMatchObject({ ok: false, error: expect.objectContaining({ code: 'STORE_SHRINK_REFUSED' }) });
    expect(events).toEqual([expect.objectContaining({ heldRecords: RECORDS, offeredRecords: 1 })]);
    expect(store.state('SLTD')?.recordCount).toBe(RECORDS);
    expect(finds(store, before, 5)).toBe(true);
  });

  it('is applied up to maxShrink of the copy, and always with maxShrink 1', async () => {
    const g = await gateway();
    const half = client(httpTransport({ baseUrl: g.url }), makeStore());
    const all = client(httpTransport({ baseUrl: g.url }), makeStore(), 1);
    await half.c.offline!.sync();
    await all.c.offline!.sync();
    for (let i = 0; i < 5; i++) g.removeRecord('SLTD', g.dataset.documents[i]!.recordId);
    expect(await half.c.offline!.sync()).toEqual([expect.objectContaining({ ok: true, recordCount: 5 })]);
    for (let i = 5; i < 10; i++) g.removeRecord('SLTD', g.dataset.documents[i]!.recordId);
    expect(await half.c.offline!.sync()).toEqual([expect.objectContaining({ ok: false })]);
    expect(await all.c.offline!.sync()).toEqual([expect.objectContaining({ ok: true, recordCount: 0 })]);
  });
});

describe('offline.maxShrink and allowShrink', () => {
  it('are refused by name, never by value, when they are not a share or a boolean', async () => {
    for (const maxShrink of [-0.1, 1.5, Number.NaN, '0.5', null]) {
      let err: unknown;
      try {
        createClient({ transport: httpTransport({ baseUrl: 'http://127.0.0.1:9' }), context, offline: { store: memoryOfflineStore(), maxShrink } as never });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('`offline.maxShrink`');
    }
    const { c } = client(httpTransport({ baseUrl: 'http://127.0.0.1:9' }), memoryOfflineStore());
    await expect(c.offline!.sync({ allowShrink: 'SECRET' as never })).rejects.toThrow(/`allowShrink`/);
  });
});
