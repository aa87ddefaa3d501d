/**
 * The HTTP transport: one undici `Pool` per gateway origin, keep-alive, optional mutual TLS; or an undici
 * `Dispatcher` the integrator gives (a proxy, a `MockAgent`).
 * @module
 */
import { z } from 'zod';
import type { Dispatcher, Pool } from 'undici';
import { AbortError, BorderlinkError, ConfigError, ConnectionError, ProtocolError, TimeoutError } from '../errors/index';
import {
  KEEPS_HEADERS,
  TRANSPORT_SECRETS,
  type StreamedResponse,
  type StreamRequest,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './types';
import { addAbortListener, removeAbortListener, toAbortError } from '../internal/abort';
import { HEADER_NAME, TRANSPORT_HEADERS } from './headers';
import { optionError, parseOptions } from '../internal/options';

/**
 * TLS settings for an `https` gateway: the CA to trust and, for mutual TLS, the client certificate and key.
 * Strings or Buffers hold PEM text, as `node:tls` takes them.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const tls = {
 *   ca: readFileSync('/etc/borderlink/gateway-ca.pem'),
 *   cert: readFileSync('/etc/borderlink/post-17.crt'),
 *   key: readFileSync('/etc/borderlink/post-17.key'),
 * };
 * ```
 */
export interface HttpTlsOptions {
  /**
   * CA certificate(s) the gateway's certificate must chain to. Replaces Node's bundled roots.
   * @default Node's bundled root certificates
   * @example ca: readFileSync('gateway-ca.pem')
   */
  ca?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /**
   * Client certificate chain for mutual TLS (PEM). Give it together with `key`.
   * @default none (no client certificate is presented)
   * @example cert: readFileSync('post-17.crt')
   */
  cert?: string | Buffer | undefined;
  /**
   * Private key of `cert` (PEM). Give it together with `cert`.
   * @default none
   * @example key: readFileSync('post-17.key')
   */
  key?: string | Buffer | undefined;
  /**
   * Passphrase of an encrypted `key`.
   * @default none
   * @example passphrase: process.env.BORDERLINK_KEY_PASSPHRASE
   */
  passphrase?: string | undefined;
  /**
   * Server name for SNI and certificate verification, when it differs from the host in `baseUrl`
   * (e.g. the gateway is reached by IP address).
   * @default the host of `baseUrl` (no SNI for an IP address)
   * @example servername: 'gateway.police.example'
   */
  servername?: string | undefined;
  /**
   * Whether to refuse a gateway certificate that does not verify. Set `false` only against a local test gateway:
   * it turns off the protection TLS exists for.
   * @default true
   * @example rejectUnauthorized: true
   */
  rejectUnauthorized?: boolean | undefined;
}

/**
 * Options of {@link httpTransport}. Unknown options are refused with a {@link ConfigError}.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const transport = httpTransport({
 *   baseUrl: 'https://gateway.police.example/national/api',
 *   token: process.env.BORDERLINK_TOKEN,
 *   tls: { ca: readFileSync('/etc/borderlink/gateway-ca.pem'), cert: readFileSync('/etc/borderlink/post-17.crt'), key: readFileSync('/etc/borderlink/post-17.key') },
 * });
 * ```
 */
export interface HttpTransportOptions {
  /**
   * The gateway's URL, `http:` or `https:`. A path (e.g. `/national/api`) prefixes every request path. Must not hold
   * credentials, a query or a fragment.
   * @example baseUrl: 'https://gateway.police.example/national/api'
   */
  baseUrl: string;
  /**
   * Bearer token, sent as `authorization: Bearer <token>` on every request (it overrides an `authorization` header of
   * a request). Visible ASCII only. Never appears in an error message.
   * @default none (no authorization header is added)
   * @example token: process.env.BORDERLINK_TOKEN
   */
  token?: string | undefined;
  /**
   * Headers sent on every request. A request's own header of the same name wins. The headers the transport owns are
   * refused: `host`, the hop-by-hop headers (`connection`, `keep-alive`, `proxy-connection`, `te`, `trailer`,
   * `upgrade`), `transfer-encoding`, `content-length`, `content-encoding`, `accept-encoding` and `expect`; and so is
   * `authorization` together with `token`.
   * @default {}
   * @example headers: { 'x-border-post': 'FRA-T1-17' }
   */
  headers?: Record<string, string> | undefined;
  /**
   * Most connections kept open to the gateway, and most requests sent at once: further concurrent attempts wait, in
   * order, in the transport's own queue. An attempt that is aborted or times out while it waits leaves the queue and
   * never reaches the gateway. Its time in the queue counts against its timeout. National gateways usually cap
   * connections per client certificate, and a border post rarely has more than a few checks in flight, so a small
   * pool stays under the cap while keeping queueing rare. With a `dispatcher`, the connections are the dispatcher's: this
   * then bounds only the requests handed to it at once.
   * @default 8
   * @example connections: 16
   */
  connections?: number | undefined;
  /**
   * How long an idle connection is kept for reuse (the gateway's `keep-alive: timeout=` hint may change it). Keep it
   * below the gateway's own idle timeout, so the client, not the server, closes idle connections.
   * @unit milliseconds
   * @default 4000
   * @example keepAliveTimeoutMs: 10_000
   */
  keepAliveTimeoutMs?: number | undefined;
  /**
   * How long opening a connection (TCP and TLS handshake) may take. Each attempt's own timeout still applies.
   * @unit milliseconds
   * @default 10000
   * @example connectTimeoutMs: 3000
   */
  connectTimeoutMs?: number | undefined;
  /**
   * TLS settings; only with an `https` baseUrl. Give `cert` and `key` for mutual TLS.
   * @default none (Node's root certificates, no client certificate)
   * @example tls: { ca: readFileSync('gateway-ca.pem'), cert: readFileSync('post.crt'), key: readFileSync('post.key') }
   */
  tls?: HttpTlsOptions | undefined;
  /**
   * Largest answer body accepted, in bytes as received. An answer whose `content-length` is larger is refused as soon
   * as its headers arrive; one that grows past it while streaming is refused at the chunk that crosses it. Either way
   * the attempt fails at once with a retryable {@link ProtocolError} (the retry layer may try again), the connection
   * is closed so the rest of the body is never read, and nothing past the cap is kept in memory. A batch of 1,000
   * items with two hits each is about 1.3 MB as the mock gateway writes it; raise the cap if your gateway's answers
   * are larger. At most 256 MiB (268435456).
   * @unit bytes
   * @default 4194304 (4 MiB)
   * @example maxResponseBytes: 16 * 1024 * 1024
   */
  maxResponseBytes?: number | undefined;
  /**
   * An undici `Dispatcher` to send through instead of the transport's own pool: a `ProxyAgent` or
   * `EnvHttpProxyAgent` where the network reaches the gateway only through a proxy, or a `MockAgent` to intercept
   * requests in tests. Requests go to the origin of `baseUrl` through it.
   *
   * The dispatcher then owns the connections: their TLS identity, keep-alive and connect timeout are set on it (for a
   * proxy, `new ProxyAgent({ uri, requestTls: { ca, cert, key } })`), so `tls`, `keepAliveTimeoutMs` and
   * `connectTimeoutMs` are refused beside it with a {@link ConfigError}. Everything else holds as without it:
   * `connections` still bounds how many requests the transport hands over at once (the rest wait in its queue, and an
   * attempt aborted there is never sent), and `token`, `headers`, `maxResponseBytes`, each attempt's timeout and the
   * caller's abort signal apply unchanged.
   *
   * The dispatcher stays the integrator's: `close()` aborts this transport's requests still in flight on it and
   * waits for them to end, but neither closes nor destroys the dispatcher, which may serve other clients.
   * @default none (the transport opens its own undici `Pool` to the gateway's origin)
   * @example
   * ```ts
   * import { readFileSync } from 'node:fs';
   * import { ProxyAgent } from 'undici';
   * const transport = httpTransport({
   *   baseUrl: 'https://gateway.police.example/national/api',
   *   dispatcher: new ProxyAgent({
   *     uri: 'http://proxy.ministry.example:3128',
   *     requestTls: { ca: readFileSync('/etc/borderlink/gateway-ca.pem'), cert: readFileSync('/etc/borderlink/post-17.crt'), key: readFileSync('/etc/borderlink/post-17.key') },
   *   }),
   * });
   * ```
   */
  dispatcher?: Dispatcher | undefined;
}

const defaults = { connections: 8, keepAliveTimeoutMs: 4000, connectTimeoutMs: 10_000, maxResponseBytes: 4 * 1024 * 1024, idleTimeoutMs: 30_000 } as const;

/**
 * The most `maxResponseBytes` may be. UTF-8 never decodes to more UTF-16 units than it has bytes, so a capped body
 * always fits in a V8 string (about 512 Mi units on 64-bit); beyond a few MiB a gateway answer is a fault anyway.
 */
const maxResponseBytesLimit = 256 * 1024 * 1024;

const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;
const visibleAscii = /^[\x21-\x7e]+$/;

/** Whether `token` can be sent as `authorization: Bearer <token>`: visible ASCII only. @internal */
export function isBearerToken(token: unknown): token is string {
  return typeof token === 'string' && visibleAscii.test(token);
}

/**
 * What is wrong with `text` as a gateway's base URL, worded to follow the name of whatever gave it (an option, an
 * environment variable), or undefined when it is one. Never repeats the text. @internal
 */
export function baseUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http: or https: URL';
  if (url.username !== '' || url.password !== '') return 'must not hold credentials; use `token` or `tls` instead';
  if (url.search !== '' || url.hash !== '') return 'must not hold a query or fragment';
  return undefined;
}

