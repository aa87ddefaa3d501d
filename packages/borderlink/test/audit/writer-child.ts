// The process the SIGKILL test kills: a client checking a manifest against the mock transport, its audit events
// going to the audit log at argv[2] (signed with the PEM key at argv[3]), printing how many records are on disk after
// each batch. After the first batch it repeats the last event 80,000 times at once, so one write is many megabytes
// and a kill can land inside it; then it goes on checking. It never stops by itself.
//   node --import tsx writer-child.ts <dir> <private key file>
import { readFileSync } from 'node:fs';
import { createClient, type AuditEvent } from 'borderlink';
import { openAuditLog } from 'borderlink/audit';
import { mockTransport } from 'borderlink/testing';

const audit = openAuditLog({ dir: process.argv[2]!, fsync: 'never', maxBufferedEvents: 100_000, checkpoint: { privateKey: readFileSync(process.argv[3]!, 'utf8'), everyEvents: 5000 } });
let last: AuditEvent | undefined;
const client = createClient({
  transport: mockTransport(),
  context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'MANIFEST_SCREENING' },
  onAudit: (event) => {
    last = event;
    audit.append(event);
  },
});
for (let batch = 0; ; batch++) {
  const rows = Array.from({ length: 200 }, (_, i) => ({
    id: `${batch}-${i}`,
    subjects: [{ kind: 'person' as const, surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12' }],
  }));
  for await (const row of client.checkMany(rows, { batchSize: 50, concurrency: 4 })) void row;
  await audit.flush();
  process.stdout.write(`written ${audit.status.seq}\n`);
  if (batch === 0) {
    for (let i = 0; i < 80_000; i++) audit.append(last!);
    process.stdout.write('burst\n');
  }
}
