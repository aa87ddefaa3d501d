/**
 * The audit event: one per call, what a consultation log must show (who, for which authority, why, when, what kind
 * of subject, with what result) without raw personal data unless the integrator opts in.
 * @module
 */
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

/**
 * One event per call, sent to `onAudit`.
 * @example
 * ```ts
 * createClient({ ..., onAudit: (event) => auditLog.append(event) });
 * ```
 */
export interface AuditEvent {
  /** When the call ended (ISO 8601). */
  at: string;
  /** The `x-request-id` the client sent for the call (never an id the gateway put in its answer). */
  requestId: string;
  /** `RESCREEN`: a check the offline copy answered, sent again online once the gateway answered (see `rescreenOf`). */
  action: 'CHECK' | 'RESCREEN' | 'REPORT' | 'WITHDRAW';
  /** For a `RESCREEN`: the `requestId` of the check the offline copy answered. */
  rescreenOf?: string;
  authorityId: string;
  operatorId: string;
  purpose: Purpose;
  locationId?: string;
  /** What kinds of subjects were searched, hashed. Empty for a withdrawal. */
  subjects: AuditSubject[];
  /** The sources asked, for checks. */
  sources?: Source[];
  /** The verdict, for a check that got an answer. */
  verdict?: Verdict;
  /** `OK`, `QUEUED` (a write kept in the outbox, to be replayed), or the error code the call failed with. */
  outcome: 'OK' | string;
  /**
   * The hits' ids, for a check. An id is gateway text: one that is not 1 to 128 letters, digits and `. _ : / -` is
   * recorded as `hashed:` and its keyed hash under `privacy.hashKey` (the result keeps it as sent).
   */
  hitIds: string[];
  /** The record created or withdrawn, for a report or withdrawal; an id of another shape as in `hitIds`. */
  recordId?: string;
  durationMs: number;
  attempts: number;
  /** `cache` when a check was answered from the client's cache, `offline` from the client's offline copy. */
  servedFrom?: 'network' | 'cache' | 'offline';
}
