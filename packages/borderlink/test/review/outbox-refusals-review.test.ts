// Review of the durable outbox against a gateway we did not write, over real sockets: a refusal for good is one
// whatever its status, never queued and never replayed for ever.
import { describe, expect, it } from 'vitest';
import { BorderlinkError, type OutboxStore } from 'borderlink';
import { memoryOfflineStore } from 'borderlink/testing';
import { startHostileGateway, type HostileAnswer } from '../hostile/server';
import { REPORT, closeAfterEach, outboxClient } from '../helpers/outbox';


const closers = closeAfterEach();
const client = (url: string, store: OutboxStore, flushIntervalMs?: number) => outboxClient(closers, url, store, flushIntervalMs);


describe('the outbox and the gateway', () => {
  const json = (status: number, code: string): HostileAnswer => ({ status, headers: [['content-type', 'application/json']], body: JSON.stringify({ error: { code, message: 'no' } }) });

  it('rejects a queued write the gateway refuses with a 4xx protocol v1 does not list, rather than replay it for ever', async () => {
    const g = await startHostileGateway();
    closers.push(() => g.close());
    g.answer(() => json(503, 'UPSTREAM_UNAVAILABLE'));
    const { c, events } = client(g.url, memoryOfflineStore().outbox);
    expect(await c.reportDocument(REPORT, { idempotencyKey: 'key-422-queued' })).toMatchObject({ status: 'QUEUED' });
    g.answer(() => json(422, 'UNPROCESSABLE'));
    expect(await c.outbox!.flush()).toEqual({ delivered: 0, rejected: 1, pending: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'rejected', idempotencyKey: 'key-422-queued' });
  });

  it('does not queue a write the gateway refused with a 4xx protocol v1 does not list: the caller hears it', async () => {
    const g = await startHostileGateway();
    closers.push(() => g.close());
    g.answer(() => json(422, 'UNPROCESSABLE'));
    const { c } = client(g.url, memoryOfflineStore().outbox);
    const err = await c.reportDocument(REPORT, { idempotencyKey: 'key-422-direct' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BorderlinkError);
    expect((err as BorderlinkError).idempotencyKey).toBe('key-422-direct');
    expect(c.outbox!.pending()).toEqual([]);
  });
});
