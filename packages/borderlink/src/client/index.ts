export { createClient } from './client';
export type { BorderlinkClient, CheckRequest, ClientEvent, ClientEventType } from './types';
export type { CallOptions, ClientOptions, PrivacyOptions, WriteOptions } from './options';
export type { BatchItem, BatchOptions, BatchOutcome, BatchProgress, BatchSummary } from './batch';
export type { BatchingOptions } from './batching';
