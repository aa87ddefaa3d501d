// client.offline.sync() into the SQLite store from a gateway we did not write, over real sockets: a delta whose counts
// lie leaves the copy as it was, a delta that removes and adds a record again keeps it, and a full answer to a delta
// replaces the copy.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, offlineKeysOfSubject, type Subject } from 'borderlink';
import { open, scratch } from '../offline/fixtures';
import { deltaAnswer, fullAnswer, sltdRecord } from '../helpers/snapshots';
import { startHostileGateway } from '../hostile/server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

const doc = (documentNumber: string): Subject => ({ kind: 'document', documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' });

async function setup() {
  const files = scratch();
  closers.push(() => files.done());
  const store = open(files.path);
  closers.push(() => store.close());
  const g = await startHostileGateway();
  closers.push(() => g.close());
  const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, retry: { retries: 0 }, offline: { store, sources: ['SLTD'] } });
  closers.push(() => client.close());
  const find = (documentNumber: string) => offlineKeysOfSubject(doc(documentNumber), 'SLTD').flatMap((k) => store.lookup('SLTD', k).map((r) => r.recordId));
  const serve = (body: string) => g.answer(() => ({ status: 200, headers: [['content-type', 'application/x-ndjson']], body }));
  return { g, store, client, find, serve };
}

const upsert = (i: number) => ({ op: 'upsert', record: sltdRecord(i) });
const now = () => new Date().toISOString();

describe('a hostile gateway’s snapshots, synced', () => {
  it('a delta whose record count lies leaves the copy and its cursor as they were', async () => {
    const { store, client, find, serve } = await setup();
    serve(fullAnswer('SLTD', [upsert(1), upsert(2)], { dataAsOf: now() }));
    expect((await client.offline!.sync())[0]).toMatchObject({ ok: true });
    const before = store.state('SLTD');
    // Two records, one deleted and one added: still two, not the five it says.
    serve(deltaAnswer('SLTD', [{ op: 'delete', source: 'SLTD', recordId: 'SLTD-UTO-1' }, upsert(3)], { recordCount: 5, dataAsOf: now() }));
    expect((await client.offline!.sync())[0]).toMatchObject({ ok: false, error: expect.objectContaining({ code: 'PROTOCOL_ERROR' }) });
    expect(store.state('SLTD')).toEqual(before);
    expect(find('X0000001')).toEqual(['SLTD-UTO-1']);
    expect(find('X0000003')).toEqual([]);
  });

  it('a delta that removes a record and adds it again keeps it; one that adds and removes it drops it', async () => {
    const { client, find, serve } = await setup();
    serve(fullAnswer('SLTD', [upsert(1), upsert(2)], { dataAsOf: now() }));
    await client.offline!.sync();
    serve(
      deltaAnswer(
        'SLTD',
        [{ op: 'delete', source: 'SLTD', recordId: 'SLTD-UTO-1' }, upsert(1), upsert(2), { op: 'delete', source: 'SLTD', recordId: 'SLTD-UTO-2' }],
        { recordCount: 1, dataAsOf: now() },
      ),
    );
    expect((await client.offline!.sync())[0]).toMatchObject({ ok: true, recordCount: 1 });
    expect(find('X0000001')).toEqual(['SLTD-UTO-1']);
    expect(find('X0000002')).toEqual([]);
  });

  it('a full answer to a delta replaces the copy whole', async () => {
    const { client, find, serve } = await setup();
    serve(fullAnswer('SLTD', [upsert(1), upsert(2)], { dataAsOf: now() }));
    await client.offline!.sync();
    serve(fullAnswer('SLTD', [upsert(3)], { dataAsOf: now(), cursor: 'cursor-9' }));
    expect((await client.offline!.sync())[0]).toMatchObject({ ok: true, full: true, recordCount: 1 });
    expect([...find('X0000001'), ...find('X0000002'), ...find('X0000003')]).toEqual(['SLTD-UTO-3']);
  });

});
