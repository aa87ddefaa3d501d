// From what the gateway said about one item, as domain values, to a CheckResult. The verdict rule is the heart of
// the product: a failure, a timeout, a missing source or an element of the answer that could not be read never reads
// as clear. Reading the wire into these values is protocol/check-answer.ts's.
import type { ResponseInfo } from '../errors/index';
import type { CheckResult, GatewayWarning, Hit, QueryContext, Source, SourceOutcome, Subject, Verdict } from './types';

const answered = new Set(['HIT', 'POSSIBLE_HIT', 'NO_HIT']);

/**
 * How long a result may be served again from the cache (0: never). Only a complete answer is stored: never
 * `INCOMPLETE`, never one with a source that did not answer, and never a `NO_HIT` that a hit or another status
 * contradicts (an inconsistent clear must not be served twice). `hitTtlMs` for HIT and POSSIBLE_HIT, `noHitTtlMs` for
 * NO_HIT.
 */
export function cacheTtlOf(result: CheckResult, ttl: { readonly hitTtlMs: number; readonly noHitTtlMs: number }): number {
  const { verdict, outcomes } = result;
  if (verdict === 'INCOMPLETE' || outcomes.length === 0) return 0;
  for (const o of outcomes) {
    if (!answered.has(o.status)) return 0;
    if (verdict === 'NO_HIT' && o.status !== 'NO_HIT') return 0;
  }
  if (verdict === 'NO_HIT') return result.hits.length === 0 ? ttl.noHitTtlMs : 0;
  return ttl.hitTtlMs;
}

/** What else {@link computeVerdict} needs to know about the answer. */
export interface VerdictOptions {
  /**
   * The answer held an outcome or a hit whose verdict fields could not be read, and it was left out: whatever it
   * said, the verdict is then never `NO_HIT`.
   * @default false
   */
  unreadable?: boolean;
  /**
   * A source the request did not name answered `HIT` or `POSSIBLE_HIT`: a lead like any other, so the verdict is at
   * least `POSSIBLE_HIT`.
   * @default false
   */
  unaskedLead?: boolean;
}

/**
 * The verdict rule: `HIT` when any hit matched `EXACT` or `NORMALISED`; else `POSSIBLE_HIT` when a hit matched
 * `FUZZY` or a source said `POSSIBLE_HIT` (or `HIT` without a hit that could be read); `NO_HIT` only when every
 * requested source answered `NO_HIT`, there is no hit, and nothing in the answer was left out as unreadable;
 * everything else is `INCOMPLETE`.
 * @param outcomes one per requested source; a source the gateway left out counts as `ERROR`.
 * @example
 * ```ts
 * computeVerdict([{ source: 'SLTD', status: 'NO_HIT' }], [], { unreadable: true }); // 'INCOMPLETE'
 * ```
 */
export function computeVerdict(outcomes: readonly SourceOutcome[], hits: readonly Hit[], options?: VerdictOptions): Verdict {
  let fuzzy = false;
  for (const hit of hits) {
    if (hit.match.method === 'FUZZY') fuzzy = true;
    else return 'HIT';
  }
  // A source that says HIT without a readable hit still said it holds a record: that is a lead for the second line,
  // not a source that failed to answer.
  if (fuzzy || options?.unaskedLead === true || outcomes.some((o) => o.status === 'POSSIBLE_HIT' || o.status === 'HIT')) return 'POSSIBLE_HIT';
  if (options?.unreadable === true || hits.length > 0) return 'INCOMPLETE';
  if (outcomes.length > 0 && outcomes.every((o) => o.status === 'NO_HIT')) return 'NO_HIT';
  return 'INCOMPLETE';
}

/** How far from clear an outcome is: a source reported twice keeps its highest, whatever order they came in. */
const UNCLEAR: Readonly<Record<string, number>> = { NO_HIT: 0, UNAVAILABLE: 1, TIMEOUT: 1, NOT_AUTHORISED: 1, ERROR: 1, NOT_ASKED: 1, POSSIBLE_HIT: 2, HIT: 3 };

/**
 * One outcome per requested source, in the order requested. A source the gateway left out is `ERROR`; a source
 * reported twice keeps the answer that is least clear (HIT, then POSSIBLE_HIT, then any failure, then NO_HIT).
 */
