// The client's public contract: what a caller can do with it. The class that does it is in client.ts.
import type { MrzBatchItem, MrzCheckOptions, MrzCheckResult } from '../queries/mrz-check';
import type { CheckResult, DocumentQuery, PersonQuery, Source, Subject, VehicleQuery } from '../queries/types';
import type { DocumentReport, ReportResult, WithdrawalRequest, WithdrawalResult } from '../reports/index';
import type { BreakerEvent, HedgeEvent, RequestEvent, ResponseEvent, RetryEvent } from '../resilience/index';
import type { BatchItem, BatchOptions, BatchOutcome } from './batch';
import type { CallOptions, DerivedClientOptions, ReadOptions, WriteOptions } from './options';
import type { RecordResult } from '../queries/records';
import type { ConfirmationRequest } from '../reports/confirmation';
import type { Confirmation, HitRef } from './confirmations';
import type { RecordRef } from './records';
import type { DeliveredEvent, OutboxHandle, QueuedEvent, QueuedWrite, RejectedEvent } from './outbox';
import type { LateHitEvent } from './offline';
import type { SourceSyncResult, SyncEvent, SyncFailedEvent, SyncOptions, SyncProgressEvent } from './sync';
import type { SourceState } from '../stores/types';

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
  sources?: Source[] | undefined;
}

/** Events a client emits, for observability. None holds personal data. */
export type ClientEvent = RequestEvent | ResponseEvent | RetryEvent | HedgeEvent | BreakerEvent | QueuedEvent | DeliveredEvent | RejectedEvent | LateHitEvent | SyncEvent | SyncProgressEvent | SyncFailedEvent;

/** The offline copy as the client shows it (`createClient({ offline })`). */
export interface OfflineHandle {
  /** Where the copy of each synced source stands: the inventory a state must keep of its offline copies. */
  inventory(): SourceState[];
  /**
   * Sends the checks the copy answered (within `rescreenWindowMs`) again online now; a hit found only online is a
   * `lateHit` event. Runs by itself whenever the gateway answers again; resolves with how many were re-screened.
   */
  rescreen(): Promise<number>;
  /**
   * Brings the copy up to date, one source after the other: a full snapshot the first time (or when the gateway no
   * longer knows the stored cursor), a delta from the cursor afterwards. Each source's snapshot is applied as one step:
   * a sync cut half way (a lost link, a killed process) leaves that source's previous copy whole. Rejects only with a
   * `ConfigError` for options it refuses (a source the copy does not keep among them); otherwise each source says how
   * it went (and a `sync` or `syncFailed` event). A sync already running is joined.
   * @example
   * ```ts
   * for (const r of await client.offline!.sync()) if (!r.ok) console.warn(r.source, r.error.code);
   * ```
   */
  sync(options?: SyncOptions): Promise<SourceSyncResult[]>;
}
/** The names of {@link ClientEvent}s. */
export type ClientEventType = ClientEvent['type'];

/**
 * A write's answer: stored, or, for a client with an `outbox`, {@link QueuedWrite} when the gateway could not take it.
 * `Queues` is `true` for a client created with an `outbox`.
 */
export type WriteAnswer<R, Queues extends boolean> = Queues extends true ? R | QueuedWrite : R;

/**
 * The client. Create it once per gateway and reuse it: it keeps connections, the breaker and the cache. `Queues` is
 * `true` when it was created with an `outbox`: its writes may then answer `QueuedWrite`.
 */
