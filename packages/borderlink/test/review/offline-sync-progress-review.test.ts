// A progress bar over client.offline.sync(): the SQLite store reports its progress a batch of lines at a time, and the
// client's syncProgress events must still come every 10,000 lines or so, not only at the end.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type SyncProgressEvent } from 'borderlink';
import { createMockGateway, syntheticDataset } from 'borderlink/testing';
import { open, scratch } from '../offline/fixtures';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

describe('syncProgress with the SQLite store', () => {
  it('comes as the lines are applied, every 10,000 or so, and once at the end', async () => {
    const files = scratch();
    closers.push(() => files.done());
    const store = open(files.path);
    closers.push(() => store.close());
    const g = await createMockGateway({ dataset: syntheticDataset({ documents: 35_000 }) });
    closers.push(() => g.close());
    const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, offline: { store, sources: ['SLTD'] } });
    closers.push(() => client.close());
    const progress: number[] = [];
    client.on('syncProgress', (e: SyncProgressEvent) => progress.push(e.changes));
    expect((await client.offline!.sync())[0]).toMatchObject({ ok: true, changes: 35_000 });
    expect(progress.at(-1)).toBe(35_000);
    // Events before the end as the lines pass (the store reports a batch at a time, so "about" every 10,000).
    expect(progress.filter((n) => n < 35_000).length).toBeGreaterThanOrEqual(2);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });
});
