/**
 * `borderlink/testing`: a protocol v1 mock gateway, in-process (`mockTransport`) or on a socket
 * (`createMockGateway`), with scriptable faults, records that can change while it runs (and snapshots of them, full
 * and deltas), a synthetic demo dataset on the ICAO specimen state UTO, large synthetic datasets for benchmarks, and
 * `writePaxlst` for airline manifests.
 * @module
 */
export { demoDataset, loadDataset } from './dataset';
export type { Dataset, DatasetDocument, DatasetLinkedDocument, DatasetPerson, DatasetRecord, DatasetVehicle, DatasetRecordBase } from './dataset';
export type { ConfirmationScript, DatasetHistoryEntry, DatasetNotice } from './dataset';
export type { SecondLineOptions } from './second-line';
export { syntheticDataset } from './synthetic';
export type { SyntheticDatasetOptions } from './synthetic';
export { FAULT_TYPES, OUTCOME_FAULT_STATUSES, RANDOM_FAULT_MIX, parseFaultSpec } from './faults';
export type { Fault, FaultPlan } from './faults';
export { createGatewayHandler } from './handler';
export type {
  GatewayHandler,
  GatewayOptions,
  GatewayRequest,
  GatewayResponse,
  RecordedRequest,
  StoredReport,
} from './handler';
export { mockTransport } from './mock-transport';
export type { MockTransport, MockTransportOptions } from './mock-transport';
export { createMockGateway } from './mock-gateway';
export type { MockGateway, MockGatewayOptions } from './mock-gateway';
export { memoryOfflineStore } from './memory-store';
export type { MemoryOfflineStore, MemoryOutboxStore } from './memory-store';
export { writePaxlst } from './paxlst';
export type { PaxlstDraft, PaxlstDraftMessage, PaxlstDraftTraveller, WritePaxlstOptions } from './paxlst';
