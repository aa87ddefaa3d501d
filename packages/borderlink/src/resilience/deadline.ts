// The call's deadline and the caller's signal, outermost. Attempts already stop at the deadline (the transport
// enforces each attempt's timeoutMs), so this layer is the backstop for a transport that does not: one shared
// watchdog timer per executor, armed for the earliest deadline in flight, instead of a timer per call.
import { TimeoutError } from '../errors/index';
import { abortErrorFrom, type Answer, type Attempt, type Call, type Send } from './call';
import type { Clock } from './options';
import type { CallOutcome } from './types';
import { addAbortListener, removeAbortListener } from '../internal/abort';

/** How a call ends: its answer as the executor's outcome, or what it failed with as the executor's error. */
export interface CallEnd {
  succeeded<T>(answer: Answer<T>, call: Call<T>): CallOutcome<T>;
  failed(error: unknown, call: Call<unknown>): unknown;
}

/** One call in flight, linked into the watch's list (add and remove are O(1), with no hashing on the hot path). */
class Race<T> {
  prev: Race<unknown> | undefined = undefined;
  next: Race<unknown> | undefined = undefined;
  linked = false;
  done = false;
  resolve!: (outcome: CallOutcome<T>) => void;
  reject!: (error: unknown) => void;
  readonly deadlineAt: number;
  readonly signal: AbortSignal | undefined;

  constructor(
    readonly call: Call<T>,
    readonly watch: DeadlineWatch,
    readonly ending: CallEnd,
  ) {
    this.deadlineAt = call.deadlineAt;
    this.signal = call.spec.signal;
  }

  /** Ends the race once, as the call's outcome or error; later ends are ignored. */
  end(error: unknown, answer: Answer<T> | undefined): void {
    if (this.done) return;
    this.done = true;
    this.watch.unwatch(this as Race<unknown>);
    if (this.signal !== undefined) removeAbortListener(this.signal, this);
    if (answer !== undefined) {
      this.resolve(this.ending.succeeded(answer, this.call));
      return;
    }
    let failure: unknown;
    try {
      failure = this.ending.failed(error, this.call as Call<unknown>);
    } catch (thrown) {
      failure = thrown;
    }
    this.reject(failure);
  }

  /** The caller aborted (EventListener object, so no closure is made per call). */
  handleEvent(): void {
    this.end(abortErrorFrom(this.signal as AbortSignal), undefined);
  }

  expire(): void {
    this.end(new TimeoutError('The call did not complete within its deadline', { scope: 'call' }), undefined);
  }
}

/** @internal */
export interface DeadlineWatch {
  watch(race: Race<unknown>): void;
  unwatch(race: Race<unknown>): void;
  /** Calls in flight. */
  readonly size: number;
  /** Ends every call in flight with `error` (the client is closing). */
  endAll(error: () => Error): void;
  close(): void;
}

/**
 * One timer for all calls in flight. A call that ends does not clear it (that would cost a timer per call on the
 * hot path); the timer fires at most once per deadline, re-arms for the next deadline in flight, and stops when none
 * is left. So after the last call, at most one timer remains, until that call's deadline. It is unref'd: it never
 * keeps a process alive by itself.
 */
export function createDeadlineWatch(clock: Clock): DeadlineWatch {
  let head: Race<unknown> | undefined;
  let size = 0;
  let timer: unknown;
  let armedFor = Number.POSITIVE_INFINITY;

  function arm(at: number): void {
    if (at >= armedFor) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    armedFor = at;
    timer = clock.setTimeout(fire, Math.max(0, at - clock.now()));
    (timer as { unref?: () => void } | undefined)?.unref?.();
  }
  function fire(): void {
    timer = undefined;
    armedFor = Number.POSITIVE_INFINITY;
    const now = clock.now();
    const expired: Race<unknown>[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (let r = head; r !== undefined; r = r.next) {
      if (r.deadlineAt <= now) expired.push(r);
      else if (r.deadlineAt < next) next = r.deadlineAt;
    }
    for (const r of expired) r.expire();
    if (next !== Number.POSITIVE_INFINITY) arm(next);
  }

  return {
    watch(race) {
      race.next = head;
      if (head !== undefined) head.prev = race;
      head = race;
      race.linked = true;
      size++;
      arm(race.deadlineAt);
    },
    unwatch(race) {
      if (!race.linked) return;
      race.linked = false;
      if (race.prev !== undefined) race.prev.next = race.next;
      else head = race.next;
      if (race.next !== undefined) race.next.prev = race.prev;
      race.prev = race.next = undefined;
      size--;
    },
    get size() {
      return size;
    },
    endAll(error) {
      const all: Race<unknown>[] = [];
      for (let r = head; r !== undefined; r = r.next) all.push(r);
      for (const r of all) r.end(error(), undefined);
    },
    close() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      armedFor = Number.POSITIVE_INFINITY;
    },
  };
}

/**
 * The outermost layer: rejects with TimeoutError (scope 'call') at the deadline and with AbortError when the caller
 * aborts. Its promise is the call's own: the answer becomes the executor's outcome (or the failure its error, `end`)
 * as the race ends, not one turn of the microtask queue later in a promise of its own.
 */
export function deadline(watch: DeadlineWatch, end: CallEnd): (next: Send) => <T>(call: Call<T>, attempt: Attempt) => Promise<CallOutcome<T>> {
  return (next) =>
    <T>(call: Call<T>, attempt: Attempt): Promise<CallOutcome<T>> => {
      const signal = call.spec.signal;
      if (signal?.aborted) return Promise.reject(end.failed(abortErrorFrom(signal), call as Call<unknown>));
      const race = new Race<T>(call, watch, end);
      const promise = new Promise<CallOutcome<T>>((resolve, reject) => {
        race.resolve = resolve;
        race.reject = reject;
      });
      watch.watch(race as Race<unknown>);
      if (signal !== undefined) addAbortListener(signal, race);
      let pending: Promise<Answer<T>>;
      try {
        pending = next(call, attempt);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (answer) => race.end(undefined, answer),
        (error: unknown) => race.end(error, undefined),
      );
      return promise;
    };
}
