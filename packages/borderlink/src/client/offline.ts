// The offline copy, as the client uses it: answering a check from the copy when the gateway cannot (or first), the
// staleness rule that keeps an old copy from ever reading clear, and re-screening online what the copy answered. The
// store itself is behind the OfflineStore contract (stores/types.ts); `borderlink/offline` has the SQLite one.
import { newRequestId } from '../internal/ids';
import {
  AbortError,
  AuthenticationError,
  BorderlinkError,
  CircuitOpenError,
  ConnectionError,
  GatewayError,
  InputError,
  RateLimitError,
  TimeoutError,
} from '../errors/index';
import { computeVerdict, finishResult, type PreparedCheck } from '../queries/results';
import type { CheckResult, Hit, Match, Source, SourceOutcome, Subject } from '../queries/types';
import { SEARCHABLE_BY } from '../queries/validate';
import { offlineKeysOfSubject, offlineMatchOf } from '../stores/keys';
import type { OfflineRecord, OfflineStore, RescreenEntry, SourceState } from '../stores/types';

/** Two days: the longest the Schengen rules let a state keep an offline technical copy without refreshing it. */
export const DEFAULT_MAX_STALENESS_MS = 48 * 60 * 60 * 1000;
/** Three days: NCIC re-matches the inquiries of the last 72 hours against records entered since ("delayed hit"). */
export const DEFAULT_RESCREEN_WINDOW_MS = 72 * 60 * 60 * 1000;
/** A sync may remove at most half of a source's copy unless told otherwise. @internal */
export const DEFAULT_MAX_SHRINK = 0.5;

/**
 * The offline copy a client answers from when the gateway cannot be reached (`createClient({ offline })`). Open a
 * store with `openOfflineStore` from `borderlink/offline`, keep it synced with `client.offline.sync()` (or
 * `syncIntervalMs`), and see docs/offline.md for when to use each mode.
 * @example
 * ```ts
 * import { openOfflineStore } from 'borderlink/offline';
 * const store = openOfflineStore({ path: '/var/lib/lane/copy.db', hmacKey, encryptionKey });
 * const client = createClient({ transport, context, offline: { store, mode: 'fallback' } });
 * ```
 */
export interface OfflineOptions {
  /** The copy: `openOfflineStore()` from `borderlink/offline`, or your own {@link OfflineStore}. */
  store: OfflineStore;
  /**
   * `fallback`: the gateway answers; the copy answers only when the gateway cannot (a connection error, a timeout, an
   * open circuit, a 5xx after the retries). `first`: the copy answers at once when it can give a complete answer, and
   * the same check goes online in the background (a hit found online only is a `lateHit` event); when the copy cannot
   * answer completely, the check goes online as in `fallback`.
   * @default 'fallback'
   */
  mode?: 'fallback' | 'first' | undefined;
  /**
   * How old a copy may be for its `NO_HIT` to count: past it, a source the copy finds nothing in reads `UNAVAILABLE`
   * (so the verdict is `INCOMPLETE`). A `HIT` from the copy counts whatever its age. The age is measured from the
   * older of the snapshot's `dataAsOf` and the time it was applied here, so a gateway's clock cannot make a copy
   * younger than it is.
   * @unit milliseconds @default 172800000 (48 hours)
   */
  maxStalenessMs?: number | undefined;
  /**
   * Checks answered from the copy are kept (encrypted) and sent again online once the gateway answers, for this
   * long after they were made; an online hit the copy did not have raises a `lateHit` event. At least a minute.
   * @unit milliseconds @default 259200000 (72 hours)
   */
  rescreenWindowMs?: number | undefined;
  /**
   * Sync the copy every so often (the first sync at once): from a second to a day. Absent: only when
   * `client.offline.sync()` is called.
   * @unit milliseconds @default none (no timer)
   * @example 15 * 60 * 1000
   */
  syncIntervalMs?: number | undefined;
  /** The sources kept offline and synced. @default every source */
  sources?: Source[] | undefined;
  /**
   * The largest share of a source's copy one sync may remove, from 0 to 1: a snapshot (full, or a delta) whose end
   * line would leave fewer than (1 − maxShrink) of the records the copy holds is refused before it is applied
   * (`STORE_SHRINK_REFUSED`, a `syncFailed` event with both counts) and the copy stays as it was, since a copy a
   * gateway emptied by mistake answers `NO_HIT` where it held hits. `client.offline.sync({ allowShrink: true })`
   * applies one anyway; `1` takes every sync.
   * @default 0.5
   */
  maxShrink?: number | undefined;
}

