// Answers a gateway we did not write may give, over real sockets. Whatever it says, a HIT it reports is not lost.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type BorderlinkClient } from 'borderlink';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Answer = (body: { items: { itemId: string; sources: string[] }[] }) => { status: number; body: unknown };

async function gateway(answer: Answer): Promise<{ client: BorderlinkClient; requests: number[] }> {
  const requests: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      const body = JSON.parse(text) as Parameters<Answer>[0];
      requests.push(body.items.length);
      const { status, body: out } = answer(body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createClient({
    transport: httpTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    context,
    retry: false,
  });
  cleanups.push(async () => {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { client, requests };
}

describe('a gateway that says HIT', () => {
  it('in a source outcome without sending the hit record: the verdict is a hit, not INCOMPLETE', async () => {
    const { client } = await gateway((body) => ({
      status: 200,
      body: {
        requestId: 'r-1',
        items: body.items.map((i) => ({
          itemId: i.itemId,
          outcomes: [{ source: 'SLTD', status: 'HIT' }, { source: 'TDAWN', status: 'NO_HIT' }],
          hits: [],
        })),
      },
    }));
    const result = await client.checkDocument(document);
    expect(['HIT', 'POSSIBLE_HIT']).toContain(result.verdict);
  });
});

describe('a gateway that answers 413 to every batch', () => {
  it('stops halving once a request of one row is refused as too many, and every row comes out as an error', async () => {
    const { client, requests } = await gateway(() => ({ status: 413, body: { error: { code: 'TOO_MANY_ITEMS', message: 'no' } } }));
    const items = Array.from({ length: 16 }, (_, i) => ({ id: `row-${i}`, subjects: [{ kind: 'document' as const, ...document }] }));
    const rows = [];
    for await (const row of client.checkMany(items, { batchSize: 16, concurrency: 1 })) rows.push(row);
    expect(rows).toHaveLength(16);
    expect(rows.every((r) => r.error?.code === 'TOO_MANY_ITEMS')).toBe(true);
    // A gateway that refuses even one item a request will refuse every size: halving down to one row per request
    // (31 requests for 16 rows) only multiplies the load it is already shedding.
    expect(requests.length).toBeLessThanOrEqual(16);
  });
});
