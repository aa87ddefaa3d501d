// Which answer belongs to which asked item. The item id is the only thing that ties a verdict to a traveller, so the
// rule is strict and holds for the whole request: an answer under an id that was never sent, an asked item answered
// twice or not at all means the gateway's numbering cannot be trusted, and no row of that request is believed (a
// gateway that numbers one off would otherwise give the wanted passenger's HIT to the next row). The single check and
// the batch both read their answers through it. Automatic batching reads through it too, with one difference of mode:
// its items are separate calls, so an item left out fails only the calls that asked it (`missing: 'fails-item'`);
// an unknown or repeated id still fails the whole request, since it shows the numbering itself is wrong.
import { ProtocolError } from '../errors/index';
import type { CheckItemResponse, CheckResponse } from '../protocol/wire';

/** What an asked item left out of the answer fails: the whole request, or only that item (its caller reads it absent). @internal */
export type MissingItem = 'fails-request' | 'fails-item';

/**
 * The answer to each asked item, by item id.
 * @throws {ProtocolError} (not retryable) when an answer's id was not asked or is repeated, and (in mode
 * `fails-request`) when an asked item is not answered.
 * @internal
 */
export function answersByItem<T extends { itemId: string }>(
  askedIds: readonly string[],
  answers: readonly T[],
  missing: MissingItem = 'fails-request',
): Map<string, T> {
  if (askedIds.length === 1) return answerToOne(askedIds[0]!, answers, missing);
  const asked = new Set(askedIds);
  const byId = new Map<string, T>();
  for (const answer of answers) {
    if (!asked.has(answer.itemId)) throw new ProtocolError('The gateway answered an item that was not asked', { retryable: false });
    // Set and compare the size rather than ask first: one lookup per answer (the map is dropped when this throws).
    const before = byId.size;
    if (byId.set(answer.itemId, answer).size === before) throw new ProtocolError('The gateway answered an asked item more than once', { retryable: false });
  }
  if (missing === 'fails-request' && byId.size !== asked.size) throw new ProtocolError('The gateway answered without an item that was asked', { retryable: false });
  return byId;
}

/**
 * The same rule for one asked item (every single check, and a batch that gathered one call), without a set: the errors
 * are the same ones, in the same order of the answers, as the general path gives (a property test holds the two
 * together for any list of ids).
 */
function answerToOne<T extends { itemId: string }>(askedId: string, answers: readonly T[], missing: MissingItem): Map<string, T> {
  let found: T | undefined;
  for (let i = 0; i < answers.length; i++) {
    const answer = answers[i]!;
    if (answer.itemId !== askedId) throw new ProtocolError('The gateway answered an item that was not asked', { retryable: false });
    if (found !== undefined) throw new ProtocolError('The gateway answered an asked item more than once', { retryable: false });
    found = answer;
  }
  const byId = new Map<string, T>();
  if (found !== undefined) byId.set(askedId, found);
  else if (missing === 'fails-request') throw new ProtocolError('The gateway answered without an item that was asked', { retryable: false });
  return byId;
}

/** A check answer with each asked item's answer found by id. @internal */
export interface CheckAnswer {
  response: CheckResponse;
  byItem: ReadonlyMap<string, CheckItemResponse>;
}

/** The shared answer of a de-duplicated call must not be mutated through one caller's result. @internal */
export function ownCopy(item: CheckItemResponse): CheckItemResponse {
  // Outcomes and warnings need no copy: buildCheckResult makes new outcome objects and a new warnings list.
  return { ...item, hits: item.hits.length === 0 ? [] : structuredClone(item.hits) };
}
