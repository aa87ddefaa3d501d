// The cost of the resilience layer: execute() over an in-process transport against calling transport.send + parse
// directly, in alternating chunks so machine noise hits both alike. One JSON line per figure.
import { checkResponseSchema } from '../src/protocol/wire';
import { createExecutor, resolveResilienceOptions } from '../src/resilience/index';
import type { CallSpec } from '../src/resilience/types';
import type { Transport, TransportRequest, TransportResponse } from '../src/transport/types';

const BODY = JSON.stringify({ requestId: 'r', items: [{ itemId: '1', outcomes: [{ source: 'SLTD', status: 'NO_HIT' }], hits: [] }] });
const RESPONSE: TransportResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: BODY };

/** Answers at once (a resolved promise): the layer's cost with nothing to hide it. */
const immediate: Transport = { endpoint: 'bench://immediate', send: () => Promise.resolve(RESPONSE), close: () => Promise.resolve() };
/** Answers after one turn of the event loop, the least a real socket read costs. */
const oneTurn: Transport = {
  endpoint: 'bench://one-turn',
  send: () => new Promise((resolve) => setImmediate(resolve, RESPONSE)),
  close: () => Promise.resolve(),
};

const jsonParse = (r: TransportResponse): unknown => JSON.parse(r.body);
/** What the client really runs on a 2xx check answer: JSON, then the protocol schema. */
const schemaParse = (r: TransportResponse): unknown => checkResponseSchema.parse(JSON.parse(r.body));

function specFor(parse: (r: TransportResponse) => unknown): CallSpec<unknown> {
  return {
    kind: 'read',
    request: { method: 'POST', path: '/v1/checks', headers: { 'content-type': 'application/json', 'x-request-id': 'r' }, body: '{}' },
    requestId: 'r',
    parse,
    timeoutMs: 3000,
  };
}

async function chunk(fn: () => Promise<unknown>, n: number, concurrency: number): Promise<number> {
  const start = performance.now();
  if (concurrency === 1) {
    for (let i = 0; i < n; i++) await fn();
  } else {
    for (let i = 0; i < n; i += concurrency) await Promise.all(Array.from({ length: concurrency }, fn));
  }
  return performance.now() - start;
}

async function compare(transport: Transport, parse: (r: TransportResponse) => unknown, concurrency: number, n: number, rounds: number) {
  const executor = createExecutor(transport, resolveResilienceOptions({}));
  const spec = specFor(parse);
  const request: TransportRequest = { ...spec.request, timeoutMs: 1500 };
  const layered = () => executor.execute(spec);
  const direct = () => transport.send(request).then(parse);
  await chunk(layered, n, concurrency);
  await chunk(direct, n, concurrency);
  let tl = 0;
  let td = 0;
  for (let r = 0; r < rounds; r++) {
    tl += await chunk(layered, n, concurrency);
    td += await chunk(direct, n, concurrency);
  }
  await executor.close();
  const calls = n * rounds;
  return {
    executePerSec: Math.round((calls * 1000) / tl),
    directPerSec: Math.round((calls * 1000) / td),
    overheadPct: Number(((tl / td - 1) * 100).toFixed(1)),
    addedMicrosPerCall: Number((((tl - td) * 1000) / calls).toFixed(2)),
  };
}

export async function run(): Promise<void> {
  for (const [name, transport, parse, n] of [
    ['immediate-json', immediate, jsonParse, 20_000],
    ['immediate-schema', immediate, schemaParse, 20_000],
    ['one-event-loop-turn-schema', oneTurn, schemaParse, 5_000],
  ] as const) {
    for (const concurrency of [1, 100]) {
      const figures = await compare(transport, parse, concurrency, n, 10);
      console.log(JSON.stringify({ bench: 'resilience', figure: `${name}-x${concurrency}`, ...figures, target: 'overhead <= 5%' }));
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
