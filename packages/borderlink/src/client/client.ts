import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AuditEvent, AuditSubject } from '../audit/index';
import { AbortError, BorderlinkError, ConfigError, ProtocolError } from '../errors/index';
import { canonicalJson, hashKeyFrom, keyedHash } from '../internal/hash';
import { optionName } from '../internal/option-name';
import { createLevelledLogger, type LevelledLogger } from '../internal/logger';
import { parseBody } from '../protocol/body';
import { readCheckAnswer } from '../protocol/check-answer';
import {
  HEADERS,
  PATHS,
  reportResponseSchema,
  withdrawalResponseSchema,
  type CheckItemResponse,
  type CheckRequestBody,
  type CheckResponse,
} from '../protocol/wire';
import { runBatch, type BatchHost, type BatchItem, type BatchOptions, type BatchOutcome } from '../queries/batch';
import { answersByItem } from '../queries/items';
import { buildCheckResult, finishResult, type PreparedCheck } from '../queries/results';
import { parseMrz, type ParsedMrz } from '../mrz/index';
import { MRZ_SOURCES, searchFromMrz, type MrzBatchItem, type MrzSearch, type MrzCheckOptions, type MrzCheckResult } from '../queries/mrz-check';
import type {
  CheckResult,
  DocumentQuery,
  PersonQuery,
  QueryContext,
  Source,
  Subject,
  VehicleQuery,
} from '../queries/types';
import {
  assertSourcesFit,
  defaultSources,
  inputError,
  documentQuerySchema,
  parseContext,
  parseInput,
  parseSubjects,
  personQuerySchema,
  sourcesSchema,
  vehicleQuerySchema,
} from '../queries/validate';
import {
  documentReportSchema,
  idempotencyKeySchema,
  withdrawalSchema,
  type DocumentReport,
  type ReportResult,
  type WithdrawalRequest,
  type WithdrawalResult,
} from '../reports/index';
import {
  createCheckCache,
  createDeduper,
  createExecutor,
  resolveCallOptions,
  resolveResilienceOptions,
  type CheckCache,
  type ResilienceEvent,
  type ResolvedResilience,
} from '../resilience/index';
import type { CallSpec, Executor } from '../resilience/types';
import { TRANSPORT_SECRETS, type Transport } from '../transport/types';
import { VERSION } from '../version';
import type { CallOptions, ClientOptions, WriteOptions } from './options';

/**
 * A combined check of several subjects in one request.
 * @example
 * ```ts
 * await client.check({
 *   subjects: [
 *     { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' },
 *     { kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12' },
 *   ],
 *   sources: ['SLTD', 'NOMINAL'],
 * });
 * ```
 */
export interface CheckRequest {
  subjects: Subject[];
  /** @default the sources for the subjects' kinds: document → SLTD, TDAWN; person → NOMINAL; vehicle → SMV */
  sources?: Source[];
}

/** Events a client emits, for observability. None holds personal data. */
export type ClientEvent = ResilienceEvent;
/** The names of {@link ClientEvent}s. */
export type ClientEventType = ClientEvent['type'];

