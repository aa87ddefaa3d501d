/**
 * Reporting the state's own lost and stolen documents, and withdrawing reports. Writes: each carries one
 * idempotency key on every attempt, so a retry through a lost answer never stores a report twice.
 * @module
 */
import type { ResponseInfo } from '../errors/index';
import { z } from 'zod';
import type { DocumentType, ReportableStatus, WithdrawalReason } from '../queries/types';
import { dateSchema, stateCodeSchema } from '../queries/validate';
import { DOCUMENT_NUMBER, DOCUMENT_TYPES, REPORTABLE_STATUSES, WITHDRAWAL_REASONS, printableAscii, spellValues } from '../queries/values';

export type { WithdrawalReason } from '../queries/types';

/**
 * A document the reporting state issued and that is lost, stolen or revoked.
 * @example
 * ```ts
 * await client.reportDocument({ documentNumber: 'AB1234567', issuingState: 'MDA', documentType: 'PASSPORT',
 *   status: 'LOST', incidentDate: '2026-11-20', nationalReference: 'MDA-2026-004711' });
 * ```
 */
export interface DocumentReport {
  documentNumber: string;
  /** Must be the reporting authority's own state: the gateway refuses others with `NOT_ISSUER`. */
  issuingState: string;
  documentType: DocumentType;
  status: ReportableStatus;
  /** `YYYY-MM-DD`, or `YYYY-MM` / `YYYY`. */
  incidentDate?: string;
  /** Where it was lost or stolen (ICAO code). */
  incidentCountry?: string;
  /** The national case or record reference. */
  nationalReference?: string;
}

/** What a stored report gives back. */
export interface ReportResult {
  /** The gateway stored it (a write kept in the outbox instead is a `QueuedWrite`, `status: 'QUEUED'`). */
  status: 'STORED';
  /** The record's id in the gateway: keep it to withdraw the report. */
  recordId: string;
  createdAt: string;
  /** True when the gateway had already stored this report under the same idempotency key (a replay). */
  replayed: boolean;
  /** The key the report was sent with. */
  idempotencyKey: string;
  requestId: string;
  attempts: number;
  durationMs: number;
  /** The gateway's answer it came from: status, the gateway's own id, selected headers (see {@link ResponseInfo}). */
  response?: ResponseInfo;
}

/** A withdrawal of a report. */
export interface WithdrawalRequest {
  recordId: string;
  reason: WithdrawalReason;
}

/** What a withdrawal gives back. */
export interface WithdrawalResult {
  /** The gateway stored the withdrawal (a write kept in the outbox instead is a `QueuedWrite`, `status: 'QUEUED'`). */
  status: 'STORED';
  recordId: string;
  withdrawnAt: string;
  replayed: boolean;
  idempotencyKey: string;
  requestId: string;
  attempts: number;
  durationMs: number;
  /** The gateway's answer it came from: status, the gateway's own id, selected headers (see {@link ResponseInfo}). */
  response?: ResponseInfo;
}


/** @internal */
export const documentReportSchema = z.strictObject({
  documentNumber: z
    .string({ error: 'must be a string' })
    .transform((v) => v.trim().toUpperCase())
    .pipe(z.string().regex(DOCUMENT_NUMBER, { error: 'must be 1 to 20 letters A-Z or digits' })),
  issuingState: stateCodeSchema,
  documentType: z.enum(DOCUMENT_TYPES, { error: `must be ${spellValues(DOCUMENT_TYPES)}` }),
  status: z.enum(REPORTABLE_STATUSES, { error: `must be ${spellValues(REPORTABLE_STATUSES)}` }),
  incidentDate: dateSchema.optional(),
  incidentCountry: stateCodeSchema.optional(),
  nationalReference: z.string({ error: 'must be a string' }).min(1).max(64, { error: 'must be at most 64 characters' }).optional(),
});

/** @internal */
export const withdrawalSchema = z.strictObject({
  recordId: z.string({ error: 'must be a string' }).min(1, { error: 'is required' }).max(128),
  reason: z.enum(WITHDRAWAL_REASONS, { error: `must be ${spellValues(WITHDRAWAL_REASONS)}` }),
});

/** @internal */
export const idempotencyKeySchema = z
  .string({ error: 'must be a string' })
  .regex(printableAscii(8, 128), { error: 'must be 8 to 128 printable ASCII characters' });
