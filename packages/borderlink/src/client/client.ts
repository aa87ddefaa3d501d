// The composition root: createClient checks the options and wires the parts; the class only hands each call to the
// part that does it. The path of a check: read.ts (prepare → cache/dedupe → execute → match items → result); a batch:
// batch.ts on the same request and item rule; MRZ: mrz.ts; writes: writes.ts with write-state.ts; audit and log
// lines: audit.ts; options: check-options.ts.
import { ConfigError } from '../errors/index';
import { hashKeyFrom } from '../internal/hash';
import { createLevelledLogger } from '../logging/logger';
import type { MrzBatchItem, MrzCheckOptions, MrzCheckResult } from '../queries/mrz-check';
import type { CheckResult, DocumentQuery, PersonQuery, QueryContext, Subject, VehicleQuery } from '../queries/types';
import { documentQuerySchema, parseInput, parseSubjects, personQuerySchema, plainQuerySubject, vehicleQuerySchema } from '../queries/validate';
import type { DocumentReport, ReportResult, WithdrawalRequest, WithdrawalResult } from '../reports/index';
import { createExecutor, resolveResilienceOptions } from '../resilience/index';
import type { Executor } from '../resilience/types';
import { TRANSPORT_SECRETS, type Transport } from '../transport/types';
import { Recorder } from './audit';
import { runBatch, type BatchItem, type BatchOptions, type BatchOutcome } from './batch';
import { resolveBatching, type ResolvedBatching } from './batching';
import { checkClientOptions, checkDerivedOptions, checkEntryOptions, checkRows } from './check-options';
import { overDefined } from '../internal/options';
import { clientDefaults, type ClientDefaults } from './defaults';
import { logLevelFromEnv, processEnv } from './env';
import { mergeHeaders } from '../protocol/headers';
import { pathTemplate } from '../protocol/wire';
import { deriveResilience } from '../resilience/index';
import { Listeners } from './events';
import { checkManyMrz, checkMrz } from './mrz';
import type { CallOptions, ClientOptions, DerivedClientOptions, WriteOptions } from './options';
import { prepareCheck, ReadPath } from './read';
import type { BorderlinkClient, CheckRequest, ClientEvent, ClientEventType } from './types';
import { Writes } from './writes';
import { OfflineCopy, resolveOffline, type OfflineOptions } from './offline';
import { Outbox, type OutboxHandle, type OutboxOptions, type QueuedWrite } from './outbox';
import { SOURCES } from '../queries/values';
import type { SourceState } from '../stores/types';
import type { OfflineHandle } from './types';
import { Sync } from './sync';
import { fetchSnapshot } from '../protocol/snapshot';
import { AbortError, BorderlinkError, ProtocolError } from '../errors/index';
import { USER_AGENT } from './read';
import { HEADERS } from '../protocol/wire';
import { WriteState } from './write-state';
import { observeCalls, observeClient, type ClientObservation } from './observe';
import { Records, type RecordRef } from './records';
import { Confirmations, resolveConfirmationSettings, type Confirmation, type HitRef } from './confirmations';
import type { RecordResult } from '../queries/records';
import type { ConfirmationRequest } from '../reports/confirmation';
import type { ConfirmationSettings, ReadOptions } from './options';

