// Review of the durable outbox against a gateway we did not write, over real sockets: a refusal for good is one
// whatever its status, never queued and never replayed for ever.
import { afterEach, describe, expect, it } from 'vitest';
import { BorderlinkError, createClient, httpTransport, type ClientEvent, type OutboxStore } from 'borderlink';
import { memoryOfflineStore } from 'borderlink/testing';
import { startHostileGateway, type HostileAnswer } from '../hostile/server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const REPORT = { documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2026-11-20' } as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

function client(url: string, store: OutboxStore, flushIntervalMs?: number) {
  const events: ClientEvent[] = [];
  const c = createClient({
    transport: httpTransport({ baseUrl: url }),
    context,
    retry: { retries: 0 },
    breaker: false,
    timeoutMs: 1000,
    outbox: { store, ...(flushIntervalMs !== undefined ? { flushIntervalMs } : {}) },
  });
  for (const t of ['queued', 'delivered', 'rejected'] as const) c.on(t, (e) => events.push(e));
  closers.push(() => c.close());
  return { c, events };
}

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
