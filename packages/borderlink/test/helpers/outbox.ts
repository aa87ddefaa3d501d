// What the offline and outbox tests share: a gateway address where nothing listens any more, a client with an outbox
// that records its events, and the things a test opened, closed after it in reverse order.
import { afterEach } from 'vitest';
import { createClient, httpTransport, type ClientEvent, type OutboxStore } from 'borderlink';
import { createMockGateway } from 'borderlink/testing';

export const CONTEXT = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
export const REPORT = { documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2026-11-20' } as const;

/** Things to close after each test of the file that calls this, last opened first. */
export function closeAfterEach(): (() => Promise<void> | void)[] {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  return closers;
}

/** The address of a gateway that was there and is gone: connections to it are refused. */
export async function deadUrl(): Promise<{ url: string; port: number }> {
  const g = await createMockGateway();
  const url = g.url;
  await g.close();
  return { url, port: Number(new URL(url).port) };
}

/**
 * A client with an outbox on `store`, no retries and no breaker, recording its outbox events. Its deadline is short
 * (1 s) so that tests of a gateway that hangs end soon; a test that needs a write to reach a working gateway on a
 * loaded machine gives a longer one.
 */
export function outboxClient(closers: (() => Promise<void> | void)[], url: string, store: OutboxStore, flushIntervalMs?: number, timeoutMs = 1000) {
  const events: ClientEvent[] = [];
  const c = createClient({
    transport: httpTransport({ baseUrl: url }),
    context: CONTEXT,
    retry: { retries: 0 },
    breaker: false,
    timeoutMs,
    outbox: { store, ...(flushIntervalMs !== undefined ? { flushIntervalMs } : {}) },
  });
  for (const t of ['queued', 'delivered', 'rejected'] as const) c.on(t, (e) => events.push(e));
  closers.push(() => c.close());
  return { c, events };
}
