// Automatic batching: single checks in flight at the same time, under exactly the same context, go as the items of one
// POST /v1/checks. A request is made for the calls, never the other way round: each call keeps its own deadline, abort,
// result and error, and the request is aborted only when every call it carries has left. A call's answer is found by
// its item id alone (answersByItem, the one rule): an id never asked or answered twice means the numbering cannot be
// trusted and no call of the request is believed; an item left out fails only the calls that asked it.
import { randomUUID } from 'node:crypto';
import { AbortError, InputError, ProtocolError, TimeoutError } from '../errors/index';
import { abortErrorFrom, addAbortListener, removeAbortListener } from '../internal/abort';
import type { CheckItemResponse, CheckResponse } from '../protocol/wire';
import { checkRequestFromParts, withItemId } from '../protocol/request-body';
import { copyError, type CallOutcome, type Clock } from '../resilience/index';
import type { CheckAnswer } from './items';

/**
 * Automatic batching of concurrent single checks (`checkDocument`, `checkPerson`, `checkVehicle`, `check`,
 * `checkMrz`). Calls in flight at the same time whose context (operator, authority, purpose, location) is exactly
 * equal are sent as the items of one `POST /v1/checks`; calls under different contexts never share a request. Each
 * call keeps its own deadline, abort, result and error; its audit event's `requestId` is the id of the HTTP request
 * that carried it (shared by the calls of one request). `checkMany` keeps its own explicit batches.
 * @example
 * ```ts
 * const client = createClient({ transport, context, batching: { maxItems: 100, maxDelayMs: 0 } });
 * // Concurrent calls from many lanes now share requests:
 * const results = await Promise.all(documents.map((d) => client.checkDocument(d)));
 * ```
 */
export interface BatchingOptions {
  /**
   * The most items one request carries, at most the protocol's 1000. A request answers when its slowest item is
   * searched, so larger requests trade each call's latency for fewer requests; 100 already cuts the requests of 256
   * checks in flight to three. A gateway that answers `413` gets halves, and later requests are no larger than what it
   * took.
   * @default 100
   */
  maxItems?: number;
  /**
   * How long the first call of a request waits for others before the request is sent. `0` sends at the end of the
   * current event-loop turn (`setImmediate`): calls made in the same turn, however deep in promise continuations,
   * share a request, and a lone call waits for nothing else. A call never waits here past its own deadline.
   * @unit milliseconds @default 0
   */
  maxDelayMs?: number;
}

/** Batching options with the defaults. @internal */
export interface ResolvedBatching {
  readonly maxItems: number;
  readonly maxDelayMs: number;
}

/** The defaults, in one place. @internal */
export const BATCHING_DEFAULTS: ResolvedBatching = Object.freeze({ maxItems: 100, maxDelayMs: 0 });

/** Fills in the defaults of options already checked by the client's schema. @internal */
export function resolveBatching(input: BatchingOptions | false | undefined): ResolvedBatching | undefined {
  if (input === undefined || input === false) return undefined;
  return Object.freeze({ maxItems: input.maxItems ?? BATCHING_DEFAULTS.maxItems, maxDelayMs: input.maxDelayMs ?? BATCHING_DEFAULTS.maxDelayMs });
}

/** One call's share of a request: its item's answer, and the request that carried it. @internal */
export interface Carried {
  item: CheckItemResponse;
  response: CheckResponse;
  attempts: number;
  requestId: string;
}

/** Sends one request of items; the answer's item ids are matched with answersByItem, missing items left out. @internal */
export type SendItems = (
  body: string,
  requestId: string,
  askedIds: readonly string[],
  timing: { timeoutMs: number; attemptTimeoutMs: number },
  signal: AbortSignal | undefined,
) => Promise<CallOutcome<CheckAnswer>>;

const SINGLE_ITEM: readonly string[] = Object.freeze(['1']);