/** Node clamps longer timers to 1 ms: a later deadline is reached by arming again. */
const maxTimerMs = 2_147_483_647;

/**
 * Connection failures by error code, and what the message says. Codes come from Node's `net`/`dns` and from undici.
 * TLS failures are recognised by {@link isTlsFailure}.
 */
const connectionFailures: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ECONNABORTED: 'connection aborted',
  UND_ERR_SOCKET: 'connection closed by the gateway',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  ETIMEDOUT: 'connect timed out',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed',
  EAI_FAIL: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host unreachable',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response body cut off',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'request body length mismatch',
};

const tlsFailureCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

function isTlsFailure(code: string): boolean {
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || tlsFailureCodes.has(code);
}

function closedError(): ConfigError {
  return new ConfigError('httpTransport: send() was called after close()');
}

function closedWhileQueuedError(): ConfigError {
  return new ConfigError('httpTransport: closed before the request was sent (close() was called while it waited for a connection)');
}

/** Maps what undici or Node reported to the transport contract: no secret-bearing URL in the message. */
function toTransportError(err: Error, responseStarted: boolean): Error {
  if (err instanceof BorderlinkError) return err;
  const raw = (err as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError('The gateway stopped answering within the attempt', { scope: 'attempt', cause: err });
  }
  if (code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED') return closedError();
  let kind = connectionFailures[code] ?? (isTlsFailure(code) ? 'TLS handshake failed' : 'connection failed');
  if (responseStarted && kind !== 'response body cut off') kind += ' before the response body was complete';
  return new ConnectionError(code === '' ? kind : `${kind} (${code})`, { cause: err });
}

/** A transport rejects with the signal's own reason when it is an Error (the layer above decides what it means). */
/** An answer's headers with one string per name: undici already lower-cases names; a repeated header arrives as an array. */
function joinedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string' && value !== undefined) headers[name] = value.join(', ');
  }
  return headers as Record<string, string | undefined>;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : toAbortError(signal.reason);
}

function attemptTimedOut(attempt: LaneEntry): TimeoutError {
  return new TimeoutError(`The attempt timed out after ${attempt.timeoutMs} ms`, { scope: 'attempt' });
}

