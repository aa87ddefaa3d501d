// Review: the halves of a batch the gateway refused as too large (413) were sent after the refused request had ended,
// when its lane might already be gone: a later identical check could not join them and sent a request of its own.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient } from 'borderlink';
import { gatedTransport, itemsOf } from '../helpers/gated';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const doc = (n: number) => ({ documentNumber: `N${n}`, issuingState: 'UTO', documentType: 'PASSPORT' as const });

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

/** A gateway that refuses two items or more with 413, and answers one item only when the test lets it. */
const oneAtATime = () =>
  gatedTransport((request) =>
    request.path === '/v1/checks' && itemsOf(request) > 1
      ? { status: 413, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'TOO_MANY_ITEMS', message: 'too many' } }) }
      : undefined,
  );

describe('the halves of a batch refused as too large', () => {
  it('can be joined by a later identical check, as any request in flight can', async () => {
    const t = oneAtATime();
    const client = createClient({ transport: t, context, batching: { maxItems: 100, maxDelayMs: 0 }, dedupe: true, retry: false, breaker: false });
    clients.push(client);
    const first = [client.checkDocument(doc(1)), client.checkDocument(doc(2))];
    // The 413, then the two halves of one item each, in flight.
    for (let i = 0; i < 50 && t.sent.length < 3; i++) await new Promise((r) => setImmediate(r));
    expect(t.sent.map(itemsOf)).toEqual([2, 1, 1]);
    const again = client.checkDocument(doc(1));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(t.sent).toHaveLength(3);
    t.releaseAll();
    const results = await Promise.all([...first, again]);
    expect(results.map((r) => r.verdict)).toEqual(['NO_HIT', 'NO_HIT', 'NO_HIT']);
    expect(results[2]!.requestId).toBe(results[0]!.requestId);
  });
});
