// Rule 2 through the client: a lane that synced its copy from the gateway, answered checks from it while the gateway
// was gone, queued reports and then delivered them and re-screened its checks keeps no planted value readable in the
// store's file, its WAL or its shared memory, and none in a log line (every level on), an audit event or an event.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type AuditEvent, type ClientEvent } from 'borderlink';
import { createMockGateway, demoDataset, type Dataset } from 'borderlink/testing';
import { open, scratch } from '../offline/fixtures';

const PLANTED = {
  documentNumber: 'PLNTDOC77',
  searchedNumber: 'PLNTSRCH5',
  surname: 'Plantedsurnamex',
  givenName: 'Plantedgivenx',
  vin: 'PLNTVXN0000000077',
  plate: 'PLNT 77',
  reportedNumber: 'PLNTREP99',
  operatorId: 'officer-planted-88',
} as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

function spellings(value: string): Buffer[] {
  const forms = new Set([value, value.toUpperCase(), value.toLowerCase(), value.replace(/\s+/g, ''), value.toUpperCase().replace(/\s+/g, '')]);
  return [...forms].flatMap((v) => [Buffer.from(v, 'utf8'), Buffer.from(v, 'utf16le')]);
}

function plantedIn(path: string): string[] {
  const found: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(`${path}${suffix}`);
    } catch {
      continue;
    }
    for (const [name, value] of Object.entries(PLANTED)) if (spellings(value).some((s) => bytes.includes(s))) found.push(`${name} in offline.db${suffix}`);
  }
  return found;
}

describe('a lane that worked through an outage', () => {
  it('keeps no planted value readable in its store, its logs, its audit events or its events', async () => {
    const files = scratch();
    closers.push(() => files.done());
    const store = open(files.path);
    closers.push(() => store.close());
    const dataset: Dataset = {
      ...demoDataset,
      documents: [...demoDataset.documents, { recordId: 'SLTD-PLANT-1', documentNumber: PLANTED.documentNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' }],
      persons: [
        ...demoDataset.persons,
        {
          recordId: 'NOMINAL-PLANT-1',
          surname: PLANTED.surname,
          givenNames: [PLANTED.givenName],
          dateOfBirth: '1970-01-01',
          nationalities: ['UTO'],
          notice: { type: 'RED', reference: 'A-1/2026', requestingCountry: 'UTO' },
        },
      ],
      vehicles: [
        ...demoDataset.vehicles,
        { recordId: 'SMV-PLANT-1', vin: PLANTED.vin, plate: PLANTED.plate, registrationCountry: 'UTO', make: 'VW', model: 'Golf', colour: 'RED', theftDate: '2024-01-01' },
      ],
    };
    const g = await createMockGateway({ dataset });
    const port = Number(new URL(g.url).port);
    const lines: string[] = [];
    const sink = (m: string, f?: Record<string, unknown>) => void lines.push(`${m} ${JSON.stringify(f ?? {})}`);
    const audits: AuditEvent[] = [];
    const events: ClientEvent[] = [];
    const client = createClient({
      transport: httpTransport({ baseUrl: g.url }),
      context: { authorityId: 'UTO-POLICE', operatorId: PLANTED.operatorId, purpose: 'BORDER_CHECK' },
      retry: { retries: 0 },
      breaker: false,
      timeoutMs: 2000,
      logLevel: 'debug',
      logger: { error: sink, warn: sink, info: sink, debug: sink },
      onAudit: (e) => audits.push(e),
      offline: { store },
      outbox: { store: store.outbox },
    });
    closers.push(() => client.close());
    for (const t of ['queued', 'delivered', 'rejected', 'lateHit', 'sync', 'syncFailed'] as const) client.on(t, (e) => events.push(e));

    expect((await client.offline!.sync()).every((r) => r.ok)).toBe(true);
    await g.close();

    // The outage: checks answered from the copy (hits and a clear), reports queued.
    const doc = await client.checkDocument({ documentNumber: PLANTED.documentNumber, issuingState: 'UTO', documentType: 'PASSPORT' });
    expect(doc).toMatchObject({ servedFrom: 'offline', verdict: 'HIT' });
    expect((await client.checkDocument({ documentNumber: PLANTED.searchedNumber, issuingState: 'UTO', documentType: 'PASSPORT' })).verdict).toBe('NO_HIT');
    expect((await client.checkPerson({ surname: PLANTED.surname, givenNames: [PLANTED.givenName], dateOfBirth: '1970-01-01' })).verdict).toBe('HIT');
    expect((await client.checkVehicle({ vin: PLANTED.vin, plate: PLANTED.plate, registrationCountry: 'UTO' })).verdict).toBe('HIT');
    const report = { documentNumber: PLANTED.reportedNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2026-11-20' } as const;
    expect(await client.reportDocument(report)).toMatchObject({ status: 'QUEUED' });
    expect(plantedIn(files.path)).toEqual([]);

    // The gateway is back, now holding the number searched during the outage: delivered, re-screened, a late hit.
    const back = await createMockGateway({
      port,
      dataset: { ...dataset, documents: [...dataset.documents, { recordId: 'SLTD-PLANT-2', documentNumber: PLANTED.searchedNumber, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' }] },
    });
    closers.push(() => back.close());
    expect(await client.outbox.flush()).toMatchObject({ delivered: 1, pending: 0 });
    expect(await client.offline!.rescreen()).toBe(4);
    expect(events.filter((e) => e.type === 'lateHit')).toHaveLength(1);
    expect(plantedIn(files.path)).toEqual([]);

    for (const line of lines) for (const value of Object.values(PLANTED).filter((v) => v !== PLANTED.operatorId)) expect(line).not.toContain(value);
    for (const text of [...audits, ...events].map((e) => JSON.stringify(e))) {
      for (const value of Object.values(PLANTED).filter((v) => v !== PLANTED.operatorId)) expect(text).not.toContain(value);
    }
    store.close();
    expect(plantedIn(files.path)).toEqual([]);
  });
});
