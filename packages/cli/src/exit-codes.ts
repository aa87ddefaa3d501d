// The exit code says the verdict, so a script can act on `borderlink check …` without reading its output.
import { AuthenticationError, BorderlinkError, ConfigError, InputError, PermissionError } from 'borderlink';
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
  { code: 8, meaning: 'the gateway refused access (401 UNAUTHENTICATED; 403 FORBIDDEN, PURPOSE_NOT_ALLOWED): fix the token, certificate, authority or purpose' },
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

export const EXIT = { NO_HIT: 0, HIT: 1, POSSIBLE_HIT: 2, INCOMPLETE: 3, USAGE: 4, GATEWAY: 5, UNEXPECTED: 6, NOTHING_SCREENED: 7, ACCESS_REFUSED: 8 } as const;

export function exitCodeForVerdict(verdict: Verdict): number {
  return EXIT[verdict];
}

/**
 * Whether the gateway refused the request for who sent it: the credentials (401) or the authority's or purpose's
 * permission (403). Configuration to fix, not a gateway or link that is down; the same request sent again gets the
 * same. `NOT_ISSUER` is a 403 about one report's document, not about the configuration: not one of these.
 */
export function isAccessRefused(err: unknown): boolean {
  return err instanceof AuthenticationError || (err instanceof PermissionError && err.code !== 'NOT_ISSUER');
}

/** Input the caller can fix (4), access the gateway refused (8), a gateway or its connection (5), or a bug (6). */
export function exitCodeForError(err: unknown): number {
  if (err instanceof UsageError || err instanceof InputError || err instanceof ConfigError) return EXIT.USAGE;
  if (isAccessRefused(err)) return EXIT.ACCESS_REFUSED;
  if (err instanceof BorderlinkError) return EXIT.GATEWAY;
  return EXIT.UNEXPECTED;
}

/** What `screen --fail-on` ranks first: a hit (the default), or any error. */
export type FailOn = 'hit' | 'error';

/** The values of `--fail-on`. */
export const FAIL_ON: readonly FailOn[] = ['hit', 'error'];

/**
 * Screening: the exit codes a row can give, worst first, and how the summary names them. `hit`: a hit is never hidden
 * behind an error (an officer must act on it), and refused access outranks a gateway error (configuration to fix
 * now, not a link that may come back). `error`: any error outranks every verdict, each by the code `check` would
 * give it, for a pipeline that must not pass a run that was not screened whole.
 */
export const SCREEN_RANKING: Readonly<Record<FailOn, readonly { code: number; name: string }[]>> = {
  hit: [
    { code: EXIT.HIT, name: 'HIT' },
    { code: EXIT.POSSIBLE_HIT, name: 'POSSIBLE_HIT' },
    { code: EXIT.ACCESS_REFUSED, name: 'access refused' },
    { code: EXIT.GATEWAY, name: 'gateway error' },
    { code: EXIT.INCOMPLETE, name: 'INCOMPLETE' },
    { code: EXIT.NO_HIT, name: 'NO_HIT' },
  ],
  error: [
    { code: EXIT.ACCESS_REFUSED, name: 'access refused' },
    { code: EXIT.GATEWAY, name: 'gateway error' },
    { code: EXIT.USAGE, name: 'unreadable row' },
    { code: EXIT.HIT, name: 'HIT' },
    { code: EXIT.POSSIBLE_HIT, name: 'POSSIBLE_HIT' },
    { code: EXIT.INCOMPLETE, name: 'INCOMPLETE' },
    { code: EXIT.NO_HIT, name: 'NO_HIT' },
  ],
};

/** The ranking as the summary prints it: `HIT 1 > POSSIBLE_HIT 2 > …`. */
export function rankingText(failOn: FailOn): string {
  return SCREEN_RANKING[failOn].map((r) => `${r.name} ${r.code}`).join(' > ');
}

/**
 * The exit code of one screened row: its verdict's, or its error's. A row that could not be read (an input or
 * configuration error of the row) is INCOMPLETE by default (it was not screened), and 4 with `--fail-on error`.
 */
export function rowExitCode(row: { error?: unknown; verdict?: Verdict }, failOn: FailOn = 'hit'): number {
  if (row.error === undefined) return exitCodeForVerdict(row.verdict!);
  if (row.error instanceof InputError || row.error instanceof ConfigError) return failOn === 'error' ? EXIT.USAGE : EXIT.INCOMPLETE;
  return isAccessRefused(row.error) ? EXIT.ACCESS_REFUSED : EXIT.GATEWAY;
}

/** The worse of two exit codes by `failOn`'s ranking (a code the ranking does not hold ranks last). */
export function worseExitCode(a: number, b: number, failOn: FailOn = 'hit'): number {
  const ranking = SCREEN_RANKING[failOn];
  const rank = (code: number) => {
    const i = ranking.findIndex((r) => r.code === code);
    return i === -1 ? ranking.length : i;
  };
  return rank(b) < rank(a) ? b : a;
}
