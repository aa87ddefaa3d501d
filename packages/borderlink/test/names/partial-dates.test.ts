// Partial dates of birth, end to end: a year or a year and month from the caller or from an MRZ whose day or month is
// unknown goes out as partial (never completed), an impossible date is refused naming the field, and a partial date
// on either side (the query's or a record's) finds the records it fits: at the mock gateway over real sockets, and in
// the offline copy, which never reads NO_HIT because a date is partial (rule 1).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, formatMrz, httpTransport, InputError, type BorderlinkClient, type OfflineRecord } from 'borderlink';
import { openOfflineStore } from 'borderlink/offline';
import { createMockGateway, demoDataset, memoryOfflineStore, type DatasetPerson, type MockGateway } from 'borderlink/testing';
import { full } from '../helpers/offline-copy';
import { deadUrl } from '../helpers/outbox';
import { KEYS, scratch } from '../offline/fixtures';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE' } as const;
const notice = (reference: string) => ({ type: 'RED' as const, reference, requestingCountry: 'UTO' });

/** Records whose own date of birth is partial or unknown, as notices often hold them. */
const persons: DatasetPerson[] = [
  { recordId: 'NOMINAL-YEAR-1', surname: 'ЦОЙ', givenNames: ['ЮЛИЯ'], dateOfBirth: '1971', nationalities: ['RUS'], notice: notice('P-1/2026') },
  { recordId: 'NOMINAL-MONTH-1', surname: 'KOVACS', givenNames: ['ISTVAN'], dateOfBirth: '1966-03', nationalities: ['HUN'], notice: notice('P-2/2026') },
];

let gateway: MockGateway;
let client: BorderlinkClient;

beforeAll(async () => {
  gateway = await createMockGateway({ dataset: { ...demoDataset, persons: [...demoDataset.persons, ...persons] } });
  client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, retry: false, breaker: false });
});
afterAll(async () => {
  await client.close();
  await gateway.close();
});

/** The subjects of the last request the gateway received. */
const lastSubjects = () => (gateway.requests.at(-1)!.body as { items: { subjects: Record<string, unknown>[] }[] }).items[0]!.subjects;

describe('a partial date of birth from the caller', () => {
  it('is accepted as a year or a year and month, and sent as given', async () => {
    for (const dateOfBirth of ['1974', '1974-08']) {
      await client.checkPerson({ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth });
      expect(lastSubjects()[0]!.dateOfBirth).toBe(dateOfBirth);
    }
  });

  it('is refused when it is no calendar date, naming the field and never the value', async () => {
    const before = gateway.requests.length;
    for (const dateOfBirth of ['1974-13', '1974-00', '1974-02-30', '1973-02-29', '1974-8', '74-08-12', '1974-08-12T00:00']) {
      const error = await client.checkPerson({ surname: 'ERIKSSON', dateOfBirth }).catch((e: unknown) => e);
      expect(error, dateOfBirth).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.path), dateOfBirth).toEqual(['dateOfBirth']);
      expect(JSON.stringify({ message: (error as Error).message, issues: (error as InputError).issues }), dateOfBirth).not.toContain(dateOfBirth);
    }
    expect(gateway.requests.length).toBe(before);
  });
});

describe('a partial date of birth from an MRZ', () => {
  it('passes from parseMrz through the subjects to the query as partial, never as a made-up full date', async () => {
    for (const [birthDate, printed] of [['1974-08', '7408<<'], ['1974', '74<<<<']] as const) {
      const mrz = formatMrz({
        format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'],
        nationality: 'UTO', birthDate, sex: 'F', expiryDate: '2030-01-01',
      });
      expect(mrz[1]!.slice(0, 6)).toBe(printed);
      const result = await client.checkMrz(mrz);
      expect(result.mrz.document?.birthDate).toBe(birthDate);
      const holder = lastSubjects().find((s) => s.kind === 'person') ?? (lastSubjects()[0]!.holder as Record<string, unknown>);
      expect(holder.dateOfBirth).toBe(birthDate);
    }
  });
});