/**
 * Creates a client. Options are checked at once: an unknown or wrong option throws a {@link ConfigError}. Without a
 * `logLevel`, the environment variable `BORDERLINK_LOG` (`debug`, `info`, `warn`, `error`, `off`) sets it: a value
 * that is none of them is ignored, with one warning on stderr.
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
export function createClient(options: ClientOptions & { outbox: OutboxOptions }): BorderlinkClient<true>;
export function createClient(options: ClientOptions & { outbox?: undefined }): BorderlinkClient;
export function createClient(options: ClientOptions): BorderlinkClient<boolean>;
export function createClient(options: ClientOptions): BorderlinkClient<boolean> {
  checkClientOptions(options);
  const { transport, context, onAudit, logLevel, logger, privacy = {}, batching, outbox, offline, confirmations, telemetry, ...resilienceInput } = options;
  const recorder = new Recorder({
    onAudit,
    log: createLevelledLogger(logLevel ?? logLevelFromEnv(processEnv()) ?? 'off', logger ?? console, secretsOf(transport)),
    hashKey: hashKeyFrom(privacy.hashKey),
    includePersonalData: privacy.includePersonalData === true,
  });
  const shared = new Shared(transport, { ...context }, resolveResilienceOptions(resilienceInput), recorder, resolveBatching(batching), outbox, offline, confirmations);
  const client = new Client(shared, shared.defaults, true);
  if (telemetry !== undefined) shared.observation = observeClient(client, telemetry, transport.endpoint);
  return client;
}

/** A document query as a subject: the plainly valid ones without zod, every other through the schema (and its errors). */
// A query the fast paths of validate.ts read is not parsed by zod; any other is, and zod words its error.
function documentSubject(document: unknown): Subject {
  return plainQuerySubject('document', document) ?? ({ kind: 'document', ...parseInput(documentQuerySchema, document) } as Subject);
}

function personSubject(person: unknown): Subject {
  return plainQuerySubject('person', person) ?? ({ kind: 'person', ...parseInput(personQuerySchema, person) } as Subject);
}

function vehicleSubject(vehicle: unknown): Subject {
  return plainQuerySubject('vehicle', vehicle) ?? ({ kind: 'vehicle', ...parseInput(vehicleQuerySchema, vehicle) } as Subject);
}

function secretsOf(transport: Transport): string[] {
  const listed = (transport as { [TRANSPORT_SECRETS]?: unknown })[TRANSPORT_SECRETS];
  return Array.isArray(listed) ? listed.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
}

/**
 * What a client and every client derived from it (withOptions) share: the transport and its connections, the executor
 * (breaker, retry budget), the listeners, the audit, the read path (cache, in-flight table, batcher), the write state,
 * the outbox, the offline copy and its sync. Closed once, by the client createClient made.
 */
class Shared {
  readonly transport: Transport;
  readonly executor: Executor;
  readonly listeners: Listeners;
  readonly recorder: Recorder;
  readonly reads: ReadPath;
  readonly state: WriteState;
  readonly outbox: Outbox | undefined;
  readonly offline: OfflineCopy | undefined;
  readonly sync: Sync | undefined;
  /** createClient's own defaults, and with them its resilience: the breaker, budget, cache and clock of all. */
  readonly defaults: ClientDefaults;
  readonly confirmationSettings: ReturnType<typeof resolveConfirmationSettings>;
  /** The confirmations followed by any of the clients: closing stops them all. */
  readonly following = new Set<AbortController>();
  /** The telemetry's observation, when there is one: derived clients' calls are observed too. */
  observation: ClientObservation | undefined;
  closed = false;
  readonly #replayer: Writes;

