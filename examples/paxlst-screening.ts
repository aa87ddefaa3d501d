// Screening an airline's PAXLST (UN/EDIFACT passenger list) and answering it with a CUSRES board / no-board message.
//   npx tsx examples/paxlst-screening.ts [flight.edi]
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { EdifactError, boardingAnswer, formatCusres, parsePaxlst, screenPaxlst, type ScreenedTraveller } from 'borderlink/manifests';

const file = process.argv[2] ?? fileURLToPath(new URL('./data/flight-zz400.edi', import.meta.url));

const client = createClient({
  transport: mockTransport(), // httpTransport({ baseUrl, tls }) against your national gateway
  context: { authorityId: 'UTO-API', operatorId: 'api-screening', purpose: 'MANIFEST_SCREENING' },
});

try {
  // Read whole first: a message cut short or miscounted is refused before anyone is screened.
  const manifest = await parsePaxlst(createReadStream(file));
  const flight = manifest.messages[0]?.flights[0];
  console.log(`${flight?.number ?? '?'} ${flight?.legs.map((l) => `${l.departure}→${l.arrival}`).join(' ') ?? ''}: ${manifest.travellers.length} travellers`);

  const answers: ScreenedTraveller[] = [];
  for await (const row of screenPaxlst(client, manifest, { batchSize: 100, concurrency: 4 })) {
    answers.push(row);
    const what = row.error !== undefined ? `error ${row.error.code}` : row.result.verdict;
    console.log(`${row.traveller.index.toString().padStart(3)}  ${boardingAnswer(row).padEnd(8)}  ${what}`);
  }
  // The answer to the carrier: board only for a clear result; a hit is no-board, anything else "contact".
  process.stdout.write(formatCusres(answers, { reference: 'ANS0001', manifest }));
} catch (err) {
  if (!(err instanceof EdifactError)) throw err;
  console.error(err.message); // names the segment's position, line and tag, never a value
  process.exitCode = 4;
} finally {
  await client.close();
}
