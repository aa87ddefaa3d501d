// The read path: prepare → cache and de-duplication → execute → match items → result. The single check and the batch
// share the request (checkRequest) and the item-matching rule (answersByItem) it decodes with.
import { randomUUID } from 'node:crypto';
import { HEADERS, PATHS } from '../protocol/wire';
import { buildCheckResult, readCheckAnswer } from '../protocol/check-answer';
import { decodeAnswer } from '../protocol/decode';
import { checkItemText, checkRequestText, contextJson, singleCheckText } from '../protocol/request-body';
import { memoryKey } from '../internal/hash';
import { cacheTtlOf, finishResult, type PreparedCheck } from '../queries/results';
import type { CheckResult, QueryContext, Source, Subject } from '../queries/types';
import { assertSourcesFit, defaultSources, inputError, parseContext, parseInput, parseSubjects, sourcesSchema } from '../queries/validate';
import { createCheckCache, createDeduper, resolveCallOptions, type CheckCache, type Deduper, type ResolvedResilience } from '../resilience/index';
import type { MrzSearch } from '../queries/mrz-check';
import type { CallSpec, Executor } from '../resilience/types';
import { VERSION } from '../version';
import type { Recorder } from './audit';
import type { BatchHost } from './batch';
import { AutoBatcher, type Carried, type ResolvedBatching } from './batching';
import { checkCallOptions } from './check-options';
import type { ContextFor } from './context';
import { answersByItem, ownCopy, type CheckAnswer, type MissingItem } from './items';
import type { CallOptions } from './options';
import type { WriteState } from './write-state';
import { gatewayUnreachable, offlineHitsOf, OfflineCopy } from './offline';
import type { RescreenEntry } from '../stores/types';
import type { BorderlinkError } from '../errors/index';

/** @internal */
export const USER_AGENT = `borderlink/${VERSION}`;
const SINGLE_ITEM: readonly string[] = Object.freeze(['1']);

/**
 * Validates and merges what a check needs; throws InputError before anything is sent. Every source sent must have
 * a subject it can search; `notAsked` names requested sources the caller already knows it cannot ask (they are
 * left out of the request and read `NOT_ASKED`). @internal
 */
export function prepareCheck(
  contextFor: ContextFor,
  subjects: Subject[],
  sources: Source[] | undefined,
  callContext: Partial<QueryContext> | undefined,
  notAsked?: readonly Source[],
): PreparedCheck {
  const context = contextFor(callContext);
  const explicit = sources !== undefined;
  const requested = explicit ? (parseInput(sourcesSchema, sources, 'sources') as Source[]) : defaultSources(subjects);
  if (notAsked === undefined || notAsked.length === 0) {
    assertSourcesFit(subjects, requested, explicit);
    return { context, subjects, sources: requested };
  }
  const chosen = requested.filter((s) => !notAsked.includes(s));
  if (chosen.length === 0) {
    throw inputError([{ path: 'sources', message: 'has no source left that can be asked' }]);
  }
  assertSourcesFit(subjects, chosen, false);
  return { context, subjects, sources: chosen, requested, notAsked };
}

/** A check request; its answer is decoded inside the attempt, item ids included (see answersByItem). */
function checkRequest(
  body: string,
  requestId: string,
  askedIds: readonly string[],
  timing: { timeoutMs: number; attemptTimeoutMs: number },
  signal: AbortSignal | undefined,
  missing: MissingItem = 'fails-request',
): CallSpec<CheckAnswer> {
  return {
    kind: 'read',
    request: {
      method: 'POST',
      path: PATHS.checks,
      headers: {
        [HEADERS.contentType]: 'application/json',
        [HEADERS.requestId]: requestId,
        [HEADERS.userAgent]: USER_AGENT,
      },
      body,
    },
    requestId,
    decode: decodeAnswer('read', requestId, (response) => {
      const parsed = readCheckAnswer(response);
      return { response: parsed, byItem: answersByItem(askedIds, parsed.items, missing) };
    }),
    timeoutMs: timing.timeoutMs,
    attemptTimeoutMs: timing.attemptTimeoutMs,
    signal,
  };
}