/** The client. Create it once per gateway and reuse it: it keeps connections, the breaker and the cache. */
export interface BorderlinkClient {
  /**
   * Checks a travel document in SLTD and TDAWN.
   * @example
   * ```ts
   * const result = await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
   * ```
   */
  checkDocument(document: DocumentQuery, options?: CallOptions): Promise<CheckResult>;
  /**
   * Checks a person in NOMINAL (wanted persons).
   * @example
   * ```ts
   * await client.checkPerson({ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12', sex: 'F', nationality: 'UTO' });
   * ```
   */
  checkPerson(person: PersonQuery, options?: CallOptions): Promise<CheckResult>;
  /**
   * Checks a vehicle in SMV, by VIN or by plate and registration country.
   * @example
   * ```ts
   * await client.checkVehicle({ vin: 'WVWZZZ1JZXW000001' });
   * ```
   */
  checkVehicle(vehicle: VehicleQuery, options?: CallOptions): Promise<CheckResult>;
  /**
   * Parses an MRZ (as the lines, or one string of OCR text) and checks the document in SLTD and TDAWN and its holder
   * in NOMINAL, in one request. An invalid MRZ is refused with an `MrzError` unless `allowInvalidMrz` is set.
   * @example
   * ```ts
   * const result = await client.checkMrz([
   *   'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
   *   'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
   * ]);
   * console.log(result.verdict, result.mrz.corrections);
   * ```
   */
  checkMrz(input: string | readonly string[], options?: CallOptions & MrzCheckOptions): Promise<MrzCheckResult>;
  /** Checks several subjects in one request; see {@link CheckRequest}. */
  check(request: CheckRequest, options?: CallOptions): Promise<CheckResult>;
  /**
   * Screens many rows (a passenger manifest, a registry) in batches of `POST /v1/checks`, streaming: rows are pulled
   * from `items` (an array, iterable or async iterable) only as fast as batches go out, and answers come back as
   * they complete (or in input order with `ordered: true`). Every input id comes out exactly once, with a result or
   * an error; a batch that fails after its retries marks its own rows as errors and the rest go on.
   * @example
   * ```ts
   * for await (const row of client.checkMany(passengers, { batchSize: 100, concurrency: 4 })) {
   *   if (row.error) flagForManualCheck(row.id, row.error.code);
   *   else if (!isClear(row.result)) flagForSecondLine(row.id, row.result);
   * }
   * ```
   */
  checkMany(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options?: BatchOptions): AsyncIterable<BatchOutcome>;
  /**
   * {@link BorderlinkClient.checkMany} for rows that are MRZs (a bulk scan, a manifest with an MRZ column): each row
   * is parsed and checked like `checkMrz`; a row whose MRZ is invalid comes out with its `MrzError` and is not sent,
   * unless `allowInvalidMrz` is set.
   * @example
   * ```ts
   * for await (const row of client.checkManyMrz([{ id: 'scan-1', mrz: [line1, line2] }])) console.log(row.id, row.result?.verdict);
   * ```
   */
  checkManyMrz(items: Iterable<MrzBatchItem> | AsyncIterable<MrzBatchItem>, options?: BatchOptions & MrzCheckOptions): AsyncIterable<BatchOutcome<MrzCheckResult>>;
  /**
   * Reports a document the authority's state issued as lost, stolen or revoked. Sent with one idempotency key on
   * every attempt.
   */
  reportDocument(report: DocumentReport, options?: WriteOptions): Promise<ReportResult>;
  /** Withdraws a report (the document was recovered, or reported in error). */
  withdrawReport(request: WithdrawalRequest, options?: WriteOptions): Promise<WithdrawalResult>;
  /**
   * Listens to an event; returns a function that stops listening.
   * @example
   * ```ts
   * const off = client.on('retry', (e) => metrics.increment('gateway.retry', { code: e.errorCode }));
   * ```
   */
  on<T extends ClientEventType>(type: T, listener: (event: Extract<ClientEvent, { type: T }>) => void): () => void;
  /** The client's cache of complete answers (empty and unused unless `cache` TTLs are set). */
  readonly cache: { clear(): void; readonly size: number };
  /** Releases connections and timers. Calls made after it reject. */
  close(): Promise<void>;
}

const contextKeys = new Set(['authorityId', 'operatorId', 'purpose', 'locationId']);
const callKeys = new Set(['context', 'signal', 'timeoutMs', 'attemptTimeoutMs', 'sources']);
const writeKeys = new Set(['context', 'signal', 'timeoutMs', 'attemptTimeoutMs', 'idempotencyKey']);
const logLevels = new Set(['off', 'error', 'warn', 'info', 'debug']);

function assertTransport(value: unknown): asserts value is Transport {
  const t = value as Partial<Transport> | undefined;
  if (typeof t !== 'object' || t === null || typeof t.send !== 'function' || typeof t.close !== 'function' || typeof t.endpoint !== 'string') {
    throw new ConfigError('Option transport must be a Transport (endpoint, send, close)');
  }
}

function assertContextShape(value: unknown, where: string): asserts value is Partial<QueryContext> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`Option ${where} must be an object`);
  for (const key of Object.keys(value)) {
    if (!contextKeys.has(key)) throw new ConfigError(`Option ${where}.${optionName(key)} is not a known context field`);
  }
}

function checkCallOptions(options: object | undefined, allowed: Set<string>, resilience: ResolvedResilience): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw new ConfigError('Call options must be an object');
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) throw new ConfigError(`Call option ${optionName(key)} is not known`);
  }
  const o = options as CallOptions;
  if (o.context !== undefined) assertContextShape(o.context, 'context');
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new ConfigError('Call option signal must be an AbortSignal');
  resolveCallOptions(o, resilience);
}

