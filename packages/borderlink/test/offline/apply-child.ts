// The process crash.test.ts kills: opens the store at argv[2] and moves its SLTD copy to the other of two copies, X
// and Y, by a full snapshot (from X) or by a delta (from Y), printing where it is as it goes.
//   node --import tsx apply-child.ts <path>
import type { SnapshotChange, SnapshotEnd } from '../../src/stores/types';
import { openOfflineStore } from '../../src/offline/index';
import { COPY_SIZE, copyRecords } from './crash-copies';
import { KEYS } from './fixtures';

const store = openOfflineStore({ path: process.argv[2]!, ...KEYS });
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
await store.apply('SLTD', lines(), ({ changes }) => process.stdout.write(`progress ${changes}\n`));
process.stdout.write('done\n');
store.close();
