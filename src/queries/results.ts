// From the gateway's answer to a CheckResult. The verdict rule is the heart of the product: a failure, a timeout or
// a missing source never reads as clear.
import type { CheckResult, Hit, Source, SourceOutcome, Verdict } from './types';
import type { CheckItemResponse } from '../protocol/wire';

const answered = new Set(['HIT', 'POSSIBLE_HIT', 'NO_HIT']);

/**
 * The verdict rule: `HIT` when any hit matched `EXACT` or `NORMALISED`; else `POSSIBLE_HIT` when a hit matched
 * `FUZZY` or a source said `POSSIBLE_HIT`; `NO_HIT` only when every requested source answered `NO_HIT`; everything
 * else is `INCOMPLETE`.
 * @param outcomes one per requested source; a source the gateway left out counts as `ERROR`.
 */
export function computeVerdict(outcomes: readonly SourceOutcome[], hits: readonly Hit[]): Verdict {
  let fuzzy = false;
  for (const hit of hits) {
    if (hit.match.method === 'FUZZY') fuzzy = true;
    else return 'HIT';
  }
  if (fuzzy || outcomes.some((o) => o.status === 'POSSIBLE_HIT')) return 'POSSIBLE_HIT';
  if (outcomes.length > 0 && outcomes.every((o) => o.status === 'NO_HIT')) return 'NO_HIT';
  return 'INCOMPLETE';
}

/**
 * One outcome per requested source, in the order requested. A source the gateway left out is `ERROR`; a source
 * reported twice keeps the answer that is least clear.
 */
export function outcomesFor(requested: readonly Source[], given: readonly SourceOutcome[]): SourceOutcome[] {
  return requested.map((source) => {
    let found: SourceOutcome | undefined;
    for (const o of given) {
      if (o.source !== source) continue;
      if (found === undefined || found.status === 'NO_HIT') found = o;
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

/** @internal */
export function buildCheckResult(
  item: CheckItemResponse,
  requested: readonly Source[],
  meta: { requestId: string; attempts: number; durationMs: number },
): CheckResult {
  const outcomes = outcomesFor(requested, item.outcomes);
  return {
    verdict: computeVerdict(outcomes, item.hits),
    hits: item.hits,
    outcomes,
    requestId: meta.requestId,
    attempts: meta.attempts,
    durationMs: meta.durationMs,
    servedFrom: 'network',
  };
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