/** Why the copy answered instead of the gateway: the error's code, or `OFFLINE_FIRST`. */
export type OfflineReason = BorderlinkError['code'] | 'OFFLINE_FIRST';

/**
 * Whether the gateway could not be reached or could not answer, so the copy may answer instead (and a write may
 * queue): a connection error, a timeout, an open circuit, a 5xx, a 408, or a status that is no answer of the gateway's
 * (a 3xx from a captive portal). A 4xx protocol v1 does not list is still the gateway refusing the request. @internal
 */
export function gatewayUnreachable(err: unknown): boolean {
  if (err instanceof GatewayError) return err.status === undefined || err.status === 408 || err.status < 400 || err.status >= 500;
  return err instanceof ConnectionError || err instanceof TimeoutError || err instanceof CircuitOpenError;
}

/**
 * Whether a request that failed so can be sent again later unchanged and be answered: the gateway could not be reached,
 * or refused the sender rather than the request (a missing or wrong token, a rate limit). What waits in the outbox and
 * the re-screen queue stays there through these. @internal
 */
export function waitsForLink(err: unknown): boolean {
  return gatewayUnreachable(err) || err instanceof AuthenticationError || err instanceof RateLimitError;
}

/** Whether the gateway refused this very request for good (a 4xx other than 401 and 429): sent again, it gets the same. @internal */
export function isRefusal(err: unknown): err is BorderlinkError {
  return err instanceof BorderlinkError && !waitsForLink(err) && err.status !== undefined && err.status >= 400 && err.status < 500;
}

/**
 * What a failed re-screen means for its entry: `stop` the run and keep it (the link, the sender, the client closing),
 * `settle` it (the gateway refused this check for good, or it no longer passes as input), or `skip` it for this run and
 * keep it for the next (an answer that broke the protocol: one such entry must not hold up the others).
 */
function afterFailure(err: unknown, closed: boolean): 'stop' | 'settle' | 'skip' {
  if (closed || err instanceof AbortError || waitsForLink(err)) return 'stop';
  if (isRefusal(err) || err instanceof InputError) return 'settle';
  return 'skip';
}

/**
 * How far the clock may stand behind the time a copy was applied here before its age is taken as unknown: the small
 * steps a clock kept in time makes. @unit milliseconds
 */
const CLOCK_STEP_MS = 60_000;

/** What a source's copy is worth now: never synced, too old for a clear answer, or fresh. */
function ageOf(state: SourceState | undefined, now: number, maxStalenessMs: number): 'not-synced' | 'stale' | 'fresh' {
  if (state === undefined) return 'not-synced';
  const dataAsOf = Date.parse(state.dataAsOf);
  const syncedAt = Date.parse(state.syncedAt);
  // An unreadable time is no time: the copy cannot show it is young enough.
  if (!Number.isFinite(dataAsOf) || !Number.isFinite(syncedAt)) return 'stale';
  // Applied "later" than now: the clock was set back since (a lane whose clock reset after a power cut), so how old
  // the copy is cannot be told, and a copy that cannot show its age is not young enough.
  if (syncedAt - now > CLOCK_STEP_MS) return 'stale';
  return now - Math.min(dataAsOf, syncedAt) <= maxStalenessMs ? 'fresh' : 'stale';
}

