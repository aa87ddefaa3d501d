// Writes: reports and withdrawals. Rule 3: one idempotency key per write, on every attempt and in every error of it,
// even one refused before sending; the error says whether the write may have been stored.
import { randomUUID } from 'node:crypto';
import { newRequestId } from '../internal/ids';
import type { z } from 'zod';
import { BorderlinkError, StoreError } from '../errors/index';
import { parseBody } from '../protocol/body';
import { decodeAnswer } from '../protocol/decode';
import { HEADERS, PATHS, reportResponseSchema, withdrawalResponseSchema } from '../protocol/wire';
import type { QueryContext, Subject } from '../queries/types';
import { parseInput } from '../queries/validate';
import {
  documentReportSchema,
  idempotencyKeySchema,
  withdrawalSchema,
  type DocumentReport,
  type ReportResult,
  type WithdrawalRequest,
  type WithdrawalResult,
} from '../reports/index';
import { resolveCallOptions, type ResolvedResilience } from '../resilience/index';
import type { Executor } from '../resilience/types';
import type { Recorder } from './audit';
import { checkWriteOptions, readWriteOptions, type CheckedWriteOptions } from './check-options';
import type { ContextFor } from './context';
import type { WriteOptions } from './options';
import { USER_AGENT } from './read';
import type { WriteState } from './write-state';
import { gatewayUnreachable } from './offline';
import type { Outbox, QueuedWrite } from './outbox';
import { callProfile, PLAIN_PROFILE, requestHeaders, type RequestProfile } from './defaults';
import { responseInfo } from '../protocol/response';
import type { ResponseInfo } from '../errors/index';
import type { OutboxEntry } from '../stores/types';

/** What the writes need from the client. @internal */
export interface WriteDeps {
  executor: Executor;
  resilience: ResolvedResilience;
  contextFor: ContextFor;
  recorder: Recorder;
  state: WriteState;
  assertOpen(): void;
  /** The durable outbox, when the client has one. */
  outbox?: Outbox | undefined;
  /** The client's headers and retry policy, under each write's own headers. */
  profile: RequestProfile;
}

type ResponseSchema = typeof reportResponseSchema | typeof withdrawalResponseSchema;

/**
 * Every write error says which key it was sent under and whether it may have been stored: the executor sets
 * `mayHaveBeenStored` for what it sent; anything refused before sending was not stored. @internal
 */
export function writeError(err: unknown, idempotencyKey: string): unknown {
  if (!(err instanceof BorderlinkError)) return err;
  err.idempotencyKey = idempotencyKey;
  err.mayHaveBeenStored ??= false;
  return err;
}

/** @internal */
export class Writes {
  readonly #deps: WriteDeps;

  constructor(deps: WriteDeps) {
    this.#deps = deps;
  }