/** What the read path needs from the client. @internal */
export interface ReadDeps {
  executor: Executor;
  resilience: ResolvedResilience;
  recorder: Recorder;
  contextFor: ContextFor;
  assertOpen(): void;
  /** Automatic batching of concurrent single checks, when on. */
  batching?: ResolvedBatching | undefined;
  /** The offline copy, when the client has one. */
  offline?: OfflineCopy | undefined;
}

/** The reads of one client: its executor, its cache and its table of checks in flight. @internal */
export class ReadPath {
  readonly #deps: ReadDeps;
  readonly #executor: Executor;
  readonly #resilience: ResolvedResilience;
  readonly cache: CheckCache<CheckResult> | undefined;
  #dedupe: Deduper | undefined;
  #writes: WriteState | undefined;
  readonly #batcher: AutoBatcher | undefined;

  constructor(deps: ReadDeps) {
    this.#deps = deps;
    this.#executor = deps.executor;
    this.#resilience = deps.resilience;
    const ttl = deps.resilience.cache;
    this.cache = createCheckCache<CheckResult>(deps.resilience, (result) => cacheTtlOf(result, ttl));
    this.#dedupe = deps.resilience.dedupe ? createDeduper(deps.resilience.clock) : undefined;
    this.#batcher =
      deps.batching === undefined
        ? undefined
        : new AutoBatcher(deps.batching, deps.resilience.clock, (body, requestId, askedIds, timing, signal) =>
            this.#executor.execute<CheckAnswer>(checkRequest(body, requestId, askedIds, timing, signal, 'fails-item')),
          );
  }