/**
 * Creates a client. Options are checked at once: an unknown or wrong option throws a {@link ConfigError}.
 * @example
 * ```ts
 * import { createClient, httpTransport } from 'borderlink';
 * const client = createClient({
 *   transport: httpTransport({ baseUrl: 'https://gateway.example', token: process.env.GATEWAY_TOKEN }),
 *   context: { authorityId: 'MDA-BPOL', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' },
 * });
 * const result = await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
 * await client.close();
 * ```
 */
export function createClient(options: ClientOptions): BorderlinkClient {
  if (typeof options !== 'object' || options === null) throw new ConfigError('createClient needs an options object');
  const { transport, context, onAudit, logLevel = 'off', logger, privacy = {}, ...resilienceInput } = options;
  assertTransport(transport);
  if (context === undefined) throw new ConfigError('Option context is required (authorityId, operatorId, purpose)');
  assertContextShape(context, 'context');
  if (onAudit !== undefined && typeof onAudit !== 'function') throw new ConfigError('Option onAudit must be a function');
  if (!logLevels.has(logLevel)) throw new ConfigError('Option logLevel must be off, error, warn, info or debug');
  if (typeof privacy !== 'object' || privacy === null) throw new ConfigError('Option privacy must be an object');
  for (const key of Object.keys(privacy)) {
    if (key !== 'hashKey' && key !== 'includePersonalData') throw new ConfigError(`Option privacy.${optionName(key)} is not known`);
  }
  if (privacy.hashKey !== undefined && typeof privacy.hashKey !== 'string' && !(privacy.hashKey instanceof Uint8Array)) {
    throw new ConfigError('Option privacy.hashKey must be a string or a Uint8Array');
  }
  if (logger !== undefined && logger !== null && !isLogger(logger)) throw new ConfigError('Option logger must have error, warn, info and debug functions');
  // Everything else must be a resilience option: resolveResilienceOptions refuses unknown ones by name.
  const resolved = resolveResilienceOptions(resilienceInput);
  return new Client(transport, { ...context }, resolved, {
    onAudit,
    log: createLevelledLogger(logLevel, logger ?? console, secretsOf(transport)),
    hashKey: hashKeyFrom(privacy.hashKey),
    includePersonalData: privacy.includePersonalData === true,
  });
}

function isLogger(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const l = value as Record<string, unknown>;
  return typeof l.error === 'function' && typeof l.warn === 'function' && typeof l.info === 'function' && typeof l.debug === 'function';
}

function secretsOf(transport: Transport): string[] {
  const listed = (transport as { [TRANSPORT_SECRETS]?: unknown })[TRANSPORT_SECRETS];
  return Array.isArray(listed) ? listed.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
}

interface ClientInternals {
  onAudit: ((event: AuditEvent) => void) | undefined;
  log: LevelledLogger;
  hashKey: Uint8Array;
  includePersonalData: boolean;
}


const userAgent = `borderlink/${VERSION}`;
const SINGLE_ITEM: readonly string[] = Object.freeze(['1']);
const EVENT_TYPES: ReadonlySet<string> = new Set<ClientEventType>(['request', 'response', 'retry', 'hedge', 'breaker']);

/** A check answer with each asked item's answer found by id. */
interface CheckAnswer {
  response: CheckResponse;
  byItem: Map<string, CheckItemResponse>;
}

class Client implements BorderlinkClient {
  readonly #transport: Transport;
  readonly #context: Partial<QueryContext>;
  readonly #resilience: ResolvedResilience;
  readonly #internals: ClientInternals;
  readonly #executor: Executor;
  readonly #cache: CheckCache | undefined;
  #dedupe: ReturnType<typeof createDeduper> | undefined;
  readonly #listeners = new Map<string, Set<(event: ClientEvent) => void>>();
  #closed = false;
  /** Moves when a write starts or ends: an answer read across a report may be stale, so it is not cached. */
  #writeEpoch = 0;
  #writesInFlight = 0;
  #validContext: QueryContext | undefined;

  constructor(transport: Transport, context: Partial<QueryContext>, resilience: ResolvedResilience, internals: ClientInternals) {
    this.#transport = transport;
    this.#context = context;
    this.#resilience = resilience;
    this.#internals = internals;
    this.#executor = createExecutor(transport, resilience, { emit: (event) => this.#emit(event) });
    this.#cache = createCheckCache(resilience, internals.hashKey);
    this.#dedupe = resilience.dedupe ? createDeduper(resilience.clock) : undefined;
  }