/** One call waiting in a batch. Also its own abort listener (no closure per call). */
class Waiter {
  done = false;
  constructor(
    readonly batch: Batch,
    readonly entry: Entry,
    readonly deadlineAt: number,
    readonly attemptTimeoutMs: number,
    readonly signal: AbortSignal | undefined,
    readonly resolve: (carried: Carried) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  handleEvent(): void {
    this.batch.leave(this, abortErrorFrom(this.signal as AbortSignal));
  }
}

/** One item of a request: identical checks in one batch are one item, answered to each of its calls. */
interface Entry {
  /** `{"subjects":…,"sources":…}`, the item without its id. */
  readonly text: string;
  /** The whole request with this item alone, numbered `1`, as the client already wrote it. */
  readonly alone: string;
  readonly waiters: Waiter[];
  itemId: string;
}

/** The calls of one context gathered for one request, then the request itself. */
class Batch {
  /**
   * By the request of the item alone: within one context that is as exact an identity as the item's own text, and it
   * is the string the in-flight table already hashed (a long string's hash is computed once and kept by the engine;
   * a second one costs about as much as the rest of the batch bookkeeping of a call).
   */
  readonly entries = new Map<string, Entry>();
  /** Calls still waiting. */
  live = 0;
  sent = false;
  requestId = '';
  #controller: AbortController | undefined;
  #timer: unknown;
  #earliest = Number.POSITIVE_INFINITY;

  constructor(
    readonly owner: AutoBatcher,
    readonly contextText: string,
  ) {}

  add(text: string, alone: string, deadlineAt: number, attemptTimeoutMs: number, signal: AbortSignal | undefined): Promise<Carried> {
    let entry = this.entries.get(alone);
    if (entry === undefined) {
      entry = { text, alone, waiters: [], itemId: '' };
      this.entries.set(alone, entry);
    }
    const target = entry;
    return new Promise<Carried>((resolve, reject) => {
      const waiter = new Waiter(this, target, deadlineAt, attemptTimeoutMs, signal, resolve, reject);
      target.waiters.push(waiter);
      this.live++;
      if (deadlineAt < this.#earliest) this.#earliest = deadlineAt;
      if (signal !== undefined) addAbortListener(signal, waiter);
    });
  }

  /** The earliest deadline of the calls gathered so far. */
  get earliestDeadline(): number {
    return this.#earliest;
  }

  /** Ends every call still waiting in a request never sent, each with an error of its own. */
  end(errorOf: () => unknown): void {
    for (const entry of this.entries.values()) for (const waiter of entry.waiters) this.leave(waiter, errorOf());
  }

  /** A call ends before its request does (its abort or its deadline): the others go on without it. */
  leave(waiter: Waiter, error: unknown): void {
    if (!this.#settle(waiter)) return;
    // The gateway saw the call under the request that carried it, if it was sent.
    if (this.sent && error instanceof Error && (error as { requestId?: string }).requestId === undefined) {
      (error as { requestId?: string }).requestId = this.requestId;
    }
    waiter.reject(error);
    if (this.sent && this.live === 0) this.#controller?.abort(error);
  }

  #settle(waiter: Waiter): boolean {
    if (waiter.done) return false;
    waiter.done = true;
    this.live--;
    if (waiter.signal !== undefined) removeAbortListener(waiter.signal, waiter);
    return true;
  }

  /** Sends the calls still waiting; `clock.now()` is read once. */
  send(send: SendItems, clock: Clock): void {
    // One pass over the calls: this runs for every request, a lone call's included (bench/batching.ts, 1 in flight).
    const entries: Entry[] = [];
    let latest = Number.NEGATIVE_INFINITY;
    let earliest = Number.POSITIVE_INFINITY;
    let attemptTimeoutMs = 0;
    let withSignal = false;
    for (const entry of this.entries.values()) {
      let waiting = false;
      const waiters = entry.waiters;
      for (let k = 0; k < waiters.length; k++) {
        const w = waiters[k]!;
        if (w.done) continue;
        waiting = true;
        if (w.deadlineAt > latest) latest = w.deadlineAt;
        if (w.deadlineAt < earliest) earliest = w.deadlineAt;
        if (w.attemptTimeoutMs > attemptTimeoutMs) attemptTimeoutMs = w.attemptTimeoutMs;
        if (w.signal !== undefined) withSignal = true;
      }
      if (!waiting) continue;
      entry.itemId = entries.length === 0 ? '1' : String(entries.length + 1);
      entries.push(entry);
    }
    if (entries.length === 0) return;
    const now = clock.now();
    const timeoutMs = latest - now;
    if (!(timeoutMs > 0)) {
      for (const entry of entries) for (const w of entry.waiters) this.leave(w, ownDeadline());
      return;
    }
    this.sent = true;
    this.requestId = randomUUID();
    if (earliest < latest) this.#armDeadlines(clock, latest);
    // The items as validated and written once, each with its id in front; a lone item is the request its call wrote.
    const body = entries.length === 1 ? entries[0]!.alone : checkRequestFromParts(this.contextText, entries.map((e) => withItemId(e.itemId, e.text)));
    // Only a call with a signal can leave before the request's own deadline (the latest of its calls'), so only then
    // may the request need aborting: an AbortController per request is otherwise a measurable cost for nothing.
    const controller = withSignal ? new AbortController() : undefined;
    this.#controller = controller;
    const askedIds = entries.length === 1 ? SINGLE_ITEM : entries.map((e) => e.itemId);
    send(body, this.requestId, askedIds, { timeoutMs, attemptTimeoutMs: Math.min(attemptTimeoutMs, timeoutMs) }, controller?.signal).then(
      (outcome) => this.#answer(entries, outcome),
      (error: unknown) => this.#fail(entries, error, clock),
    );
  }

  /**
   * The request runs to its latest call's deadline; calls whose deadline comes sooner leave at theirs. One timer per
   * request, re-armed for the next deadline, rather than one per call.
   */
  #armDeadlines(clock: Clock, latest: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.entries.values()) for (const w of entry.waiters) if (!w.done && w.deadlineAt < latest && w.deadlineAt < next) next = w.deadlineAt;
    if (next === Number.POSITIVE_INFINITY) return;
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      const now = clock.now();
      for (const entry of this.entries.values()) for (const w of entry.waiters) if (!w.done && w.deadlineAt <= now) this.leave(w, ownDeadline());
      if (this.live > 0) this.#armDeadlines(clock, latest);
    }, Math.max(0, next - clock.now()));
    (this.#timer as { unref?: () => void } | undefined)?.unref?.();
  }

