// Rule 1 in batches: the item id is all that ties a verdict to a traveller. A gateway whose numbering is off must not
// move the wanted passenger's HIT to the next row; a gateway that takes fewer items must still answer every row;
// and the caller's own row ids must be present and unique.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BatchOutcome, type BorderlinkClient } from 'borderlink';
import type { Transport, TransportRequest } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'MANIFEST_SCREENING' } as const;
const doc = (documentNumber: string) => ({ kind: 'document', documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' }) as const;
const hit = {
  hitId: 'h1', source: 'SLTD', kind: 'document', recordId: 'r1', ownerCountry: 'UTO',
  match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber'] }, confirmation: { state: 'UNCONFIRMED' },
  document: { documentNumber: 'WANTED1', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
};

/** Answers each asked item; `shift` renumbers the answers (a gateway counting one off). */
function gateway(answer: (ids: string[], sizes: number[]) => { status: number; items?: unknown[] }): Transport & { sizes: number[] } {
  const sizes: number[] = [];
  return {
    endpoint: 'test://numbering',
    sizes,
    send(request: TransportRequest) {
      const items = (JSON.parse(request.body!) as { items: { itemId: string; subjects: { documentNumber: string }[] }[] }).items;
      sizes.push(items.length);
      const { status, items: answered } = answer(items.map((i) => i.itemId), sizes);
      const body = status === 200 ? { requestId: 'gw', items: answered } : { error: { code: 'TOO_MANY_ITEMS', message: 'x' } };
      return Promise.resolve({ status, headers: {}, body: JSON.stringify(body) });
    },
    close: () => Promise.resolve(),
  };
}
const clear = (itemId: string) => ({ itemId, outcomes: [{ source: 'SLTD', status: 'NO_HIT' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [] });
const found = (itemId: string) => ({ itemId, outcomes: [{ source: 'SLTD', status: 'HIT' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [hit] });

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
async function screen(transport: Transport, rows: { id: string; subjects: ReturnType<typeof doc>[] }[], batchSize = 100) {
  const client = createClient({ transport, context, retry: false });
  clients.push(client);
  const out: BatchOutcome[] = [];
  for await (const row of client.checkMany(rows, { batchSize })) out.push(row);
  return out;
}

describe('a gateway that numbers its answers one off', () => {
  it('makes the whole batch a ProtocolError: the wanted passenger never reads NO_HIT, nobody else carries the HIT', async () => {
    // Row "wanted" (item 0) holds the HIT, but the gateway answers it under item 1, row "innocent"'s id, and so on.
    const transport = gateway((ids) => ({ status: 200, items: ids.map((id) => (id === '0' ? found('1') : clear(String(Number(id) + 1)))) }));
    const rows = await screen(transport, [
      { id: 'wanted', subjects: [doc('WANTED1')] },
      { id: 'innocent', subjects: [doc('CLEAN1')] },
    ]);
    expect(rows.map((r) => [r.id, r.error?.code ?? r.result?.verdict]).sort()).toEqual([
      ['innocent', 'PROTOCOL_ERROR'],
      ['wanted', 'PROTOCOL_ERROR'],
    ]);
  });

  it('is a ProtocolError for a single check answered under another item id too', async () => {
    const transport = gateway(() => ({ status: 200, items: [clear('1'), clear('2')] }));
    const client = createClient({ transport, context, retry: false });
    clients.push(client);
    const { kind: _kind, ...document } = doc('CLEAN1');
    await expect(client.checkDocument(document)).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', attempts: 1 });
  });

  it('fails the batch when an asked item is missing', async () => {
    const transport = gateway((ids) => ({ status: 200, items: ids.slice(1).map(clear) }));
    const rows = await screen(transport, [
      { id: 'a', subjects: [doc('A1')] },
      { id: 'b', subjects: [doc('B1')] },
    ]);
    expect(rows.map((r) => r.error?.code)).toEqual(['PROTOCOL_ERROR', 'PROTOCOL_ERROR']);
  });
});

describe('a gateway that answers 413 TOO_MANY_ITEMS', () => {
  it('gets the rows again in halves, down to what it accepts, and every row is answered', async () => {
    const transport = gateway((ids) => (ids.length > 3 ? { status: 413 } : { status: 200, items: ids.map((id) => (id === '7' ? found(id) : clear(id))) }));
    const input = Array.from({ length: 10 }, (_, i) => ({ id: `row-${i}`, subjects: [doc(`N${i}`)] }));
    const rows = await screen(transport, input, 10);
    expect(rows.map((r) => r.id).sort()).toEqual(input.map((r) => r.id).sort());
    expect(rows.every((r) => r.error === undefined)).toBe(true);
    expect(rows.find((r) => r.id === 'row-7')?.result?.verdict).toBe('HIT');
    expect(Math.max(...transport.sizes.slice(1))).toBeLessThanOrEqual(5);
  });

  it('makes a single row it still refuses an error of that row', async () => {
    const transport = gateway(() => ({ status: 413 }));
    const rows = await screen(transport, [{ id: 'a', subjects: [doc('A1')] }, { id: 'b', subjects: [doc('B1')] }]);
    expect(rows.map((r) => r.error?.code)).toEqual(['TOO_MANY_ITEMS', 'TOO_MANY_ITEMS']);
    // Once one row alone is too many, the others are not sent to hear it again.
    expect(transport.sizes).toEqual([2, 1]);
  });
});

describe('row ids', () => {
  it('refuses a row whose id repeats an earlier one, without sending it', async () => {
    const transport = mockTransport();
    const rows = await screen(transport, [
      { id: 'seat-1', subjects: [doc('A1')] },
      { id: 'seat-1', subjects: [doc('L898902C3')] },
    ]);
    expect(rows.map((r) => [r.id, r.error?.code ?? r.result?.verdict])).toEqual([
      ['seat-1', 'INVALID_INPUT'],
      ['seat-1', 'NO_HIT'],
    ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)));
    const error = rows.find((r) => r.error)!.error!;
    expect(error).toMatchObject({ issues: [{ path: 'id', message: 'repeats the id of an earlier row' }] });
    expect((transport.requests[0]?.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it.each([[undefined], [''], [42], [null]])('refuses a row without a string id (%j)', async (id) => {
    const rows = await screen(mockTransport(), [{ id: id as unknown as string, subjects: [doc('A1')] }]);
    expect(rows[0]?.error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'id', message: 'is required (a non-empty string)' }] });
  });
});
