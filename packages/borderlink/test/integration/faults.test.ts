// Fault injection over real sockets: the client through httpTransport against createMockGateway on 127.0.0.1 with
// a 30% mix of every fault the field sees. What must hold for every call: never a false clear, settled by the
// deadline, one x-request-id per logical call, and reports stored exactly once.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BorderlinkError,
  createClient,
  httpTransport,
  type BorderlinkClient,
  type CheckResult,
  type DocumentQuery,
  type RequestEvent,
} from 'borderlink';
import { RANDOM_FAULT_MIX, createMockGateway, mockTransport, type Fault, type MockGateway } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const DEADLINE_MS = 1000;
const CALLS = 1500;
const IN_FLIGHT = 16;

const known: DocumentQuery[] = [
  { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' },
  { documentNumber: 'D23145890', issuingState: 'UTO', documentType: 'ID_CARD' },
  { documentNumber: 'PX7734551', issuingState: 'UTO', documentType: 'PASSPORT' },
];

let gateway: MockGateway;
let client: BorderlinkClient;
const requestEvents: RequestEvent[] = [];

beforeAll(async () => {
  gateway = await createMockGateway({ faults: { random: { rate: 0.3, seed: 2026, faults: [...RANDOM_FAULT_MIX] } } });
  client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, timeoutMs: DEADLINE_MS });
  client.on('request', (e) => requestEvents.push(e));
});
afterAll(async () => {
  await client?.close();
  await gateway?.close();
});

type Settled = { query: DocumentQuery; known: boolean; elapsedMs: number; result?: CheckResult; error?: BorderlinkError };

async function runPool<T>(count: number, inFlight: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

describe(`${CALLS} checks through a 30% fault mix with a ${DEADLINE_MS} ms deadline`, () => {
  let settled: Settled[] = [];
  let loopDelayMaxMs = 0;

  beforeAll(async () => {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    settled = await runPool(CALLS, IN_FLIGHT, async (i) => {
      const isKnown = i % 5 === 0;
      const query = isKnown ? known[i % known.length]! : { documentNumber: `Q${i}`, issuingState: 'UTO', documentType: 'PASSPORT' as const };
      const started = performance.now();
      try {
        const result = await client.checkDocument(query);
        return { query, known: isKnown, elapsedMs: performance.now() - started, result };
      } catch (err) {
        return { query, known: isKnown, elapsedMs: performance.now() - started, error: err as BorderlinkError };
      }
    });
    loop.disable();
    loopDelayMaxMs = loop.max / 1e6;
  }, 120_000);

  it('never answers NO_HIT unless every source answered NO_HIT, and never clears a known record', () => {
    for (const s of settled) {
      if (s.result?.verdict === 'NO_HIT') {
        expect(s.known).toBe(false);
        expect(s.result.outcomes.every((o) => o.status === 'NO_HIT')).toBe(true);
        expect(s.result.outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN']);
      }
      expect((s.result === undefined) !== (s.error === undefined)).toBe(true);
      if (s.error) expect(s.error).toBeInstanceOf(BorderlinkError);
    }
  });

  it('settles every call within its deadline plus 50 ms (plus what the event loop itself lagged)', () => {
    const worst = Math.max(...settled.map((s) => s.elapsedMs));
    expect(worst).toBeLessThanOrEqual(DEADLINE_MS + 50 + loopDelayMaxMs);
  });

  it('sends one x-request-id per logical call, however many attempts', () => {
    const attemptsById = new Map<string, number[]>();
    for (const e of requestEvents) attemptsById.set(e.requestId, [...(attemptsById.get(e.requestId) ?? []), e.attempt]);
    // Identical checks in flight together share one request (de-duplication), so ids can be fewer than calls.
    const ids = new Set<string>();
    for (const s of settled) {
      const id = s.result?.requestId ?? s.error?.requestId;
      expect(id).toBeDefined();
      ids.add(id!);
      const attempts = attemptsById.get(id!) ?? [];
      expect(attempts).toEqual(Array.from({ length: attempts.length }, (_, k) => k + 1));
      expect(attempts.length).toBe(s.result?.attempts ?? s.error?.attempts ?? 0);
    }
    expect(ids.size).toBeGreaterThan(CALLS * 0.8);
    const onTheWire = new Set(gateway.requests.map((r) => r.headers['x-request-id']));
    expect([...onTheWire].every((id) => ids.has(id!))).toBe(true);
    expect(onTheWire.size).toBe(attemptsById.size);
  });

  it('still answers at least 85% of the calls completely', () => {
    const complete = settled.filter((s) => s.result !== undefined && s.result.verdict !== 'INCOMPLETE').length;
    console.log(
      JSON.stringify({
        calls: CALLS,
        complete,
        completeShare: complete / CALLS,
        errors: settled.filter((s) => s.error).length,
        incomplete: settled.filter((s) => s.result?.verdict === 'INCOMPLETE').length,
        worstMs: Math.round(Math.max(...settled.map((s) => s.elapsedMs))),
        loopDelayMaxMs: Math.round(loopDelayMaxMs),
      }),
    );
    expect(complete / CALLS).toBeGreaterThanOrEqual(0.85);
  });
});

describe('reports through the fault mix', () => {
  it('are stored exactly once: nothing lost, nothing duplicated, also when the answer was lost', async () => {
    const reports = Array.from({ length: 200 }, (_, i) => ({
      report: { documentNumber: `RPT${i}`, issuingState: 'UTO', documentType: 'PASSPORT' as const, status: 'LOST' as const },
      idempotencyKey: `report-fault-${i}-0000`,
    }));
    gateway.setFaults({ random: { rate: 0.3, seed: 7, faults: [...RANDOM_FAULT_MIX] } });
    const first = await runPool(reports.length, 8, (i) =>
      client.reportDocument(reports[i]!.report, { idempotencyKey: reports[i]!.idempotencyKey }).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, e }),
      ),
    );
    // What failed through the faults is sent again later with its key, as an application keeping a queue would.
    gateway.setFaults();
    for (const [i, outcome] of first.entries()) {
      if (!outcome.ok) await client.reportDocument(reports[i]!.report, { idempotencyKey: reports[i]!.idempotencyKey });
    }
    expect(first.some((o) => o.ok && o.r.replayed)).toBe(true); // some answers were lost and replayed
    for (const { report } of reports) {
      expect(gateway.reports.filter((r) => r.report.documentNumber === report.documentNumber)).toHaveLength(1);
    }
  }, 120_000);
});