  #stopTimer(clock: Clock): void {
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #answer(entries: readonly Entry[], outcome: CallOutcome<CheckAnswer>): void {
    this.#stopTimer(this.owner.clock);
    const { response, byItem } = outcome.value;
    for (const entry of entries) {
      const item = byItem.get(entry.itemId);
      for (const w of entry.waiters) {
        if (!this.#settle(w)) continue;
        if (item === undefined) {
          w.reject(new ProtocolError('The gateway answered without an item that was asked', { retryable: false, requestId: this.requestId, attempts: outcome.attempts }));
        } else {
          w.resolve({ item, response, attempts: outcome.attempts, requestId: this.requestId });
        }
      }
    }
  }

  #fail(entries: readonly Entry[], error: unknown, clock: Clock): void {
    this.#stopTimer(clock);
    if (this.live === 0) return;
    // A gateway that takes fewer items per request says so with 413: the calls go again in two halves, down to one
    // item a request (the halving rule of checkMany), and later requests are no larger than what it took.
    if (error instanceof InputError && error.code === 'TOO_MANY_ITEMS') {
      const waiting = entries.filter((e) => e.waiters.some((w) => !w.done));
      if (waiting.length > 1) {
        const half = Math.ceil(waiting.length / 2);
        this.owner.lowerMaxItems(half);
        for (const part of [waiting.slice(0, half), waiting.slice(half)]) this.owner.resend(this.contextText, part);
        return;
      }
    }
    // Each call rejects with its own copy: the client writes the call's duration onto it.
    let first = true;
    for (const entry of entries) {
      for (const w of entry.waiters) {
        if (!this.#settle(w)) continue;
        w.reject(first ? error : copyError(error));
        first = false;
      }
    }
  }

  /** Moves the waiting calls of `entries` (from a request refused as too large) into this new batch. */
  adopt(entries: readonly Entry[]): void {
    for (const entry of entries) {
      const moved: Entry = { text: entry.text, alone: entry.alone, waiters: [], itemId: '' };
      for (const w of entry.waiters) {
        if (w.done) continue;
        const copy = new Waiter(this, moved, w.deadlineAt, w.attemptTimeoutMs, w.signal, w.resolve, w.reject);
        // The old waiter is done (it no longer counts in the old request); its call now waits here.
        w.done = true;
        w.batch.live--;
        if (w.signal !== undefined) {
          removeAbortListener(w.signal, w);
          addAbortListener(w.signal, copy);
        }
        moved.waiters.push(copy);
        this.live++;
      }
      if (moved.waiters.length > 0) this.entries.set(moved.alone, moved);
    }
  }
}

