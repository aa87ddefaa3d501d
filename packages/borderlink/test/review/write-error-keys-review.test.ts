// Rule 3: every write error says which key it was sent under, and a write whose answer was lost is retried with the
// same key, so it is stored once.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient, type BorderlinkError } from 'borderlink';
import { mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const report = { documentNumber: 'AB1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
function make(transport: MockTransport): BorderlinkClient {
  const client = createClient({ transport, context, retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 } });
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

describe('a write', () => {
  it.each([['truncated'], ['malformed']] as const)(
    'answered 2xx with a body that cannot be read (%s) is retried with the same key and stored once',
    async (type) => {
      const transport = mockTransport({ faults: [{ type }] });
      const result = await make(transport).reportDocument(report);
      expect(result.attempts).toBe(2);
      expect(result.replayed).toBe(true);
      expect(new Set(transport.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(transport.reports).toHaveLength(1);
    },
  );

  it.each([
    ['a timeout that is not a number of milliseconds', { timeoutMs: -1 }],
    ['an option it does not know', { retries: 3 }],
    ['a signal that is not an AbortSignal', { signal: {} }],
  ])('refused for %s still says which key it was given, and that nothing was stored', async (_name, bad) => {
    const transport = mockTransport();
    const error = await failure(make(transport).reportDocument(report, { idempotencyKey: 'report-0003-key', ...bad } as never));
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', idempotencyKey: 'report-0003-key', mayHaveBeenStored: false });
    expect(transport.requests).toHaveLength(0);
  });
});
