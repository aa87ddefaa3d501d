// The check answer on the hot path: reading a 2xx body into a CheckResult (JSON, protocol reading, verdict), and a
// whole checkDocument over a transport that answers at once. Alternating slices, so machine noise hits both alike.
// One JSON line per figure.
import { createClient } from '../packages/borderlink/src/client/index';
import { buildCheckResult, readCheckAnswer } from '../packages/borderlink/src/protocol/check-answer';
import { checkResponseSchema, type CheckItemResponse } from '../packages/borderlink/src/protocol/wire';
import type { Source } from '../packages/borderlink/src/queries/types';
import type { Transport, TransportResponse } from '../packages/borderlink/src/transport/types';
import { SAMPLE_HIT, callsPerSec, callsPerSecAsync } from './lib';

const NO_HIT = {
  requestId: '6f1c2a4e-0000-4000-8000-000000000001',
  items: [
    {
      itemId: '1',
      outcomes: [
        { source: 'SLTD', status: 'NO_HIT', dataAsOf: '2025-06-01T00:00:00Z' },
        { source: 'TDAWN', status: 'NO_HIT', dataAsOf: '2025-06-01T00:00:00Z' },
      ],
      hits: [],
    },
  ],
};
const HIT = {
  requestId: '6f1c2a4e-0000-4000-8000-000000000001',
  items: [
    {
      itemId: '1',
      outcomes: [
        { source: 'SLTD', status: 'HIT', dataAsOf: '2025-06-01T00:00:00Z' },
        { source: 'TDAWN', status: 'NO_HIT', dataAsOf: '2025-06-01T00:00:00Z' },
      ],
      hits: [SAMPLE_HIT],
    },
  ],
};
const SOURCES: Source[] = ['SLTD', 'TDAWN'];
const responseOf = (body: unknown): TransportResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** What the client runs on a 2xx check answer, from the body text to the result. */
function readAnswer(response: TransportResponse) {
  const answer = readCheckAnswer(response);
  return buildCheckResult(answer.items[0]!, SOURCES, { requestId: 'r', attempts: 1, durationMs: 1 }, answer);
}

/** For reference: the strict schema of wire.ts (what a conforming gateway sends), then the verdict. */
function strictSchema(response: TransportResponse) {
  const parsed = checkResponseSchema.parse(JSON.parse(response.body));
  const item = parsed.items[0]!;
  const read: CheckItemResponse = { itemId: item.itemId, outcomes: item.outcomes, hits: item.hits, warnings: [], unreadable: false };
  return buildCheckResult(read, SOURCES, { requestId: 'r', attempts: 1, durationMs: 1 });
}

/** The HIT answer with one descriptive deviation: a warning to record. */
const DEVIATING = structuredClone(HIT);
(DEVIATING.items[0]!.hits[0]!.document as { status: string }).status = 'CANCELLED';

/** The bare minimum: JSON.parse and nothing else, the floor any reading is measured against. */
function jsonOnly(response: TransportResponse) {
  return JSON.parse(response.body) as unknown;
}

const rate = (fn: () => unknown, ms: number): number => callsPerSec(fn, ms, 200);
const rateAsync = (fn: () => Promise<unknown>, ms: number): Promise<number> => callsPerSecAsync(fn, ms, 100);

export async function run(): Promise<void> {
  {
    const response = responseOf(DEVIATING);
    let read = 0;
    let clean = 0;
    const cleanResponse = responseOf(HIT);
    for (let i = 0; i < 10; i++) {
      read += rate(() => readAnswer(response), 200);
      clean += rate(() => readAnswer(cleanResponse), 200);
    }
    console.log(
      JSON.stringify({
        bench: 'answer',
        figure: 'read-hit-with-a-deviation',
        readMicros: Number((10e6 / read).toFixed(2)),
        cleanReadMicros: Number((10e6 / clean).toFixed(2)),
      }),
    );
  }
  for (const [name, body] of [
    ['no-hit', NO_HIT],
    ['hit', HIT],
  ] as const) {
    const response = responseOf(body);
    let read = 0;
    let strict = 0;
    let json = 0;
    for (let i = 0; i < 10; i++) {
      read += rate(() => readAnswer(response), 200);
      strict += rate(() => strictSchema(response), 200);
      json += rate(() => jsonOnly(response), 200);
    }
    console.log(
      JSON.stringify({
        bench: 'answer',
        figure: `read-${name}`,
        readMicros: Number((10e6 / read).toFixed(2)),
        strictSchemaMicros: Number((10e6 / strict).toFixed(2)),
        readTimeOverStrictSchemaTime: Number((strict / read).toFixed(3)),
        jsonParseMicros: Number((10e6 / json).toFixed(2)),
        readTimeOverJsonTime: Number((json / read).toFixed(2)),
      }),
    );
    const transport: Transport = { endpoint: 'bench://immediate', send: () => Promise.resolve(response), close: () => Promise.resolve() };
    const client = createClient({ transport, context: { authorityId: 'UTO-BENCH', operatorId: 'bench', purpose: 'TEST' }, dedupe: false });
    const document = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
    await rateAsync(() => client.checkDocument(document), 300);
    let check = 0;
    for (let i = 0; i < 10; i++) check += await rateAsync(() => client.checkDocument(document), 200);
    await client.close();
    console.log(JSON.stringify({ bench: 'answer', figure: `check-document-${name}`, checkMicros: Number((10e6 / check).toFixed(2)) }));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
