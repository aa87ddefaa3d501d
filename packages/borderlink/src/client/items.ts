// Which answer belongs to which asked item. The item id is the only thing that ties a verdict to a traveller, so the
// rule is strict and holds for the whole request: an answer under an id that was never sent, an asked item answered
// twice or not at all means the gateway's numbering cannot be trusted, and no row of that request is believed (a
// gateway that numbers one off would otherwise give the wanted passenger's HIT to the next row). The single check and
// the batch both read their answers through it. Automatic batching reads through it too, with one difference of mode:
// its items are separate calls, so an item left out fails only the calls that asked it (`missing: 'fails-item'`);
// an unknown or repeated id still fails the whole request, since it shows the numbering itself is wrong.
import { ProtocolError } from '../errors/index';
import type { CheckItemResponse, CheckResponse } from '../protocol/wire';
import type { ResponseInfo } from '../errors/index';

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
): ItemAnswers<T> {
  if (askedIds.length === 1) return answerToOne(askedIds[0]!, answers, missing);
  const first = numberOf(askedIds[0]!);
  if (first >= 0 && isRun(askedIds, first)) return answersByNumber(first, askedIds.length, answers, missing);
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

/** The answers found for the asked items, by item id. @internal */
export interface ItemAnswers<T> {
  get(itemId: string): T | undefined;
  /** How many asked items were answered. */
  readonly size: number;
}

/** The longest decimal text read as a number: to 15 digits a double holds every whole number, so text and number are one-to-one. */
const MAX_NUMBER_LENGTH = 15;

/** The whole number `id` spells in canonical decimal (exactly what `String(n)` gives for it), or -1 for any other text. */
function numberOf(id: string): number {
  const length = id.length;
  if (length === 0 || length > MAX_NUMBER_LENGTH || (length > 1 && id.charCodeAt(0) === 0x30)) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** Whether `askedIds` are the numbers `first`, `first + 1`, … in canonical decimal, as a batch numbers its items. */
function isRun(askedIds: readonly string[], first: number): boolean {
  for (let k = 1; k < askedIds.length; k++) if (numberOf(askedIds[k]!) !== first + k) return false;
  return true;
}

/**
 * The same rule for asked ids that are a run of numbers (automatic batching numbers its items 1 to n, checkMany its rows
 * in order): an answer's id is asked exactly when it is the canonical decimal of a number of the run, so no set or map
 * of the ids is needed. The errors are the same ones, in the same order of the answers, as the general path gives (a
 * property test holds the two together).
 */
function answersByNumber<T extends { itemId: string }>(first: number, count: number, answers: readonly T[], missing: MissingItem): ItemAnswers<T> {
  const slots = new Array<T | undefined>(count);
  let found = 0;
  for (let i = 0; i < answers.length; i++) {
    const answer = answers[i]!;
    const k = numberOf(answer.itemId) - first;
    if (k < 0 || k >= count) throw new ProtocolError('The gateway answered an item that was not asked', { retryable: false });
    if (slots[k] !== undefined) throw new ProtocolError('The gateway answered an asked item more than once', { retryable: false });
    slots[k] = answer;
    found++;
  }
  if (missing === 'fails-request' && found !== count) throw new ProtocolError('The gateway answered without an item that was asked', { retryable: false });
  return {
    get(itemId: string): T | undefined {
      const k = numberOf(itemId) - first;
      return k >= 0 && k < count ? slots[k] : undefined;
    },
    size: found,
  };
}

/** A check answer with each asked item's answer found by id. @internal */
export interface CheckAnswer {
  response: CheckResponse;
  byItem: ItemAnswers<CheckItemResponse>;
  /** What the results say of the gateway's answer. */
  info: ResponseInfo;
}

/** The shared answer of a de-duplicated call must not be mutated through one caller's result. @internal */
export function ownCopy(item: CheckItemResponse): CheckItemResponse {
  // Outcomes and warnings need no copy: buildCheckResult makes new outcome objects and a new warnings list.
  return { ...item, hits: item.hits.length === 0 ? [] : structuredClone(item.hits) };
}