/**
 * Every attempt's timeout, `send` and `stream` alike, on one Node timer per transport, armed for the earliest
 * deadline of the attempts it watches. A `send` attempt is watched until it settles; a `stream` attempt until its
 * answer's headers are in (a 2xx body is then bounded by undici's idle timeout, not by this clock) or, for another
 * status, until its body was read whole.
 *
 * Why not a timer per attempt: a cleared Node timer still holds its callback's arguments, so each one held its
 * attempt, and through it the call's promises, until a full collection. Once V8 allocates timers in the old
 * generation (it decides so from survival rates while the process warms up, so one run does and the next does not),
 * every such timer keeps its attempt's objects alive through the young collections, and those keep the next ones: a
 * check's garbage then lived until a full collection. Measured over a dispatcher that answers at once: 16 µs of client
 * CPU per check instead of 7.5.
 *
 * The attempts form a doubly linked list (O(1) in and out, nothing hashed) whose links are cleared as each leaves, so a
 * finished attempt points at nothing. An attempt that ends does not clear the timer; the timer fires at most once per
 * deadline it was armed for, re-arms for the earliest deadline still watched, and stops when none is left. It holds
 * the process open only while some attempt is watched, as the timer of each attempt did.
 */
class AttemptClock {
  private head: LaneEntry | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private readonly onTimer = (): void => this.fire();

  watch(attempt: LaneEntry): void {
    const expiresAt = performance.now() + attempt.timeoutMs;
    attempt.expiresAt = expiresAt;
    const wasIdle = this.head === undefined;
    attempt.timerNext = this.head;
    if (this.head !== undefined) this.head.timerPrev = attempt;
    this.head = attempt;
    attempt.timed = true;
    if (expiresAt < this.armedFor) this.arm(expiresAt);
    else if (wasIdle) this.timer?.ref();
  }

  unwatch(attempt: LaneEntry): void {
    if (!attempt.timed) return;
    attempt.timed = false;
    const { timerPrev, timerNext } = attempt;
    if (timerPrev === undefined) this.head = timerNext;
    else timerPrev.timerNext = timerNext;
    if (timerNext !== undefined) timerNext.timerPrev = timerPrev;
    attempt.timerPrev = undefined;
    attempt.timerNext = undefined;
    // Nothing left to time out: an armed timer must not keep the process open on its own.
    if (this.head === undefined) this.timer?.unref();
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(this.onTimer, Math.min(maxTimerMs, Math.max(1, Math.ceil(at - performance.now()))));
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let expired: LaneEntry[] | undefined;
    let next = Number.POSITIVE_INFINITY;
    for (let a = this.head; a !== undefined; a = a.timerNext) {
      if (a.expiresAt <= now) (expired ??= []).push(a);
      else if (a.expiresAt < next) next = a.expiresAt;
    }
    // Failing an attempt takes it out of the list, so the expired are gathered first.
    if (expired !== undefined) for (const a of expired) a.fail(attemptTimedOut(a));
    // An attempt watched while the expired were failed may have armed the timer already, for its own deadline.
    if (next < this.armedFor) this.arm(next);
  }
}

/**
 * An answer over `maxResponseBytes`. A {@link ProtocolError} with `retryable: true`, as for a cut-off body: the
 * answer could not be read, which says nothing about what the gateway would answer next time. The message names the
 * option and the configured cap, never anything the gateway sent.
 */
function tooLargeError(maxResponseBytes: number): ProtocolError {
  return new ProtocolError(`The gateway's answer is larger than maxResponseBytes (${maxResponseBytes} bytes)`, { retryable: true });
}

/** Tells a handler of either undici interface (see PoolAttempt) that its request failed before undici took it. */
function failHandler(handler: Dispatcher.DispatchHandler, err: Error): void {
  if (handler.onRequestStart === undefined && handler.onError !== undefined) handler.onError(err);
  else handler.onResponseError?.(undefined as never, err);
}

/**
 * The transport's own pool, opened on its first request: undici takes about 100 ms to load, more than the rest of
 * borderlink together, and a process that never sends (a command answering `--help`, a lane application that parses
 * MRZ before it checks) should not pay for it. Options are read and refused when the transport is created, as
 * before; only the module is loaded late. Requests dispatched while it loads wait here in order and go to the pool
 * once it exists; an attempt given up meanwhile is dropped by the pool unwritten, as any attempt that undici has not
 * written yet. If undici cannot be loaded, each request fails with a {@link ConfigError} (an installation fault:
 * retrying cannot mend it, and it says nothing about the gateway's health).
 */
class LazyPool {
  private pool: Dispatcher | undefined = undefined;
  private loading: Promise<void> | undefined = undefined;
  private waiting: [Dispatcher.DispatchOptions, Dispatcher.DispatchHandler][] = [];
  private destroyed: Promise<void> | undefined = undefined;

  constructor(
    private readonly origin: string,
    private readonly options: Pool.Options,
  ) {}

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.pool !== undefined) return this.pool.dispatch(options, handler);
    if (this.destroyed !== undefined) {
      failHandler(handler, closedError());
      return false;
    }
    this.waiting.push([options, handler]);
    this.loading ??= import('undici').then(
      (undici) => {
        parseRawHeaders = undici.util.parseHeaders;
        this.opened(new undici.Pool(this.origin, this.options));
      },
      (cause: unknown) => {
        // The next request tries the load again and fails alike, rather than waiting on a load that is over.
        this.loading = undefined;
        this.failWaiting(() => new ConfigError('httpTransport: the undici package could not be loaded', { cause }));
      },
    );
    return false;
  }

  private opened(pool: Dispatcher): void {
    if (this.destroyed !== undefined) {
      void pool.destroy();
      return this.failWaiting(closedError);
    }
    this.pool = pool;
    const waiting = this.waiting;
    this.waiting = [];
    for (const [options, handler] of waiting) pool.dispatch(options, handler);
  }

  private failWaiting(reason: () => Error): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const [, handler] of waiting) failHandler(handler, reason());
  }

  destroy(): Promise<void> {
    if (this.destroyed === undefined) {
      if (this.pool !== undefined) this.destroyed = this.pool.destroy();
      else {
        // As undici's own destroy does: what was dispatched and not answered fails now, not once the module loaded.
        this.failWaiting(closedError);
        this.destroyed = this.loading === undefined ? Promise.resolve() : this.loading.then(() => undefined);
      }
    }
    return this.destroyed;
  }
}

/**
 * The transport's own queue in front of the undici dispatcher: at most `limit` attempts are handed to undici at once, the
 * rest wait here in order. undici cannot drop a request it was handed without destroying a connection (aborting a
 * request that has not been written closes its socket), so an attempt aborted while waiting must never reach it: a
 * lane UI that cancels checks would otherwise cost a fresh TCP and TLS handshake per cancelled check. A doubly linked
 * list unlinks an aborted attempt in O(1), so the queue holds only attempts still waiting.
 */
