/**
 * The HTTP transport: one undici `Pool` per gateway origin, keep-alive, optional mutual TLS.
 * @module
 */
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { AbortError, BorderlinkError, ConfigError, ConnectionError, ProtocolError, TimeoutError } from '../errors/index';
import { TRANSPORT_SECRETS, type Transport, type TransportRequest, type TransportResponse } from './types';
import { addAbortListener, removeAbortListener } from '../internal/abort';

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
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /**
   * Client certificate chain for mutual TLS (PEM). Give it together with `key`.
   * @default none (no client certificate is presented)
   * @example cert: readFileSync('post-17.crt')
   */
  cert?: string | Buffer;
  /**
   * Private key of `cert` (PEM). Give it together with `cert`.
   * @default none
   * @example key: readFileSync('post-17.key')
   */
  key?: string | Buffer;
  /**
   * Passphrase of an encrypted `key`.
   * @default none
   * @example passphrase: process.env.BORDERLINK_KEY_PASSPHRASE
   */
  passphrase?: string;
  /**
   * Server name for SNI and certificate verification, when it differs from the host in `baseUrl`
   * (e.g. the gateway is reached by IP address).
   * @default the host of `baseUrl` (no SNI for an IP address)
   * @example servername: 'gateway.police.example'
   */
  servername?: string;
  /**
   * Whether to refuse a gateway certificate that does not verify. Set `false` only against a local test gateway:
   * it turns off the protection TLS exists for.
   * @default true
   * @example rejectUnauthorized: true
   */
  rejectUnauthorized?: boolean;
}

/**
 * Options of {@link httpTransport}. Unknown options are refused with a {@link ConfigError}.
 * @example
 * ```ts
 * const transport = httpTransport({
 *   baseUrl: 'https://gateway.police.example/national/api',
 *   token: process.env.BORDERLINK_TOKEN,
 *   tls: { ca, cert, key },
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
  token?: string;
  /**
   * Headers sent on every request. A request's own header of the same name wins. `host`, `connection`,
   * `content-length`, `transfer-encoding`, `keep-alive`, `upgrade` and `expect` are refused, and so is
   * `authorization` together with `token`.
   * @default {}
   * @example headers: { 'x-border-post': 'FRA-T1-17' }
   */
  headers?: Record<string, string>;
  /**
   * Most connections kept open to the gateway; further concurrent attempts wait in the pool's queue. National
   * gateways usually cap connections per client certificate, and a border post rarely has more than a few checks in
   * flight, so a small pool stays under the cap while keeping queueing rare.
   * @default 8
   * @example connections: 16
   */
  connections?: number;
  /**
   * How long an idle connection is kept for reuse (the gateway's `keep-alive: timeout=` hint may change it). Keep it
   * below the gateway's own idle timeout, so the client, not the server, closes idle connections.
   * @unit milliseconds
   * @default 4000
   * @example keepAliveTimeoutMs: 10_000
   */
  keepAliveTimeoutMs?: number;
  /**
   * How long opening a connection (TCP and TLS handshake) may take. Each attempt's own timeout still applies.
   * @unit milliseconds
   * @default 10000
   * @example connectTimeoutMs: 3000
   */
  connectTimeoutMs?: number;
  /**
   * TLS settings; only with an `https` baseUrl. Give `cert` and `key` for mutual TLS.
   * @default none (Node's root certificates, no client certificate)
   * @example tls: { ca: readFileSync('gateway-ca.pem'), cert: readFileSync('post.crt'), key: readFileSync('post.key') }
   */
  tls?: HttpTlsOptions;
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
  maxResponseBytes?: number;
}

const optionNames: Record<keyof HttpTransportOptions, true> = {
  baseUrl: true,
  token: true,
  headers: true,
  connections: true,
  keepAliveTimeoutMs: true,
  connectTimeoutMs: true,
  tls: true,
  maxResponseBytes: true,
};

const tlsOptionNames: Record<keyof HttpTlsOptions, true> = {
  ca: true,
  cert: true,
  key: true,
  passphrase: true,
  servername: true,
  rejectUnauthorized: true,
};

