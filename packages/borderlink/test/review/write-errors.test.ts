// Rule 3: every write error says which idempotency key it was sent under and whether it may have been stored, so
// that the natural retry after a lost answer stores the report once.
import { afterEach, describe, expect, it } from 'vitest';
import { BorderlinkError, ConfigError, createClient, type BorderlinkClient } from 'borderlink';
import { mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const report = { documentNumber: 'AB1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
function make(transport: MockTransport, retries = 0): BorderlinkClient {
  const client = createClient({ transport, context, retry: retries === 0 ? false : { retries, minDelayMs: 0, maxDelayMs: 0 } });
  clients.push(client);
  return client;
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the write to fail');
    },
    (e: unknown) => e as BorderlinkError,
  );

describe('a write error', () => {
  it('after a lost answer says the report may be stored, and a retry with its key stores it once', async () => {
    const transport = mockTransport({ faults: [{ type: 'lost-response' }] });
    const client = make(transport);
    const error = await failure(client.reportDocument(report));
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', mayHaveBeenStored: true, idempotencyKey: expect.any(String) });
    expect(error.toJSON()).toMatchObject({ idempotencyKey: error.idempotencyKey, mayHaveBeenStored: true });
    const again = await client.reportDocument(report, { idempotencyKey: error.idempotencyKey! });
    expect(again.replayed).toBe(true);
    expect(transport.reports).toHaveLength(1);
  });

  it('after 503s on every attempt says it may be stored', async () => {
    const transport = mockTransport({ faults: [{ type: 'status', status: 503 }, { type: 'status', status: 503 }] });
    const error = await failure(make(transport, 1).withdrawReport({ recordId: 'SLTD-UTO-0001', reason: 'RECOVERED' }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', attempts: 2, mayHaveBeenStored: true });
  });

  it.each([
    [400, 'INVALID_REQUEST'],
    [403, 'FORBIDDEN'],
    [409, 'IDEMPOTENCY_KEY_REUSED'],
    [429, 'RATE_LIMITED'],
  ])('after a %i refusal says it was not stored', async (status, code) => {
    const transport = mockTransport({ faults: [{ type: 'status', status }] });
    const error = await failure(make(transport).reportDocument(report, { idempotencyKey: 'report-0001-key' }));
    expect(error).toMatchObject({ code, mayHaveBeenStored: false, idempotencyKey: 'report-0001-key' });
  });

  it('refused before sending carries the key and says it was not stored', async () => {
    const transport = mockTransport();
    const client = make(transport);
    const invalid = await failure(client.reportDocument({ ...report, status: 'MISPLACED' as 'LOST' }));
    expect(invalid).toMatchObject({ code: 'INVALID_INPUT', mayHaveBeenStored: false, idempotencyKey: expect.any(String) });
    const noContext = await failure(client.reportDocument(report, { context: { purpose: 'NOPE' as 'TEST' }, idempotencyKey: 'report-0002-key' }));
    expect(noContext).toMatchObject({ code: 'INVALID_INPUT', mayHaveBeenStored: false, idempotencyKey: 'report-0002-key' });
    expect(transport.requests).toHaveLength(0);
  });

  it('keeps a write stored after a lost first answer stored once when retried in the same call', async () => {
    const transport = mockTransport({ faults: [{ type: 'lost-response' }] });
    const result = await make(transport, 2).reportDocument(report);
    expect(result.attempts).toBe(2);
    expect(transport.reports).toHaveLength(1);
  });
});

describe('privacy.hashKey', () => {
  it.each([[''], ['short'], ['fifteen-bytes!!'], [new Uint8Array(8)]])('shorter than 16 bytes is a ConfigError (%j)', (hashKey) => {
    expect(() => createClient({ transport: mockTransport(), context, privacy: { hashKey } })).toThrow(ConfigError);
  });

  it('of 16 bytes or more is accepted, and a Uint8Array is copied', () => {
    const key = new Uint8Array(16).fill(7);
    const client = createClient({ transport: mockTransport(), context, privacy: { hashKey: key } });
    clients.push(client);
    key.fill(0);
    expect(() => createClient({ transport: mockTransport(), context, privacy: { hashKey: 'sixteen-bytes!!!' } }).close()).not.toThrow();
  });
});
