// From the gateway's answer to a CheckResult. The verdict rule is the heart of the product: a failure, a timeout, a
// missing source or an element of the answer that could not be read never reads as clear.
import type { CheckResult, GatewayWarning, Hit, QueryContext, Source, SourceOutcome, Subject, Verdict } from './types';
import { MAX_WARNINGS, type CheckItemResponse } from '../protocol/wire';

const answered = new Set(['HIT', 'POSSIBLE_HIT', 'NO_HIT']);

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

function hasHitFrom(hits: readonly Hit[], source: Source): boolean {
  for (const h of hits) if (h.source === source) return true;
  return false;
}

/**
 * Answers that read fine alone but not together: a hit from a source nobody asked (it still counts), an outcome for a
 * source nobody asked (ignored), a `HIT` outcome with no hit from its source, a `NO_HIT` outcome beside a hit from
 * its source. None can make the verdict clearer; each is a warning.
 */
function inconsistencies(item: CheckItemResponse, requested: readonly Source[], into: GatewayWarning[]): void {
  const { hits, outcomes, hitIndexes, outcomeIndexes } = item;
  for (let k = 0; k < hits.length; k++) {
    if (!requested.includes(hits[k]!.source)) into.push({ code: 'GATEWAY_DEVIATION', path: `hits.${hitIndexes?.[k] ?? k}.source` });
  }
  for (let k = 0; k < outcomes.length; k++) {
    const { source, status } = outcomes[k]!;
    const at = outcomeIndexes?.[k] ?? k;
    if (!requested.includes(source)) into.push({ code: 'GATEWAY_DEVIATION', path: `outcomes.${at}.source` });
    else if (status === 'HIT' ? !hasHitFrom(hits, source) : status === 'NO_HIT' && hasHitFrom(hits, source)) {
      into.push({ code: 'GATEWAY_DEVIATION', path: `outcomes.${at}.status` });
    }
  }
}

/** @internal */
export function buildCheckResult(
  item: CheckItemResponse,
  requested: readonly Source[],
  meta: { requestId: string; attempts: number; durationMs: number },
  answer?: { gatewayRequestId?: string | undefined; warnings: readonly GatewayWarning[] },
): CheckResult {
  const outcomes = outcomesFor(requested, item.outcomes);
  const warnings: GatewayWarning[] = answer === undefined || answer.warnings.length === 0 ? [] : [...answer.warnings];
  for (const w of item.warnings) warnings.push(w);
  inconsistencies(item, requested, warnings);
  if (warnings.length > MAX_WARNINGS) warnings.length = MAX_WARNINGS;
  let unaskedLead = false;
  for (const o of item.outcomes) {
    if ((o.status === 'HIT' || o.status === 'POSSIBLE_HIT') && !requested.includes(o.source)) unaskedLead = true;
  }
  const verdict = computeVerdict(
    outcomes,
    item.hits,
    item.unreadable || unaskedLead ? { unreadable: item.unreadable === true, unaskedLead } : undefined,
  );
  const { requestId, attempts, durationMs } = meta;
  const gatewayRequestId = answer?.gatewayRequestId;
  // Two literals rather than a spread: this runs once per check, and the ids stay side by side in --json.
  return gatewayRequestId === undefined
    ? { verdict, hits: item.hits, outcomes, requestId, warnings, attempts, durationMs, servedFrom: 'network' }
    : { verdict, hits: item.hits, outcomes, requestId, gatewayRequestId, warnings, attempts, durationMs, servedFrom: 'network' };
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
