/**
 * Where a hit stands with the country that owns its record: the states of a confirmation, what can move it, and the one
 * table that says how. A hit is a lead, not a decision, until the owner confirms it.
 * @module
 */
import type { CONFIRMATION_PRIORITIES, CONFIRMATION_REQUEST_STATES } from './values';

/**
 * Where a confirmation stands. `PENDING`: asked, no answer yet. The owner's answers: `CONFIRMED` (the record is valid
 * and the hit stands: act on it), `NOT_CONFIRMED` (the owner does not confirm the hit: do not act on it),
 * `RECORD_NO_LONGER_VALID` (the record lapsed, e.g. the document was recovered). `EXPIRED`: three requests went
 * unanswered by their deadlines; the hit is still a lead, settled by your procedure, never by this state.
 */
export type ConfirmationRequestState = (typeof CONFIRMATION_REQUEST_STATES)[number];

/** How soon the owner is asked to answer. */
export type ConfirmationPriority = (typeof CONFIRMATION_PRIORITIES)[number];

/** The most requests sent for one confirmation, as NCIC does: the first, then one more each time a deadline passes. */
export const MAX_CONFIRMATION_REQUESTS = 3;

/**
 * What can happen to a confirmation: what the gateway says of the request in force (`PENDING`, an answer, `EXPIRED`
 * when the request lapsed there), and the client's own: `DUE` (its deadline passed with no answer), `RENEWED` (the
 * next request was accepted), `EXHAUSTED` (a request lapsed and three were sent). @internal
 */
export const CONFIRMATION_EVENTS = Object.freeze([
  'PENDING',
  'CONFIRMED',
  'NOT_CONFIRMED',
  'RECORD_NO_LONGER_VALID',
  'EXPIRED',
  'DUE',
  'RENEWED',
  'EXHAUSTED',
] as const);

/** @internal */
export type ConfirmationEvent = (typeof CONFIRMATION_EVENTS)[number];

/** The events that are the gateway's answer about the request in force. @internal */
export const GATEWAY_CONFIRMATION_EVENTS: readonly ConfirmationEvent[] = Object.freeze(['PENDING', 'CONFIRMED', 'NOT_CONFIRMED', 'RECORD_NO_LONGER_VALID', 'EXPIRED']);

/**
 * The states of the machine: the public ones and `LAPSED`, the moment between a request that lapsed and the next
 * one (the caller still reads `PENDING`). @internal
 */
export type ConfirmationMachineState = ConfirmationRequestState | 'LAPSED';

/** @internal */
export const CONFIRMATION_MACHINE_STATES: readonly ConfirmationMachineState[] = Object.freeze([
  'PENDING',
  'LAPSED',
  'CONFIRMED',
  'NOT_CONFIRMED',
  'RECORD_NO_LONGER_VALID',
  'EXPIRED',
]);

const _ = undefined;

/**
 * Every state × event → the next state, or `undefined` where it cannot happen: an answer that contradicts an answer
 * already given (`CONFIRMED` → `PENDING`), a renewal that nothing lapsed for. The one place the rules are written; a
 * gateway answer that the table refuses is a `ProtocolError`, never applied.
 *
 * - An owner's answer is final: repeated, it changes nothing; any other answer after it is refused.
 * - `EXPIRED` is the client's conclusion once three requests lapsed. A gateway that still says `PENDING` (its clock
 *   may lag) or `EXPIRED` does not move it; an owner's answer that comes after it is a late answer and replaces it.
 * - A deadline that fires once an answer is in changes nothing.
 * @internal
 */
export const CONFIRMATION_TRANSITIONS: Readonly<Record<ConfirmationMachineState, Readonly<Record<ConfirmationEvent, ConfirmationMachineState | undefined>>>> =
  Object.freeze({
    //                       PENDING    CONFIRMED    NOT_CONFIRMED    RECORD_NO_LONGER_VALID    EXPIRED    DUE        RENEWED    EXHAUSTED
    PENDING:                row('PENDING', 'CONFIRMED', 'NOT_CONFIRMED', 'RECORD_NO_LONGER_VALID', 'LAPSED', 'LAPSED', _, _),
    LAPSED:                 row(_, _, _, _, _, 'LAPSED', 'PENDING', 'EXPIRED'),
    CONFIRMED:              row(_, 'CONFIRMED', _, _, _, 'CONFIRMED', _, _),
    NOT_CONFIRMED:          row(_, _, 'NOT_CONFIRMED', _, _, 'NOT_CONFIRMED', _, _),
    RECORD_NO_LONGER_VALID: row(_, _, _, 'RECORD_NO_LONGER_VALID', _, 'RECORD_NO_LONGER_VALID', _, _),
    EXPIRED:                row('EXPIRED', 'CONFIRMED', 'NOT_CONFIRMED', 'RECORD_NO_LONGER_VALID', 'EXPIRED', 'EXPIRED', _, _),
  });

function row(...next: (ConfirmationMachineState | undefined)[]): Readonly<Record<ConfirmationEvent, ConfirmationMachineState | undefined>> {
  return Object.freeze(Object.fromEntries(CONFIRMATION_EVENTS.map((event, i) => [event, next[i]]))) as Record<ConfirmationEvent, ConfirmationMachineState | undefined>;
}

/** The next state, or `undefined` when the table says the event cannot happen in `state`. @internal */
export function nextConfirmationState(state: ConfirmationMachineState, event: ConfirmationEvent): ConfirmationMachineState | undefined {
  return CONFIRMATION_TRANSITIONS[state][event];
}

/** The state a caller reads: `LAPSED` is still `PENDING` to the caller. @internal */
export function publicConfirmationState(state: ConfirmationMachineState): ConfirmationRequestState {
  return state === 'LAPSED' ? 'PENDING' : state;
}

/**
 * Whether `state` ends a wait: an owner's answer, or `EXPIRED`.
 * @example
 * ```ts
 * if (isFinalConfirmationState(confirmation.state)) closeTheCase(confirmation.state);
 * ```
 */
export function isFinalConfirmationState(state: ConfirmationRequestState): boolean {
  return isFinalMachineState(state);
}

/** {@link isFinalConfirmationState} for the machine's states too (`LAPSED` is not final). @internal */
export function isFinalMachineState(state: ConfirmationMachineState): boolean {
  return state !== 'PENDING' && state !== 'LAPSED';
}
