// Streamed batch checks (manifests, registries): items are pulled from the input only as fast as batches go out, so
// the rows in memory stay bounded by batchSize × concurrency whatever the input size; only the ids seen are kept for
// the whole run (to refuse a repeated one). Every input row comes out exactly once.
import { setMaxListeners } from 'node:events';
import { AbortError, BorderlinkError, ConfigError, InputError, ProtocolError } from '../errors/index';
import { abortErrorFrom } from '../internal/abort';
import { buildCheckResult } from '../protocol/check-answer';
import type { ItemRow } from '../protocol/request-body';
import { finishResult, type PreparedCheck } from '../queries/results';
import { inputError } from '../queries/validate';
import type { CheckResult, QueryContext, Source, Subject, Verdict } from '../queries/types';
import { resolveBatchOptions } from './check-options';
import type { CheckAnswer } from './items';
import type { CheckedHeaders } from '../protocol/headers';

/**
 * One row of a batch: your id (echoed back, never sent to the gateway) and what to check.
 * @example
 * ```ts
 * { id: 'seat-12A', subjects: [{ kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' }] }
 * ```
 */
export interface BatchItem {
  id: string;
  subjects: Subject[];
  /** @default the sources for the subjects' kinds */
  sources?: Source[] | undefined;
}

/** One row's answer: a result, or the error that row ended with. Each input id comes out exactly once. */
export type BatchOutcome<R = CheckResult> = { id: string; result: R; error?: undefined } | { id: string; error: BorderlinkError; result?: undefined };

/** Progress of a batch, given to `onProgress` after each request. */
export interface BatchProgress {
  /** Rows answered so far (results and errors). */
  done: number;
  /** Rows in the input, when known (an array, or the `total` option). */
  total?: number;
  hits: number;
  possibleHits: number;
  incomplete: number;
  errors: number;
  /** Rows per second since the start. */
  ratePerSec: number;
}

/**
 * Options of `checkMany`.
 * @example
 * ```ts
 * for await (const row of client.checkMany(items, { batchSize: 100, concurrency: 4, onProgress: (p) => bar.update(p.done) })) {
 *   if (row.error !== undefined) flagForManualCheck(row.id, row.error.code);
 * }
 * ```
 */
export interface BatchOptions {
  /** Rows per `POST /v1/checks`, at most 1000. @default 100 */
  batchSize?: number | undefined;
  /** Requests in flight at once. @default 4 */
  concurrency?: number | undefined;
  /** Yield rows in input order instead of completion order. @default false */
  ordered?: boolean | undefined;
  /** Called after each request with the running totals. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Stops the batch: requests in flight are aborted and the iteration throws an `AbortError`. */
  signal?: AbortSignal | undefined;
  /** Deadline of each batch request, retries included. @unit milliseconds @default the client's `timeoutMs` */
  timeoutMs?: number | undefined;
  /** Merged over the client's context. @default purpose from the client's context */
  context?: { [K in keyof QueryContext]?: QueryContext[K] | undefined } | undefined;
  /** Rows in the input, for progress when the input is not an array. */
  total?: number | undefined;
  /**
   * Headers of your own on every request of the batch, by the rules of a single check's `headers`: a header the SDK owns,
   * or a value with a control character, is a `ConfigError` naming the header.
   * @default none
   */
  headers?: Record<string, string> | undefined;
}

/** What the batch needs from the client. @internal */
export interface BatchHost {
  /** Validates one input item (throws its InputError); `extra` travels with the row to `finish`. */
  prepare(item: object, context: Partial<QueryContext> | undefined): {
    prepared: PreparedCheck;
    extra?: unknown;
  };
  /** Turns a row's CheckResult into what the caller gets (e.g. adds the parsed MRZ). */
  finish?(result: CheckResult, extra: unknown): CheckResult;
  /** Sends one request of rows; its answer is matched to the rows' item ids by answersByItem. */
  send(
    context: QueryContext,
    rows: readonly ItemRow[],
    options: { timeoutMs: number | undefined; signal: AbortSignal; headers: CheckedHeaders | undefined },
  ): Promise<CheckAnswer & { attempts: number; requestId: string }>;
  audit(prepared: PreparedCheck, result: CheckResult | undefined, error: BorderlinkError | undefined, requestId: string): void;
  /**
   * The offline copy, when the client has one. `fallback`: the rows' answers from the copy when their request could not
   * reach the gateway (`undefined` when `error` is not one the copy answers for). `first` (mode `first`): the copy's
   * answer to each row it answers completely, `undefined` for a row that goes online. Each result is the row's own
   * check (its own request id), kept for re-screening before it is given.
   */
  copy?: {
    fallback(rows: readonly PreparedCheck[], error: BorderlinkError, started: number): Promise<CheckResult[]> | undefined;
    first?(rows: readonly PreparedCheck[], started: number): Promise<(CheckResult | undefined)[]>;
  };
}