class Lane {
  /** Attempts handed to undici and not yet finished there (`onResponseEnd` or `onResponseError`). */
  active = 0;
  head: LaneEntry | undefined = undefined;
  tail: LaneEntry | undefined = undefined;
  private pumping = false;

  constructor(
    readonly pool: Pick<Dispatcher, 'dispatch'>,
    readonly limit: number,
    readonly maxResponseBytes: number,
    /**
     * Whether the lane tracks the attempts it handed to undici: on a dispatcher the integrator owns, which close() must
     * end without destroying it.
     */
    readonly tracksInFlight: boolean,
    readonly clock: AttemptClock,
  ) {}

  /** Attempts handed to the integrator's dispatcher and not finished there (linked, as the queue is: see AttemptClock). */
  private flying: LaneEntry | undefined = undefined;
  private flyingCount = 0;

  private takeOff(attempt: LaneEntry): void {
    attempt.dispatched = true;
    if (!this.tracksInFlight) return;
    attempt.flightNext = this.flying;
    if (this.flying !== undefined) this.flying.flightPrev = attempt;
    this.flying = attempt;
    this.flyingCount += 1;
  }

  private land(attempt: LaneEntry): void {
    const { flightPrev, flightNext } = attempt;
    if (flightPrev === undefined) this.flying = flightNext;
    else flightPrev.flightNext = flightNext;
    if (flightNext !== undefined) flightNext.flightPrev = flightPrev;
    attempt.flightPrev = undefined;
    attempt.flightNext = undefined;
    this.flyingCount -= 1;
  }

  enter(attempt: LaneEntry, options: Dispatcher.DispatchOptions): void {
    if (this.active < this.limit && this.head === undefined) {
      this.active += 1;
      this.takeOff(attempt);
      this.pool.dispatch(options, attempt);
      return;
    }
    attempt.queued = options;
    attempt.prev = this.tail;
    if (this.tail === undefined) this.head = attempt;
    else this.tail.next = attempt;
    this.tail = attempt;
  }

  /** Takes a waiting attempt out of the queue. */
  leave(attempt: LaneEntry): void {
    const { prev, next } = attempt;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    attempt.prev = undefined;
    attempt.next = undefined;
    attempt.queued = undefined;
  }