/** A record of the copy, found by a key, as a hit with its match, unconfirmed (a hit is a lead until its owner confirms it). */
function hitOf(record: OfflineRecord, match: Match, index: number): Hit {
  const base = {
    hitId: `offline-${index + 1}`,
    source: record.source,
    recordId: record.recordId,
    ownerCountry: record.ownerCountry,
    match,
    ...(record.actionToBeTaken !== undefined ? { actionToBeTaken: record.actionToBeTaken } : {}),
    confirmation: { state: 'UNCONFIRMED' },
  };
  switch (record.source) {
    case 'SLTD':
      return { ...base, kind: 'document', document: { ...record.document } };
    case 'TDAWN':
      return { ...base, kind: 'linked-document', document: { ...record.document }, notice: { ...record.notice } };
    case 'NOMINAL':
      return { ...base, kind: 'person', person: { ...record.person }, notice: { ...record.notice } };
    case 'SMV':
      return { ...base, kind: 'vehicle', vehicle: { ...record.vehicle } };
  }
}

/** Where a source's copy stands (`store.state`, or a reading of it made a moment ago). */
type StateOf = (source: Source) => SourceState | undefined;

/** The copy's answer for one requested source, and the hits it found there. */
function answerSource(
  store: OfflineStore,
  stateOf: StateOf,
  source: Source,
  subjects: readonly Subject[],
  now: number,
  maxStalenessMs: number,
  hits: Hit[],
): SourceOutcome {
  let state: SourceState | undefined;
  try {
    state = stateOf(source);
  } catch {
    return { source, status: 'ERROR', servedFrom: 'offline', offlineNote: 'STORE_FAILED' };
  }
  const age = ageOf(state, now, maxStalenessMs);
  if (state === undefined || age === 'not-synced') return { source, status: 'UNAVAILABLE', servedFrom: 'offline', offlineNote: 'NOT_SYNCED' };
  const dataAsOf = state.dataAsOf;
  // Whether a subject the gateway would search in this source has nothing the copy can match exactly.
  let unsearched = false;
  let searched = false;
  let found = 0;
  // Whether a hit matched on every field of its key: else (a person whose record's date of birth only fits the
  // query's) the source found leads only, as a gateway's POSSIBLE_HIT.
  let exact = false;
  // A record found twice (by a vehicle's VIN and its plate, or for two subjects) is one hit, as the gateway answers it.
  const seen = new Set<string>();
  try {
    for (const subject of subjects) {
      const keys = offlineKeysOfSubject(subject, source);
      if (keys.length === 0) {
        if (SEARCHABLE_BY[source](subject)) unsearched = true;
        continue;
      }
      searched = true;
      for (const key of keys) {
        for (const record of store.lookup(source, key)) {
          if (record.source !== source || seen.has(record.recordId)) continue;
          const match = offlineMatchOf(key, record, subject);
          if (match === undefined) continue;
          seen.add(record.recordId);
          hits.push(hitOf(record, match, hits.length));
          if (match.method !== 'FUZZY') exact = true;
          found++;
        }
      }
    }
  } catch {
    return { source, status: 'ERROR', servedFrom: 'offline', dataAsOf, offlineNote: 'STORE_FAILED' };
  }
  if (found > 0) return { source, status: exact ? 'HIT' : 'POSSIBLE_HIT', servedFrom: 'offline', dataAsOf };
  // A subject the copy cannot search exactly (a person without a full date of birth), even beside one it could: the
  // copy's NO_HIT would not cover it, so never clear.
  if (unsearched || !searched) return { source, status: 'UNAVAILABLE', servedFrom: 'offline', dataAsOf, offlineNote: 'CANNOT_SEARCH_OFFLINE' };
  if (age === 'stale') return { source, status: 'UNAVAILABLE', servedFrom: 'offline', dataAsOf, offlineNote: 'COPY_TOO_OLD' };
  return source === 'NOMINAL'
    ? { source, status: 'NO_HIT', servedFrom: 'offline', dataAsOf, offlineNote: 'EXACT_MATCH_ONLY' }
    : { source, status: 'NO_HIT', servedFrom: 'offline', dataAsOf };
}

