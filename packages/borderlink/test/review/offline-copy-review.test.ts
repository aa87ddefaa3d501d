// Review of the offline copy as the client answers from it, over real sockets (the mock gateway, gone or there): an
// answer from the copy obeys the same rules as an online one.
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, BorderlinkError, PermissionError, ProtocolError, createClient, formatMrz, httpTransport, StoreError, type AuditEvent, type OfflineStore, type OfflineRecord, type SnapshotChange, type SnapshotEnd, type Source } from 'borderlink';
import { createMockGateway, memoryOfflineStore } from 'borderlink/testing';
import { startHostileGateway } from '../hostile/server';
import { deadUrl } from '../helpers/outbox';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});


async function* full(source: Source, records: OfflineRecord[]): AsyncIterable<SnapshotChange | SnapshotEnd> {
  for (const record of records) yield { op: 'upsert', record };
  yield { op: 'end', source, cursor: 'c1', dataAsOf: new Date().toISOString(), full: true, changes: records.length, recordCount: records.length };
}

const named = formatMrz({
  format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'ZZ1234567', surname: 'ERIKSSON',
  givenNames: ['ANNA'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15',
});
/** The same MRZ with its name field all filler: checked only with allowInvalidMrz, and NOMINAL cannot be asked. */
const nameless = [`${named[0]!.slice(0, 5)}${'<'.repeat(39)}`, named[1]!];

describe('an MRZ check answered from the copy', () => {
  it('reads INCOMPLETE, never NO_HIT, when its holder could not be searched (fallback)', async () => {
    const store = memoryOfflineStore();
    for (const s of ['SLTD', 'TDAWN', 'NOMINAL'] as const) await store.apply(s, full(s, []));
    const audits: AuditEvent[] = [];
    const client = createClient({ transport: httpTransport({ baseUrl: (await deadUrl()).url }), context, retry: { retries: 0 }, offline: { store }, onAudit: (e) => audits.push(e) });
    closers.push(() => client.close());
    const result = await client.checkMrz(nameless, { allowInvalidMrz: true });
    expect(result.servedFrom).toBe('offline');
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.outcomes.find((o) => o.source === 'NOMINAL')).toMatchObject({ status: 'NOT_ASKED' });
    expect(audits.at(-1)).toMatchObject({ action: 'CHECK', verdict: 'INCOMPLETE' });
  });

  it("goes online in mode 'first' rather than answer NO_HIT for a holder it could not search", async () => {
    const store = memoryOfflineStore();
    for (const s of ['SLTD', 'TDAWN', 'NOMINAL'] as const) await store.apply(s, full(s, []));
    const g = await createMockGateway();
    closers.push(() => g.close());
    const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, retry: { retries: 0 }, offline: { store, mode: 'first' } });
    closers.push(() => client.close());
    const result = await client.checkMrz(nameless, { allowInvalidMrz: true });
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.servedFrom).toBe('network');
  });
});

describe("mode 'first' with a store that fails", () => {
  it('goes online when the copy cannot answer completely, though the store cannot settle what it kept', async () => {
    const inner = memoryOfflineStore();
    await inner.apply('SLTD', full('SLTD', []));
    const store: OfflineStore = {
      ...inner,
      settleRescreen: () => {
        throw new StoreError('SQLite failed (SQLITE_IOERR)', { code: 'STORE_FAILED' });
      },
    };
    const g = await createMockGateway();
    closers.push(() => g.close());
    const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, retry: { retries: 0 }, offline: { store, mode: 'first' } });
    closers.push(() => client.close());
    // TDAWN was never synced: the copy's answer is INCOMPLETE, so the check goes online.
    const result = await client.checkDocument({ documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' });
    expect(result).toMatchObject({ servedFrom: 'network', verdict: 'NO_HIT' });
  });
});

