// Maps a gateway's non-2xx answer to the error a caller can act on. Gateway text is untrusted: a gateway may echo
// searched values anywhere in its error body. Its message is never kept. Its code is kept on the error's `gatewayCode`
// only when it has the shape of a code (GATEWAY_CODE), else as UNKNOWN; and it goes into the error's message only when
// it is one of protocol v1's own codes, because a string of the right shape can still be a document number.
import {
  AuthenticationError,
  BorderlinkError,
  ConflictError,
  GatewayError,
  InputError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  type BorderlinkErrorOptions,
  type FieldIssue,
} from '../errors/index';
import type { TransportResponse } from '../transport/types';
import { responseInfo } from './response';
import { CONTEXT_HEADERS, HEADERS, SNAPSHOT_CURSOR_EXPIRED } from './wire';

/** The shape of a gateway error code the client keeps; any other `error.code` is kept as `UNKNOWN`. */
export const GATEWAY_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The `error.code` values of protocol v1: the only gateway codes an error message repeats. */
export const PROTOCOL_ERROR_CODES: ReadonlySet<string> = new Set([
  'INVALID_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_ISSUER',
  'PURPOSE_NOT_ALLOWED',
  'NOT_FOUND',
  'IDEMPOTENCY_KEY_REUSED',
  'TOO_MANY_ITEMS',
  'RATE_LIMITED',
  'INTERNAL',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  SNAPSHOT_CURSOR_EXPIRED,
]);

const MAX_DETAILS = 100;
const MAX_DETAIL_PATH = 256;

/**
 * Reads `retry-after-ms` (milliseconds) or `retry-after` (delta-seconds or an HTTP date).
 * @returns milliseconds to wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Record<string, string | undefined>, now: number = Date.now()): number | undefined {
  const ms = headers[HEADERS.retryAfterMs];
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Math.round(Number(ms)));
  const ra = headers[HEADERS.retryAfter];
  if (ra === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(ra)) return Number(ra) * 1000;
  const at = Date.parse(ra);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

// Field names of protocol v1 requests: a detail path is kept only as far as it is made of these and indexes, so a
// gateway that put a searched value into a path cannot pass it on.
const PROTOCOL_FIELDS = new Set([
  'body', 'headers', 'idempotency-key', 'authorization', 'x-request-id', 'context', 'authorityId', 'operatorId', 'purpose',
  'locationId', 'items', 'itemId', 'subjects', 'sources', 'kind', 'documentNumber', 'issuingState', 'documentType',
  'holder', 'surname', 'givenNames', 'dateOfBirth', 'sex', 'nationality', 'vin', 'plate', 'registrationCountry',
  'report', 'status', 'incidentDate', 'incidentCountry', 'nationalReference', 'reason', 'recordId', 'since',
  'priority', 'renews', 'hitId', 'confirmationId',
  ...Object.values(CONTEXT_HEADERS),
]);

function safePath(path: string): string {
  if (path.length > MAX_DETAIL_PATH) return '?';
  return path
    .split('.')
    .map((segment) => (/^\d{1,6}$/.test(segment) || PROTOCOL_FIELDS.has(segment) ? segment : '?'))
    .join('.');
}

/** The sanitised code and the detail paths of an error body; `code` is undefined when the body had none. */
function readErrorBody(body: string): { code?: string; details?: FieldIssue[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  const error = typeof json === 'object' && json !== null ? (json as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return {};
  const { code: raw, details: rawDetails } = error as { code?: unknown; details?: unknown };
  const code = raw === undefined ? undefined : typeof raw === 'string' && GATEWAY_CODE.test(raw) ? raw : 'UNKNOWN';
  // Detail paths name fields; their messages come from the gateway and may quote values, so they are not kept.
  const details = Array.isArray(rawDetails)
    ? rawDetails
        .slice(0, MAX_DETAILS)
        .filter((d): d is { path: string } => typeof d === 'object' && d !== null && typeof (d as { path?: unknown }).path === 'string')
        .map((d) => ({ path: safePath(d.path), message: 'rejected by the gateway' }))
    : undefined;
  return { ...(code !== undefined ? { code } : {}), ...(details ? { details } : {}) };
}

/**
 * The error for a non-2xx answer. `isRead` decides whether a 500 is retried (reads only: a write may have been
 * stored, and is retried only through its idempotency key, which 5xx other than 500 covers).
 */
export function errorFromResponse(
  response: TransportResponse,
  isRead: boolean,
  base: BorderlinkErrorOptions = {},
): BorderlinkError {
  const { status } = response;
  const { code, details } = readErrorBody(response.body);
  const options = { ...base, status, gatewayCode: code, response: responseInfo(response) };
  const suffix = code !== undefined && PROTOCOL_ERROR_CODES.has(code) ? ` (${code})` : '';
  switch (status) {
    case 400:
      return new InputError(`The gateway refused the request as invalid${suffix}`, details ?? [], { ...options, code: 'INVALID_REQUEST' });
    case 401:
      return new AuthenticationError(`The gateway did not accept the credentials${suffix}`, options);
    case 403:
      if (code === 'PURPOSE_NOT_ALLOWED') {
        return new PermissionError('The gateway does not allow this request for the purpose given in the context (PURPOSE_NOT_ALLOWED)', {
          ...options,
          code: 'PURPOSE_NOT_ALLOWED',
        });
      }
      return new PermissionError(
        code === 'NOT_ISSUER'
          ? 'Only the issuing state may report this document (NOT_ISSUER)'
          : `The authority or operator may not do this${suffix}`,
        { ...options, code: code === 'NOT_ISSUER' ? 'NOT_ISSUER' : 'FORBIDDEN' },
      );
    case 404:
      return new NotFoundError(`The gateway found no such record${suffix}`, options);
    case 409:
      return new ConflictError('The idempotency key was already used with another request (IDEMPOTENCY_KEY_REUSED)', options);
    case 413:
      return new InputError(`The request holds more items than the gateway accepts${suffix}`, details ?? [], {
        ...options,
        code: 'TOO_MANY_ITEMS',
      });
    case 429:
      return new RateLimitError(`The gateway is rate-limiting this client${suffix}`, {
        ...options,
        retryAfterMs: parseRetryAfter(response.headers),
      });
    case 408:
      return new GatewayError(`The gateway timed out waiting for the request${suffix}`, { ...options, code: 'UPSTREAM_TIMEOUT' });
    case 500:
      return new GatewayError(`The gateway failed${suffix}`, { ...options, code: 'INTERNAL', retryable: isRead });
    case 502:
    case 503:
      return new GatewayError(`The gateway or a source behind it is unavailable${suffix}`, {
        ...options,
        code: 'UPSTREAM_UNAVAILABLE',
        retryAfterMs: parseRetryAfter(response.headers),
      });
    case 504:
      return new GatewayError(`A source behind the gateway timed out${suffix}`, { ...options, code: 'UPSTREAM_TIMEOUT' });
    default:
      return new GatewayError(`The gateway answered with unexpected status ${status}${suffix}`, {
        ...options,
        retryable: false,
      });
  }
}
