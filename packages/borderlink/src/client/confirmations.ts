// Hit confirmations: one request to the owner country per deadline, at most three, and a handle that follows them.
// The rules of the states are the table of queries/confirmation.ts, applied here one event at a time; nothing else
// moves a handle. Writes follow writes.ts (rule 3): each request has one idempotency key, reused on every retry of that
// request, named by every error of it. The first request's key is the caller's or a new UUID; the key of the next
// request is derived from the one that lapsed and who asks, so a client that crashed while renewing and resumes
// renews under the same key: the gateway replays the request it stored instead of asking the owner again. (Another
// operator taking it up sends another body, so another key; the gateway answers a second renewal of one request with
// the first: protocol v1's `renews` rule.)
import { createHash, randomUUID } from 'node:crypto';
import { newRequestId } from '../internal/ids';
import { z } from 'zod';
import { AbortError, BorderlinkError, InputError, NotFoundError, ProtocolError } from '../errors/index';
import { abortErrorFrom, isAbortSignal } from '../internal/abort';
import { canonicalJson } from '../internal/hash';
import { overDefined, parseOptions } from '../internal/options';
import {
  readConfirmationCreated,
  readConfirmationStatus,
  type ConfirmationCreated,
  type ConfirmationResponse,
  type ConfirmationStatus,
} from '../protocol/confirmation';
import { decodeAnswer } from '../protocol/decode';
import { parseRetryAfter } from '../protocol/errors';
import { contextHeaders } from '../protocol/snapshot';
import { HEADERS, PATHS, type ConfirmationRequestBody } from '../protocol/wire';
import {
  MAX_CONFIRMATION_REQUESTS,
  isFinalMachineState,
  nextConfirmationState,
  publicConfirmationState,
  type ConfirmationEvent,
  type ConfirmationMachineState,
  type ConfirmationPriority,
  type ConfirmationRequestState,
} from '../queries/confirmation';
import type { GatewayWarning, QueryContext, Source } from '../queries/types';
import { parseInput, safeParseWorded, toFieldIssues } from '../queries/validate';
import { SOURCES } from '../queries/values';
import { CONFIRMATION_ID, confirmationRequestSchema, hitIdSchema, type ConfirmationRequest } from '../reports/confirmation';
import { idempotencyKeySchema } from '../reports/index';
import { sleep } from '../resilience/call';
import { retryAfterOf } from '../resilience/classify';
import type { ResolvedResilience } from '../resilience/index';
import type { CallOutcome, Executor } from '../resilience/types';
import type { Recorder } from './audit';
import { checkReadOptions, checkWriteOptions, readWriteOptions } from './check-options';
import type { ContextFor } from './context';
import { callProfile, requestHeaders, type RequestProfile } from './defaults';
import type { ConfirmationSettings, ReadOptions, WriteOptions } from './options';
import { USER_AGENT } from './read';
import { writeError } from './writes';

export type { ConfirmationResponse } from '../protocol/confirmation';

/** The defaults of {@link ConfirmationSettings}. @internal */
export const CONFIRMATION_DEFAULTS = Object.freeze({
  deadlinesMs: Object.freeze({ URGENT: 10 * 60 * 1000, ROUTINE: 60 * 60 * 1000 }),
  pollIntervalMs: 2000,
  maxPollIntervalMs: 60 * 1000,
});

/** @internal */
export interface ResolvedConfirmationSettings {
  deadlinesMs: Readonly<Record<ConfirmationPriority, number>>;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
}

/** The settings with their defaults; the client's option check has already refused a wrong one. @internal */
export function resolveConfirmationSettings(settings: ConfirmationSettings | undefined): ResolvedConfirmationSettings {
  return {
    deadlinesMs: overDefined(CONFIRMATION_DEFAULTS.deadlinesMs, settings?.deadlinesMs),
    pollIntervalMs: settings?.pollIntervalMs ?? CONFIRMATION_DEFAULTS.pollIntervalMs,
    maxPollIntervalMs: settings?.maxPollIntervalMs ?? Math.max(CONFIRMATION_DEFAULTS.maxPollIntervalMs, settings?.pollIntervalMs ?? 0),
  };
}

/**
 * The hit to confirm: a hit of a check (its `source` and `recordId` then go into the audit event), or its `hitId`
 * alone.
 * @example
 * ```ts
 * await client.requestConfirmation(result.hits[0]!, { priority: 'URGENT', reason: 'Holder held at lane 7' });
 * await client.requestConfirmation({ hitId: 'HIT-000001-SLTD-UTO-0001' }, { priority: 'ROUTINE', reason: 'Document seized at lane 7' });
 * ```
 */
