// Reading the answers about a confirmation request. Strict where the workflow depends on it: the request's id (the one
// asked about), the hit, the priority, which request of the hit it is, its state, and what the next request repeats
// (reason, location). A break there is a ProtocolError: a guessed state could tell an officer to act on a hit nobody
// confirmed. Lenient where it only describes: the times (an unreadable `dueAt` falls back to the client's own
// deadline) and the owner's words (`response.instructions`, `response.ownerReference`), read as a hit's descriptive
// fields are, with a warning each.
import { ProtocolError } from '../errors/index';
import type { ConfirmationPriority, ConfirmationRequestState } from '../queries/confirmation';
import type { GatewayWarning } from '../queries/types';
import { CONFIRMATION_PRIORITIES, CONFIRMATION_REQUEST_STATES } from '../queries/values';
import { CONFIRMATION_ID } from '../reports/confirmation';
import type { TransportResponse } from '../transport/types';
import { readJson } from './body';
import { DESCRIPTIVE_RULES, readDescriptiveFieldsWarned, type DescriptiveField } from './check-answer';
import { REQUEST_SCHEMAS } from './wire';

const { text, object } = DESCRIPTIVE_RULES;

/** The owner's answer, in its own words. Gateway text: shown to the officer (through terminal-safe rendering), never logged. */
export interface ConfirmationResponse {
  /** What the owner asks the officer to do now. */
  instructions?: string;
  /** The owner's reference for its answer (to quote when calling back). */
  ownerReference?: string;
}

/** What the client read of a 201 to `POST /v1/hits/{hitId}/confirmation-requests`. @internal */
export interface ConfirmationCreated {
  confirmationId: string;
  state: ConfirmationRequestState;
  /** Epoch milliseconds; undefined when unreadable (with a warning). */
  dueAt: number | undefined;
  warnings: GatewayWarning[];
}

/** What the client read of `GET /v1/confirmation-requests/{confirmationId}`. @internal */
export interface ConfirmationStatus {
  confirmationId: string;
  hitId: string;
  priority: ConfirmationPriority;
  attempt: number;
  reason: string;
  locationId: string;
  state: ConfirmationRequestState;
  /** Epoch milliseconds, when readable. */
  requestedAt: number | undefined;
  dueAt: number | undefined;
  /** ISO 8601 as the gateway sent it, when readable. */
  respondedAt: string | undefined;
  response: ConfirmationResponse | undefined;
  warnings: GatewayWarning[];
}

const STATUS_DESCRIPTIVE: readonly DescriptiveField[] = [
  ['requestedAt', text, false],
  ['dueAt', text, true],
  ['respondedAt', text, false],
  [
    'response',
    object([
      ['instructions', text, false],
      ['ownerReference', text, false],
    ]),
    false,
  ],
];
/** The descriptive fields of a confirmation request's status. @internal */
export const CONFIRMATION_STATUS_FIELDS = STATUS_DESCRIPTIVE;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function broken(what: string, path: string, status: number): ProtocolError {
  return new ProtocolError(`The gateway's ${what} does not match protocol v1 at ${path}`, {
    retryable: false,
    status,
    issues: [{ path, message: 'does not match protocol v1' }],
  });
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** An ISO 8601 time as epoch milliseconds, or undefined (with a warning at `path`) when it is not one. */
function timeOf(value: unknown, path: string, warnings: GatewayWarning[], required: boolean): number | undefined {
  if (value === undefined) {
    if (required) warnings.push({ code: 'GATEWAY_DEVIATION', path });
    return undefined;
  }
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isFinite(ms)) return ms;
  warnings.push({ code: 'GATEWAY_DEVIATION', path });
  return undefined;
}

/**
 * Reads the answer that created a confirmation request (201, or a replay's 200).
 * @throws {ProtocolError} retryable when the body is not JSON, or when its `confirmationId` or `state` cannot be read
 * (a write's answer off the schema: sent again under the same key, the gateway replays what it stored).
 * @internal
 */
export function readConfirmationCreated(response: TransportResponse): ConfirmationCreated {
  const json = readJson(response);
  const fail = (path: string) => {
    const err = broken('answer to the confirmation request', path, response.status);
    return new ProtocolError(err.message, { retryable: true, status: response.status, issues: err.issues });
  };
  if (!isObject(json)) throw fail('(root)');
  const { confirmationId, state } = json;
  if (typeof confirmationId !== 'string' || !CONFIRMATION_ID.test(confirmationId)) throw fail('confirmationId');
  if (!isOneOf(CONFIRMATION_REQUEST_STATES, state)) throw fail('state');
  const warnings: GatewayWarning[] = [];
  const dueAt = timeOf(json.dueAt, 'dueAt', warnings, true);
  return { confirmationId, state, dueAt, warnings };
}

/**
 * Reads where a confirmation request stands. `confirmationId` must be the one asked about.
 * @throws {ProtocolError} retryable when the body is not JSON; not retryable when a strict field breaks.
 * @internal
 */
export function readConfirmationStatus(response: TransportResponse, confirmationId: string): ConfirmationStatus {
  const json = readJson(response);
  const what = 'confirmation status';
  const status = response.status;
  if (!isObject(json)) throw broken(what, '(root)', status);
  if (json.confirmationId !== confirmationId) throw broken(what, 'confirmationId', status);
  const { hitId, priority, attempt, state, reason, locationId } = json;
  if (!REQUEST_SCHEMAS.hitId.safeParse(hitId).success) throw broken(what, 'hitId', status);
  if (!isOneOf(CONFIRMATION_PRIORITIES, priority)) throw broken(what, 'priority', status);
  if (!(typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 1 && attempt <= 3)) throw broken(what, 'attempt', status);
  if (!REQUEST_SCHEMAS.confirmation.shape.reason.safeParse(reason).success) throw broken(what, 'reason', status);
  if (!REQUEST_SCHEMAS.confirmation.shape.locationId.safeParse(locationId).success) throw broken(what, 'locationId', status);
  if (!isOneOf(CONFIRMATION_REQUEST_STATES, state)) throw broken(what, 'state', status);
  const read: Json = {};
  const warnings = readDescriptiveFieldsWarned(json, STATUS_DESCRIPTIVE, '', read);
  // The times are read again as times: a string that is not one is of no use to a deadline.
  const timeWarnings: GatewayWarning[] = [];
  const requestedAt = typeof read.requestedAt === 'string' ? timeOf(read.requestedAt, 'requestedAt', timeWarnings, false) : undefined;
  const dueAt = typeof read.dueAt === 'string' ? timeOf(read.dueAt, 'dueAt', timeWarnings, true) : undefined;
  const respondedAt = typeof read.respondedAt === 'string' && timeOf(read.respondedAt, 'respondedAt', timeWarnings, false) !== undefined ? read.respondedAt : undefined;
  return {
    confirmationId,
    hitId: hitId as string,
    priority,
    attempt,
    reason: reason as string,
    locationId: locationId as string,
    state,
    requestedAt,
    dueAt,
    respondedAt,
    response: read.response as ConfirmationResponse | undefined,
    warnings: [...warnings, ...timeWarnings],
  };
}