describe('a record whose own date of birth is partial', () => {
  it('is found by a full date it fits, as a lead (the mock matches as a real gateway would)', async () => {
    for (const [query, recordId] of [
      [{ surname: 'Цой', givenNames: ['Юлия'], dateOfBirth: '1971-06-30' }, 'NOMINAL-YEAR-1'],
      [{ surname: 'TSOY', givenNames: ['YULIYA'], dateOfBirth: '1971-01-01' }, 'NOMINAL-YEAR-1'],
      [{ surname: 'KOVACS', givenNames: ['ISTVAN'], dateOfBirth: '1966-03-09' }, 'NOMINAL-MONTH-1'],
      [{ surname: 'KOVACS', givenNames: ['ISTVAN'], dateOfBirth: '1966' }, 'NOMINAL-MONTH-1'],
    ] as const) {
      const result = await client.checkPerson({ ...query, givenNames: [...query.givenNames] });
      expect(result.verdict, JSON.stringify(query)).toBe('POSSIBLE_HIT');
      expect(result.hits.map((h) => h.recordId), JSON.stringify(query)).toEqual([recordId]);
    }
  });

  it('is not found by a date it does not fit', async () => {
    for (const query of [
      { surname: 'TSOI', givenNames: ['IULIIA'], dateOfBirth: '1972-06-30' },
      { surname: 'KOVACS', givenNames: ['ISTVAN'], dateOfBirth: '1966-04-09' },
      { surname: 'KOVACS', givenNames: ['ISTVAN'], dateOfBirth: '1966-04' },
    ]) {
      expect((await client.checkPerson(query)).verdict, JSON.stringify(query)).toBe('NO_HIT');
    }
  });
});

