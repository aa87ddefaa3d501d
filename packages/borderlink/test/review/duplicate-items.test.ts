// Rule 1: a gateway answer that lists the same item twice must never read as clear, whichever copy comes first.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient } from 'borderlink';
import type { Transport, TransportRequest } from 'borderlink';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

const hit = {
  hitId: 'h1',
  source: 'SLTD',
  kind: 'document',
  recordId: 'r1',
  ownerCountry: 'UTO',
  match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber'] },
  confirmation: { state: 'UNCONFIRMED' },
  document: { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
};
const clear = (itemId: string) => ({ itemId, outcomes: [{ source: 'SLTD', status: 'NO_HIT' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [] });
const found = (itemId: string) => ({ itemId, outcomes: [{ source: 'SLTD', status: 'HIT' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [hit] });

/** Answers every check with the items `itemsFor` gives for the request's item ids. */
function answering(itemsFor: (ids: string[]) => unknown[]): Transport {
  return {
    endpoint: 'test://duplicates',
    send(request: TransportRequest) {
      const ids = (JSON.parse(request.body!) as { items: { itemId: string }[] }).items.map((i) => i.itemId);
      return Promise.resolve({ status: 200, headers: {}, body: JSON.stringify({ requestId: 'gw-1', items: itemsFor(ids) }) });
    },
    close: () => Promise.resolve(),
  };
}

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
function make(transport: Transport): BorderlinkClient {
  const client = createClient({ transport, context, retry: false });
  clients.push(client);
  return client;
}

describe('an item the gateway answers twice', () => {
  it.each([
    ['clear first', (id: string) => [clear(id), found(id)]],
    ['hit first', (id: string) => [found(id), clear(id)]],
  ])('is never NO_HIT for a single check (%s)', async (_name, twice) => {
    const client = make(answering((ids) => twice(ids[0]!)));
    const outcome = await client.checkDocument(document).then(
      (r) => r.verdict,
      (e: { code?: string }) => e.code,
    );
    expect(outcome).not.toBe('NO_HIT');
  });

  it.each([
    ['clear first', (id: string) => [clear(id), found(id)]],
    ['hit first', (id: string) => [found(id), clear(id)]],
  ])('fails every row of the batch, never NO_HIT (%s)', async (_name, twice) => {
    const client = make(answering((ids) => ids.flatMap((id) => (id === '0' ? twice(id) : [clear(id)]))));
    const rows = [];
    for await (const row of client.checkMany([
      { id: 'a', subjects: [{ kind: 'document', ...document }] },
      { id: 'b', subjects: [{ kind: 'document', ...document, documentNumber: 'X1' }] },
    ])) rows.push(row);
    expect(rows.map((r) => r.id).sort()).toEqual(['a', 'b']);
    // The numbering of that answer cannot be trusted, so no row of it is believed.
    expect(rows.map((r) => r.error?.code)).toEqual(['PROTOCOL_ERROR', 'PROTOCOL_ERROR']);
  });
});
