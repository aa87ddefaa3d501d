/**
 * The protocol seam: what the mock gateway (`src/testing`) needs of protocol v1 beyond the public entry point. The
 * only non-public module testing/ may import, so a gateway and the client read the wire by the same rules.
 * @internal
 * @module
 */
export {
  CONTEXT_HEADERS,
  HEADERS,
  KNOWN_VALUES,
  MAX_ITEMS_PER_REQUEST,
  PATHS,
  REQUEST_SCHEMAS,
  type CheckItemRequest,
  type CheckRequestBody,
  type ConfirmationRequestBody,
  type DocumentReportRequestBody,
  type WithdrawalRequestBody,
} from './wire';
// The formats and the message wording of the tables, for the mock's dataset loader.
export { DOCUMENT_NUMBER, STATE_CODE, VIN, printableAscii, spellValues } from '../queries/values';
// The sources a check asks when an item names none: a gateway must apply the same defaults the client documents.
export { defaultSources } from '../queries/validate';
// How a gateway's 400 names bad fields: by path and rule, never by value.
export { isNothingToSearch, safeParseWorded, toFieldIssues } from '../queries/validate';
// What the schemas take without running them, so a gateway under load reads a plain item as cheaply as the client writes it.
export { isPlainSourceList, isPlainSubjectList } from '../queries/validate';
// A write's fingerprint for idempotency: key order must not make two equal bodies differ.
export { canonicalJson } from '../internal/hash';
// The one way to refuse an option, so the mock's factories word a refusal as the client does.
export { optionError, parseOptions } from '../internal/options';
// The snapshot wire: what a gateway answers `GET /v1/snapshots/{source}` with, and how it reads the context of a GET.
export {
  SNAPSHOT_CONTENT_TYPE,
  SNAPSHOT_CURSOR,
  SNAPSHOT_CURSOR_EXPIRED,
  SNAPSHOT_CURSOR_EXPIRED_STATUS,
  contextHeaderPath,
  contextOfHeaders,
} from './snapshot';
export type { OfflineRecord, SnapshotChange, SnapshotEnd } from '../stores/types';
