// An MRZ check whose holder could not be searched reads INCOMPLETE to the caller: the audit trail and the log must say
// the same. An audit event that says NO_HIT for a traveller the officer was told is INCOMPLETE reads as a clear in
// any later review.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, formatMrz, type AuditEvent, type BorderlinkClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;

// A valid MRZ (every check digit right) whose holder has eleven given names: the holder is not searched today.
const manyNames = formatMrz({
  format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'ZZ9876543', surname: 'X',
  givenNames: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F',
  expiryDate: '2032-04-15',
});
const named = formatMrz({
  format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'ZZ1234567', surname: 'ERIKSSON',
  givenNames: ['ANNA'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15',
});
/** The same MRZ with its whole name field filler: checked only with allowInvalidMrz, NOMINAL not asked. */
const nameless = [`${named[0]!.slice(0, 5)}${'<'.repeat(39)}`, named[1]!];

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
function make() {
  const events: AuditEvent[] = [];
  const lines: { message: string; fields: Record<string, unknown> }[] = [];
  const push = (message: string, fields: Record<string, unknown>) => lines.push({ message, fields });
  const client = createClient({
    transport: mockTransport({ dataset: { documents: [], linkedDocuments: [], persons: [], vehicles: [] } }),
    context,
    onAudit: (e) => events.push(e),
    logLevel: 'info',
    logger: { error: push, warn: push, info: push, debug: push },
  });
  clients.push(client);
  return { client, events, lines };
}

describe('an MRZ check with a source it could not ask', () => {
  it('records in its audit event the verdict the caller got (INCOMPLETE), never NO_HIT', async () => {
    const { client, events } = make();
    const result = await client.checkMrz(nameless, { allowInvalidMrz: true });
    expect(result.verdict).toBe('INCOMPLETE');
    expect(events).toHaveLength(1);
    expect(events[0]!.verdict).toBe(result.verdict);
  });

  it('logs the verdict the caller got (INCOMPLETE), never NO_HIT', async () => {
    const { client, lines } = make();
    const result = await client.checkMrz(nameless, { allowInvalidMrz: true });
    const logged = lines.filter((l) => l.fields.verdict !== undefined).map((l) => l.fields.verdict);
    expect(logged).toEqual([result.verdict]);
  });

  it('records in a batch row\'s audit event the verdict the row came out with', async () => {
    const { client, events } = make();
    const rows = [];
    for await (const row of client.checkManyMrz([{ id: 'scan-1', mrz: nameless }], { allowInvalidMrz: true })) rows.push(row);
    expect(rows[0]!.result?.verdict).toBe('INCOMPLETE');
    expect(events.map((e) => e.verdict)).toEqual(['INCOMPLETE']);
  });
});

describe('a valid MRZ whose holder has more given names than a person query takes', () => {
  it('still searches the holder in NOMINAL (the given names past the tenth are dropped, which only widens the search)', async () => {
    const { client } = make();
    const result = await client.checkMrz(manyNames);
    expect(result.mrz.valid).toBe(true);
    expect(result.outcomes.find((o) => o.source === 'NOMINAL')?.status).toBe('NO_HIT');
    expect(result.verdict).toBe('NO_HIT');
  });
});

describe('an MRZ check asked in named sources only', () => {
  it('reads NO_HIT when every source it was asked answered NO_HIT, though a source it was not asked had nothing to search', async () => {
    const { client } = make();
    // NOMINAL was not requested: that the holder could not be searched does not make the TDAWN answer incomplete.
    const result = await client.checkMrz(nameless, { allowInvalidMrz: true, sources: ['TDAWN'] });
    expect(result.outcomes).toEqual([expect.objectContaining({ source: 'TDAWN', status: 'NO_HIT' })]);
    expect(result.verdict).toBe('NO_HIT');
  });
});
