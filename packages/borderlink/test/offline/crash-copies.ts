// The two copies of SLTD the crash test moves a store between: the same record ids' range, other documents.
import type { OfflineRecord } from '../../src/stores/types';
import { passport } from './fixtures';

export const COPY_SIZE = 30_000;

/** Copy X or Y: `COPY_SIZE` passports, record ids and document numbers of their own. */
export function copyRecords(copy: 'X' | 'Y'): OfflineRecord[] {
  return Array.from({ length: COPY_SIZE }, (_, i) => passport(`SLTD-${copy}-${i}`, `${copy}${String(i).padStart(8, '0')}`));
}
