export { createClient } from './client';
export type { BorderlinkClient, CheckRequest, ClientEvent, ClientEventType, OfflineHandle, WriteAnswer } from './types';
export type { LateHitEvent, OfflineOptions, OfflineReason } from './offline';
export type { SourceSyncResult, SyncEvent, SyncFailedEvent, SyncOptions, SyncProgressEvent } from './sync';
export type { DeliveredEvent, OutboxHandle, OutboxOptions, PendingOptions, PendingWrite, QueuedEvent, QueuedWrite, RejectedEvent } from './outbox';
export type { CallOptions, ClientOptions, PrivacyOptions, WriteOptions } from './options';
export type { BatchItem, BatchOptions, BatchOutcome, BatchProgress, BatchSummary } from './batch';
export type { BatchingOptions } from './batching';
