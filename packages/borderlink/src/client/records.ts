// Full records: `GET /v1/records/{source}/{recordId}`, a read through the executor like a check, with its context in
// the headers (rule 4) and one audit event. The record's fields are personal data: they go to the caller only, never
// to a log line, an audit event or an error.
import { newRequestId } from '../internal/ids';
import { InputError, PermissionError } from '../errors/index';
import { decodeAnswer } from '../protocol/decode';
import { readRecordAnswer } from '../protocol/record';
import { contextHeaders } from '../protocol/snapshot';
import { HEADERS, PATHS } from '../protocol/wire';
import type { FullRecord, RecordResult } from '../queries/records';
import type { QueryContext, Source } from '../queries/types';
import { SOURCES } from '../queries/values';
import { hitIdSchema } from '../reports/confirmation';
import type { ResolvedResilience } from '../resilience/index';
import type { Executor } from '../resilience/types';
import type { Recorder } from './audit';
import { checkReadOptions } from './check-options';
import type { ContextFor } from './context';
import type { ReadOptions } from './options';
import { USER_AGENT } from './read';
import { callProfile, requestHeaders, type RequestProfile } from './defaults';
import { responseInfo } from '../protocol/response';

/** What the record reads need from the client. @internal */
export interface RecordDeps {
  executor: Executor;
  resilience: ResolvedResilience;
  contextFor: ContextFor;
  recorder: Recorder;
  assertOpen(): void;
  /** The client's headers and retry policy, under each read's own headers. */
  profile: RequestProfile;
}

/**
 * Which record to read: a hit (its `source` and `recordId`, and its `hitId` for the audit event), or the two alone.
 * @example
 * ```ts
 * await client.fetchRecord(result.hits[0]!);
 * await client.fetchRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0001' });
 * ```
 */
export interface RecordRef {
  source: Source;
  recordId: string;
  /** The hit that led to the record, when there was one: the audit event names it. */
  hitId?: string | undefined;
}

/** The record asked for, checked: the source one of protocol v1's, the ids strings protocol v1 allows. */
function recordRefOf(ref: unknown): { source: Source; recordId: string; hitId: string | undefined } {
  const given = (typeof ref === 'object' && ref !== null ? ref : {}) as Partial<Record<keyof RecordRef, unknown>>;
  const { source, recordId, hitId } = given;
  const issues = [];
  if (typeof ref !== 'object' || ref === null) issues.push({ path: '(root)', message: 'must be a hit, or { source, recordId }' });
  else {
    if (!(SOURCES as readonly unknown[]).includes(source)) issues.push({ path: 'source', message: `must be ${SOURCES.join(', ')}` });
    if (!hitIdSchema.safeParse(recordId).success) issues.push({ path: 'recordId', message: 'must be a string of 1 to 1000 characters' });
    if (hitId !== undefined && !hitIdSchema.safeParse(hitId).success) issues.push({ path: 'hitId', message: 'must be a string of 1 to 1000 characters' });
  }
  if (issues.length > 0) throw new InputError('The record to read is invalid', issues);
  return { source: source as Source, recordId: recordId as string, hitId: hitId as string | undefined };
}

/**
 * A 403 for the purpose, said with the purpose: the client's own value, so safe to repeat (the gateway's message never
 * is). The gateway decides which purposes may read a full record.
 */
function purposeRefused(err: PermissionError, context: QueryContext): PermissionError {
  return new PermissionError(
    `The gateway does not give full records for purpose ${context.purpose} (PURPOSE_NOT_ALLOWED): read them with the purpose the work has, such as SECOND_LINE or INVESTIGATION (context.purpose)`,
    { code: 'PURPOSE_NOT_ALLOWED', status: err.status, requestId: err.requestId, attempts: err.attempts, durationMs: err.durationMs, gatewayCode: err.gatewayCode, response: err.response, cause: err },
  );
}

/** @internal */
export class Records {
  readonly #deps: RecordDeps;

  constructor(deps: RecordDeps) {
    this.#deps = deps;
  }

  async fetch(ref: RecordRef, options?: ReadOptions): Promise<RecordResult> {
    const { recorder, executor, resilience } = this.#deps;
    const checked = checkReadOptions('fetchRecord', options, resilience);
    this.#deps.assertOpen();
    const asked = recordRefOf(ref);
    const context = this.#deps.contextFor(checked.context);
    const started = performance.now();
    const requestId = newRequestId();
    const prepared = { context, subjects: [], sources: [asked.source] };
    const about = { recordId: asked.recordId, ...(asked.hitId !== undefined ? { hitIds: [asked.hitId] } : {}) };
    const profile = callProfile(this.#deps.profile, checked.headers);
    try {
      const outcome = await executor.execute<{ record: FullRecord; warnings: RecordResult['warnings'] }>({
        kind: 'read',
        request: {
          method: 'GET',
          path: PATHS.record(asked.source, asked.recordId),
          headers: requestHeaders(profile, { ...contextHeaders(context), [HEADERS.requestId]: requestId, [HEADERS.userAgent]: USER_AGENT }),
        },
        requestId,
        timeoutMs: checked.timing.timeoutMs,
        attemptTimeoutMs: checked.timing.attemptTimeoutMs,
        signal: checked.signal,
        retry: profile.retry,
        decode: decodeAnswer('read', requestId, (response) => readRecordAnswer(response, asked)),
      });
      const durationMs = Math.round(performance.now() - started);
      recorder.audit('RECORD', prepared, { requestId, ...about, attempts: outcome.attempts, durationMs });
      const log = recorder.log;
      // The source and the call's figures only: the record id is the gateway's text, the record personal data.
      if (log.enabled('info')) log.log('info', 'record', { requestId, source: asked.source, attempts: outcome.attempts, durationMs, warnings: outcome.value.warnings.length });
      return { record: outcome.value.record, warnings: outcome.value.warnings, requestId, attempts: outcome.attempts, durationMs, response: responseInfo(outcome.response) };
    } catch (err) {
      let error = recorder.failed(err, requestId, started);
      if (error instanceof PermissionError && error.code === 'PURPOSE_NOT_ALLOWED') error = purposeRefused(error, context);
      recorder.audit('RECORD', prepared, { requestId, ...about, error });
      throw error;
    }
  }
}
