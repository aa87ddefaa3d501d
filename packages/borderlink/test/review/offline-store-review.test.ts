// Review of the SQLite store against snapshots over real sockets: what only describes a record never costs the copy.
import { afterEach, describe, expect, it } from 'vitest';
import { httpTransport } from 'borderlink';
import { fetchSnapshot } from '../../src/protocol/snapshot';
import { open, scratch } from '../offline/fixtures';
import { fullAnswer, sltdRecord } from '../helpers/snapshots';
import { startHostileGateway } from '../hostile/server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

describe('a snapshot record whose descriptive field could not be read', () => {
  it('is kept by the SQLite store, and the rest of the snapshot with it', async () => {
    const files = scratch();
    closers.push(() => files.done());
    const store = open(files.path);
    closers.push(() => store.close());
    const g = await startHostileGateway();
    closers.push(() => g.close());
    // One record with an owner country the reader cannot read (it keeps the record without it), one plain.
    const odd = { ...sltdRecord(1, 'ZZ7654321'), ownerCountry: 7 };
    const body = fullAnswer('SLTD', [{ op: 'upsert', record: odd }, { op: 'upsert', record: sltdRecord(2) }]);
    g.answer(() => ({ status: 200, headers: [['content-type', 'application/x-ndjson']], body }));
    const transport = httpTransport({ baseUrl: g.url });
    closers.push(() => transport.close());
    const fetched = await fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 5000 });
    if (fetched.kind !== 'snapshot') throw new Error('expected a snapshot');
    const end = await store.apply('SLTD', fetched.lines);
    expect(end.recordCount).toBe(2);
    const found = store.lookup('SLTD', 'doc\u0000UTO\u0000ZZ7654321');
    expect(found.map((r) => r.recordId)).toEqual(['SLTD-UTO-1']);
    expect(found[0]!.ownerCountry).toBeUndefined();
  });
});
