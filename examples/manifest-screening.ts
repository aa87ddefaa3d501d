// Screening a passenger manifest before arrival: stream the rows through checkMany and list who needs a look.
//   npx tsx examples/manifest-screening.ts [manifest.csv]
// The CSV here is simple (no quoted commas); `borderlink screen` reads full CSV and JSON lines.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, summarize, type BatchItem, type BatchOutcome } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const file = process.argv[2] ?? fileURLToPath(new URL('./data/manifest.csv', import.meta.url));

/** Reads the manifest lazily: rows are pulled only as fast as batches go out. */
async function* readManifest(path: string): AsyncGenerator<BatchItem> {
  let header: string[] | undefined;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (header === undefined) {
      header = cells;
      continue;
    }
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    yield {
      id: row.id ?? '',
      subjects: [
        { kind: 'document', documentNumber: row.document_number ?? '', issuingState: row.issuing_state ?? '', documentType: (row.document_type ?? 'PASSPORT') as 'PASSPORT' },
        { kind: 'person', surname: row.surname ?? '', givenNames: (row.given_names ?? '').split(' ').filter(Boolean), dateOfBirth: row.date_of_birth || undefined, nationality: row.nationality || undefined },
      ],
    };
  }
}

const client = createClient({
  transport: mockTransport(),
  context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'api-desk', purpose: 'MANIFEST_SCREENING' },
});

const rows: BatchOutcome[] = [];
try {
  for await (const row of client.checkMany(readManifest(file), { batchSize: 100, concurrency: 4, ordered: true })) {
    rows.push(row);
    if (row.error) console.log(`${row.id}  ERROR ${row.error.code}: check this passenger by hand`);
    else if (row.result.verdict !== 'NO_HIT') console.log(`${row.id}  ${row.result.verdict}  ${row.result.hits.map((h) => `${h.source}/${h.kind}`).join(' ')}`);
  }
  const s = summarize(rows);
  console.log(`screened ${s.total}: ${s.byVerdict.HIT} HIT, ${s.byVerdict.POSSIBLE_HIT} POSSIBLE_HIT, ${s.byVerdict.INCOMPLETE} INCOMPLETE, ${s.errors} errors, ${s.byVerdict.NO_HIT} clear`);
} finally {
  await client.close();
}
