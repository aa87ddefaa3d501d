// Person checks with names in their own script, over real sockets: httpTransport against createMockGateway on
// 127.0.0.1. The subject sent carries the ICAO form and the other spellings (nameVariants); the mock matches across
// spellings as a real gateway would, and says which of the query's spellings found a record; partial dates of birth
// go out as partial.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, formatMrz, httpTransport, type BorderlinkClient, type PersonHit } from 'borderlink';
import { createMockGateway, demoDataset, type DatasetPerson, type MockGateway } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE' } as const;
const notice = (reference: string) => ({ type: 'RED' as const, reference, requestingCountry: 'UTO' });

/** A Russian record held in Cyrillic, one held in the older romanisation, a German one with its umlauts. */
const persons: DatasetPerson[] = [
  { recordId: 'NOMINAL-RUS-1', surname: 'ЦОЙ', givenNames: ['ЮЛИЯ'], dateOfBirth: '1990-05-14', nationalities: ['RUS'], notice: notice('A-1/2026') },
  { recordId: 'NOMINAL-OLD-1', surname: 'VASILYEVA', givenNames: ['YULIYA'], dateOfBirth: '1985-11-02', nationalities: ['RUS'], notice: notice('A-2/2026') },
  { recordId: 'NOMINAL-DEU-1', surname: 'MÜLLER', givenNames: ['ÜLLE'], dateOfBirth: '1974-08-12', nationalities: ['D'], notice: notice('A-3/2026') },
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

/** The person subject of the last request the gateway received. */
function lastPersonSent(): Record<string, unknown> {
  const body = gateway.requests.at(-1)!.body as { items: { subjects: Record<string, unknown>[] }[] };
  return body.items[0]!.subjects[0]!;
}

const personHits = (hits: readonly { kind: string }[]) => hits.filter((h): h is PersonHit => h.kind === 'person');

describe('a Cyrillic-named record', () => {
  it('is found from its ICAO form', async () => {
    const result = await client.checkPerson({ surname: 'TSOI', givenNames: ['IULIIA'], dateOfBirth: '1990-05-14' });
    expect(result.verdict).toBe('HIT');
    expect(personHits(result.hits).map((h) => h.recordId)).toEqual(['NOMINAL-RUS-1']);
  });

  it('is found from its older romanisation', async () => {
    const result = await client.checkPerson({ surname: 'TSOY', givenNames: ['YULIYA'], dateOfBirth: '1990-05-14' });
    expect(result.verdict).toBe('HIT');
    expect(personHits(result.hits).map((h) => h.recordId)).toEqual(['NOMINAL-RUS-1']);
  });

  it('is found from its original script, which goes out in its ICAO form with the other spellings', async () => {
    const result = await client.checkPerson({ surname: 'Цой', givenNames: ['Юлия'], dateOfBirth: '1990-05-14' });
    expect(result.verdict).toBe('HIT');
    expect(personHits(result.hits).map((h) => h.recordId)).toEqual(['NOMINAL-RUS-1']);
    const sent = lastPersonSent();
    expect(sent.surname).toBe('TSOI');
    expect(sent.givenNames).toEqual(['IULIIA']);
    expect(sent.nameVariants).toEqual(expect.arrayContaining([{ surname: 'ЦОЙ', givenNames: ['ЮЛИЯ'] }, { surname: 'TSOY', givenNames: ['YULIYA'] }]));
  });
});

describe('which spelling found a record', () => {
  it('says so in match.matchedVariant when only one of the query’s other spellings found it', async () => {
    // The record holds the older romanisation; the officer types the name from a document in Cyrillic: its ICAO
    // form (VASILEVA IULIIA) finds nothing, its older romanisation does.
    const result = await client.checkPerson({ surname: 'Васильева', givenNames: ['Юлия'], dateOfBirth: '1985-11-02' });
    expect(result.verdict).toBe('HIT');
    const [hit] = personHits(result.hits);
    expect(hit?.recordId).toBe('NOMINAL-OLD-1');
    expect(hit?.match.method).toBe('NORMALISED');
    expect(hit?.match.matchedVariant).toEqual({ surname: 'VASILYEVA', givenNames: ['YULIYA'] });
    expect(result.warnings).toEqual([]);
  });

  it('leaves it out when the subject’s own names found the record', async () => {
    const result = await client.checkPerson({ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12' });
    expect(result.verdict).toBe('HIT');
    expect(personHits(result.hits)[0]?.match.matchedVariant).toBeUndefined();
  });

  it('finds a German record from the MRZ spelling, the one-letter spelling and the spelling with umlauts', async () => {
    for (const query of [
      { surname: 'MUELLER', givenNames: ['UELLE'] },
      { surname: 'MULLER', givenNames: ['ULLE'] },
      { surname: 'Müller', givenNames: ['Ülle'] },
    ]) {
      const result = await client.checkPerson({ ...query, dateOfBirth: '1974-08-12' });
      expect(result.verdict, query.surname).toBe('HIT');
      expect(personHits(result.hits).map((h) => h.recordId), query.surname).toEqual(['NOMINAL-DEU-1']);
    }
  });
});

describe('partial dates of birth', () => {
  it('go out as given: a year, or a year and month, never a made-up full date', async () => {
    for (const dateOfBirth of ['1990', '1990-05']) {
      const result = await client.checkPerson({ surname: 'Цой', givenNames: ['Юлия'], dateOfBirth });
      expect(lastPersonSent().dateOfBirth).toBe(dateOfBirth);
      // A partial date matches the records it fits: a lead, not a HIT.
      expect(result.verdict).toBe('POSSIBLE_HIT');
    }
  });

  it('go out as partial from an MRZ whose day (or day and month) is unknown', async () => {
    for (const [birthDate, printed] of [['1974-08', '7408<<'], ['1974', '74<<<<']] as const) {
      const mrz = formatMrz({
        format: 'TD3', documentCode: 'P', issuingState: 'D', documentNumber: 'C01X00T47', surname: 'Müller', givenNames: ['Ülle'],
        nationality: 'D', birthDate, sex: 'F', expiryDate: '2030-01-01',
      });
      expect(mrz[1]!.slice(13, 19)).toBe(printed);
      const result = await client.checkMrz(mrz);
      expect(result.mrz.document?.birthDate).toBe(birthDate);
      const body = gateway.requests.at(-1)!.body as { items: { subjects: Record<string, unknown>[] }[] };
      const holder = body.items[0]!.subjects.find((s) => s.kind === 'person')!;
      expect(holder.dateOfBirth).toBe(birthDate);
      expect(holder.surname).toBe('MUELLER');
      expect(result.hits.some((h) => h.kind === 'person' && h.recordId === 'NOMINAL-DEU-1')).toBe(true);
    }
  });
});