/** Options with the defaults. @internal */
export interface ResolvedOffline {
  readonly store: OfflineStore;
  readonly mode: 'fallback' | 'first';
  readonly maxStalenessMs: number;
  readonly rescreenWindowMs: number;
  readonly syncIntervalMs: number;
  readonly sources: readonly Source[];
  readonly maxShrink: number;
}

/** Fills in the defaults of options already checked by the client's schema. @internal */
export function resolveOffline(input: OfflineOptions | undefined, allSources: readonly Source[]): ResolvedOffline | undefined {
  if (input === undefined) return undefined;
  return Object.freeze({
    store: input.store,
    mode: input.mode ?? 'fallback',
    maxStalenessMs: input.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS,
    rescreenWindowMs: input.rescreenWindowMs ?? DEFAULT_RESCREEN_WINDOW_MS,
    syncIntervalMs: input.syncIntervalMs ?? 0,
    sources: Object.freeze([...(input.sources ?? allSources)]),
    maxShrink: input.maxShrink ?? DEFAULT_MAX_SHRINK,
  });
}

/**
 * The copy's answer to a prepared check: one outcome per requested source, every one marked `servedFrom: 'offline'`
 * with the copy's `dataAsOf`, and the verdict by the one verdict rule; requested sources that could not be asked (an
 * MRZ's holder without a usable name) put back as `NOT_ASKED`, as for an online answer, so never clear. @internal
 */
export function offlineResult(
  offline: ResolvedOffline,
  prepared: PreparedCheck,
  meta: { requestId: string; durationMs: number; reason: OfflineReason },
  now: number = Date.now(),
  stateOf: StateOf = (source) => offline.store.state(source),
): CheckResult {
  const hits: Hit[] = [];
  const outcomes = prepared.sources.map((source) =>
    offline.sources.includes(source)
      ? answerSource(offline.store, stateOf, source, prepared.subjects, now, offline.maxStalenessMs, hits)
      : ({ source, status: 'UNAVAILABLE', servedFrom: 'offline', offlineNote: 'NOT_KEPT_OFFLINE' } satisfies SourceOutcome),
  );
  return finishResult(prepared, {
    verdict: computeVerdict(outcomes, hits),
    hits,
    outcomes,
    requestId: meta.requestId,
    warnings: [],
    attempts: 0,
    durationMs: meta.durationMs,
    servedFrom: 'offline',
    offlineReason: meta.reason,
  });
}

/** The records the copy answered as hits, per source: an online hit on any other record is a late hit. */
export function offlineHitsOf(result: CheckResult): RescreenEntry['offlineHits'] {
  return result.hits.map((h) => ({ source: h.source, recordId: h.recordId }));
}

/** The hits of an online answer that the copy's answer did not have. @internal */
export function lateHitsOf(online: CheckResult, offlineHits: RescreenEntry['offlineHits']): Hit[] {
  return online.hits.filter((h) => !offlineHits.some((o) => o.source === h.source && o.recordId === h.recordId));
}

const isLead = (status: string): boolean => status === 'HIT' || status === 'POSSIBLE_HIT';

/**
 * Whether an online answer holds a lead the copy's answer did not: a hit on a record the copy did not answer with, a
 * source that says it holds a record where the copy found none (its hit unreadable, or none sent), or a lead verdict
 * where the copy found nothing at all (a source not asked said HIT). @internal
 */
export function hasLateLead(online: CheckResult, offlineHits: RescreenEntry['offlineHits'], late: readonly Hit[]): boolean {
  if (late.length > 0) return true;
  if (!isLead(online.verdict)) return false;
  if (offlineHits.length === 0) return true;
  return online.outcomes.some((o) => isLead(o.status) && !offlineHits.some((h) => h.source === o.source));
}

