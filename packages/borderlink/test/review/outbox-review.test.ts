// Review of the durable outbox when its store fails, over real sockets: a write is answered QUEUED only when it is
// queued, a stored write is never reported as a failure because of the outbox, every error says which key (and
// whether the gateway may have it), and nothing the outbox does in the background can take the process down.
import { describe, expect, it } from 'vitest';
import { BorderlinkError, createClient, httpTransport, StoreError, type OutboxStore } from 'borderlink';
import { createMockGateway, memoryOfflineStore } from 'borderlink/testing';
import { startHostileGateway } from '../hostile/server';
import { CONTEXT, REPORT, closeAfterEach, deadUrl, outboxClient } from '../helpers/outbox';

const context = CONTEXT;

const closers = closeAfterEach();
const client = (url: string, store: OutboxStore, flushIntervalMs?: number) => outboxClient(closers, url, store, flushIntervalMs);



const failing = () => new StoreError('SQLite failed (SQLITE_IOERR)', { code: 'STORE_FAILED' });

/** An outbox store whose `method` fails from its `from`-th call on (counting from 1). */
function failingFrom(method: keyof OutboxStore, from: number): OutboxStore & { calls: number } {
  const inner = memoryOfflineStore().outbox;
  const store = {
    ...inner,
    calls: 0,
    [method]: (...args: unknown[]) => {
      store.calls++;
      if (store.calls >= from) throw failing();
      return (inner[method] as (...a: unknown[]) => unknown)(...args);
    },
  } as OutboxStore & { calls: number };
  return store;
}

function catchUnhandled(): unknown[] {
  const unhandled: unknown[] = [];
  const on = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', on);
  closers.push(() => void process.off('unhandledRejection', on));
  return unhandled;
}

describe('the outbox when its store fails', () => {
  it('says which key a write was when the store cannot tell whether writes are waiting', async () => {
    const g = await createMockGateway();
    closers.push(() => g.close());
    // The client's own look at start-up passes; the write's look fails.
    const { c } = client(g.url, failingFrom('pending', 2));
    const err = await c.reportDocument(REPORT, { idempotencyKey: 'key-store-fails-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BorderlinkError);
    expect((err as BorderlinkError).idempotencyKey).toBe('key-store-fails-1');
    expect((err as BorderlinkError).mayHaveBeenStored).toBe(false);
    expect(g.reports).toHaveLength(0);
  });

  it('answers STORED for a write the gateway stored, though the store fails when asked what waits afterwards', async () => {
    const g = await createMockGateway();
    closers.push(() => g.close());
    // A deadline no loaded machine reaches: a write that missed its deadline would be answered QUEUED, rightly.
    const { c } = outboxClient(closers, g.url, failingFrom('pending', 3), undefined, 20_000);
    const answer = await c.reportDocument(REPORT, { idempotencyKey: 'key-store-fails-2' });
    expect(answer).toMatchObject({ status: 'STORED', idempotencyKey: 'key-store-fails-2' });
    expect(g.reports).toHaveLength(1);
  });

  it('says which key, and that it may have been stored, when a write that may have reached the gateway cannot be queued', async () => {
    const g = await startHostileGateway();
    closers.push(() => g.close());
    g.answer(() => ({ hang: true }));
    const { c } = client(g.url, failingFrom('enqueue', 1));
    const err = await c.reportDocument(REPORT, { idempotencyKey: 'key-store-fails-3' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BorderlinkError);
    expect((err as BorderlinkError).idempotencyKey).toBe('key-store-fails-3');
    expect((err as BorderlinkError).mayHaveBeenStored).toBe(true);
  });

  it('takes no process down when the store fails during a replay the timer started', async () => {
    const unhandled = catchUnhandled();
    const { url } = await deadUrl();
    const store = failingFrom('pending', Number.POSITIVE_INFINITY);
    const { c } = client(url, store, 1000);
    expect(await c.reportDocument(REPORT, { idempotencyKey: 'key-store-fails-4' })).toMatchObject({ status: 'QUEUED' });
    // From now on the store fails: the next timer replay meets it.
    const before = store.calls;
    (store as { pending: OutboxStore['pending'] }).pending = () => {
      store.calls++;
      throw failing();
    };
    await expect.poll(() => store.calls, { timeout: 3000 }).toBeGreaterThan(before);
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
    // Asked for by name, the failure is the caller's to see.
    await expect(c.outbox!.flush()).rejects.toBeInstanceOf(StoreError);
  });
});

describe('the outbox and the cache', () => {
  it('does not serve a cached NO_HIT for a document once a queued report of it was delivered', async () => {
    const g = await createMockGateway();
    closers.push(() => g.close());
    const c = createClient({
      transport: httpTransport({ baseUrl: g.url }),
      context,
      retry: { retries: 0 },
      breaker: false,
      cache: { noHitTtlMs: 60_000, hitTtlMs: 60_000 },
      outbox: { store: memoryOfflineStore().outbox },
    });
    closers.push(() => c.close());
    const document = { documentNumber: REPORT.documentNumber, issuingState: REPORT.issuingState, documentType: REPORT.documentType };
    expect((await c.checkDocument(document)).verdict).toBe('NO_HIT');
    expect((await c.checkDocument(document)).servedFrom).toBe('cache');
    // Reports cannot get through; checks can.
    g.setFaults({ random: { rate: 1, seed: 1, faults: [{ type: 'reset' }] }, paths: ['/v1/reports/*'] });
    expect(await c.reportDocument(REPORT, { idempotencyKey: 'key-cache-1' })).toMatchObject({ status: 'QUEUED' });
    // While it waits, the gateway rightly answers NO_HIT, and that answer is cached again.
    expect((await c.checkDocument(document)).verdict).toBe('NO_HIT');
    expect((await c.checkDocument(document)).servedFrom).toBe('cache');
    g.setFaults();
    expect(await c.outbox!.flush()).toMatchObject({ delivered: 1 });
    // The gateway now holds the report: a cached clear would be a false one.
    const after = await c.checkDocument(document);
    expect(after.servedFrom).toBe('network');
    expect(after.verdict).toBe('HIT');
  });
});
