// The verdict rule against a gateway we did not write, over real sockets: whatever the gateway answers (any status,
// any bytes, any mix of well-formed, odd and corrupted fields), a check reads NO_HIT only when every asked source
// had a searchable subject and answered NO_HIT with no hit, and a well-formed HIT or POSSIBLE_HIT in the answer is
// never lost to an error. Every failure is a BorderlinkError: nothing leaks as a TypeError.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BorderlinkError, createClient, httpTransport, type BorderlinkClient, type CheckResult } from 'borderlink';
import { item, itemValue, mayBeClear, oddValue, type GeneratedItem } from './answers';
import { startHostileGateway, type HostileGateway } from './server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const REQUESTED = ['SLTD', 'TDAWN', 'NOMINAL'] as const;
const subjects = [
  { kind: 'document' as const, documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' as const },
  { kind: 'person' as const, surname: 'ERIKSSON', givenNames: ['ANNA'] },
];

let gateway: HostileGateway;
let client: BorderlinkClient;
beforeAll(async () => {
  gateway = await startHostileGateway();
  client = createClient({
    transport: httpTransport({ baseUrl: gateway.url }),
    context,
    retry: false,
    breaker: false,
    dedupe: false,
    timeoutMs: 2000,
  });
});
afterAll(async () => {
  await client?.close();
  await gateway?.close();
});

type Envelope =
  | { kind: 'answer'; requestId: unknown; extraItems: string[]; item: GeneratedItem; twice: boolean }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'truncated'; item: GeneratedItem; cut: number }
  | { kind: 'not-an-object'; value: unknown };

const envelope: fc.Arbitrary<Envelope> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      requestId: fc.oneof(fc.constant('gw-0001'), oddValue, fc.constant(undefined)),
      extraItems: fc.array(fc.constantFrom('0', '2', 'item-1', ''), { maxLength: 1 }),
      item,
      twice: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), item, cut: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('not-an-object' as const), value: fc.oneof(fc.constant(null), fc.array(fc.nat()), fc.string()) }) },
);

const status = fc.oneof({ weight: 10, arbitrary: fc.constant(200) }, { weight: 3, arbitrary: fc.constantFrom(201, 204, 299, 301, 400, 404, 409, 413, 429, 500, 503, 504, 418, 599) });

/** Any header set: the usual names with odd values, repeats, and names nobody expects. */
const headerSet = fc.array(
  fc.tuple(
    fc.constantFrom('content-type', 'x-request-id', 'retry-after', 'retry-after-ms', 'idempotent-replayed', 'x-gateway', 'set-cookie', 'content-encoding'),
    fc.string({ maxLength: 24 }).map((v) => v.replace(/[\r\n\u0000]/g, '')),
  ),
  { maxLength: 4 },
);

function bodyOf(e: Envelope): Buffer {
  switch (e.kind) {
    case 'answer': {
      const items = [itemValue('1', e.item), ...(e.twice ? [itemValue('1', e.item)] : []), ...e.extraItems.map((id) => itemValue(id, { outcomes: [], hits: [] }))];
      return Buffer.from(JSON.stringify({ ...(e.requestId !== undefined ? { requestId: e.requestId } : {}), items }));
    }
    case 'bytes':
      return Buffer.from(e.bytes);
    case 'truncated': {
      const text = JSON.stringify({ requestId: 'gw', items: [itemValue('1', e.item)] });
      return Buffer.from(text.slice(0, e.cut % text.length));
    }
    case 'not-an-object':
      return Buffer.from(JSON.stringify(e.value));
  }
}

/** The answer as the client must read it: the one asked item, exactly once, in a JSON object. */
function wellFormed(code: number, e: Envelope): GeneratedItem | undefined {
  return code === 200 && e.kind === 'answer' && !e.twice && e.extraItems.length === 0 ? e.item : undefined;
}

describe('a hostile gateway over a real socket', () => {
  it('answering more than maxResponseBytes fails the check with a retryable error, never a result', async () => {
    gateway.answer(() => ({ status: 200, body: '{"requestId":"gw","items":[', streamBytes: 8 * 1024 * 1024 }));
    const error = await client.check({ subjects, sources: [...REQUESTED] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BorderlinkError);
    expect(error).toMatchObject({ code: 'PROTOCOL_ERROR', retryable: true });
  });

  it('that never answers, or drops the connection mid-answer, fails the check by its deadline', async () => {
    for (const answer of [{ hang: true }, { status: 200, body: '{"requestId":"gw","items":[{"itemId":"1"', cutAfter: 60 }]) {
      gateway.answer(() => answer);
      const error = await client.check({ subjects, sources: [...REQUESTED] }, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BorderlinkError);
    }
  });

  it('never gets a false clear, never loses a well-formed hit, and fails only with BorderlinkErrors', async () => {
    await fc.assert(
      fc.asyncProperty(status, envelope, headerSet, async (code, e, headers) => {
        const body = bodyOf(e);
        gateway.answer(() => ({ status: code, body, headers }));
        let result: CheckResult | undefined;
        let error: unknown;
        try {
          result = await client.check({ subjects, sources: [...REQUESTED] });
        } catch (err) {
          error = err;
        }
        if (error !== undefined) expect(error).toBeInstanceOf(BorderlinkError);
        const answered = wellFormed(code, e);
        if (result?.verdict === 'NO_HIT') {
          expect(answered).toBeDefined();
          expect(mayBeClear(answered!, REQUESTED)).toBe(true);
        }
        const good = answered?.hits.filter((h) => h.strictOk) ?? [];
        if (good.length > 0) {
          expect(error).toBeUndefined();
          const ids = result!.hits.map((h) => h.hitId);
          for (const h of good) expect(ids).toContain(h.hitId);
          if (good.some((h) => h.method !== 'FUZZY')) expect(result!.verdict).toBe('HIT');
          else expect(result!.verdict).toMatch(/^(HIT|POSSIBLE_HIT)$/);
        }
      }),
      { numRuns: 300 },
    );
    // Rule 4: every check that reached the gateway said who asked, for which authority, and why.
    for (const r of gateway.requests) expect(JSON.parse(r.body)).toMatchObject({ context });
  });
});