const defaults = { connections: 8, keepAliveTimeoutMs: 4000, connectTimeoutMs: 10_000, maxResponseBytes: 4 * 1024 * 1024 } as const;

/**
 * The most `maxResponseBytes` may be. UTF-8 never decodes to more UTF-16 units than it has bytes, so a capped body
 * always fits in a V8 string (about 512 Mi units on 64-bit); beyond a few MiB a gateway answer is a fault anyway.
 */
const maxResponseBytesLimit = 256 * 1024 * 1024;

/** Headers the transport or undici own; setting them statically would break framing or keep-alive. */
const refusedStaticHeaders = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;
const visibleAscii = /^[\x21-\x7e]+$/;

/** Node clamps longer timers to 1 ms; an attempt is never meant to wait that long anyway. */
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

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new AbortError();
}

function onAttemptTimeout(attempt: Attempt): void {
  attempt.fail(new TimeoutError(`The attempt timed out after ${attempt.timeoutMs} ms`, { scope: 'attempt' }));
}

/**
 * An answer over `maxResponseBytes`. A {@link ProtocolError} with `retryable: true`, as for a cut-off body: the
 * answer could not be read, which says nothing about what the gateway would answer next time. The message names the
 * option and the configured cap, never anything the gateway sent.
 */
function tooLargeError(maxResponseBytes: number): ProtocolError {
  return new ProtocolError(`The gateway's answer is larger than maxResponseBytes (${maxResponseBytes} bytes)`, { retryable: true });
}

/**
 * One attempt in flight: the undici handler, the abort listener (`handleEvent`) and the timer's argument in one
 * object. The hot path allocates this, the promise and its executor, and nothing else per call — measured: an
 * `AbortSignal` plus `Pool.request` per call cost about a third of the throughput.
 *
 * The promise settles exactly once, through `settle()`: on the decoded answer, on an error, on the timeout or on the
 * abort.
 */
class Attempt implements Dispatcher.DispatchHandler {
  resolve!: (response: TransportResponse) => void;
  reject!: (reason: Error) => void;
  settled = false;
  controller: Dispatcher.DispatchController | undefined = undefined;
  /** Why we gave up before undici handed us a controller; applied in `onRequestStart`. */
  abortedWith: Error | undefined = undefined;
  timer: NodeJS.Timeout | undefined = undefined;
  status = 0;
  headers: Record<string, string | undefined> = {};
  first: Buffer | undefined = undefined;
  rest: Buffer[] | undefined = undefined;
  length = 0;

  constructor(
    readonly maxResponseBytes: number,
    readonly signal: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {}

  /** Clears everything that could outlive the attempt. Every settle path goes through here first. */
  private settle(): void {
    this.settled = true;
    clearTimeout(this.timer);
    if (this.signal !== undefined) removeAbortListener(this.signal, this);
    this.first = undefined;
    this.rest = undefined;
  }

  fail(reason: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(reason);
    if (this.controller === undefined) this.abortedWith = reason;
    else this.controller.abort(reason);
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    if (this.signal !== undefined) this.fail(abortReason(this.signal));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.abortedWith !== undefined) controller.abort(this.abortedWith);
    else this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.settled) return;
    this.status = statusCode;
    // undici already lower-cases names; a repeated header arrives as an array.
    for (const name in headers) {
      const value = headers[name];
      if (typeof value !== 'string' && value !== undefined) headers[name] = value.join(', ');
    }
    this.headers = headers as Record<string, string | undefined>;
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) > this.maxResponseBytes) this.fail(tooLargeError(this.maxResponseBytes));
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    const length = this.length + chunk.length;
    if (length > this.maxResponseBytes) return this.fail(tooLargeError(this.maxResponseBytes));
    this.length = length;
    if (this.first === undefined) this.first = chunk;
    else (this.rest ??= [this.first]).push(chunk);
  }

  /** Decodes inside the attempt: the timer stays armed until the answer is a string or the attempt has failed. */
  onResponseEnd(): void {
    if (this.settled) return;
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

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(toTransportError(err, this.status !== 0));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuseUnknown(given: Record<string, unknown>, known: Record<string, true>, prefix: string): void {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(known, name)) throw new ConfigError(`httpTransport: unknown option \`${prefix}${name}\``);
  }
}

