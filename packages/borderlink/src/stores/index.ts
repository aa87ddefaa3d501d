// The store contracts, for the client and the entry points.
export type {
  ApplyProgress,
  OfflineRecord,
  OfflineRecordBase,
  OfflineStore,
  OutboxEntry,
  OutboxStore,
  RescreenEntry,
  SnapshotChange,
  SnapshotEnd,
  SourceState,
} from './types';
export { offlineKeysOf, offlineKeysOfSubject } from './keys';
