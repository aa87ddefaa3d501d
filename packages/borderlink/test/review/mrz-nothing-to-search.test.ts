// Rule 1 for MRZ checks: NOMINAL is never asked without a person, and a document without a usable number is never
// sent; the sources that could not be asked read NOT_ASKED, and the verdict is never NO_HIT.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, formatMrz, MrzError, type BorderlinkClient } from 'borderlink';
import { mockTransport, type Dataset, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;

// The holder of this passport is wanted; the MRZ below carries no name at all.
const dataset: Dataset = {
  documents: [],
  linkedDocuments: [],
  vehicles: [],
  persons: [
    {
      recordId: 'NOM-1',
      surname: 'ERIKSSON',
      givenNames: ['ANNA'],
      dateOfBirth: '1974-08-12',
      nationalities: ['UTO'],
      notice: { type: 'RED', reference: 'A-1/2026', requestingCountry: 'UTO' },
    },
  ],
};

const named = formatMrz({
  format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', surname: 'ERIKSSON',
  givenNames: ['ANNA'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15',
});
/** The same MRZ with its whole name field filler. */
const nameless = [`${named[0]!.slice(0, 5)}${'<'.repeat(39)}`, named[1]!];

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
function make(): { client: BorderlinkClient; transport: MockTransport } {
  const transport = mockTransport({ dataset });
  const client = createClient({ transport, context });
  clients.push(client);
  return { client, transport };
}
const sentSources = (transport: MockTransport) =>
  (transport.requests.at(-1)?.body as { items: { sources: string[]; subjects: { kind: string }[] }[] } | undefined)?.items[0];

describe('an MRZ with no name', () => {
  it('never asks NOMINAL, and never reads NO_HIT (allowInvalidMrz)', async () => {
    const { client, transport } = make();
    const r = await client.checkMrz(nameless, { allowInvalidMrz: true });
    expect(sentSources(transport)?.sources).toEqual(['SLTD', 'TDAWN']);
    expect(sentSources(transport)?.subjects.map((s) => s.kind)).toEqual(['document']);
    expect(r.outcomes).toEqual([
      expect.objectContaining({ source: 'SLTD', status: 'NO_HIT' }),
      expect.objectContaining({ source: 'TDAWN', status: 'NO_HIT' }),
      { source: 'NOMINAL', status: 'NOT_ASKED' },
    ]);
    expect(r.verdict).toBe('INCOMPLETE');
  });

  it('is the same in a batch of MRZ rows', async () => {
    const { client } = make();
    const rows = [];
    for await (const row of client.checkManyMrz([{ id: 'p1', mrz: nameless }], { allowInvalidMrz: true })) rows.push(row);
    expect(rows[0]?.result?.verdict).toBe('INCOMPLETE');
    expect(rows[0]?.result?.outcomes.at(-1)).toEqual({ source: 'NOMINAL', status: 'NOT_ASKED' });
  });

  it('still finds the holder when the name is there', async () => {
    const { client } = make();
    const result = await client.checkMrz(named);
    expect(result.verdict).toBe('HIT');
  });
});

describe('an MRZ checked as read (allowInvalidMrz)', () => {
  it('leaves out a document without a usable number: SLTD and TDAWN are not asked, never sent with an empty number', async () => {
    const { client, transport } = make();
    const blank = [named[0]!, `${'<'.repeat(10)}${named[1]!.slice(10)}`];
    const result = await client.checkMrz(blank, { allowInvalidMrz: true });
    const sent = sentSources(transport);
    expect(sent?.sources).toEqual(['NOMINAL']);
    expect(sent?.subjects.map((s) => s.kind)).toEqual(['person']);
    expect(result.outcomes.map((o) => [o.source, o.status])).toEqual([
      ['SLTD', 'NOT_ASKED'],
      ['TDAWN', 'NOT_ASKED'],
      ['NOMINAL', 'HIT'],
    ]);
    expect(result.verdict).toBe('HIT');
  });

  it('reads INCOMPLETE, not NO_HIT, when the sources it could ask answer NO_HIT', async () => {
    const transport = mockTransport({ dataset: { ...dataset, persons: [] } });
    const client = createClient({ transport, context });
    clients.push(client);
    const blank = [named[0]!, `${'<'.repeat(10)}${named[1]!.slice(10)}`];
    const result = await client.checkMrz(blank, { allowInvalidMrz: true });
    expect(result.verdict).toBe('INCOMPLETE');
  });

  it('is an MrzError when nothing in it can be searched, and sends nothing', async () => {
    const { client, transport } = make();
    const empty = [`${named[0]!.slice(0, 5)}${'<'.repeat(39)}`, `${'<'.repeat(10)}${named[1]!.slice(10)}`];
    await expect(client.checkMrz(empty, { allowInvalidMrz: true })).rejects.toBeInstanceOf(MrzError);
    expect(transport.requests).toHaveLength(0);
  });

  it('drops an optional field that does not validate rather than sending it', async () => {
    const { client, transport } = make();
    // A nationality read as digits: the person is still searched, without it.
    const bad = [named[0]!, `${named[1]!.slice(0, 10)}U7O${named[1]!.slice(13)}`];
    await client.checkMrz(bad, { allowInvalidMrz: true, repair: false });
    const person = (transport.requests.at(-1)?.body as { items: { subjects: Record<string, unknown>[] }[] }).items[0]!.subjects.find(
      (s) => s.kind === 'person',
    );
    expect(person).toBeDefined();
    expect(person).not.toHaveProperty('nationality');
  });
});
