// The read path: prepare → cache and de-duplication → execute → match items → result. The single check and the batch
// share the request (checkRequest) and the item-matching rule (answersByItem) it decodes with.
import { newRequestId } from '../internal/ids';
import { HEADERS, PATHS } from '../protocol/wire';
import { buildCheckResult, readCheckAnswer } from '../protocol/check-answer';
import { decodeAnswer } from '../protocol/decode';
import { checkItemText, checkRowsText, contextJson, singleCheckText } from '../protocol/request-body';
import { memoryKey } from '../internal/hash';
import { cacheTtlOf, finishResult, type PreparedCheck } from '../queries/results';
import type { CheckResult, QueryContext, Source, Subject } from '../queries/types';
import { assertSourcesFit, defaultSources, inputError, parseContext, parseInput, parseSubjects, sourcesSchema } from '../queries/validate';
import { createCheckCache, createDeduper, resolveCallOptions, type CheckCache, type Deduper, type ResolvedResilience } from '../resilience/index';
import type { MrzSearch } from '../queries/mrz-check';
import { withNameForms } from '../queries/name-forms';
import type { CallSpec, Executor } from '../resilience/types';
import { VERSION } from '../version';
import type { Recorder } from './audit';
import type { BatchHost } from './batch';
import { AutoBatcher, type Carried, type ResolvedBatching } from './batching';
import { checkCallOptions, type CheckedCallOptions } from './check-options';
import type { ContextFor } from './context';
import { callProfile, PLAIN_PROFILE, requestHeaders, type ClientDefaults, type RequestProfile } from './defaults';
import { responseInfo } from '../protocol/response';
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
  // Persons go out in their ICAO form with the other spellings a record may hold (queries/name-forms.ts).
  subjects = withNameForms(subjects);
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
  profile: RequestProfile,
  missing: MissingItem = 'fails-request',
  startedAt?: number,
): CallSpec<CheckAnswer> {
  return {
    kind: 'read',
    request: {
      method: 'POST',
      path: PATHS.checks,
      headers: requestHeaders(profile, {
        [HEADERS.contentType]: 'application/json',
        [HEADERS.requestId]: requestId,
        [HEADERS.userAgent]: USER_AGENT,
      }),
      body,
    },
    requestId,
    decode: decodeAnswer('read', requestId, (response) => {
      const parsed = readCheckAnswer(response);
      const byItem = answersByItem(askedIds, parsed.items, missing);
      return { response: parsed, byItem, info: responseInfo(response, parsed) };
    }),
    timeoutMs: timing.timeoutMs,
    attemptTimeoutMs: timing.attemptTimeoutMs,
    signal,
    startedAt,
    retry: profile.retry,
  };
}

/** What the read path needs from the client. @internal */
export interface ReadDeps {
  executor: Executor;
  /** createClient's: the cache, the in-flight table and the re-screens go by it. */
  resilience: ResolvedResilience;
  recorder: Recorder;
  /** createClient's own defaults: the re-screens of the offline copy go with them. */
  defaults: ClientDefaults;
  /** Automatic batching of concurrent single checks, when on. */
  batching?: ResolvedBatching | undefined;
  /** The offline copy, when the client has one. */
  offline?: OfflineCopy | undefined;
}

