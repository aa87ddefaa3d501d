// Rule 3: a write whose 2xx answer is lost in transit (cut off, not JSON) is retried with the same idempotency key, so
// the gateway replays what it stored; the natural retry never sends a new key and stores the report twice.
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError, createClient, httpTransport, type BorderlinkClient } from 'borderlink';
import { createMockGateway, mockTransport, type Fault } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const report = { documentNumber: 'UT5550001', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } as const;
const retry = { retries: 2, minDelayMs: 1, maxDelayMs: 2 };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

describe('a write whose 2xx answer cannot be read', () => {
  for (const type of ['truncated', 'malformed'] as const) {
    it(`is retried with the same idempotency key and stored once (${type}, in process)`, async () => {
      const transport = mockTransport({ faults: [{ type }] });
      const client: BorderlinkClient = createClient({ transport, context, retry, breaker: false });
      open.push(client);
      const result = await client.reportDocument(report);
      const keys = transport.requests.map((r) => r.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(1);
      expect(result.idempotencyKey).toBe(keys[0]);
      expect(result.attempts).toBe(2);
      expect(result.replayed).toBe(true);
      expect(transport.reports).toHaveLength(1);
    });
  }

  // Over HTTP a cut-off body is a broken connection (already retried); a complete body that is not JSON is the case
  // that reaches the body reader.
  for (const type of ['truncated', 'malformed'] as const) {
    it(`is retried with the same idempotency key and stored once over HTTP (${type})`, async () => {
      const gateway = await createMockGateway({ faults: [{ type }] });
      const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, retry, breaker: false });
      open.push(client, gateway);
      const result = await client.reportDocument(report);
      const keys = gateway.requests.map((r) => r.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(1);
      expect(result.replayed).toBe(true);
      expect(gateway.reports).toHaveLength(1);
    });
  }

  it('off the schema is retried with the same key too (the gateway replays its answer), and fails retryable', async () => {
    const faults: Fault[] = [{ type: 'off-schema' }, { type: 'off-schema' }, { type: 'off-schema' }];
    const transport = mockTransport({ faults });
    const client = createClient({ transport, context, retry, breaker: false });
    open.push(client);
    const err = await client.reportDocument(report).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).retryable).toBe(true);
    expect((err as ProtocolError).attempts).toBe(3);
    expect(new Set(transport.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(transport.reports).toHaveLength(1);
  });

  it('a withdrawal whose answer is cut off is retried with the same key and applied once', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context, retry, breaker: false });
    open.push(client);
    const { recordId } = await client.reportDocument(report);
    transport.setFaults([{ type: 'truncated' }]);
    const result = await client.withdrawReport({ recordId, reason: 'RECOVERED' });
    const withdrawals = transport.requests.filter((r) => r.path.endsWith('/withdrawal'));
    expect(withdrawals).toHaveLength(2);
    expect(new Set(withdrawals.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(result.replayed).toBe(true);
  });
});