interface Row {
  seq: number;
  /** The row's item id in its request: its seq, as text, written once. */
  itemId: string;
  id: string;
  prepared: PreparedCheck | undefined;
  extra: unknown;
  error: BorderlinkError | undefined;
}

/**
 * Runs a batch. Implementation of `client.checkMany`.
 * @internal
 */
export async function* runBatch<I extends { id: string }, R extends CheckResult = CheckResult>(
  host: BatchHost,
  input: Iterable<I> | AsyncIterable<I>,
  options: BatchOptions = {},
  scope = 'checkMany',
): AsyncGenerator<BatchOutcome<R>> {
  const resolved = resolveBatchOptions(scope, options);
  const { concurrency, ordered, headers } = resolved;
  let batchSize = resolved.batchSize;
  const started = performance.now();
  const total = options.total ?? (Array.isArray(input) ? input.length : undefined);
  const controller = new AbortController();
  // Every request in flight listens on this signal (the deadline layer, the transport, a retry's wait).
  setMaxListeners(3 * concurrency + 2, controller.signal);
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw abortErrorFrom(options.signal);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const isAsync = Symbol.asyncIterator in Object(input);
  const iterator: Iterator<I> | AsyncIterator<I> = isAsync ? (input as AsyncIterable<I>)[Symbol.asyncIterator]() : (input as Iterable<I>)[Symbol.iterator]();
  let inputDone = false;
  let seq = 0;
  /** Set when the gateway answered 413 to a request of one row. */
  let tooManyForOne: InputError | undefined;
  const seenIds = new Set<string>();
  const counts = { done: 0, hits: 0, possibleHits: 0, incomplete: 0, errors: 0 };

  // Finished rows waiting to be yielded (from `readyHead` on); in ordered mode keyed by seq.
  let ready: BatchOutcome<R>[] = [];
  let readyHead = 0;
  const held = new Map<number, BatchOutcome<R>>();
  let nextSeq = 0;
  const inFlight = new Set<Promise<void>>();

  const emit = (row: Row, outcome: BatchOutcome<R>) => {
    counts.done++;
    if (outcome.error !== undefined) counts.errors++;
    else tally(counts, outcome.result.verdict);
    if (ordered) {
      held.set(row.seq, outcome);
      while (held.has(nextSeq)) {
        ready.push(held.get(nextSeq)!);
        held.delete(nextSeq++);
      }
    } else ready.push(outcome);
  };

  const progress = () => {
    if (options.onProgress === undefined) return;
    const seconds = (performance.now() - started) / 1000;
    try {
      options.onProgress({ ...counts, ...(total !== undefined ? { total } : {}), ratePerSec: seconds > 0 ? counts.done / seconds : 0 });
    } catch {
      // A progress display's failure must not stop screening.
    }
  };

  // Pulls up to batchSize valid rows; invalid rows are answered at once with their InputError.
  const pull = async (): Promise<Row[]> => {
    const rows: Row[] = [];
    while (rows.length < batchSize && !inputDone) {
      // A plain iterable (an array, a generator) is read without an await per row: each was a turn of the microtask
      // queue per row, where an ideal client has none.
      const next = isAsync ? await iterator.next() : (iterator as Iterator<I>).next();
      if (next.done) {
        inputDone = true;
        break;
      }
      const item = next.value as Partial<I> | undefined;
      // Every field from the start: one shape for all rows, its fields in the object itself.
      const row: Row = { seq, itemId: String(seq), id: '', prepared: undefined, extra: undefined, error: undefined };
      seq++;
      try {
        // Read once, inside the row's try: a getter that throws fails its row, not the batch.
        const rawId: unknown = typeof item === 'object' && item !== null ? item.id : undefined;
        const id = typeof rawId === 'string' ? rawId : '';
        row.id = id;
        if (typeof item !== 'object' || item === null) throw new ConfigError('A checkMany item must be an object with an id');
        // Ids are how the caller ties an answer to a traveller: a missing or repeated one could put a HIT on the
        // wrong row. Kept for the whole run (a few dozen bytes a row), since a repeat may come at any distance.
        if (id === '') throw inputError([{ path: 'id', message: 'is required (a non-empty string)' }]);
        // One lookup, not two (has, then add): a set of every id of a manifest is out of the cache, and each lookup
        // was a measurable share of a row.
        const known = seenIds.size;
        if (seenIds.add(id).size === known) throw inputError([{ path: 'id', message: 'repeats the id of an earlier row' }]);
        const { prepared, extra } = host.prepare(item, options.context);
        row.prepared = prepared;
        row.extra = extra;
      } catch (err) {
        row.error = err instanceof BorderlinkError ? err : new ConfigError('A checkMany item could not be read');
        emit(row, { id: row.id, error: row.error });
        continue;
      }
      rows.push(row);
    }
    return rows;
  };

  /**
   * Sends one request of rows. A gateway that answers 413 TOO_MANY_ITEMS takes fewer: the rows are sent again in two
   * halves, down to one row a request, and later requests are no larger than what it accepted.
   */
  const failRows = (rows: Row[], error: BorderlinkError): void => {
    for (const row of rows) {
      host.audit(row.prepared!, undefined, error, error.requestId ?? '');
      emit(row, { id: row.id, error });
    }
  };

  /** Gives the rows the copy answered as results, audited under their own ids; returns the rows it did not answer. */
  const fromCopy = (rows: Row[], results: readonly (CheckResult | undefined)[]): Row[] => {
    const left: Row[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const result = results[i];
      if (result === undefined) left.push(row);
      else {
        host.audit(row.prepared!, result, undefined, result.requestId);
        emit(row, { id: row.id, result: (host.finish ? host.finish(result, row.extra) : result) as R });
      }
    }
    return left;
  };

  /** The rows of a request that failed: answered from the copy when the gateway could not be reached, else failed. */
  const failOrAnswer = async (rows: Row[], error: BorderlinkError, sentAt: number): Promise<void> => {
    const answers = host.copy?.fallback(rows.map((r) => r.prepared!), error, sentAt);
    if (answers !== undefined) {
      try {
        fromCopy(rows, await answers);
        return;
      } catch {
        // The copy could not answer them: they fail as the request did.
      }
    }
    failRows(rows, error);
  };

  const sendRows = async (rows: Row[]): Promise<void> => {
    // The gateway refused one row alone as too many: it takes none, and the rest are not sent to hear it again.
    if (tooManyForOne !== undefined) return failRows(rows, tooManyForOne);
    const context = rows[0]!.prepared!.context;
    const sentAt = performance.now();
    try {
      // The answer was matched with answersByItem, as a single check's: an unknown, repeated or missing item id failed
      // the whole request, so every row has its item here.
      const { response, byItem, info, attempts, requestId } = await host.send(context, rows, { timeoutMs: options.timeoutMs, signal: controller.signal, headers });
      // The same for every row of the request: one object, read (not kept) by each row's result; `info` is frozen.
      const meta = { requestId, attempts, durationMs: Math.round(performance.now() - sentAt), response: info };
      for (const row of rows) {
        const item = byItem.get(row.itemId)!;
        // Each row reads its own item: one row's odd fields are warnings on that row alone.
        const result = finishResult(row.prepared!, buildCheckResult(item, row.prepared!.sources, meta, response));
        host.audit(row.prepared!, result, undefined, requestId);
        emit(row, { id: row.id, result: (host.finish ? host.finish(result, row.extra) : result) as R });
      }
    } catch (err) {
      if (err instanceof InputError && err.code === 'TOO_MANY_ITEMS') {
        if (rows.length === 1) tooManyForOne = err;
        else if (!controller.signal.aborted && tooManyForOne === undefined) {
          const half = Math.ceil(rows.length / 2);
          batchSize = Math.min(batchSize, half);
          await sendRows(rows.slice(0, half));
          await sendRows(rows.slice(half));
          return;
        }
      }
      await failOrAnswer(rows, err instanceof BorderlinkError ? err : new ProtocolError('Unexpected failure in a batch', { cause: err }), sentAt);
    }
  };

  const sendBatch = async (rows: Row[]) => {
    const first = host.copy?.first;
    const online = first === undefined ? rows : fromCopy(rows, await first(rows.map((r) => r.prepared!), performance.now()));
    if (online.length > 0) await sendRows(online);
    progress();
  };

  // One waiter at a time: woken when a batch settles or the batch is aborted.
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  controller.signal.addEventListener('abort', wakeUp, { once: true });
  try {
    while (true) {
      if (controller.signal.aborted) throw abortErrorFrom(controller.signal);
      // Back-pressure: pull more input only while fewer than `concurrency` requests are in flight and the rows
      // waiting to be read by the caller stay within one round of batches.
      while (!inputDone && inFlight.size < concurrency && ready.length - readyHead + held.size < batchSize * concurrency) {
        const rows = await pull();
        if (rows.length === 0) continue;
        const p: Promise<void> = sendBatch(rows).finally(() => {
          inFlight.delete(p);
          wakeUp();
        });
        inFlight.add(p);
      }
      // Read by index, the list dropped once read: shift() moved the rest of the list on every row.
      while (readyHead < ready.length) {
        const outcome = ready[readyHead++]!;
        if (readyHead === ready.length) {
          ready = [];
          readyHead = 0;
        }
        yield outcome;
        if (controller.signal.aborted) throw abortErrorFrom(controller.signal);
      }
      if (inputDone && inFlight.size === 0 && ready.length === 0) break;
      if (inFlight.size > 0) await new Promise<void>((resolve) => (wake = resolve));
    }
    progress();
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (!controller.signal.aborted && (inFlight.size > 0 || !inputDone)) controller.abort(new AbortError('The batch was stopped by its consumer'));
    if (!inputDone) await iterator.return?.();
    controller.abort();
  }
}

