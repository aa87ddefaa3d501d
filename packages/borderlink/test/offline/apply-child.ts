// The process crash.test.ts kills: opens the store at argv[2] and moves its SLTD copy to the other of two copies, X
// and Y, by a full snapshot (from X) or by a delta (from Y), printing where it is as it goes; or, with `outbox`,
// queues writes one after another, printing each key once enqueue returned.
//   node --import tsx apply-child.ts <path> [outbox | outbox-during-apply]
import type { SnapshotChange, SnapshotEnd } from '../../src/stores/types';
import { openOfflineStore } from '../../src/offline/index';
import { COPY_SIZE, copyRecords } from './crash-copies';
import { KEYS } from './fixtures';

const store = openOfflineStore({ path: process.argv[2]!, ...KEYS });
if (process.argv[3] === 'outbox') {
  process.stdout.write('start outbox\n');
  for (let i = store.outbox.pendingCount(); ; i++) {
    const idempotencyKey = `k-${String(i).padStart(6, '0')}`;
    store.outbox.enqueue({ idempotencyKey, kind: 'report', path: '/v1/reports', body: JSON.stringify({ n: i }), queuedAt: Date.now() });
    process.stdout.write(`queued ${idempotencyKey}\n`);
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}
const from = store.state('SLTD')?.cursor;
const to = from === 'X' ? 'Y' : 'X';

async function* lines(): AsyncGenerator<SnapshotChange | SnapshotEnd> {
  let changes = 0;
  if (from === 'Y') {
    // A delta: every record of Y goes, every record of X comes.
    for (const record of copyRecords('Y')) {
      changes += 1;
      yield { op: 'delete', source: 'SLTD', recordId: record.recordId };
    }
  }
  for (const record of copyRecords(to)) {
    changes += 1;
    yield { op: 'upsert', record };
  }
  process.stdout.write('end-read\n');
  yield { op: 'end', source: 'SLTD', cursor: to, dataAsOf: '2026-05-01T00:00:00Z', full: from !== 'Y', changes, recordCount: COPY_SIZE };
}

process.stdout.write(`start ${from === 'Y' ? 'delta' : 'full'}\n`);
// With `outbox-during-apply`, writes are queued one after another while the snapshot is applied (and its checkpoints
// run in the store's worker thread), each key printed once enqueue returned.
let applying = true;
const queuing =
  process.argv[3] === 'outbox-during-apply'
    ? (async () => {
        for (let i = store.outbox.pendingCount(); applying; i++) {
          const idempotencyKey = `k-${String(i).padStart(6, '0')}`;
          store.outbox.enqueue({ idempotencyKey, kind: 'report', path: '/v1/reports', body: JSON.stringify({ n: i }), queuedAt: Date.now() });
          process.stdout.write(`queued ${idempotencyKey}\n`);
          await new Promise((resolve) => setImmediate(resolve));
        }
      })()
    : undefined;
await store.apply('SLTD', lines(), ({ changes }) => process.stdout.write(`progress ${changes}\n`));
applying = false;
await queuing;
process.stdout.write('done\n');
store.close();