  get cache() {
    const cache = this.#cache;
    return {
      clear: () => cache?.clear(),
      get size() {
        return cache?.size ?? 0;
      },
    };
  }

  on<T extends ClientEventType>(type: T, listener: (event: Extract<ClientEvent, { type: T }>) => void): () => void {
    if (!EVENT_TYPES.has(type)) throw new ConfigError('client.on: the event type must be request, response, retry, hedge or breaker');
    if (typeof listener !== 'function') throw new ConfigError('client.on: the listener must be a function');
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    const l = listener as (event: ClientEvent) => void;
    set.add(l);
    return () => set.delete(l);
  }

  #emit(event: ClientEvent): void {
    const set = this.#listeners.get(event.type);
    if (set !== undefined) {
      for (const l of set) {
        try {
          l(event);
        } catch {
          // A listener's failure must not fail a border check.
        }
      }
    }
    const log = this.#internals.log;
    if (log.enabled('debug')) log.log('debug', event.type, event as unknown as Record<string, unknown>);
  }

  checkDocument(document: DocumentQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#checkOne(() => [{ kind: 'document', ...parseInput(documentQuerySchema, document) } as Subject], options);
  }

  checkPerson(person: PersonQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#checkOne(() => [{ kind: 'person', ...parseInput(personQuerySchema, person) } as Subject], options);
  }

  checkVehicle(vehicle: VehicleQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#checkOne(() => [{ kind: 'vehicle', ...parseInput(vehicleQuerySchema, vehicle) } as Subject], options);
  }

  check(request: CheckRequest, options?: CallOptions): Promise<CheckResult> {
    return this.#checkOne(() => {
      if (typeof request !== 'object' || request === null) return parseSubjects(undefined);
      return parseSubjects(request.subjects);
    }, options, request?.sources);
  }

  async checkMrz(input: string | readonly string[], options: CallOptions & MrzCheckOptions = {}): Promise<MrzCheckResult> {
    if (typeof options !== 'object' || options === null) throw new ConfigError('Call options must be an object');
    const { allowInvalidMrz, repair, referenceDate, ...callOptions } = options;
    if (allowInvalidMrz !== undefined && typeof allowInvalidMrz !== 'boolean') throw new ConfigError('Option allowInvalidMrz must be a boolean');
    if (typeof input !== 'string' && !Array.isArray(input)) {
      throw inputError([{ path: 'mrz', message: 'must be a string or an array of lines' }]);
    }
    let parsed: ReturnType<typeof parseMrz>;
    try {
      parsed = parseMrz(input, { ...(repair !== undefined ? { repair } : {}), ...(referenceDate !== undefined ? { referenceDate } : {}) });
    } catch (err) {
      throw new ConfigError(`Invalid MRZ options: ${(err as Error).message}`);
    }
    const result = await this.#checkOne(() => searchFromMrz(parsed, allowInvalidMrz === true), callOptions, callOptions.sources ?? [...MRZ_SOURCES]);
    return { ...result, mrz: parsed };
  }

  /** One check: `subjectsOf` gives the subjects, or (for an MRZ) the subjects and the sources they cannot be asked in. */
  async #checkOne(subjectsOf: () => Subject[] | MrzSearch, options: CallOptions | undefined, requestSources?: Source[]): Promise<CheckResult> {
    const started = performance.now();
    checkCallOptions(options, callKeys, this.#resilience);
    this.#assertOpen();
    const search = subjectsOf();
    const prepared = Array.isArray(search)
      ? this.#prepare(search, requestSources ?? options?.sources, options?.context)
      : this.#prepare(search.subjects, requestSources ?? options?.sources, options?.context, search.notAsked);
    const requestId = randomUUID();
    try {
      const result = await this.#runCheck(prepared, requestId, options, started);
      this.#audit('CHECK', prepared, { requestId, result });
      return result;
    } catch (err) {
      const error = this.#finishError(err, requestId, started);
      this.#audit('CHECK', prepared, { requestId, error });
      throw error;
    }
  }

  /**
   * Validates and merges what a check needs; throws InputError before anything is sent. Every source sent must have
   * a subject it can search; `notAsked` names requested sources the caller already knows it cannot ask (they are
   * left out of the request and read `NOT_ASKED`). @internal
   */
  #prepare(
    subjects: Subject[],
    sources: Source[] | undefined,
    callContext: Partial<QueryContext> | undefined,
    notAsked?: readonly Source[],
  ): PreparedCheck {
    const context = this.#contextFor(callContext);
    const explicit = sources !== undefined;
    const requested = explicit ? (parseInput(sourcesSchema, sources, 'sources') as Source[]) : defaultSources(subjects);
    if (notAsked === undefined || notAsked.length === 0) {
      assertSourcesFit(subjects, requested, explicit);
      return { context, subjects, sources: requested };
    }
    const chosen = requested.filter((s) => !notAsked.includes(s));
    if (chosen.length === 0) {
      throw inputError([{ path: 'sources', message: 'has no source left that can be asked' }]);
    }
    assertSourcesFit(subjects, chosen, false);
    return { context, subjects, sources: chosen, requested, notAsked };
  }

  async #runCheck(prepared: PreparedCheck, requestId: string, options: CallOptions | undefined, started: number): Promise<CheckResult> {
    const cache = this.#cache;
    const dedupe = this.#dedupe;
    const body: CheckRequestBody = {
      context: prepared.context,
      items: [{ itemId: '1', subjects: prepared.subjects, sources: prepared.sources }],
    };
    // Validated input comes out of zod in schema order, so equal queries give equal text.
    const bodyText = JSON.stringify(body);
    // Cache keys are keyed hashes: a cache outlives the request. The in-flight table may use the body itself, which
    // is in memory exactly as long as its entry.
    const key = cache !== undefined ? keyedHash(this.#internals.hashKey, bodyText) : dedupe !== undefined ? bodyText : undefined;
    const epoch = this.#writeEpoch;
    if (cache !== undefined && key !== undefined) {
      const cached = cache.get(key);
      if (cached !== undefined) {
        return finishResult(prepared, { ...cached, requestId, attempts: 0, durationMs: Math.round(performance.now() - started), servedFrom: 'cache' });
      }
    }
    const timing = resolveCallOptions(options, this.#resilience);
    const send = (signal?: AbortSignal) =>
      this.#executor.execute<CheckAnswer>(this.#readSpec(PATHS.checks, bodyText, requestId, SINGLE_ITEM, timing, signal ?? options?.signal));
    // A check that joined another's request answers with that request's x-request-id: it is the one the gateway saw.
    const { outcome, sentAs } =
      dedupe !== undefined && key !== undefined
        ? await dedupe.run(
            key,
            (signal) => send(signal).then((o) => ({ outcome: o, sentAs: requestId })),
            options?.signal,
            this.#resilience.clock.now() + timing.timeoutMs,
          )
        : { outcome: await send(), sentAs: requestId };
    const item = outcome.value.byItem.get('1')!;
    // The client's own id: the gateway's body id is its own field, checked, and never goes into the audit trail.
    const result = buildCheckResult(
      structuredCloneItem(item),
      prepared.sources,
      { requestId: sentAs, attempts: outcome.attempts, durationMs: Math.round(performance.now() - started) },
      outcome.value.response,
    );
    if (cache !== undefined && key !== undefined && epoch === this.#writeEpoch && this.#writesInFlight === 0) cache.set(key, result);
    return finishResult(prepared, result);
  }

  /** A check request; its answer is read inside the attempt, item ids included (see answersByItem). */
  #readSpec(
    path: string,
    body: string,
    requestId: string,
    askedIds: readonly string[],
    timing: { timeoutMs: number; attemptTimeoutMs: number },
    signal: AbortSignal | undefined,
  ): CallSpec<CheckAnswer> {
    return {
      kind: 'read',
      request: {
        method: 'POST',
        path,
        headers: {
          [HEADERS.contentType]: 'application/json',
          [HEADERS.requestId]: requestId,
          [HEADERS.userAgent]: userAgent,
        },
        body,
      },
      requestId,
      parse: (response) => {
        const parsed = readCheckAnswer(response);
        return { response: parsed, byItem: answersByItem(askedIds, parsed.items) };
      },
      timeoutMs: timing.timeoutMs,
      attemptTimeoutMs: timing.attemptTimeoutMs,
      signal,
    };
  }

  checkMany(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options: BatchOptions = {}): AsyncIterable<BatchOutcome> {
    if (typeof options !== 'object' || options === null) throw new ConfigError('checkMany options must be an object');
    if (items === null || typeof items !== 'object' || !(Symbol.iterator in items || Symbol.asyncIterator in items)) {
      throw new ConfigError('checkMany needs an iterable or async iterable of { id, subjects }');
    }
    this.#assertOpen();
    if (options.context !== undefined) assertContextShape(options.context, 'context');
    return runBatch(this.#batchHost, items, options);
  }

  checkManyMrz(
    items: Iterable<MrzBatchItem> | AsyncIterable<MrzBatchItem>,
    options: BatchOptions & MrzCheckOptions = {},
  ): AsyncIterable<BatchOutcome<MrzCheckResult>> {
    if (typeof options !== 'object' || options === null) throw new ConfigError('checkManyMrz options must be an object');
    const { allowInvalidMrz, repair, referenceDate, ...batchOptions } = options;
    if (allowInvalidMrz !== undefined && typeof allowInvalidMrz !== 'boolean') throw new ConfigError('Option allowInvalidMrz must be a boolean');
    if (items === null || typeof items !== 'object' || !(Symbol.iterator in items || Symbol.asyncIterator in items)) {
      throw new ConfigError('checkManyMrz needs an iterable or async iterable of { id, mrz }');
    }
    this.#assertOpen();
    if (batchOptions.context !== undefined) assertContextShape(batchOptions.context, 'context');
    const parseOptions = { ...(repair !== undefined ? { repair } : {}), ...(referenceDate !== undefined ? { referenceDate } : {}) };
    try {
      parseMrz('', parseOptions); // refuses bad parse options now, not once per row
    } catch (err) {
      throw new ConfigError(`Invalid MRZ options: ${(err as Error).message}`);
    }
    const host: BatchHost = {
      ...this.#batchHost,
      prepare: (item, context) => {
        const { mrz } = item as Partial<MrzBatchItem>;
        if (typeof mrz !== 'string' && !Array.isArray(mrz)) {
          throw inputError([{ path: 'mrz', message: 'must be a string or an array of lines' }]);
        }
        const parsed = parseMrz(mrz, parseOptions);
        const { subjects, notAsked } = searchFromMrz(parsed, allowInvalidMrz === true);
        return { prepared: this.#prepare(subjects, [...MRZ_SOURCES], context, notAsked), extra: parsed };
      },
      finish: (result, parsed) => ({ ...result, mrz: parsed as ParsedMrz }) as MrzCheckResult,
    };
    return runBatch<MrzBatchItem, MrzCheckResult>(host, items, batchOptions);
  }

  readonly #batchHost: BatchHost = {
    prepare: (item, context) => {
      const { subjects, sources } = item as Partial<BatchItem>;
      return { prepared: this.#prepare(parseSubjects(subjects), sources, context) };
    },
    send: async (context, items, options) => {
      const requestId = randomUUID();
      const body = JSON.stringify({ context, items } satisfies CheckRequestBody);
      const timing = resolveCallOptions(options, this.#resilience);
      const outcome = await this.#executor.execute<CheckAnswer>(
        this.#readSpec(PATHS.checks, body, requestId, items.map((i) => i.itemId), timing, options.signal),
      );
      return { response: outcome.value.response, byItem: outcome.value.byItem, attempts: outcome.attempts, requestId };
    },
    audit: (prepared, result, error, requestId) => {
      const log = this.#internals.log;
      if (error !== undefined && log.enabled('error')) log.log('error', 'batch row failed', { requestId, code: error.code, attempts: error.attempts });
      this.#audit('CHECK', prepared, { requestId, ...(result ? { result } : {}), ...(error ? { error } : {}) });
    },
  };

  async reportDocument(report: DocumentReport, options?: WriteOptions): Promise<ReportResult> {
    const { parsed, idempotencyKey } = this.#checkWrite(options, () => parseInput(documentReportSchema, report, 'report') as DocumentReport);
    const subject = { kind: 'document', documentNumber: parsed.documentNumber, issuingState: parsed.issuingState, documentType: parsed.documentType } as Subject;
    const { value, ...meta } = await this.#write(
      'REPORT',
      [subject],
      PATHS.documentReports,
      (context) => ({ context, report: parsed }),
      reportResponseSchema,
      options,
      idempotencyKey,
    );
    return { recordId: value.recordId, createdAt: value.createdAt, ...meta };
  }

  async withdrawReport(request: WithdrawalRequest, options?: WriteOptions): Promise<WithdrawalResult> {
    const { parsed, idempotencyKey } = this.#checkWrite(options, () => parseInput(withdrawalSchema, request) as WithdrawalRequest);
    const { value, ...meta } = await this.#write(
      'WITHDRAW',
      [],
      PATHS.withdrawal(parsed.recordId),
      (context) => ({ context, reason: parsed.reason }),
      withdrawalResponseSchema,
      options,
      idempotencyKey,
      parsed.recordId,
    );
    return { recordId: value.recordId, withdrawnAt: value.withdrawnAt, ...meta };
  }

  /**
   * Checks a write's options and input. The idempotency key is settled first, so that every error of the write,
   * even one refused before sending, says which key it was (and that nothing was stored).
   */
  #checkWrite<T>(options: WriteOptions | undefined, parse: () => T): { parsed: T; idempotencyKey: string } {
    const given = typeof options === 'object' && options !== null ? (options as { idempotencyKey?: unknown }).idempotencyKey : undefined;
    let idempotencyKey: string;
    try {
      checkCallOptions(options, writeKeys, this.#resilience);
      idempotencyKey = this.#idempotencyKey(options);
    } catch (err) {
      // Refused before sending: still say which key the caller gave, when it gave a usable one.
      if (typeof given === 'string' && idempotencyKeySchema.safeParse(given).success) writeError(err, given);
      throw err;
    }
    try {
      this.#assertOpen();
      return { parsed: parse(), idempotencyKey };
    } catch (err) {
      throw writeError(err, idempotencyKey);
    }
  }

  /** One write: validated context, one idempotency key and one request id on every attempt, one audit event. */
  async #write<S extends typeof reportResponseSchema | typeof withdrawalResponseSchema>(
    action: 'REPORT' | 'WITHDRAW',
    subjects: Subject[],
    path: string,
    bodyFor: (context: QueryContext) => unknown,
    schema: S,
    options: WriteOptions | undefined,
    idempotencyKey: string,
    recordId?: string,
  ): Promise<{ value: z.output<S>; replayed: boolean; idempotencyKey: string; requestId: string; attempts: number; durationMs: number }> {
    const started = performance.now();
    const requestId = randomUUID();
    let context: QueryContext;
    try {
      context = this.#contextFor(options?.context);
    } catch (err) {
      throw writeError(err, idempotencyKey);
    }
    const prepared = { context, subjects, sources: [] };
    // A report or withdrawal changes what checks answer: nothing cached before it, or read while it is in flight,
    // may be served after it.
    this.#writeMoves(1);
    try {
      const outcome = await this.#executor.execute({
        ...this.#writeSpec(path, bodyFor(context), requestId, idempotencyKey, options),
        parse: (response) => parseBody(response, schema, false) as z.output<S>,
      });
      const durationMs = Math.round(performance.now() - started);
      this.#audit(action, prepared, { requestId, recordId: outcome.value.recordId, attempts: outcome.attempts, durationMs });
      return {
        value: outcome.value,
        replayed: outcome.response.headers[HEADERS.idempotentReplayed] === 'true',
        idempotencyKey,
        requestId,
        attempts: outcome.attempts,
        durationMs,
      };
    } catch (err) {
      const error = this.#finishError(err, requestId, started);
      writeError(error, idempotencyKey);
      this.#audit(action, prepared, { requestId, ...(recordId !== undefined ? { recordId } : {}), error });
      throw error;
    } finally {
      this.#writeMoves(-1);
    }
  }


  #writeMoves(delta: 1 | -1): void {
    this.#writeEpoch++;
    // Checks from now on must not join one that started before the write: they get a table of their own, and the
    // requests already in flight finish in the old one.
    if (this.#dedupe !== undefined) this.#dedupe = createDeduper(this.#resilience.clock);
    this.#writesInFlight += delta;
    this.#cache?.clear();
  }

  #idempotencyKey(options: WriteOptions | undefined): string {
    if (options?.idempotencyKey === undefined) return randomUUID();
    return parseInput(idempotencyKeySchema, options.idempotencyKey, 'idempotencyKey') as string;
  }

  #writeSpec(path: string, body: unknown, requestId: string, idempotencyKey: string, options: WriteOptions | undefined) {
    return {
      kind: 'write' as const,
      request: {
        method: 'POST' as const,
        path,
        headers: {
          [HEADERS.contentType]: 'application/json',
          [HEADERS.requestId]: requestId,
          [HEADERS.idempotencyKey]: idempotencyKey,
          [HEADERS.userAgent]: userAgent,
        },
        body: JSON.stringify(body),
      },
      requestId,
      ...resolveCallOptions(options, this.#resilience),
      signal: options?.signal,
    };
  }

  /** The client's context is validated once; a call's own context is merged over it and validated each time. */
  #contextFor(callContext: Partial<QueryContext> | undefined): QueryContext {
    if (callContext !== undefined) return parseContext({ ...this.#context, ...callContext });
    return (this.#validContext ??= parseContext(this.#context));
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConfigError('The client is closed');
  }

  #finishError(err: unknown, requestId: string, started: number): BorderlinkError {
    const error =
      err instanceof BorderlinkError
        ? err
        : isAbort(err)
          ? new AbortError(undefined, { cause: err })
          : new ProtocolError('Unexpected failure while handling the answer', { cause: err });
    error.requestId ??= requestId;
    error.durationMs = Math.round(error.durationMs ?? performance.now() - started);
    const log = this.#internals.log;
    if (log.enabled('error')) log.log('error', 'call failed', { requestId: error.requestId, code: error.code, attempts: error.attempts });
    return error;
  }

  #audit(
    action: AuditEvent['action'],
    prepared: PreparedCheck,
    info: { requestId: string; result?: CheckResult; error?: BorderlinkError; recordId?: string; attempts?: number; durationMs?: number },
  ): void {
    const onAudit = this.#internals.onAudit;
    const log = this.#internals.log;
    if (log.enabled('info') && info.result !== undefined) {
      log.log('info', 'check', {
        requestId: info.result.requestId,
        verdict: info.result.verdict,
        attempts: info.result.attempts,
        durationMs: info.result.durationMs,
        servedFrom: info.result.servedFrom,
      });
    }
    if (onAudit === undefined) return;
    const { context } = prepared;
    const subjects: AuditSubject[] = prepared.subjects.map((s) => {
      const entry: AuditSubject = { kind: s.kind, hash: keyedHash(this.#internals.hashKey, canonicalJson(s)) };
      if (this.#internals.includePersonalData) entry.values = structuredClone(s);
      return entry;
    });
    const event: AuditEvent = {
      at: new Date().toISOString(),
      requestId: info.result?.requestId ?? info.requestId,
      action,
      authorityId: context.authorityId,
      operatorId: context.operatorId,
      purpose: context.purpose,
      ...(context.locationId !== undefined ? { locationId: context.locationId } : {}),
      subjects,
      // A copy: the default lists are shared constants, and the event is the integrator's to edit.
      ...(action === 'CHECK' ? { sources: [...prepared.sources] } : {}),
      ...(info.result !== undefined ? { verdict: info.result.verdict, servedFrom: info.result.servedFrom } : {}),
      outcome: info.error?.code ?? 'OK',
      hitIds: info.result?.hits.map((h) => h.hitId) ?? [],
      ...(info.recordId !== undefined ? { recordId: info.recordId } : {}),
      durationMs: info.result?.durationMs ?? info.durationMs ?? info.error?.durationMs ?? 0,
      attempts: info.result?.attempts ?? info.attempts ?? info.error?.attempts ?? 0,
    };
    try {
      onAudit(event);
    } catch {
      // The audit sink's failure is the integrator's to handle; it must not change the answer.
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#executor.close();
    await this.#transport.close();
  }
}

/**
 * Every write error says which key it was sent under and whether it may have been stored: the executor sets
 * `mayHaveBeenStored` for what it sent; anything refused before sending was not stored.
 */
function writeError(err: unknown, idempotencyKey: string): unknown {
  if (!(err instanceof BorderlinkError)) return err;
  err.idempotencyKey = idempotencyKey;
  err.mayHaveBeenStored ??= false;
  return err;
}

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** The shared answer of a de-duplicated call must not be mutated through one caller's result. */
function structuredCloneItem(item: CheckItemResponse): CheckItemResponse {
  // Outcomes and warnings need no copy: buildCheckResult makes new outcome objects and a new warnings list.
  return { ...item, hits: item.hits.length === 0 ? [] : structuredClone(item.hits) };
}
