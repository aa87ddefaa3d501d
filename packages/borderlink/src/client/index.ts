export { createClient } from './client';
export type { BorderlinkClient, CheckRequest, ClientEvent, ClientEventType } from './client';
export type { CallOptions, ClientOptions, PrivacyOptions, WriteOptions } from './options';
export type { BatchItem, BatchOptions, BatchOutcome, BatchProgress, BatchSummary } from '../queries/batch';
