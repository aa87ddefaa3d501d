// Rule 2 in the log: the outbox's and the copy's events carry the gateway's record ids for the caller to act on, and
// the debug line each event also becomes never copies that gateway text (nor who made the check) into the log. Over
// real sockets, against a gateway we did not write that plants a document number and escape codes in its ids.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type ClientEvent, type OfflineRecord, type SnapshotChange, type SnapshotEnd, type Source } from 'borderlink';
import { memoryOfflineStore } from 'borderlink/testing';
import { PLANTED } from '../hostile/answers';
import { startHostileGateway, type HostileAnswer } from '../hostile/server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const PLANTED_ID = `${PLANTED.escape}${PLANTED.documentNumber}`;
const ESC = /[\u0000-\u001f\u007f-\u009f]/;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

const json = (status: number, body: unknown): HostileAnswer => ({ status, headers: [['content-type', 'application/json']], body: JSON.stringify(body) });
const unavailable = json(503, { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'down' } });

async function* full(source: Source, records: OfflineRecord[] = []): AsyncIterable<SnapshotChange | SnapshotEnd> {
  for (const record of records) yield { op: 'upsert', record };
  yield { op: 'end', source, cursor: 'c1', dataAsOf: new Date().toISOString(), full: true, changes: records.length, recordCount: records.length };
}

async function setup() {
  const g = await startHostileGateway();
  closers.push(() => g.close());
  const lines: string[] = [];
  const sink = (m: string, f?: Record<string, unknown>) => void lines.push(`${m} ${JSON.stringify(f ?? {})}`);
  const store = memoryOfflineStore();
  for (const s of ['SLTD', 'TDAWN'] as const) await store.apply(s, full(s));
  const events: ClientEvent[] = [];
  const client = createClient({
    transport: httpTransport({ baseUrl: g.url }),
    context,
    retry: { retries: 0 },
    breaker: false,
    logLevel: 'debug',
    logger: { error: sink, warn: sink, info: sink, debug: sink },
    offline: { store },
    outbox: { store: store.outbox },
  });
  closers.push(() => client.close());
  for (const t of ['delivered', 'lateHit'] as const) client.on(t, (e) => events.push(e));
  return { g, client, lines, events };
}

function assertClean(lines: readonly string[]): void {
  for (const line of lines) {
    expect(line).not.toContain(PLANTED.documentNumber);
    expect(line).not.toMatch(ESC);
  }
}

describe('the debug lines of the offline events', () => {
  it('leave out the record id a gateway gave a delivered write', async () => {
    const { g, client, lines, events } = await setup();
    g.answer(() => unavailable);
    await client.reportDocument({ documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' }, { idempotencyKey: 'key-planted-1' });
    g.answer(() => json(201, { recordId: PLANTED_ID, createdAt: '2026-12-01T00:00:00Z' }));
    expect(await client.outbox.flush()).toMatchObject({ delivered: 1 });
    // The caller's event has it, to act on.
    expect(events).toEqual([expect.objectContaining({ type: 'delivered', recordId: PLANTED_ID })]);
    expect(lines.some((l) => l.includes('delivered'))).toBe(true);
    assertClean(lines);
  });

  it('leave out the record ids of a late hit, and who made the check', async () => {
    const { g, client, lines, events } = await setup();
    g.answer(() => unavailable);
    await client.checkDocument({ documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' });
    const hit = {
      hitId: 'H-1',
      source: 'SLTD',
      kind: 'document',
      recordId: PLANTED_ID,
      ownerCountry: 'UTO',
      match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber'] },
      confirmation: { state: 'UNCONFIRMED' },
      document: { documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
    };
    g.answer(() => json(200, { requestId: 'gw-1', items: [{ itemId: '1', outcomes: [{ source: 'SLTD', status: 'HIT' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [hit] }] }));
    expect(await client.offline!.rescreen()).toBe(1);
    expect(events).toEqual([expect.objectContaining({ type: 'lateHit', records: [{ source: 'SLTD', recordId: PLANTED_ID }] })]);
    const late = lines.filter((l) => l.includes('lateHit'));
    expect(late).toHaveLength(1);
    assertClean(lines);
    expect(late[0]).not.toContain(context.operatorId);
  });
});
