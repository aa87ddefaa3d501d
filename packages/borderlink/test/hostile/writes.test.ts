// Rule 3 against a gateway we did not write: whatever it answers a report with (any status, cut-off or garbage
// bodies, dropped connections), every attempt of the write carries one idempotency key, a failed write says which
// key and whether it may have been stored, and the natural retry (the same report with that key) sends that key
// again. Rule 4 too: every request that reaches the gateway says who, for which authority, and why.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BorderlinkError, createClient, httpTransport, type BorderlinkClient } from 'borderlink';
import { startHostileGateway, type HostileAnswer, type HostileGateway } from './server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const report = { documentNumber: 'AB1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } as const;
const REFUSED = new Set([400, 401, 403, 404, 409, 413, 422, 429]);

let gateway: HostileGateway;
let client: BorderlinkClient;
beforeAll(async () => {
  gateway = await startHostileGateway();
  client = createClient({
    transport: httpTransport({ baseUrl: gateway.url }),
    context,
    retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 },
    breaker: false,
    timeoutMs: 2000,
  });
});
afterAll(async () => {
  await client?.close();
  await gateway?.close();
});

const stored = JSON.stringify({ recordId: 'SLTD-UTO-R000001', createdAt: '2026-12-01T00:00:00Z' });
const answer: fc.Arbitrary<HostileAnswer> = fc.oneof(
  fc.constant({ status: 200, body: stored }),
  fc.constantFrom(400, 403, 404, 409, 429, 500, 502, 503, 504, 418).map((status) => ({ status, body: '{"error":{"code":"X","message":"QZ7766554"}}' })),
  fc.constant({ status: 201, body: stored.slice(0, 20) }),
  fc.constant({ status: 200, body: '<html>' }),
  fc.constant({ status: 200, body: '{"recordId":7}' }),
  fc.constant({ status: 200, body: stored, cutAfter: 30 }),
);

describe('writes against a hostile gateway', () => {
  it('keep one key on every attempt and across the retry, and say whether they may have been stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 6, maxLength: 6 }), async (answers) => {
        const start = gateway.requests.length;
        let n = 0;
        gateway.answer(() => answers[Math.min(n++, answers.length - 1)]!);
        const first = await client.reportDocument(report).catch((e: unknown) => e);
        const firstSent = gateway.requests.slice(start);
        const keys = new Set(firstSent.map((r) => r.headers['idempotency-key']));
        expect(keys.size).toBe(1);
        const key = [...keys][0]!;
        if (first instanceof Error) {
          expect(first).toBeInstanceOf(BorderlinkError);
          const e = first as BorderlinkError;
          expect(e.idempotencyKey).toBe(key);
          // "Not stored" only when every answer the gateway gave this write was an outright refusal.
          if (e.mayHaveBeenStored === false) {
            expect(answers.slice(0, firstSent.length).every((a) => a.cutAfter === undefined && REFUSED.has(a.status ?? 200))).toBe(true);
          }
          expect(e.message).not.toContain('QZ7766554');
          const before = gateway.requests.length;
          await client.reportDocument(report, { idempotencyKey: e.idempotencyKey! }).catch(() => undefined);
          for (const r of gateway.requests.slice(before)) expect(r.headers['idempotency-key']).toBe(key);
        } else {
          expect((first as { idempotencyKey: string }).idempotencyKey).toBe(key);
        }
        for (const r of gateway.requests.slice(start)) {
          expect(JSON.parse(r.body)).toMatchObject({ context });
        }
      }),
      { numRuns: 80 },
    );
  });
});
