/**
 * borderlink: typed document, person and vehicle checks against law-enforcement databases of the INTERPOL FIND
 * kind, through a national gateway. Start with {@link createClient}.
 * @module borderlink
 */
export { createClient, createClientFromEnv, readClientEnv, CLIENT_ENV, CALL_KINDS } from './client/index';
export type { ClientEnv, ClientFromEnvOptions, DerivedClientOptions, Environment } from './client/index';
export { OWNED_HEADERS } from './protocol/headers';
export type { CallKind, CallMethod, CallStart, ClientObservation, ClientObserver, HandleCallMethod, ObservedCall } from './client/index';
export type { BorderlinkClient, CallOptions, CheckRequest, ClientEvent, ClientEventType, ClientOptions, PrivacyOptions, WriteOptions } from './client/index';
export type {
  Confirmation,
  ConfirmationChangeEvent,
  ConfirmationResponse,
  ConfirmationSettings,
  ConfirmationView,
  ConfirmationWaitOptions,
  HitRef,
  ReadOptions,
  RecordRef,
} from './client/index';
export { CONFIRMATION_PRIORITIES, CONFIRMATION_REQUEST_STATES, DOCUMENT_HISTORY_EVENTS } from './queries/values';
export { MAX_CONFIRMATION_REQUESTS, isFinalConfirmationState } from './queries/confirmation';
export type { ConfirmationPriority, ConfirmationRequestState } from './queries/confirmation';
export type {
  DocumentHistoryEntry,
  DocumentHistoryEvent,
  FullRecord,
  FullRecordBase,
  NominalFullRecord,
  NoticeDetails,
  RecordResult,
  SltdFullRecord,
  SmvFullRecord,
  TdawnFullRecord,
  VehicleDetails,
} from './queries/records';
export type { ConfirmationRequest } from './reports/confirmation';
export type {
  DeliveredEvent,
  LateHitEvent,
  OfflineHandle,
  OfflineOptions,
  OfflineReason,
  OutboxHandle,
  OutboxOptions,
  PendingOptions,
  PendingWrite,
  QueuedEvent,
  QueuedWrite,
  RejectedEvent,
  SourceSyncResult,
  SyncEvent,
  SyncFailedEvent,
  SyncOptions,
  SyncProgressEvent,
  WriteAnswer,
} from './client/index';
export { offlineKeysOf, offlineKeysOfSubject } from './stores/index';
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
} from './stores/index';

export { httpTransport } from './transport/index';
export { TRANSPORT_SECRETS } from './transport/types';
export type { HttpTlsOptions, HttpTransportOptions, StreamedResponse, StreamRequest, Transport, TransportRequest, TransportResponse } from './transport/index';

export { isClear } from './queries/results';
export { summarize } from './client/batch';
export type { BatchItem, BatchOptions, BatchOutcome, BatchProgress, BatchSummary } from './client/batch';
export type { BatchingOptions } from './client/batching';
export {
  CONFIRMATION_STATES,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  NOTICE_TYPES,
  OUTCOME_STATUSES,
  PURPOSES,
  REPORTABLE_STATUSES,
  SEXES,
  SOURCES,
  VERDICTS,
  WITHDRAWAL_REASONS,
} from './queries/types';
export type {
  CheckResult,
  ConfirmationState,
  DocumentHit,
  DocumentQuery,
  DocumentRecord,
  DocumentStatus,
  DocumentSubject,
  DocumentType,
  GatewayWarning,
  Hit,
  HitBase,
  LinkedDocumentHit,
  Match,
  Notice,
  NoticeType,
  OfflineNote,
  OutcomeStatus,
  PersonHit,
  PersonQuery,
  PersonRecord,
  PersonSubject,
  Purpose,
  QueryContext,
  ReportableStatus,
  Sex,
  Source,
  SourceOutcome,
  Subject,
  VehicleHit,
  VehicleQuery,
  VehicleRecord,
  VehicleSubject,
  Verdict,
} from './queries/types';

export type { DocumentReport, ReportResult, WithdrawalReason, WithdrawalRequest, WithdrawalResult } from './reports/index';
export type { AuditConfirmation, AuditEvent, AuditSubject } from './audit/index';
export type { Logger, LogLevel } from './logging/logger';
export type {
  BreakerEvent,
  BreakerOptions,
  CacheOptions,
  Clock,
  HedgeEvent,
  RequestEvent,
  ResilienceOptions,
  ResponseEvent,
  RetryBudgetOptions,
  RetryEvent,
  RetryOptions,
} from './resilience/index';

export {
  AbortError,
  AuthenticationError,
  BorderlinkError,
  CircuitOpenError,
  ConfigError,
  ConflictError,
  ConnectionError,
  GatewayError,
  InputError,
  NotFoundError,
  PermissionError,
  ProtocolError,
  RateLimitError,
  StoreError,
  TimeoutError,
} from './errors/index';
export type { BorderlinkErrorOptions, FieldIssue, GatewayErrorCode, InputErrorCode, PermissionErrorCode, StoreErrorCode } from './errors/index';
export { RESPONSE_HEADERS } from './errors/index';
export type { ResponseHeaderName, ResponseInfo } from './errors/index';

export { MrzError } from './errors/index';
export type { MrzErrorIssue } from './errors/index';
export type { MrzBatchItem, MrzCheckOptions, MrzCheckResult, SubjectsFromMrzOptions } from './queries/mrz-check';
export { subjectsFromMrz } from './queries/mrz-check';
export { hasNameLetter } from './queries/validate';

export { parseMrz, formatMrz, computeCheckDigit, ICAO_MRZ_FORMATS, STATE_CODES, isKnownStateCode, MRZ_ISSUE_CODES } from './mrz/index';
export type {
  FormatMrzInput,
  IcaoMrzFormat,
  MrzCandidateChange,
  MrzCheckDigit,
  MrzCheckDigitName,
  MrzFieldName,
  StateCodeKind,
  MrzCorrection,
  MrzDocument,
  MrzFormat,
  MrzIssue,
  MrzIssueCode,
  ParsedMrz,
  ParseMrzOptions,
  StateCodeInfo,
} from './mrz/index';

// Names: the ICAO Doc 9303 Part 3 tables, and the spellings a person query sends.
export { CYRILLIC_LANGUAGES, MAX_NAME_VARIANTS, nameVariants, transliterateName } from './names/index';
export type { CyrillicLanguage, NameVariant, NameVariantsOptions, PersonName, TransliterateNameOptions } from './names/index';

export { VERSION } from './version';
