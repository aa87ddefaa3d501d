// The cache key, the memo of the context's text and the merged read path (cache, in-flight table and batching at
// once), tried with checks that must never share an entry and checks that must.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient, type CheckResult, type QueryContext } from 'borderlink';
import type { Transport, TransportRequest, TransportResponse } from 'borderlink';
import { contextJson } from '../../src/protocol/request-body';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const passport = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

interface Sent {
  context: QueryContext;
  items: { itemId: string; subjects: { kind: string; documentNumber?: string }[]; sources: string[] }[];
}

/** A gateway that records each check's body and answers every item; a document number starting HIT is in SLTD. */
function gateway(): Transport & { sent: Sent[]; hold(): () => void; writes: number } {
  let gate: Promise<void> | undefined;
  const t = {
    endpoint: 'test://gateway',
    sent: [] as Sent[],
    writes: 0,
    hold(): () => void {
      let open!: () => void;
      gate = new Promise<void>((r) => (open = r));
      return () => {
        gate = undefined;
        open();
      };
    },
    async send(request: TransportRequest): Promise<TransportResponse> {
      if (request.path === '/v1/reports/documents') {
        t.writes++;
        if (gate !== undefined) await gate;
        return { status: 201, headers: {}, body: JSON.stringify({ recordId: 'SLTD-UTO-R1', createdAt: '2026-01-01T00:00:00Z' }) };
      }
      const body = JSON.parse(request.body!) as Sent;
      t.sent.push(body);
      if (gate !== undefined) await gate;
      const items = body.items.map((item) => {
        const number = item.subjects[0]?.documentNumber ?? '';
        const hit = number.startsWith('HIT');
        return {
          itemId: item.itemId,
          outcomes: item.sources.map((source) => ({ source, status: hit && source === 'SLTD' ? 'HIT' : 'NO_HIT' })),
          hits: hit
            ? [
                {
                  hitId: 'h1',
                  source: 'SLTD',
                  kind: 'document',
                  recordId: 'SLTD-UTO-R1',
                  ownerCountry: 'UTO',
                  match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber'] },
                  confirmation: { state: 'UNCONFIRMED' },
                  document: { documentNumber: number, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
                },
              ]
            : [],
        };
      });
      return { status: 200, headers: {}, body: JSON.stringify({ requestId: `gw-${t.sent.length}`, items }) };
    },
    close: () => Promise.resolve(),
  };
  return t;
}

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

function client(transport: Transport, extra: Record<string, unknown> = {}, ctx: object = context): BorderlinkClient {
  const c = createClient({ transport, context: ctx as QueryContext, cache: { noHitTtlMs: 60_000, hitTtlMs: 60_000 }, ...extra });
  clients.push(c);
  return c;
}

describe('the cache key', () => {
  it('never serves one check the cached answer of another that differs in context, sources or subject', async () => {
    const transport = gateway();
    const c = client(transport);
    const calls: [string, () => Promise<CheckResult>][] = [
      ['base', () => c.checkDocument(passport)],
      ['with locationId', () => c.checkDocument(passport, { context: { locationId: 'LANE-1' } })],
      ['other locationId', () => c.checkDocument(passport, { context: { locationId: 'LANE-2' } })],
      ['other operator', () => c.checkDocument(passport, { context: { operatorId: 'officer-0043' } })],
      ['other authority', () => c.checkDocument(passport, { context: { authorityId: 'UTO-CUSTOMS' } })],
      ['other purpose', () => c.checkDocument(passport, { context: { purpose: 'SECOND_LINE' } })],
      ['SLTD only', () => c.checkDocument(passport, { sources: ['SLTD'] })],
      ['TDAWN only', () => c.checkDocument(passport, { sources: ['TDAWN'] })],
      ['sources reversed', () => c.checkDocument(passport, { sources: ['TDAWN', 'SLTD'] })],
      ['other number', () => c.checkDocument({ ...passport, documentNumber: 'L898902C4' })],
      ['other state', () => c.checkDocument({ ...passport, issuingState: 'D' })],
      ['other type', () => c.checkDocument({ ...passport, documentType: 'ID_CARD' })],
      ['with holder', () => c.check({ subjects: [{ kind: 'document', ...passport, holder: { surname: 'ERIKSSON' } }], sources: ['SLTD', 'TDAWN'] })],
      ['two subjects', () => c.check({ subjects: [{ kind: 'document', ...passport }, { kind: 'document', ...passport, documentNumber: 'X1' }] })],
    ];
    for (const [name, call] of calls) {
      const before = transport.sent.length;
      const result = await call();
      expect({ name, servedFrom: result.servedFrom, sent: transport.sent.length - before }).toStrictEqual({ name, servedFrom: 'network', sent: 1 });
    }
    // Each again: now every one is its own cached answer.
    for (const [name, call] of calls) {
      const before = transport.sent.length;
      const result = await call();
      expect({ name, servedFrom: result.servedFrom, sent: transport.sent.length - before }).toStrictEqual({ name, servedFrom: 'cache', sent: 0 });
    }
  });

  it('serves a call whose own context equals the client’s from the client’s entry, and a lower-case query from the upper-case one’s', async () => {
    const transport = gateway();
    const c = client(transport);
    await c.checkDocument(passport);
    expect((await c.checkDocument(passport, { context: { ...context } })).servedFrom).toBe('cache');
    expect((await c.checkDocument(passport, { context: { operatorId: context.operatorId } })).servedFrom).toBe('cache');
    expect((await c.checkDocument({ documentNumber: ' l898902c3', issuingState: 'uto ', documentType: 'PASSPORT' })).servedFrom).toBe('cache');
    expect(transport.sent).toHaveLength(1);
  });

  it('keeps two clients’ entries apart when their contexts differ only in locationId', async () => {
    const transport = gateway();
    const a = client(transport, {}, context);
    const b = client(transport, {}, { ...context, locationId: 'LANE-9' });
    await a.checkDocument(passport);
    const fromB = await b.checkDocument(passport);
    expect(fromB.servedFrom).toBe('network');
    expect(transport.sent[1]!.context).toStrictEqual({ ...context, locationId: 'LANE-9' });
  });
});

describe('the memo of the context’s text', () => {
  it('writes each request with its own client’s context when two clients with different contexts alternate', async () => {
    const transport = gateway();
    const contexts = [context, { ...context, operatorId: 'officer-0099', locationId: 'LANE-2' }, { ...context, purpose: 'SECOND_LINE' }] as const;
    const cs = contexts.map((ctx) => client(transport, { cache: undefined, dedupe: false }, ctx));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < cs.length; i++) {
        await cs[i]!.checkDocument({ ...passport, documentNumber: `N${round}${i}` });
        expect(transport.sent.at(-1)!.context).toStrictEqual(contexts[i]);
      }
    }
    // And concurrently, with batching on: each request holds one context's calls only.
    const batched = contexts.map((ctx) => client(transport, { cache: undefined, batching: { maxItems: 50 } }, ctx));
    const from = transport.sent.length;
    await Promise.all(batched.flatMap((c, i) => [0, 1, 2].map((k) => c.checkDocument({ ...passport, documentNumber: `B${i}${k}` }))));
    for (const body of transport.sent.slice(from)) {
      const i = contexts.findIndex((ctx) => JSON.stringify(ctx) === JSON.stringify(body.context));
      expect(i).toBeGreaterThanOrEqual(0);
      for (const item of body.items) expect(item.subjects[0]!.documentNumber!.slice(0, 2)).toBe(`B${i}`);
    }
  });

  it('writes a context that is not frozen afresh each time, so a change between calls is seen', () => {
    const ctx: QueryContext = { ...context };
    const first = contextJson(ctx);
    (ctx as { operatorId: string }).operatorId = 'officer-0100';
    expect(contextJson(ctx)).not.toBe(first);
    expect(JSON.parse(contextJson(ctx))).toStrictEqual(ctx);
  });
});

