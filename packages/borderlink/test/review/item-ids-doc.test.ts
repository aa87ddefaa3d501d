// docs/protocol.md tells a gateway's builders how the client numbers the items of POST /v1/checks: the numbering
// the client uses, held to the page.
import { readFileSync } from 'node:fs';
import { createClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { describe, expect, it } from 'vitest';

const page = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
const context = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'TEST' } as const;
const vehicle = (vin: string) => ({ kind: 'vehicle' as const, vin });
const itemIds = (transport: ReturnType<typeof mockTransport>) => transport.requests.map((r) => (r.body as { items: { itemId: string }[] }).items.map((i) => i.itemId));

describe('the item ids of docs/protocol.md', () => {
  it('a single check sends one item "1"', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context });
    await client.check({ subjects: [vehicle('WVWZZZ1JZXW000001')] });
    expect(itemIds(transport)).toEqual([['1']]);
    expect(page).toContain('sends one item, `itemId: "1"`');
    await client.close();
  });

  it('checkMany numbers each item by its row in the input, from "0", across requests', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context });
    const rows = ['WVWZZZ1JZXW000001', 'WVWZZZ1JZXW000002', 'WVWZZZ1JZXW000003'].map((vin, i) => ({ id: `row-${i}`, subjects: [vehicle(vin)] }));
    for await (const row of client.checkMany(rows, { batchSize: 2, concurrency: 1 })) void row;
    expect(itemIds(transport)).toEqual([['0', '1'], ['2']]);
    expect(page).toContain("each numbered by its row's place in the input from `\"0\"` (the second request of 100 holds `\"100\"` to `\"199\"`");
    await client.close();
  });

  it('the halves sent again after a 413 keep their numbers', async () => {
    const transport = mockTransport({ faults: [{ type: 'status', status: 413 }] });
    const client = createClient({ transport, context });
    const rows = ['WVWZZZ1JZXW000001', 'WVWZZZ1JZXW000002'].map((vin, i) => ({ id: `row-${i}`, subjects: [vehicle(vin)] }));
    for await (const row of client.checkMany(rows, { batchSize: 2 })) void row;
    expect(itemIds(transport)).toEqual([['0', '1'], ['0'], ['1']]);
    expect(page).toContain('the two halves sent again after a 413 keep their numbers');
    await client.close();
  });

  it('automatic batching numbers the calls of one request "1", "2", …', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context, batching: { maxItems: 10 } });
    await Promise.all(['WVWZZZ1JZXW000001', 'WVWZZZ1JZXW000002'].map((vin) => client.checkVehicle({ vin })));
    expect(itemIds(transport)).toEqual([['1', '2']]);
    expect(page).toContain('go as the items of one request, numbered `"1"`, `"2"`, …');
    await client.close();
  });
});
