// Writes: reports and withdrawals. Rule 3: one idempotency key per write, on every attempt and in every error of it,
// even one refused before sending; the error says whether the write may have been stored.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { BorderlinkError } from '../errors/index';
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
import type { ResolvedResilience } from '../resilience/index';
import type { Executor } from '../resilience/types';
import type { Recorder } from './audit';
import { checkWriteOptions, readWriteOptions, type CheckedWriteOptions } from './check-options';
import type { ContextFor } from './context';
import type { WriteOptions } from './options';
import { USER_AGENT } from './read';
import type { WriteState } from './write-state';

/** What the writes need from the client. @internal */
export interface WriteDeps {
  executor: Executor;
  resilience: ResolvedResilience;
  contextFor: ContextFor;
  recorder: Recorder;
  state: WriteState;
  assertOpen(): void;
}

type ResponseSchema = typeof reportResponseSchema | typeof withdrawalResponseSchema;

/**
 * Every write error says which key it was sent under and whether it may have been stored: the executor sets
 * `mayHaveBeenStored` for what it sent; anything refused before sending was not stored.
 */
function writeError(err: unknown, idempotencyKey: string): unknown {
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

  async reportDocument(report: DocumentReport, options?: WriteOptions): Promise<ReportResult> {
    const { parsed, idempotencyKey, checked } = this.#checkWrite('reportDocument', options, () => parseInput(documentReportSchema, report, 'report') as DocumentReport);
    const subject = { kind: 'document', documentNumber: parsed.documentNumber, issuingState: parsed.issuingState, documentType: parsed.documentType } as Subject;
    const { value, ...meta } = await this.#write(
      'REPORT',
      [subject],
      PATHS.documentReports,
      (context) => ({ context, report: parsed }),
      reportResponseSchema,
      checked,
      idempotencyKey,
    );
    return { recordId: value.recordId, createdAt: value.createdAt, ...meta };
  }

  async withdrawReport(request: WithdrawalRequest, options?: WriteOptions): Promise<WithdrawalResult> {
    const { parsed, idempotencyKey, checked } = this.#checkWrite('withdrawReport', options, () => parseInput(withdrawalSchema, request) as WithdrawalRequest);
    const { value, ...meta } = await this.#write(
      'WITHDRAW',
      [],
      PATHS.withdrawal(parsed.recordId),
      (context) => ({ context, reason: parsed.reason }),
      withdrawalResponseSchema,
      checked,
      idempotencyKey,
      parsed.recordId,
    );
    return { recordId: value.recordId, withdrawnAt: value.withdrawnAt, ...meta };
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
  ): Promise<{ value: z.output<S>; replayed: boolean; idempotencyKey: string; requestId: string; attempts: number; durationMs: number }> {
    const { executor, recorder } = this.#deps;
    const started = performance.now();
    const requestId = randomUUID();
    let context: QueryContext;
    try {
      context = this.#deps.contextFor(options.context);
    } catch (err) {
      throw writeError(err, idempotencyKey);
    }
    const prepared = { context, subjects, sources: [] };
    return this.#deps.state.run(async () => {
      try {
        const outcome = await executor.execute<z.output<S>>({
          kind: 'write',
          request: {
            method: 'POST',
            path,
            headers: {
              [HEADERS.contentType]: 'application/json',
              [HEADERS.requestId]: requestId,
              [HEADERS.idempotencyKey]: idempotencyKey,
              [HEADERS.userAgent]: USER_AGENT,
            },
            body: JSON.stringify(bodyFor(context)),
          },
          requestId,
          timeoutMs: options.timing.timeoutMs,
          attemptTimeoutMs: options.timing.attemptTimeoutMs,
          signal: options.signal,
          decode: decodeAnswer('write', requestId, (response) => parseBody(response, schema, false) as z.output<S>),
        });
        const durationMs = Math.round(performance.now() - started);
        recorder.audit(action, prepared, { requestId, recordId: outcome.value.recordId, attempts: outcome.attempts, durationMs });
        return {
          value: outcome.value,
          replayed: outcome.response.headers[HEADERS.idempotentReplayed] === 'true',
          idempotencyKey,
          requestId,
          attempts: outcome.attempts,
          durationMs,
        };
      } catch (err) {
        const error = recorder.failed(err, requestId, started);
        writeError(error, idempotencyKey);
        recorder.audit(action, prepared, { requestId, ...(recordId !== undefined ? { recordId } : {}), error });
        throw error;
      }
    });
  }
}