describe.each(['memory', 'SQLite'] as const)('the offline copy (%s store) and partial dates', (kind) => {
  const record = (recordId: string, person: OfflineRecord & { source: 'NOMINAL' } extends { person: infer P } ? P : never): OfflineRecord => ({
    source: 'NOMINAL',
    recordId,
    ownerCountry: 'UTO',
    person,
    notice: notice(recordId),
  });
  const records: OfflineRecord[] = [
    record('NOMINAL-FULL', { surname: 'STORGAARD', givenNames: ['NILS'], dateOfBirth: '1968-03-22', nationalities: ['UTO'] }),
    record('NOMINAL-YEAR', { surname: 'ЦОЙ', givenNames: ['ЮЛИЯ'], dateOfBirth: '1971', nationalities: ['RUS'] }),
    record('NOMINAL-MONTH', { surname: 'KOVACS', givenNames: ['ISTVAN'], dateOfBirth: '1966-03', nationalities: ['HUN'] }),
    record('NOMINAL-NONE', { surname: 'OKAFOR', givenNames: ['CHIDI'], nationalities: ['NGA'] }),
    record('NOMINAL-ODD', { surname: 'LINDQVIST', givenNames: ['PER'], dateOfBirth: '1970-02-30', nationalities: ['SWE'] }),
  ];
  let closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.reverse()) await c();
    closers = [];
  });
  async function offlineClient(): Promise<BorderlinkClient> {
    let store;
    if (kind === 'memory') store = memoryOfflineStore();
    else {
      const files = scratch();
      store = openOfflineStore({ path: files.path, ...KEYS });
      const opened = store;
      closers.push(async () => {
        opened.close();
        files.done();
      });
    }
    await store.apply('NOMINAL', full('NOMINAL', records, new Date().toISOString()));
    const { url } = await deadUrl();
    const c = createClient({ transport: httpTransport({ baseUrl: url }), context, retry: { retries: 0 }, timeoutMs: 2000, offline: { store, sources: ['NOMINAL'] } });
    closers.push(() => c.close());
    return c;
  }

  it('finds a record of a partial, unknown or unreadable date of birth by a full date it fits, never NO_HIT', async () => {
    const c = await offlineClient();
    for (const [query, recordId] of [
      [{ surname: 'Цой', givenNames: ['Юлия'], dateOfBirth: '1971-06-30' }, 'NOMINAL-YEAR'],
      [{ surname: 'TSOY', givenNames: ['YULIYA'], dateOfBirth: '1971-06-30' }, 'NOMINAL-YEAR'],
      [{ surname: 'KOVACS', givenNames: ['ISTVAN'], dateOfBirth: '1966-03-09' }, 'NOMINAL-MONTH'],
      [{ surname: 'OKAFOR', givenNames: ['CHIDI'], dateOfBirth: '1980-01-01' }, 'NOMINAL-NONE'],
      [{ surname: 'LINDQVIST', givenNames: ['PER'], dateOfBirth: '1970-02-28' }, 'NOMINAL-ODD'],
    ] as const) {
      const result = await c.checkPerson({ ...query, givenNames: [...query.givenNames] });
      expect(result.hits.map((h) => h.recordId), JSON.stringify(query)).toEqual([recordId]);
      // The date did not match exactly: a lead for a person to compare, not a HIT.
      expect(result.verdict, JSON.stringify(query)).toBe('POSSIBLE_HIT');
      expect(result.outcomes[0]).toMatchObject({ source: 'NOMINAL', status: 'POSSIBLE_HIT', servedFrom: 'offline' });
      expect(result.hits[0]!.match).toMatchObject({ method: 'FUZZY', matchedFields: ['surname', 'givenNames'] });
    }
  });

  it('answers a full date of birth exactly, and a record of a partial date a full date does not fit as no hit', async () => {
    const c = await offlineClient();
    const exact = await c.checkPerson({ surname: 'STORGAARD', givenNames: ['NILS'], dateOfBirth: '1968-03-22' });
    expect(exact.verdict).toBe('HIT');
    expect(exact.hits[0]!.match).toMatchObject({ method: 'EXACT', matchedFields: ['surname', 'givenNames', 'dateOfBirth'] });
    const otherMonth = await c.checkPerson({ surname: 'KOVACS', givenNames: ['ISTVAN'], dateOfBirth: '1966-04-09' });
    expect(otherMonth.verdict).toBe('NO_HIT');
    expect(otherMonth.outcomes[0]).toMatchObject({ status: 'NO_HIT', offlineNote: 'EXACT_MATCH_ONLY' });
  });

  it('reads a partial date of birth in the query as unsearchable offline: INCOMPLETE, never NO_HIT', async () => {
    const c = await offlineClient();
    for (const dateOfBirth of ['1968', '1968-03', '1990', '1990-01']) {
      const result = await c.checkPerson({ surname: 'STORGAARD', givenNames: ['NILS'], dateOfBirth });
      expect(result.verdict, dateOfBirth).toBe('INCOMPLETE');
      expect(result.outcomes[0], dateOfBirth).toMatchObject({ status: 'UNAVAILABLE', offlineNote: 'CANNOT_SEARCH_OFFLINE' });
    }
    // An MRZ whose day is unknown: its holder is searched in NOMINAL with a partial date.
    const mrz = formatMrz({
      format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', surname: 'STORGAARD', givenNames: ['NILS'],
      nationality: 'UTO', birthDate: '1968-03', sex: 'M', expiryDate: '2030-01-01',
    });
    const fromMrz = await c.checkMrz(mrz, { sources: ['NOMINAL'] });
    expect(fromMrz.verdict).toBe('INCOMPLETE');
    expect(fromMrz.outcomes.find((o) => o.source === 'NOMINAL')).toMatchObject({ status: 'UNAVAILABLE', offlineNote: 'CANNOT_SEARCH_OFFLINE' });
  });
});