function ownDeadline(): TimeoutError {
  return new TimeoutError('The call did not complete within its deadline', { scope: 'call' });
}

/** The batches of one client, one gathering per context. @internal */
export class AutoBatcher {
  readonly clock: Clock;
  readonly #options: ResolvedBatching;
  readonly #send: SendItems;
  #maxItems: number;
  #gathering = new Map<string, Batch>();
  #scheduled = false;

  constructor(options: ResolvedBatching, clock: Clock, send: SendItems) {
    this.#options = options;
    this.#maxItems = options.maxItems;
    this.clock = clock;
    this.#send = send;
  }

  /**
   * Adds one check to the request gathering for its context: `contextText` and `text` are the context and the item
   * (without its id) as contextJson and checkItemText wrote them from validated input, so equal text is an equal
   * context, an equal item; `alone` is the request of that item alone (singleCheckText); `deadlineAt` is the call's
   * deadline on the batcher's clock. It is sent when the turn
   * ends (or `maxDelayMs` passes), or at once when the request is full or the call's deadline would come first.
   */
  run(
    contextText: string,
    text: string,
    alone: string,
    timing: { timeoutMs: number; attemptTimeoutMs: number },
    deadlineAt: number,
    signal: AbortSignal | undefined,
  ): Promise<Carried> {
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    const delay = this.#options.maxDelayMs;
    let batch = this.#gathering.get(contextText);
    if (batch === undefined) {
      batch = new Batch(this, contextText);
      this.#gathering.set(contextText, batch);
      this.#schedule();
    }
    const carried = batch.add(text, alone, deadlineAt, timing.attemptTimeoutMs, signal);
    if (batch.entries.size >= this.#maxItems || (delay > 0 && deadlineAt <= this.#flushAt)) this.#flush(contextText, batch);
    return carried;
  }

  /**
   * A write started or ended: the checks gathered so far are sent now, and checks from now on gather in requests of
   * their own, never sharing an item with one that started before (see write-state.ts).
   */
  forget(): void {
    this.#sendAll();
  }

  /**
   * The client is closing: the calls still gathering end now, as the executor ends the calls it holds, rather than
   * when the batching timer would have sent them to a closed executor (or never, on a clock whose timers never fire).
   */
  close(): void {
    const batches = this.#gathering;
    this.#gathering = new Map();
    for (const batch of batches.values()) batch.end(() => new AbortError('The client was closed while the call was in flight'));
  }

  /** The gateway refused a request as too large: no later request is larger than `size`. */
  lowerMaxItems(size: number): void {
    if (size < this.#maxItems) this.#maxItems = size;
  }

  /** Sends again, at once, the calls of a request the gateway refused as too large. */
  resend(contextText: string, entries: readonly Entry[]): void {
    const batch = new Batch(this, contextText);
    batch.adopt(entries);
    batch.send(this.#send, this.clock);
  }

  #flushAt = Number.POSITIVE_INFINITY;
  /** One closure per client, not one per request. */
  readonly #flushAllNow = (): void => this.#flushAll();

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const delay = this.#options.maxDelayMs;
    if (delay === 0) {
      setImmediate(this.#flushAllNow);
    } else {
      this.#flushAt = this.clock.now() + delay;
      // Not unref'd: until it fires, nothing else may hold the process open for the calls gathered (no request exists
      // yet), and a process that exits here drops checks without a word. It is at most MAX_BATCH_DELAY_MS long.
      this.clock.setTimeout(() => this.#flushAll(), delay);
    }
  }

  #flush(contextText: string, batch: Batch): void {
    if (this.#gathering.get(contextText) === batch) this.#gathering.delete(contextText);
    batch.send(this.#send, this.clock);
  }

  #flushAll(): void {
    this.#scheduled = false;
    this.#flushAt = Number.POSITIVE_INFINITY;
    this.#sendAll();
  }

  #sendAll(): void {
    const batches = this.#gathering;
    if (batches.size === 0) return;
    this.#gathering = new Map();
    for (const batch of batches.values()) batch.send(this.#send, this.clock);
  }
}
