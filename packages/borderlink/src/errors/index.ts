/**
 * The error tree. Every error the SDK throws is a {@link BorderlinkError}; each subclass is one thing a caller can
 * act on and carries a stable `code`. No message or field ever holds a searched value (document number, name, date of
 * birth, VIN, plate): input errors name the field path, never its value.
 *
 * `instanceof` works across the ESM and CJS copies of the package (and across two installed versions) because the
 * classes are branded with `Symbol.for` keys rather than compared by identity.
 * @module
 */

import type { ResponseInfo } from './response';

export { RESPONSE_HEADERS, type ResponseHeaderName, type ResponseInfo } from './response';

const brandPrefix = 'borderlink.error.';

/** Options every error accepts: the call's metadata and the cause. */
export interface BorderlinkErrorOptions {
  cause?: unknown;
  requestId?: string | undefined;
  attempts?: number | undefined;
  durationMs?: number | undefined;
  status?: number | undefined;
  /** The gateway's `error.code`, already checked by the protocol layer. */
  gatewayCode?: string | undefined;
  /** The gateway's answer the error came from, as the protocol layer read it. */
  response?: ResponseInfo | undefined;
}

/** One problem with one input field. `path` is the field's path, e.g. `subjects.0.documentNumber`; never a value. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `documentNumber` or `subjects.1.dateOfBirth`. */
  path: string;
  /** What is wrong, without the value. */
  message: string;
}

/**
 * Base class of every error the SDK throws.
 * @example
 * ```ts
 * try { await client.checkDocument(doc); }
 * catch (err) {
 *   if (err instanceof BorderlinkError && err.retryable) showRetryButton();
 * }
 * ```
 */
export class BorderlinkError extends Error {
  /** @internal */
  static readonly brand: string = 'BorderlinkError';
  /** Stable machine-readable code, e.g. `TIMEOUT` or `UNAUTHENTICATED`. */
  readonly code: string;
  /** Whether the same call may succeed if tried again later. */
  readonly retryable: boolean;
  /**
   * The `x-request-id` of the call's request: quote it to support. `undefined` when the call was refused before a
   * request was made (an {@link InputError} or {@link ConfigError} from the checks of its input and options).
   */
  requestId: string | undefined;
  /**
   * How many attempts the call sent before this error. `0` when nothing was sent: every {@link InputError} and
   * {@link ConfigError} is made with `0`, and keeps it unless the gateway's answer caused it (a 400, a 413). A
   * number on every error a client call rejects with; `undefined` only on an error no call made (a store's own
   * method).
   */
  attempts: number | undefined;
  /**
   * Milliseconds from the start of the call to this error: `0` for an error refused before sending (as `attempts`).
   * A number on every error a client call rejects with.
   */
  durationMs: number | undefined;
  /** The HTTP status the gateway answered with, when the error came from one. */
  readonly status: number | undefined;
  /**
   * For a report or withdrawal: the idempotency key it was sent with. To try the same write again (now, or after a
   * restart), pass this key as the `idempotencyKey` option: the gateway then stores it at most once.
   */
  idempotencyKey: string | undefined;
  /**
   * For a report or withdrawal: whether the gateway may have stored it. `false` when nothing was sent or the gateway
   * refused it outright (400, 401, 403, 404, 409, 413, 429); `true` when an attempt reached the wire and its outcome
   * is unknown (a lost or unreadable answer, a timeout, a 5xx). When `true`, never report again under a new key:
   * retry with {@link BorderlinkError.idempotencyKey}.
   */
  mayHaveBeenStored: boolean | undefined;
  /**
   * The `error.code` of the gateway's error body, when it had one: kept as sent when it matches
   * `^[A-Z][A-Z0-9_]{0,63}$`, else `'UNKNOWN'`. It is gateway text of a safe shape, not a value the SDK vouches for (a
   * string of that shape can still be a document number), so it is left out of `message` (unless it is a protocol v1
   * code), of `toJSON()` and of the error's enumerable properties. Read it to tell apart a gateway's own codes.
   * @example
   * ```ts
   * if (err instanceof GatewayError && err.gatewayCode === 'MAINTENANCE') showMaintenanceBanner();
   * ```
   */
  declare readonly gatewayCode: string | undefined;
  /**
   * The gateway's answer this error came from, when there was one (a 4xx or 5xx, or a 2xx whose body could not be
   * read): its status, the gateway's own id of it and selected headers (see {@link ResponseInfo}), never its body. The
   * answer to the call's last attempt. Gateway text of a checked shape, so, like `gatewayCode`, it is neither an
   * enumerable property of the error nor in `toJSON()`.
   * @example
   * ```ts
   * if (err instanceof GatewayError) console.warn('gateway answered', err.response?.status, err.response?.gatewayRequestId);
   * ```
   */
  declare response: ResponseInfo | undefined;

