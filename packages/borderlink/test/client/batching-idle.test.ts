// When batching waits: a context with no request out sends its calls once the turn's promise jobs are done (a lone call
// waits for no loop round), and while one of its requests is out, the calls released in one round gather to its end.
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError, createClient, type BorderlinkClient, type Transport } from 'borderlink';
import { gatedTransport as gated, itemsOf } from '../helpers/gated';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const other = { ...context, operatorId: 'officer-0043' } as const;
const doc = (n: number) => ({ documentNumber: `N${n}`, issuingState: 'UTO', documentType: 'PASSPORT' as const });

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

function make(transport: Transport) {
  const client = createClient({ transport, context, batching: { maxItems: 100, maxDelayMs: 0 }, retry: false, breaker: false });
  clients.push(client);
  return client;
}

/** How many requests the transport had seen when an immediate queued now (before the calls it follows) ran. */
const seenAtRoundEnd = (t: { sent: unknown[] }) => new Promise<number>((resolve) => setImmediate(() => resolve(t.sent.length)));

describe('batching when nothing of the context is out', () => {
  it('sends a lone call before the loop round ends, again after its request was answered, and after one failed', async () => {
    const t = gated();
    const client = make(t);
    const roundEndFirst = seenAtRoundEnd(t);
    const first = client.checkDocument(doc(1));
    expect(await roundEndFirst).toBe(1);
    t.release(0);
    expect((await first).verdict).toBe('NO_HIT');
    const roundEndSecond = seenAtRoundEnd(t);
    const second = client.checkDocument(doc(2));
    expect(await roundEndSecond).toBe(2);
    t.fail.add(1);
    t.release(1);
    await expect(second).rejects.toBeInstanceOf(GatewayError);
    const roundEndThird = seenAtRoundEnd(t);
    const third = client.checkDocument(doc(3));
    expect(await roundEndThird).toBe(3);
    t.release(2);
    await third;
  });

  it('still sends the calls made together as one request', async () => {
    const t = gated();
    const client = make(t);
    const roundEnd = seenAtRoundEnd(t);
    const calls = [1, 2, 3, 4].map((n) => client.checkDocument(doc(n)));
    expect(await roundEnd).toBe(1);
    expect(itemsOf(t.sent[0]!)).toBe(4);
    t.release(0);
    await Promise.all(calls);
  });

  it('gathers the calls of separate callbacks of one round while a request of the context is out', async () => {
    const t = gated();
    const client = make(t);
    const roundEndFirst = seenAtRoundEnd(t);
    const first = client.checkDocument(doc(1));
    expect(await roundEndFirst).toBe(1);
    // Two callbacks of one loop round, as two answers or two incoming requests of a server would be.
    const later = await new Promise<Promise<unknown>[]>((resolve) => {
      const out: Promise<unknown>[] = [];
      setImmediate(() => out.push(client.checkDocument(doc(2))));
      setImmediate(() => {
        out.push(client.checkDocument(doc(3)));
        resolve(out);
      });
    });
    expect(await seenAtRoundEnd(t)).toBe(2);
    expect(itemsOf(t.sent[1]!)).toBe(2);
    t.release(0);
    t.release(1);
    await Promise.all([first, ...later]);
  });

  it('keeps the contexts apart: a request out under one context does not hold back a lone call of another', async () => {
    const t = gated();
    const client = make(t);
    const roundEndFirst = seenAtRoundEnd(t);
    const first = client.checkDocument(doc(1));
    expect(await roundEndFirst).toBe(1);
    const roundEndOther = seenAtRoundEnd(t);
    const otherCall = client.checkDocument(doc(2), { context: other });
    expect(await roundEndOther).toBe(2);
    t.release(0);
    t.release(1);
    await Promise.all([first, otherCall]);
  });
});
