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
import { checkClientOptions, checkEntryOptions, checkRows } from './check-options';
import { contextResolver } from './context';
import { Listeners } from './events';
import { checkManyMrz, checkMrz } from './mrz';
import type { CallOptions, ClientOptions, WriteOptions } from './options';
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
import { BorderlinkError, ProtocolError } from '../errors/index';
import { USER_AGENT } from './read';
import { HEADERS } from '../protocol/wire';
import { WriteState } from './write-state';
import { observeClient } from './observe';
import { Records, type RecordRef } from './records';
import { Confirmations, resolveConfirmationSettings, type Confirmation, type HitRef } from './confirmations';
import type { RecordResult } from '../queries/records';
import type { ConfirmationRequest } from '../reports/confirmation';
import type { ConfirmationSettings, ReadOptions } from './options';

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
export function createClient(options: ClientOptions & { outbox: OutboxOptions }): BorderlinkClient<true>;
export function createClient(options: ClientOptions & { outbox?: undefined }): BorderlinkClient;
export function createClient(options: ClientOptions): BorderlinkClient<boolean>;
export function createClient(options: ClientOptions): BorderlinkClient<boolean> {
  checkClientOptions(options);
  const { transport, context, onAudit, logLevel = 'off', logger, privacy = {}, batching, outbox, offline, confirmations, telemetry, ...resilienceInput } = options;
  const recorder = new Recorder({
    onAudit,
    log: createLevelledLogger(logLevel, logger ?? console, secretsOf(transport)),
    hashKey: hashKeyFrom(privacy.hashKey),
    includePersonalData: privacy.includePersonalData === true,
  });
  const client = new Client(transport, { ...context }, resolveResilienceOptions(resilienceInput), recorder, resolveBatching(batching), outbox, offline, confirmations);
  if (telemetry !== undefined) observeClient(client, telemetry, transport.endpoint);
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

class Client implements BorderlinkClient<boolean> {
  readonly #transport: Transport;
  readonly #executor: Executor;
  readonly #listeners: Listeners;
  readonly #reads: ReadPath;
  readonly #writes: Writes;
  readonly #contextFor: ReturnType<typeof contextResolver>;
  readonly #outbox: Outbox | undefined;
  readonly #offline: OfflineCopy | undefined;
  readonly #sync: Sync | undefined;
  readonly #records: Records;
  readonly #confirmations: Confirmations;
  #closed = false;

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
    this.#transport = transport;
    this.#listeners = new Listeners(recorder.log);
    this.#executor = createExecutor(transport, resilience, { emit: (event) => this.#listeners.emit(event) });
    this.#contextFor = contextResolver(context);
    const assertOpen = () => this.#assertOpen();
    const parts = { executor: this.#executor, resilience, recorder, contextFor: this.#contextFor, assertOpen };
    const emit = (event: ClientEvent) => this.#listeners.emit(event);
    const copy = resolveOffline(offline, SOURCES);
    this.#offline =
      copy === undefined
        ? undefined
        : new OfflineCopy(copy, {
            checkOnline: (entry) => this.#reads.checkOnline(entry),
            emit,
            refusesNow: () => this.#executor.refusesNow?.() === true,
          });
    this.#reads = new ReadPath({ ...parts, batching, offline: this.#offline });
    const state = new WriteState(() => this.#reads.forget());
    this.#reads.consult(state);
    const { clock } = resilience;
    this.#outbox =
      outbox === undefined
        ? undefined
        : new Outbox(outbox, {
            send: (entry) => this.#writes.replay(entry),
            emit,
            setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
            clearTimeout: (h) => clock.clearTimeout(h),
          });
    this.#writes = new Writes({ ...parts, state, outbox: this.#outbox });
    this.#records = new Records(parts);
    this.#confirmations = new Confirmations({ ...parts, settings: resolveConfirmationSettings(confirmations) });
    this.#sync =
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
                  context: this.#contextFor(undefined),
                  timeoutMs: resilience.timeoutMs,
                  signal,
                  headers: { [HEADERS.userAgent]: USER_AGENT },
                }),
              emit,
              linkUp: () => {
                this.#offline?.linkUp();
                this.#outbox?.linkUp();
              },
              toError: (err) => (err instanceof BorderlinkError ? err : new ProtocolError('The sync failed unexpectedly', { cause: err })),
            },
            copy.syncIntervalMs,
          );
  }

  get outbox(): OutboxHandle | undefined {
    return this.#outbox;
  }

  get offline(): OfflineHandle | undefined {
    const copy = this.#offline;
    if (copy === undefined) return undefined;
    const sync = this.#sync!;
    return {
      inventory: (): SourceState[] => copy.options.store.inventory(),
      rescreen: () => copy.rescreen(),
      sync: (options) => sync.run(options),
    };
  }

  get cache() {
    const cache = this.#reads.cache;
    return {
      clear: () => cache?.clear(),
      get size() {
        return cache?.size ?? 0;
      },
    };
  }

  on<T extends ClientEventType>(type: T, listener: (event: Extract<ClientEvent, { type: T }>) => void): () => void {
    return this.#listeners.on(type, listener);
  }

  checkDocument(document: DocumentQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#reads.checkOne('checkDocument', () => [documentSubject(document)], options);
  }

  checkPerson(person: PersonQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#reads.checkOne('checkPerson', () => [personSubject(person)], options);
  }

  checkVehicle(vehicle: VehicleQuery, options?: CallOptions): Promise<CheckResult> {
    return this.#reads.checkOne('checkVehicle', () => [vehicleSubject(vehicle)], options);
  }

  check(request: CheckRequest, options?: CallOptions): Promise<CheckResult> {
    const subjectsOf = () => parseSubjects(typeof request === 'object' && request !== null ? request.subjects : undefined);
    return this.#reads.checkOne('check', subjectsOf, options, request?.sources);
  }

  checkMrz(input: string | readonly string[], options?: CallOptions & MrzCheckOptions): Promise<MrzCheckResult> {
    return checkMrz(this.#reads, input, options);
  }

  checkMany(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options: BatchOptions = {}): AsyncIterable<BatchOutcome> {
    checkEntryOptions('checkMany', options, false);
    checkRows('checkMany', items, '{ id, subjects }');
    this.#assertOpen();
    const host = this.#reads.batchHost((item, context) => {
      const { subjects, sources } = item as Partial<BatchItem>;
      return { prepared: prepareCheck(this.#contextFor, parseSubjects(subjects), sources, context) };
    });
    return runBatch(host, items, options);
  }

  checkManyMrz(
    items: Iterable<MrzBatchItem> | AsyncIterable<MrzBatchItem>,
    options?: BatchOptions & MrzCheckOptions,
  ): AsyncIterable<BatchOutcome<MrzCheckResult>> {
    return checkManyMrz(this.#reads, this.#contextFor, () => this.#assertOpen(), items, options);
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
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#confirmations.close();
    this.#outbox?.close();
    this.#offline?.close();
    this.#sync?.close();
    this.#reads.close();
    await this.#executor.close();
    await this.#transport.close();
  }
}