function positiveNumber(value: unknown, name: string, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new ConfigError(`httpTransport: \`${name}\` must be a positive ${integer ? 'integer' : 'finite number'}`);
  }
  return value;
}

function isPem(value: unknown): boolean {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function readTls(tls: unknown): NonNullable<Pool.Options['connect']> & Record<string, unknown> {
  if (!isRecord(tls)) throw new ConfigError('httpTransport: `tls` must be an object');
  refuseUnknown(tls, tlsOptionNames, 'tls.');
  const connect: Record<string, unknown> = {};
  const { ca, cert, key, passphrase, servername, rejectUnauthorized } = tls;
  if (ca !== undefined) {
    if (!(isPem(ca) || (Array.isArray(ca) && ca.length > 0 && ca.every(isPem)))) {
      throw new ConfigError('httpTransport: `tls.ca` must be PEM text (string or Buffer) or a list of them');
    }
    connect.ca = ca;
  }
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError('httpTransport: `tls.cert` and `tls.key` go together; give both for mutual TLS');
  }
  if (cert !== undefined) {
    if (!isPem(cert)) throw new ConfigError('httpTransport: `tls.cert` must be PEM text (string or Buffer)');
    if (!isPem(key)) throw new ConfigError('httpTransport: `tls.key` must be PEM text (string or Buffer)');
    connect.cert = cert;
    connect.key = key;
  }
  if (passphrase !== undefined) {
    if (typeof passphrase !== 'string') throw new ConfigError('httpTransport: `tls.passphrase` must be a string');
    connect.passphrase = passphrase;
  }
  if (servername !== undefined) {
    if (typeof servername !== 'string' || servername === '') throw new ConfigError('httpTransport: `tls.servername` must be a non-empty string');
    connect.servername = servername;
  }
  if (rejectUnauthorized !== undefined) {
    if (typeof rejectUnauthorized !== 'boolean') throw new ConfigError('httpTransport: `tls.rejectUnauthorized` must be a boolean');
    connect.rejectUnauthorized = rejectUnauthorized;
  }
  return connect;
}

function readHeaders(headers: unknown, hasToken: boolean): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (!isRecord(headers)) throw new ConfigError('httpTransport: `headers` must be an object of strings');
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!headerName.test(name)) throw new ConfigError('httpTransport: `headers` holds a name that is not a valid header name');
    const lower = name.toLowerCase();
    if (refusedStaticHeaders.has(lower)) throw new ConfigError(`httpTransport: \`headers.${lower}\` is set by the transport and may not be given`);
    if (lower === 'authorization' && hasToken) {
      throw new ConfigError('httpTransport: give either `token` or `headers.authorization`, not both');
    }
    if (typeof value !== 'string' || !headerValue.test(value)) {
      throw new ConfigError(`httpTransport: \`headers.${lower}\` must be a string without control characters`);
    }
    result[lower] = value;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

/**
 * A {@link Transport} over HTTP/1.1 with keep-alive, for gateways that speak the borderlink wire protocol. It owns one
 * undici `Pool` for the gateway's origin (never the global dispatcher), so its connections, TLS identity and limits
 * belong to this client alone.
 *
 * `close()` stops new sends and waits for attempts in flight to finish (each is bounded by its own timeout); it is
 * idempotent. A `send()` after `close()` rejects with a {@link ConfigError}: using a closed client is a mistake in the
 * caller's code, not a network failure, so it must neither be retried nor count against the gateway's circuit breaker.
 *
 * An answer over `maxResponseBytes`, or one that cannot be decoded as text, rejects with a retryable
 * {@link ProtocolError}; every HTTP status otherwise resolves.
 *
 * @throws {ConfigError} for an unknown option, a baseUrl that is not http(s) or holds credentials, a token with
 * characters that cannot go in a header, or `tls` with an http URL. The message names the option, never its value.
 * @example
 * ```ts
 * import { createClient, httpTransport } from 'borderlink';
 * const client = createClient({
 *   transport: httpTransport({ baseUrl: 'https://gateway.police.example/national/api', token: process.env.BORDERLINK_TOKEN }),
 * });
 * ```
 */