describe('cache, in-flight table and batching together', () => {
  it('answers identical checks in one batch as one item, then serves the next from the cache', async () => {
    const transport = gateway();
    const c = client(transport, { batching: { maxItems: 10 } });
    const results = await Promise.all([c.checkDocument(passport), c.checkDocument(passport), c.checkDocument({ ...passport, documentNumber: 'HIT1' })]);
    expect(transport.sent).toHaveLength(1);
    expect(transport.sent[0]!.items).toHaveLength(2);
    expect(results.map((r) => r.verdict)).toStrictEqual(['NO_HIT', 'NO_HIT', 'HIT']);
    expect((await c.checkDocument({ ...passport, documentNumber: 'HIT1' })).servedFrom).toBe('cache');
    expect(transport.sent).toHaveLength(1);
  });

  it('joins a check to an identical one in flight when batching is on, and each keeps its own result object', async () => {
    const transport = gateway();
    const c = client(transport, { batching: { maxItems: 10 }, cache: undefined });
    const open = transport.hold();
    const first = c.checkDocument({ ...passport, documentNumber: 'HIT2' });
    await new Promise((r) => setImmediate(r));
    const second = c.checkDocument({ ...passport, documentNumber: 'HIT2' });
    open();
    const [a, b] = await Promise.all([first, second]);
    expect(transport.sent).toHaveLength(1);
    expect(a).not.toBe(b);
    expect(a.hits[0]).not.toBe(b.hits[0]);
    expect(a.outcomes[0]).not.toBe(b.outcomes[0]);
  });

  it('serves nothing cached while a report is in flight, and keeps nothing read during it', async () => {
    const transport = gateway();
    const c = client(transport, { batching: { maxItems: 10 } });
    await c.checkDocument(passport);
    const open = transport.hold();
    const report = c.reportDocument({ ...passport, status: 'STOLEN' } as never);
    await new Promise((r) => setImmediate(r));
    const during = c.checkDocument(passport);
    await new Promise((r) => setImmediate(r));
    open();
    await report;
    expect(transport.writes).toBe(1);
    expect((await during).servedFrom).toBe('network');
    expect((await c.checkDocument(passport)).servedFrom).toBe('network');
    expect((await c.checkDocument(passport)).servedFrom).toBe('cache');
  });

  it('serves the next cached HIT unchanged whatever the caller did to the first result and to an earlier hit', async () => {
    const transport = gateway();
    const c = client(transport, { batching: { maxItems: 10 } });
    const doc = { ...passport, documentNumber: 'HIT3' };
    const first = (await c.checkDocument(doc)) as { -readonly [K in keyof CheckResult]: CheckResult[K] };
    const pristine = structuredClone(first);
    first.verdict = 'NO_HIT';
    first.hits.length = 0;
    (first.outcomes[0] as { status: string }).status = 'NO_HIT';
    first.warnings.push({ code: 'X', message: 'x' } as never);
    const hit = (await c.checkDocument(doc)) as { -readonly [K in keyof CheckResult]: CheckResult[K] };
    expect(hit.servedFrom).toBe('cache');
    const same = (r: CheckResult) => ({ verdict: r.verdict, hits: r.hits, outcomes: r.outcomes, warnings: r.warnings });
    expect(same(hit)).toStrictEqual(same(pristine));
    hit.verdict = 'NO_HIT';
    hit.hits.pop();
    hit.outcomes.splice(0, 1);
    expect(() => {
      (hit.outcomes[0] as { status: string }).status = 'HIT';
    }).toThrow(TypeError);
    const next = await c.checkDocument(doc);
    expect(same(next)).toStrictEqual(same(pristine));
  });
});