/**
 * How long after a run that left checks to try again (a source that did not answer, an answer that could not be read)
 * the next sign of a link may start another: a source down behind the gateway must not cost a re-screen per check. An
 * explicit `rescreen()` does not wait. @unit milliseconds
 */
const RESCREEN_PAUSE_MS = 60_000;

/** Outcome statuses of a source that did not answer, for now: it is asked again. (`NOT_AUTHORISED` would not change.) */
const UNANSWERED: ReadonlySet<string> = new Set(['TIMEOUT', 'UNAVAILABLE', 'ERROR']);

/** Entries asked of the store per step of a re-screen run, beside those already tried in it. */
const RESCREEN_BATCH = 16;
/** The most entries asked of the store at once (the SQLite store's bound). */
const MAX_RESCREEN_FETCH = 10_000;

/**
 * Background checks of mode `first` in flight at once; the checks answered beyond them are kept and sent by the
 * re-screen run, one at a time, as after an outage.
 */
const MAX_BACKGROUND_CHECKS = 8;

/** A new id for a re-screen request. @internal */
export const rescreenRequestId = (): string => newRequestId();

/** A hit found online for a check the offline copy had answered without it: act on it now. No personal data. */
export interface LateHitEvent {
  type: 'lateHit';
  /** The request id of the check the copy answered (its audit event's `requestId`). */
  requestId: string;
  /** When that check was made (ISO 8601). */
  checkedAt: string;
  /** Who made it, for which authority. */
  operatorId: string;
  authorityId: string;
  locationId?: string;
  /** The request id of the online re-screen that found the hit. */
  rescreenRequestId: string;
  /** The online verdict: `HIT` or `POSSIBLE_HIT`. */
  verdict: CheckResult['verdict'];
  /**
   * The records found online that the copy did not answer with. Empty when the lead has no record that could be read
   * (a source answered `HIT` and its hit could not be read): check the traveller again online.
   */
  records: { source: Source; recordId: string }[];
}

/** What the copy needs from the client. @internal */
export interface OfflineDeps {
  /** The same check online only (no cache, no copy), under the original context; audited as `RESCREEN`. */
  checkOnline(entry: RescreenEntry): Promise<CheckResult>;
  emit(event: LateHitEvent): void;
  /** Whether a check sent now would be refused at once by the circuit breaker, nothing sent. */
  refusesNow(): boolean;
}

/** A check answered from the copy whose entry waits for the commit at the end of the turn. */
interface Waiting {
  entry: Omit<RescreenEntry, 'id'>;
  done: (keptAs: string | undefined) => void;
}

/** A source's state as read in this turn, or what reading it threw. */
type StateRead = { state: SourceState | undefined } | { failed: unknown };