export interface HitRef {
  hitId: string;
  source?: Source | undefined;
  recordId?: string | undefined;
}

/**
 * A change of a {@link Confirmation}: its state, or the request in force (`attempt`, after one lapsed). Gateway text
 * (`response`) is the listener's to show, through terminal-safe rendering; the client never logs it.
 */
export interface ConfirmationChangeEvent {
  type: 'confirmation';
  hitId: string;
  /** The request in force, after the change. */
  confirmationId: string;
  from: ConfirmationRequestState;
  to: ConfirmationRequestState;
  /** Which request is in force: 1, 2 or 3. */
  attempt: number;
  /** When the request in force is due (ISO 8601). */
  dueAt: string;
  /** True for an owner's answer that came after the confirmation was `EXPIRED` (read by `refresh()`). */
  late: boolean;
  respondedAt?: string;
  response?: ConfirmationResponse;
}

/** Options of {@link Confirmation.wait} and {@link Confirmation.refresh}. */
export interface ConfirmationWaitOptions {
  /** Stops waiting (the confirmation itself goes on at the owner's end); the promise rejects with an `AbortError`. */
  signal?: AbortSignal | undefined;
}

/**
 * Where a confirmation stands as plain data: what to keep beside the case (with `confirmationId`, a restarted
 * application resumes it with `client.resumeConfirmation`), or print.
 */
export interface ConfirmationView {
  confirmationId: string;
  hitId: string;
  priority: ConfirmationPriority;
  state: ConfirmationRequestState;
  attempt: number;
  dueAt: string;
  idempotencyKey: string | undefined;
  respondedAt?: string;
  response?: ConfirmationResponse;
  warnings: GatewayWarning[];
}

/**
 * A confirmation of one hit by the country that owns its record, as it stands. Until it is `CONFIRMED` the hit is a
 * lead, not a decision. The handle does nothing by itself: `wait()` follows it (looking with back-off, honouring the
 * gateway's `retry-after`, and sending the next request when a deadline passes with no answer, at most three), and
 * `refresh()` looks once.
 * @example
 * ```ts
 * const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason: 'Holder held at lane 7' });
 * confirmation.on('confirmation', (e) => console.log(`${e.to}: request ${e.attempt}, due ${e.dueAt ?? '-'}`));
 * const state = await confirmation.wait({ signal: AbortSignal.timeout(40 * 60_000) });
 * if (state === 'CONFIRMED') showInstructions(confirmation.response?.instructions);
 * ```
 */
export interface Confirmation {
  /** The gateway's id of the request in force (the latest one): keep it to resume after a restart. */
  readonly confirmationId: string;
  readonly hitId: string;
  readonly priority: ConfirmationPriority;
  readonly state: ConfirmationRequestState;
  /** Which request is in force: 1, then 2 and 3 after a deadline passed with no answer. */
  readonly attempt: number;
  /**
   * When the request in force is due (ISO 8601): the earlier of the gateway's `dueAt` and the client's deadline for
   * the priority (`confirmations.deadlinesMs`), counted from when the gateway accepted it. A gateway `dueAt` not after
   * the request was made (a clock in the past) is not believed: a warning, and the client's deadline.
   */
  readonly dueAt: string;
  /** The idempotency key of the request in force, when this client sent it (undefined for one resumed). */
  readonly idempotencyKey: string | undefined;
  /** When the owner answered (ISO 8601), once it did. */
  readonly respondedAt: string | undefined;
  /** The owner's words, once it answered. Gateway text. */
  readonly response: ConfirmationResponse | undefined;
  /** What the gateway's last answer got wrong and the client read around. */
  readonly warnings: readonly GatewayWarning[];
  /**
   * Looks once: where the request in force stands (and, when its deadline passed with no answer, sends the next
   * request, or ends `EXPIRED` after the third). On a final state it looks too, and refuses an answer that
   * contradicts it with a `ProtocolError` (the state is kept). Rejects with what went wrong; the state is as far as it
   * got.
   */
  refresh(options?: ConfirmationWaitOptions): Promise<ConfirmationRequestState>;
  /**
   * Follows the confirmation until it is final (`CONFIRMED`, `NOT_CONFIRMED`, `RECORD_NO_LONGER_VALID`, `EXPIRED`),
   * then resolves with that state. A failure the gateway may recover from (a lost connection, a 503) is tried again
   * at the next look; any other rejects the wait (a `ProtocolError` for an answer the state table refuses). Several
   * waits share one follower.
   */
  wait(options?: ConfirmationWaitOptions): Promise<ConfirmationRequestState>;
  /** Listens to each change; returns a function that stops listening. A listener's failure is ignored. */
  on(type: 'confirmation', listener: (event: ConfirmationChangeEvent) => void): () => void;
  toJSON(): ConfirmationView;
}

