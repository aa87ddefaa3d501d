import type { AuditEvent } from '../audit/index';
import type { Logger, LogLevel } from '../logging/logger';
import type { ConfirmationPriority } from '../queries/confirmation';
import type { QueryContext, Source } from '../queries/types';
import type { ResilienceOptions, RetryOptions } from '../resilience/index';
import type { Transport } from '../transport/types';
import type { BatchingOptions } from './batching';
import type { OutboxOptions } from './outbox';
import type { OfflineOptions } from './offline';
import type { ClientObserver } from './observe';

/** What the client may reveal about searched values. Nothing, unless the integrator opts in. */
export interface PrivacyOptions {
  /**
   * Key of the keyed hashes that identify searched subjects in audit events (HMAC-SHA256) and cache keys (SHA-256 of
   * the key followed by the query, compared in memory only). Give a
   * stable secret to correlate audit events across restarts; by default a random key lives as long as the client.
   * At least 16 bytes (a string counts its UTF-8 bytes): a shorter key is a `ConfigError`, since anyone holding the
   * audit log could recompute the hashes of a short key by search.
   * @default a random 32-byte key per client
   * @example hashKey: process.env.BORDERLINK_AUDIT_HASH_KEY // 32 random bytes, base64: 44 characters
   */
  hashKey?: string | Uint8Array | undefined;
  /**
   * Put the searched values themselves into audit events (`subjects[].values`). Only when your audit store is
   * allowed to hold personal data.
   * @default false
   */
  includePersonalData?: boolean | undefined;
}

/**
 * Options of {@link createClient}.
 * @example
 * ```ts
 * const client = createClient({
 *   transport: httpTransport({ baseUrl: 'https://gateway.example', token: process.env.GATEWAY_TOKEN }),
 *   context: { authorityId: 'MDA-BPOL', operatorId: 'officer-0042', purpose: 'BORDER_CHECK', locationId: 'MD-LEUSENI' },
 *   timeoutMs: 3000,
 * });
 * ```
 */
export interface ClientOptions extends ResilienceOptions {
  /** How requests reach the gateway: {@link httpTransport}, `mockTransport()` from `borderlink/testing`, or your own. */
  transport: Transport;
  /**
   * Who asks, for which authority, and why: merged under each call's `context`. `authorityId`, `operatorId` and
   * `purpose` must be present after the merge, or the call is refused with an `InputError` and nothing is sent. A
   * plain object (an object literal): a Date, a Map or a class instance is refused with a `ConfigError`.
   */
  context: { [K in keyof QueryContext]?: QueryContext[K] | undefined };
  /** Receives one {@link AuditEvent} per call, success or failure. Exceptions it throws are ignored. */
  onAudit?: ((event: AuditEvent) => void) | undefined;
  /** @default 'off' */
  logLevel?: LogLevel | undefined;
  /** Where log lines go. @default console */
  logger?: Logger | undefined;
  /** @default { includePersonalData: false } */
  privacy?: PrivacyOptions | undefined;
  /**
   * Automatic batching: concurrent single checks under exactly the same context share one request (see
   * {@link BatchingOptions}). Turn it on when many checks are in flight at once (lanes, kiosks, an API service); at
   * one check in flight it adds nothing. `false` or absent: every single check is one request.
   * @default off
   * @example batching: { maxItems: 100, maxDelayMs: 0 }
   */
  batching?: BatchingOptions | false | undefined;
  /**
   * A durable outbox for writes (see {@link OutboxOptions}): a report or withdrawal the gateway cannot take is kept on
   * disk and answered as `QueuedWrite`, then replayed in order under the same idempotency key.
   * @default none: such a write rejects with its error
   */
  outbox?: OutboxOptions | undefined;
  /**
   * An offline copy of the sources (see {@link OfflineOptions}): it answers when the gateway cannot (or first), every
   * such outcome says `servedFrom: 'offline'`, and what it answered is re-screened online when the link returns.
   * @default none: a check the gateway cannot answer rejects with its error
   */
  offline?: OfflineOptions | undefined;
  /**
   * Watches every logical call and the client's events: `openTelemetry()` from `borderlink/telemetry` gives spans and
   * metrics (see docs/observability.md). Without it the call methods are not wrapped at all.
   * @default none
   * @example telemetry: openTelemetry({ tracerProvider, meterProvider })
   */
  telemetry?: ClientObserver | undefined;
  /**
   * Deadlines and polling of hit confirmations (see {@link ConfirmationSettings}).
   * @default 10 minutes for URGENT, 60 for ROUTINE; a first look after 2 seconds, then less often, up to a minute
   */
  confirmations?: ConfirmationSettings | undefined;
}

/**
 * How a client follows a confirmation request (`client.requestConfirmation`). The deadlines are your procedure's, as
 * NCIC's are: when one passes with no answer, the next request is sent (at most three), then the confirmation is
 * `EXPIRED`.
 * @example
 * ```ts
 * const client = createClient({ transport, context, confirmations: { deadlinesMs: { URGENT: 5 * 60_000 }, pollIntervalMs: 5000 } });
 * ```
 */