  /** undici is done with a dispatched attempt: its slot goes to the longest-waiting attempt still waiting. */
  release(attempt: LaneEntry): void {
    if (!attempt.dispatched) return;
    attempt.dispatched = false;
    this.active -= 1;
    if (this.tracksInFlight) {
      this.land(attempt);
      if (this.flyingCount === 0) this.onIdle?.();
    }
    // A dispatch can call back into release synchronously (undici errors a request at once on a closed pool); the
    // outer loop carries on, so the stack stays flat however long the queue.
    if (this.head === undefined || this.pumping) return;
    this.pumping = true;
    try {
      while (this.active < this.limit && this.head !== undefined) {
        const next = this.head;
        const options = next.queued!;
        this.leave(next);
        this.active += 1;
        this.takeOff(next);
        this.pool.dispatch(options, next);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Called when the last attempt in flight on an integrator's dispatcher has ended. */
  onIdle: (() => void) | undefined = undefined;

  /**
   * Ends this transport's use of an integrator's dispatcher: aborts the attempts in flight (they reject with
   * `reason`) and resolves once undici is done with each, leaving the dispatcher itself open.
   */
  abortInFlight(reason: () => Error): Promise<void> {
    if (this.flyingCount === 0) return Promise.resolve();
    const idle = new Promise<void>((resolve) => {
      this.onIdle = resolve;
    });
    // Failing an attempt may take it out of the list, so the list is read first.
    const flying: LaneEntry[] = [];
    for (let a = this.flying; a !== undefined; a = a.flightNext) flying.push(a);
    for (const attempt of flying) attempt.fail(reason());
    return idle;
  }

  /** Rejects every attempt still waiting; none of them has reached the gateway. */
  rejectQueued(): void {
    while (this.head !== undefined) this.head.fail(closedWhileQueuedError());
  }
}

/**
 * What the lane queues and dispatches, and the transport's clock times out: a `send` attempt or a `stream` one. Its
 * place in each list is a pair of links on the attempt itself, cleared as it leaves (see AttemptClock).
 */
interface LaneEntry extends Dispatcher.DispatchHandler {
  /** Handed to undici; cleared when undici is done with it. */
  dispatched: boolean;
  /** The request, while the attempt waits in the lane's queue. */
  queued: Dispatcher.DispatchOptions | undefined;
  prev: LaneEntry | undefined;
  next: LaneEntry | undefined;
  /** The attempt's own timeout, and when it passes on `performance.now()`'s clock. */
  readonly timeoutMs: number;
  expiresAt: number;
  /** In the AttemptClock's list. */
  timed: boolean;
  timerPrev: LaneEntry | undefined;
  timerNext: LaneEntry | undefined;
  /** In the lane's list of attempts on the integrator's dispatcher. */
  flightPrev: LaneEntry | undefined;
  flightNext: LaneEntry | undefined;
  /** Gives up: the attempt rejects (or its body throws) with `reason`, and undici drops or aborts the request. */
  fail(reason: Error): void;
}

/**
 * One `send` attempt: the undici handler (in one of two faces, {@link PoolAttempt} or {@link DispatcherAttempt},
 * below), the abort listener (`handleEvent`), its entry in the transport's AttemptClock and its queue entry in one
 * object. The hot path allocates this, the promise and its executor, and nothing else per call — measured: an
 * `AbortSignal` plus `Pool.request` per call cost about a third of the throughput.
 *
 * The promise settles exactly once, through `settle()`: on the decoded answer, on an error, on the timeout or on the
 * abort. Separately, `lane.release` runs exactly once for a dispatched attempt, when undici is done with it.
 */
abstract class Attempt implements LaneEntry {
  resolve!: (response: TransportResponse) => void;
  reject!: (reason: Error) => void;
  settled = false;
  /** Handed to undici; cleared when undici is done with it. */
  dispatched = false;
  /** The request, while the attempt waits in the lane's queue. */
  queued: Dispatcher.DispatchOptions | undefined = undefined;
  prev: LaneEntry | undefined = undefined;
  next: LaneEntry | undefined = undefined;
  expiresAt = 0;
  timed = false;
  timerPrev: LaneEntry | undefined = undefined;
  timerNext: LaneEntry | undefined = undefined;
  flightPrev: LaneEntry | undefined = undefined;
  flightNext: LaneEntry | undefined = undefined;
  /** undici has taken the request (it handed over the way to abort it): giving up now means aborting it there. */
  connected = false;
  /** Why we gave up after dispatching but before undici took the request; applied when it does (`connect`). */
  abortedWith: Error | undefined = undefined;
  status = 0;
  headers: Record<string, string | undefined> = {};
  first: Buffer | undefined = undefined;
  rest: Buffer[] | undefined = undefined;
  length = 0;

  constructor(
    readonly lane: Lane,
    readonly signal: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {}

  /** Clears everything that could outlive the attempt. Every settle path goes through here first. */
  private settle(): void {
    this.settled = true;
    this.lane.clock.unwatch(this);
    if (this.signal !== undefined) removeAbortListener(this.signal, this);
    this.first = undefined;
    this.rest = undefined;
  }

  fail(reason: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(reason);
    if (this.queued !== undefined) this.lane.leave(this);
    else if (this.connected) this.abortRequest(reason);
    else if (this.dispatched) this.abortedWith = reason;
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    if (this.signal !== undefined) this.fail(abortReason(this.signal));
  }

  /** Aborts the request undici took. */
  protected abstract abortRequest(reason: Error): void;

  /** undici took the request. */
  protected connect(): void {
    // Given up between dispatch and write (undici was connecting, or waiting a turn to reuse the socket). Throwing here
    // makes undici drop the request unwritten and keep the socket; aborting it would destroy the socket.
    if (this.abortedWith !== undefined) throw this.abortedWith;
    this.connected = true;
  }

  protected responseStart(statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.settled) return;
    this.status = statusCode;
    this.headers = joinedHeaders(headers);
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) > this.lane.maxResponseBytes) this.fail(tooLargeError(this.lane.maxResponseBytes));
  }

  protected responseData(chunk: Buffer): void {
    if (this.settled) return;
    const length = this.length + chunk.length;
    if (length > this.lane.maxResponseBytes) return this.fail(tooLargeError(this.lane.maxResponseBytes));
    this.length = length;
    if (this.first === undefined) this.first = chunk;
    else (this.rest ??= [this.first]).push(chunk);
  }

  protected responseEnd(): void {
    if (!this.settled) this.answer();
    this.lane.release(this);
  }

  /** Decodes inside the attempt: the timeout stays watched until the answer is a string or the attempt has failed. */
  private answer(): void {
    const { first, rest, status, headers, length } = this;
    let body: string;
    try {
      body = rest !== undefined ? Buffer.concat(rest, length).toString('utf8') : first !== undefined ? first.toString('utf8') : '';
    } catch (cause) {
      // Past V8's string limit, or out of memory for the copy. Nothing of the body goes into the error.
      this.fail(new ProtocolError("The gateway's answer could not be decoded as text", { retryable: true, cause }));
      return;
    }
    this.settle();
    this.resolve({ status, headers, body });
  }

  protected responseError(err: Error): void {
    if (!this.settled) {
      this.settle();
      this.reject(toTransportError(err, this.status !== 0));
    }
    this.lane.release(this);
  }
}

/** undici's own header parser, kept when the module loads (an attempt on the transport's own pool runs after that). */
let parseRawHeaders: ((headers: Buffer[]) => Record<string, string | string[] | undefined>) | undefined;

/**
 * A `send` attempt on the transport's own pool, as the handler undici's pool calls itself (onConnect, onHeaders,
 * onData, onComplete, onError). The newer handler interface (onRequestStart…) reaches the pool only through an adapter
 * undici makes per request, which wraps the abort function in a controller object and parses the (empty) trailers:
 * measured over a real socket against a gateway process, in alternating runs on a busy machine, that adapter cost
 * between 1 and 7% of a check's client CPU. A `stream` attempt keeps the newer interface: it pauses the connection
 * through the controller, and a snapshot is not the hot path.
 */
class PoolAttempt extends Attempt {
  private abortWith: ((reason: Error) => void) | undefined = undefined;

  protected abortRequest(reason: Error): void {
    this.abortWith?.(reason);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.connect();
    this.abortWith = abort;
  }

  onHeaders(statusCode: number, headers: Buffer[]): boolean {
    this.responseStart(statusCode, parseRawHeaders!(headers));
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.responseData(chunk);
    return true;
  }

  onComplete(): void {
    this.responseEnd();
  }

  onError(err: Error): void {
    this.responseError(err);
  }
}

/** A `send` attempt on a dispatcher the integrator gave: the handler interface undici documents for dispatchers. */
class DispatcherAttempt extends Attempt {
  private controller: Dispatcher.DispatchController | undefined = undefined;

  protected abortRequest(reason: Error): void {
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.connect();
    this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.responseStart(statusCode, headers);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.responseData(chunk);
  }