/** What the confirmations need from the client. @internal */
export interface ConfirmationDeps {
  executor: Executor;
  resilience: ResolvedResilience;
  contextFor: ContextFor;
  recorder: Recorder;
  settings: ResolvedConfirmationSettings;
  assertOpen(): void;
  /** The client's headers and retry policy, under each call's own headers. */
  profile: RequestProfile;
  /**
   * The followers running, shared by a client and every client derived from it: closing the client stops them all.
   * @default a set of this one's own
   */
  following?: Set<AbortController>;
}

const onSchema = z.strictObject({
  type: z.literal('confirmation', { error: 'must be confirmation' }),
  listener: z.custom<(event: ConfirmationChangeEvent) => void>((v) => typeof v === 'function', { error: 'must be a function' }),
});

const waitOptionsSchema = z.strictObject({
  signal: z.custom<AbortSignal>(isAbortSignal, { error: 'must be an AbortSignal' }).optional(),
} satisfies Record<keyof ConfirmationWaitOptions, z.ZodType>);

/**
 * The key of the request that follows `lapsed`, asked by `context`: the same however often it is sent, from any
 * process, for the same body (a key with another body would be refused as reused).
 */
function renewalKey(hitId: string, lapsed: string, context: QueryContext): string {
  return `bl-renew-${createHash('sha256').update(`${hitId}\n${lapsed}\n${canonicalJson(context)}`).digest('hex').slice(0, 40)}`;
}

function hitRefOf(hit: unknown): { hitId: string; source: Source | undefined; recordId: string | undefined } {
  const issues = [];
  const given = (typeof hit === 'object' && hit !== null ? hit : undefined) as Partial<Record<keyof HitRef, unknown>> | undefined;
  if (given === undefined) issues.push({ path: 'hit', message: 'must be a hit, or { hitId }' });
  else {
    if (!hitIdSchema.safeParse(given.hitId).success) issues.push({ path: 'hit.hitId', message: 'must be a string of 1 to 1000 characters' });
    if (given.source !== undefined && !(SOURCES as readonly unknown[]).includes(given.source)) issues.push({ path: 'hit.source', message: `must be ${SOURCES.join(', ')}` });
    if (given.recordId !== undefined && !hitIdSchema.safeParse(given.recordId).success) issues.push({ path: 'hit.recordId', message: 'must be a string of 1 to 1000 characters' });
  }
  if (issues.length > 0) throw new InputError('The hit to confirm is invalid', issues);
  return { hitId: given!.hitId as string, source: given!.source as Source | undefined, recordId: given!.recordId as string | undefined };
}

/** A 404 said of what was asked about (a hit, a confirmation request), not of a record: the same error otherwise. */
function notFound(err: BorderlinkError, what: string): BorderlinkError {
  if (!(err instanceof NotFoundError)) return err;
  const said = new NotFoundError(`The gateway knows no such ${what} (NOT_FOUND)`, {
    status: err.status,
    requestId: err.requestId,
    attempts: err.attempts,
    durationMs: err.durationMs,
    gatewayCode: err.gatewayCode,
    response: err.response,
    cause: err,
  });
  said.mayHaveBeenStored = err.mayHaveBeenStored;
  return said;
}

const isTransient = (err: unknown): boolean => err instanceof BorderlinkError && err.retryable && !(err instanceof AbortError);

/** Everything a request of the hit repeats, and who asks. */
interface Chain {
  readonly hitId: string;
  readonly source: Source | undefined;
  readonly recordId: string | undefined;
  readonly priority: ConfirmationPriority;
  readonly reason: string;
  readonly locationId: string;
  /** The call's own context, merged over the client's for every request and look of this confirmation. */
  readonly callContext: Partial<QueryContext> | undefined;
  readonly timing: Readonly<{ timeoutMs: number; attemptTimeoutMs: number }>;
  /** The call's headers over its client's, and the client's retry policy: on every request and look of it. */
  readonly profile: RequestProfile;
}

/** @internal */
export class Confirmations {
  readonly #deps: ConfirmationDeps;
  /** Followers running, stopped when the client closes. */
  readonly #following: Set<AbortController>;

