// The exit code says the verdict, so a script can act on `borderlink check …` without reading its output.
import { BorderlinkError, ConfigError, InputError } from 'borderlink';
import type { Verdict } from 'borderlink';
import { UsageError } from './args';

/** The table the help text and docs/cli.md print; one row per code. */
export const EXIT_CODES = [
  { code: 0, meaning: 'NO_HIT: every source answered, no record' },
  { code: 1, meaning: 'HIT: a record matches' },
  { code: 2, meaning: 'POSSIBLE_HIT: a similar record, compare before deciding' },
  { code: 3, meaning: 'INCOMPLETE: not every source answered; not a clear result' },
  { code: 4, meaning: 'invalid input or usage (bad flag, invalid document data, invalid MRZ)' },
  { code: 5, meaning: 'gateway, connection or timeout error; a sync, an outbox flush, a store or an audit log that failed' },
  { code: 6, meaning: 'anything unexpected' },
  { code: 7, meaning: 'screen: no row was screened (empty or header-only manifest, or every row unreadable)' },
] as const;

/**
 * `borderlink confirm`: the exit code says where the confirmation ended, apart from the verdict codes so a script
 * never reads an owner's answer as a check's. Usage, gateway and unexpected errors are 4, 5 and 6 as everywhere.
 */
export const CONFIRMATION_EXIT_CODES = [
  { code: 0, state: 'PENDING', meaning: 'PENDING: asked, no answer yet (without --wait)' },
  { code: 10, state: 'CONFIRMED', meaning: 'CONFIRMED: the owner confirms the hit: act on it' },
  { code: 11, state: 'NOT_CONFIRMED', meaning: 'NOT_CONFIRMED: the owner does not confirm the hit: do not act on it' },
  { code: 12, state: 'RECORD_NO_LONGER_VALID', meaning: 'RECORD_NO_LONGER_VALID: the record no longer holds' },
  { code: 13, state: 'EXPIRED', meaning: 'EXPIRED: no answer after three requests; the hit is still a lead' },
] as const;

/** The exit code of each final state of `borderlink confirm`. */
export const CONFIRMATION_EXIT: Readonly<Record<(typeof CONFIRMATION_EXIT_CODES)[number]['state'], number>> = Object.freeze(
  Object.fromEntries(CONFIRMATION_EXIT_CODES.map((e) => [e.state, e.code])) as Record<(typeof CONFIRMATION_EXIT_CODES)[number]['state'], number>,
);

export const EXIT = { NO_HIT: 0, HIT: 1, POSSIBLE_HIT: 2, INCOMPLETE: 3, USAGE: 4, GATEWAY: 5, UNEXPECTED: 6, NOTHING_SCREENED: 7 } as const;

export function exitCodeForVerdict(verdict: Verdict): number {
  return EXIT[verdict];
}

/** Input the caller can fix (4), a gateway or its connection (5), or a bug (6). */
export function exitCodeForError(err: unknown): number {
  if (err instanceof UsageError || err instanceof InputError || err instanceof ConfigError) return EXIT.USAGE;
  if (err instanceof BorderlinkError) return EXIT.GATEWAY;
  return EXIT.UNEXPECTED;
}

/** Screening: how bad a verdict is for the run's exit code. A gateway error ranks below a hit, above INCOMPLETE. */
const severity: Record<number, number> = { [EXIT.NO_HIT]: 0, [EXIT.INCOMPLETE]: 1, [EXIT.GATEWAY]: 2, [EXIT.POSSIBLE_HIT]: 3, [EXIT.HIT]: 4 };

/** The worse of two screening exit codes. */
export function worseExitCode(a: number, b: number): number {
  return (severity[b] ?? 0) > (severity[a] ?? 0) ? b : a;
}