  onResponseEnd(): void {
    this.responseEnd();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    this.responseError(err);
  }
}

/** Body bytes received and not yet read past which the connection is paused until the reader catches up. */
const STREAM_HIGH_WATER = 1024 * 1024;
/** A paused connection resumes once the bytes not yet read are fewer than this. */
const STREAM_LOW_WATER = 256 * 1024;

/** A streaming body: an iterator over the attempt's parts, for one reader. */
function bodyOf(attempt: StreamAttempt): AsyncIterable<Uint8Array> {
  const iterator: AsyncIterableIterator<Uint8Array> = {
    next: () => attempt.read(),
    return: () => attempt.cancel(),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** A body read whole, handed over as the one part of a streamed answer. */
async function* onePart(body: Buffer): AsyncGenerator<Uint8Array, void, undefined> {
  if (body.length > 0) yield body;
}

/**
 * One streamed attempt (`transport.stream`): the undici handler, the abort listener, its entry in the transport's
 * AttemptClock, the queue entry and, once a 2xx answer's headers are in, the iterator of its body, in one object.
 *
 * Until the headers arrive it behaves as {@link Attempt} (the same timeout, abort and queue rules). A 2xx body then
 * streams: parts wait here until the reader takes them, and past {@link STREAM_HIGH_WATER} bytes unread the
 * connection is paused (TCP pushes back on the gateway), so memory stays bounded however large the answer and however
 * slow its reader. undici's body timeout is the idle timeout: it counts only while the connection is not paused, so
 * a slow reader never looks like a silent gateway. Any other status is read whole and bounded by `maxResponseBytes`,
 * as `send` reads it.
 */
class StreamAttempt implements LaneEntry {
  resolve!: (response: StreamedResponse) => void;
  reject!: (reason: Error) => void;
  /** The answer's promise has settled: a 2xx's headers, the whole of another answer, or a failure. */
  settled = false;
  dispatched = false;
  queued: Dispatcher.DispatchOptions | undefined = undefined;
  prev: LaneEntry | undefined = undefined;
  next: LaneEntry | undefined = undefined;
  expiresAt = 0;
  timed = false;
  timerPrev: LaneEntry | undefined = undefined;
  timerNext: LaneEntry | undefined = undefined;
  flightPrev: LaneEntry | undefined = undefined;
  flightNext: LaneEntry | undefined = undefined;
  controller: Dispatcher.DispatchController | undefined = undefined;
  abortedWith: Error | undefined = undefined;
  status = 0;
  headers: Record<string, string | undefined> = {};
  /** A non-2xx body, read whole. */
  parts: Buffer[] = [];
  length = 0;
  /** A 2xx answer: its body streams to the reader. */
  streaming = false;
  /** Parts received and not yet read, and their bytes. */
  chunks: Buffer[] = [];
  buffered = 0;
  /** undici is done with the body (its end, or an error). */
  finished = false;
  /** Why the body ended early, thrown to the reader after the parts received before it. */
  failure: Error | undefined = undefined;
  /** Nothing more goes to the reader: it read the end or the failure, left the loop, or the attempt was given up. */
  closed = false;
  /** The reader waiting for the next part. */
  waiting: { resolve: (result: IteratorResult<Uint8Array>) => void; reject: (reason: Error) => void } | undefined = undefined;

  constructor(
    readonly lane: Lane,
    readonly signal: AbortSignal | undefined,
    readonly timeoutMs: number,
    readonly idleTimeoutMs: number,
  ) {}

  private detach(): void {
    if (this.signal !== undefined) removeAbortListener(this.signal, this);
  }

  fail(reason: Error): void {
    if (this.settled) return this.stop(reason, true);
    this.settled = true;
    this.closed = true;
    this.lane.clock.unwatch(this);
    this.detach();
    this.parts = [];
    this.reject(reason);
    if (this.queued !== undefined) this.lane.leave(this);
    else if (this.controller !== undefined) this.controller.abort(reason);
    else if (this.dispatched) this.abortedWith = reason;
  }

  /** Ends a streaming body early: the parts not read are dropped, and the reader gets `reason` when `tell`. */
  private stop(reason: Error, tell: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
    this.chunks = [];
    this.buffered = 0;
    if (!this.finished) this.controller?.abort(reason);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!tell) return waiting?.resolve({ value: undefined, done: true });
    if (waiting !== undefined) waiting.reject(reason);
    else this.failure = reason;
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    if (this.signal !== undefined) this.fail(abortReason(this.signal));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.abortedWith !== undefined) throw this.abortedWith;
    this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.settled) return;
    this.status = statusCode;
    this.headers = joinedHeaders(headers);
    if (statusCode >= 200 && statusCode < 300) {
      this.settled = true;
      this.streaming = true;
      this.lane.clock.unwatch(this);
      this.resolve({ status: statusCode, headers: this.headers, body: bodyOf(this) });
      return;
    }
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) > this.lane.maxResponseBytes) this.fail(tooLargeError(this.lane.maxResponseBytes));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.streaming) {
      if (this.closed) return;
      const waiting = this.waiting;
      if (waiting !== undefined) {
        this.waiting = undefined;
        return waiting.resolve({ value: chunk, done: false });
      }
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered > STREAM_HIGH_WATER && !controller.paused) controller.pause();
      return;
    }
    if (this.settled) return;
    const length = this.length + chunk.length;
    if (length > this.lane.maxResponseBytes) return this.fail(tooLargeError(this.lane.maxResponseBytes));
    this.length = length;
    this.parts.push(chunk);
  }

  onResponseEnd(): void {
    if (this.streaming) {
      this.finished = true;
      const waiting = this.waiting;
      if (waiting !== undefined && !this.closed) {
        this.waiting = undefined;
        this.closed = true;
        this.detach();
        waiting.resolve({ value: undefined, done: true });
      }
    } else if (!this.settled) {
      let body: Buffer;
      try {
        body = Buffer.concat(this.parts, this.length);
      } catch (cause) {
        this.fail(new ProtocolError("The gateway's answer could not be read", { retryable: true, cause }));
        this.lane.release(this);
        return;
      }
      this.settled = true;
      this.closed = true;
      this.lane.clock.unwatch(this);
      this.detach();
      this.parts = [];
      this.resolve({ status: this.status, headers: this.headers, body: onePart(body) });
    }
    this.lane.release(this);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    if (!this.settled) {
      this.settled = true;
      this.closed = true;
      this.lane.clock.unwatch(this);
      this.detach();
      this.parts = [];
      this.reject(toTransportError(err, this.status !== 0));
    } else if (this.streaming && !this.closed) {
      this.finished = true;
      const code = (err as { code?: unknown }).code;
      const reason =
        code === 'UND_ERR_BODY_TIMEOUT'
          ? new TimeoutError(`The gateway sent no part of its answer for ${this.idleTimeoutMs} ms`, { scope: 'attempt', cause: err })
          : toTransportError(err, true);
      const waiting = this.waiting;
      if (waiting !== undefined) {
        this.waiting = undefined;
        this.closed = true;
        this.detach();
        waiting.reject(reason);
      } else this.failure = reason;
    }
    this.lane.release(this);
  }

  /** The reader pulls the next part; a pull may resume a paused connection. */
  read(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.chunks.shift();
    if (chunk !== undefined) {
      this.buffered -= chunk.length;
      if (this.buffered < STREAM_LOW_WATER && this.controller?.paused === true && !this.closed) this.controller.resume();
      return Promise.resolve({ value: chunk, done: false });
    }
    const failure = this.failure;
    if (failure !== undefined) {
      this.failure = undefined;
      this.closed = true;
      this.detach();
      return Promise.reject(failure);
    }
    if (this.closed || this.finished) {
      this.closed = true;
      this.detach();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** The reader left the loop: the rest of the answer is not read, and the connection is closed. */
  cancel(): Promise<IteratorResult<Uint8Array>> {
    this.stop(new AbortError('The reader stopped reading the answer'), false);
    return Promise.resolve({ value: undefined, done: true });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPem(value: unknown): value is string | Buffer {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

const SCOPE = 'httpTransport';

function positive(integer: boolean) {
  const problem = `must be a positive ${integer ? 'integer' : 'finite number'}`;
  return z
    .number({ error: problem })
    .refine((v) => Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v)), { error: problem })
    .optional();
}

const pem = z.custom<string | Buffer>(isPem, { error: 'must be PEM text (string or Buffer)' });

const tlsSchema = z.strictObject(
  {
    ca: z
      .custom<string | Buffer | Array<string | Buffer>>((ca) => isPem(ca) || (Array.isArray(ca) && ca.length > 0 && ca.every(isPem)), {
        error: 'must be PEM text (string or Buffer) or a list of them',
      })
      .optional(),
    cert: pem.optional(),
    key: pem.optional(),
    passphrase: z.string({ error: 'must be a string' }).optional(),
    servername: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }).optional(),
    rejectUnauthorized: z.boolean({ error: 'must be a boolean' }).optional(),
  } satisfies Record<keyof HttpTlsOptions, z.ZodType>,
  { error: 'must be an object' },
);

