// The mock and demo gateways match names by Unicode letters: a record written in Cyrillic or Greek answers HIT for the
// same name, never NO_HIT because the name normalised to nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient } from 'borderlink';
import { createGatewayHandler, mockTransport, type Dataset } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE' } as const;
const notice = { type: 'RED', reference: 'A-7/2026', requestingCountry: 'UTO' } as const;
const dataset: Dataset = {
  documents: [],
  linkedDocuments: [],
  vehicles: [],
  persons: [
    { recordId: 'NOM-CYR', surname: 'Цой', givenNames: ['Юлия'], dateOfBirth: '1990-01-02', nationalities: ['UTO'], notice },
    { recordId: 'NOM-GRC', surname: 'Παπαδόπουλος', givenNames: ['Ελένη'], dateOfBirth: '1985-05-06', nationalities: ['UTO'], notice },
  ],
};

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('the mock gateway matching names', () => {
  it.each([
    ['Cyrillic', { surname: 'ЦОЙ', givenNames: ['ЮЛИЯ'], dateOfBirth: '1990-01-02' }, 'NOM-CYR'],
    ['Greek, accents aside', { surname: 'ΠΑΠΑΔΟΠΟΥΛΟΣ', givenNames: ['ΕΛΕΝΗ'], dateOfBirth: '1985-05-06' }, 'NOM-GRC'],
  ])('answers HIT for a %s record', async (_name, person, recordId) => {
    const client = createClient({ transport: mockTransport({ dataset }), context });
    clients.push(client);
    const result = await client.checkPerson(person);
    expect(result.verdict).toBe('HIT');
    expect(result.hits.map((h) => h.recordId)).toEqual([recordId]);
  });

  it('does not match a Cyrillic name against a different one', async () => {
    const client = createClient({ transport: mockTransport({ dataset }), context });
    clients.push(client);
    expect((await client.checkPerson({ surname: 'ИВАНОВ', dateOfBirth: '1990-01-02', givenNames: ['ПЁТР'] })).verdict).toBe('NO_HIT');
  });

  it('answers ERROR, not NO_HIT, for a name with nothing to search by', async () => {
    const handle = createGatewayHandler({ dataset });
    const res = await handle({
      method: 'POST',
      path: '/v1/checks',
      headers: {},
      body: JSON.stringify({ context, items: [{ itemId: '1', subjects: [{ kind: 'person', surname: '--' }], sources: ['NOMINAL'] }] }),
    });
    const body = JSON.parse(res.body) as { items: { outcomes: { status: string }[] }[] };
    expect(body.items[0]?.outcomes).toEqual([{ source: 'NOMINAL', status: 'ERROR' }]);
  });
});