  constructor(
    transport: Transport,
    context: Partial<QueryContext>,
    resilience: ReturnType<typeof resolveResilienceOptions>,
    recorder: Recorder,
    batching: ResolvedBatching | undefined,
    outbox: OutboxOptions | undefined,
    offline: OfflineOptions | undefined,
    confirmations?: ConfirmationSettings,
  ) {
    this.transport = transport;
    this.recorder = recorder;
    this.listeners = new Listeners(recorder.log);
    // Every request event, on the listeners and the diagnostics channels alike, names its path by protocol v1's template:
    // a record, hit or confirmation id in a path is gateway text (the event's requestId leads to its audited form).
    this.executor = createExecutor(transport, resilience, { emit: (event) => this.listeners.emit(event), route: pathTemplate });
    this.defaults = clientDefaults(resilience, context, undefined, undefined, () => this.assertOpen());
    this.confirmationSettings = resolveConfirmationSettings(confirmations);
    const assertOpen = () => this.assertOpen();
    const emit = (event: ClientEvent) => this.listeners.emit(event);
    const copy = resolveOffline(offline, SOURCES);
    this.offline =
      copy === undefined
        ? undefined
        : new OfflineCopy(copy, {
            checkOnline: (entry) => this.reads.checkOnline(entry),
            emit,
            refusesNow: () => this.executor.refusesNow?.() === true,
          });
    this.reads = new ReadPath({ executor: this.executor, resilience, recorder, defaults: this.defaults, batching, offline: this.offline });
    this.state = new WriteState(() => this.reads.forget());
    this.reads.consult(this.state);
    const { clock } = resilience;
    this.outbox =
      outbox === undefined
        ? undefined
        : new Outbox(outbox, {
            send: (entry) => this.#replayer.replay(entry),
            emit,
            setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
            clearTimeout: (h) => clock.clearTimeout(h),
          });
    this.#replayer = this.writesFor(this.defaults, assertOpen);
    const contextFor = this.defaults.contextFor;
    this.sync =
      copy === undefined
        ? undefined
        : new Sync(
            {
              store: copy.store,
              sources: copy.sources,
              maxShrink: copy.maxShrink,
              // A snapshot is a query like any other: it says who asks, for which authority and why (the client's context).
              fetch: async (source, since, signal) =>
                fetchSnapshot(transport, {
                  source,
                  since,
                  context: contextFor(undefined),
                  timeoutMs: resilience.timeoutMs,
                  signal,
                  headers: { [HEADERS.userAgent]: USER_AGENT },
                }),
              emit,
              linkUp: () => {
                this.offline?.linkUp();
                this.outbox?.linkUp();
              },
              toError: (err) => (err instanceof BorderlinkError ? err : new ProtocolError('The sync failed unexpectedly', { cause: err })),
            },
            copy.syncIntervalMs,
          );
  }

  assertOpen(): void {
    if (this.closed) throw new ConfigError('The client is closed');
  }

  /** The writes of a client with `defaults`: the write state and the outbox are the shared ones. */
  writesFor(defaults: ClientDefaults, assertOpen: () => void): Writes {
    const { executor, recorder, state, outbox } = this;
    return new Writes({ executor, resilience: defaults.resilience, contextFor: defaults.contextFor, recorder, state, outbox, assertOpen, profile: defaults.profile });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.following) c.abort(new AbortError('The client was closed while following a confirmation'));
    this.following.clear();
    this.outbox?.close();
    this.offline?.close();
    this.sync?.close();
    this.reads.close();
    await this.executor.close();
    await this.transport.close();
  }
}

/**
 * A client: the one createClient made, or one withOptions derived from it. Each has its own defaults (context,
 * timeouts, retry policy, headers) over the parts they share.
 */
class Client implements BorderlinkClient<boolean> {
  readonly #shared: Shared;
  readonly #defaults: ClientDefaults;
  /** Made by createClient: its close() closes what every client derived from it shares. */
  readonly #root: boolean;
  readonly #writes: Writes;
  readonly #records: Records;
  readonly #confirmations: Confirmations;
  #closed = false;

  constructor(shared: Shared, base: ClientDefaults, root: boolean) {
    this.#shared = shared;
    const assertOpen = () => this.#assertOpen();
    const defaults: ClientDefaults = Object.freeze({ ...base, assertOpen });
    this.#defaults = defaults;
    this.#root = root;
    const { executor, recorder } = shared;
    const parts = { executor, resilience: defaults.resilience, recorder, contextFor: defaults.contextFor, assertOpen, profile: defaults.profile };
    this.#writes = shared.writesFor(defaults, assertOpen);
    this.#records = new Records(parts);
    this.#confirmations = new Confirmations({ ...parts, settings: shared.confirmationSettings, following: shared.following });
  }

  withOptions(options: DerivedClientOptions): BorderlinkClient<boolean> {
    const { options: given, headers } = checkDerivedOptions(options);
    this.#assertOpen();
    const shared = this.#shared;
    const parent = this.#defaults;
    const resilience = deriveResilience(parent.resilience, given, 'client.withOptions');
    // A field given as undefined is a field not given: the parent's stays.
    const context = given.context === undefined ? parent.context : overDefined(parent.context, given.context);
    // A policy equal to createClient's is the executor's own: such calls may share requests with the parent's.
    const retry = resilience.retry === shared.defaults.resilience.retry ? undefined : resilience.retry;
    // Its own assertOpen is set by the client it becomes.
    const defaults = clientDefaults(resilience, context, mergeHeaders(parent.profile.headers, headers), retry, () => shared.assertOpen());
    const derived = new Client(shared, defaults, false);
    if (shared.observation !== undefined) observeCalls(derived, shared.observation);
    return derived;
  }