const httpOptionsSchema = z.strictObject({
  baseUrl: z.string({ error: 'is required and must be a string' }),
  token: z.custom<string>(isBearerToken, { error: 'must be a non-empty string of visible ASCII characters' }).optional(),
  headers: z.custom<Record<string, unknown>>(isRecord, { error: 'must be an object of strings' }).optional(),
  connections: positive(true),
  keepAliveTimeoutMs: positive(false),
  connectTimeoutMs: positive(false),
  tls: tlsSchema.optional(),
  maxResponseBytes: positive(true),
  dispatcher: z
    .custom<Dispatcher>((d) => typeof d === 'object' && d !== null && typeof (d as { dispatch?: unknown }).dispatch === 'function', {
      error: 'must be an undici Dispatcher (an object with a dispatch method)',
    })
    .optional(),
} satisfies Record<keyof HttpTransportOptions, z.ZodType>);

function readTls(tls: HttpTlsOptions): NonNullable<Pool.Options['connect']> & Record<string, unknown> {
  const connect: Record<string, unknown> = {};
  const { ca, cert, key, passphrase, servername, rejectUnauthorized } = tls;
  if (ca !== undefined) connect.ca = ca;
  if ((cert === undefined) !== (key === undefined)) throw optionError(SCOPE, 'tls.cert', 'and `tls.key` go together; give both for mutual TLS');
  if (cert !== undefined) {
    connect.cert = cert;
    connect.key = key;
  }
  if (passphrase !== undefined) connect.passphrase = passphrase;
  if (servername !== undefined) connect.servername = servername;
  if (rejectUnauthorized !== undefined) connect.rejectUnauthorized = rejectUnauthorized;
  return connect;
}

function readHeaders(headers: Record<string, unknown> | undefined, hasToken: boolean): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // A name that is no header name may be anything the caller had at hand: it is not repeated.
    if (!HEADER_NAME.test(name)) throw optionError(SCOPE, 'headers', 'holds a name that is not a valid header name');
    const lower = name.toLowerCase();
    // Headers the transport or undici own: setting them statically would break framing or keep-alive.
    if (Object.hasOwn(TRANSPORT_HEADERS, lower)) throw optionError(SCOPE, `headers.${lower}`, 'is set by the transport and may not be given');
    if (lower === 'authorization' && hasToken) throw optionError(SCOPE, 'token', 'and `headers.authorization` may not both be given');
    if (typeof value !== 'string' || !headerValue.test(value)) {
      throw optionError(SCOPE, `headers.${lower}`, 'must be a string without control characters');
    }
    result[lower] = value;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

/**
 * A {@link Transport} over HTTP/1.1 with keep-alive, for gateways that speak the borderlink wire protocol. It owns one
 * undici `Pool` for the gateway's origin (never the global dispatcher), so its connections, TLS identity and limits
 * belong to this client alone; or, with `dispatcher`, it sends through the undici `Dispatcher` you give (a proxy, a
 * `MockAgent`), which keeps its connections and stays open when the transport closes.
 *
 * At most `connections` requests are at the gateway at once; further attempts wait in the transport's own queue, in
 * order. An attempt aborted or timed out while it waits is removed and never sent.
 *
 * `close()` stops new sends, rejects the attempts still queued (not yet sent) with a {@link ConfigError}, aborts the
 * attempts in flight (they reject with a {@link ConfigError}; `client.close()` has settled their calls already) and
 * closes every connection of its own pool (a `dispatcher` you gave is left open); it is idempotent. A `send()` after `close()`
 * rejects with a {@link ConfigError} too: using a closed client is a mistake in the caller's code, not a network
 * failure, so it must neither be retried nor count against the gateway's circuit breaker.
 *
 * An answer over `maxResponseBytes`, or one that cannot be decoded as text, rejects with a retryable
 * {@link ProtocolError}; every HTTP status otherwise resolves.
 *
 * @throws {ConfigError} for an unknown option, a baseUrl that is not http(s) or holds credentials, a token with
 * characters that cannot go in a header, `tls` with an http URL, a number option that is not positive or out of
 * range, or `dispatcher` beside `tls`, `keepAliveTimeoutMs` or `connectTimeoutMs`. The message names the option,
 * never its value.
 * @example
 * ```ts
 * import { createClient, httpTransport } from 'borderlink';
 * const client = createClient({
 *   transport: httpTransport({ baseUrl: 'https://gateway.police.example/national/api', token: process.env.BORDERLINK_TOKEN }),
 *   context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' },
 * });
 * ```
 */
