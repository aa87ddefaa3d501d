// Review: a lone call of an idle context goes once the turn's promise jobs are done, as the option's TSDoc says: calls
// made in promise continuations of one callback still share its request, whether the first was made in a callback of
// the event loop (an I/O callback, a timer, an immediate) or in a promise job.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const doc = (n: number) => ({ documentNumber: `N${n}`, issuingState: 'UTO', documentType: 'PASSPORT' as const });

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('batching of an idle context, from a callback of the event loop', () => {
  it('sends the calls of one callback and of its promise continuations as one request', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context, batching: { maxItems: 100, maxDelayMs: 0 }, retry: false, breaker: false });
    clients.push(client);
    const calls = await new Promise<Promise<unknown>[]>((resolve) => {
      setImmediate(() => {
        const out = [client.checkDocument(doc(1))];
        void Promise.resolve()
          .then(() => out.push(client.checkDocument(doc(2))))
          .then(() => out.push(client.checkDocument(doc(3))))
          .then(() => resolve(out));
      });
    });
    await Promise.all(calls);
    expect(transport.requests.length).toBe(1);
    expect((transport.requests[0]!.body as { items: unknown[] }).items).toHaveLength(3);
  });
});
