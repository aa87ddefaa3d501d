// Review: `outbox.pending()` listed at most 1,000 writes and said nothing of the rest: a flush answered "1000 pending"
// for a queue of 1,005, and a lane could not list what waited beyond the first thousand. The queue is now read page
// by page (`after` the position of the last write of the page before) and counted whole (`pendingCount()`), in the
// SQLite store and the memory store alike. Paging by key passed over writes: a key delivered and queued again between two
// pages had moved to the end, and the next page began after it there.
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, type OutboxStore } from 'borderlink';
import { memoryOfflineStore } from 'borderlink/testing';
import { closeAfterEach, deadUrl, outboxClient } from '../helpers/outbox';
import { open, scratch } from '../offline/fixtures';

const closers = closeAfterEach();
const QUEUED = 1005;
const key = (i: number) => `key-${String(i).padStart(5, '0')}`;

function sqliteOutbox(): OutboxStore {
  const files = scratch();
  const store = open(files.path);
  closers.push(() => files.done(), () => store.close());
  return store.outbox;
}
const stores: [string, () => OutboxStore][] = [
  ['the SQLite store', sqliteOutbox],
  ['the memory store', () => memoryOfflineStore().outbox],
];

function fill(outbox: OutboxStore, n: number): void {
  for (let i = 0; i < n; i++) outbox.enqueue({ idempotencyKey: key(i), kind: 'report', path: '/v1/reports/documents', body: `{"n":${i}}`, queuedAt: 1000 + i });
}

function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (err) {
    return err as Error;
  }
  throw new Error('not refused');
}

describe.each(stores)('a queue longer than a page, in %s', (_, make) => {
  it('is counted whole when a flush leaves it waiting', async () => {
    const outbox = make();
    fill(outbox, QUEUED);
    const { c } = outboxClient(closers, (await deadUrl()).url, outbox);
    expect(await c.outbox!.flush()).toEqual({ delivered: 0, rejected: 0, pending: QUEUED });
    expect(c.outbox!.pendingCount()).toBe(QUEUED);
  });

  it('is listed page by page, each write once and in order, a key that left the queue meanwhile included', async () => {
    const outbox = make();
    fill(outbox, QUEUED);
    const { c } = outboxClient(closers, (await deadUrl()).url, outbox);
    const first = c.outbox!.pending();
    expect(first).toHaveLength(1000);
    // The last key of the page is delivered before the next page is read: the list goes on after its place.
    outbox.delivered(first.at(-1)!.idempotencyKey);
    const second = c.outbox!.pending({ after: first.at(-1)!.position, limit: 3 });
    const rest = c.outbox!.pending({ after: second.at(-1)!.position });
    expect([...first, ...second, ...rest].map((w) => w.idempotencyKey)).toEqual(Array.from({ length: QUEUED }, (_, i) => key(i)));
    expect(c.outbox!.pending({ after: rest.at(-1)!.position })).toEqual([]);
    expect(c.outbox!.pendingCount()).toBe(QUEUED - 1);
  });

  it('passes over no write when the last one of a page is delivered and queued again before the next page', async () => {
    const outbox = make();
    fill(outbox, 10);
    const first = outbox.pending(4);
    const last = first.at(-1)!;
    outbox.delivered(last.idempotencyKey);
    // Sent again under its key (say, after a restart): queued anew, at the end.
    outbox.enqueue({ idempotencyKey: last.idempotencyKey, kind: 'report', path: '/v1/reports/documents', body: `{"n":3}`, queuedAt: 5000 });
    const rest = outbox.pending(1000, last.position);
    expect(rest.map((w) => w.idempotencyKey)).toEqual([4, 5, 6, 7, 8, 9, 3].map(key));
    expect(rest.at(-1)!.position).toBeGreaterThan(last.position);
    expect(outbox.pending(1000, rest.at(-1)!.position)).toEqual([]);
  });

  it('refuses what it cannot page by, by name and never by value', async () => {
    const outbox = make();
    fill(outbox, 2);
    const { c } = outboxClient(closers, (await deadUrl()).url, outbox);
    for (const [options, path] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 10_001 }, 'limit'],
      [{ limit: 1.5 }, 'limit'],
      [{ after: '' }, 'after'],
      [{ after: 'SECRET-KEY' }, 'after'],
      [{ after: -1 }, 'after'],
      [{ after: 1.5 }, 'after'],
      [{ since: 'SECRET-KEY' }, 'since'],
    ] as const) {
      const err = thrown(() => c.outbox!.pending(options as never));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toContain(`\`${path}\``);
      expect(err.message).not.toContain('SECRET');
    }
    // The store refuses a position it cannot page by, from any caller.
    for (const after of [-1, 1.5, Number.NaN, 'SECRET-never-queued']) {
      const refused = thrown(() => outbox.pending(10, after as never));
      expect(refused).toBeInstanceOf(InputError);
      expect((refused as InputError).issues).toEqual([{ path: 'after', message: expect.any(String) }]);
      expect(refused.message).not.toContain('SECRET');
    }
  });
});