export function outcomesFor(requested: readonly Source[], given: readonly SourceOutcome[]): SourceOutcome[] {
  return requested.map((source) => {
    let found: SourceOutcome | undefined;
    for (const o of given) {
      if (o.source !== source) continue;
      if (found === undefined || (UNCLEAR[o.status] ?? 1) > (UNCLEAR[found.status] ?? 1)) found = o;
    }
    if (found === undefined) return { source, status: 'ERROR' };
    return found.dataAsOf === undefined
      ? { source, status: found.status }
      : { source, status: found.status, dataAsOf: found.dataAsOf };
  });
}

/** Whether every outcome is an answer (HIT, POSSIBLE_HIT or NO_HIT): only such results may be cached. */
export function isComplete(outcomes: readonly SourceOutcome[]): boolean {
  return outcomes.length > 0 && outcomes.every((o) => answered.has(o.status));
}

/** What the gateway said about one asked item, as domain values. @internal */
export interface ItemAnswer {
  /** The outcomes as given: several per source, or sources not asked, are possible. */
  outcomes: readonly SourceOutcome[];
  hits: Hit[];
  /** What reading the answer found odd, already capped; the result keeps this array. */
  warnings: GatewayWarning[];
  /** An outcome or a hit whose verdict fields could not be read was left out. */
  unreadable: boolean;
  /** The gateway's own id of the request, when it gave a usable one. */
  gatewayRequestId?: string | undefined;
}

/** The CheckResult of one item's answer, for the sources requested. @internal */
export function checkResultOf(
  answer: ItemAnswer,
  requested: readonly Source[],
  meta: { requestId: string; attempts: number; durationMs: number; response?: ResponseInfo | undefined },
): CheckResult {
  const outcomes = outcomesFor(requested, answer.outcomes);
  let unaskedLead = false;
  for (const o of answer.outcomes) {
    if ((o.status === 'HIT' || o.status === 'POSSIBLE_HIT') && !requested.includes(o.source)) unaskedLead = true;
  }
  const { hits, warnings, unreadable, gatewayRequestId } = answer;
  const verdict = computeVerdict(outcomes, hits, unreadable || unaskedLead ? { unreadable, unaskedLead } : undefined);
  const { requestId, attempts, durationMs } = meta;
  // Two literals rather than a spread: this runs once per check, and the ids stay side by side in --json.
  const result: CheckResult =
    gatewayRequestId === undefined
      ? { verdict, hits, outcomes, requestId, warnings, attempts, durationMs, servedFrom: 'network' }
      : { verdict, hits, outcomes, requestId, gatewayRequestId, warnings, attempts, durationMs, servedFrom: 'network' };
  if (meta.response !== undefined) result.response = meta.response;
  return result;
}

/**
 * A validated check, ready to send. `requested` and `notAsked` are set when some requested sources could not be asked
 * (nothing they search was usable): those read `NOT_ASKED` in the result, before anything (cache, audit, log, caller)
 * sees it. @internal
 */
export interface PreparedCheck {
  context: QueryContext;
  subjects: Subject[];
  /** The sources sent. */
  sources: Source[];
  requested?: readonly Source[];
  notAsked?: readonly Source[];
}

/**
 * The result as the caller gets it: the requested sources that were not asked put back in, in request order, as
 * `NOT_ASKED`. A source not asked is never clear: a `NO_HIT` from the others becomes `INCOMPLETE`. @internal
 */
export function finishResult<R extends CheckResult>(prepared: PreparedCheck, result: R): R {
  const { notAsked } = prepared;
  const requested = prepared.requested ?? prepared.sources;
  if (notAsked === undefined || !notAsked.some((s) => requested.includes(s))) return result;
  const outcomes: SourceOutcome[] = requested.map(
    (source) => (notAsked.includes(source) ? undefined : result.outcomes.find((o) => o.source === source)) ?? { source, status: 'NOT_ASKED' },
  );
  return { ...result, outcomes, verdict: result.verdict === 'NO_HIT' ? 'INCOMPLETE' : result.verdict };
}

/**
 * True only when the verdict is `NO_HIT`: every requested source answered and none had a record. Use it, not
 * `verdict !== 'HIT'`, to decide that a traveller may pass.
 * @example
 * ```ts
 * if (isClear(result)) openGate(); else referToSecondLine(result);
 * ```
 */
export function isClear(result: Pick<CheckResult, 'verdict'>): boolean {
  return result.verdict === 'NO_HIT';
}