  get outbox(): OutboxHandle | undefined {
    return this.#shared.outbox;
  }

  get offline(): OfflineHandle | undefined {
    const copy = this.#shared.offline;
    if (copy === undefined) return undefined;
    const sync = this.#shared.sync!;
    return {
      inventory: (): SourceState[] => copy.options.store.inventory(),
      rescreen: () => copy.rescreen(),
      sync: (options) => sync.run(options),
    };
  }

  get cache() {
    const cache = this.#shared.reads.cache;
    return {
      clear: () => cache?.clear(),
      get size() {
        return cache?.size ?? 0;
      },
    };
  }

  on<T extends ClientEventType>(type: T, listener: (event: Extract<ClientEvent, { type: T }>) => void): () => void {
    return this.#shared.listeners.on(type, listener);
  }

  checkDocument(document: DocumentQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#shared.reads.checkOne('checkDocument', () => [documentSubject(document)], options, this.#defaults);
  }

  checkPerson(person: PersonQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#shared.reads.checkOne('checkPerson', () => [personSubject(person)], options, this.#defaults);
  }

  checkVehicle(vehicle: VehicleQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#shared.reads.checkOne('checkVehicle', () => [vehicleSubject(vehicle)], options, this.#defaults);
  }

  check(request: CheckRequest, options?: CallOptions): Promise<CheckResult> {
    const subjectsOf = () => parseSubjects(typeof request === 'object' && request !== null ? request.subjects : undefined);
    return this.#shared.reads.checkOne('check', subjectsOf, options, this.#defaults, request?.sources);
  }

  checkMrz(input: string | readonly string[], options?: CallOptions & MrzCheckOptions): Promise<MrzCheckResult> {
    return checkMrz(this.#shared.reads, this.#defaults, input, options);
  }

  checkMany(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options: BatchOptions = {}): AsyncIterable<BatchOutcome> {
    checkEntryOptions('checkMany', options, false);
    checkRows('checkMany', items, '{ id, subjects }');
    this.#assertOpen();
    const { contextFor } = this.#defaults;
    const host = this.#shared.reads.batchHost(this.#defaults, (item, context) => {
      const { subjects, sources } = item as Partial<BatchItem>;
      return { prepared: prepareCheck(contextFor, parseSubjects(subjects), sources, context) };
    });
    return runBatch(host, items, options);
  }

  checkManyMrz(
    items: Iterable<MrzBatchItem> | AsyncIterable<MrzBatchItem>,
    options?: BatchOptions & MrzCheckOptions,
  ): AsyncIterable<BatchOutcome<MrzCheckResult>> {
    return checkManyMrz(this.#shared.reads, this.#defaults, () => this.#assertOpen(), items, options);
  }

  reportDocument(report: DocumentReport, options?: WriteOptions): Promise<ReportResult | QueuedWrite> {
    return this.#writes.reportDocument(report, options);
  }

  withdrawReport(request: WithdrawalRequest, options?: WriteOptions): Promise<WithdrawalResult | QueuedWrite> {
    return this.#writes.withdrawReport(request, options);
  }

  fetchRecord(ref: RecordRef, options?: ReadOptions): Promise<RecordResult> {
    return this.#records.fetch(ref, options);
  }

  requestConfirmation(hit: HitRef, request: ConfirmationRequest, options?: WriteOptions): Promise<Confirmation> {
    return this.#confirmations.request(hit, request, options);
  }

  resumeConfirmation(confirmationId: string, options?: ReadOptions): Promise<Confirmation> {
    return this.#confirmations.resume(confirmationId, options);
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConfigError('The client is closed');
    this.#shared.assertOpen();
  }

  async close(): Promise<void> {
    this.#closed = true;
    // A derived client only stops taking calls: what it shares is the client's createClient made, closed with it.
    if (this.#root) await this.#shared.close();
  }
}