export function httpTransport(options: HttpTransportOptions): Transport {
  const given = parseOptions(SCOPE, httpOptionsSchema, options);
  const problem = baseUrlProblem(given.baseUrl);
  if (problem !== undefined) throw optionError(SCOPE, 'baseUrl', problem);
  const url = new URL(given.baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');

  const token = given.token;
  const authorization = token === undefined ? undefined : `Bearer ${token}`;
  const staticHeaders = readHeaders(given.headers, token !== undefined);

  const connections = given.connections ?? defaults.connections;
  const keepAliveTimeoutMs = given.keepAliveTimeoutMs ?? defaults.keepAliveTimeoutMs;
  const connectTimeoutMs = given.connectTimeoutMs ?? defaults.connectTimeoutMs;
  const maxResponseBytes = given.maxResponseBytes ?? defaults.maxResponseBytes;
  if (maxResponseBytes > maxResponseBytesLimit) {
    throw optionError(SCOPE, 'maxResponseBytes', `may be at most ${maxResponseBytesLimit} (256 MiB)`);
  }

  const dispatcher = given.dispatcher;
  if (dispatcher !== undefined) {
    // The dispatcher owns its connections; a second, silently ignored, TLS identity or timeout would be worse than none.
    for (const name of ['tls', 'keepAliveTimeoutMs', 'connectTimeoutMs'] as const) {
      if (given[name] !== undefined) {
        throw optionError(SCOPE, name, `cannot be given with \`dispatcher\`: set ${name === 'tls' ? 'TLS' : 'it'} on the dispatcher`);
      }
    }
  }

  let connect: Record<string, unknown> = {};
  if (given.tls !== undefined) {
    if (url.protocol !== 'https:') throw optionError(SCOPE, 'tls', 'needs an https: `baseUrl`');
    connect = readTls(given.tls);
  }

  const pool =
    dispatcher ??
    new LazyPool(url.origin, {
      connections,
      keepAliveTimeout: keepAliveTimeoutMs,
      connect: { ...connect, timeout: connectTimeoutMs },
    });
  const lane = new Lane(pool, connections, maxResponseBytes, dispatcher !== undefined, new AttemptClock());
  const origin = url.origin;
  let closing: Promise<void> | undefined;

  /**
   * The headers sent: the static ones, the request's over them, then the token over everything. The request's own
   * object goes to the transport's own pool as it is when nothing is to be added (undici only reads it); otherwise,
   * and always on an integrator's dispatcher (whose interceptors may edit what they are handed), a copy, so the
   * caller's object is never changed.
   */
  const headersOf = (request: TransportRequest): Record<string, string> => {
    const given = request.headers;
    const addType = request.body !== undefined && given['content-type'] === undefined;
    if (dispatcher === undefined && staticHeaders === undefined && authorization === undefined && !addType) return given;
    const headers: Record<string, string> = staticHeaders === undefined ? { ...given } : { ...staticHeaders, ...given };
    if (addType) headers['content-type'] = 'application/json';
    if (authorization !== undefined) headers.authorization = authorization;
    return headers;
  };

  const transport: Transport = {
    endpoint: url.origin + prefix,

    send(request: TransportRequest): Promise<TransportResponse> {
      if (closing !== undefined) return Promise.reject(closedError());
      const { signal, timeoutMs, body } = request;
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (!(timeoutMs > 0)) {
        return Promise.reject(new TimeoutError('The attempt had no time left', { scope: 'attempt' }));
      }

      const headers = headersOf(request);
      const attempt = dispatcher === undefined ? new PoolAttempt(lane, signal, timeoutMs) : new DispatcherAttempt(lane, signal, timeoutMs);
      const promise = new Promise<TransportResponse>((resolve, reject) => {
        attempt.resolve = resolve;
        attempt.reject = reject;
      });
      lane.clock.watch(attempt);
      if (signal !== undefined) addAbortListener(signal, attempt);
      lane.enter(attempt, { origin, path: prefix + request.path, method: request.method, headers, body });
      return promise;
    },

    stream(request: StreamRequest): Promise<StreamedResponse> {
      if (closing !== undefined) return Promise.reject(closedError());
      const { signal, timeoutMs, body } = request;
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (!(timeoutMs > 0)) {
        return Promise.reject(new TimeoutError('The attempt had no time left', { scope: 'attempt' }));
      }
      const idleTimeoutMs = request.idleTimeoutMs ?? defaults.idleTimeoutMs;
      if (!(typeof idleTimeoutMs === 'number' && idleTimeoutMs > 0)) {
        return Promise.reject(new ConfigError('httpTransport: stream() `idleTimeoutMs` must be a positive number of milliseconds'));
      }
      const attempt = new StreamAttempt(lane, signal, timeoutMs, idleTimeoutMs);
      const promise = new Promise<StreamedResponse>((resolve, reject) => {
        attempt.resolve = resolve;
        attempt.reject = reject;
      });
      lane.clock.watch(attempt);
      if (signal !== undefined) addAbortListener(signal, attempt);
      lane.enter(attempt, {
        origin,
        path: prefix + request.path,
        method: request.method,
        headers: headersOf(request),
        body,
        bodyTimeout: Math.min(idleTimeoutMs, maxTimerMs),
      });
      return promise;
    },

    close(): Promise<void> {
      if (closing === undefined) {
        // Attempts still queued have not reached the gateway: rejecting them lets close() end within the timeouts
        // of the attempts in flight, instead of sending every queued check first.
        lane.rejectQueued();
        // The client closes its transport only after it has settled every call in flight, so nobody waits on an
        // attempt still at the gateway: it is aborted rather than kept until the gateway answers or it times out.
        // An integrator's dispatcher is left open: only this transport's own requests on it are ended.
        closing = dispatcher === undefined ? pool.destroy() : lane.abortInFlight(closedError);
      }
      return closing;
    },
  };
  if (token !== undefined) Object.defineProperty(transport, TRANSPORT_SECRETS, { value: Object.freeze([token]) });
  KEEPS_HEADERS.add(transport);
  return transport;
}
