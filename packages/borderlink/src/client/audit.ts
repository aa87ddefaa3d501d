// Audit events and log lines: one audit event per call (rule 2: subjects as keyed hashes unless the integrator opts
// in), and log lines that carry call metadata only, never a searched value.
import type { AuditConfirmation, AuditEvent, AuditSubject } from '../audit/index';
import { BorderlinkError, ProtocolError } from '../errors/index';
import { toAbortError } from '../internal/abort';
import { canonicalJson, keyedHasher, memoryKeySecret, type KeyedHasher, type MemoryKeySecret } from '../internal/hash';
import type { LevelledLogger } from '../logging/logger';
import type { PreparedCheck } from '../queries/results';
import type { CheckResult } from '../queries/types';

/**
 * The shape of an id from the gateway (a hit's `hitId`, a record's `recordId`) that an audit event holds as it is: 1 to
 * 128 letters, digits and `. _ : / -`, the first a letter or a digit (docs/protocol.md, "Ids in audit events").
 */
export const AUDITED_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/**
 * An id from the gateway as an audit event may hold it (rule 2: gateway text is untrusted, and an audit log outlives
 * the answer). One of the shape of {@link AUDITED_ID} goes in as it is; any other (an escape code, a searched value
 * with its spaces, 5,000 characters) as `hashed:` and its keyed hash under the audit key, so the log still ties the
 * event to the answer without holding the text. The answer itself keeps the id as the gateway sent it. Every id an
 * audit event carries passes here.
 * @internal
 */
export function auditedId(id: string, hashed: KeyedHasher): string {
  return AUDITED_ID.test(id) ? id : `hashed:${hashed(`gateway id\u0000${id}`)}`;
}

/** A confirmation's audit record, its gateway ids as {@link auditedId} records them. */
function auditedConfirmation(c: AuditConfirmation, hashed: KeyedHasher): AuditConfirmation {
  return {
    ...c,
    ...(c.confirmationId !== undefined ? { confirmationId: auditedId(c.confirmationId, hashed) } : {}),
    ...(c.renews !== undefined ? { renews: auditedId(c.renews, hashed) } : {}),
  };
}

/** What one audit event says beside the prepared check. @internal */
export interface AuditInfo {
  requestId: string;
  result?: CheckResult;
  error?: BorderlinkError;
  recordId?: string;
  attempts?: number;
  durationMs?: number;
  /** The event's outcome when it is neither `OK` nor an error's code: `QUEUED` for a write kept in the outbox. */
  outcome?: 'QUEUED';
  /** For a re-screen: the request id of the check the offline copy answered. */
  rescreenOf?: string;
  /** The hits the call was about, when it is not a check (a confirmation request, a record read from a hit). */
  hitIds?: string[];
  /** For a confirmation request. */
  confirmation?: AuditConfirmation;
}

/** The actions whose event lists the sources: a check's asked, a record read's own. */
const SOURCED: ReadonlySet<AuditEvent['action']> = new Set(['CHECK', 'RESCREEN', 'RECORD']);

/** @internal */
export interface RecorderOptions {
  onAudit: ((event: AuditEvent) => void) | undefined;
  log: LevelledLogger;
  hashKey: Uint8Array;
  includePersonalData: boolean;
}

/** @internal */
export class Recorder {
  readonly log: LevelledLogger;
  /** Keyed hashes under the hash key (audit subjects, odd gateway ids), its pads made once. */
  readonly hashed: KeyedHasher;
  /** The same key, for the keys of in-memory maps (the answer cache): see memoryKey. */
  readonly memoryKeySecret: MemoryKeySecret;
  readonly #options: RecorderOptions;

  constructor(options: RecorderOptions) {
    this.#options = options;
    this.log = options.log;
    this.hashed = keyedHasher(options.hashKey);
    this.memoryKeySecret = memoryKeySecret(options.hashKey);
  }

  /** The error a call rejects with: always one of ours, with its request id and duration, logged once. */
  failed(err: unknown, requestId: string, started: number): BorderlinkError {
    const error =
      err instanceof BorderlinkError
        ? err
        : isAbort(err)
          ? toAbortError(err)
          : new ProtocolError('Unexpected failure while handling the answer', { cause: err });
    error.requestId ??= requestId;
    // An error the executor never saw (an abort before the call was sent) sent nothing.
    error.attempts ??= 0;
    error.durationMs = Math.round(error.durationMs ?? performance.now() - started);
    const log = this.log;
    if (log.enabled('error')) log.log('error', 'call failed', { requestId: error.requestId, code: error.code, attempts: error.attempts });
    return error;
  }

  batchRowFailed(error: BorderlinkError, requestId: string): void {
    const log = this.log;
    if (log.enabled('error')) log.log('error', 'batch row failed', { requestId, code: error.code, attempts: error.attempts });
  }

  /** Whether {@link audit} does anything: an audit sink, or a log at level info. */
  get records(): boolean {
    return this.#options.onAudit !== undefined || this.log.enabled('info');
  }

  audit(action: AuditEvent['action'], prepared: PreparedCheck, info: AuditInfo): void {
    const { onAudit, includePersonalData } = this.#options;
    const log = this.log;
    if (log.enabled('info') && info.result !== undefined) {
      log.log('info', 'check', {
        requestId: info.result.requestId,
        verdict: info.result.verdict,
        attempts: info.result.attempts,
        durationMs: info.result.durationMs,
        servedFrom: info.result.servedFrom,
      });
    }
    if (onAudit === undefined) return;
    const { context } = prepared;
    const subjects: AuditSubject[] = prepared.subjects.map((s) => {
      const entry: AuditSubject = { kind: s.kind, hash: this.hashed(canonicalJson(s)) };
      if (includePersonalData) entry.values = structuredClone(s);
      return entry;
    });
    const event: AuditEvent = {
      at: new Date().toISOString(),
      requestId: info.result?.requestId ?? info.requestId,
      action,
      authorityId: context.authorityId,
      operatorId: context.operatorId,
      purpose: context.purpose,
      ...(context.locationId !== undefined ? { locationId: context.locationId } : {}),
      subjects,
      // A copy: the default lists are shared constants, and the event is the integrator's to edit.
      ...(SOURCED.has(action) || prepared.sources.length > 0 ? { sources: [...prepared.sources] } : {}),
      ...(info.result !== undefined ? { verdict: info.result.verdict, servedFrom: info.result.servedFrom } : {}),
      outcome: info.outcome ?? info.error?.code ?? 'OK',
      hitIds:
        info.result !== undefined
          ? info.result.hits.map((h) => auditedId(h.hitId, this.hashed))
          : (info.hitIds?.map((id) => auditedId(id, this.hashed)) ?? []),
      ...(info.recordId !== undefined ? { recordId: auditedId(info.recordId, this.hashed) } : {}),
      ...(info.confirmation !== undefined ? { confirmation: auditedConfirmation(info.confirmation, this.hashed) } : {}),
      ...(info.rescreenOf !== undefined ? { rescreenOf: info.rescreenOf } : {}),
      durationMs: info.result?.durationMs ?? info.durationMs ?? info.error?.durationMs ?? 0,
      attempts: info.result?.attempts ?? info.attempts ?? info.error?.attempts ?? 0,
    };
    try {
      onAudit(event);
    } catch {
      // The audit sink's failure is the integrator's to handle; it must not change the answer.
    }
  }
}

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}