  constructor(code: string, message: string, retryable: boolean, options: BorderlinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = (new.target as typeof BorderlinkError).brand;
    this.code = code;
    this.retryable = retryable;
    this.requestId = options.requestId;
    this.attempts = options.attempts;
    this.durationMs = options.durationMs;
    this.status = options.status;
    this.idempotencyKey = undefined;
    this.mayHaveBeenStored = undefined;
    // Not enumerable: loggers that copy an error's own properties must not pick up gateway text.
    Object.defineProperty(this, 'gatewayCode', { value: options.gatewayCode, enumerable: false });
    Object.defineProperty(this, 'response', { value: options.response, enumerable: false, writable: true });
    for (let c: unknown = new.target; typeof c === 'function' && 'brand' in c; c = Object.getPrototypeOf(c)) {
      Object.defineProperty(this, Symbol.for(brandPrefix + (c as typeof BorderlinkError).brand), { value: true });
    }
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[Symbol.for(brandPrefix + this.brand)] === true
    );
  }

  /** A plain object for logs and JSON: code, message and the call's metadata, never a searched value. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      status: this.status,
      requestId: this.requestId,
      attempts: this.attempts,
      durationMs: this.durationMs,
      ...(this.idempotencyKey !== undefined ? { idempotencyKey: this.idempotencyKey, mayHaveBeenStored: this.mayHaveBeenStored } : {}),
    };
  }
}

/**
 * The metadata of an error that is made, unless told otherwise, before anything is sent (an input or an option
 * refused): no attempt, no time spent. The executor sets the real ones when a gateway's answer made it.
 */
function refusedBeforeSending(options: BorderlinkErrorOptions): BorderlinkErrorOptions {
  return { ...options, attempts: options.attempts ?? 0, durationMs: options.durationMs ?? 0 };
}

/** Codes of {@link InputError}. */
export type InputErrorCode = 'INVALID_INPUT' | 'INVALID_MRZ' | 'INVALID_EDIFACT' | 'INVALID_REQUEST' | 'TOO_MANY_ITEMS';

/**
 * The input was refused, before sending (validation) or by the gateway (400, 413). `issues` names each bad field by
 * path, never by value. Not retryable: fix the input.
 */
