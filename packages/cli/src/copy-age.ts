// How old a copy is, and what an answer from it says about itself, in the words the command prints.
import type { OfflineNote, SourceState } from 'borderlink';

/** The command's staleness limit when none is given, the library's default too: the Schengen rules' 48 hours. @unit hours */
export const DEFAULT_MAX_STALENESS_HOURS = 48;

/**
 * How old the copy of a source is, as the client judges it: from the older of its `dataAsOf` and the time it was
 * applied here (a gateway's clock cannot make a copy younger). `undefined` when a time cannot be read.
 * @unit milliseconds
 */
export function copyAgeMs(state: SourceState, now: number = Date.now()): number | undefined {
  const dataAsOf = Date.parse(state.dataAsOf);
  const syncedAt = Date.parse(state.syncedAt);
  if (!Number.isFinite(dataAsOf) || !Number.isFinite(syncedAt)) return undefined;
  return Math.max(0, now - Math.min(dataAsOf, syncedAt));
}

/** An age for a person: `42 s`, `5 min`, `3 h 07 min`, `2 d 04 h`; `unknown` when it cannot be read. */
export function ageText(ms: number | undefined): string {
  if (ms === undefined) return 'unknown';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${String(h % 24).padStart(2, '0')} h`;
}

/** What each offline note means, for the person reading the answer; `{limit}` is the staleness limit in hours. */
const NOTE_TEXT: Record<OfflineNote, string> = {
  EXACT_MATCH_ONLY: 'the copy matches names exactly: a name written otherwise is found online only',
  NOT_SYNCED: 'never synced into this copy (borderlink sync)',
  COPY_TOO_OLD: 'the copy is older than {limit} h: finding nothing in it is not a clear answer',
  CANNOT_SEARCH_OFFLINE: 'nothing the copy can match exactly (a person needs surname, given names and a full date of birth)',
  NOT_KEPT_OFFLINE: 'not kept in the offline copy',
  STORE_FAILED: 'the copy could not be read',
};

/** A note as printed: its code and what it means (a code this version does not know: the code alone). */
export function noteText(note: string, maxStalenessHours: number): string {
  const text = (NOTE_TEXT as Record<string, string | undefined>)[note];
  return text === undefined ? note : `${note}: ${text.replace('{limit}', String(maxStalenessHours))}`;
}

/** Why the copy answered, for the person reading the answer: the code of the gateway's failure, or `OFFLINE_FIRST`. */
export function reasonText(reason: string | undefined): string {
  if (reason === 'OFFLINE_FIRST') return '--offline-mode first: the copy answers at once, the gateway after';
  return `the gateway could not answer (${reason ?? 'unknown'})`;
}