describe('no fault sequence turns into a clear (property)', () => {
  const missingSource: Fault[] = [
    { type: 'unavailable', sources: ['TDAWN'] },
    { type: 'outcome', status: 'TIMEOUT', sources: ['SLTD'] },
    { type: 'outcome', status: 'ERROR' },
    { type: 'outcome', status: 'NOT_AUTHORISED', sources: ['TDAWN'] },
    { type: 'missing-outcome', sources: ['SLTD'] },
    { type: 'missing-outcome' },
  ];
  const anyFault: Fault[] = [
    ...missingSource,
    { type: 'status', status: 503 },
    { type: 'status', status: 500 },
    { type: 'status', status: 429 },
    { type: 'reset' },
    { type: 'malformed' },
    { type: 'truncated' },
    { type: 'off-schema' },
    { type: 'none' },
  ];

  it('a document in no database is NO_HIT only when the final answer had every source NO_HIT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...anyFault), { minLength: 1, maxLength: 4 }), async (sequence) => {
        const transport = mockTransport({ faults: sequence });
        const c = createClient({ transport, context, retry: { retries: 3, minDelayMs: 0, maxDelayMs: 1 }, breaker: false });
        try {
          const result = await c.checkDocument({ documentNumber: 'ZZ0000001', issuingState: 'UTO', documentType: 'PASSPORT' }).catch(() => undefined);
          if (result?.verdict === 'NO_HIT') {
            // Only a clean answer may clear: the attempt that answered was not one with a missing source.
            const answering = sequence[result.attempts - 1] ?? { type: 'none' };
            expect(missingSource).not.toContainEqual(answering);
            expect(result.outcomes.every((o) => o.status === 'NO_HIT')).toBe(true);
          }
        } finally {
          await c.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});
