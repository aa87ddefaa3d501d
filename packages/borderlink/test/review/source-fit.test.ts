// Rule 1: a source counts towards NO_HIT only when the request gave it something it can search.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, InputError, type BorderlinkClient } from 'borderlink';
import { mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const vehicle = { kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' } as const;
const person = { kind: 'person' as const, surname: 'ERIKSSON', givenNames: ['ANNA'] };
const document = { kind: 'document', documentNumber: 'X1234567', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
function make(): { client: BorderlinkClient; transport: MockTransport } {
  const transport = mockTransport();
  const client = createClient({ transport, context });
  clients.push(client);
  return { client, transport };
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('a source that no subject fits', () => {
  it.each([
    ['SLTD with only a vehicle', [vehicle], 'SLTD', 'SLTD needs a document to search'],
    ['TDAWN with only a person', [person], 'TDAWN', 'TDAWN needs a document to search'],
    ['SMV with only a person', [person], 'SMV', 'SMV needs a vehicle to search'],
    ['NOMINAL with only a document', [document], 'NOMINAL', 'NOMINAL needs a person or a document holder to search'],
  ] as const)('is an InputError before sending, never NO_HIT (%s)', async (_name, subjects, source, message) => {
    const { client, transport } = make();
    const error = await refusal(client.check({ subjects: [...subjects], sources: [source] }));
    expect(error.issues).toEqual([{ path: 'sources.0', message }]);
    expect(transport.requests).toHaveLength(0);
  });

  it('names every source that has nothing to search, by its place in the list', async () => {
    const { client } = make();
    const error = await refusal(client.check({ subjects: [vehicle], sources: ['SMV', 'SLTD', 'NOMINAL'] }));
    expect(error.issues.map((i) => i.path)).toEqual(['sources.1', 'sources.2']);
  });

  it('applies to the sources of a single-kind check too', async () => {
    const { client, transport } = make();
    await refusal(client.checkVehicle({ vin: 'WVWZZZ1JZXW000001' }, { sources: ['SLTD'] }));
    await refusal(client.checkPerson({ surname: 'ERIKSSON' }, { sources: ['SMV'] }));
    await refusal(client.checkDocument(document, { sources: ['NOMINAL'] }));
    expect(transport.requests).toHaveLength(0);
  });

  it('lets a document holder be searched in NOMINAL', async () => {
    const { client } = make();
    const result = await client.check({ subjects: [{ ...document, holder: { surname: 'NOBODY' } }], sources: ['NOMINAL'] });
    expect(result.verdict).toBe('NO_HIT');
  });

  it('makes the row an error in a batch, and the other rows go on', async () => {
    const { client, transport } = make();
    const rows = [];
    for await (const row of client.checkMany([
      { id: 'a', subjects: [vehicle], sources: ['SLTD'] },
      { id: 'b', subjects: [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW999999' }] },
    ])) rows.push(row);
    expect(rows.find((r) => r.id === 'a')?.error?.code).toBe('INVALID_INPUT');
    expect(rows.find((r) => r.id === 'b')?.result?.verdict).toBe('NO_HIT');
    expect((transport.requests[0]?.body as { items: unknown[] }).items).toHaveLength(1);
  });
});

describe('a surname with no letter', () => {
  it.each([['-'], ['.'], ["'"], ['\u0301'], [' - '], ['.-']])('is an InputError naming the field (%j)', async (surname) => {
    const { client, transport } = make();
    const error = await refusal(client.checkPerson({ surname }));
    expect(error.issues).toEqual([{ path: 'surname', message: 'must hold at least one letter' }]);
    expect(transport.requests).toHaveLength(0);
  });

  it('is refused as a given name and a document holder too', async () => {
    const { client } = make();
    await refusal(client.checkPerson({ surname: 'ERIKSSON', givenNames: ['-'] }));
    await refusal(client.checkDocument({ ...document, holder: { surname: '.' } }));
  });

  it('accepts names in any script', async () => {
    const { client } = make();
    for (const surname of ['ЦОЙ', 'ΠΑΠΑΔΟΠΟΥΛΟΣ', "O'NEIL", 'MÜLLER-LÜDENSCHEIDT']) {
      await expect(client.checkPerson({ surname })).resolves.toMatchObject({ verdict: expect.any(String) });
    }
  });
});
