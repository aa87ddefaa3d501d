/**
 * The audit event: one per call, what a consultation log must show (who, for which authority, why, when, what kind
 * of subject, with what result) without raw personal data unless the integrator opts in.
 * @module
 */
import type { ConfirmationPriority } from '../queries/confirmation';
import type { Purpose, Source, Subject, Verdict } from '../queries/types';

/** A searched subject, as the audit event records it. */
export interface AuditSubject {
  kind: Subject['kind'];
  /**
   * Keyed hash (HMAC-SHA256, 128 bits, hex) of the normalised searched values. The same subject gives the same hash
   * under the same `privacy.hashKey`, so a log can be correlated without holding the values.
   */
  hash: string;
  /** The searched values themselves, only when `privacy.includePersonalData` is true. */
  values?: Subject;
}

/** What an audit event says of one confirmation request. The `reason` given is not in it: it may name the person. */
export interface AuditConfirmation {
  priority: ConfirmationPriority;
  /** 1 for the first request of the hit, 2 and 3 for those sent after one lapsed. */
  request: number;
  /** The gateway's id of the request, once it accepted it. */
  confirmationId?: string;
  /** The id of the request that lapsed, for the second and third. */
  renews?: string;
}

/**
 * One event per call, sent to `onAudit`.
 * @example
 * ```ts
 * import { openAuditLog } from 'borderlink/audit';
 * const auditLog = openAuditLog({ dir: '/var/log/border-lane/audit' });
 * const client = createClient({ transport, context, onAudit: (event) => auditLog.append(event) });
 * ```
 */
export interface AuditEvent {
  /** When the call ended (ISO 8601). */
  at: string;
  /** The `x-request-id` the client sent for the call (never an id the gateway put in its answer). */
  requestId: string;
  /**
   * `RESCREEN`: a check the offline copy answered, sent again online once the gateway answered (see `rescreenOf`).
   * `RECORD`: a full record read (`recordId`, its source in `sources`, the hit in `hitIds` when one was given).
   * `CONFIRMATION_REQUEST`: one request to the owner to confirm a hit (the first, or the next after one lapsed; see
   * `confirmation`). Reading where a confirmation stands is not an event: it asks nothing new of anyone.
   */
  action: 'CHECK' | 'RESCREEN' | 'REPORT' | 'WITHDRAW' | 'RECORD' | 'CONFIRMATION_REQUEST';
  /** For a `RESCREEN`: the `requestId` of the check the offline copy answered. */
  rescreenOf?: string;
  authorityId: string;
  operatorId: string;
  purpose: Purpose;
  locationId?: string;
  /** What kinds of subjects were searched, hashed. Empty for a withdrawal. */
  subjects: AuditSubject[];
  /** The sources asked, for checks; the record's source, for a record read (and a confirmation, when the hit was given). */
  sources?: Source[];
  /** The verdict, for a check that got an answer. */
  verdict?: Verdict;
  /** `OK`, `QUEUED` (a write kept in the outbox, to be replayed), or the error code the call failed with. */
  outcome: 'OK' | string;
  /**
   * The hits' ids, for a check; the hit asked about, for a confirmation request (and a record read, when given). An
   * id is gateway text: one that is not 1 to 128 letters, digits and `. _ : / -` is recorded as `hashed:` and its
   * keyed hash under `privacy.hashKey` (the result keeps it as sent).
   */
  hitIds: string[];
  /** The record created or withdrawn, for a report or withdrawal; the record read, for a record read; an id of another shape as in `hitIds`. */
  recordId?: string;
  /** For a `CONFIRMATION_REQUEST`: which request of the hit it was, and the id the gateway gave it. */
  confirmation?: AuditConfirmation;
  durationMs: number;
  attempts: number;
  /** `cache` when a check was answered from the client's cache, `offline` from the client's offline copy. */
  servedFrom?: 'network' | 'cache' | 'offline';
}
