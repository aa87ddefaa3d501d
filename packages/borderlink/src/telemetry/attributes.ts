// What spans and metrics may say, written once. Every value comes from a closed table (kinds, verdicts, sources,
// statuses, our error codes, protocol v1's path templates) or is a number; nothing a caller searched for or a gateway
// wrote reaches an attribute, since none of those has a place here to go. A shape is not enough: text shaped like one
// of our codes can still be a document number, a surname in capitals or a code a gateway invented.
import { ERROR_CODES } from '../errors/index';
import { pathTemplate } from '../protocol/wire';
import { CONFIRMATION_PRIORITIES, CONFIRMATION_REQUEST_STATES, OUTCOME_STATUSES, SOURCES, VERDICTS } from '../queries/values';

/** Attribute names: OpenTelemetry's HTTP client conventions, and ours under `borderlink.`. */
export const ATTR = Object.freeze({
  callKind: 'borderlink.call.kind',
  callMethod: 'borderlink.call.method',
  outcome: 'borderlink.outcome',
  verdict: 'borderlink.verdict',
  servedFrom: 'borderlink.served_from',
  attempts: 'borderlink.attempts',
  requestId: 'borderlink.request_id',
  warnings: 'borderlink.warnings',
  source: 'borderlink.source',
  sourceStatus: 'borderlink.source.status',
  writeStatus: 'borderlink.write.status',
  writeReplayed: 'borderlink.write.replayed',
  queuedReason: 'borderlink.write.queued_reason',
  batchRows: 'borderlink.batch.rows',
  batchErrors: 'borderlink.batch.errors',
  recordSource: 'borderlink.record.source',
  confirmationState: 'borderlink.confirmation.state',
  confirmationPriority: 'borderlink.confirmation.priority',
  confirmationAttempt: 'borderlink.confirmation.attempt',
  hedged: 'borderlink.attempt.hedged',
  breakerState: 'borderlink.breaker.state',
  errorType: 'error.type',
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  resendCount: 'http.request.resend_count',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  urlTemplate: 'url.template',
});

const SOURCE_STATUS: Readonly<Record<string, string>> = Object.fromEntries(SOURCES.map((s) => [s, `borderlink.source.${s.toLowerCase()}.status`]));

/** The attribute of one source's status on a call's span: `borderlink.source.sltd.status`. */
export const sourceStatusAttribute = (source: string): string => SOURCE_STATUS[source] ?? `borderlink.source.${source.toLowerCase()}.status`;

/** The attribute of how many rows of a batch had a verdict: `borderlink.batch.verdict.hit`. */
export const batchVerdictAttribute = (verdict: string): string => `borderlink.batch.verdict.${verdict.toLowerCase()}`;

const VERDICT_SET: ReadonlySet<string> = new Set(VERDICTS);
const SOURCE_SET: ReadonlySet<string> = new Set(SOURCES);
const STATUS_SET: ReadonlySet<string> = new Set(OUTCOME_STATUSES);
const SERVED_FROM: ReadonlySet<string> = new Set(['network', 'cache', 'offline']);
const CONFIRMATION_STATE_SET: ReadonlySet<string> = new Set(CONFIRMATION_REQUEST_STATES);
const PRIORITY_SET: ReadonlySet<string> = new Set(CONFIRMATION_PRIORITIES);
const ERROR_CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);
/** Why a write was queued: the code of the error that made it queue, or older writes still waiting (client/writes.ts). */
const QUEUED_REASONS: ReadonlySet<string> = new Set([...ERROR_CODES, 'OUTBOX_NOT_EMPTY']);

export const isVerdict = (v: unknown): v is string => typeof v === 'string' && VERDICT_SET.has(v);
export const isSource = (v: unknown): v is string => typeof v === 'string' && SOURCE_SET.has(v);
export const isOutcomeStatus = (v: unknown): v is string => typeof v === 'string' && STATUS_SET.has(v);
export const isServedFrom = (v: unknown): v is string => typeof v === 'string' && SERVED_FROM.has(v);
export const isConfirmationState = (v: unknown): v is string => typeof v === 'string' && CONFIRMATION_STATE_SET.has(v);
export const isPriority = (v: unknown): v is string => typeof v === 'string' && PRIORITY_SET.has(v);

/** `error.type` of an error: its code when it is one the SDK makes (`TIMEOUT`, `UPSTREAM_UNAVAILABLE`), else `_OTHER`. */
export function errorType(error: unknown): string {
  return errorCodeOf((error as { code?: unknown } | null)?.code);
}

/** A code the SDK makes, as it is; anything else (another's code, a gateway's, none) as `_OTHER`. */
export function errorCodeOf(code: unknown): string {
  return typeof code === 'string' && ERROR_CODE_SET.has(code) ? code : '_OTHER';
}

/** Why a write was queued, from the closed list of reasons the outbox gives, else `_OTHER`. */
export function queuedReasonOf(reason: unknown): string {
  return typeof reason === 'string' && QUEUED_REASONS.has(reason) ? reason : '_OTHER';
}

/** A request id of ours (a UUID), or undefined. */
export function requestIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : undefined;
}

/**
 * `url.template` of a request path: protocol v1's own template (`/v1/records/{source}/{recordId}`), the one the debug
 * log uses too, never an id the path holds, never its query.
 */
export function urlTemplate(path: string): string {
  return pathTemplate(path);
}

/** `server.address` and `server.port` of a transport's endpoint (an URL, or anything else: then its name alone). */
export function serverOf(endpoint: string): { address: string; port?: number } {
  try {
    const url = new URL(endpoint);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
    const address = url.hostname.replace(/^\[|\]$/g, '') || 'unknown';
    return port === undefined ? { address } : { address, port };
  } catch {
    return { address: 'unknown' };
  }
}
