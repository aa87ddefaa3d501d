// The client with an offline copy and an outbox, over real sockets against the mock gateway: the copy answers when
// the gateway is gone (and says so), an old copy never reads clear, what the copy answered is re-screened when the
// gateway is back (a record added meanwhile is a late hit), and writes the gateway could not take are queued and
// delivered once. The store here is the in-memory one of borderlink/testing (the same contract as the SQLite store).
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConfigError,
  createClient,
  httpTransport,
  type AuditEvent,
  type ClientEvent,
  type OfflineStore,
} from 'borderlink';
import { createMockGateway, demoDataset, memoryOfflineStore, type Dataset, type MockGateway } from 'borderlink/testing';
import { seeded } from '../helpers/offline-copy';
import { deadUrl } from '../helpers/outbox';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const STOLEN = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const UNKNOWN = { documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const HOUR = 60 * 60 * 1000;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function gateway(options: { port?: number; dataset?: Dataset; token?: string } = {}): Promise<MockGateway> {
  const g = await createMockGateway(options);
  closers.push(() => g.close());
  return g;
}

function client(url: string, extra: Record<string, unknown>) {
  const events: ClientEvent[] = [];
  const audits: AuditEvent[] = [];
  const c = createClient({
    transport: httpTransport({ baseUrl: url }),
    context,
    retry: { retries: 0 },
    timeoutMs: 2000,
    onAudit: (e: AuditEvent) => audits.push(e),
    ...extra,
  } as never) as ReturnType<typeof createClient>;
  for (const t of ['lateHit', 'queued', 'delivered', 'rejected'] as const) c.on(t, (e) => events.push(e));
  closers.push(() => c.close());
  return { c, events, audits };
}

/** A URL where nothing listens: a gateway that was there and is gone. */

describe('the offline copy, when the gateway cannot be reached', () => {
  it('answers a HIT from the copy and says it came from the copy, with its dataAsOf and why', async () => {
    const store = await seeded();
    const { url } = await deadUrl();
    const { c, audits } = client(url, { offline: { store } });
    const result = await c.checkDocument(STOLEN);
    expect(result.verdict).toBe('HIT');
    expect(result.servedFrom).toBe('offline');
    expect(result.offlineReason).toBe('CONNECTION_FAILED');
    expect(result.hits.map((h) => h.recordId)).toEqual(['SLTD-UTO-0001']);
    expect(result.hits[0]!.match.method).toBe('EXACT');
    expect(result.outcomes.every((o) => o.servedFrom === 'offline' && typeof o.dataAsOf === 'string')).toBe(true);
    expect(audits.at(-1)).toMatchObject({ action: 'CHECK', servedFrom: 'offline', verdict: 'HIT', requestId: result.requestId });
  });

  it('answers NO_HIT from a fresh copy, and a person NO_HIT says it matched exactly only', async () => {
    const store = await seeded();
    const { url } = await deadUrl();
    const { c } = client(url, { offline: { store } });
    expect((await c.checkDocument(UNKNOWN)).verdict).toBe('NO_HIT');
    const person = await c.checkPerson({ surname: 'NOBODY', givenNames: ['KNOWN'], dateOfBirth: '1980-01-01' });
    expect(person.verdict).toBe('NO_HIT');
    expect(person.outcomes).toEqual([expect.objectContaining({ source: 'NOMINAL', status: 'NO_HIT', offlineNote: 'EXACT_MATCH_ONLY' })]);
  });

  it('finds a person in the copy whatever the case, accents and hyphens of the name', async () => {
    const store = await seeded();
    const { url } = await deadUrl();
    const { c } = client(url, { offline: { store } });
    const r = await c.checkPerson({ surname: 'Eriksson', givenNames: ['Anna-Maria'], dateOfBirth: '1974-08-12' });
    expect(r.verdict).toBe('HIT');
    expect(r.hits[0]!.kind).toBe('person');
  });

  it('finds a vehicle by VIN and by plate with its registration country, one hit per record', async () => {
    const store = await seeded();
    const { url } = await deadUrl();
    const { c } = client(url, { offline: { store } });
    const v = demoDataset.vehicles[0]!;
    expect((await c.checkVehicle({ vin: v.vin.toLowerCase() })).verdict).toBe('HIT');
    expect((await c.checkVehicle({ plate: v.plate.replace(/[\s-]/g, ''), registrationCountry: v.registrationCountry })).verdict).toBe('HIT');
    const both = await c.checkVehicle({ vin: v.vin, plate: v.plate, registrationCountry: v.registrationCountry });
    expect(both.hits).toHaveLength(1);
  });

  it('never reads clear from a copy older than maxStalenessMs, yet keeps its hits', async () => {
    const store = await seeded(undefined, new Date(Date.now() - 49 * HOUR).toISOString());
    const { url } = await deadUrl();
    const { c } = client(url, { offline: { store } });
    const clear = await c.checkDocument(UNKNOWN);
    expect(clear.verdict).toBe('INCOMPLETE');
    expect(clear.outcomes).toEqual([
      expect.objectContaining({ source: 'SLTD', status: 'UNAVAILABLE', offlineNote: 'COPY_TOO_OLD' }),
      expect.objectContaining({ source: 'TDAWN', status: 'UNAVAILABLE', offlineNote: 'COPY_TOO_OLD' }),
    ]);
    expect((await c.checkDocument(STOLEN)).verdict).toBe('HIT');
  });

  it('measures the age from the older of dataAsOf and the time it was applied: a gateway clock ahead cannot make a copy young', async () => {
    const inner = await seeded(undefined, new Date(Date.now() + 365 * 24 * HOUR).toISOString());
    const store: OfflineStore = {
      ...inner,
      state: (s) => {
        const st = inner.state(s);
        return st === undefined ? undefined : { ...st, syncedAt: new Date(Date.now() - 49 * HOUR).toISOString() };
      },
    };
    const { url } = await deadUrl();
    const { c } = client(url, { offline: { store } });
    expect((await c.checkDocument(UNKNOWN)).verdict).toBe('INCOMPLETE');
  });

  it('reads a source never synced, one not kept offline, and a query the copy cannot search exactly as unavailable, never clear', async () => {
    const store = await seeded(['SLTD']);
    const { url } = await deadUrl();
    const { c } = client(url, { offline: { store, sources: ['SLTD', 'NOMINAL'] } });
    const doc = await c.checkDocument(UNKNOWN);
    expect(doc.verdict).toBe('INCOMPLETE');
    expect(doc.outcomes[1]).toMatchObject({ source: 'TDAWN', status: 'UNAVAILABLE', offlineNote: 'NOT_KEPT_OFFLINE' });
    const noDate = await c.checkPerson({ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'] });
    expect(noDate.verdict).toBe('INCOMPLETE');
    expect(noDate.outcomes[0]).toMatchObject({ status: 'UNAVAILABLE', offlineNote: 'NOT_SYNCED' });
    const store2 = await seeded(['NOMINAL']);
    const { c: c2 } = client(url, { offline: { store: store2 } });
    const partial = await c2.checkPerson({ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'] });
    expect(partial.outcomes[0]).toMatchObject({ status: 'UNAVAILABLE', offlineNote: 'CANNOT_SEARCH_OFFLINE' });
  });

  it('answers an error the store throws as ERROR for that source, never as clear', async () => {
    const inner = await seeded();
    const store: OfflineStore = {
      ...inner,
      lookup: () => {
        throw new Error('disk I/O error');
      },
    };
    const { url } = await deadUrl();
    const { c } = client(url, { offline: { store } });
    const r = await c.checkDocument(UNKNOWN);
    expect(r.verdict).toBe('INCOMPLETE');
    expect(r.outcomes[0]).toMatchObject({ status: 'ERROR', offlineNote: 'STORE_FAILED' });
  });

  it('does not answer from the copy when the gateway answered with a refusal (a 401 is the caller’s to fix)', async () => {
    const g = await gateway({ token: 'right' });
    const store = await seeded();
    const { c } = client(g.url, { offline: { store } });
    await expect(c.checkDocument(STOLEN)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses offline options it does not know or cannot use, by name', () => {
    const transport = httpTransport({ baseUrl: 'http://127.0.0.1:9' });
    expect(() => createClient({ transport, context, offline: { store: {} as never } })).toThrow(/option `offline.store`/);
    expect(() => createClient({ transport, context, offline: { store: memoryOfflineStore(), mode: 'last' as never } })).toThrow(/option `offline.mode`/);
    expect(() => createClient({ transport, context, offline: { store: memoryOfflineStore(), maxStalenessMs: -1 } })).toThrow(ConfigError);
    expect(() => createClient({ transport, context, offline: { store: memoryOfflineStore(), stale: 1 } as never })).toThrow(/offline.stale/);
    expect(() => createClient({ transport, context, outbox: { store: memoryOfflineStore() as never } })).toThrow(/option `outbox.store`/);
  });
});

describe('re-screening what the copy answered, once the gateway is back', () => {
  it('re-sends a check the copy answered and raises lateHit for a record entered meanwhile, once', async () => {
    const store = await seeded();
    const { url, port } = await deadUrl();
    const { c, events, audits } = client(url, { offline: { store } });
    const offline = await c.checkDocument(UNKNOWN);
    expect(offline.verdict).toBe('NO_HIT');
    expect(offline.servedFrom).toBe('offline');

    // The gateway comes back on the same address, and now holds a record for that document.
    const withRecord: Dataset = {
      ...demoDataset,
      documents: [...demoDataset.documents, { recordId: 'SLTD-UTO-0099', ...UNKNOWN, status: 'STOLEN' }],
    };
    await gateway({ port, dataset: withRecord });
    expect(await c.offline!.rescreen()).toBe(1);
    const late = events.filter((e) => e.type === 'lateHit');
    expect(late).toEqual([
      expect.objectContaining({ type: 'lateHit', requestId: offline.requestId, operatorId: 'officer-0042', verdict: 'HIT', records: [{ source: 'SLTD', recordId: 'SLTD-UTO-0099' }] }),
    ]);
    const rescreen = audits.find((a) => a.action === 'RESCREEN');
    expect(rescreen).toMatchObject({ rescreenOf: offline.requestId, verdict: 'HIT', operatorId: 'officer-0042' });
    expect(rescreen!.requestId).not.toBe(offline.requestId);
    // Answered: never sent again.
    expect(await c.offline!.rescreen()).toBe(0);
    expect(events.filter((e) => e.type === 'lateHit')).toHaveLength(1);
  });

  it('re-screens by itself when the next check reaches the gateway, and no late hit when the copy had it', async () => {
    const store = await seeded();
    const { url, port } = await deadUrl();
    const { c, events } = client(url, { offline: { store } });
    await c.checkDocument(STOLEN);
    const g = await gateway({ port });
    await c.checkDocument(UNKNOWN);
    await expect.poll(() => g.requests.length).toBe(2);
    expect(events.filter((e) => e.type === 'lateHit')).toEqual([]);
    expect(await c.offline!.rescreen()).toBe(0);
  });

  it('reads the store for checks to re-screen only when there may be some, not on every check online', async () => {
    const inner = await seeded();
    let reads = 0;
    const store: OfflineStore = {
      ...inner,
      rescreenDue: (since, limit) => {
        reads++;
        return inner.rescreenDue(since, limit);
      },
    };
    const g = await gateway();
    const { c, events } = client(g.url, { offline: { store } });
    for (let i = 0; i < 10; i++) await c.checkDocument(UNKNOWN);
    // One look at start (a restart may have left some), none after it found nothing.
    await expect.poll(() => reads).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(reads).toBe(1);
    // Something kept wakes it again: the copy answers while the gateway is gone, and the next check online re-screens it.
    const port = Number(new URL(g.url).port);
    await g.close();
    const withRecord: Dataset = { ...demoDataset, documents: [...demoDataset.documents, { recordId: 'SLTD-UTO-0099', ...UNKNOWN, status: 'STOLEN' }] };
    expect((await c.checkDocument(UNKNOWN)).servedFrom).toBe('offline');
    await gateway({ port, dataset: withRecord });
    await c.checkDocument(STOLEN);
    await expect.poll(() => events.filter((e) => e.type === 'lateHit').length).toBe(1);
  });

  it('drops what is past the window without sending it', async () => {
    const store = await seeded();
    const { url, port } = await deadUrl();
    // Kept as made 73 hours ago: past the default window of 72.
    const kept: OfflineStore = { ...store, keepForRescreen: (entry) => store.keepForRescreen({ ...entry, checkedAt: entry.checkedAt - 73 * HOUR }) };
    const { c } = client(url, { offline: { store: kept } });
    await c.checkDocument(UNKNOWN);
    const g = await gateway({ port });
    expect(await c.offline!.rescreen()).toBe(0);
    expect(g.requests).toHaveLength(0);
  });
});

describe("mode 'first'", () => {
  it('answers from the copy at once, and the online check that follows finds what the copy did not have', async () => {
    const store = await seeded();
    const withRecord: Dataset = {
      ...demoDataset,
      documents: [...demoDataset.documents, { recordId: 'SLTD-UTO-0099', ...UNKNOWN, status: 'STOLEN' }],
    };
    const g = await gateway({ dataset: withRecord });
    const { c, events } = client(g.url, { offline: { store, mode: 'first' } });
    const r = await c.checkDocument(UNKNOWN);
    expect(r).toMatchObject({ verdict: 'NO_HIT', servedFrom: 'offline', offlineReason: 'OFFLINE_FIRST' });
    await expect.poll(() => events.filter((e) => e.type === 'lateHit').length).toBe(1);
    expect(events[0]).toMatchObject({ requestId: r.requestId, records: [{ source: 'SLTD', recordId: 'SLTD-UTO-0099' }] });
  });

  it('goes online when the copy cannot give a complete answer', async () => {
    const store = await seeded(['SLTD']);
    const g = await gateway();
    const { c } = client(g.url, { offline: { store, mode: 'first' } });
    const r = await c.checkDocument(UNKNOWN);
    expect(r.servedFrom).toBe('network');
    expect(r.verdict).toBe('NO_HIT');
  });
});

describe('the outbox', () => {
  const REPORT = { documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2026-11-20' } as const;

  it('queues a report the gateway cannot take, and delivers it once, under the same key, when it is back', async () => {
    const store = memoryOfflineStore();
    const { url, port } = await deadUrl();
    const { c, events, audits } = client(url, { outbox: { store: store.outbox } });
    const queued = await c.reportDocument(REPORT, { idempotencyKey: 'key-report-0001' });
    expect(queued).toMatchObject({ status: 'QUEUED', idempotencyKey: 'key-report-0001', reason: 'CONNECTION_FAILED' });
    expect(c.outbox!.pending()).toEqual([expect.objectContaining({ idempotencyKey: 'key-report-0001', kind: 'report' })]);
    expect(audits.at(-1)).toMatchObject({ action: 'REPORT', outcome: 'QUEUED' });

    const g = await gateway({ port });
    expect(await c.outbox!.flush()).toEqual({ delivered: 1, rejected: 0, pending: 0 });
    expect(g.reports).toHaveLength(1);
    expect(g.requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-report-0001']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'delivered', idempotencyKey: 'key-report-0001', replayed: false }));
    expect(await c.outbox!.flush()).toEqual({ delivered: 0, rejected: 0, pending: 0 });
    expect(g.reports).toHaveLength(1);
  });

  it('keeps writes in order: a write made while others wait queues behind them', async () => {
    const store = memoryOfflineStore();
    const { url, port } = await deadUrl();
    const { c } = client(url, { outbox: { store: store.outbox } });
    await c.reportDocument(REPORT, { idempotencyKey: 'key-first-0001' });
    const g = await gateway({ port });
    const second = await c.reportDocument({ ...REPORT, documentNumber: 'UT7654321' }, { idempotencyKey: 'key-second-002' });
    expect(second).toMatchObject({ status: 'QUEUED', reason: 'OUTBOX_NOT_EMPTY' });
    await c.outbox!.flush();
    expect(g.requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-first-0001', 'key-second-002']);
    expect(g.reports).toHaveLength(2);
  });

  it('shows a refusal for good as rejected and never sends it again', async () => {
    const store = memoryOfflineStore();
    const { url, port } = await deadUrl();
    const { c, events } = client(url, { outbox: { store: store.outbox } });
    await c.reportDocument({ ...REPORT, issuingState: 'D' }, { idempotencyKey: 'key-foreign' });
    const g = await gateway({ port });
    expect(await c.outbox!.flush()).toEqual({ delivered: 0, rejected: 1, pending: 0 });
    expect(events).toContainEqual({ type: 'rejected', idempotencyKey: 'key-foreign', kind: 'report', code: 'NOT_ISSUER' });
    await c.outbox!.flush();
    expect(g.requests).toHaveLength(1);
  });

  it('keeps a write queued through a wrong token: that is the sender’s to fix, not the write’s', async () => {
    const store = memoryOfflineStore();
    const { url, port } = await deadUrl();
    const { c } = client(url, { outbox: { store: store.outbox } });
    await c.reportDocument(REPORT, { idempotencyKey: 'key-token' });
    await gateway({ port, token: 'other' });
    expect(await c.outbox!.flush()).toEqual({ delivered: 0, rejected: 0, pending: 1 });
  });

  it('says nothing personal in its events', async () => {
    const store = memoryOfflineStore();
    const { url, port } = await deadUrl();
    const { c, events } = client(url, { outbox: { store: store.outbox } });
    await c.reportDocument(REPORT);
    await gateway({ port });
    await c.outbox!.flush();
    expect(events.length).toBeGreaterThan(1);
    expect(JSON.stringify(events)).not.toContain(REPORT.documentNumber);
    expect(JSON.stringify(c.outbox!.pending())).not.toContain(REPORT.documentNumber);
  });
});
