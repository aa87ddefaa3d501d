// Automatic batching: single checks in flight at the same time, under exactly the same context, go as the items of one
// POST /v1/checks. A request is made for the calls, never the other way round: each call keeps its own deadline, abort,
// result and error, and the request is aborted only when every call it carries has left. A call's answer is found by
// its item id alone (answersByItem, the one rule): an id never asked or answered twice means the numbering cannot be
// trusted and no call of the request is believed; an item left out fails only the calls that asked it.
// Identical checks are joined here, by the item's text, rather than in the in-flight table: one item per request for
// the calls gathered, and (with `dedupe` on) a call may join an identical item of a request already in flight, by the
// table's own rule (mayJoin) and with the table's guarantees: its own deadline, its own abort, and a request aborted only
// when every call it carries has left.
import { newRequestId } from '../internal/ids';
import { AbortError, InputError, ProtocolError, TimeoutError } from '../errors/index';
import { abortErrorFrom, addAbortListener, removeAbortListener } from '../internal/abort';
import type { CheckItemResponse, CheckResponse } from '../protocol/wire';
import { numberedCheckRequest, singleCheckText } from '../protocol/request-body';
import { copyError, mayJoin, type CallOutcome, type Clock } from '../resilience/index';
import { ownCopy, type CheckAnswer } from './items';
import type { ResponseInfo } from '../errors/index';
import type { RequestProfile } from './defaults';

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
 * const results = await Promise.all(passengers.map((p) => client.check({ subjects: p.subjects })));
 * ```
 */
export interface BatchingOptions {
  /**
   * The most items one request carries, at most the protocol's 1000. A request answers when its slowest item is
   * searched, so larger requests trade each call's latency for fewer requests; 100 already cuts the requests of 256
   * checks in flight to three. From 32 distinct checks on, calls gathered (the breaker closed) go as up to three
   * requests, less those of their context already out, of at least 16 items each, so the gateway searches one while
   * the client reads another. A gateway that answers `413` gets halves, and later requests are no larger than what it
   * took.
   * @default 100
   */
  maxItems?: number | undefined;
  /**
   * How long the first call of a request waits for others before the request is sent. `0`: when no request of the
   * call's context is out, the calls go as soon as the current turn's promise jobs are done (as DataLoader batches),
   * so calls made together share a request and a lone call waits for nothing; while one is out, calls gather to the
   * end of the event-loop round (`setImmediate`), where the answers of that round have released theirs. A call never
   * waits here past its own deadline.
   * @unit milliseconds @default 0
   */
  maxDelayMs?: number | undefined;
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

/** One call's share of a request: its item's answer (its own to edit), and the request that carried it. @internal */
export interface Carried {
  item: CheckItemResponse;
  response: CheckResponse;
  /** What the result says of the gateway's answer (frozen, shared by the calls of the request). */
  info: ResponseInfo;
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
  profile: RequestProfile,
) => Promise<CallOutcome<CheckAnswer>>;

const SINGLE_ITEM: readonly string[] = Object.freeze(['1']);

/**
 * How many requests of one lane a large gathering is split to keep at the gateway at once (see #flush), and the fewest
 * items a part of a split may hold: below it a request's own cost outweighs what the overlap saves.
 */
const PIPELINE_DEPTH = 3;
const PIPELINE_PART = 16;

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

/** One item of a request: identical checks are one item, answered to each of its calls. */
class Entry {
  itemId = '';
  /** Its calls still waiting. */
  live = 0;
  readonly waiters: Waiter[] = [];
  constructor(
    /** `{"subjects":…,"sources":…}`, the item without its id, as checkItemText wrote it from validated input. */
    readonly text: string,
  ) {}
}

/**
 * The calls of one context and one request profile (the same headers and retry policy: a request carries one of
 * each): the request gathering, and (only with joining on) its requests in flight, oldest first, whose items a call
 * may still join. A lane lives while it holds either. The requests are listed rather than each item: a request is
 * listed and unlisted once, and its items are found in its own map by their text.
 */
class Lane {
  gathering: Batch | undefined;
  readonly inFlight: Batch[] = [];
  /** Its requests sent and not yet ended (answered or failed), joined or not. */
  sending = 0;
  constructor(
    /** Its key among the lanes: the context's text, then the profile's key when it has one. */
    readonly key: string,
    readonly contextText: string,
    readonly profile: RequestProfile,
  ) {}
}

/** The calls of one context gathered for one request, then the request itself. */
class Batch {
  /** By the item's text: within one context equal text is an equal check. */
  readonly entries = new Map<string, Entry>();
  /** Calls still waiting. */
  live = 0;
  sent = false;
  requestId = '';
  /** Once sent, the deadline the request runs to: the latest of its calls' when it was sent. */
  deadlineAt = Number.POSITIVE_INFINITY;
  #controller: AbortController | undefined;
  #ended = false;
  #timer: unknown;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly owner: AutoBatcher,
    readonly lane: Lane,
  ) {}

  /** Adds a call to the item `entry` of this gathering request (found by its text), or to a new one when undefined. */
  add(entry: Entry | undefined, text: string, deadlineAt: number, attemptTimeoutMs: number, signal: AbortSignal | undefined): Promise<Carried> {
    let target = entry;
    if (target === undefined) {
      target = new Entry(text);
      this.entries.set(text, target);
    }
    return this.#wait(target, deadlineAt, attemptTimeoutMs, signal);
  }

  /** A call joins the item `entry` of this request, already sent (mayJoin said it may). */
  join(entry: Entry, deadlineAt: number, attemptTimeoutMs: number, signal: AbortSignal | undefined): Promise<Carried> {
    const carried = this.#wait(entry, deadlineAt, attemptTimeoutMs, signal);
    // A joiner whose deadline comes before the request's leaves at its own.
    if (deadlineAt < this.deadlineAt && deadlineAt < this.#timerAt) this.#armDeadlines(this.owner.clock);
    return carried;
  }

  #wait(entry: Entry, deadlineAt: number, attemptTimeoutMs: number, signal: AbortSignal | undefined): Promise<Carried> {
    return new Promise<Carried>((resolve, reject) => {
      const waiter = new Waiter(this, entry, deadlineAt, attemptTimeoutMs, signal, resolve, reject);
      entry.waiters.push(waiter);
      entry.live++;
      this.live++;
      if (signal !== undefined) addAbortListener(signal, waiter);
    });
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
    waiter.entry.live--;
    // A request nobody waits for is no longer joined: it may be aborted, and the next identical check starts afresh.
    if (this.live === 0 && this.sent) this.owner.unlist(this);
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
      if (entry.live === 0) continue;
      const waiters = entry.waiters;
      for (let k = 0; k < waiters.length; k++) {
        const w = waiters[k]!;
        if (w.done) continue;
        if (w.deadlineAt > latest) latest = w.deadlineAt;
        if (w.deadlineAt < earliest) earliest = w.deadlineAt;
        if (w.attemptTimeoutMs > attemptTimeoutMs) attemptTimeoutMs = w.attemptTimeoutMs;
        if (w.signal !== undefined) withSignal = true;
      }
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
    this.lane.sending++;
    this.deadlineAt = latest;
    this.requestId = newRequestId();
    if (earliest < latest) this.#armDeadlines(clock);
    const contextText = this.lane.contextText;
    // The items as validated and written once, each with its id in front.
    const body = entries.length === 1 ? singleCheckText(contextText, entries[0]!.text) : numberedCheckRequest(contextText, entries);
    // Only a call with a signal can leave before the request's own deadline (the latest of its calls'), so only then
    // may the request need aborting: an AbortController per request is otherwise a measurable cost for nothing.
    const controller = withSignal ? new AbortController() : undefined;
    this.#controller = controller;
    if (this.owner.joins) this.lane.inFlight.push(this);
    const askedIds = entries.length === 1 ? SINGLE_ITEM : entries.map((e) => e.itemId);
    send(body, this.requestId, askedIds, { timeoutMs, attemptTimeoutMs: Math.min(attemptTimeoutMs, timeoutMs) }, controller?.signal, this.lane.profile).then(
      (outcome) => this.#answer(entries, outcome),
      (error: unknown) => this.#fail(entries, error, clock),
    );
  }

  /**
   * The request runs to its latest call's deadline; calls whose deadline comes sooner leave at theirs. One timer per
   * request, re-armed for the next deadline, rather than one per call.
   */
  #armDeadlines(clock: Clock): void {
    this.#stopTimer(clock);
    const latest = this.deadlineAt;
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.entries.values()) for (const w of entry.waiters) if (!w.done && w.deadlineAt < latest && w.deadlineAt < next) next = w.deadlineAt;
    if (next === Number.POSITIVE_INFINITY) return;
    this.#timerAt = next;
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      const now = clock.now();
      for (const entry of this.entries.values()) for (const w of entry.waiters) if (!w.done && w.deadlineAt <= now) this.leave(w, ownDeadline());
      if (this.live > 0) this.#armDeadlines(clock);
    }, Math.max(0, next - clock.now()));
    (this.#timer as { unref?: () => void } | undefined)?.unref?.();
  }

  #stopTimer(clock: Clock): void {
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  /** The request is over on the wire: no longer joined, no longer counted as its lane's. */
  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.lane.sending--;
    this.owner.unlist(this);
  }

  #answer(entries: readonly Entry[], outcome: CallOutcome<CheckAnswer>): void {
    this.#stopTimer(this.owner.clock);
    this.#end();
    const { response, byItem, info } = outcome.value;
    for (const entry of entries) {
      const item = byItem.get(entry.itemId);
      // The first call of an item takes the answer as read (readCheckAnswer made it for this request alone); each
      // other call gets its own copy, made here, before any of them can see it.
      let given = 0;
      for (const w of entry.waiters) {
        if (!this.#settle(w)) continue;
        if (item === undefined) {
          w.reject(new ProtocolError('The gateway answered without an item that was asked', { retryable: false, requestId: this.requestId, attempts: outcome.attempts }));
        } else {
          w.resolve({ item: given++ === 0 ? item : ownCopy(item), response, info, attempts: outcome.attempts, requestId: this.requestId });
        }
      }
    }
  }

  #fail(entries: readonly Entry[], error: unknown, clock: Clock): void {
    this.#stopTimer(clock);
    if (this.live === 0) return this.#end();
    // A gateway that takes fewer items per request says so with 413: the calls go again in two halves, down to one
    // item a request (the halving rule of checkMany), and later requests are no larger than what it took. The halves
    // are sent before this request ends, so its lane (and the joining of its items) lives on with them.
    if (error instanceof InputError && error.code === 'TOO_MANY_ITEMS') {
      const waiting = entries.filter((e) => e.live > 0);
      if (waiting.length > 1) {
        const half = Math.ceil(waiting.length / 2);
        this.owner.lowerMaxItems(half);
        for (const part of [waiting.slice(0, half), waiting.slice(half)]) this.owner.resend(this.lane, part);
        return this.#end();
      }
    }
    this.#end();
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

  /** Takes the items from the `from`-th on out of this gathering request (not sent yet), for another to adopt. */
  splitOff(from: number): Entry[] {
    const moved = [...this.entries.values()].slice(from);
    for (const entry of moved) this.entries.delete(entry.text);
    return moved;
  }

  /** How many items some call still waits for; the items every call left are dropped (they would not be sent). */
  liveItems(): number {
    for (const [text, entry] of this.entries) if (entry.live === 0) this.entries.delete(text);
    return this.entries.size;
  }

  /** Moves the waiting calls of `entries` (from a request refused as too large, or split off) into this new batch. */
  adopt(entries: readonly Entry[]): void {
    for (const entry of entries) {
      const moved = new Entry(entry.text);
      for (const w of entry.waiters) {
        if (w.done) continue;
        const copy = new Waiter(this, moved, w.deadlineAt, w.attemptTimeoutMs, w.signal, w.resolve, w.reject);
        // The old waiter is settled without an answer (it no longer counts in the old request); its call now waits here.
        w.batch.#settle(w);
        if (copy.signal !== undefined) addAbortListener(copy.signal, copy);
        moved.waiters.push(copy);
        moved.live++;
        this.live++;
      }
      if (moved.live > 0) this.entries.set(moved.text, moved);
    }
  }
}

function ownDeadline(): TimeoutError {
  return new TimeoutError('The call did not complete within its deadline', { scope: 'call' });
}

/** The batches of one client, one lane per context. @internal */
export class AutoBatcher {
  readonly clock: Clock;
  /** A call may join an identical item of a request in flight (the client's `dedupe` option). */
  readonly joins: boolean;
  readonly #options: ResolvedBatching;
  readonly #send: SendItems;
  readonly #mayPipeline: () => boolean;
  #maxItems: number;
  #lanes = new Map<string, Lane>();
  #scheduled = false;

  /**
   * `mayPipeline` says whether a second request may go out beside the first now: not while the breaker is half-open,
   * where the first is the probe and a second would be refused at once.
   */
  constructor(options: ResolvedBatching, clock: Clock, joins: boolean, send: SendItems, mayPipeline: () => boolean = () => true) {
    this.#mayPipeline = mayPipeline;
    this.#options = options;
    this.#maxItems = options.maxItems;
    this.clock = clock;
    this.joins = joins;
    this.#send = send;
  }

  /**
   * Adds one check to the request gathering for its context and profile: `contextText` and `text` are the context
   * and the item (without its id) as contextJson and checkItemText wrote them from validated input, so equal text is an
   * equal context, an equal item; `deadlineAt` is the call's deadline on the batcher's clock; `profile` the headers and
   * retry policy its request goes with (calls of other profiles never share a request). An identical check gathered
   * already is the same item; one in a request in flight is joined when mayJoin allows. The request is sent when the
   * turn ends (or `maxDelayMs` passes), or at once when it is full or the call's deadline would come first.
   */
  run(
    contextText: string,
    text: string,
    timing: { timeoutMs: number; attemptTimeoutMs: number },
    deadlineAt: number,
    signal: AbortSignal | undefined,
    profile: RequestProfile,
  ): Promise<Carried> {
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    // Neither text holds a control character (JSON escapes them, and profile keys are checked text), so NUL cannot be forged.
    const key = profile.key === '' ? contextText : `${contextText}\u0000${profile.key}`;
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      lane = new Lane(key, contextText, profile);
      this.#lanes.set(key, lane);
    }
    let batch = lane.gathering;
    const entry = batch?.entries.get(text);
    if (entry === undefined && lane.inFlight.length > 0) {
      const joined = this.#joinInFlight(lane, text, deadlineAt, timing.attemptTimeoutMs, signal);
      if (joined !== undefined) return joined;
    }
    if (batch === undefined) {
      batch = new Batch(this, lane);
      lane.gathering = batch;
      // A context with no request out has nothing to wait for: its calls go when this turn's promise jobs are done
      // (calls made together still share a request), not at the end of the loop round. While one of its requests is
      // out, its answers come back in separate I/O callbacks of a round, and the calls they release gather to the
      // round's end, where batching pays.
      if (lane.sending === 0 && this.#options.maxDelayMs === 0) this.#scheduleTick(lane);
      else this.#schedule();
    }
    const carried = batch.add(entry, text, deadlineAt, timing.attemptTimeoutMs, signal);
    if (batch.entries.size >= this.#maxItems || (this.#options.maxDelayMs > 0 && deadlineAt <= this.#flushAt)) this.#flush(lane);
    return carried;
  }

  /**
   * The identical item of the latest request in flight that asked it, when the call may join it (mayJoin), as the
   * in-flight table keeps the latest request for a key: a request that would end too soon is not joined, and the
   * call's own request takes its place for later calls. An item whose calls all left is not joined either.
   */
  #joinInFlight(lane: Lane, text: string, deadlineAt: number, attemptTimeoutMs: number, signal: AbortSignal | undefined): Promise<Carried> | undefined {
    const requests = lane.inFlight;
    for (let i = requests.length - 1; i >= 0; i--) {
      const request = requests[i]!;
      const entry = request.entries.get(text);
      if (entry === undefined) continue;
      return entry.live > 0 && mayJoin(request.deadlineAt, deadlineAt, this.clock) ? request.join(entry, deadlineAt, attemptTimeoutMs, signal) : undefined;
    }
    return undefined;
  }

  /** A request is answered, failed or left by every call: none of its items is joined from now on. */
  unlist(batch: Batch): void {
    const lane = batch.lane;
    const i = lane.inFlight.indexOf(batch);
    if (i !== -1) lane.inFlight.splice(i, 1);
    this.#dropIfIdle(lane);
  }

  /**
   * A write started or ended: the checks gathered so far are sent now, and checks from now on gather in requests of
   * their own, never sharing an item with one that started before (see write-state.ts): the lanes, and with them the
   * items in flight that could be joined, start afresh.
   */
  forget(): void {
    this.#sendAll();
    this.#lanes = new Map();
  }

  /**
   * The client is closing: the calls still gathering end now, as the executor ends the calls it holds, rather than
   * when the batching timer would have sent them to a closed executor (or never, on a clock whose timers never fire).
   */
  close(): void {
    const lanes = this.#lanes;
    this.#lanes = new Map();
    for (const lane of lanes.values()) {
      const batch = lane.gathering;
      lane.gathering = undefined;
      batch?.end(() => new AbortError('The client was closed while the call was in flight'));
    }
  }

  /** The gateway refused a request as too large: no later request is larger than `size`. */
  lowerMaxItems(size: number): void {
    if (size < this.#maxItems) this.#maxItems = size;
  }

  /** Sends again, at once, the calls of a request the gateway refused as too large. */
  resend(lane: Lane, entries: readonly Entry[]): void {
    const batch = new Batch(this, lane);
    batch.adopt(entries);
    batch.send(this.#send, this.clock);
  }

  #flushAt = Number.POSITIVE_INFINITY;
  /** One closure per client, not one per request. */
  readonly #flushAllNow = (): void => this.#flushAll();
  /** Lanes with no request out whose calls go after this turn's promise jobs. */
  #tickLanes: Lane[] = [];
  readonly #flushTickNow = (): void => {
    const lanes = this.#tickLanes;
    this.#tickLanes = [];
    for (const lane of lanes) if (this.#lanes.get(lane.key) === lane) this.#flush(lane);
  };

  #scheduleTick(lane: Lane): void {
    // A tick queued from a promise job runs once the promise jobs are all done; one queued from a callback of the loop
    // would run before them (Node runs its ticks first), so the tick is queued from a promise job (as DataLoader does).
    if (this.#tickLanes.push(lane) === 1) queueMicrotask(this.#queueFlushTick);
  }

  readonly #queueFlushTick = (): void => {
    process.nextTick(this.#flushTickNow);
  };

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
      this.clock.setTimeout(this.#flushAllNow, delay);
    }
  }

  #flush(lane: Lane): void {
    const batch = lane.gathering;
    if (batch === undefined) return;
    lane.gathering = undefined;
    // A large gathering goes as up to PIPELINE_DEPTH requests, less those of the lane already out, of at least
    // PIPELINE_PART items each: the gateway searches one while the client reads the answer to another and gathers the
    // calls that answer releases, so the gateway always has a request waiting (bench/batching.ts, 64 in flight: three
    // requests of 21 run 1.18× the median of two of 32, and two 1.28× one of 64). Not while the breaker is half-open:
    // it lets one probe through, and would refuse the others.
    // Counted over the items some call still waits for: those every call left are not sent.
    const parts = batch.entries.size < 2 * PIPELINE_PART ? 1 : Math.min(PIPELINE_DEPTH - lane.sending, Math.floor(batch.liveItems() / PIPELINE_PART));
    if (parts >= 2 && this.#mayPipeline()) {
      // Split from the end, then sent in the calls' order.
      const others: Batch[] = [];
      for (let k = parts; k >= 2; k--) {
        const part = new Batch(this, lane);
        part.adopt(batch.splitOff(Math.ceil((batch.entries.size * (k - 1)) / k)));
        others.push(part);
      }
      batch.send(this.#send, this.clock);
      for (let k = others.length - 1; k >= 0; k--) others[k]!.send(this.#send, this.clock);
    } else {
      batch.send(this.#send, this.clock);
    }
    this.#dropIfIdle(lane);
  }

  #flushAll(): void {
    this.#scheduled = false;
    this.#flushAt = Number.POSITIVE_INFINITY;
    this.#sendAll();
  }

  #sendAll(): void {
    for (const lane of this.#lanes.values()) this.#flush(lane);
  }

  #dropIfIdle(lane: Lane): void {
    if (lane.gathering === undefined && lane.inFlight.length === 0 && lane.sending === 0 && this.#lanes.get(lane.key) === lane) this.#lanes.delete(lane.key);
  }
}