  /**
   * One check, audited: `subjectsOf` gives the subjects, or (for an MRZ) the subjects and the sources they cannot be
   * asked in. `scope` is the method, for option errors.
   */
  async checkOne(
    scope: string,
    subjectsOf: () => Subject[] | MrzSearch,
    options: CallOptions | undefined,
    requestSources?: Source[],
  ): Promise<CheckResult> {
    const started = performance.now();
    checkCallOptions(scope, options, this.#resilience);
    this.#deps.assertOpen();
    const search = subjectsOf();
    const { contextFor, recorder } = this.#deps;
    const prepared = Array.isArray(search)
      ? prepareCheck(contextFor, search, requestSources ?? options?.sources, options?.context)
      : prepareCheck(contextFor, search.subjects, requestSources ?? options?.sources, options?.context, search.notAsked);
    const requestId = randomUUID();
    try {
      // Validated input comes out of zod in schema order, so equal queries give equal text.
      const itemText = checkItemText(prepared.subjects, prepared.sources);
      // Cache keys are keyed hashes: a cache outlives the request. The in-flight table may use the body itself, which
      // is in memory exactly as long as its entry.
      const cacheKey = this.cache !== undefined ? memoryKey(recorder.memoryKeySecret, this.#contextKeyText(prepared.context) + itemText) : undefined;
      // A hit is answered without a promise of its own, and without the request's text: the cached path is synchronous
      // up to the caller's await.
      const hit = this.#hit(prepared, cacheKey, requestId, started);
      let result: CheckResult;
      if (hit !== undefined) result = hit;
      else {
        // The parts are written once: the single request is built from them, and with batching on they are the
        // context's and the item's identity.
        const contextText = contextJson(prepared.context);
        const bodyText = singleCheckText(contextText, itemText);
        const key = cacheKey ?? (this.#dedupe !== undefined ? bodyText : undefined);
        const online = () => this.#check(prepared, requestId, options, started, { contextText, itemText, bodyText }, key);
        const offline = this.#deps.offline;
        result = offline === undefined ? await online() : await this.#withCopy(offline, prepared, requestId, started, online);
      }
      recorder.audit('CHECK', prepared, { requestId, result });
      return result;
    } catch (err) {
      const error = recorder.failed(err, requestId, started);
      recorder.audit('CHECK', prepared, { requestId, error });
      throw error;
    }
  }

  /**
   * A check with the offline copy beside it. `first`: the copy answers at once when its answer is complete, and the
   * check goes online in the background (a hit only online is a late hit). Otherwise online, and the copy answers when
   * the gateway cannot; each answer from the copy is kept for re-screening.
   */
  async #withCopy(offline: OfflineCopy, prepared: PreparedCheck, requestId: string, started: number, online: () => Promise<CheckResult>): Promise<CheckResult> {
    if (offline.options.mode === 'first') {
      const { result, keptAs } = offline.answer(prepared, requestId, started, 'OFFLINE_FIRST');
      if (OfflineCopy.isComplete(result)) {
        // The online check that follows is a query of its own: its own request id and its own audit event (RESCREEN).
        const entry: RescreenEntry = {
          id: keptAs ?? '',
          requestId,
          checkedAt: Date.now(),
          context: prepared.context,
          subjects: prepared.subjects,
          sources: prepared.sources,
          offlineHits: offlineHitsOf(result),
        };
        offline.checkInBackground(entry, keptAs);
        return result;
      }
      if (keptAs !== undefined) offline.forget(keptAs);
    }
    try {
      const result = await online();
      offline.linkUp();
      return result;
    } catch (err) {
      if (!gatewayUnreachable(err)) throw err;
      return offline.answer(prepared, requestId, started, (err as BorderlinkError).code).result;
    }
  }

  /**
   * A check the offline copy answered, sent again online only (no cache, no table, no copy) under its own context. What
   * the store gave back is checked as a caller's input would be (rule 4 holds for a store of any make): an InputError
   * before anything is sent.
   */
  async checkOnline(entry: RescreenEntry): Promise<CheckResult> {
    const started = performance.now();
    const requestId = randomUUID();
    const subjects = parseSubjects(entry.subjects);
    const sources = parseInput(sourcesSchema, entry.sources, 'sources') as Source[];
    assertSourcesFit(subjects, sources, true);
    const prepared: PreparedCheck = { context: parseContext(entry.context), subjects, sources };
    const { recorder } = this.#deps;
    try {
      const itemText = checkItemText(prepared.subjects, prepared.sources);
      const contextText = contextJson(prepared.context);
      const bodyText = singleCheckText(contextText, itemText);
      const result = await this.#check(prepared, requestId, undefined, started, { contextText, itemText, bodyText }, undefined);
      recorder.audit('RESCREEN', prepared, { requestId, result, rescreenOf: entry.requestId });
      return result;
    } catch (err) {
      const error = recorder.failed(err, requestId, started);
      recorder.audit('RESCREEN', prepared, { requestId, error, rescreenOf: entry.requestId });
      throw error;
    }
  }

  /** The write state the cache and the de-duplication consult. */
  consult(writes: WriteState): void {
    this.#writes = writes;
  }

  /**
   * A write started or ended: checks from now on must not join one that started before it (they get a table of
   * their own, and the requests already in flight finish in the old one), and nothing cached may be served.
   */
  forget(): void {
    if (this.#dedupe !== undefined) this.#dedupe = createDeduper(this.#resilience.clock);
    this.#batcher?.forget();
    this.cache?.clear();
  }

  /**
   * What stands for the context in a cache key: its own keyed hash, 32 characters of fixed length (so no context and
   * item text can give another's key text), the same for equal contexts. For the client's own context (one frozen
   * object, see context.ts) it is made once, so each check hashes 32 characters for it rather than its JSON.
   */
  #contextKeyText(context: QueryContext): string {
    const memo = this.#contextKey;
    if (memo !== undefined && memo.context === context) return memo.text;
    const text = memoryKey(this.#deps.recorder.memoryKeySecret, contextJson(context));
    if (Object.isFrozen(context)) this.#contextKey = { context, text };
    return text;
  }

  #contextKey: { context: QueryContext; text: string } | undefined;

  /** The cached answer to this check, as this call's result, when there is one. */
  #hit(prepared: PreparedCheck, key: string | undefined, requestId: string, started: number): CheckResult | undefined {
    const cached = key !== undefined ? this.cache?.get(key) : undefined;
    if (cached === undefined) return undefined;
    // The hit's own object (see resilience/cache.ts): set in place rather than copied a second time.
    const hit = cached as { -readonly [K in keyof CheckResult]: CheckResult[K] };
    hit.requestId = requestId;
    hit.attempts = 0;
    hit.durationMs = Math.round(performance.now() - started);
    hit.servedFrom = 'cache';
    return finishResult(prepared, hit);
  }

  /** The client is closing: calls gathered for a request not yet sent end now. */
  close(): void {
    this.#batcher?.close();
  }

  /** One check of one item that the cache did not answer: joined to an identical check in flight, or sent. */
  async #check(
    prepared: PreparedCheck,
    requestId: string,
    options: CallOptions | undefined,
    started: number,
    text: { contextText: string; itemText: string; bodyText: string },
    key: string | undefined,
  ): Promise<CheckResult> {
    const { contextText, itemText, bodyText } = text;
    const cache = this.cache;
    const dedupe = this.#dedupe;
    const epoch = this.#writes?.epoch ?? 0;
    const timing = resolveCallOptions(options, this.#resilience);
    // The call's own deadline, read once for the in-flight table and the batch.
    const deadlineAt = this.#resilience.clock.now() + timing.timeoutMs;
    const batcher = this.#batcher;
    // With batching on, the check is one item of a request shared with the checks of its context in flight.
    const send = (signal?: AbortSignal): Promise<Carried> =>
      batcher !== undefined
        ? batcher.run(contextText, itemText, bodyText, timing, deadlineAt, signal ?? options?.signal)
        : this.#executor
            .execute<CheckAnswer>(checkRequest(bodyText, requestId, SINGLE_ITEM, timing, signal ?? options?.signal))
            .then((o) => ({ item: o.value.byItem.get('1')!, response: o.value.response, attempts: o.attempts, requestId }));
    // A check that joined another's request (or shares a batch) answers with that request's x-request-id: it is the
    // one the gateway saw.
    const carried =
      dedupe !== undefined && key !== undefined
        ? await dedupe.run(key, send, options?.signal, deadlineAt)
        : await send();
    // The client's own id: the gateway's body id is its own field, checked, and never goes into the audit trail.
    // A request's answer is built for it alone (readCheckAnswer makes new objects): it needs a copy only when it went to
    // more than one call, joined in the in-flight table or as one item of a batch answered to several calls.
    const item = batcher !== undefined || (dedupe !== undefined && dedupe.isShared(carried)) ? ownCopy(carried.item) : carried.item;
    const result = buildCheckResult(
      item,
      prepared.sources,
      { requestId: carried.requestId, attempts: carried.attempts, durationMs: Math.round(performance.now() - started) },
      carried.response,
    );
    if (cache !== undefined && key !== undefined && (this.#writes === undefined || this.#writes.settledSince(epoch))) cache.set(key, result);
    return finishResult(prepared, result);
  }

  /**
   * What a batch needs from the client: rows prepared like single checks (through `prepare`), requests of many items
   * (never cached nor joined), and one audit event per row.
   */
  batchHost(prepare: BatchHost['prepare'], finish?: BatchHost['finish']): BatchHost {
    const { recorder } = this.#deps;
    return {
      prepare,
      ...(finish !== undefined ? { finish } : {}),
      send: async (context, items, options) => {
        const requestId = randomUUID();
        const body = checkRequestText(context, items);
        const timing = resolveCallOptions(options, this.#resilience);
        const outcome = await this.#executor.execute<CheckAnswer>(checkRequest(body, requestId, items.map((i) => i.itemId), timing, options.signal));
        return { response: outcome.value.response, byItem: outcome.value.byItem, attempts: outcome.attempts, requestId };
      },
      audit: (prepared, result, error, requestId) => {
        if (error !== undefined) recorder.batchRowFailed(error, requestId);
        // Two literals rather than spreads: this runs once per row of a manifest.
        recorder.audit('CHECK', prepared, result !== undefined ? { requestId, result } : error !== undefined ? { requestId, error } : { requestId });
      },
    };
  }
}