/** The client's side of the offline copy: answering from it, keeping what it answered, re-screening. @internal */
export class OfflineCopy {
  readonly options: ResolvedOffline;
  readonly #deps: OfflineDeps;
  #rescreening: Promise<number> | undefined;
  /** Entries being checked online now (a re-screen, or the background check of mode `first`): never sent twice at once. */
  readonly #inFlight = new Set<string>();
  /** No run starts by itself before this time (epoch ms): see RESCREEN_PAUSE_MS. */
  #pauseUntil = 0;
  /**
   * The store held nothing to re-screen when last asked, and nothing was kept since: a gateway that answers then has
   * nothing to wake, so a check online costs no read of the store. Unknown (false) at start: a restart may find some.
   */
  #nothingKept = false;
  #closed = false;
  /** Background checks of mode `first` in flight. */
  #background = 0;
  /** Entries to keep in the commit at the end of this turn (see `keep`). */
  #waiting: Waiting[] = [];
  /**
   * Each source's state as read in this turn: the checks answered from the copy in one burst read it once (a read of
   * the store per source per check was a fifth of a check). As fresh as a read at the start of each check: what was
   * read, and the copy's records, can change under any check, in another process, between two reads anyway.
   */
  readonly #states = new Map<Source, StateRead>();
  #turnEnds = false;
  readonly #endTurn = (): void => {
    this.#turnEnds = false;
    this.#states.clear();
    if (this.#waiting.length > 0) this.#keepWaiting();
  };
  readonly #stateOf = (source: Source): SourceState | undefined => {
    let read = this.#states.get(source);
    if (read === undefined) {
      try {
        read = { state: this.options.store.state(source) };
      } catch (err) {
        read = { failed: err };
      }
      this.#states.set(source, read);
      this.#atTurnEnd();
    }
    if ('failed' in read) throw read.failed;
    return read.state;
  };

  constructor(options: ResolvedOffline, deps: OfflineDeps) {
    this.options = options;
    this.#deps = deps;
  }

  /**
   * The copy's answer to a check, kept for re-screening: it resolves once its entry is committed. `reason`: the code
   * of the error the online request ended with, or `OFFLINE_FIRST`.
   */
  async answer(prepared: PreparedCheck, requestId: string, started: number, reason: OfflineReason): Promise<CheckResult> {
    const result = this.result(prepared, requestId, started, reason);
    await this.keep(prepared, requestId, result);
    return result;
  }

  /**
   * The copy's answers to the rows of a batch whose request could not reach the gateway (`reason`: its error's code),
   * each row a check of its own (its own request id) kept for re-screening; resolves once all are committed.
   */
  async answerRows(rows: readonly PreparedCheck[], started: number, reason: OfflineReason): Promise<CheckResult[]> {
    const results = rows.map((prepared) => this.result(prepared, newRequestId(), started, reason));
    await Promise.all(results.map((result, i) => this.keep(rows[i]!, result.requestId, result)));
    return results;
  }

  /**
   * Mode `first` for the rows of a batch: the copy's answer to each row it can answer completely, kept for
   * re-screening, and `undefined` for each row that goes online. The rows the copy answered are checked online in the
   * background by a re-screen run (one check at a time, as after an outage), not by a request per row at once.
   */
  async firstRows(rows: readonly PreparedCheck[], started: number): Promise<(CheckResult | undefined)[]> {
    const results = rows.map((prepared) => {
      const result = this.result(prepared, newRequestId(), started, 'OFFLINE_FIRST');
      return OfflineCopy.isComplete(result) ? result : undefined;
    });
    const kept = results.flatMap((result, i) => (result === undefined ? [] : [this.keep(rows[i]!, result.requestId, result)]));
    if (kept.length === 0) return results;
    await Promise.all(kept);
    if (!this.#deps.refusesNow()) this.linkUp();
    return results;
  }

  /** The copy's answer to a check, not kept. */
  result(prepared: PreparedCheck, requestId: string, started: number, reason: OfflineReason): CheckResult {
    return offlineResult(this.options, prepared, { requestId, durationMs: Math.round(performance.now() - started), reason }, Date.now(), this.#stateOf);
  }

  /**
   * Keeps a check the copy answered (`result`) for re-screening; resolves with the entry's id once it is committed, or
   * `undefined` when the store could not keep it (the answer stands: a HIT must not be lost to a full disk).
   *
   * The entries of one turn of the event loop are committed together, in one transaction, when its microtasks have
   * run: a commit costs many times what an entry does, and checks answered from the copy come in bursts (a batch, the
   * lanes of a crossing). Nothing is answered before its entry is committed, so an answer the caller has seen is
   * never one the store could lose to the process dying; the wait is the rest of the turn, not a timer.
   */
  keep(prepared: PreparedCheck, requestId: string, result: CheckResult): Promise<string | undefined> {
    const entry: Omit<RescreenEntry, 'id'> = {
      requestId,
      checkedAt: Date.now(),
      context: prepared.context,
      subjects: prepared.subjects,
      sources: prepared.sources,
      offlineHits: offlineHitsOf(result),
    };
    this.#nothingKept = false;
    return new Promise((done) => {
      this.#waiting.push({ entry, done });
      this.#atTurnEnd();
    });
  }

  /**
   * Runs the end of the turn (the commit of the entries kept in it, the states read in it forgotten) once its
   * microtasks have run: every check the turn can move on without waiting for I/O has then been answered or kept. A
   * tick, not a timer: nothing waits longer than the turn.
   */
  #atTurnEnd(): void {
    if (this.#turnEnds) return;
    this.#turnEnds = true;
    process.nextTick(this.#endTurn);
  }

  /** Commits the entries of the turn; when the store refuses them together, each alone, so one does not cost the rest. */
  #keepWaiting(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    const { store } = this.options;
    let ids: readonly unknown[] | undefined;
    if (waiting.length > 1 && store.keepManyForRescreen !== undefined) {
      try {
        ids = store.keepManyForRescreen(waiting.map((w) => w.entry));
      } catch {
        ids = undefined;
      }
    }
    if (ids !== undefined) {
      // A store of one's own that answered the wrong count kept them, but under which id cannot be told.
      const told = Array.isArray(ids) && ids.length === waiting.length;
      for (let i = 0; i < waiting.length; i++) {
        const id = told ? ids[i] : undefined;
        waiting[i]!.done(typeof id === 'string' ? id : undefined);
      }
      return;
    }
    for (const w of waiting) {
      let id: string | undefined;
      try {
        id = store.keepForRescreen(w.entry);
      } catch {
        // Not kept: it cannot be re-screened. The answer stands.
      }
      w.done(id);
    }
  }

  /** Whether the copy's answer is complete enough to give at once in `first` mode (never an answer that says INCOMPLETE). */
  static isComplete(result: CheckResult): boolean {
    return result.verdict !== 'INCOMPLETE';
  }

  /**
   * Compares an online answer with what the copy answered: a lead online that the copy's answer did not have is a late
   * hit. Settles the entry either way; the sources that did not answer (a timeout behind the gateway) are kept as an
   * entry of their own, to be asked on a later run. Returns that entry's id, if any.
   */
  settle(entry: Omit<RescreenEntry, 'id'>, id: string | undefined, online: CheckResult): string | undefined {
    this.#lateHit(entry, online);
    const unanswered = entry.sources.filter((s) => online.outcomes.some((o) => o.source === s && UNANSWERED.has(o.status)));
    let rest: string | undefined;
    if (unanswered.length > 0) {
      this.#pauseUntil = Date.now() + RESCREEN_PAUSE_MS;
      try {
        this.#nothingKept = false;
        rest = this.options.store.keepForRescreen({
          requestId: entry.requestId,
          checkedAt: entry.checkedAt,
          context: entry.context,
          subjects: entry.subjects,
          sources: unanswered,
          offlineHits: entry.offlineHits.filter((h) => unanswered.includes(h.source)),
        });
      } catch {
        // Not kept: settling the entry would lose those sources, so it stays and is sent whole again (a late hit
        // found now may then be raised twice: one event more, never a hit less).
        return undefined;
      }
    }
    if (id !== undefined) this.forget(id);
    return rest;
  }

  #lateHit(entry: Omit<RescreenEntry, 'id'>, online: CheckResult): void {
    const late = lateHitsOf(online, entry.offlineHits);
    if (!hasLateLead(online, entry.offlineHits, late)) return;
    const { context } = entry;
    this.#deps.emit({
      type: 'lateHit',
      requestId: entry.requestId,
      checkedAt: new Date(entry.checkedAt).toISOString(),
      operatorId: context.operatorId,
      authorityId: context.authorityId,
      ...(context.locationId !== undefined ? { locationId: context.locationId } : {}),
      rescreenRequestId: online.requestId,
      verdict: online.verdict,
      records: late.map((h) => ({ source: h.source, recordId: h.recordId })),
    });
  }

  /** The entry is settled: never sent again. A store that cannot say so now sends it again later (one event more, never a hit less). */
  forget(id: string): void {
    try {
      this.options.store.settleRescreen(id);
    } catch {
      // See above.
    }
  }

  /**
   * Mode `first`: the check the copy answered goes online in the background at once; its answer settles the entry
   * (kept as `keptAs`), and a failure leaves it to the next re-screen run. A kept check beyond MAX_BACKGROUND_CHECKS
   * in flight is left to that run too.
   */
  checkInBackground(entry: RescreenEntry, keptAs: string | undefined): void {
    // The breaker would refuse it at once: it is kept (or not) as it would be then, for the run on the next sign of a
    // link, and nothing is asked meanwhile.
    if (this.#deps.refusesNow()) return;
    // Checks the copy answers at once come faster than a slow or dying link fails them: unbounded, a burst queued
    // thousands of requests before the breaker heard of a failure. One not kept has only this chance: it goes.
    if (keptAs !== undefined && this.#background >= MAX_BACKGROUND_CHECKS) return;
    this.#background++;
    if (keptAs !== undefined) this.#inFlight.add(keptAs);
    const done = () => {
      this.#background--;
      if (keptAs !== undefined) this.#inFlight.delete(keptAs);
    };
    this.#deps.checkOnline(entry).then(
      (answer) => {
        done();
        this.settle(entry, keptAs, answer);
        this.linkUp();
      },
      done,
    );
  }

  /** The gateway answered: re-screen what the copy answered meanwhile (one run at a time). */
  linkUp(): void {
    if (this.#nothingKept || this.#rescreening !== undefined || this.#closed || Date.now() < this.#pauseUntil) return;
    // Nobody awaits a run started here: a store that fails is seen by the next `rescreen()` call instead.
    this.rescreen().catch(() => undefined);
  }

  /**
   * Sends the checks the copy answered within the window again online, oldest first, until none is left or the gateway
   * cannot be reached; resolves with how many were re-screened.
   */
  rescreen(): Promise<number> {
    this.#rescreening ??= this.#drain().finally(() => {
      this.#rescreening = undefined;
    });
    return this.#rescreening;
  }

  async #drain(): Promise<number> {
    let done = 0;
    // Every entry is tried once per run, whatever becomes of it (a store that cannot settle it shows it again).
    const tried = new Set<string>();
    for (;;) {
      if (this.#closed) return done;
      const wanted = Math.min(RESCREEN_BATCH + tried.size + this.#inFlight.size, MAX_RESCREEN_FETCH);
      const kept = this.options.store.rescreenDue(Date.now() - this.options.rescreenWindowMs, wanted);
      // Read and marked in one synchronous step: anything kept after it clears the mark again.
      if (kept.length === 0) this.#nothingKept = true;
      const due = kept.filter((e) => !tried.has(e.id) && !this.#inFlight.has(e.id));
      if (due.length === 0) return done;
      for (const entry of due) {
        if (this.#closed) return done;
        // Taken by the background check of a check made meanwhile.
        if (this.#inFlight.has(entry.id)) continue;
        tried.add(entry.id);
        this.#inFlight.add(entry.id);
        let online: CheckResult;
        try {
          online = await this.#deps.checkOnline(entry);
        } catch (err) {
          this.#inFlight.delete(entry.id);
          const next = afterFailure(err, this.#closed);
          // The link is still down (or the client is closing): try again on the next sign of a link.
          if (next === 'stop') return done;
          // A refusal of this very check would fail every time: settled, so it does not hold up the rest.
          if (next === 'settle') this.forget(entry.id);
          else this.#pauseUntil = Date.now() + RESCREEN_PAUSE_MS;
          continue;
        }
        this.#inFlight.delete(entry.id);
        const rest = this.settle(entry, entry.id, online);
        // What is left of it waits for a later run.
        if (rest !== undefined) tried.add(rest);
        done++;
      }
    }
  }

  close(): void {
    this.#closed = true;
  }
}