describe('a gateway that refuses a check', () => {
  it('with a 4xx protocol v1 does not list is not answered from the copy: it is the gateway refusing, not a lost link', async () => {
    const store = memoryOfflineStore();
    for (const s of ['SLTD', 'TDAWN'] as const) await store.apply(s, full(s, []));
    const g = await startHostileGateway();
    closers.push(() => g.close());
    g.answer(() => ({ status: 422, headers: [['content-type', 'application/json']], body: '{"error":{"code":"UNPROCESSABLE","message":"no"}}' }));
    const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, retry: { retries: 0 }, offline: { store } });
    closers.push(() => client.close());
    const err = await client.checkDocument({ documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BorderlinkError);
    expect((err as BorderlinkError).status).toBe(422);
  });

  it('with a 503 is answered from the copy', async () => {
    const store = memoryOfflineStore();
    for (const s of ['SLTD', 'TDAWN'] as const) await store.apply(s, full(s, []));
    const g = await startHostileGateway();
    closers.push(() => g.close());
    g.answer(() => ({ status: 503, headers: [['content-type', 'application/json']], body: '{"error":{"code":"UPSTREAM_UNAVAILABLE","message":"no"}}' }));
    const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, retry: { retries: 0 }, offline: { store } });
    closers.push(() => client.close());
    const result = await client.checkDocument({ documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' });
    expect(result).toMatchObject({ servedFrom: 'offline', offlineReason: 'UPSTREAM_UNAVAILABLE', verdict: 'NO_HIT' });
  });
});

