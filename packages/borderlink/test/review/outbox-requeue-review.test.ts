// Review of the durable outbox on the SQLite store, over real sockets: a write answered QUEUED is delivered (or
// rejected) like any queued write, whatever its key went through before.
import { describe, expect, it } from 'vitest';
import { ConflictError, type OutboxStore } from 'borderlink';
import { createMockGateway } from 'borderlink/testing';
import { open, scratch } from '../offline/fixtures';
import { REPORT, closeAfterEach, outboxClient } from '../helpers/outbox';


const closers = closeAfterEach();
const client = (url: string, store: OutboxStore, flushIntervalMs?: number) => outboxClient(closers, url, store, flushIntervalMs);


describe('the outbox and a key sent again', () => {
  it('delivers a write sent again under a key that already left the queue, while other writes wait', async () => {
    const files = scratch();
    closers.push(() => files.done());
    const store = open(files.path);
    closers.push(() => store.close());
    const g = await createMockGateway();
    closers.push(() => g.close());
    const linkDown = () => g.setFaults({ random: { rate: 1, seed: 1, faults: [{ type: 'reset' }] }, paths: ['/v1/reports/*'] });
    const { c, events } = client(g.url, store.outbox);
    linkDown();
    await c.reportDocument(REPORT, { idempotencyKey: 'key-left-1' });
    g.setFaults();
    expect(await c.outbox!.flush()).toMatchObject({ delivered: 1, pending: 0 });
    // The link is gone again; another write waits, and the application sends the first again (say, after a restart).
    linkDown();
    await c.reportDocument({ ...REPORT, documentNumber: 'UT7654321' }, { idempotencyKey: 'key-left-2' });
    const again = await c.reportDocument(REPORT, { idempotencyKey: 'key-left-1' });
    expect(again).toMatchObject({ status: 'QUEUED', reason: 'OUTBOX_NOT_EMPTY' });
    g.setFaults();
    expect(await c.outbox!.flush()).toMatchObject({ delivered: 2, pending: 0 });
    // Answered QUEUED, it is delivered like any queued write (the gateway answers it as a replay), and the caller hears it.
    const delivered = events.filter((e) => e.type === 'delivered') as { idempotencyKey: string; replayed: boolean }[];
    expect(delivered.map((e) => [e.idempotencyKey, e.replayed])).toEqual([['key-left-1', false], ['key-left-2', false], ['key-left-1', true]]);
    expect(g.reports).toHaveLength(2);
  });
});

describe('the outbox and a key queued already with another write', () => {
  it('refuses the other write with IDEMPOTENCY_KEY_REUSED, naming the key, rather than answer QUEUED and drop it', async () => {
    const files = scratch();
    closers.push(() => files.done());
    const store = open(files.path);
    closers.push(() => store.close());
    const g = await createMockGateway();
    closers.push(() => g.close());
    g.setFaults({ random: { rate: 1, seed: 1, faults: [{ type: 'reset' }] }, paths: ['/v1/reports/*'] });
    const { c } = client(g.url, store.outbox);
    expect(await c.reportDocument(REPORT, { idempotencyKey: 'key-reused-1' })).toMatchObject({ status: 'QUEUED' });
    // The same report again under its key: one write, queued once.
    expect(await c.reportDocument(REPORT, { idempotencyKey: 'key-reused-1' })).toMatchObject({ status: 'QUEUED' });
    const other = await c.reportDocument({ ...REPORT, documentNumber: 'UT7654321' }, { idempotencyKey: 'key-reused-1' }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ConflictError);
    expect((other as ConflictError).idempotencyKey).toBe('key-reused-1');
    expect(c.outbox!.pending()).toHaveLength(1);
    g.setFaults();
    expect(await c.outbox!.flush()).toMatchObject({ delivered: 1, pending: 0 });
    expect(g.reports.map((r) => r.report.documentNumber)).toEqual([REPORT.documentNumber]);
  });
});
