// The cost of the resilience layer: execute() against calling transport.send + parse directly, in alternating chunks
// so machine noise hits both alike. The figure the target applies to runs over HTTP against a gateway in another
// process (the same checks, the same gateway); the in-process figures show the layer's cost with nothing to hide it.
// One JSON line per figure.
import { readCheckAnswer } from '../packages/borderlink/src/protocol/check-answer';
import { decodeAnswer } from '../packages/borderlink/src/protocol/decode';
import { createExecutor, resolveResilienceOptions } from '../packages/borderlink/src/resilience/index';
import type { CallSpec } from '../packages/borderlink/src/resilience/types';
import type { Transport, TransportRequest, TransportResponse } from '../packages/borderlink/src/transport/types';
import { httpTransport } from '../packages/borderlink/src/transport/index';
import { cpuMsSince, startGatewayProcess, timedInFlight } from './lib';

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
/** What the client really runs on a 2xx check answer: JSON, then the protocol reading. */
const schemaParse = (r: TransportResponse): unknown => readCheckAnswer(r);

function specFor(parse: (r: TransportResponse) => unknown): CallSpec<unknown> {
  return {
    kind: 'read',
    request: { method: 'POST', path: '/v1/checks', headers: { 'content-type': 'application/json', 'x-request-id': 'r' }, body: '{}' },
    requestId: 'r',
    decode: decodeAnswer('read', 'r', parse),
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

/** The target figure: distinct checks over httpTransport to a gateway process, with and without the layer. */
async function againstGateway(concurrency: number, n: number, rounds: number) {
  const gateway = await startGatewayProcess(0);
  const transport = httpTransport({ baseUrl: gateway.url, connections: Math.max(concurrency, 1) });
  const executor = createExecutor(transport, resolveResilienceOptions({}));
  const context = { authorityId: 'UTO-BENCH', operatorId: 'bench', purpose: 'TEST' };
  const body = (i: number) =>
    JSON.stringify({ context, items: [{ itemId: '1', subjects: [{ kind: 'document', documentNumber: `B${i}`, issuingState: 'UTO', documentType: 'PASSPORT' }], sources: ['SLTD', 'TDAWN'] }] });
  const headers = { 'content-type': 'application/json', 'x-request-id': 'bench' };
  let k = 0;
  const layered = () => executor.execute({ ...specFor(schemaParse), request: { method: 'POST', path: '/v1/checks', headers, body: body(k++) } });
  const direct = () => transport.send({ method: 'POST', path: '/v1/checks', headers, body: body(k++), timeoutMs: 1500 }).then(schemaParse);
  try {
    await timedInFlight(3_000, concurrency, layered);
    await timedInFlight(3_000, concurrency, direct);
    let tl = 0;
    let td = 0;
    let cl = 0;
    let cd = 0;
    const timeLayered = async () => {
      const cpu = process.cpuUsage();
      tl += await timedInFlight(n, concurrency, layered);
      cl += cpuMsSince(cpu);
    };
    const timeDirect = async () => {
      const cpu = process.cpuUsage();
      td += await timedInFlight(n, concurrency, direct);
      cd += cpuMsSince(cpu);
    };
    for (let r = 0; r < rounds; r++) {
      // Alternate which side goes first, so drift does not favour one.
      if (r % 2 === 0) {
        await timeLayered();
        await timeDirect();
      } else {
        await timeDirect();
        await timeLayered();
      }
    }
    const calls = n * rounds;
    return {
      executePerSec: Math.round((calls * 1000) / tl),
      directPerSec: Math.round((calls * 1000) / td),
      overheadPct: Number(((tl / td - 1) * 100).toFixed(1)),
      met: tl / td - 1 <= 0.05,
      // Client-process CPU per call: steadier than wall time on a shared machine.
      executeCpuMicros: Number(((cl * 1000) / calls).toFixed(1)),
      directCpuMicros: Number(((cd * 1000) / calls).toFixed(1)),
      cpuOverheadPct: Number(((cl / cd - 1) * 100).toFixed(1)),
    };
  } finally {
    await executor.close();
    await transport.close();
    await gateway.stop();
  }
}

export async function run(): Promise<void> {
  for (const concurrency of [1, 16]) {
    const figures = await againstGateway(concurrency, concurrency === 1 ? 500 : 1_000, 16);
    console.log(JSON.stringify({ bench: 'resilience', figure: `http-gateway-x${concurrency}`, ...figures, target: 'overhead <= 5%' }));
  }
  for (const [name, transport, parse, n] of [
    ['immediate-json', immediate, jsonParse, 20_000],
    ['immediate-schema', immediate, schemaParse, 20_000],
    ['one-event-loop-turn-schema', oneTurn, schemaParse, 5_000],
  ] as const) {
    for (const concurrency of [1, 100]) {
      const figures = await compare(transport, parse, concurrency, n, 10);
      console.log(JSON.stringify({ bench: 'resilience', figure: `in-process-${name}-x${concurrency}`, ...figures, note: 'no network to hide the layer: diagnostic only' }));
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