function tally(counts: { hits: number; possibleHits: number; incomplete: number }, verdict: Verdict) {
  if (verdict === 'HIT') counts.hits++;
  else if (verdict === 'POSSIBLE_HIT') counts.possibleHits++;
  else if (verdict === 'INCOMPLETE') counts.incomplete++;
}

/** Counts of a finished batch. */
export interface BatchSummary {
  total: number;
  byVerdict: Record<Verdict, number>;
  errors: number;
  /** Errors by code, e.g. `{ TIMEOUT: 3 }`. */
  errorsByCode: Record<string, number>;
  /** Hits by source, e.g. `{ SLTD: 2, NOMINAL: 1 }`. */
  hitsBySource: Record<string, number>;
}

/**
 * Counts the rows of a batch by verdict, errors by code and hits by source.
 * @example
 * ```ts
 * const rows = [];
 * for await (const row of client.checkMany(items)) rows.push(row);
 * console.log(summarize(rows)); // { total: 500, byVerdict: { NO_HIT: 498, HIT: 1, … }, errors: 1, … }
 * ```
 */
export function summarize(rows: Iterable<BatchOutcome<Pick<CheckResult, 'verdict' | 'hits'>>>): BatchSummary {
  const summary: BatchSummary = {
    total: 0,
    byVerdict: { HIT: 0, POSSIBLE_HIT: 0, NO_HIT: 0, INCOMPLETE: 0 },
    errors: 0,
    errorsByCode: {},
    hitsBySource: {},
  };
  for (const row of rows) {
    summary.total++;
    if (row.error !== undefined) {
      summary.errors++;
      summary.errorsByCode[row.error.code] = (summary.errorsByCode[row.error.code] ?? 0) + 1;
      continue;
    }
    summary.byVerdict[row.result.verdict]++;
    for (const hit of row.result.hits) summary.hitsBySource[hit.source] = (summary.hitsBySource[hit.source] ?? 0) + 1;
  }
  return summary;
}