  async reportDocument(report: DocumentReport, options?: WriteOptions): Promise<ReportResult | QueuedWrite> {
    const { parsed, idempotencyKey, checked } = this.#checkWrite('reportDocument', options, () => parseInput(documentReportSchema, report, 'report') as DocumentReport);
    const subject = { kind: 'document', documentNumber: parsed.documentNumber, issuingState: parsed.issuingState, documentType: parsed.documentType } as Subject;
    const written = await this.#write(
      'REPORT',
      [subject],
      PATHS.documentReports,
      (context) => ({ context, report: parsed }),
      reportResponseSchema,
      checked,
      idempotencyKey,
    );
    if (written.status === 'QUEUED') return written;
    const { value, status, response, ...meta } = written;
    return { status, recordId: value.recordId, createdAt: value.createdAt, ...meta, response };
  }

  async withdrawReport(request: WithdrawalRequest, options?: WriteOptions): Promise<WithdrawalResult | QueuedWrite> {
    const { parsed, idempotencyKey, checked } = this.#checkWrite('withdrawReport', options, () => parseInput(withdrawalSchema, request) as WithdrawalRequest);
    const written = await this.#write(
      'WITHDRAW',
      [],
      PATHS.withdrawal(parsed.recordId),
      (context) => ({ context, reason: parsed.reason }),
      withdrawalResponseSchema,
      checked,
      idempotencyKey,
      parsed.recordId,
    );
    if (written.status === 'QUEUED') return written;
    const { value, status, response, ...meta } = written;
    return { status, recordId: value.recordId, withdrawnAt: value.withdrawnAt, ...meta, response };
  }

  /**
   * Checks a write's options and input. The idempotency key is settled first, so that every error of the write,
   * even one refused before sending, says which key it was (and that nothing was stored). Each option is read once,
   * first: the key an error names is the key that would have been sent.
   */
  #checkWrite<T>(scope: string, options: WriteOptions | undefined, parse: () => T): { parsed: T; idempotencyKey: string; checked: CheckedWriteOptions } {
    const read = readWriteOptions(options);
    const given = read?.idempotencyKey;
    let idempotencyKey: string;
    let checked: CheckedWriteOptions;
    try {
      checked = checkWriteOptions(scope, options, read, this.#deps.resilience);
      idempotencyKey = given === undefined ? randomUUID() : (parseInput(idempotencyKeySchema, given, 'idempotencyKey') as string);
    } catch (err) {
      // Refused before sending: still say which key the caller gave, when it gave a usable one.
      if (typeof given === 'string' && idempotencyKeySchema.safeParse(given).success) writeError(err, given);
      throw err;
    }
    try {
      this.#deps.assertOpen();
      return { parsed: parse(), idempotencyKey, checked };
    } catch (err) {
      throw writeError(err, idempotencyKey);
    }
  }

  /** One write: validated context, one idempotency key and one request id on every attempt, one audit event. */
  async #write<S extends ResponseSchema>(
    action: 'REPORT' | 'WITHDRAW',
    subjects: Subject[],
    path: string,
    bodyFor: (context: QueryContext) => unknown,
    schema: S,
    options: CheckedWriteOptions,
    idempotencyKey: string,
    recordId?: string,
  ): Promise<
    | {
        status: 'STORED';
        value: z.output<S>;
        replayed: boolean;
        idempotencyKey: string;
        requestId: string;
        attempts: number;
        durationMs: number;
        response: ResponseInfo;
      }
    | QueuedWrite
  > {
    const { recorder, outbox } = this.#deps;
    const started = performance.now();
    const requestId = newRequestId();
    let context: QueryContext;
    try {
      context = this.#deps.contextFor(options.context);
    } catch (err) {
      throw writeError(err, idempotencyKey);
    }
    const prepared = { context, subjects, sources: [] };
    const body = JSON.stringify(bodyFor(context));
    const kind: OutboxEntry['kind'] = action === 'REPORT' ? 'report' : 'withdrawal';
    const recordField = recordId !== undefined ? { recordId } : {};
    /** Queues the write; a store that cannot is the error, saying which key and whether the gateway may have it. */
    const queue = (reason: string, attempts: number, mayHaveBeenStored: boolean): QueuedWrite => {
      let queued: QueuedWrite;
      try {
        queued = outbox!.queue({ idempotencyKey, kind, path, body }, reason);
      } catch (err) {
        const error = recorder.failed(err instanceof BorderlinkError ? err : new StoreError('The outbox could not queue the write', { code: 'STORE_FAILED', cause: err }), requestId, started);
        writeError(error, idempotencyKey);
        error.mayHaveBeenStored = mayHaveBeenStored;
        recorder.audit(action, prepared, { requestId, ...recordField, error });
        throw error;
      }
      recorder.audit(action, prepared, { requestId, ...recordField, outcome: 'QUEUED', attempts, durationMs: Math.round(performance.now() - started) });
      return queued;
    };
    // Writes leave in order: while older ones wait in the outbox, a new one queues behind them.
    let waiting = false;
    try {
      waiting = outbox?.hasPending() === true;
    } catch (err) {
      throw writeError(recorder.failed(err, requestId, started), idempotencyKey);
    }
    if (waiting) {
      const queued = queue('OUTBOX_NOT_EMPTY', 0, false);
      outbox!.linkUp();
      return queued;
    }
    return this.#deps.state.run(async () => {
      try {
        const profile = callProfile(this.#deps.profile, options.headers);
        const outcome = await this.#send(path, body, idempotencyKey, requestId, schema, options.timing, options.signal, profile);
        const durationMs = Math.round(performance.now() - started);
        recorder.audit(action, prepared, { requestId, recordId: outcome.value.recordId, attempts: outcome.attempts, durationMs });
        outbox?.linkUp();
        return {
          status: 'STORED' as const,
          value: outcome.value,
          replayed: outcome.response.headers[HEADERS.idempotentReplayed] === 'true',
          idempotencyKey,
          requestId,
          attempts: outcome.attempts,
          durationMs,
          response: responseInfo(outcome.response),
        };
      } catch (err) {
        const error = recorder.failed(err, requestId, started);
        writeError(error, idempotencyKey);
        // Durable before it is answered: once the caller hears QUEUED, the write survives a crash.
        if (outbox !== undefined && gatewayUnreachable(error)) return queue(error.code, error.attempts ?? 0, error.mayHaveBeenStored === true);
        recorder.audit(action, prepared, { requestId, ...recordField, error });
        throw error;
      }
    });
  }

  /** One write request: the same idempotency key and a new request id on every attempt of it. */
  #send<S extends ResponseSchema>(
    path: string,
    body: string,
    idempotencyKey: string,
    requestId: string,
    schema: S,
    timing: Readonly<{ timeoutMs: number; attemptTimeoutMs: number }>,
    signal: AbortSignal | undefined,
    profile: RequestProfile,
  ) {
    return this.#deps.executor.execute<z.output<S>>({
      kind: 'write',
      request: {
        method: 'POST',
        path,
        headers: requestHeaders(profile, {
          [HEADERS.contentType]: 'application/json',
          [HEADERS.requestId]: requestId,
          [HEADERS.idempotencyKey]: idempotencyKey,
          [HEADERS.userAgent]: USER_AGENT,
        }),
        body,
      },
      requestId,
      timeoutMs: timing.timeoutMs,
      attemptTimeoutMs: timing.attemptTimeoutMs,
      signal,
      retry: profile.retry,
      decode: decodeAnswer('write', requestId, (response) => parseBody(response, schema, false) as z.output<S>),
    });
  }

  /**
   * Replays one queued write exactly as it was queued: its path, its body (the original context included: who, for
   * which authority and why stay those of the call that made it) and its idempotency key. One audit event per replay.
   */
  async replay(entry: OutboxEntry): Promise<{ recordId: string; replayed: boolean }> {
    const { recorder } = this.#deps;
    const started = performance.now();
    const requestId = newRequestId();
    const schema = entry.kind === 'report' ? reportResponseSchema : withdrawalResponseSchema;
    const prepared = replayedCall(entry);
    try {
      // A write like any other for the read path: nothing cached before it, or read while it is in flight, is served
      // after it (the gateway may answer HIT now for a document it cleared).
      const outcome = await this.#deps.state.run(() =>
        // The queued write as it was queued: the call's own headers were never kept on disk, so none go with it.
        this.#send(entry.path, entry.body, entry.idempotencyKey, requestId, schema, resolveCallOptions(undefined, this.#deps.resilience), undefined, PLAIN_PROFILE),
      );
      const durationMs = Math.round(performance.now() - started);
      recorder.audit(prepared.action, prepared, { requestId, recordId: outcome.value.recordId, attempts: outcome.attempts, durationMs });
      return { recordId: outcome.value.recordId, replayed: outcome.response.headers[HEADERS.idempotentReplayed] === 'true' };
    } catch (err) {
      const error = recorder.failed(err, requestId, started);
      writeError(error, entry.idempotencyKey);
      recorder.audit(prepared.action, prepared, { requestId, error });
      throw error;
    }
  }
}

/** What the audit event of a replay says: the queued body's own context and subject (the body is ours, written at queue time). */
function replayedCall(entry: OutboxEntry): { action: 'REPORT' | 'WITHDRAW'; context: QueryContext; subjects: Subject[]; sources: [] } {
  const body = JSON.parse(entry.body) as { context: QueryContext; report?: DocumentReport };
  const subjects: Subject[] =
    body.report !== undefined
      ? [{ kind: 'document', documentNumber: body.report.documentNumber, issuingState: body.report.issuingState, documentType: body.report.documentType } as Subject]
      : [];
  return { action: entry.kind === 'report' ? 'REPORT' : 'WITHDRAW', context: body.context, subjects, sources: [] };
}
