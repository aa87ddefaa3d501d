// Identical read checks in flight at the same time share one gateway request. Each caller keeps its own deadline and
// its own abort: a caller joins a request only when that request may run at least as long as the caller's own
// deadline, leaves it (with its own TimeoutError) when its own deadline comes first, and the shared request is aborted
// only when every caller has left.
import { TimeoutError } from '../errors/index';
import { abortErrorFrom } from './call';
import { addAbortListener, removeAbortListener } from '../internal/abort';
import { systemClock, type Clock } from './options';

/** @internal */
export interface Deduper {
  /**
   * Joins the request in flight under `key`, or starts one with `start`. The key lives only while the request is
   * in flight, beside the request body it names. The value is shared between callers: clone it before handing it out.
   * `start` gets a signal only when the first caller brought one: a caller without a signal never leaves early, so
   * the shared request can only need aborting when every caller could abort.
   * @param deadlineAt the caller's own deadline on the deduper's clock. A request in flight with an earlier deadline
   * is not joined (it would fail this caller early): a new one is started and takes its place for later callers.
   * @param scope a second part of the key, compared but not hashed: a check gives its item's text as `key` and its
   * context's text as `scope`, so each check hashes the short text that tells checks apart, not the whole body (the
   * client's own context is one string, compared by identity).
   */
  run<T>(
    key: string,
    start: (signal: AbortSignal | undefined) => Promise<T>,
    callerSignal?: AbortSignal,
    deadlineAt?: number,
    scope?: string,
  ): Promise<T>;
  /**
   * Whether `value`, as run gave it out, went to more than one caller (so each must copy it before changing it). A
   * value nobody joined is the caller's alone and needs no copy. Read it once the value is in hand: no caller can join
   * after that.
   */
  isShared(value: unknown): boolean;
  /** Requests in flight. */
  readonly size: number;
}

/** One request in flight, and its entry in the table. */
class Shared {
  /** The next entry of its bucket, while it is in the table. */
  next: Shared | undefined = undefined;
  inTable = false;
  promise!: Promise<unknown>;
  callers = 0;
  /** A second caller joined: the value goes to more than one caller. */
  joined = false;

  constructor(
    readonly key: string,
    readonly scope: string | undefined,
    readonly hash: number,
    readonly controller: AbortController | undefined,
    readonly deadlineAt: number,
  ) {}
}

/** FNV-1a over the key's UTF-16 code units. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The requests in flight by key: a hash table whose entries are unlinked, and unlink nothing else, as they leave.
 *
 * Why not a Map: every check adds a key and deletes it, so V8 replaces a Map's backing table every few dozen checks,
 * and a replaced table keeps a link to its successor (for iterators in progress) and the entries it held. Once one
 * table is in the old generation, that chain keeps every later table, every entry and so every check's objects alive
 * through the young collections until a full one. Measured over a dispatcher that answers at once, 16 checks in
 * flight: 12 µs of client CPU per check with a Map, 8 µs with this table, 7 µs with no table at all. These buckets
 * never move, and an entry that leaves points nowhere.
 */
class InFlightTable {
  private buckets: (Shared | undefined)[] = new Array<Shared | undefined>(64).fill(undefined);
  size = 0;

  get(key: string, scope: string | undefined, hash: number): Shared | undefined {
    for (let e = this.buckets[hash & (this.buckets.length - 1)]; e !== undefined; e = e.next) {
      if (e.hash === hash && e.key === key && e.scope === scope) return e;
    }
    return undefined;
  }

  /** Adds `entry`; the table must hold no other entry of its key. */
  add(entry: Shared): void {
    if (this.size >= this.buckets.length * 2) this.grow();
    const i = entry.hash & (this.buckets.length - 1);
    entry.next = this.buckets[i];
    this.buckets[i] = entry;
    entry.inTable = true;
    this.size++;
  }

  remove(entry: Shared): void {
    if (!entry.inTable) return;
    const i = entry.hash & (this.buckets.length - 1);
    let e = this.buckets[i];
    if (e === entry) this.buckets[i] = entry.next;
    else {
      while (e !== undefined && e.next !== entry) e = e.next;
      if (e !== undefined) e.next = entry.next;
    }
    entry.next = undefined;
    entry.inTable = false;
    this.size--;
  }

  private grow(): void {
    const old = this.buckets;
    this.buckets = new Array<Shared | undefined>(old.length * 2).fill(undefined);
    const mask = this.buckets.length - 1;
    for (let i = 0; i < old.length; i++) {
      let e = old[i];
      while (e !== undefined) {
        const next = e.next;
        const j = e.hash & mask;
        e.next = this.buckets[j];
        this.buckets[j] = e;
        e = next;
      }
      old[i] = undefined;
    }
  }
}

/**
 * A copy of an error with its class, brand and every own property (a shared failure must not be edited through one
 * caller). Automatic batching gives the calls of a failed request the same copies. @internal
 */
export function copyError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  return Object.defineProperties(Object.create(Object.getPrototypeOf(error) as object) as object, Object.getOwnPropertyDescriptors(error));
}

/** The most a joiner's deadline may lie past the shared request's. @unit milliseconds */
const JOIN_SLACK_MS = 250;