/**
 * The reads of one client and every client derived from it (withOptions): its executor, its cache, its table of
 * checks in flight and its batcher. Each call brings its client's defaults. @internal
 */
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
    // With batching on, identical checks are joined by the batcher, on the item's text (see batching.ts).
    this.#dedupe = deps.resilience.dedupe && deps.batching === undefined ? createDeduper(deps.resilience.clock) : undefined;
    this.#batcher =
      deps.batching === undefined
        ? undefined
        : new AutoBatcher(deps.batching, deps.resilience.clock, deps.resilience.dedupe, (body, requestId, askedIds, timing, signal, profile) =>
            this.#executor.execute<CheckAnswer>(checkRequest(body, requestId, askedIds, timing, signal, profile, 'fails-item')),
            () => this.#executor.admitsMany?.() !== false,
          );
  }

  /**
   * One check, audited: `subjectsOf` gives the subjects, or (for an MRZ) the subjects and the sources they cannot be
   * asked in. `scope` is the method, for option errors; `defaults` the calling client's.
   */
  checkOne(
    scope: string,
    subjectsOf: () => Subject[] | MrzSearch,
    options: CallOptions | undefined,
    defaults: ClientDefaults,
    requestSources?: Source[],
  ): Promise<CheckResult> {
    // Written with promises rather than async and await: each await and each async function is one more promise and
    // one more turn of the microtask queue per check.
    const started = performance.now();
    let checked: CheckedCallOptions;
    let prepared: PreparedCheck;
    try {
      // From here on the call's options are the ones read and checked once (a getter is not asked again).
      checked = checkCallOptions(scope, options, defaults.resilience) ?? defaults.noOptions;
      defaults.assertOpen();
      const search = subjectsOf();
      const { contextFor } = defaults;
      const sources = requestSources ?? checked.sources;
      prepared = Array.isArray(search)
        ? prepareCheck(contextFor, search, sources, checked.context)
        : prepareCheck(contextFor, search.subjects, sources, checked.context, search.notAsked);
    } catch (err) {
      return Promise.reject(err);
    }
    const { recorder } = this.#deps;
    // A batched call answered by the gateway takes the id of the request that carried it: its own is made only when it
    // is answered from the cache or the offline copy, or fails (a UUID per call was a measurable share of a batched check).
    let requestId = this.#batcher === undefined ? newRequestId() : '';
    const failed = (err: unknown): never => {
      const error = recorder.failed(err, requestId || (requestId = newRequestId()), started);
      // A batched call's event names the request that carried it, as its error does (its own id when none did).
      recorder.audit('CHECK', prepared, { requestId: this.#batcher === undefined ? requestId : (error.requestId ?? requestId), error });
      throw error;
    };
    // What an answer from the gateway (or the copy) goes through: its audit event, or the failure's.
    const answered = (result: CheckResult): CheckResult => {
      try {
        recorder.audit('CHECK', prepared, { requestId, result });
        return result;
      } catch (err) {
        return failed(err);
      }
    };
    const profile = callProfile(defaults.profile, checked.headers);
    try {
      // Validated input comes out of zod in schema order, so equal queries give equal text.
      const itemText = checkItemText(prepared.subjects, prepared.sources);
      // Cache keys are keyed hashes: a cache outlives the request. The in-flight table may use the check's own text,
      // which is in memory exactly as long as its entry: the item's text under its context's (see Deduper.run).
      const cacheKey = this.cache !== undefined ? memoryKey(recorder.memoryKeySecret, this.#contextKeyText(prepared.context) + itemText) : undefined;
      // A hit is answered without a promise of its own, and without the request's text: the cached path is synchronous
      // up to the caller's await.
      const hit = this.#hit(prepared, cacheKey, requestId, started);
      if (hit !== undefined) {
        recorder.audit('CHECK', prepared, { requestId, result: hit });
        return Promise.resolve(hit);
      }
      const batcher = this.#batcher;
      let online: () => Promise<CheckResult>;
      // The request's text is made when it is sent: a check the offline copy answers at once never needs it.
      if (batcher !== undefined) online = () => this.#batched(batcher, prepared, checked, started, contextJson(prepared.context), itemText, cacheKey, profile);
      else {
        online = () => {
          const contextText = contextJson(prepared.context);
          const bodyText = singleCheckText(contextText, itemText);
          const key = cacheKey ?? (this.#dedupe !== undefined ? itemText : undefined);
          // A request carries one set of headers: only calls of one profile may share it (the key is checked text).
          const contextScope = cacheKey === undefined ? contextText : undefined;
          const keyScope = profile.key === '' ? contextScope : `${contextScope ?? ''}\u0000${profile.key}`;
          return this.#check(prepared, requestId, checked, started, bodyText, key, profile, keyScope);
        };
      }
      const offline = this.#deps.offline;
      // An answer from the copy is this call's own: it carries an id of its own even when batched.
      const result = offline === undefined ? online() : this.#withCopy(offline, prepared, (requestId ||= newRequestId()), started, online);
      return result.then(answered, failed);
    } catch (err) {
      try {
        return failed(err);
      } catch (error) {
        return Promise.reject(error);
      }
    }
  }

  /**
   * A check with the offline copy beside it. `first`: the copy answers at once when its answer is complete, and the
   * check goes online in the background (a hit only online is a late hit). Otherwise online, and the copy answers when
   * the gateway cannot; each answer from the copy is kept for re-screening.
   */
  async #withCopy(offline: OfflineCopy, prepared: PreparedCheck, requestId: string, started: number, online: () => Promise<CheckResult>): Promise<CheckResult> {
    if (offline.options.mode === 'first') {
      const result = offline.result(prepared, requestId, started, 'OFFLINE_FIRST');
      if (OfflineCopy.isComplete(result)) {
        const keptAs = await offline.keep(prepared, requestId, result);
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
    }
    // The breaker would refuse the check at once: the copy answers as it would then, without the request being built.
    if (this.#executor.refusesNow?.() === true) return offline.answer(prepared, requestId, started, 'CIRCUIT_OPEN');
    try {
      const result = await online();
      offline.linkUp();
      return result;
    } catch (err) {
      if (!gatewayUnreachable(err)) throw err;
      return offline.answer(prepared, requestId, started, (err as BorderlinkError).code);
    }
  }

  /**
   * A check the offline copy answered, sent again online only (no cache, no table, no copy) under its own context. What
   * the store gave back is checked as a caller's input would be (rule 4 holds for a store of any make): an InputError
   * before anything is sent.
   */
  async checkOnline(entry: RescreenEntry): Promise<CheckResult> {
    const started = performance.now();
    const requestId = newRequestId();
    const subjects = parseSubjects(entry.subjects);
    const sources = parseInput(sourcesSchema, entry.sources, 'sources') as Source[];
    assertSourcesFit(subjects, sources, true);
    const prepared: PreparedCheck = { context: parseContext(entry.context), subjects, sources };
    const { recorder } = this.#deps;
    try {
      const itemText = checkItemText(prepared.subjects, prepared.sources);
      const contextText = contextJson(prepared.context);
      const bodyText = singleCheckText(contextText, itemText);
      const result = await this.#check(prepared, requestId, this.#deps.defaults.noOptions, started, bodyText, undefined, PLAIN_PROFILE);
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

  /** The cached answer to this check, as this call's result, when there is one; `requestId` '' (batched) makes one. */
  #hit(prepared: PreparedCheck, key: string | undefined, requestId: string, started: number): CheckResult | undefined {
    const cached = key !== undefined ? this.cache?.get(key) : undefined;
    if (cached === undefined) return undefined;
    // The hit's own object (see resilience/cache.ts): set in place rather than copied a second time.
    const hit = cached as { -readonly [K in keyof CheckResult]: CheckResult[K] };
    hit.requestId = requestId === '' ? newRequestId() : requestId;
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
  #check(
    prepared: PreparedCheck,
    requestId: string,
    options: CheckedCallOptions,
    started: number,
    bodyText: string,
    key: string | undefined,
    profile: RequestProfile,
    keyScope?: string,
  ): Promise<CheckResult> {
    const cache = this.cache;
    const dedupe = this.#dedupe;
    const epoch = this.#writes?.epoch ?? 0;
    const { timing, signal: callSignal } = options;
    // The call's own deadline, read once for the in-flight table and (as its start) the executor.
    const now = this.#resilience.clock.now();
    const deadlineAt = now + timing.timeoutMs;
    const send = (signal?: AbortSignal): Promise<Carried> =>
      this.#executor
        .execute<CheckAnswer>(checkRequest(bodyText, requestId, SINGLE_ITEM, timing, signal ?? callSignal, profile, 'fails-request', now))
        .then((o) => ({ item: o.value.byItem.get('1')!, response: o.value.response, info: o.value.info, attempts: o.attempts, requestId }));
    // A check that joined another's request answers with that request's x-request-id: it is the one the gateway saw.
    const sent = dedupe !== undefined && key !== undefined ? dedupe.run(key, send, callSignal, deadlineAt, keyScope) : send();
    return sent.then((carried) => {
      // The client's own id: the gateway's body id is its own field, checked, and never goes into the audit trail.
      // A request's answer is built for it alone (readCheckAnswer makes new objects): it needs a copy only when it went
      // to more than one call joined in the in-flight table, which marked a shared value before this reaction (registered
      // after its own) runs.
      const item = dedupe !== undefined && dedupe.isShared(carried) ? ownCopy(carried.item) : carried.item;
      const result = buildCheckResult(
        item,
        prepared.sources,
        { requestId: carried.requestId, attempts: carried.attempts, durationMs: Math.round(performance.now() - started), response: carried.info },
        carried.response,
      );
      if (cache !== undefined && key !== undefined && (this.#writes === undefined || this.#writes.settledSince(epoch))) cache.set(key, result);
      return finishResult(prepared, result);
    });
  }

  /**
   * One check that the cache did not answer, as one item of a request shared with the checks of its context in flight
   * (automatic batching). The batcher joins identical checks on the item's text and hands each call an answer of its
   * own, so neither the in-flight table nor a copy is needed here.
   */
  async #batched(
    batcher: AutoBatcher,
    prepared: PreparedCheck,
    options: CheckedCallOptions,
    started: number,
    contextText: string,
    itemText: string,
    cacheKey: string | undefined,
    profile: RequestProfile,
  ): Promise<CheckResult> {
    const epoch = this.#writes?.epoch ?? 0;
    const { timing } = options;
    const deadlineAt = this.#resilience.clock.now() + timing.timeoutMs;
    const carried = await batcher.run(contextText, itemText, timing, deadlineAt, options.signal, profile);
    // The x-request-id of the request that carried the call: it is the one the gateway saw.
    const result = buildCheckResult(
      carried.item,
      prepared.sources,
      { requestId: carried.requestId, attempts: carried.attempts, durationMs: Math.round(performance.now() - started), response: carried.info },
      carried.response,
    );
    const cache = this.cache;
    if (cache !== undefined && cacheKey !== undefined && (this.#writes === undefined || this.#writes.settledSince(epoch))) cache.set(cacheKey, result);
    return finishResult(prepared, result);
  }

  /**
   * What a batch needs from the client: rows prepared like single checks (through `prepare`), requests of many items
   * (never cached nor joined), and one audit event per row.
   */
  batchHost(defaults: ClientDefaults, prepare: BatchHost['prepare'], finish?: BatchHost['finish']): BatchHost {
    const { recorder, offline } = this.#deps;
    return {
      prepare,
      ...(finish !== undefined ? { finish } : {}),
      // The rows of a request the gateway could not take are answered from the copy, by the rule of a single check.
      ...(offline !== undefined
        ? {
            copy: {
              fallback: (rows, error, started) => (gatewayUnreachable(error) ? offline.answerRows(rows, started, error.code) : undefined),
              ...(offline.options.mode === 'first' ? { first: (rows, started) => offline.firstRows(rows, started) } : {}),
            } satisfies BatchHost['copy'],
          }
        : {}),
      send: async (context, rows, options) => {
        const requestId = newRequestId();
        const body = checkRowsText(context, rows);
        const timing = resolveCallOptions(options, defaults.resilience);
        const profile = callProfile(defaults.profile, options.headers);
        const outcome = await this.#executor.execute<CheckAnswer>(checkRequest(body, requestId, rows.map((r) => r.itemId), timing, options.signal, profile));
        return { response: outcome.value.response, byItem: outcome.value.byItem, info: outcome.value.info, attempts: outcome.attempts, requestId };
      },
      audit: (prepared, result, error, requestId) => {
        if (error !== undefined) recorder.batchRowFailed(error, requestId);
        // Nothing to record (no audit sink, no info log): no event to make, once per row of a manifest.
        if (!recorder.records) return;
        // Two literals rather than spreads: this runs once per row of a manifest.
        recorder.audit('CHECK', prepared, result !== undefined ? { requestId, result } : error !== undefined ? { requestId, error } : { requestId });
      },
    };
  }
}