describe('a check of several subjects, or of a document with its holder, answered from the copy', () => {
  const ANNA = { source: 'NOMINAL', recordId: 'NOMINAL-ANNA', ownerCountry: 'UTO', person: { surname: 'ERIKSSON', givenNames: ['ANNA'], dateOfBirth: '1974-08-12' }, notice: { type: 'RED' } } as OfflineRecord;

  async function offlineClient() {
    const store = memoryOfflineStore();
    await store.apply('NOMINAL', full('NOMINAL', [ANNA]));
    for (const s of ['SLTD', 'TDAWN'] as const) await store.apply(s, full(s, []));
    const client = createClient({ transport: httpTransport({ baseUrl: (await deadUrl()).url }), context, retry: { retries: 0 }, offline: { store } });
    closers.push(() => client.close());
    return client;
  }

  it('never reads NOMINAL clear when one of the persons could not be searched exactly', async () => {
    const client = await offlineClient();
    const result = await client.check({
      subjects: [
        { kind: 'person', surname: 'NOBODY', givenNames: ['KNOWN'], dateOfBirth: '1980-01-01' },
        { kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA'] },
      ],
      sources: ['NOMINAL'],
    });
    expect(result.servedFrom).toBe('offline');
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.outcomes).toEqual([expect.objectContaining({ source: 'NOMINAL', status: 'UNAVAILABLE', offlineNote: 'CANNOT_SEARCH_OFFLINE' })]);
  });

  it('finds a document holder wanted in NOMINAL, as the gateway searches a holder there', async () => {
    const client = await offlineClient();
    const result = await client.check({
      subjects: [{ kind: 'document', documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT', holder: { surname: 'Eriksson', givenNames: ['Anna'], dateOfBirth: '1974-08-12' } }],
      sources: ['SLTD', 'NOMINAL'],
    });
    expect(result.verdict).toBe('HIT');
    expect(result.hits).toEqual([expect.objectContaining({ source: 'NOMINAL', recordId: 'NOMINAL-ANNA', match: expect.objectContaining({ matchedFields: ['surname', 'givenNames', 'dateOfBirth'] }) })]);
  });

  it('never reads NOMINAL clear from a person searched when a document holder beside it was not', async () => {
    const client = await offlineClient();
    const result = await client.check({
      subjects: [
        { kind: 'person', surname: 'NOBODY', givenNames: ['KNOWN'], dateOfBirth: '1980-01-01' },
        { kind: 'document', documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT', holder: { surname: 'ERIKSSON', givenNames: ['ANNA'], dateOfBirth: '1974' } },
      ],
      sources: ['SLTD', 'NOMINAL'],
    });
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.outcomes.find((o) => o.source === 'NOMINAL')).toMatchObject({ status: 'UNAVAILABLE', offlineNote: 'CANNOT_SEARCH_OFFLINE' });
  });
});

describe('the age of the copy', () => {
  it('cannot be shown when the copy was synced later than the clock now says (the clock was set back): never clear', async () => {
    const inner = memoryOfflineStore();
    for (const s of ['SLTD', 'TDAWN'] as const) await inner.apply(s, full(s, []));
    const YEAR = 365 * 24 * 60 * 60 * 1000;
    // Synced and dated a year ahead of the clock: a lane whose clock reset after a power cut.
    const store: OfflineStore = {
      ...inner,
      state: (source) => {
        const st = inner.state(source);
        const ahead = new Date(Date.now() + YEAR).toISOString();
        return st === undefined ? undefined : { ...st, dataAsOf: ahead, syncedAt: ahead };
      },
    };
    const client = createClient({ transport: httpTransport({ baseUrl: (await deadUrl()).url }), context, retry: { retries: 0 }, offline: { store } });
    closers.push(() => client.close());
    const result = await client.checkDocument({ documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' });
    expect(result.servedFrom).toBe('offline');
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.outcomes[0]).toMatchObject({ status: 'UNAVAILABLE', offlineNote: 'COPY_TOO_OLD' });
  });
});

describe('one record found for two subjects', () => {
  it('is one hit, as the gateway answers it', async () => {
    const store = memoryOfflineStore();
    const record = { source: 'SMV', recordId: 'SMV-ONE', ownerCountry: 'D', vehicle: { vin: 'WVWZZZ1JZXW000001', plate: 'B-AB 1', registrationCountry: 'D' } } as OfflineRecord;
    await store.apply('SMV', full('SMV', [record]));
    const client = createClient({ transport: httpTransport({ baseUrl: (await deadUrl()).url }), context, retry: { retries: 0 }, offline: { store } });
    closers.push(() => client.close());
    const result = await client.check({ subjects: [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }, { kind: 'vehicle', plate: 'B-AB 1', registrationCountry: 'D' }] });
    expect(result.verdict).toBe('HIT');
    expect(result.hits.map((h) => h.recordId)).toEqual(['SMV-ONE']);
  });
});

describe('failures that are not a lost link', () => {
  async function setup(answer: Parameters<Awaited<ReturnType<typeof startHostileGateway>>['answer']>[0]) {
    const store = memoryOfflineStore();
    for (const s of ['SLTD', 'TDAWN'] as const) await store.apply(s, full(s, []));
    const g = await startHostileGateway();
    closers.push(() => g.close());
    g.answer(answer);
    const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, retry: { retries: 0 }, offline: { store } });
    closers.push(() => client.close());
    return { client, store };
  }
  const UNKNOWN_DOC = { documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

  it('a call the caller aborts rejects with AbortError, never an answer from the copy, and keeps nothing to re-screen', async () => {
    const { client, store } = await setup(() => ({ hang: true }));
    const controller = new AbortController();
    const call = client.checkDocument(UNKNOWN_DOC, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toBeInstanceOf(AbortError);
    expect(store.rescreenDue(0, 10)).toEqual([]);
  });

  it('a 403 is the gateway refusing this operator: rejected, not answered from the copy', async () => {
    const { client } = await setup(() => ({ status: 403, headers: [['content-type', 'application/json']], body: '{"error":{"code":"FORBIDDEN","message":"no"}}' }));
    await expect(client.checkDocument(UNKNOWN_DOC)).rejects.toBeInstanceOf(PermissionError);
  });

  it('an answer that breaks the protocol is the gateway answering wrongly: rejected, not hidden behind the copy', async () => {
    const { client } = await setup(() => ({ status: 200, headers: [['content-type', 'application/json']], body: '{"requestId":"x","items":"not a list"}' }));
    await expect(client.checkDocument(UNKNOWN_DOC)).rejects.toBeInstanceOf(ProtocolError);
  });
});