export interface BorderlinkClient<Queues extends boolean = false> {
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
  reportDocument(report: DocumentReport, options?: WriteOptions): Promise<WriteAnswer<ReportResult, Queues>>;
  /** Withdraws a report (the document was recovered, or reported in error). */
  withdrawReport(request: WithdrawalRequest, options?: WriteOptions): Promise<WriteAnswer<WithdrawalResult, Queues>>;
  /**
   * Reads the full record a hit points to (`GET /v1/records/{source}/{recordId}`): an SLTD document with its history,
   * a TDAWN or NOMINAL notice in full (aliases, physical description, languages, dates), an SMV vehicle's full
   * description. Read as a hit is: `source` and `recordId` strictly, every other field leniently (`warnings`). The
   * gateway decides which purposes may read a full record: a refused one is a `PermissionError` of code
   * `PURPOSE_NOT_ALLOWED` (a `BORDER_CHECK` usually is; read it as `SECOND_LINE` or `INVESTIGATION`). One audit
   * event (`RECORD`); the record's fields never reach a log.
   * @example
   * ```ts
   * const { record } = await client.fetchRecord(hit, { context: { purpose: 'SECOND_LINE' } });
   * if (record.source === 'SLTD') for (const entry of record.history ?? []) console.log(entry.at, entry.event, entry.status);
   * ```
   */
  fetchRecord(ref: RecordRef, options?: ReadOptions): Promise<RecordResult>;
  /**
   * Asks the country that owns a hit's record to confirm it (`POST /v1/hits/{hitId}/confirmation-requests`), and
   * returns a {@link Confirmation} that follows the answer: `wait()` until it is final, `refresh()` to look once.
   * When a request's deadline passes with no answer (by default 10 minutes for `URGENT`, 60 for `ROUTINE`:
   * `confirmations.deadlinesMs`), the next is sent, at most three, then the confirmation is `EXPIRED`. A write:
   * each request has one idempotency key on every retry (`options.idempotencyKey` for the first), and every error
   * of it says which key (`err.idempotencyKey`) and whether the gateway may have it (`err.mayHaveBeenStored`). One
   * audit event (`CONFIRMATION_REQUEST`) per request; the `reason` is in none of them.
   * @example
   * ```ts
   * const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason: 'Holder held at lane 7' });
   * saveWithCase(confirmation.confirmationId);
   * if ((await confirmation.wait()) === 'CONFIRMED') showInstructions(confirmation.response?.instructions);
   * ```
   */
  requestConfirmation(hit: HitRef, request: ConfirmationRequest, options?: WriteOptions): Promise<Confirmation>;
  /**
   * Takes up a confirmation again from the `confirmationId` of its latest request (after a restart of your
   * application): one look, then a {@link Confirmation} as if this client had made it. The next request, when one is
   * due, goes under a key derived from the one that lapsed, so a renewal cut by a crash is not sent twice.
   * @example
   * ```ts
   * const confirmation = await client.resumeConfirmation(savedCase.confirmationId);
   * await confirmation.wait();
   * ```
   */
  resumeConfirmation(confirmationId: string, options?: ReadOptions): Promise<Confirmation>;
  /** The durable outbox, when the client was created with one (`outbox` option); `undefined` otherwise. */
  readonly outbox: Queues extends true ? OutboxHandle : OutboxHandle | undefined;
  /** The offline copy, when the client was created with one (`offline` option); `undefined` otherwise. */
  readonly offline: OfflineHandle | undefined;
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
  /**
   * A client with other defaults for its calls (context, timeouts, retries, headers: see {@link DerivedClientOptions})
   * over the same parts as this one: the transport and its connections, the circuit breaker and the retry budget, the
   * cache, the table of checks in flight and the batcher, the outbox, the offline copy, the listeners (`on`), the audit
   * and the log. Cheap to make (per request of a web service, per officer at a desk). Calls share a request only under
   * the same context and headers, whichever client made them: automatic batching never puts two contexts in one
   * request. Options it cannot set (those that make a client: `transport`, `cache`, `outbox`, `offline`, …) are a
   * `ConfigError` naming them.
   *
   * Lifetime: the derived client lives on what it shares with this one. `close()` on a derived client only ends it
   * (its later calls reject; calls in flight, and confirmations it follows, go on); `close()` on the client
   * `createClient` made releases everything, and every client derived from it then rejects its calls.
   * @example
   * ```ts
   * const desk = client.withOptions({ context: { operatorId: 'officer-0077', purpose: 'SECOND_LINE' }, timeoutMs: 10_000 });
   * const traced = desk.withOptions({ headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
   * const { record } = await traced.fetchRecord(hit);
   * ```
   */
  withOptions(options: DerivedClientOptions): BorderlinkClient<Queues>;
  /**
   * Releases connections and timers. Calls made after it reject. On a client made by {@link BorderlinkClient.withOptions},
   * it ends that client alone (see there): the parts it shares are released by closing the client `createClient` made.
   */
  close(): Promise<void>;
}