export class InputError extends BorderlinkError {
  static override readonly brand: string = 'InputError';
  override readonly code: InputErrorCode;
  /** Each bad field, by path. */
  readonly issues: readonly FieldIssue[];
  constructor(
    message: string,
    issues: readonly FieldIssue[] = [],
    options: BorderlinkErrorOptions & { code?: InputErrorCode | undefined } = {},
  ) {
    super(options.code ?? 'INVALID_INPUT', message, false, refusedBeforeSending(options));
    this.code = options.code ?? 'INVALID_INPUT';
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** The client or transport options are wrong (unknown option, missing context, bad URL). Thrown synchronously. */
export class ConfigError extends BorderlinkError {
  static override readonly brand: string = 'ConfigError';
  override readonly code = 'INVALID_CONFIG' as const;
  constructor(message: string, options: BorderlinkErrorOptions = {}) {
    super('INVALID_CONFIG', message, false, refusedBeforeSending(options));
  }
}

/** The gateway did not accept the credentials (HTTP 401). */
export class AuthenticationError extends BorderlinkError {
  static override readonly brand: string = 'AuthenticationError';
  override readonly code = 'UNAUTHENTICATED' as const;
  constructor(message: string, options: BorderlinkErrorOptions = {}) {
    super('UNAUTHENTICATED', message, false, { ...options, status: options.status ?? 401 });
  }
}

/** Codes of {@link PermissionError}. */
export type PermissionErrorCode = 'FORBIDDEN' | 'NOT_ISSUER' | 'PURPOSE_NOT_ALLOWED';

/**
 * The authority or operator may not do this (HTTP 403). `NOT_ISSUER` when reporting a document another state issued;
 * `PURPOSE_NOT_ALLOWED` when the gateway does not allow the request for the context's `purpose` (a full record read
 * for a `BORDER_CHECK`): ask again with the purpose the work really has (`SECOND_LINE`, `INVESTIGATION`).
 */
export class PermissionError extends BorderlinkError {
  static override readonly brand: string = 'PermissionError';
  override readonly code: PermissionErrorCode;
  constructor(message: string, options: BorderlinkErrorOptions & { code?: PermissionErrorCode | undefined } = {}) {
    super(options.code ?? 'FORBIDDEN', message, false, { ...options, status: options.status ?? 403 });
    this.code = options.code ?? 'FORBIDDEN';
  }
}

/** The record does not exist (HTTP 404), e.g. withdrawing an unknown report. */
export class NotFoundError extends BorderlinkError {
  static override readonly brand: string = 'NotFoundError';
  override readonly code = 'NOT_FOUND' as const;
  constructor(message: string, options: BorderlinkErrorOptions = {}) {
    super('NOT_FOUND', message, false, { ...options, status: options.status ?? 404 });
  }
}

/** The idempotency key was already used with another body (HTTP 409). */
export class ConflictError extends BorderlinkError {
  static override readonly brand: string = 'ConflictError';
  override readonly code = 'IDEMPOTENCY_KEY_REUSED' as const;
  constructor(message: string, options: BorderlinkErrorOptions = {}) {
    super('IDEMPOTENCY_KEY_REUSED', message, false, { ...options, status: options.status ?? 409 });
  }
}

/** The gateway is rate-limiting this client (HTTP 429). Retryable after `retryAfterMs` when the gateway said. */
export class RateLimitError extends BorderlinkError {
  static override readonly brand: string = 'RateLimitError';
  override readonly code = 'RATE_LIMITED' as const;
  /** How long the gateway asked to wait, from `retry-after` / `retry-after-ms`. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: BorderlinkErrorOptions & { retryAfterMs?: number | undefined } = {}) {
    super('RATE_LIMITED', message, true, { ...options, status: options.status ?? 429 });
    this.retryAfterMs = options.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** Codes of {@link GatewayError}. */
export type GatewayErrorCode = 'INTERNAL' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT' | 'GATEWAY_ERROR';

/** The gateway or a database behind it failed (HTTP 5xx, or another unexpected status). */
export class GatewayError extends BorderlinkError {
  static override readonly brand: string = 'GatewayError';
  override readonly code: GatewayErrorCode;
  /** How long the gateway asked to wait, from `retry-after` / `retry-after-ms`. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: BorderlinkErrorOptions & { code?: GatewayErrorCode | undefined; retryable?: boolean | undefined; retryAfterMs?: number | undefined } = {},
  ) {
    super(options.code ?? 'GATEWAY_ERROR', message, options.retryable ?? true, options);
    this.code = options.code ?? 'GATEWAY_ERROR';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The connection failed or broke (refused, reset, closed, DNS, TLS). Retryable. */
export class ConnectionError extends BorderlinkError {
  static override readonly brand: string = 'ConnectionError';
  override readonly code = 'CONNECTION_FAILED' as const;
  constructor(message: string, options: BorderlinkErrorOptions = {}) {
    super('CONNECTION_FAILED', message, true, options);
  }
}

/** The call's deadline (`timeoutMs`) passed, or one attempt's timeout did. */
export class TimeoutError extends BorderlinkError {
  static override readonly brand: string = 'TimeoutError';
  override readonly code = 'TIMEOUT' as const;
  /** `call` when the whole call's deadline passed, `attempt` when one attempt's timeout did. */
  readonly scope: 'call' | 'attempt';
  constructor(message: string, options: BorderlinkErrorOptions & { scope?: 'call' | 'attempt' | undefined } = {}) {
    super('TIMEOUT', message, true, options);
    this.scope = options.scope ?? 'call';
  }
}

/** The caller aborted the call through its `signal`, or closed the client while the call was in flight. Never retried. */
export class AbortError extends BorderlinkError {
  static override readonly brand: string = 'AbortError';
  override readonly code = 'ABORTED' as const;
  constructor(message = 'The call was aborted by the caller', options: BorderlinkErrorOptions = {}) {
    super('ABORTED', message, false, options);
  }
}

/**
 * The gateway's answer broke the wire protocol: not JSON, cut off, or valid JSON that does not match the schema (for a
 * check, only where no item can be read: see docs/protocol.md, "Reading the answer"). `retryable` is true for a body
 * that is cut off or not JSON at all (a truncated answer on a poor link), and for a write's answer off the schema: a
 * write is retried with its idempotency key, so the gateway replays what it stored.
 */
export class ProtocolError extends BorderlinkError {
  static override readonly brand: string = 'ProtocolError';
  override readonly code = 'PROTOCOL_ERROR' as const;
  /** Paths in the body that broke the schema, when it was JSON. */
  readonly issues: readonly FieldIssue[];
  constructor(message: string, options: BorderlinkErrorOptions & { retryable?: boolean | undefined; issues?: readonly FieldIssue[] | undefined } = {}) {
    super('PROTOCOL_ERROR', message, options.retryable ?? false, options);
    this.issues = options.issues ?? [];
  }
}

/** The circuit breaker for this gateway is open: calls fail fast until `retryAt`. Retryable later. */
export class CircuitOpenError extends BorderlinkError {
  static override readonly brand: string = 'CircuitOpenError';
  override readonly code = 'CIRCUIT_OPEN' as const;
  /** When the breaker lets a probe through again (epoch milliseconds). */
  readonly retryAt: number;
  constructor(message: string, options: BorderlinkErrorOptions & { retryAt: number }) {
    super('CIRCUIT_OPEN', message, true, options);
    this.retryAt = options.retryAt;
  }
}

/** Codes of {@link StoreError}. */
export type StoreErrorCode = 'STORE_BUSY' | 'STORE_UNREADABLE' | 'STORE_FAILED' | 'STORE_SHRINK_REFUSED';

/**
 * A store on disk (the offline copy, the outbox) could not do what was asked. `STORE_BUSY`: another sync of the same
 * source is running, in this process or another (retryable later); `STORE_UNREADABLE`: a record or entry the store
 * holds does not open under its keys, so the file was changed or damaged and cannot answer for it (not retryable);
 * `STORE_FAILED`: SQLite failed (disk full, an I/O error, the file locked by another process past the timeout);
 * `STORE_SHRINK_REFUSED`: a snapshot would have removed more of the copy than `offline.maxShrink` allows, so it was
 * not applied (not retryable: the same answer would be refused again; sync with `allowShrink` once it is confirmed).
 */
export class StoreError extends BorderlinkError {
  static override readonly brand: string = 'StoreError';
  override readonly code: StoreErrorCode;
  constructor(message: string, options: BorderlinkErrorOptions & { code: StoreErrorCode }) {
    super(options.code, message, options.code !== 'STORE_UNREADABLE' && options.code !== 'STORE_SHRINK_REFUSED', options);
    this.code = options.code;
  }
}

/** One problem the MRZ parser found, as {@link MrzError} carries it: the code, the field and the position, no value. */
export interface MrzErrorIssue {
  code: string;
  severity: 'error' | 'warning';
  field?: string;
  line: number;
  start: number;
  end: number;
  message: string;
}

/**
 * The MRZ could not be used for a check: it failed its check digits or format rules. `mrzIssues` lists what the
 * parser found (by field and position, never by value). Pass `allowInvalidMrz: true` to check what was read anyway.
 */
export class MrzError extends InputError {
  static override readonly brand: string = 'MrzError';
  /** The parser's issues, errors and warnings. */
  readonly mrzIssues: readonly MrzErrorIssue[];
  constructor(message: string, mrzIssues: readonly MrzErrorIssue[], options: BorderlinkErrorOptions = {}) {
    super(
      message,
      mrzIssues.filter((i) => i.severity === 'error').map((i) => ({ path: `mrz.${i.field ?? `line${i.line}`}`, message: `${i.code}: ${i.message}` })),
      { ...options, code: 'INVALID_MRZ' },
    );
    this.mrzIssues = mrzIssues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), mrzIssues: this.mrzIssues };
  }
}

/**
 * Every `code` the SDK's errors carry, one table: what a consumer that must not repeat foreign text (telemetry, a
 * metric's attributes) may say of an error. A `code` outside it (an error some other code made, with a code of its
 * own) is not ours to repeat.
 * @internal
 */
export const ERROR_CODES = Object.freeze([
  'INVALID_INPUT',
  'INVALID_MRZ',
  'INVALID_EDIFACT',
  'INVALID_REQUEST',
  'TOO_MANY_ITEMS',
  'INVALID_CONFIG',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_ISSUER',
  'PURPOSE_NOT_ALLOWED',
  'NOT_FOUND',
  'IDEMPOTENCY_KEY_REUSED',
  'RATE_LIMITED',
  'INTERNAL',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'GATEWAY_ERROR',
  'CONNECTION_FAILED',
  'TIMEOUT',
  'ABORTED',
  'PROTOCOL_ERROR',
  'CIRCUIT_OPEN',
  'STORE_BUSY',
  'STORE_UNREADABLE',
  'STORE_FAILED',
  'STORE_SHRINK_REFUSED',
] as const);

/** One of {@link ERROR_CODES}. @internal */
export type ErrorCode = (typeof ERROR_CODES)[number];

// The table lists every class's code: a code added to a class and not here fails to compile.
type ClassCode =
  | InputErrorCode
  | PermissionErrorCode
  | GatewayErrorCode
  | StoreErrorCode
  | ConfigError['code']
  | AuthenticationError['code']
  | NotFoundError['code']
  | ConflictError['code']
  | RateLimitError['code']
  | ConnectionError['code']
  | TimeoutError['code']
  | AbortError['code']
  | ProtocolError['code']
  | CircuitOpenError['code'];
const everyClassCodeListed: readonly ErrorCode[] = [] as ClassCode[];
void everyClassCodeListed;
