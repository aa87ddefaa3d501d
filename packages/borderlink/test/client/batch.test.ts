import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  InputError,
  createClient,
  summarize,
  type AuditEvent,
  type BatchItem,
  type BatchOutcome,
  type BatchProgress,
  type BorderlinkClient,
  type ClientOptions,
  type Transport,
} from 'borderlink';
import { mockTransport, type FaultPlan, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-AIRLINE-DESK', operatorId: 'manifest-bot', purpose: 'MANIFEST_SCREENING' } as const;

let clients: BorderlinkClient[] = [];
function make(transport: MockTransport = mockTransport(), extra: Partial<ClientOptions> = {}) {
  const client = createClient({ transport, context, ...extra });
  clients.push(client);
  return { client, transport };
}
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

const doc = (n: number) => ({ kind: 'document' as const, documentNumber: `N${n}`, issuingState: 'UTO', documentType: 'PASSPORT' as const });
const items = (count: number, hitEvery = 0): BatchItem[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `row-${i}`,
    subjects: [hitEvery > 0 && i % hitEvery === 0 ? { ...doc(i), documentNumber: 'L898902C3' } : doc(i)],
  }));

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe('checkMany', () => {
  it('answers every row once, in batches of batchSize, with results per row', async () => {
    const { client, transport } = make();
    const rows = await collect(client.checkMany(items(250, 50), { batchSize: 100 }));
    expect(rows.map((r) => r.id).sort()).toEqual(items(250).map((i) => i.id).sort());
    expect(transport.requests.map((r) => (r.body as { items: unknown[] }).items.length)).toEqual([100, 100, 50]);
    expect(summarize(rows)).toMatchObject({ total: 250, byVerdict: { HIT: 5, NO_HIT: 245 }, errors: 0, hitsBySource: { SLTD: 5 } });
  });

  it('never sends the caller ids to the gateway', async () => {
    const { client, transport } = make();
    await collect(client.checkMany([{ id: 'passenger L898902C3 seat 12A', subjects: [doc(1)] }]));
    expect(JSON.stringify(transport.requests)).not.toContain('seat 12A');
  });

  it('yields in completion order by default and in input order with ordered: true', async () => {
    // The first batch is slow, the second fast: completion order puts the second first.
    const slowFirst: FaultPlan = [{ type: 'delay', ms: 150 }];
    const unordered = await collect(make(mockTransport({ faults: slowFirst })).client.checkMany(items(4), { batchSize: 2, concurrency: 2 }));
    expect(unordered.map((r) => r.id)).toEqual(['row-2', 'row-3', 'row-0', 'row-1']);
    const ordered = await collect(
      make(mockTransport({ faults: slowFirst })).client.checkMany(items(4), { batchSize: 2, concurrency: 2, ordered: true }),
    );
    expect(ordered.map((r) => r.id)).toEqual(['row-0', 'row-1', 'row-2', 'row-3']);
  });

  it('answers an invalid row with its InputError and sends the rest', async () => {
    const { client, transport } = make();
    const input = [{ id: 'ok', subjects: [doc(1)] }, { id: 'bad', subjects: [{ ...doc(2), issuingState: 'UTOPIA' }] }];
    const rows = await collect(client.checkMany(input));
    const bad = rows.find((r) => r.id === 'bad');
    expect(bad?.error).toBeInstanceOf(InputError);
    expect((bad?.error as InputError).issues[0]?.path).toBe('subjects.0.issuingState');
    expect((transport.requests[0]?.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('marks the rows of a batch that failed after its retries as errors, and goes on with the rest', async () => {
    const { client } = make(mockTransport({ faults: [{ type: 'status', status: 503 }] }), { retry: false });
    const rows = await collect(client.checkMany(items(6), { batchSize: 3, concurrency: 1, ordered: true }));
    expect(rows.slice(0, 3).every((r) => r.error?.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    expect(rows.slice(3).every((r) => r.result?.verdict === 'NO_HIT')).toBe(true);
  });

  it('reports progress after each request', async () => {
    const { client } = make();
    const seen: BatchProgress[] = [];
    await collect(client.checkMany(items(30, 10), { batchSize: 10, concurrency: 1, onProgress: (p) => seen.push(p) }));
    expect(seen.at(-1)).toMatchObject({ done: 30, total: 30, hits: 3, errors: 0, incomplete: 0 });
    expect(seen.map((p) => p.done).slice(0, 3)).toEqual([10, 20, 30]);
  });

  it('sends one audit event per row', async () => {
    const events: AuditEvent[] = [];
    const { client } = make(mockTransport(), { onAudit: (e) => events.push(e) });
    await collect(client.checkMany(items(25), { batchSize: 10 }));
    expect(events).toHaveLength(25);
    expect(events.every((e) => e.purpose === 'MANIFEST_SCREENING' && e.action === 'CHECK')).toBe(true);
  });

  it('pulls input only as fast as batches go out (back-pressure)', async () => {
    const { client } = make(mockTransport({ latencyMs: 20 }));
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield { id: `r${i}`, subjects: [doc(i)] };
      }
    }
    const iterator = client.checkMany(source(), { batchSize: 10, concurrency: 2 })[Symbol.asyncIterator]();
    await iterator.next();
    // Two batches in flight, plus at most one round of answered rows waiting to be read.
    expect(pulled).toBeLessThanOrEqual(10 * 2 * 3);
    await iterator.return?.();
  });

  it('stops pulling input and sending when the consumer breaks out of the loop', async () => {
    const { client, transport } = make(mockTransport({ latencyMs: 5 }));
    let pulled = 0;
    let finished = false;
    function* source() {
      try {
        for (let i = 0; i < 100_000; i++) {
          pulled++;
          yield { id: `r${i}`, subjects: [doc(i)] };
        }
      } finally {
        finished = true;
      }
    }
    let seen = 0;
    for await (const _row of client.checkMany(source(), { batchSize: 10, concurrency: 2 })) {
      if (++seen === 15) break;
    }
    const sent = transport.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(transport.requests.length).toBe(sent);
    expect(pulled).toBeLessThan(100);
    expect(finished).toBe(true);
  });

  it('stops promptly when aborted mid-stream: requests in flight aborted, no new ones, AbortError', async () => {
    const { client, transport } = make(mockTransport({ latencyMs: 200 }));
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    const err = await collect(client.checkMany(items(10_000), { batchSize: 10, concurrency: 4, signal: controller.signal })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AbortError);
    expect(performance.now() - started).toBeLessThan(2_000);
    const sent = transport.requests.length;
    expect(sent).toBeLessThanOrEqual(8);
    await new Promise((r) => setTimeout(r, 300));
    expect(transport.requests.length).toBe(sent);
  });

  it('gives every input id exactly once, whatever faults the gateway injects (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (count, batchSize, concurrency, ordered, seed, rate) => {
          const transport = mockTransport({
            faults: {
              random: {
                rate,
                seed,
                faults: [
                  { type: 'status', status: 503 },
                  { type: 'status', status: 500 },
                  { type: 'reset' },
                  { type: 'malformed' },
                  { type: 'off-schema' },
                  { type: 'unavailable', sources: ['TDAWN'] },
                  { type: 'missing-outcome' },
                ],
              },
            },
          });
          const client = createClient({ transport, context, retry: { retries: 1, minDelayMs: 0, maxDelayMs: 1 }, breaker: false });
          try {
            const input = items(count, 7);
            const rows: BatchOutcome[] = await collect(client.checkMany(input, { batchSize, concurrency, ordered }));
            expect(rows).toHaveLength(count);
            expect(new Set(rows.map((r) => r.id)).size).toBe(count);
            if (ordered) expect(rows.map((r) => r.id)).toEqual(input.map((i) => i.id));
            for (const row of rows) {
              // Never a false clear: a row is NO_HIT only when every requested source answered NO_HIT.
              if (row.result?.verdict === 'NO_HIT') expect(row.result.outcomes.every((o) => o.status === 'NO_HIT')).toBe(true);
              expect((row.result === undefined) !== (row.error === undefined)).toBe(true);
            }
          } finally {
            await client.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives every row outcomes of its own when the gateway answers the rows alike', async () => {
    // The answer's alike items share their outcomes as read (protocol/clean-answer.ts): a row's result must not.
    const { client } = make();
    const rows = await collect(client.checkMany(items(5), { batchSize: 5 }));
    const results = rows.map((r) => r.result!);
    expect(results.every((r) => r.verdict === 'NO_HIT')).toBe(true);
    const first = results[0]!;
    expect(Object.isFrozen(first.outcomes)).toBe(false);
    first.outcomes[0]!.status = 'HIT';
    first.outcomes.push({ source: 'SMV', status: 'NO_HIT' });
    for (const other of results.slice(1)) expect(other.outcomes.map((o) => [o.source, o.status])).toEqual([['SLTD', 'NO_HIT'], ['TDAWN', 'NO_HIT']]);
  });

  it('keeps memory flat over 100,000 rows', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // A gateway that records nothing, so only the client's own memory is measured.
    const lean: Transport = {
      endpoint: 'test://lean',
      async send(request) {
        const body = JSON.parse(request.body ?? '{}') as { items: { itemId: string; sources: string[] }[] };
        const answer = {
          requestId: 'lean',
          items: body.items.map((i) => ({ itemId: i.itemId, outcomes: i.sources.map((source) => ({ source, status: 'NO_HIT' })), hits: [] })),
        };
        return { status: 200, headers: {}, body: JSON.stringify(answer) };
      },
      async close() {},
    };
    const client = createClient({ transport: lean, context });
    clients.push(client);
    let heapAt20k = 0;
    let count = 0;
    function* source() {
      for (let i = 0; i < 100_000; i++) yield { id: `r${i}`, subjects: [doc(i)] };
    }
    for await (const row of client.checkMany(source(), { batchSize: 500, concurrency: 4 })) {
      if (row.error) throw row.error;
      count++;
      if (count === 20_000) {
        gc();
        heapAt20k = process.memoryUsage().heapUsed;
      }
    }
    gc();
    const growth = process.memoryUsage().heapUsed - heapAt20k;
    expect(count).toBe(100_000);
    // 80,000 more rows went through; holding them would take tens of megabytes.
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  }, 60_000);
});

describe('checkMany options', () => {
  it('refuses bad batch options by name', async () => {
    const { client } = make();
    await expect(collect(client.checkMany(items(1), { batchSize: 1001 }))).rejects.toThrow(/batchSize/);
    await expect(collect(client.checkMany(items(1), { concurrency: 0 }))).rejects.toThrow(/concurrency/);
    await expect(collect(client.checkMany(items(1), { parallel: 2 } as never))).rejects.toThrow(/parallel/);
    expect(() => client.checkMany(42 as never)).toThrow(/iterable/);
  });
});

describe('checkManyMrz', () => {
  const td3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
  const referenceDate = new Date('2026-11-29T00:00:00Z');

  it('parses and checks each MRZ row, attaches what was read, and refuses an invalid one without sending it', async () => {
    const { client, transport } = make();
    const broken = [td3[0]!, td3[1]!.replace('7408122', '7408123')];
    const rows = await collect(
      client.checkManyMrz(
        [
          { id: 'a', mrz: td3 },
          { id: 'b', mrz: broken },
          { id: 'c', mrz: td3.join('\n') },
        ],
        { referenceDate, repair: false, ordered: true },
      ),
    );
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(rows[0]?.result).toMatchObject({ verdict: 'HIT', mrz: { format: 'TD3', valid: true } });
    expect(rows[0]?.result?.outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN', 'NOMINAL']);
    expect(rows[1]?.error?.code).toBe('INVALID_MRZ');
    expect(rows[2]?.result?.verdict).toBe('HIT');
    expect((transport.requests[0]?.body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('checks an invalid MRZ as read when allowed', async () => {
    const { client } = make();
    const broken = [td3[0]!, td3[1]!.replace('7408122', '7408123')];
    const rows = await collect(client.checkManyMrz([{ id: 'b', mrz: broken }], { referenceDate, repair: false, allowInvalidMrz: true }));
    expect(rows[0]?.result).toMatchObject({ verdict: 'HIT', mrz: { valid: false } });
  });

  it('refuses bad options and rows without an mrz by name', async () => {
    const { client } = make();
    expect(() => client.checkManyMrz([], { referenceDate: 'today' as never })).toThrow(/^checkManyMrz: option `referenceDate` /);
    const rows = await collect(client.checkManyMrz([{ id: 'x' } as never]));
    expect(rows[0]?.error).toBeInstanceOf(InputError);
    expect((rows[0]?.error as InputError).issues[0]?.path).toBe('mrz');
  });
});