/**
 * Whether a caller whose own deadline is `deadlineAt` may join a request in flight that runs to `requestDeadlineAt`:
 * identical checks a few milliseconds apart share a request, and the joiner may end up to a tenth of its time (at
 * most JOIN_SLACK_MS) before its own deadline, never more. The in-flight table and automatic batching join by this one
 * rule. The clock is read only when the request would end first. @internal
 */
export function mayJoin(requestDeadlineAt: number, deadlineAt: number, clock: Clock): boolean {
  if (requestDeadlineAt >= deadlineAt) return true;
  const slack = Number.isFinite(deadlineAt) ? Math.min(JOIN_SLACK_MS, Math.max(0, deadlineAt - clock.now()) / 10) : 0;
  return requestDeadlineAt + slack >= deadlineAt;
}

export function createDeduper(clock: Clock = systemClock): Deduper {
  const inFlight = new InFlightTable();
  // The values of joined requests. Marked when the request settles, before any caller's own continuation runs (that
  // reaction was registered first), and no caller can join after it, since the entry leaves the table then too.
  const sharedValues = new WeakSet<object>();

  const startShared = (
    key: string,
    scope: string | undefined,
    hash: number,
    start: (signal: AbortSignal | undefined) => Promise<unknown>,
    withSignal: boolean,
    deadlineAt: number,
    replacing: Shared | undefined,
  ): Shared => {
    // An AbortController per call costs a measurable share of a check's CPU: make one only when it can be used.
    const controller = withSignal ? new AbortController() : undefined;
    const shared = new Shared(key, scope, hash, controller, deadlineAt);
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(start(controller?.signal));
    } catch (error) {
      promise = Promise.reject(error);
    }
    shared.promise = promise;
    const remove = (): void => inFlight.remove(shared);
    promise.then((value) => {
      if (shared.joined && typeof value === 'object' && value !== null) sharedValues.add(value);
      remove();
    }, remove);
    // A request with an earlier deadline under the same key runs on, out of the table: later callers find this one.
    if (replacing !== undefined) inFlight.remove(replacing);
    inFlight.add(shared);
    return shared;
  };

  return {
    run<T>(
      key: string,
      start: (signal: AbortSignal | undefined) => Promise<T>,
      callerSignal?: AbortSignal,
      deadlineAt: number = Number.POSITIVE_INFINITY,
      scope?: string,
    ): Promise<T> {
      if (callerSignal?.aborted) return Promise.reject(abortErrorFrom(callerSignal));
      const hash = hashOf(key);
      const existing = inFlight.get(key, scope, hash);
      // Nearly every check finds nothing to join, and then needs neither the slack nor the clock.
      const joined = existing !== undefined && mayJoin(existing.deadlineAt, deadlineAt, clock);
      const shared = joined ? existing : startShared(key, scope, hash, start, callerSignal !== undefined, deadlineAt, existing);
      shared.callers++;
      if (joined) shared.joined = true;
      // The caller that started the request, with no signal: nothing can make it leave before the request ends.
      if (!joined && callerSignal === undefined) return shared.promise as Promise<T>;
      // The caller that started the request has its deadline enforced by the request itself; a joiner whose
      // deadline comes before the shared one needs its own.
      const ownDeadline = joined && deadlineAt < shared.deadlineAt && Number.isFinite(deadlineAt);
      // The caller that started the request gets its error itself; each joiner gets its own copy, since the client
      // writes the call's request id and duration onto it.
      const failure = joined ? (error: unknown) => copyError(error) : (error: unknown) => error;
      if (callerSignal === undefined && !ownDeadline) {
        return joined ? (shared.promise.catch((error: unknown) => Promise.reject(failure(error))) as Promise<T>) : (shared.promise as Promise<T>);
      }
      return new Promise<T>((resolve, reject) => {
        let left = false;
        let timer: unknown;
        const leave = (): boolean => {
          if (left) return false;
          left = true;
          shared.callers--;
          if (timer !== undefined) clock.clearTimeout(timer);
          if (callerSignal !== undefined) removeAbortListener(callerSignal, onAbort);
          return true;
        };
        const leaveEarly = (error: unknown): void => {
          if (!leave()) return;
          if (shared.callers === 0) {
            // Nobody waits any more: free the gateway and let the next identical check start afresh.
            inFlight.remove(shared);
            shared.controller?.abort(error);
          }
          reject(error);
        };
        const onAbort = (): void => leaveEarly(abortErrorFrom(callerSignal as AbortSignal));
        if (callerSignal !== undefined) addAbortListener(callerSignal, onAbort);
        if (ownDeadline) {
          timer = clock.setTimeout(
            () => leaveEarly(new TimeoutError('The call did not complete within its deadline', { scope: 'call' })),
            Math.max(0, deadlineAt - clock.now()),
          );
          (timer as { unref?: () => void } | undefined)?.unref?.();
        }
        shared.promise.then(
          (value) => {
            if (leave()) resolve(value as T);
          },
          (error: unknown) => {
            if (leave()) reject(failure(error));
          },
        );
      });
    },
    isShared(value: unknown): boolean {
      return typeof value === 'object' && value !== null && sharedValues.has(value);
    },
    get size() {
      return inFlight.size;
    },
  };
}
