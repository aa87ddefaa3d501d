// Airline manifests: parsePaxlst on a 500-traveller PAXLST message against JSON.parse of the same travellers as
// JSON (alternating chunks, ABBA, per second of CPU time), and screenPaxlst end to end (parse, checkMany, every traveller answered) against a
// mock gateway in a child process that adds 20 ms to each request, as a ratio to the latency bound
// ceil(travellers / batchSize / concurrency) × latency. One JSON line per figure.
import { createClient, httpTransport } from 'borderlink';
import { parsePaxlst, screenPaxlst, toBatchItems } from 'borderlink/manifests';
import { writePaxlst, type PaxlstDraft } from 'borderlink/testing';
import { cpuMsSince, medianAndSpread, round, startGatewayProcess } from './lib';

const TRAVELLERS = 500;
const TARGET = 0.25;
const LATENCY_MS = 20;
const BATCH_SIZE = 100;
const CONCURRENCY = 4;
const CHUNKS = 12;
const CHUNK_MS = 250;
const ROUNDS = 6;

const context = { authorityId: 'UTO-POLICE', operatorId: 'bench-0001', purpose: 'MANIFEST_SCREENING' } as const;

/** A flight of `n` passengers nobody has checked yet, each with a passport, as a carrier sends it. */
function flight(n: number, tag: string): PaxlstDraft {
  return {
    reference: `B${tag}`,
    preparedAt: '2025-03-01T09:00',
    messages: [
      {
        reference: '1',
        transactionReference: `T${tag}`,
        reportingParty: { name: 'API DESK', phone: '0049 69 1234' },
        flights: [{ number: 'ZZ400', carrier: 'ZZ', legs: [{ departure: 'FRA', departsAt: '2025-03-01T10:00', arrival: 'UTO', arrivesAt: '2025-03-01T13:30' }] }],
        travellers: Array.from({ length: n }, (_, i) => ({
          surname: `TRAVELLER${String.fromCharCode(65 + (i % 26))}`,
          givenNames: ['ANNA', 'MARIA'],
          sex: i % 2 === 0 ? ('F' as const) : ('M' as const),
          dateOfBirth: `19${String(50 + (i % 50)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
          nationality: 'UTO',
          residence: { code: 'UTO' },
          references: [{ qualifier: 'AVF', value: `PNR${i}` }, { qualifier: 'SEA', value: `${1 + (i % 40)}A` }],
          documents: [{ code: 'P', number: `${tag}${i.toString(36).toUpperCase().padStart(6, '0')}`, issuingState: 'UTO', expiresOn: '2030-04-15' }],
        })),
      },
    ],
  };
}

/**
 * Calls of `fn` per second of this process's CPU time, over about `ms` of wall time: on a machine shared with other
 * work, CPU time moves far less than the wall clock while the other processes come and go.
 */
function rate(fn: () => unknown, ms: number): number {
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    fn();
    count++;
  }
  return (count * 1000) / cpuMsSince(cpu);
}

export async function run(): Promise<void> {
  const draft = flight(TRAVELLERS, 'P');
  const text = writePaxlst(draft);
  const json = JSON.stringify(draft);
  if (parsePaxlst(text).travellers.length !== TRAVELLERS) throw new Error('bench: the message did not read back whole');
  // Warm-up, then alternate the two a chunk at a time.
  rate(() => parsePaxlst(text), 500);
  rate(() => JSON.parse(json), 500);
  const ratios: number[] = [];
  const paxlstRates: number[] = [];
  const jsonRates: number[] = [];
  for (let c = 0; c < CHUNKS; c++) {
    let a: number;
    let b: number;
    if (c % 2 === 0) {
      a = rate(() => parsePaxlst(text), CHUNK_MS);
      b = rate(() => JSON.parse(json), CHUNK_MS);
    } else {
      b = rate(() => JSON.parse(json), CHUNK_MS);
      a = rate(() => parsePaxlst(text), CHUNK_MS);
    }
    paxlstRates.push(a * TRAVELLERS);
    jsonRates.push(b * TRAVELLERS);
    ratios.push(a / b);
  }
  const ratio = medianAndSpread(ratios);
  console.log(JSON.stringify({
    bench: 'paxlst', figure: 'parse-vs-json', travellers: TRAVELLERS, paxlstBytes: text.length, jsonBytes: json.length,
    travellersPerSec: Math.round(medianAndSpread(paxlstRates, 0).median), jsonTravellersPerSec: Math.round(medianAndSpread(jsonRates, 0).median),
    ratio: ratio.median, spread: [ratio.low, ratio.high], target: TARGET, met: ratio.median >= TARGET,
  }));

  const gateway = await startGatewayProcess(LATENCY_MS);
  const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context });
  try {
    let runs = 0;
    const screen = async (): Promise<number> => {
      const message = writePaxlst(flight(TRAVELLERS, `S${(runs++).toString(36).toUpperCase()}`));
      const start = performance.now();
      let answered = 0;
      for await (const row of screenPaxlst(client, message, { batchSize: BATCH_SIZE, concurrency: CONCURRENCY })) {
        if (row.error !== undefined) throw new Error(`bench: traveller ${row.id} failed with ${row.error.code}`);
        answered++;
      }
      const ms = performance.now() - start;
      if (answered !== TRAVELLERS) throw new Error(`bench: ${answered} travellers answered, not ${TRAVELLERS}`);
      return ms;
    };
    // The same rows through checkMany alone, already parsed: what the gateway and the batch cost without the manifest.
    const batch = async (): Promise<number> => {
      const items = toBatchItems(parsePaxlst(writePaxlst(flight(TRAVELLERS, `C${(runs++).toString(36).toUpperCase()}`))));
      const start = performance.now();
      let answered = 0;
      for await (const row of client.checkMany(items, { batchSize: BATCH_SIZE, concurrency: CONCURRENCY })) {
        if (row.error !== undefined) throw new Error(`bench: row ${row.id} failed with ${row.error.code}`);
        answered++;
      }
      if (answered !== TRAVELLERS) throw new Error(`bench: ${answered} rows answered, not ${TRAVELLERS}`);
      return performance.now() - start;
    };
    await screen();
    await batch();
    const times: number[] = [];
    const batchTimes: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let a: number;
      let b: number;
      if (r % 2 === 0) {
        a = await screen();
        b = await batch();
      } else {
        b = await batch();
        a = await screen();
      }
      times.push(a);
      batchTimes.push(b);
      ratios.push(a / b);
    }
    const bound = Math.ceil(TRAVELLERS / BATCH_SIZE / CONCURRENCY) * LATENCY_MS;
    const ms = medianAndSpread(times, 1);
    const ratio = medianAndSpread(ratios);
    console.log(JSON.stringify({
      bench: 'paxlst', figure: 'screen-vs-bound', travellers: TRAVELLERS, batchSize: BATCH_SIZE, concurrency: CONCURRENCY, latencyMs: LATENCY_MS,
      screenMs: ms.median, spreadMs: [ms.low, ms.high], boundMs: bound, overBound: round(ms.median / bound, 2),
      checkManyMs: medianAndSpread(batchTimes, 1).median, screenOverCheckMany: ratio.median, spread: [ratio.low, ratio.high],
      travellersPerSec: Math.round((TRAVELLERS * 1000) / ms.median),
    }));
  } finally {
    await client.close();
    await gateway.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
