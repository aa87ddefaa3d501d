// The durable outbox: a write the gateway could not take is queued on disk under its idempotency key and replayed in
// order, with the same key and the same body, until the gateway stores it or refuses it for good. Rule 3 across
// restarts: the key is the write's identity, so a replay after a crash (even one between the gateway's answer and the
// local "delivered" mark) is stored once.
import type { BorderlinkError } from '../errors/index';
import type { OutboxEntry, OutboxStore } from '../stores/types';
import { checkPendingOptions } from './check-options';
import { isRefusal } from './offline';

/**
 * Queue the writes the gateway cannot take (`createClient({ outbox })`): a report or withdrawal that ends in a
 * connection error, a timeout, an open circuit or a 5xx after its retries is kept on disk and resolves as
 * {@link QueuedWrite}; the outbox replays it in order, under the same idempotency key, when the gateway answers again.
 * @example
 * ```ts
 * import { openOfflineStore } from 'borderlink/offline';
 * const store = openOfflineStore({ path: '/var/lib/lane/copy.db', hmacKey, encryptionKey });
 * const client = createClient({ transport, context, outbox: { store: store.outbox } });
 * client.on('delivered', (e) => markSent(e.idempotencyKey));
 * client.on('rejected', (e) => showToSupervisor(e.idempotencyKey, e.code));
 * ```
 */
export interface OutboxOptions {
  /** Where queued writes are kept: `store.outbox` of `openOfflineStore()`, or your own {@link OutboxStore}. */
  store: OutboxStore;
  /**
   * How often the queue is replayed while it holds writes (also after every write the gateway took): from a second to
   * a day. @unit milliseconds @default 30000
   */
  flushIntervalMs?: number | undefined;
}

/** A write queued in the outbox instead of stored: it will be replayed under `idempotencyKey`. */
export interface QueuedWrite {
  status: 'QUEUED';
  /** The key it is queued and replayed under: keep it to match the `delivered` or `rejected` event. */
  idempotencyKey: string;
  /** When it was queued (ISO 8601). */
  queuedAt: string;
  /** The code of the error that made it queue (`CONNECTION_FAILED`, `TIMEOUT`, `CIRCUIT_OPEN`, a 5xx's code), or `OUTBOX_NOT_EMPTY` when older writes were still waiting: writes leave in order. */
  reason: string;
}

/** A queued write, as `client.outbox.pending()` lists it: no body (it holds personal data). */
export interface PendingWrite {
  idempotencyKey: string;
  kind: OutboxEntry['kind'];
  /** ISO 8601. */
  queuedAt: string;
  /** Replays tried so far. */
  attempts: number;
  /** Its place in the queue: give the last one of a page as `after` to list the next page. */
  position: number;
}

/** The outbox's events. */
export interface QueuedEvent {
  type: 'queued';
  idempotencyKey: string;
  kind: OutboxEntry['kind'];
  reason: string;
}
/** A queued write reached the gateway and was stored (or had been stored already: `replayed`). */
export interface DeliveredEvent {
  type: 'delivered';
  idempotencyKey: string;
  kind: OutboxEntry['kind'];
  recordId: string;
  replayed: boolean;
}
/** The gateway refused a queued write for good (a 4xx such as `NOT_ISSUER`): show it to a person; it is not retried. */
export interface RejectedEvent {
  type: 'rejected';
  idempotencyKey: string;
  kind: OutboxEntry['kind'];
  /** The error's code, e.g. `NOT_ISSUER`, `INVALID_REQUEST`, `NOT_FOUND`. */
  code: string;
}

/** Options of `client.outbox.pending()`. */
export interface PendingOptions {
  /** The most writes listed, 1 to 10,000. @default 1000 */
  limit?: number | undefined;
  /**
   * The `position` of the last write of the page before: the list goes on after it. A write delivered and queued
   * again between two pages is listed again, at its new place; none is passed over.
   * @default the start of the queue
   */
  after?: number | undefined;
}

/** The outbox as the client shows it. */
export interface OutboxHandle {
  /**
   * Queued writes not yet delivered nor rejected, oldest first: a page of at most `limit` (1,000 unless given). A
   * longer queue is read page by page, each from the position of the last write of the one before; `pendingCount()` says
   * how many wait in all.
   * @throws {ConfigError} for options it refuses, named.
   * @example
   * ```ts
   * for (let page = outbox.pending(); page.length > 0; page = outbox.pending({ after: page.at(-1)!.position })) {
   *   for (const write of page) console.log(write.idempotencyKey, write.queuedAt);
   * }
   * ```
   */
  pending(options?: PendingOptions): PendingWrite[];
  /** How many writes wait in the queue, not yet delivered nor rejected. */
  pendingCount(): number;
  /** Replays the queue now, in order, until it is empty or the gateway cannot be reached; resolves with how many left it. */
  flush(): Promise<{ delivered: number; rejected: number; pending: number }>;
}

