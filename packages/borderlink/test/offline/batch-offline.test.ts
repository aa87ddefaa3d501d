// checkMany and checkManyMrz with an offline copy, over real sockets against the mock gateway: the rows of a request
// the gateway can no longer take are answered from the copy by the rule of a single check (marked, kept for
// re-screening, never clear from a copy too old or from a source it does not hold), and in mode `first` the rows the
// copy answers completely come at once.
import { describe, expect, it } from 'vitest';
import { createClient, httpTransport, type AuditEvent, type BatchItem, type BatchOutcome, type CheckResult, type ClientEvent, type OfflineStore } from 'borderlink';
import { createMockGateway, demoDataset, type Dataset } from 'borderlink/testing';
import { seeded } from '../helpers/offline-copy';
import { closeAfterEach, deadUrl } from '../helpers/outbox';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const HOUR = 60 * 60 * 1000;
const STOLEN = { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const unknown = (i: number) => ({ kind: 'document', documentNumber: `ZZ${String(i).padStart(7, '0')}`, issuingState: 'UTO', documentType: 'PASSPORT' }) as const;
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'] as const;

const closers = closeAfterEach();

function client(url: string, offline: Record<string, unknown>) {
  const audits: AuditEvent[] = [];
  const events: ClientEvent[] = [];
  const c = createClient({ transport: httpTransport({ baseUrl: url }), context, retry: { retries: 0 }, timeoutMs: 10_000, onAudit: (e) => audits.push(e), offline: offline as never });
  c.on('lateHit', (e) => events.push(e));
  closers.push(() => c.close());
  return { c, audits, events };
}

async function all<R>(rows: AsyncIterable<BatchOutcome<R>>): Promise<BatchOutcome<R>[]> {
  const out: BatchOutcome<R>[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

const resultOf = (rows: BatchOutcome[], id: string): CheckResult => {
  const row = rows.find((r) => r.id === id);
  if (row?.result === undefined) throw new Error(`row ${id} has no result: ${row?.error?.code ?? 'missing'}`);
  return row.result;
};

describe('checkMany, when the gateway cannot take a request', () => {
  it('answers the rows of the requests after the gateway was killed from the copy, each marked, its own check, and kept for re-screening', async () => {
    const store = await seeded();
    const g = await createMockGateway();
    const port = Number(new URL(g.url).port);
    const { c, audits, events } = client(g.url, { store });
    const items: BatchItem[] = [
      { id: 'a', subjects: [unknown(1)] },
      { id: 'b', subjects: [unknown(2)] },
      { id: 'c', subjects: [STOLEN] },
      { id: 'd', subjects: [unknown(3)] },
      { id: 'e', subjects: [unknown(4)] },
    ];
    // Killed once the first request is answered: the rest cannot reach it.
    const rows = await all(c.checkMany(items, { batchSize: 2, concurrency: 1, ordered: true, onProgress: (p) => void (p.done === 2 && g.close()) }));
    expect(rows.map((r) => r.error?.code)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(['a', 'b'].map((id) => resultOf(rows, id).servedFrom)).toEqual(['network', 'network']);
    const offline = ['c', 'd', 'e'].map((id) => resultOf(rows, id));
    for (const r of offline) {
      expect(r).toMatchObject({ servedFrom: 'offline', offlineReason: 'CONNECTION_FAILED' });
      expect(r.outcomes.every((o) => o.servedFrom === 'offline' && typeof o.dataAsOf === 'string')).toBe(true);
    }
    expect(offline.map((r) => r.verdict)).toEqual(['HIT', 'NO_HIT', 'NO_HIT']);
    expect(offline[0]!.hits.map((h) => h.recordId)).toEqual(['SLTD-UTO-0001']);
    // Each row answered from the copy is a check of its own: its own request id, its own audit event.
    expect(new Set(offline.map((r) => r.requestId)).size).toBe(3);
    for (const r of offline) expect(audits).toContainEqual(expect.objectContaining({ action: 'CHECK', requestId: r.requestId, servedFrom: 'offline' }));

    // Back, and holding a record for one of them entered meanwhile: the kept rows are re-screened, that one a late hit.
    const withRecord: Dataset = { ...demoDataset, documents: [...demoDataset.documents, { recordId: 'SLTD-UTO-0099', ...unknown(4), status: 'STOLEN' }] };
    const back = await createMockGateway({ port, dataset: withRecord });
    closers.push(() => back.close());
    expect(await c.offline!.rescreen()).toBe(3);
    expect(events).toEqual([expect.objectContaining({ type: 'lateHit', requestId: offline[2]!.requestId, records: [{ source: 'SLTD', recordId: 'SLTD-UTO-0099' }] })]);
  });

  it('never answers a row NO_HIT for a source the copy does not hold, nor from a copy too old, and keeps every hit', async () => {
    const store = await seeded(['SLTD', 'TDAWN']);
    const { url } = await deadUrl();
    const { c } = client(url, { store });
    const rows = await all(
      c.checkMany([
        { id: 'person', subjects: [{ kind: 'person', surname: 'NOBODY', givenNames: ['KNOWN'], dateOfBirth: '1980-01-01' }] },
        { id: 'holder', subjects: [{ ...unknown(1), holder: { surname: 'NOBODY', givenNames: ['KNOWN'], dateOfBirth: '1980-01-01' } }], sources: ['SLTD', 'NOMINAL'] },
        { id: 'vehicle', subjects: [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW999999' }] },
        { id: 'document', subjects: [unknown(2)] },
      ]),
    );
    expect(resultOf(rows, 'person').verdict).toBe('INCOMPLETE');
    expect(resultOf(rows, 'person').outcomes).toEqual([expect.objectContaining({ source: 'NOMINAL', status: 'UNAVAILABLE', offlineNote: 'NOT_SYNCED' })]);
    expect(resultOf(rows, 'holder').verdict).toBe('INCOMPLETE');
    expect(resultOf(rows, 'vehicle').verdict).toBe('INCOMPLETE');
    expect(resultOf(rows, 'document').verdict).toBe('NO_HIT');

    // A copy past maxStalenessMs: nothing reads clear, a hit stays a hit.
    const old = await seeded(undefined, new Date(Date.now() - 49 * HOUR).toISOString());
    const { c: late } = client(url, { store: old });
    const stale = await all(late.checkMany([{ id: 'unknown', subjects: [unknown(3)] }, { id: 'stolen', subjects: [STOLEN] }]));
    expect(resultOf(stale, 'unknown').verdict).toBe('INCOMPLETE');
    expect(resultOf(stale, 'unknown').outcomes.map((o) => o.offlineNote)).toEqual(['COPY_TOO_OLD', 'COPY_TOO_OLD']);
    expect(resultOf(stale, 'stolen').verdict).toBe('HIT');
  });

  it('answers the rows of checkManyMrz from the copy, a holder in a NOMINAL copy never synced unavailable', async () => {
    const { url } = await deadUrl();
    const { c } = client(url, { store: await seeded(['SLTD', 'TDAWN']) });
    const [row] = await all(c.checkManyMrz([{ id: 'td3', mrz: TD3 }]));
    expect(row!.result).toMatchObject({ verdict: 'HIT', servedFrom: 'offline', offlineReason: 'CONNECTION_FAILED' });
    expect(row!.result!.mrz.document?.documentNumber).toBe('L898902C3');
    expect(row!.result!.outcomes.find((o) => o.source === 'NOMINAL')).toMatchObject({ status: 'UNAVAILABLE', offlineNote: 'NOT_SYNCED' });

    const { c: full } = client(url, { store: await seeded() });
    const [both] = await all(full.checkManyMrz([{ id: 'td3', mrz: TD3 }]));
    expect(both!.result!.hits.map((h) => h.source).sort()).toEqual(['NOMINAL', 'SLTD']);
  });

  it('keeps the rows of a request answered from the copy in one commit, before it gives them', async () => {
    const inner = await seeded();
    const commits: number[] = [];
    let kept = 0;
    const store: OfflineStore = {
      ...inner,
      keepManyForRescreen: (entries) => {
        commits.push(entries.length);
        kept += entries.length;
        return inner.keepManyForRescreen!(entries);
      },
    };
    const { url } = await deadUrl();
    const { c } = client(url, { store });
    let seen = 0;
    for await (const row of c.checkMany(Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, subjects: [unknown(i)] })), { batchSize: 3, concurrency: 1 })) {
      expect(row.result?.servedFrom).toBe('offline');
      seen++;
      expect(kept).toBeGreaterThanOrEqual(seen);
    }
    expect(commits).toEqual([3, 3]);
    expect(inner.rescreenDue(0, 100)).toHaveLength(6);
  });

  it('fails the rows as before when the gateway refused the request rather than being out of reach', async () => {
    const g = await createMockGateway({ token: 'right' });
    closers.push(() => g.close());
    const { c } = client(g.url, { store: await seeded() });
    const rows = await all(c.checkMany([{ id: 'a', subjects: [STOLEN] }]));
    expect(rows[0]!.error?.code).toBe('UNAUTHENTICATED');
  });
});

describe("checkMany in mode 'first'", () => {
  it('gives the rows the copy answers completely at once, sends the others, and finds online what the copy did not have', async () => {
    const withRecord: Dataset = { ...demoDataset, documents: [...demoDataset.documents, { recordId: 'SLTD-UTO-0099', ...unknown(1), status: 'STOLEN' }] };
    const g = await createMockGateway({ dataset: withRecord });
    closers.push(() => g.close());
    const { c, events } = client(g.url, { store: await seeded(['SLTD', 'TDAWN']), mode: 'first' });
    const rows = await all(
      c.checkMany([
        { id: 'copy', subjects: [unknown(1)] },
        { id: 'online', subjects: [{ kind: 'person', surname: 'NOBODY', givenNames: ['KNOWN'], dateOfBirth: '1980-01-01' }] },
      ]),
    );
    const fromCopy = resultOf(rows, 'copy');
    expect(fromCopy).toMatchObject({ verdict: 'NO_HIT', servedFrom: 'offline', offlineReason: 'OFFLINE_FIRST' });
    expect(resultOf(rows, 'online')).toMatchObject({ verdict: 'NO_HIT', servedFrom: 'network' });
    // The one request of the batch carried the row the copy could not answer only.
    const batch = g.requests.map((r) => JSON.stringify(r.body)).filter((b) => b.includes('NOBODY'));
    expect(batch).toHaveLength(1);
    expect(batch[0]).not.toContain('ZZ0000001');
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toMatchObject({ type: 'lateHit', requestId: fromCopy.requestId, records: [{ source: 'SLTD', recordId: 'SLTD-UTO-0099' }] });
  });
});