export function httpTransport(options: HttpTransportOptions): Transport {
  if (!isRecord(options)) throw new ConfigError('httpTransport: options must be an object');
  refuseUnknown(options, optionNames, '');

  if (typeof options.baseUrl !== 'string') throw new ConfigError('httpTransport: `baseUrl` is required and must be a string');
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new ConfigError('httpTransport: `baseUrl` is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('httpTransport: `baseUrl` must be an http: or https: URL');
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError('httpTransport: `baseUrl` must not hold credentials; use `token` or `tls` instead');
  }
  if (url.search !== '' || url.hash !== '') throw new ConfigError('httpTransport: `baseUrl` must not hold a query or fragment');
  const prefix = url.pathname.replace(/\/+$/, '');

  const token = options.token;
  if (token !== undefined && (typeof token !== 'string' || !visibleAscii.test(token))) {
    throw new ConfigError('httpTransport: `token` must be a non-empty string of visible ASCII characters');
  }
  const authorization = token === undefined ? undefined : `Bearer ${token}`;
  const staticHeaders = readHeaders(options.headers, token !== undefined);

  const connections = positiveNumber(options.connections, 'connections', defaults.connections, true);
  const keepAliveTimeoutMs = positiveNumber(options.keepAliveTimeoutMs, 'keepAliveTimeoutMs', defaults.keepAliveTimeoutMs, false);
  const connectTimeoutMs = positiveNumber(options.connectTimeoutMs, 'connectTimeoutMs', defaults.connectTimeoutMs, false);
  const maxResponseBytes = positiveNumber(options.maxResponseBytes, 'maxResponseBytes', defaults.maxResponseBytes, true);
  if (maxResponseBytes > maxResponseBytesLimit) {
    throw new ConfigError(`httpTransport: \`maxResponseBytes\` may be at most ${maxResponseBytesLimit} (256 MiB)`);
  }

  let connect: Record<string, unknown> = {};
  if (options.tls !== undefined) {
    if (url.protocol !== 'https:') throw new ConfigError('httpTransport: `tls` needs an https: `baseUrl`');
    connect = readTls(options.tls);
  }

  const pool = new Pool(url.origin, {
    connections,
    keepAliveTimeout: keepAliveTimeoutMs,
    connect: { ...connect, timeout: connectTimeoutMs },
  });
  let closing: Promise<void> | undefined;

  const transport: Transport = {
    endpoint: url.origin + prefix,

    send(request: TransportRequest): Promise<TransportResponse> {
      if (closing !== undefined) return Promise.reject(closedError());
      const { signal, timeoutMs, body } = request;
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (!(timeoutMs > 0)) {
        return Promise.reject(new TimeoutError('The attempt had no time left', { scope: 'attempt' }));
      }

      const headers: Record<string, string> = staticHeaders === undefined ? { ...request.headers } : { ...staticHeaders, ...request.headers };
      if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
      if (authorization !== undefined) headers.authorization = authorization;

      const attempt = new Attempt(maxResponseBytes, signal, timeoutMs);
      const promise = new Promise<TransportResponse>((resolve, reject) => {
        attempt.resolve = resolve;
        attempt.reject = reject;
      });
      attempt.timer = setTimeout(onAttemptTimeout, Math.min(timeoutMs, maxTimerMs), attempt);
      if (signal !== undefined) addAbortListener(signal, attempt);
      pool.dispatch({ path: prefix + request.path, method: request.method, headers, body }, attempt);
      return promise;
    },

    close(): Promise<void> {
      closing ??= pool.close();
      return closing;
    },
  };
  if (token !== undefined) Object.defineProperty(transport, TRANSPORT_SECRETS, { value: Object.freeze([token]) });
  return transport;
}
