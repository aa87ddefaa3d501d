// The mock gateway's options for the second line: who may read full records, and how the owners answer
// confirmation requests.
import { z } from 'zod';
import { CONFIRMATION_PRIORITIES, PURPOSES, type ConfirmationPriority, type Purpose } from 'borderlink';
import { spellValues } from '../protocol/index';
import { CONFIRMATION_SCRIPT_OPTION, type ConfirmationScript } from './dataset';
import { DEFAULT_CONFIRMATION_DEADLINES_MS, type ConfirmationDesk } from './confirmations';
import { DEFAULT_RECORD_PURPOSES } from './records';

/**
 * How a mock gateway answers the second line.
 * @example
 * ```ts
 * let fakeNow = Date.parse('2026-01-01T08:00:00Z');
 * const gateway = await createMockGateway({ secondLine: { confirmation: { answer: 'NEVER' }, now: () => fakeNow } });
 * fakeNow += 11 * 60_000; // past an URGENT request's 10 minutes: the gateway has marked it EXPIRED
 * ```
 */
export interface SecondLineOptions {
  /**
   * The purposes that may read a full record (`GET /v1/records/…`); any other is refused with 403
   * `PURPOSE_NOT_ALLOWED`.
   * @default ['SECOND_LINE', 'INVESTIGATION', 'TEST']: a BORDER_CHECK or MANIFEST_SCREENING is refused
   */
  recordPurposes?: Purpose[] | undefined;
  /**
   * How the owner answers every confirmation request, instead of the script of the hit's record (a dataset record's
   * `confirmation`). A withdrawn record is always `RECORD_NO_LONGER_VALID`.
   * @default the record's script, else `{ answer: 'CONFIRMED', afterMs: 2000 }`
   */
  confirmation?: ConfirmationScript | undefined;
  /**
   * How long a confirmation request waits for its owner before the gateway marks it `EXPIRED`, by priority.
   * @unit milliseconds
   * @default { URGENT: 600000, ROUTINE: 3600000 }
   */
  deadlinesMs?: { [P in ConfirmationPriority]?: number | undefined } | undefined;
  /** The `retry-after` of an answer that a request is still pending. @unit seconds @default 1 */
  retryAfterSeconds?: number | undefined;
  /**
   * The gateway's clock for confirmations (when each was asked, is due, is answered), epoch milliseconds. Give a
   * test's fake clock to drive deadlines and scripted answers exactly; nothing runs on a timer.
   * @default Date.now
   */
  now?: (() => number) | undefined;
}

const MS = 'must be a number of milliseconds above 0';
const SECONDS = 'must be a whole number of seconds, 0 or more';

/** @internal */
export const SECOND_LINE_OPTION = z.strictObject(
  {
    recordPurposes: z.array(z.enum(PURPOSES, { error: `must list purposes (${spellValues(PURPOSES)})` }), { error: 'must be an array of purposes' }).optional(),
    confirmation: CONFIRMATION_SCRIPT_OPTION.optional(),
    deadlinesMs: z
      .strictObject(
        Object.fromEntries(CONFIRMATION_PRIORITIES.map((p) => [p, z.number({ error: MS }).positive({ error: MS }).optional()])) as Record<ConfirmationPriority, z.ZodOptional<z.ZodNumber>>,
        { error: 'must be an object (URGENT, ROUTINE)' },
      )
      .optional(),
    retryAfterSeconds: z.number({ error: SECONDS }).int({ error: SECONDS }).min(0, { error: SECONDS }).optional(),
    now: z.custom<() => number>((v) => typeof v === 'function', { error: 'must be a function' }).optional(),
  } satisfies Record<keyof SecondLineOptions, z.ZodType>,
  { error: 'must be an object' },
);

/** The options with their defaults. @internal */
export function resolveSecondLine(options: SecondLineOptions | undefined): { recordPurposes: readonly Purpose[]; desk: ConfirmationDesk } {
  const now = options?.now;
  return {
    recordPurposes: options?.recordPurposes ?? DEFAULT_RECORD_PURPOSES,
    desk: {
      script: options?.confirmation,
      // A priority given as undefined keeps its default, as one not given does.
      deadlinesMs: { ...DEFAULT_CONFIRMATION_DEADLINES_MS, ...Object.fromEntries(Object.entries(options?.deadlinesMs ?? {}).filter(([, ms]) => ms !== undefined)) },
      retryAfterSeconds: options?.retryAfterSeconds ?? 1,
      now: now === undefined ? Date.now : () => now(),
    },
  };
}