export interface ConfirmationSettings {
  /**
   * How long the owner has to answer one request, by priority, counted from when the gateway accepted it. When the
   * gateway's own `dueAt` comes first, that one is kept (unless it is not after the request was made: a gateway
   * clock in the past, read as no `dueAt`, with a warning). From 1 second to 24 hours.
   * @unit milliseconds
   * @default { URGENT: 600000, ROUTINE: 3600000 }
   */
  deadlinesMs?: { [P in ConfirmationPriority]?: number | undefined } | undefined;
  /**
   * The first wait between two looks at a pending request; each look that finds it pending doubles it, up to
   * `maxPollIntervalMs`. A gateway's `retry-after` (on a look's answer, or on a 429 or 503 that failed it) is honoured
   * when longer. From 100 milliseconds to 10 minutes.
   * @unit milliseconds
   * @default 2000
   */
  pollIntervalMs?: number | undefined;
  /**
   * The longest wait between two looks the client chooses itself (a `retry-after` may ask for longer, never past the
   * deadline), and the longest between two tries of a renewal (overdue: no `retry-after` makes it wait longer). From
   * `pollIntervalMs` to 1 hour.
   * @unit milliseconds
   * @default 60000
   */
  maxPollIntervalMs?: number | undefined;
}

/**
 * Options of {@link BorderlinkClient.withOptions}: the defaults of the calls of a client derived from another. They are
 * the only options a derived client may set. What makes a client (its `transport`, `cache`, `outbox`, `offline`,
 * `batching`, `breaker`, `retryBudget`, `hedgeAfterMs`, `dedupe`, `clock`, `random`, `logger`, `logLevel`, `onAudit`,
 * `privacy`, `telemetry`, `confirmations`) is shared with the client it derives from, and giving one is a
 * `ConfigError` naming it: create another client with `createClient` for another of them.
 * @example
 * ```ts
 * const secondLine = client.withOptions({ context: { purpose: 'SECOND_LINE' }, timeoutMs: 10_000, headers: { 'x-case-reference': 'CASE-2026-0042' } });
 * ```
 */
export interface DerivedClientOptions {
  /**
   * Laid over the context of the client it derives from, field by field; each call's own `context` is laid over this
   * one. A plain object, as `createClient`'s.
   * @default the parent's context
   */
  context?: Partial<QueryContext> | undefined;
  /** Each call's deadline, retries included (a call's own `timeoutMs` still wins). @unit milliseconds @default the parent's */
  timeoutMs?: number | undefined;
  /** The longest one attempt may take. @unit milliseconds @default the parent's, when it fits `timeoutMs` */
  attemptTimeoutMs?: number | undefined;
  /**
   * Retries: laid over the parent's policy field by field, or `false` for one attempt per call. The retry budget stays
   * the one shared with the parent, so a derived client cannot retry past it.
   * @default the parent's
   */
  retry?: RetryOptions | false | undefined;
  /**
   * Headers of your own on every request of this client's calls, laid over the parent's (a call's own `headers` are
   * laid over these); by the rules of {@link CallOptions.headers}.
   * @default the parent's
   */
  headers?: Record<string, string> | undefined;
}

/** Options of a read that is not a check (`fetchRecord`, `resumeConfirmation`, a confirmation's `refresh`). */
export type ReadOptions = Omit<CallOptions, 'sources'>;

/**
 * Options every call accepts.
 * @example
 * ```ts
 * await client.checkDocument(doc, { timeoutMs: 1500, context: { operatorId: 'officer-0077' }, signal: AbortSignal.timeout(2000) });
 * ```
 */
export interface CallOptions {
  /**
   * Merged over the client's context for this call. A plain object, as the client's: anything else is refused with a
   * `ConfigError` naming `context`.
   */
  context?: { [K in keyof QueryContext]?: QueryContext[K] | undefined } | undefined;
  /** Aborts the call; it then rejects with an `AbortError` (or the signal's reason). */
  signal?: AbortSignal | undefined;
  /** This call's deadline, retries included. @unit milliseconds @default the client's `timeoutMs` */
  timeoutMs?: number | undefined;
  /**
   * The longest one attempt of this call may take, so a stalled attempt leaves time for another.
   * @unit milliseconds @default the client's `attemptTimeoutMs`, else half of this call's deadline
   */
  attemptTimeoutMs?: number | undefined;
  /**
   * The sources to ask, instead of the defaults for the subjects' kinds (a document: SLTD and TDAWN; a person:
   * NOMINAL; a vehicle: SMV; an MRZ: its document in SLTD and TDAWN and its holder in NOMINAL).
   */
  sources?: Source[] | undefined;
  /**
   * Headers of your own to send with this call's requests (every attempt of it): a trace id, a case reference. Laid
   * over the client's `headers` (from {@link BorderlinkClient.withOptions}), a header of the call winning. Names are
   * case-insensitive and sent in lower case; values are visible ASCII and spaces, at most 4096 characters, not
   * starting or ending with a space. A header the SDK owns ({@link OWNED_HEADERS}: `authorization`, `x-request-id`,
   * `idempotency-key`, `content-type`, the context's `x-authority-id`, `x-operator-id`, `x-purpose`,
   * `x-location-id`, `host`, `content-length`, the hop-by-hop headers, …) is refused with a `ConfigError` naming the
   * header, as is a value with a CR, an LF or another control character (the error never repeats a value). The values
   * are yours: no log line, event or audit event holds them.
   *
   * Requests are shared only by calls with the same headers (automatic batching, identical checks in flight); a
   * cached answer is served whatever the headers. A write kept in the `outbox` is replayed without them, and the
   * checks the offline copy answered are re-screened without them: neither keeps your headers on disk.
   * @default none
   * @example headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'x-case-reference': 'LANE7-2026-0042' }
   */
  headers?: Record<string, string> | undefined;
}

/** Options of a write (report or withdrawal). */
export interface WriteOptions extends Omit<CallOptions, 'sources'> {
  /**
   * The idempotency key, sent on every attempt. Give your own (a UUID kept with the pending report) to make a
   * report survive a restart of your application without being stored twice.
   * @default a new UUID per call
   */
  idempotencyKey?: string | undefined;
}