/**
 * Whether a failed replay is a refusal for good. A missing or wrong token and a rate limit are the sender's state, not
 * the write's: they keep it queued, as does anything that says the gateway could not be reached.
 * @internal
 */
export function isRejection(err: unknown): err is BorderlinkError {
  return isRefusal(err);
}

/** What the outbox needs from the client. @internal */
export interface OutboxDeps {
  /** Sends one queued write, exactly as queued; resolves with the record id and whether it was a replay. */
  send(entry: OutboxEntry): Promise<{ recordId: string; replayed: boolean }>;
  emit(event: QueuedEvent | DeliveredEvent | RejectedEvent): void;
  /** Timers of the client's clock. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The client's outbox: queueing, ordered replay, one replay at a time. @internal */
export class Outbox implements OutboxHandle {
  readonly #store: OutboxStore;
  readonly #deps: OutboxDeps;
  readonly #intervalMs: number;
  #flushing: Promise<{ delivered: number; rejected: number; pending: number }> | undefined;
  #timer: unknown;
  #closed = false;

  constructor(options: OutboxOptions, deps: OutboxDeps) {
    this.#store = options.store;
    this.#deps = deps;
    this.#intervalMs = options.flushIntervalMs ?? 30_000;
    // Writes queued before a restart are replayed without waiting for a new one.
    this.linkUp();
  }

  /** Whether older writes are still waiting: a new write then queues behind them. Throws what the store throws. */
  hasPending(): boolean {
    return this.#store.pending(1).length > 0;
  }

  /** Queues a write durably and answers for it. */
  queue(entry: Omit<OutboxEntry, 'attempts' | 'queuedAt' | 'position'>, reason: string): QueuedWrite {
    const queuedAt = Date.now();
    this.#store.enqueue({ ...entry, queuedAt });
    this.#deps.emit({ type: 'queued', idempotencyKey: entry.idempotencyKey, kind: entry.kind, reason });
    this.#schedule(this.#intervalMs);
    return { status: 'QUEUED', idempotencyKey: entry.idempotencyKey, queuedAt: new Date(queuedAt).toISOString(), reason };
  }

  pending(options?: PendingOptions): PendingWrite[] {
    const { limit, after } = checkPendingOptions(options);
    return this.#store.pending(limit, after).map((e) => ({
      idempotencyKey: e.idempotencyKey,
      kind: e.kind,
      queuedAt: new Date(e.queuedAt).toISOString(),
      attempts: e.attempts,
      position: e.position,
    }));
  }

  pendingCount(): number {
    return this.#store.pendingCount();
  }

  /** The gateway took a write: the link is back, so replay what waits. Never throws: a store that fails is met by the replay. */
  linkUp(): void {
    if (this.#flushing !== undefined) return;
    let waiting: boolean;
    try {
      waiting = this.hasPending();
    } catch {
      waiting = true;
    }
    if (waiting) this.#schedule(0);
  }

  flush(): Promise<{ delivered: number; rejected: number; pending: number }> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #drain(): Promise<{ delivered: number; rejected: number; pending: number }> {
    let delivered = 0;
    let rejected = 0;
    while (!this.#closed) {
      const [entry] = this.#store.pending(1);
      if (entry === undefined) break;
      // The send's failure and the store's are apart: a store that cannot mark a stored write delivered leaves it
      // queued (the next replay is answered as a replay), never counted as an attempt that failed.
      let answer: { recordId: string; replayed: boolean } | undefined;
      let failure: unknown;
      try {
        answer = await this.#deps.send(entry);
      } catch (err) {
        failure = err;
      }
      if (answer !== undefined) {
        this.#store.delivered(entry.idempotencyKey);
        delivered++;
        this.#deps.emit({ type: 'delivered', idempotencyKey: entry.idempotencyKey, kind: entry.kind, recordId: answer.recordId, replayed: answer.replayed });
        continue;
      }
      if (isRejection(failure)) {
        this.#store.rejected(entry.idempotencyKey, failure.code);
        rejected++;
        this.#deps.emit({ type: 'rejected', idempotencyKey: entry.idempotencyKey, kind: entry.kind, code: failure.code });
        continue;
      }
      // Still unreachable (or not ours to decide): the write stays first in line, and everything behind it waits.
      this.#store.attempted(entry.idempotencyKey);
      this.#schedule(this.#intervalMs);
      break;
    }
    return { delivered, rejected, pending: this.#store.pendingCount() };
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    if (this.#timer !== undefined) {
      if (ms > 0) return;
      this.#deps.clearTimeout(this.#timer);
    }
    this.#timer = this.#deps.setTimeout(() => {
      this.#timer = undefined;
      // Nobody awaits this replay: a store that fails is tried again later, and `flush()` shows the failure to a caller.
      this.flush().catch(() => this.#schedule(this.#intervalMs));
    }, ms);
    (this.#timer as { unref?: () => void } | undefined)?.unref?.();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#deps.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
