// Every enumerated value and shared format of protocol v1, written once. The domain types (types.ts), the zod enums
// and messages (validate.ts, reports/, protocol/wire.ts), the mock gateway, the OpenAPI test and the command derive
// from these tables: a value added here is added everywhere, so the code and docs/openapi.yaml cannot drift apart.

/** Every source, in protocol order. */
export const SOURCES = Object.freeze(['SLTD', 'TDAWN', 'NOMINAL', 'SMV'] as const);

/** Every purpose the protocol knows. */
export const PURPOSES = Object.freeze(['BORDER_CHECK', 'SECOND_LINE', 'INVESTIGATION', 'MANIFEST_SCREENING', 'TEST'] as const);

// The kinds of document and the sexes are the MRZ engine's tables (the bottom of the house, which imports nothing of
// ours); the protocol carries the same values.
export { DOCUMENT_TYPES, SEXES } from '../mrz/index';

/** Every status a state may report its own document with. */
export const REPORTABLE_STATUSES = Object.freeze(['STOLEN', 'LOST', 'STOLEN_BLANK', 'REVOKED', 'INVALIDATED'] as const);

/** Every reason a report may be withdrawn for. */
export const WITHDRAWAL_REASONS = Object.freeze(['RECOVERED', 'REPORTED_IN_ERROR', 'DUPLICATE', 'OTHER'] as const);

/** Every verdict of a check, from the least clear: only `NO_HIT` is clear (see `isClear`). */
export const VERDICTS = Object.freeze(['HIT', 'POSSIBLE_HIT', 'NO_HIT', 'INCOMPLETE'] as const);

/** The outcome statuses a gateway may send. `NOT_ASKED` is the client's own and is not among them. @internal */
export const WIRE_OUTCOME_STATUSES = Object.freeze(['HIT', 'POSSIBLE_HIT', 'NO_HIT', 'UNAVAILABLE', 'TIMEOUT', 'NOT_AUTHORISED', 'ERROR'] as const);

/** The status the client gives a requested source it did not send. @internal */
export const NOT_ASKED = 'NOT_ASKED';

/** Every outcome status of a result: the gateway's, and the client's own `NOT_ASKED`. Only `NO_HIT` is clear. */
export const OUTCOME_STATUSES = Object.freeze([...WIRE_OUTCOME_STATUSES, NOT_ASKED] as const);

/** The kinds of hit, one per source, in protocol order. @internal */
export const HIT_KINDS = Object.freeze(['document', 'linked-document', 'person', 'vehicle'] as const);

/** How a hit matched: `EXACT` and `NORMALISED` make a `HIT`, `FUZZY` a `POSSIBLE_HIT`. @internal */
export const MATCH_METHODS = Object.freeze(['EXACT', 'NORMALISED', 'FUZZY'] as const);

// The open (descriptive) enums of an answer: the values protocol v1 lists. Another value from a gateway is kept, with
// a warning (STYLE §9), so the types built from these add `(string & {})`.

/** Every document status protocol v1 lists (the reportable ones and TDAWN's `VALID`); a gateway may send others. */
export const DOCUMENT_STATUSES = Object.freeze([...REPORTABLE_STATUSES, 'VALID'] as const);

/** Every notice type protocol v1 lists; a gateway may send others. */
export const NOTICE_TYPES = Object.freeze(['RED', 'BLUE', 'GREEN', 'YELLOW', 'BLACK', 'ORANGE', 'PURPLE', 'UN_SPECIAL', 'DIFFUSION'] as const);

/** Every confirmation state protocol v1 lists; a gateway may send others. */
export const CONFIRMATION_STATES = Object.freeze(['UNCONFIRMED', 'PENDING', 'CONFIRMED', 'REJECTED'] as const);

/**
 * Every state of a confirmation request (`POST /v1/hits/{hitId}/confirmation-requests`): `PENDING` until the owner
 * country answers (`CONFIRMED`, `NOT_CONFIRMED`, `RECORD_NO_LONGER_VALID`) or the request lapses unanswered
 * (`EXPIRED`). Closed: what the second line does next depends on it, so a state this version does not list is a
 * `ProtocolError`, never a guess.
 */
export const CONFIRMATION_REQUEST_STATES = Object.freeze(['PENDING', 'CONFIRMED', 'NOT_CONFIRMED', 'RECORD_NO_LONGER_VALID', 'EXPIRED'] as const);

/** How soon the owner country is asked to answer: `URGENT` (the subject is held: minutes) or `ROUTINE` (an hour). */
export const CONFIRMATION_PRIORITIES = Object.freeze(['URGENT', 'ROUTINE'] as const);

/** Every kind of entry protocol v1 lists in a document record's history; a gateway may send others. */
export const DOCUMENT_HISTORY_EVENTS = Object.freeze(['REPORTED', 'STATUS_CHANGED', 'WITHDRAWN', 'REINSTATED'] as const);

/** `A, B, C or D`: how a message lists the values a field may take. @internal */
export function spellValues(values: readonly string[]): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

// Shared formats. Not global (no `g` flag), so one RegExp can be shared without a `lastIndex` to leak.

/** An ICAO state code once trimmed and upper-cased. @internal */
export const STATE_CODE = /^[A-Z]{1,3}$/;
/** A document number once trimmed and upper-cased. @internal */
export const DOCUMENT_NUMBER = /^[A-Z0-9]{1,20}$/;
/** A VIN once trimmed and upper-cased: 17 characters, no I, O or Q. @internal */
export const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

/**
 * Printable ASCII without spaces, `min` to `max` characters (no upper bound when `max` is left out): identifiers,
 * idempotency keys, request ids. @internal
 */
export function printableAscii(min = 1, max?: number): RegExp {
  return new RegExp(`^[\\x21-\\x7e]{${min},${max ?? ''}}$`);
}