  constructor(deps: ConfirmationDeps) {
    this.#deps = deps;
    this.#following = deps.following ?? new Set<AbortController>();
  }

  /** @internal */
  get deps(): ConfirmationDeps {
    return this.#deps;
  }

  follow(controller: AbortController): () => void {
    this.#following.add(controller);
    return () => this.#following.delete(controller);
  }

  close(): void {
    for (const c of this.#following) c.abort(new AbortError('The client was closed while following a confirmation'));
    this.#following.clear();
  }

  async request(hit: HitRef, request: ConfirmationRequest, options?: WriteOptions): Promise<Confirmation> {
    const { resilience } = this.#deps;
    // The key first: every error of the request names it, even one refused before sending.
    const read = readWriteOptions(options);
    const given = read?.idempotencyKey;
    let idempotencyKey: string;
    let checked;
    try {
      checked = checkWriteOptions('requestConfirmation', options, read, resilience);
      idempotencyKey = given === undefined ? randomUUID() : (parseInput(idempotencyKeySchema, given, 'idempotencyKey') as string);
    } catch (err) {
      if (typeof given === 'string' && idempotencyKeySchema.safeParse(given).success) writeError(err, given);
      throw err;
    }
    let chain: Chain;
    let context: QueryContext;
    try {
      this.#deps.assertOpen();
      const ref = hitRefOf(hit);
      context = this.#deps.contextFor(checked.context);
      const input = (typeof request === 'object' && request !== null ? request : {}) as Partial<ConfirmationRequest>;
      const given = { priority: input.priority, reason: input.reason, locationId: input.locationId ?? context.locationId };
      const parsed = safeParseWorded(confirmationRequestSchema, given);
      if (!parsed.success) {
        const issues = toFieldIssues(parsed.error, given).map((i) =>
          i.path === 'locationId' && given.locationId === undefined ? { path: i.path, message: "is required: where the subject is held (or set the context's locationId)" } : i,
        );
        throw new InputError('The confirmation request is invalid', issues);
      }
      chain = {
        ...ref,
        priority: parsed.data.priority,
        reason: parsed.data.reason,
        locationId: parsed.data.locationId,
        callContext: checked.context,
        timing: checked.timing,
        profile: callProfile(this.#deps.profile, checked.headers),
      };
    } catch (err) {
      throw writeError(err, idempotencyKey);
    }
    const created = await this.send(chain, context, idempotencyKey, undefined, 1, checked.signal);
    const handle = new Handle(this, chain, { ...created.value, attempt: 1, idempotencyKey, acceptedAt: created.acceptedAt, madeAt: created.acceptedAt });
    handle.observe(created.value.state);
    return handle;
  }

  async resume(confirmationId: string, options?: ReadOptions): Promise<Confirmation> {
    const checked = checkReadOptions('resumeConfirmation', options, this.#deps.resilience);
    this.#deps.assertOpen();
    if (typeof confirmationId !== 'string' || !CONFIRMATION_ID.test(confirmationId)) {
      throw new InputError('The confirmation to resume is invalid', [{ path: 'confirmationId', message: 'must be 1 to 128 printable ASCII characters without spaces' }]);
    }
    const context = this.#deps.contextFor(checked.context);
    const profile = callProfile(this.#deps.profile, checked.headers);
    const outcome = await this.look(confirmationId, context, checked.timing, checked.signal, profile);
    const status = outcome.value;
    const chain: Chain = {
      hitId: status.hitId,
      source: undefined,
      recordId: undefined,
      priority: status.priority,
      reason: status.reason,
      locationId: status.locationId,
      callContext: checked.context,
      timing: checked.timing,
      profile,
    };
    const acceptedAt = status.requestedAt ?? this.#deps.resilience.clock.now();
    const handle = new Handle(this, chain, {
      confirmationId,
      state: 'PENDING',
      dueAt: status.dueAt,
      warnings: status.warnings,
      attempt: status.attempt,
      idempotencyKey: undefined,
      acceptedAt,
      madeAt: status.requestedAt,
    });
    handle.observeStatus(status, outcome.response.headers, outcome.requestId);
    return handle;
  }

  /** One confirmation request, audited: its own key on every attempt, in every error. @internal */
  async send(
    chain: Chain,
    context: QueryContext,
    idempotencyKey: string,
    renews: string | undefined,
    request: number,
    signal: AbortSignal | undefined,
  ): Promise<{ value: ConfirmationCreated; acceptedAt: number }> {
    const { executor, recorder, resilience } = this.#deps;
    const started = performance.now();
    const requestId = newRequestId();
    const body: ConfirmationRequestBody = {
      context,
      priority: chain.priority,
      reason: chain.reason,
      locationId: chain.locationId,
      ...(renews !== undefined ? { renews } : {}),
    };
    const prepared = { context, subjects: [], sources: chain.source !== undefined ? [chain.source] : [] };
    const about = { hitIds: [chain.hitId], ...(chain.recordId !== undefined ? { recordId: chain.recordId } : {}) };
    const audited = { priority: chain.priority, request, ...(renews !== undefined ? { renews } : {}) };
    try {
      const outcome = await executor.execute<ConfirmationCreated>({
        kind: 'write',
        request: {
          method: 'POST',
          path: PATHS.confirmationRequests(chain.hitId),
          headers: requestHeaders(chain.profile, {
            [HEADERS.contentType]: 'application/json',
            [HEADERS.requestId]: requestId,
            [HEADERS.idempotencyKey]: idempotencyKey,
            [HEADERS.userAgent]: USER_AGENT,
          }),
          body: JSON.stringify(body),
        },
        requestId,
        timeoutMs: chain.timing.timeoutMs,
        attemptTimeoutMs: chain.timing.attemptTimeoutMs,
        signal,
        retry: chain.profile.retry,
        decode: decodeAnswer('write', requestId, readConfirmationCreated),
      });
      const acceptedAt = resilience.clock.now();
      const durationMs = Math.round(performance.now() - started);
      recorder.audit('CONFIRMATION_REQUEST', prepared, {
        requestId,
        ...about,
        confirmation: { ...audited, confirmationId: outcome.value.confirmationId },
        attempts: outcome.attempts,
        durationMs,
      });
      return { value: outcome.value, acceptedAt };
    } catch (err) {
      const error = notFound(recorder.failed(err, requestId, started), 'hit');
      writeError(error, idempotencyKey);
      recorder.audit('CONFIRMATION_REQUEST', prepared, { requestId, ...about, confirmation: audited, error });
      throw error;
    }
  }

  /** One look at a request: a read, with the context in its headers. @internal */
  async look(
    confirmationId: string,
    context: QueryContext,
    timing: Readonly<{ timeoutMs: number; attemptTimeoutMs: number }>,
    signal: AbortSignal | undefined,
    profile: RequestProfile,
  ): Promise<CallOutcome<ConfirmationStatus> & { requestId: string }> {
    const { executor, recorder } = this.#deps;
    const started = performance.now();
    const requestId = newRequestId();
    try {
      const outcome = await executor.execute<ConfirmationStatus>({
        kind: 'read',
        request: {
          method: 'GET',
          path: PATHS.confirmationRequest(confirmationId),
          headers: requestHeaders(profile, { ...contextHeaders(context), [HEADERS.requestId]: requestId, [HEADERS.userAgent]: USER_AGENT }),
        },
        requestId,
        timeoutMs: timing.timeoutMs,
        attemptTimeoutMs: timing.attemptTimeoutMs,
        signal,
        retry: profile.retry,
        decode: decodeAnswer('read', requestId, (response) => readConfirmationStatus(response, confirmationId)),
      });
      return { ...outcome, requestId };
    } catch (err) {
      throw notFound(recorder.failed(err, requestId, started), 'confirmation request');
    }
  }
}

interface Current {
  confirmationId: string;
  state: ConfirmationRequestState;
  /** Epoch milliseconds on the client's clock, when the gateway gave a readable one. */
  dueAt: number | undefined;
  warnings: GatewayWarning[];
  attempt: number;
  idempotencyKey: string | undefined;
  /** When the gateway accepted the request, on the client's clock. */
  acceptedAt: number;
  /**
   * The earliest a `dueAt` of the request may be believed: when it was made (the client's clock for a request it
   * sent, the gateway's `requestedAt` for one resumed); undefined when not known.
   */
  madeAt: number | undefined;
}

const DUE_AT_DEVIATION: GatewayWarning = Object.freeze({ code: 'GATEWAY_DEVIATION', path: 'dueAt' });

/** One confirmation, as one handle follows it. */
class Handle implements Confirmation {
  readonly #owner: Confirmations;
  readonly #chain: Chain;
  #state: ConfirmationMachineState = 'PENDING';
  #confirmationId: string;
  #attempt: number;
  #idempotencyKey: string | undefined;
  #dueAtMs: number;
  /** See {@link Current.madeAt}. */
  #madeAt: number | undefined;
  #respondedAt: string | undefined;
  #response: ConfirmationResponse | undefined;
  #warnings: readonly GatewayWarning[] = [];
  /** The wait before the next look, doubled by each look that finds nothing new. @unit milliseconds */
  #intervalMs: number;
  /** What the gateway's last `retry-after` asked for. @unit milliseconds */
  #retryAfterMs: number | undefined;
  /** Steps run one at a time: a refresh during a wait joins the queue. */
  #queue: Promise<unknown> = Promise.resolve();
  #follower: { controller: AbortController; waiters: number; done: Promise<ConfirmationRequestState> } | undefined;
  readonly #listeners = new Set<(event: ConfirmationChangeEvent) => void>();

  constructor(owner: Confirmations, chain: Chain, current: Current) {
    this.#owner = owner;
    this.#chain = chain;
    this.#confirmationId = current.confirmationId;
    this.#attempt = current.attempt;
    this.#idempotencyKey = current.idempotencyKey;
    this.#madeAt = current.madeAt;
    const warnings = [...current.warnings];
    this.#dueAtMs = this.#deadline(current.acceptedAt, this.#believedDueAt(current.dueAt, warnings));
    this.#warnings = warnings;
    this.#intervalMs = owner.deps.settings.pollIntervalMs;
  }

  get confirmationId(): string {
    return this.#confirmationId;
  }
  get hitId(): string {
    return this.#chain.hitId;
  }
  get priority(): ConfirmationPriority {
    return this.#chain.priority;
  }
  get state(): ConfirmationRequestState {
    return publicConfirmationState(this.#state);
  }
  get attempt(): number {
    return this.#attempt;
  }
  get dueAt(): string {
    return new Date(this.#dueAtMs).toISOString();
  }
  get idempotencyKey(): string | undefined {
    return this.#idempotencyKey;
  }
  get respondedAt(): string | undefined {
    return this.#respondedAt;
  }
  get response(): ConfirmationResponse | undefined {
    return this.#response;
  }
  get warnings(): readonly GatewayWarning[] {
    return this.#warnings;
  }

  toJSON(): ConfirmationView {
    return {
      confirmationId: this.#confirmationId,
      hitId: this.#chain.hitId,
      priority: this.#chain.priority,
      state: this.state,
      attempt: this.#attempt,
      dueAt: this.dueAt,
      idempotencyKey: this.#idempotencyKey,
      ...(this.#respondedAt !== undefined ? { respondedAt: this.#respondedAt } : {}),
      ...(this.#response !== undefined ? { response: { ...this.#response } } : {}),
      warnings: [...this.#warnings],
    };
  }

  on(type: 'confirmation', listener: (event: ConfirmationChangeEvent) => void): () => void {
    parseOptions('confirmation.on', onSchema, { type, listener });
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The request in force is due at the earlier of the gateway's `dueAt` and the client's own deadline. */
  #deadline(acceptedAt: number, gatewayDueAt: number | undefined): number {
    const own = acceptedAt + this.#owner.deps.settings.deadlinesMs[this.#chain.priority];
    return gatewayDueAt === undefined ? own : Math.min(own, gatewayDueAt);
  }

  /**
   * The gateway's `dueAt`, unless it is not after the request was made: a gateway clock in the past (or a typo) would
   * otherwise spend the three requests at once and end EXPIRED before any owner could answer. Left out, with a
   * warning, as an unreadable one is.
   */
  #believedDueAt(dueAt: number | undefined, warnings: GatewayWarning[]): number | undefined {
    if (dueAt === undefined || this.#madeAt === undefined || dueAt > this.#madeAt) return dueAt;
    if (!warnings.some((w) => w.path === 'dueAt')) warnings.push(DUE_AT_DEVIATION);
    return undefined;
  }

  #now(): number {
    return this.#owner.deps.resilience.clock.now();
  }

  /**
   * Applies one event by the table. A gateway answer the table refuses is a ProtocolError and changes nothing; a
   * refused event of the client's own would be a bug, and is refused the same way rather than applied.
   */
  #apply(event: ConfirmationEvent, requestId?: string): void {
    const from = this.#state;
    const to = nextConfirmationState(from, event);
    if (to === undefined) {
      throw new ProtocolError(
        `The gateway's answer moves the confirmation from ${publicConfirmationState(from)} to ${event}, which cannot happen: the answer is not applied`,
        { retryable: false, requestId, issues: [{ path: 'state', message: `${event} cannot follow ${publicConfirmationState(from)}` }] },
      );
    }
    this.#state = to;
    if (publicConfirmationState(from) !== publicConfirmationState(to)) this.#emit(publicConfirmationState(from), from === 'EXPIRED');
  }

  #emit(from: ConfirmationRequestState, late: boolean): void {
    const event: ConfirmationChangeEvent = {
      type: 'confirmation',
      hitId: this.#chain.hitId,
      confirmationId: this.#confirmationId,
      from,
      to: this.state,
      attempt: this.#attempt,
      dueAt: this.dueAt,
      late,
      ...(this.#respondedAt !== undefined ? { respondedAt: this.#respondedAt } : {}),
      ...(this.#response !== undefined ? { response: { ...this.#response } } : {}),
    };
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure must not change where the confirmation stands.
      }
    }
  }

  /** The state the gateway gave when it accepted a request. @internal */
  observe(state: ConfirmationRequestState): void {
    if (state !== 'PENDING') this.#apply(state);
  }

  /** What one look said of the request in force. @internal */
  observeStatus(status: ConfirmationStatus, headers: Record<string, string | undefined>, requestId?: string): void {
    // The request is the one this handle follows, or the answer is about another.
    const mismatch = status.hitId !== this.#chain.hitId ? 'hitId' : status.attempt !== this.#attempt ? 'attempt' : status.priority !== this.#chain.priority ? 'priority' : undefined;
    if (mismatch !== undefined) {
      throw new ProtocolError(`The gateway's confirmation status does not match protocol v1 at ${mismatch}`, {
        retryable: false,
        requestId,
        issues: [{ path: mismatch, message: 'is not the request asked about' }],
      });
    }
    const before = { respondedAt: this.#respondedAt, response: this.#response };
    if (status.state !== 'PENDING' && status.state !== 'EXPIRED') {
      this.#respondedAt = status.respondedAt;
      this.#response = status.response;
    }
    try {
      this.#apply(status.state, requestId);
    } catch (err) {
      this.#respondedAt = before.respondedAt;
      this.#response = before.response;
      throw err;
    }
    const warnings = [...status.warnings];
    const dueAt = this.#believedDueAt(status.dueAt, warnings);
    this.#warnings = warnings;
    if (dueAt !== undefined && this.#state === 'PENDING') this.#dueAtMs = Math.min(this.#dueAtMs, dueAt);
    // On the client's clock: an HTTP date is compared with the same clock the deadlines are.
    this.#retryAfterMs = parseRetryAfter(headers, this.#now());
  }

  #exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(step, step);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #context(): QueryContext {
    return this.#owner.deps.contextFor(this.#chain.callContext);
  }

  /** One step: a renewal when the request in force lapsed, else one look (then a renewal if its deadline passed). */
  async #step(signal: AbortSignal | undefined): Promise<void> {
    this.#owner.deps.assertOpen();
    if (this.#state === 'LAPSED') return this.#renew(signal);
    let outcome: CallOutcome<ConfirmationStatus> & { requestId: string };
    try {
      outcome = await this.#owner.look(this.#confirmationId, this.#context(), this.#chain.timing, signal, this.#chain.profile);
    } catch (err) {
      // The last look at a due request failed: no answer came by the deadline.
      if (this.#state === 'PENDING' && isTransient(err) && this.#now() >= this.#dueAtMs) {
        this.#apply('DUE');
        return this.#renew(signal);
      }
      throw err;
    }
    this.observeStatus(outcome.value, outcome.response.headers, outcome.requestId);
    if (this.#state === 'PENDING' && this.#now() >= this.#dueAtMs) this.#apply('DUE');
    if (this.#isLapsed()) return this.#renew(signal);
  }

  #isLapsed(): boolean {
    return this.#state === 'LAPSED';
  }

  /** The request in force lapsed: the next one, or `EXPIRED` once three were sent. */
  async #renew(signal: AbortSignal | undefined): Promise<void> {
    if (this.#attempt >= MAX_CONFIRMATION_REQUESTS) {
      this.#apply('EXHAUSTED');
      return;
    }
    const lapsed = this.#confirmationId;
    const context = this.#context();
    const key = renewalKey(this.#chain.hitId, lapsed, context);
    const created = await this.#owner.send(this.#chain, context, key, lapsed, this.#attempt + 1, signal);
    if (created.value.confirmationId === lapsed) {
      // Taken, the lapsed request would be followed as the next one: request 2 of 3 that the gateway holds as 1.
      const err = new ProtocolError("The gateway's answer to the renewal names the request that lapsed: no new request is in force", {
        retryable: false,
        issues: [{ path: 'confirmationId', message: 'is the request that lapsed, not a new one' }],
      });
      // The gateway accepted the renewal: it holds something under this key.
      err.mayHaveBeenStored = true;
      throw writeError(err, key);
    }
    this.#confirmationId = created.value.confirmationId;
    this.#attempt += 1;
    this.#idempotencyKey = key;
    this.#madeAt = created.acceptedAt;
    const warnings = [...created.value.warnings];
    this.#dueAtMs = this.#deadline(created.acceptedAt, this.#believedDueAt(created.value.dueAt, warnings));
    this.#warnings = warnings;
    this.#respondedAt = undefined;
    this.#response = undefined;
    this.#retryAfterMs = undefined;
    this.#intervalMs = this.#owner.deps.settings.pollIntervalMs;
    // The renewal's own change: same state to the caller, a new request in force.
    this.#state = nextConfirmationState(this.#state, 'RENEWED')!;
    this.#emit('PENDING', false);
    if (created.value.state !== 'PENDING') this.#apply(created.value.state);
  }

  refresh(options?: ConfirmationWaitOptions): Promise<ConfirmationRequestState> {
    let signal: AbortSignal | undefined;
    try {
      ({ signal } = parseOptions('confirmation.refresh', waitOptionsSchema, options ?? {}));
    } catch (err) {
      return Promise.reject(err);
    }
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    return this.#exclusive(async () => {
      await this.#step(signal);
      return this.state;
    });
  }

  wait(options?: ConfirmationWaitOptions): Promise<ConfirmationRequestState> {
    let signal: AbortSignal | undefined;
    try {
      ({ signal } = parseOptions('confirmation.wait', waitOptionsSchema, options ?? {}));
      this.#owner.deps.assertOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    if (isFinalMachineState(this.#state)) return Promise.resolve(this.state);
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    let follower = this.#follower;
    if (follower === undefined) {
      const controller = new AbortController();
      const unfollow = this.#owner.follow(controller);
      const done = this.#follow(controller.signal).finally(() => {
        unfollow();
        if (this.#follower?.controller === controller) this.#follower = undefined;
      });
      done.catch(() => undefined);
      follower = this.#follower = { controller, waiters: 0, done };
    }
    const f = follower;
    f.waiters++;
    return new Promise<ConfirmationRequestState>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        if (settled) return false;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        // The last waiter gone: nobody follows the confirmation any more, and the next wait starts a follower of its own.
        if (--f.waiters === 0) {
          if (this.#follower === f) this.#follower = undefined;
          f.controller.abort(new AbortError('Nobody waits for the confirmation any more'));
        }
        return true;
      };
      const onAbort = () => {
        if (leave()) reject(abortErrorFrom(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      f.done.then(
        (state) => {
          if (leave()) resolve(state);
        },
        (err: unknown) => {
          if (leave()) reject(err);
        },
      );
    });
  }

  /** Looks, sleeps, looks again, until the state is final. */
  async #follow(signal: AbortSignal): Promise<ConfirmationRequestState> {
    const { settings, resilience } = this.#owner.deps;
    while (!isFinalMachineState(this.#state)) {
      await sleep(resilience.clock, this.#nextDelay(), signal);
      const attempt = this.#attempt;
      try {
        await this.#exclusive(() => this.#step(signal));
      } catch (err) {
        if (!isTransient(err) || signal.aborted) throw err;
        // Tried again at the next look, a little later, and no sooner than the failure asked (a 503's retry-after).
        this.#intervalMs = Math.min(this.#intervalMs * 2, settings.maxPollIntervalMs);
        this.#retryAfterMs = retryAfterOf(err as BorderlinkError);
        continue;
      }
      // Nothing new: look less often. A new request in force starts from the first interval again.
      if (this.#attempt === attempt && !isFinalMachineState(this.#state)) this.#intervalMs = Math.min(this.#intervalMs * 2, settings.maxPollIntervalMs);
    }
    return this.state;
  }

  /**
   * The wait before the next step: the back-off, or the gateway's `retry-after` when longer; never past the deadline
   * of the request in force, and once it lapsed (the next request is overdue: no deadline is left to bound a wait)
   * never longer than `maxPollIntervalMs`.
   */
  #nextDelay(): number {
    const wanted = Math.max(this.#intervalMs, this.#retryAfterMs ?? 0);
    if (this.#state === 'LAPSED') return Math.min(wanted, this.#owner.deps.settings.maxPollIntervalMs);
    return Math.max(0, Math.min(wanted, this.#dueAtMs - this.#now()));
  }
}
