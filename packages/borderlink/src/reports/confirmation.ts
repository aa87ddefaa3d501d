/**
 * Asking the country that owns a record to confirm a hit on it: a write, sent with one idempotency key per request
 * (on every retry of it), so a retry through a lost answer never asks the owner twice.
 * @module
 */
import { z } from 'zod';
import type { ConfirmationPriority } from '../queries/confirmation';
import { contextSchema } from '../queries/validate';
import { CONFIRMATION_PRIORITIES, printableAscii, spellValues } from '../queries/values';

/**
 * What the owner is asked.
 * @example
 * ```ts
 * await client.requestConfirmation(hit, { priority: 'URGENT', reason: 'Holder held at second line, lane 7' });
 * ```
 */
export interface ConfirmationRequest {
  /** `URGENT` when the subject is held (an answer within minutes), `ROUTINE` otherwise. */
  priority: ConfirmationPriority;
  /**
   * Why the confirmation is asked, for the owner: 1 to 500 characters, no control characters. It goes to the gateway
   * and nowhere else (never to a log or an audit event): it may well name the person.
   */
  reason: string;
  /** Where the subject or document is held, for the owner's answer. @default the context's `locationId` */
  locationId?: string | undefined;
}

/** The longest `reason`. @internal */
export const MAX_REASON_LENGTH = 500;

/** C0 and C1 control characters: a reason is text for a person, on one record. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The gateway's id of a confirmation request: printable ASCII without spaces, 1 to 128 characters. @internal */
export const CONFIRMATION_ID = printableAscii(1, 128);

/** `reason` of a confirmation request. @internal */
export const reasonSchema = z
  .string({ error: 'must be a string' })
  .refine((v) => v.trim().length > 0 && v.length <= MAX_REASON_LENGTH && !CONTROL.test(v), {
    error: `must be 1 to ${MAX_REASON_LENGTH} characters without control characters`,
  });

/** The fields of a confirmation request the caller gives. @internal */
export const confirmationRequestSchema = z.strictObject({
  priority: z.enum(CONFIRMATION_PRIORITIES, { error: `must be ${spellValues(CONFIRMATION_PRIORITIES)}` }),
  reason: reasonSchema,
  locationId: contextSchema.shape.locationId.unwrap(),
});

/** `renews` of a confirmation request: the id of the request that lapsed. @internal */
export const renewsSchema = z.string({ error: 'must be a string' }).regex(CONFIRMATION_ID, { error: 'must be a confirmation id (1 to 128 printable ASCII characters)' });

/** A hit id as a request names it: what protocol v1 allows a hit's `hitId` (1 to 1,000 characters). @internal */
export const hitIdSchema = z.string({ error: 'must be a string' }).min(1, { error: 'is required' }).max(1000, { error: 'must be at most 1000 characters' });
